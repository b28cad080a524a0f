qubits 3
def pair(a) {
    ry(a) 0
    cnot 0, 2
}
circuit {
    pair(0.1) 0, 1
}
measure expval(Z(0))
