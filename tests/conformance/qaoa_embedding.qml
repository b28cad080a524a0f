// QAOAEmbedding on 4 wires (3 features: `h` on the last wire), on 2 wires and on 1.
qubits 4
param p[3, 8]
circuit {
    qaoa_embedding(p[0, 0..3], p[1..3])
    qaoa_embedding(p[0, 3..5], p[1..3, 0..3], local_field = X) on 3, 1
    qaoa_embedding(p[0, 5..6], p[1..3, 3..4], local_field = Z) on 2
}
measure expval(Z(0) @ Z(1)), expval(X(2)), probs(1, 3)
