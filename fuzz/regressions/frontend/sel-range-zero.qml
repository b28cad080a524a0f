qubits 2
param w[1, 2, 3]
circuit {
    strongly_entangling_layers(w, ranges = [0])
}
measure expval(Z(0))
