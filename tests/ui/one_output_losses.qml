qubits 1
input x[2]
param w
circuit {
    ry(x[0]) 0
    rz(x[1]) 0
    ry(w) 0
}
measure expval(Z(0))
train likelihood { data moons(); loss nll }
train onehot { data moons(); loss mse(onehot) }
train signed { data moons(); loss mse(signed) }
train named { data iris(classes = [1, 2], columns = [0, 3]); loss mse(signed) }
