// Three classes: Fisher's iris table (shipped inside qmlc), 4 features on 4 qubits,
// basic entangler layers, and a head that maps 4 <Z> values to 3 logits.
qubits 4

input x[4]
param w[4, 4] = uniform(0, 0.1)

circuit {
    angle_embedding(x, rotation = Y)
    basic_entangler_layers(w, rotation = Y)
}

measure for i in 0..4 { expval(Z(i)) }

head linear(3)

train {
    data      iris()
    features  scale(0, pi)
    split     0.7
    loss      cross_entropy
    optimizer adam(lr = 0.05)
    epochs    40
    batch     16
    seed      2
}
