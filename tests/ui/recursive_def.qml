qubits 2
def loop_forever(a) {
    ry(a) 0
    loop_forever(a) 0, 1
}
circuit {
    loop_forever(0.1) 0, 1
}
measure expval(Z(0))
