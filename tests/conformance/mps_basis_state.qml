// BasisState, then MPS with a def as its block: blocks of 2 wires, offset 1.
qubits 4
param p[3, 2]

def pair(w[2]) {
    ry(w[0]) 0
    cnot 0, 1
    rz(w[1]) 1
}

circuit {
    basis_state([1, 0, 1, 1])
    mps(pair, p)
}
measure expval(Z(3)), expval(X(1) @ Z(2) + 0.5 * Y(3)), probs(0)
