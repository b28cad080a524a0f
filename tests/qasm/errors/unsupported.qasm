// What the importer does not translate: classical code, control, timing, calibrations.
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
int n = 3;
input int k;
c[0] = measure q[0];
h q[0];
reset q[1];
if (c[0]) {
    x q[1];
} else {
    z q[1];
}
while (n > 0) { n -= 1; }
delay[100ns] q[0];
opaque magic q;
c = 2;
$0;
pragma some_tool setting
