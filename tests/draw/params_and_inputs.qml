// qmlc draw tests/draw/params_and_inputs.qml
// qmlc draw tests/draw/params_and_inputs.qml --params tests/draw/params_and_inputs.json
// qmlc draw tests/draw/params_and_inputs.qml --params tests/draw/params_and_inputs.json --ascii
// Angles written with inputs, params and constants; controlled and two-wire gates; several
// measurements on one wire.
qubits 3

input x[3]
param theta[2, 3]
param phi

circuit {
    for i in 0..3 { ry(x[i]) i }
    for i in 0..3 { rz(theta[0, i] * x[i]) i }
    crx(phi) 0, 2
    isingzz(theta[1, 0] + pi / 2) 1, 2
    cz 0, 1
    swap 1, 2
    ctrl(0) { rx(-theta[1, 1]) 2 }
    toffoli 0, 1, 2
    adj { s 1 }
    phase(pi / 4) 0
}

measure expval(Z(0)), expval(X(0)), expval(Z(1) @ Z(2)), var(0.5 * Z(0) + X(2))
