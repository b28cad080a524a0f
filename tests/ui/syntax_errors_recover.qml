// Three independent mistakes: all three are reported.
qubits 2
circuit {
    h 0 0 0
    cnot 0,, 1
    rx(0.1)) 0
}
measure expval(Z(0))
