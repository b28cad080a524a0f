// TTN with blocks of 2 and of 4 wires, and MPS with blocks of 3 wires, offset 2.
qubits 8
param p[13, 2]

def leaf(w[2]) {
    ry(w[0]) 0
    ry(w[1]) 1
    cnot 0, 1
}

def triple(w[2]) {
    rx(w[0]) 1
    cnot 1, 2
    crx(w[1]) 2, 0
}

def quad(w[2]) {
    triple(w) 1, 2, 3
}

circuit {
    ttn(leaf, p[0..7])
    mps(triple, p[7..10], n_block_wires = 3, offset = 2) on 0..7
    ttn(quad, p[10..13], n_block_wires = 4) on 7, 6, 5, 4, 3, 2, 1, 0
}
measure expval(Z(0) @ Z(7)), probs(3, 4), expval(X(5))
