// Every stdgates gate, gate definitions and the four modifiers, with inputs as params.
OPENQASM 3.0;
include "stdgates.inc";

input float[64] theta;
input angle phi;

qubit[3] q;
qubit r;
bit[4] c;

gate entangle(a) x, y {
    h x;
    cx x, y;
    rz(a / 2) y;
}

gate layer(a, b) x, y, z {
    entangle(a) x, y;
    ry(b) z;
    ctrl @ rx(a + b) z, x;
}

h q;
x r;
p(0.3) q[0];
phase(0.2) q[1];
y q[2];
z q[0];
s q[1];
sdg q[2];
t q[0];
tdg q[1];
sx q[2];
rx(theta) q[0];
ry(phi) q[1];
rz(theta * phi) q[2];
cy q[0], q[1];
cz q[1], q[2];
cp(0.4) q[2], r;
cphase(0.5) q[0], r;
crx(0.6) q[0], q[1];
cry(0.7) q[1], q[2];
crz(0.8) q[2], q[0];
ch q[0], r;
swap q[1], r;
ccx q[0], q[1], q[2];
cswap r, q[0], q[1];
cu(0.1, 0.2, 0.3, 0.4) q[2], q[1];
CX q[2], q[0];
id q[1];
u1(0.9) q[0];
u2(0.1, -0.2) q[1];
u3(0.3, 0.4, 0.5) q[2];
U(1.1, 1.2, 1.3) r;
layer(theta, 0.25) q[0], q[1], r;
entangle(phi) r, q[2];
ctrl @ h q[0], q[1];
ctrl(2) @ rz(0.7) q[0], q[1], q[2];
negctrl @ x q[1], r;
negctrl(2) @ ry(0.35) q[0], q[2], r;
inv @ s q[0];
inv @ layer(0.3, theta) q[2], q[1], q[0];
pow(2) @ t q[1];
pow(-1) @ sx q[2];
ctrl @ inv @ u3(0.1, 0.2, 0.3) r, q[0];
inv @ ctrl @ entangle(0.5) q[0], q[1], q[2];
gphase(0.3);
ctrl @ gphase(0.6) q[1];
negctrl @ gphase(0.2) q[2];
ctrl @ x q, r;
measure q -> c[0:2];
measure r -> c[3];
