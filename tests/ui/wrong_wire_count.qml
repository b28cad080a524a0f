qubits 3
circuit {
    cnot 0
    h 0, 1
    toffoli 0, 1
}
measure expval(Z(0))
