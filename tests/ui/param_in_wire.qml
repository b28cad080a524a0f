qubits 2
param k
input n
circuit {
    ry(n) k
    for i in 0..n { h i }
}
measure expval(Z(0))
