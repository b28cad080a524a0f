// all_singles_doubles names the template's wires by position: each excitation's within 0..n, distinct.
qubits 4
param w[2]

circuit {
    all_singles_doubles(w, [1, 1, 0, 0], [[0, 4]], [[0, 1, 2, 3]])
    all_singles_doubles(w, [1, 1, 0, 0], [[0, 2]], [[0, 1, 1, 3]])
    all_singles_doubles(w, [1, 1, 0, 0], [], [])
    all_singles_doubles(w, [1, 1, 0, 0], [[0, 2, 3]], [[0, 1, 2, 3]])
    all_singles_doubles(w, [1, 1, 0, 0], [[0, 2], [1, 3]], [[0, 1, 2, 3]])
}
measure expval(Z(0))
