// Each layer fits on its own; together they pass the head's limit.
qubits 10
input x[10]
circuit { angle_embedding(x) }
measure probs
head linear(2048), relu, linear(1024), relu, linear(2)
