qubits 2
circuit { h 0 }
measure expval(Z(0) @ X(0)), probs(1, 1)
