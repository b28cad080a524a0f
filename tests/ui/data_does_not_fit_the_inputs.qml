qubits 2
input x[3]
param w[1, 2, 3]
circuit {
    angle_embedding(x[0..2])
    strongly_entangling_layers(w)
}
measure expval(Z(0)), expval(Z(1))
train { data moons(); loss cross_entropy }
train second { data circles(factor = 1.5) }
train third { data xor(samples = 2.5) }
train fourth { data iris(); gradient finite_diff; shots 100 }
