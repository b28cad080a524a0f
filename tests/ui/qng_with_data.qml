// PennyLane's QNG is defined for a cost that is the circuit's output, not a loss over data rows.
qubits 2
input x[2]
param t[2]
circuit {
    angle_embedding(x)
    ry(t[0]) 0
    ry(t[1]) 1
}
measure expval(Z(0) @ Z(1))
train {
    data moons(samples = 20)
    optimizer qng(lr = 0.1)
}
