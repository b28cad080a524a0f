// A kernel's overlap: |<0|U(y)† U(x)|0>|² as the projector onto |0000>, x = k[0..4], y = k[4..8].
qubits 4
param k[8]
def feature(x[4]) {
    for i in 0..4 {
        ry(x[i]) i
    }
    for i in 0..3 {
        cnot i, i + 1
    }
}
circuit {
    feature(k[0..4]) 0..4
    adj { feature(k[4..8]) 0..4 }
}
measure expval(projector([0, 0, 0, 0], 0, 1, 2, 3))
