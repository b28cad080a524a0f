qubits 3
param w[1, 3]
circuit {
    basic_entangler_layers(w) on 2..2
}
measure expval(Z(0))
