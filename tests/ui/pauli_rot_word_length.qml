qubits 3
param t
circuit {
    pauli_rot(t, "XYZ") 0, 1
}
measure expval(Z(0))
