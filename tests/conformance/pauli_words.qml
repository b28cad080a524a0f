// pauli_rot on mixed words (I among them, and a word of I only under ctrl, a phase on the
// control) and orbital_rotation, under adj and ctrl.
qubits 5
param b[5]
circuit {
    ry(b[0]) 0
    h 1
    rx(b[1]) 2
    ry(b[2]) 3
    rx(b[3]) 4
    pauli_rot(b[0], "XYZ") 0, 1, 2
    pauli_rot(b[3], "YIXZ") 3, 2, 1, 0
    pauli_rot(2 * b[1], "Y") 4
    orbital_rotation(b[4]) 0, 1, 2, 3
    adj {
        pauli_rot(b[2], "ZX") 1, 4
        orbital_rotation(b[3]) 3, 1, 4, 2
    }
    ctrl(0) {
        pauli_rot(b[1], "XY") 1, 2
        pauli_rot(b[4], "II") 2, 3
    }
    ctrl(2) {
        orbital_rotation(b[0]) 4, 3, 0, 1
    }
    pauli_rot(b[2], "ZZYX") 4, 0, 1, 3
}
measure expval(X(0) @ Z(2) - 0.7 * Y(4)), var(Z(3) @ X(1)), probs(1, 4)
