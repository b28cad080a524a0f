// A Pauli string longer than the wires, and a letter that is not a Pauli.
qubits 2
input x[2]
circuit {
    pauli_feature_map(x, paulis = ["Z", "XYZ"])
    pauli_feature_map(x, paulis = ["ZA"], reps = 1)
}
measure expval(Z(0))
