// Modifiers and loops the importer cannot write out, and a renamed input.
OPENQASM 3.0;
include "stdgates.inc";
input float[64] rx;
qubit[2] q;
pow(0.5) @ x q[0];
ctrl(0) @ x q[0], q[1];
for int i in [0:0:3] { h q[0]; }
for int i in [0:2] { h q[i]; }
rz(popcount(3)) q[0];
rz(rx) q[0];
