// `b` only acts on wire 1, which nothing measured depends on.
qubits 2
param a
param b
param c
circuit {
    ry(a) 0
    rx(b) 1
}
measure expval(Z(0))
