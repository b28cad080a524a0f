// A stray block is one error, and the statements inside it are still checked.
qubits 2
circuit {
    { h 0; cnot 0, 3 }
    h 1
}
measure expval(Z(0))
