qubits 2
def spare(a) {
    ry(a) 0
    cnot 0, 1
}
circuit { h 0 }
measure expval(Z(0))
