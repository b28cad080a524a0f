qubits 2
param t
def pair(a, b) {
    ry(a) 0
    rz(b) 1
}
circuit {
    pair(t) 0, 1
}
measure expval(Z(0))
