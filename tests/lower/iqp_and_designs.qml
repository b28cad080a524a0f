qubits 3
input x[3]
input b[3]
param init[3]
param w[1, 2, 2]
param ent[1, 3]
circuit {
    basis_embedding([1, 0, 1])
    basis_embedding(b)
    iqp_embedding(x)
    simplified_two_design(init, w)
    basic_entangler_layers(ent, rotation = Z) on 0..3
}
measure probs
