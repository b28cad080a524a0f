// With the register refused, loops run once: names and shapes are still checked, quickly.
qubits 1000
param w[3]
circuit {
    for i in 0..1000000 {
        multirz(w[0]) 0..40
        ry(undeclared) 0
    }
    iqp_embedding(w, repeats = 100)
    ry(w[5]) 0
}
measure expval(Z(0))
