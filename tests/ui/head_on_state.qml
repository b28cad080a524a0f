qubits 1
circuit { h 0 }
measure state
head linear(2)
