qubits 2
circuit {
    h 0.5
    for i in 0..1.5 { x i }
}
measure expval(Z(0))
