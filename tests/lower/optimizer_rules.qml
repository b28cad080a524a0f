// Every rule of the optimization pass: identities, zero rotations, cancelling pairs, merging rotations.
qubits 2
param t
circuit {
    id 0
    rx(0) 1
    h 0
    h 0
    cnot 0, 1
    z 1
    z 1
    cnot 0, 1
    ry(t) 1
    ry(2 * t) 1
    s 0
    sdg 0
    rz(t) 0
    rz(-t) 0
    cz 0, 1
    cz 1, 0
    x 1
}
measure expval(Z(1))
