// Rotosolve needs each param in one angle with a two-term shift rule, entering as ±param + c.
qubits 2
param t[2]
circuit {
    ry(t[0]) 0
    crx(t[1]) 0, 1
}
measure expval(Z(1))
train {
    minimize
    optimizer rotosolve
}
train twice {
    minimize
    optimizer rotosolve
    schedule exponential(0.9)
}
