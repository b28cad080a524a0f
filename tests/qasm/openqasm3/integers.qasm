// Integer arithmetic in OpenQASM 3: an integer divided by an integer is an integer (floored, as
// Qiskit's importer computes it), `const int` truncates a real, loop variables are integers.
// qiskit-qasm3-import cannot read `const` or loops that index with the loop variable, so
// integers.unrolled.qasm writes them out with the integer expressions kept, for Qiskit to divide.
OPENQASM 3;
include "stdgates.inc";

const int n = 5;
const int half = 7 / 2;
const int m = 2.7;

qubit[n] q;

for int i in [0:n - 1] {
    h q[i];
    rx(i / 2 + 0.25) q[i];
}
rx(7 / 2) q[0];
ry(-7 / 2) q[1];
rz(half * m / 4) q[2];
rx(pi * 7 / 2) q[3];
crx(m / 2.0) q[3], q[4];
ry(n % 3 - 7 % -3) q[half];
for int i in [0:n / 2 - 1] {
    swap q[i], q[n - i - 1];
}
