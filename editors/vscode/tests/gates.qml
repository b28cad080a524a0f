// SYNTAX TEST "source.qmlc" "gates at the start of a statement"

qubits 3
input x[3]
param t[2]

circuit {
    h 0
//  ^ support.function.gate.qmlc
    x 1
//  ^ support.function.gate.qmlc
    ry(x[0]) 0
//  ^^ support.function.gate.qmlc
//     ^ - support.function.gate.qmlc
    rot(t[0], t[1], x[2]) 2
//  ^^^ support.function.gate.qmlc
//      ^ - support.function.gate.qmlc
    cnot 0, 1; cz 1, 2; toffoli 0, 1, 2
//  ^^^^ support.function.gate.qmlc
//             ^^ support.function.gate.qmlc
//                      ^^^^^^^ support.function.gate.qmlc
    sdg 0
//  ^^^ support.function.gate.qmlc
    s 0
//  ^ support.function.gate.qmlc
    p(t[1]) 2
//  ^ support.function.gate.qmlc
    cphase(pi / 4) 0, 2
//  ^^^^^^ support.function.gate.qmlc
    multirz(x[0] * x[1]) 0, 1, 2
//  ^^^^^^^ support.function.gate.qmlc
    isingzz(t[0]) 0, 1
//  ^^^^^^^ support.function.gate.qmlc
    crx(t[1]) i, mod(i + 1, 3)
//  ^^^ support.function.gate.qmlc
//               ^^^ support.function.math.qmlc
    u3(0.1, 0.2, 0.3) 0
//  ^^ support.function.gate.qmlc
    for i in 0..3 { rx(x[i]) i }
//                  ^^ support.function.gate.qmlc
//                     ^ - support.function.gate.qmlc
    adj { t 0; sx 1 }
//        ^ support.function.gate.qmlc
//             ^^ support.function.gate.qmlc
    ctrl(0) { swap 1, 2 }
//            ^^^^ support.function.gate.qmlc
    ry(sin(x[0]) + sqrt(abs(t[0])) * exp(-1)) 1
//     ^^^ support.function.math.qmlc
//                 ^^^^ support.function.math.qmlc
//                      ^^^ support.function.math.qmlc
//                                   ^^^ support.function.math.qmlc
}

// A gate's name elsewhere is a plain name: the input `x` is no gate.
measure expval(Z(0) @ X(1)), probs(0)
//             ^ support.class.observable.qmlc
//                    ^ support.class.observable.qmlc
