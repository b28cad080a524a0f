// Undeclared names, names declared twice, a gate without its library, a misspelt gate.
OPENQASM 3.0;
qubit[2] q;
qubit[2] q;
h q[0];
hadamrd q[1];
rx(thta) q[0];
cx r[0], q[1];
