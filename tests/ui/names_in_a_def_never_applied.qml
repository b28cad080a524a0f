// A def nobody applies still has its names checked: an unknown one, and one of the wrong kind.
qubits 2
param theta
def spare(a) {
    ry(thta) 0
    rz(spare) 1
    theta 0
}
circuit { ry(theta) 0 }
measure expval(Z(0))
