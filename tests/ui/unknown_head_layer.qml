qubits 2
circuit { h 0 }
measure expval(Z(0)), expval(Z(1))
head linear(2), dense, linear
