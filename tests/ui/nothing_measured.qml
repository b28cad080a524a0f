qubits 1
circuit { h 0 }
