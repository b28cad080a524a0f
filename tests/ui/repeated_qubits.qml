qubits 2
qubits 3
circuit { h 0 }
measure expval(Z(0))
