// The "dressed quantum circuit" of PennyLane's quantum transfer learning demo: a classical
// layer maps each row's features to 4 angles (linear, tanh, scaled by π/2), a 4-qubit circuit
// of depth 6 (Hadamards, the angles as RY, then entangling CNOTs and trainable RY layers), <Z>
// of every qubit, and a classical layer to the 2 class logits.
//
// The demo takes 512 features from a pretrained ResNet18; here the features are the 64 pixel
// intensities of 8×8 handwritten 3s and 8s (examples/data/digits_3_8.csv, written by
// examples/data/make_digits.py), standardized on the training rows.
qubits 4

input q[4]                               // the 4 angles the encode layers make of a row
param w[6, 4] = normal(0, 0.01)

encode linear(4), tanh, scale(pi / 2)

circuit {
    for i in 0..4 { h i }
    for i in 0..4 { ry(q[i]) i }
    for k in 0..6 {
        cnot 0, 1
        cnot 2, 3
        cnot 1, 2
        for i in 0..4 { ry(w[k, i]) i }
    }
}

measure for i in 0..4 { expval(Z(i)) }

head linear(2)

train {
    data      csv("data/digits_3_8.csv", label = "digit")
    features  standardize
    split     0.75
    loss      cross_entropy
    optimizer adam(lr = 0.01)
    schedule  step(every = 10, gamma = 0.1)
    batch     8
    epochs    15
    seed      0
}
