// adj reverses and inverts; ctrl adds controls to every gate of its body.
qubits 3
param t[3]
circuit {
    adj {
        s 0
        rot(t[0], t[1], t[2]) 1
        u3(t[0], t[1], t[2]) 2
        sx 0
    }
    ctrl(2) {
        rx(t[0]) 0
        cnot 0, 1
    }
}
measure expval(0.5 * Z(0) @ Z(1) - 1.2 * X(2)), var(H(1))
