// The training benchmark of issue 11: 8 qubits, angle embedding on Y, 4 strongly entangling
// layers (96 params), <Z> on every qubit, a linear head to 2 class logits, cross-entropy and
// Adam, all 256 rows of the 8-bit parity data set in one batch, 10 epochs.
qubits 8

input x[8]
param w[4, 8, 3] = normal(0, 0.1)

circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
}

measure for i in 0..8 { expval(Z(i)) }

head linear(2)

train {
    data      parity(bits = 8)
    features  scale(0, pi)
    loss      cross_entropy
    optimizer adam(lr = 0.01)
    epochs    10
    batch     256
    seed      7
}
