// Qiskit's templates take flat arrays: real_amplitudes on 4 wires with reps 3 takes (3 + 1) · 4 = 16 weights.
qubits 4
input x[3]
param w[12]
circuit {
    zz_feature_map(x, entanglement = linear)
    real_amplitudes(w)
    efficient_su2(w, reps = 1, entanglement = circle)
}
measure expval(Z(0))
