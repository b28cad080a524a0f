// The weights were declared for 4 qubits but the register has 3.
qubits 3
input x[4]
param w[2, 4, 3]
circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
}
measure expval(Z(0))
