qubits 2
input x[2]
input y
param w[2]
circuit {
    angle_embedding(x)
    ry(y * w[0]) 1
}
measure expval(Z(0))
encode linear(4), tanh, scale(pi / 2)
