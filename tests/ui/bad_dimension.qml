qubits 1
param w[0]
input x[2, -1]
circuit { h 0 }
measure expval(Z(0))
