// A mistake in a loop body is reported for the first iteration that makes it, not for every one.
qubits 3
circuit {
    for i in 0..1000 {
        cnot i, i + 1
    }
}
measure expval(Z(0))
