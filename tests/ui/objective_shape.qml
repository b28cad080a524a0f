// An objective needs one output and a model without inputs.
qubits 2
input x[2]
param t[2]
circuit {
    angle_embedding(x)
    ry(t[0]) 0
    ry(t[1]) 1
}
measure expval(Z(0)), expval(Z(1))
train {
    maximize
}
