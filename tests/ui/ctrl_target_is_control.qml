qubits 3
param t
circuit {
    ctrl(0) {
        rx(t) 0
        ctrl(1, 1) { h 2 }
    }
}
measure expval(Z(2))
