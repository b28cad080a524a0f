// The gradient benchmark of issue 11 at 20 qubits: angle embedding on Y, 4 strongly entangling
// layers (240 params), and one output, the sum observable <Z(0) + … + Z(19)>.
qubits 20
input x[20]
param w[4, 20, 3] = uniform(0, 6.283185307179586)
circuit {
    angle_embedding(x, rotation = Y)
    strongly_entangling_layers(w)
}
measure expval(Z(0) + Z(1) + Z(2) + Z(3) + Z(4) + Z(5) + Z(6) + Z(7) + Z(8) + Z(9) + Z(10) + Z(11) + Z(12) + Z(13) + Z(14) + Z(15) + Z(16) + Z(17) + Z(18) + Z(19))
