qubits 1
h 0
circuit { x 0 }
measure expval(Z(0))
