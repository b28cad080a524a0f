// A param scaled by 2 makes the cost a sinusoid of frequency 2, which rotosolve's closed form does not solve.
qubits 1
param t
circuit { ry(2 * t) 0 }
measure expval(Z(0))
train {
    minimize
    optimizer rotosolve
}
