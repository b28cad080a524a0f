qubits 2
param w[2]
circuit { ry(w[0]) 0; ry(w[1]) 1 }
measure expval(Z(0)), expval(Z(1))
head map([[1, 0, 1], [0, 1, 0]]), linear(2, bias = 3), scale, softmax(1), linear(2, bias = false), dense
