// The parity classifier of PennyLane's variational classifier demo: four bits prepared as a
// basis state, two layers of `rot` on every wire and a CNOT ring, <Z> of wire 0 plus a
// trainable bias, the square loss against labels ±1 (the parity 0 or 1 mapped to −1 or 1),
// Nesterov momentum with step 0.5 and batches of 5.
qubits 4

input bits[4]
param w[2, 4, 3] = normal(0, 0.01)

circuit {
    basis_embedding(bits)
    for l in 0..2 {
        for i in 0..4 { rot(w[l, i, 0], w[l, i, 1], w[l, i, 2]) i }
        for i in 0..4 { cnot i, mod(i + 1, 4) }
    }
}

measure expval(Z(0))

head bias

train {
    data      parity(bits = 4)
    loss      mse(signed)
    optimizer nesterov(lr = 0.5, beta = 0.9)
    batch     5
    epochs    30
    seed      0
}
