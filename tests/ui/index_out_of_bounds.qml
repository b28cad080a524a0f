qubits 3
param w[3, 2]
circuit {
    for i in 0..3 {
        ry(w[i, i]) i
    }
}
measure expval(Z(0))
