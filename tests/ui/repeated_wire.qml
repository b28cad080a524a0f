qubits 3
circuit {
    cnot 1, 1
    toffoli 0, 2, 0
}
measure expval(Z(0))
