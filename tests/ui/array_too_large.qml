qubits 1
param w[100000, 100000, 100000]
input x[0]
circuit { ry(w[0, 0, 0]) 0 }
measure expval(Z(0))
