// Loops over ranges (the end is included), sets and steps; consts, slices, negative indices,
// functions and powers in angles. qiskit-qasm3-import cannot read loops that index with the loop
// variable, `const` or function calls, so loops.unrolled.qasm is this program written out by
// hand, and the test gives that one to Qiskit.
OPENQASM 3;
include "stdgates.inc";

const int n = 4;
const float step = pi / 8;
input float[64] alpha;

qubit[n] q;

for int i in [0:n - 1] {
    h q[i];
}
for int i in [0:2] {
    cx q[i], q[i + 1];
    rz(alpha * (i + 1)) q[i + 1];
}
for uint k in [3:-2:0] {
    ry(step * k) q[k];
}
for int k in {0, 2} {
    rx(cos(step) + k ** 2) q[k];
}
rz(ln(2) + arccos(0.5) - sqrt(2) * exp(0.1) + 2 ** -1) q[-1];
x q[1:2];
cx q[0:1], q[2:3];
