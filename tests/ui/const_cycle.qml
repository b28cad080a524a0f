qubits a
const a = b + 1
const b = a * 2
circuit { h 0 }
measure expval(Z(0))
