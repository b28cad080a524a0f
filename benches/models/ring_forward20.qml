// The forward-pass benchmark of issue 11 at 20 qubits: 5 layers of (ry on every wire, then a
// cnot ring i -> i + 1 mod n), 200 gates, measuring <Z(0)>.
qubits 20
param w[5, 20] = uniform(0, 6.283185307179586)
circuit {
    for l in 0..5 {
        for i in 0..20 { ry(w[l, i]) i }
        for i in 0..20 { cnot i, (i + 1) % 20 }
    }
}
measure expval(Z(0))
