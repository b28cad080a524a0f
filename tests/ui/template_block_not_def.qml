// A tensor-network block must be a def taking one argument, its row of the weights.
qubits 4
param w[3, 2]
param v[3, 3]

def pair(a, b) {
    ry(a) 0
    ry(b) 1
}

def single(a[2]) {
    ry(a[0]) 0
    cnot 0, 1
}

circuit {
    mps(w, w)
    mps(pair, w)
    mps(sngle, w)
    ttn(single, v)
    mps(single, w, n_block_wires = 2, offset = 2)
    ttn(single, w, n_block_wires = 3)
}
measure expval(Z(0))
