qubits 2
# a comment in the wrong style
circuit {
    h 0 $
}
measure expval(Z(0))
