// loops.qasm written out by hand, with its consts and functions as numbers, for Qiskit.
OPENQASM 3;
include "stdgates.inc";

input float[64] alpha;

qubit[4] q;

h q[0];
h q[1];
h q[2];
h q[3];
cx q[0], q[1];
rz(alpha * 1) q[1];
cx q[1], q[2];
rz(alpha * 2) q[2];
cx q[2], q[3];
rz(alpha * 3) q[3];
ry(0.39269908169872414 * 3) q[3];
ry(0.39269908169872414 * 1) q[1];
rx(0.9238795325112867 + 0) q[0];
rx(0.9238795325112867 + 4) q[2];
rz(0.6931471805599453 + 1.0471975511965979 - 1.4142135623730951 * 1.1051709180756477 + 0.5) q[3];
x q[1];
x q[2];
cx q[0], q[2];
cx q[1], q[3];
