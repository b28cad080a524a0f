qubits 2
param t
circuit {
    hadamard 0
    ryy(t) 1
    angle_embeding([0.1, 0.2])
}
measure expval(Z(0))
