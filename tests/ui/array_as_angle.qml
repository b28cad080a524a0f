qubits 1
param w[2]
circuit {
    ry(w) 0
}
measure expval(Z(0))
