qubits 3
param w[1, 3]
circuit {
    basic_entangler_layers(w) 0, 1, 2
    h on 0
}
measure expval(Z(0))
