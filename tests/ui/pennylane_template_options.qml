// QAOAEmbedding's weights rule, and RandomLayers' options.
qubits 3
input x[3]
param q[2, 3]
param r[2, 4]

circuit {
    qaoa_embedding(x, q)
    qaoa_embedding(x, q[0..2, 0..1], local_field = y) on 0, 1
    random_layers(r, ratio_imprim = 1)
    random_layers(r, rotations = [X, W])
    basis_state([1, 2, 0])
}
measure expval(Z(0))
