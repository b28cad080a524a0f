// u2, isingxy, pswap, fermionic_swap and global_phase, under adj and ctrl.
qubits 4
param a[6]
circuit {
    h 0
    ry(a[0]) 1
    rx(a[1]) 2
    h 3
    u2(a[0], a[2]) 2
    isingxy(a[1]) 0, 1
    pswap(a[3]) 1, 3
    fermionic_swap(a[4]) 3, 0
    global_phase(a[5])
    ctrl(2) {
        global_phase(a[5] * 2)
    }
    adj {
        u2(a[3], a[1]) 1
        isingxy(a[2]) 2, 3
    }
    ctrl(0) {
        pswap(a[4]) 2, 3
    }
    ctrl(1) {
        fermionic_swap(a[0]) 2, 0
    }
    ctrl(3) {
        u2(a[2], a[5]) 1
    }
    ctrl(0) {
        isingxy(a[3]) 1, 2
    }
    adj {
        pswap(a[5]) 0, 2
        fermionic_swap(a[1]) 1, 3
        global_phase(a[2]) 1
    }
    ctrl(0, 1) {
        global_phase(a[1]) 2, 3
    }
    ry(a[4]) 2
}
measure expval(Z(0) @ X(1) + 0.5 * Y(2) @ Z(3) - 0.3 * X(3)), var(Y(1)), probs(0, 2), expval(Z(0))
