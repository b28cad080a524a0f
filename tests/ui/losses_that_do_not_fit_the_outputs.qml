qubits 2
input x[4]
param w[2]
circuit {
    angle_embedding(x[0..2])
    ry(w[0]) 0
    ry(w[1]) 1
}
measure expval(Z(0)), expval(Z(1))
train onehot { data iris(); loss mse(onehot) }
train binary { data iris(classes = [0, 1]); loss bce }
train likelihood { data iris(); loss nll }
train vector { data csv("targets.csv", label = ["y1", "y2", "y3"]); loss mse }
train vector_hinge { data csv("targets.csv", label = ["y1", "y2"]); loss hinge }
train encoding { data iris(); loss mse(sideways) }
