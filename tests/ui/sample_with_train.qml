qubits 2
input x[2]
param w[1, 2, 3]
circuit {
    angle_embedding(x)
    strongly_entangling_layers(w)
}
measure expval(Z(0)), state
train {
    data moons(samples = 20)
}
