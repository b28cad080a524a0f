qubits 2
param theta[2]
circuit {
    ry(theta[0]) 0
    rz(phi) 1
}
measure expval(Z(0) @ Z(1))
