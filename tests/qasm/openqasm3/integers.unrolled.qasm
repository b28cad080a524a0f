// integers.qasm written out by hand for Qiskit, with its consts and loop variables as integers
// and its divisions kept, so that Qiskit divides the integers. Qiskit cannot read `%`: the
// remainders are Python's (5 % 3 is 2, 7 % -3 is -2).
OPENQASM 3;
include "stdgates.inc";

qubit[5] q;

h q[0];
rx(0 / 2 + 0.25) q[0];
h q[1];
rx(1 / 2 + 0.25) q[1];
h q[2];
rx(2 / 2 + 0.25) q[2];
h q[3];
rx(3 / 2 + 0.25) q[3];
h q[4];
rx(4 / 2 + 0.25) q[4];
rx(7 / 2) q[0];
ry(-7 / 2) q[1];
rz(3 * 2 / 4) q[2];
rx(pi * 7 / 2) q[3];
crx(2 / 2.0) q[3], q[4];
ry(2 - -2) q[3];
swap q[0], q[4];
swap q[1], q[3];
