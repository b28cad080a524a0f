qubits 1
circuit { h 0 }
measure expectation(Z(0)), expval(Z(0), Z(0)), expval
