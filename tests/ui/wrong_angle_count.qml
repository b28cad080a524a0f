qubits 2
param t
circuit {
    h (0)
    rot(t, t) 1
    cnot(t) 0, 1
}
measure expval(Z(0))
