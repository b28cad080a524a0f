// The gradient benchmark of issue 11 at 12 qubits: angle embedding on Y, 4 strongly entangling
// layers (144 params), and one output, the sum observable <Z(0) + … + Z(11)>.
qubits 12
input x[12]
param w[4, 12, 3] = uniform(0, 6.283185307179586)
circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
}
measure expval(Z(0) + Z(1) + Z(2) + Z(3) + Z(4) + Z(5) + Z(6) + Z(7) + Z(8) + Z(9) + Z(10) + Z(11))
