// A head whose first layer would need 2^20 × 2000 weights: refused before training allocates them.
qubits 20
circuit { h 0 }
measure probs
head linear(2000)
