qubits 4
def f() { cnot 0, 2 }
circuit {
    f() 1, 2
    f() 2, 3
}
measure expval(Z(0))
