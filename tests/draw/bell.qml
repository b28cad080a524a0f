// qmlc draw tests/draw/bell.qml
// qmlc draw tests/draw/bell.qml --ascii
// A Bell pair: a Hadamard, a CNOT, and the probabilities of both wires.
qubits 2

circuit {
    h 0
    cnot 0, 1
}

measure probs
