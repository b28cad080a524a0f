// An objective trains without data: `data`, `loss` and `batch` have no place beside it.
qubits 1
param t
circuit { ry(t) 0 }
measure expval(Z(0))
train {
    minimize
    data moons(samples = 20)
    loss mse
    batch 4
}
