qubits 2
param t
measure expval(Z(0))
