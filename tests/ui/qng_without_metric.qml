// `qng` needs the metric tensor of every trainable gate: a double excitation's generator is a
// sum of Pauli words, which the metric tensor does not take gate by gate.
qubits 4

param theta = 0

circuit {
    x 0
    x 1
    double_excitation(theta) 0, 1, 2, 3
}

measure expval(Z(0) @ Z(2))

train {
    minimize
    optimizer qng(lr = 0.1)
    epochs    10
}
