// Hermitian matrices alone, on scrambled wires, in tensor products and in sums.
qubits 3
param a[6]
const m1 = [[1.0, 2.0], [2.0, -0.5]]
const m2 = [[0.5, 0.3, -1.0, 0.2], [0.3, -1.2, 0.7, 0.0], [-1.0, 0.7, 2.0, 0.4], [0.2, 0.0, 0.4, 0.1]]
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
measure expval(hermitian(m1, 1)), expval(hermitian(m2, 2, 0))
measure expval(hermitian(m1, 0) @ X(1) @ hermitian(m1, 2)), var(hermitian(m2, 0, 1))
measure var(0.5 * hermitian(m1, 2) - 2 * Z(0) @ Y(1) + hermitian(m2, 1, 0))
measure expval(1.5 * hermitian(m2, 0, 2) @ projector([1], 1) - 0.25 * Z(2))
