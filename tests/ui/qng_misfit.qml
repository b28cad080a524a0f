// QNG trains an objective of the circuit itself, exactly: not through a head, not with shots.
qubits 2
param t[2]
circuit {
    ry(t[0]) 0
    ry(t[1]) 1
}
measure expval(Z(0)), expval(Z(1))
head linear(1)
train {
    minimize
    optimizer qng(lr = 0.1)
}
train sampled {
    minimize
    shots 100
    optimizer qng(0.1, approx = diag)
}
train wrong {
    minimize
    optimizer qng(lr = 0.1, approx = blocks, lam = -1)
}
