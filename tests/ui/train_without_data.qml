qubits 1
param t
circuit { ry(t) 0 }
measure expval(Z(0))
train {
    epochs 5
}
