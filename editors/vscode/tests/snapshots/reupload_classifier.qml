// A data re-uploading classifier: two qubits see the point again in every layer, each time
// through a trainable scale and offset, so a small circuit can draw a curved boundary.
// Trained on concentric circles, with the two class logits read from the probabilities
// of qubit 0.
qubits 2

input x[2]
param w[4, 2, 2] = normal(0, 1)
param v[4, 2] = normal(0, 0.5)

def layer(a[2, 2], b[2]) {
    ry(a[0, 0] * x[0] + a[0, 1]) 0
    ry(a[1, 0] * x[1] + a[1, 1]) 1
    rz(b[0]) 0
    rz(b[1]) 1
    cz 0, 1
}

circuit {
    for l in 0..4 {
        layer(w[l], v[l]) 0, 1
    }
}

measure probs(0)

train {
    data      circles(samples = 300, noise = 0.05, factor = 0.5)
    features  scale(-1, 1)
    split     0.7
    loss      cross_entropy
    optimizer adam(lr = 0.05)
    epochs    40
    batch     16
    seed      3
}
