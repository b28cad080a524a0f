qubits 1
param t
circuit {
    ry(true * t) 0
    rz(t @ t) 0
}
measure expval(Z(0))
