// CRLF line ends.
qubits 2
circuit {
    h 5
}
measure expval(Z(0))
