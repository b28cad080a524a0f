// A refused declaration is reported once, not again at every use.
qubits 2
param e[2]
param w[nn]
circuit {
    ry(e[0]) 0
    ry(w[1, 2]) 1
    CNOT 0, 1
}
measure expval(Z(0))
