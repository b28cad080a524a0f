// `minimize` takes no value, and a value-less `epochs` is not a field; no data and no objective.
qubits 1
param t
circuit { ry(t) 0 }
measure expval(Z(0))
train {
    minimize energy
}
train second {
    epochs
}
