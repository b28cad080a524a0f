// Wrong numbers of parameters and qubits, indices out of range, repeated qubits, broadcasts
// of different sizes.
OPENQASM 2.0;
include "qelib1.inc";
qreg a[2];
qreg b[3];
rx q[0];
rx a[0];
cu3(0.1, 0.2) a[0], a[1];
cx a[0];
h a[2];
cx a[1], a[1];
cx a, b;
