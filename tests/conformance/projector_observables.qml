// Projectors alone, on scrambled wires, in tensor products with Pauli words and in sums.
qubits 3
param a[6]
circuit {
    ry(a[0]) 0
    rx(a[1]) 1
    cnot 0, 1
    ry(a[2]) 2
    cnot 1, 2
    rz(a[3]) 0
    h 1
    cry(a[4]) 2, 0
    rx(0.5 * a[5] - 0.2) 2
}
measure expval(projector([0, 1], 0, 1)), expval(projector([1, 0, 1], 2, 0, 1))
measure expval(projector([1], 1) @ Z(0) @ X(2)), var(projector([0, 0], 1, 2))
measure expval(0.7 * projector([0, 0, 0], 0, 1, 2) - 1.3 * Y(0) @ projector([1, 1], 1, 2) + 0.4 * X(1))
measure var(projector([1], 0) @ projector([0], 2) + 0.5 * Z(1))
