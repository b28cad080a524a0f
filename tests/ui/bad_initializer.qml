qubits 1
param a[2] = [0.1, 0.2, 0.3]
param b = gaussian(0, 1)
param c = normal(0)
circuit {
    ry(a[0] + a[1] + b + c) 0
}
measure expval(Z(0))
