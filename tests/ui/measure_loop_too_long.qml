// A measurement loop counts toward the loop limit before it runs.
qubits 2
circuit { h 0 }
measure for i in 0..1000000000 {
    expval(Z(0))
}
