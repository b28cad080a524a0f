qubits 2
input x[2]
circuit {
    angle_embedding(x, rotation = Y, rotation = Z)
}
measure expval(Z(0))
