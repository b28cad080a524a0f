qubits 2
circuit {
    strongly_entangling_layers()
}
measure expval(Z(0))
