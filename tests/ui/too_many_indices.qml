qubits 1
param w[2]
param t
circuit {
    ry(w[0, 1]) 0
    rz(t[0]) 0
}
measure expval(Z(0))
