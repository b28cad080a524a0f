qubits 2
input x[2]
param w[1, 2]
circuit {
    angle_embedding(x)
    basic_entangler_layers(w)
}
measure expval(Z(0))
train {
    data moon(samples = 50)
    optimizer adamw(lr = 0.1)
    loss mae
    gradient backprop
}
