// Schedules scale a learning rate: cobyla and spsa have none; unknown schedules and bad arguments.
qubits 1
param t
circuit { ry(t) 0 }
measure expval(Z(0))
train {
    minimize
    optimizer cobyla(rhobeg = 0.5)
    schedule step(every = 5, gamma = 0.5)
}
train noisy {
    minimize
    optimizer spsa
    schedule exponential(gamma = 0.9)
}
train bad {
    minimize
    optimizer lbfgs(history = 0)
    schedule cosin(min_lr = 0.1)
}
train worse {
    minimize
    schedule step(every = 1.5, gamma = 0.5)
}
