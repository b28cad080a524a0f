// PennyLane's templates of version 2: each one's gate list, wire for wire.
qubits 4
input x[3]
param q[2, 8]
param q2[1, 3]
param q1[2, 1]
param r[2, 3]
param ex[3]
param m[3, 2]
param t[3, 2]

def block(w[2]) {
    ry(w[0]) 0
    cnot 0, 1
    rz(w[1]) 1
}

circuit {
    qaoa_embedding(x, q)
    qaoa_embedding(x[0..2], q2, local_field = X) on 2, 0
    qaoa_embedding(x[0..1], q1, local_field = Z) on 3
    random_layers(r, seed = 5)
    random_layers(r, seed = 5, ratio_imprim = 0.6, imprimitive = cz, rotations = [Z, X]) on 1..4
    basis_state([1, 0, 1, 0])
    all_singles_doubles(ex, [1, 1, 0, 0], [[0, 2], [1, 3]], [[0, 1, 2, 3]])
    mps(block, m)
    ttn(block, t)
}
measure probs
