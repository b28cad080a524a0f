qubits 2
input a[4]
input b[2]
circuit {
    amplitude_embedding(a, normalize = true)
    basis_embedding(b)
}
measure expval(Z(0))
encode linear(6), sigmoid
