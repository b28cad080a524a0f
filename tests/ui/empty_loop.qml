qubits 2
circuit {
    for i in 2..2 { h i }
    h 0
}
measure expval(Z(0))
