// Every problem training would find, each with its own diagnostic, in one pass.
qubits 2
input x[2]
param w[2]
circuit {
    angle_embedding(x)
    ry(w[0]) 0
    ry(w[1]) 1
}
measure expval(Z(0)), expval(Z(1))
train nothing_to_learn_from {
    optimizer adamw(lr = 0.1)
}
train mse_on_two_outputs { data moons(samples = 100) }
train three_classes_of_two { data iris; loss cross_entropy }
train tiny_split { data xor(samples = 4); split 0.1; loss cross_entropy }
