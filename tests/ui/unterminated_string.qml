qubits 1
circuit { h 0 }
measure expval(Z(0))
train {
    data csv("data.csv, label = "y")
}
