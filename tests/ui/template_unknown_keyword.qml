qubits 2
input x[2]
circuit {
    angle_embedding(x, rotaton = Y)
}
measure expval(Z(0))
