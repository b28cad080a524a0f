qubits 2
param t
def pair(a) {
    ry(a) 0
    cnot 0, 1
}
circuit {
    ry(t)
    pair(t)
}
measure expval(Z(0))
