qubits 2
input x[4]
circuit {
    h 0
    amplitude_embedding(x, normalize = true)
}
measure probs
