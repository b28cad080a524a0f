qubits 2
param theta[2, 3]
def pair(a[2]) {
    ry(a[0]) 0
    rz(a[1]) 1
}
circuit {
    pair(theta[0]) 0, 1
}
measure expval(Z(0))
