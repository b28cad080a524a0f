qubits 0
circuit { h 0 }
measure expval(Z(0))
