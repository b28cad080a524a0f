// `iris` labels its rows with names, which `mse` cannot compare with an output.
qubits 4
input x[4]
circuit { angle_embedding(x) }
measure expval(Z(0))
train { data iris; loss mse }
