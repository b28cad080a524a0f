qubits 2
param w[2]
def block(a) {
    ry(a) 0
}
circuit {
    w 0
    rx(block) 1
    block(0.5) 0
}
measure expval(Z(0))
