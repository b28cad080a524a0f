qubits 4
input b[2]
param w[4]
param bits[2]
circuit {
    amplitude_embedding(w, normalize = true) on 0..2
    basis_embedding(bits) on 2..4
}
measure expval(Z(0))
