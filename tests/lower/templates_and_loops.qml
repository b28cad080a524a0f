// Templates expand as PennyLane's do; loops unroll; defs map their wires.
qubits 3
input x[3]
param w[2, 3, 3]
param v[1, 2]
const n = 3
def pair(a[2]) {
    ry(a[0]) 0
    cnot 0, 1
    rz(a[1] * 2) 1
}
circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
    pair(v[0]) 2, 0
    for i in 0..n { cnot i, mod(i + 1, n) }
}
measure expval(Z(0)), probs(2, 0)
