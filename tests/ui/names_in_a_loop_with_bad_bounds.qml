// A loop whose bound is wrong is never unrolled, yet the names in its body are still checked.
qubits 2
param theta
circuit {
    for i in 0..1.5 {
        ry(thetta) i
        theta i
    }
}
measure expval(Z(0))
