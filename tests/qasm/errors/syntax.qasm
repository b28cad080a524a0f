// Syntax errors: each is reported, and the statements after them are still read.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
rx(1.0 q[0];
cx q[0],, q[1];
h q[0] ` ;
x q[1];
gate g a {
    h a;
