qubits 1
const layers = 3
circuit { h 0 }
measure expval(Z(0))
