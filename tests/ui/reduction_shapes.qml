qubits 1
param w[3]
param v[2, 2]
circuit {
    ry(sum(w[0])) 0
    ry(dot(w, v[0])) 0
    ry(sum(w, w)) 0
    ry(dot(w[0..2], v)) 0
    ry(dot(w)) 0
}
measure expval(Z(0))
