// A def nobody applies is still checked, on the register's wires.
qubits 2
def spare(a) {
    ry(a) 0
    cnot 0, 5
}
circuit { h 0 }
measure expval(Z(0))
