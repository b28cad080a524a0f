qubits 2
circuit {
    h 0
    cnot 1, 2
}
measure expval(Z(0))
