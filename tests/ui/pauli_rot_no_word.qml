qubits 2
param t
circuit {
    pauli_rot(t) 0, 1
}
measure expval(Z(0))
