// The hybrid classifier, the seed model of quantum machine learning: angle-encode the
// features on Y, apply 3 strongly entangling layers, read <Z> on every qubit, and map
// the 4 values to 2 class logits with a linear head.
//
// The two-moons points have 2 coordinates; each is encoded on two qubits (wires 0, 1
// and again on 2, 3), so all 4 qubits carry data.
qubits 4

input x[2]                               // one data sample, bound per example
param w[3, 4, 3] = normal(0, 0.1)        // trainable, with its initializer

circuit {
    angle_embedding(x, rotation = Y) on 0..2
    angle_embedding(x, rotation = Y) on 2..4
    strongly_entangling_layers(w)
}

measure for i in 0..4 { expval(Z(i)) }

head linear(2)

train {
    data      moons(samples = 200, noise = 0.1)
    features  scale(0, pi)
    split     0.75
    loss      cross_entropy
    optimizer adam(lr = 0.01)
    epochs    50
    batch     32
    seed      7
}
