qubits 2
circuit { h 0 }
measure expval(z(0)), expval(Z(0) * Z(1)), expval(2 + 3)
