// The forward-pass benchmark of issue 11 at 22 qubits: 5 layers of (ry on every wire, then a
// cnot ring i -> i + 1 mod n), 220 gates, measuring <Z(0)>.
qubits 22
param w[5, 22] = uniform(0, 6.283185307179586)
circuit {
    for l in 0..5 {
        for i in 0..22 { ry(w[l, i]) i }
        for i in 0..22 { cnot i, (i + 1) % 22 }
    }
}
measure expval(Z(0))
