


// Empty lines separate groups: runs of them become one, and none are kept at the start or
// end of a file or block.
qubits 2


input x[2]
param w[2]



circuit {

    h 0


    cnot 0, 1

}
// A comment right after a block.

measure expval(Z(0))


