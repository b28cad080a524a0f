// A block either minimizes or maximizes.
qubits 1
param t
circuit { ry(t) 0 }
measure expval(Z(0))
train {
    minimize
    maximize
}
