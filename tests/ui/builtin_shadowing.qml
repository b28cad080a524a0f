qubits 1
param rx
const pi = 3
def cnot(a) {
    ry(a) 0
}
circuit { h 0 }
measure expval(Z(0))
