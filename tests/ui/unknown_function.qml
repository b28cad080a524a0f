qubits 1
param t
circuit {
    ry(sine(t)) 0
    rz(cos(t, 2)) 0
    rx(Z(0)) 0
}
measure expval(Z(0))
