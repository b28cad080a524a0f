// AllSinglesDoubles of a 6-orbital Hartree-Fock state, on the wires in reverse order.
qubits 6
param w[8]
circuit {
    all_singles_doubles(w, [1, 1, 0, 0, 0, 0], [[0, 2], [0, 4], [1, 3], [1, 5]], [[0, 1, 2, 3], [0, 1, 2, 5], [0, 1, 3, 4], [0, 1, 4, 5]]) on 5, 4, 3, 2, 1, 0
}
measure expval(Z(0) @ Z(2) + 0.5 * X(1) @ X(4)), var(Z(3)), probs(4, 5)
