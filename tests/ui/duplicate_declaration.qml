qubits 2
input x[2]
param w[2]
param w[3]
const x = 1
circuit {
    angle_embedding(x)
    ry(w[0]) 0
}
measure expval(Z(0))
