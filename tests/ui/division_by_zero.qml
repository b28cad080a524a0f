qubits 1
const n = 0
param t
circuit {
    ry(t / n) 0
    rz(mod(t, 0)) 0
}
measure expval(Z(0))
