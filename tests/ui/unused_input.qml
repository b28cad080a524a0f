// An input nothing reads: a warning, and `check` still succeeds.
qubits 1
input x[2]
param t
circuit {
    ry(t) 0
}
measure expval(Z(0))
