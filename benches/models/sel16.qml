// The benchmark's large model: 16 qubits, angle embedding, 2 strongly entangling layers,
// <Z> on every qubit (16 outputs, 96 params).
qubits 16
input x[16]
param w[2, 16, 3] = uniform(0, 6.283185307179586)
circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
}
measure for i in 0..16 { expval(Z(i)) }
