// Trailing comments on consecutive lines share a column: the one written, if the author
// aligned them further right, else one space after the longest code.
qubits 2      // two qubits
input x[2]   // the data
param w[2,2]=normal(0, 0.1)     // weights

circuit {
    h 0 // first
    cnot 0, 1 // second
    rx(w[0, 0]) 0                       // written far right
    ry(w[1, 1]) 1                       // and aligned
}
measure expval(Z(0)) /* a block comment */ // and a line comment
/*
 * A block comment of several lines, kept as written.
 */
head linear(2)
