// Loops that emit nothing are still counted, before they run.
qubits 1
circuit {
    for i in 0..1000000000 {
        for j in 0..1000000000 {
        }
    }
    h 0
}
measure expval(Z(0))
