// MPS with wider blocks and an offset, and TTN with blocks of 4 wires, on 8 wires.
qubits 8
param a[3]
param a2[2]
param b[3]

def wide(w) {
    cnot 0, 3
    ry(w) 1
    cz 2, 3
}

def scalar(w) {
    rx(w) 0
    cnot 0, 1
    cnot 2, 3
}

circuit {
    mps(wide, a2, n_block_wires = 4, offset = 3) on 0..8
    mps(wide, a, n_block_wires = 4) on 0..8
    ttn(scalar, b, n_block_wires = 4)
}
measure expval(Z(0))
