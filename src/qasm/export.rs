//! OpenQASM 3 out: a lowered circuit as an OpenQASM 3 program that Qiskit and other tools read.
