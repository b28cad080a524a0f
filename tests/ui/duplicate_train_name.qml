qubits 2
input x[2]
param t
circuit {
    angle_embedding(x)
    ry(t) 0
}
measure expval(Z(0))
train warmup { data xor() }
train warmup { data xor() }
