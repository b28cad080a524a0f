//! OpenQASM 2 and 3 in: a `.qasm` file as a `.qml` program, with diagnostics that point into the QASM source.
