// The expansion of a template is counted before it is built.
qubits 4
input x[4]
circuit {
    iqp_embedding(x, repeats = 1000000000)
}
measure expval(Z(0))
