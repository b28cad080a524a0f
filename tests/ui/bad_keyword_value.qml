qubits 2
input x[2]
param w[1, 2, 3]
circuit {
    angle_embedding(x, rotation = y)
    strongly_entangling_layers(w, imprimitive = swap)
}
measure expval(Z(0))
