// Qiskit Machine Learning's VQC on Iris: a ZZFeatureMap (4 features, 2 reps, full
// entanglement) and a RealAmplitudes ansatz (3 reps, reverse-linear entanglement), written out
// gate for gate as Qiskit 2.x builds them (wire k is Qiskit's qubit k), trained with COBYLA.
//
// VQC reads the class from the sampled bitstring: class = (the bitstring as Qiskit's integer,
// qubit 0 least significant) mod 3, and trains on the cross entropy of those class
// probabilities. qmlc's `probs` lists wire 0 as the most significant bit, so the `map` below
// sends each of the 16 probabilities (qmlc's order) to the class of its bit-reversed index.
qubits 4

input x[4]
param theta[16] = uniform(0, 2 * pi)

circuit {
    // ZZFeatureMap: per rep, H on every qubit, P(2 x_i) on each, then for every pair i < j
    // the ZZ term CX(i, j) P(2 (π − x_i)(π − x_j)) CX(i, j).
    for r in 0..2 {
        for i in 0..4 { h i }
        for i in 0..4 { phase(2 * x[i]) i }
        for i in 0..3 {
            for j in i + 1..4 {
                cnot i, j
                phase(2 * (pi - x[i]) * (pi - x[j])) j
                cnot i, j
            }
        }
    }
    // RealAmplitudes: per rep an RY layer and the reverse-linear CX chain, then a last RY layer.
    for r in 0..3 {
        for i in 0..4 { ry(theta[4 * r + i]) i }
        cnot 2, 3
        cnot 1, 2
        cnot 0, 1
    }
    for i in 0..4 { ry(theta[12 + i]) i }
}

measure probs

// Column b is qmlc's basis state b; row c collects the states whose Qiskit integer is c mod 3.
head map([[1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]])

train {
    data      iris()
    features  scale(0, 1)
    split     0.8
    loss      nll
    optimizer cobyla(rhobeg = 1.0)
    epochs    100
    seed      123
}
