qubits 2
input x[2]
param w[1, 2]
circuit {
    angle_embedding(x)
    basic_entangler_layers(w)
}
measure expval(Z(0))
train {
    data moons(samples = 50)
    split 1.5
    epochs 0
    batch 2.5
    shuffle yes
    seed -1
}
