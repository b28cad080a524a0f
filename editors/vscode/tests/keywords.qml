// SYNTAX TEST "source.qmlc" "declarations and keywords"

qubits 4
// <------ keyword.declaration.qmlc
input x[2]
// <----- storage.type.input.qmlc
//    ^ variable.other.input.qmlc
param theta
// <----- storage.type.param.qmlc
//    ^^^^^ variable.other.param.qmlc
param w[3, 4, 3] = normal(0, 0.1)
//    ^ variable.other.param.qmlc
//               ^ keyword.operator.assignment.qmlc
//                 ^^^^^^ support.function.initializer.qmlc
const n = 4
// <----- storage.type.const.qmlc
//    ^ variable.other.constant.qmlc

def layer(a[2, 2], b) {
// <--- storage.type.function.qmlc
//  ^^^^^ entity.name.function.qmlc
//        ^ variable.parameter.qmlc
//          ^ constant.numeric.qmlc
//                 ^ variable.parameter.qmlc
    rz(b) 0
}

circuit {
// <------- keyword.declaration.qmlc
    for i in 0..n {
//  ^^^ keyword.control.for.qmlc
//      ^ variable.other.loop.qmlc
//        ^^ keyword.control.in.qmlc
        layer(w[i], theta) 0, 1
//      ^^^^^ entity.name.function.call.qmlc
    }
    adj { ry(theta) 0 }
//  ^^^ keyword.control.modifier.qmlc
    ctrl(0) { x 1 }
//  ^^^^ keyword.control.modifier.qmlc
//            ^ support.function.gate.qmlc
    amplitude_embedding(x, normalize = true, pad = none) on 0..2
//                                     ^^^^ constant.language.boolean.qmlc
//                                                 ^^^^ constant.language.none.qmlc
//                                                       ^^ keyword.control.on.qmlc
    basis_embedding([1, 0, 1, 1], flag = false)
//                                       ^^^^^ constant.language.boolean.qmlc
}

measure expval(Z(0)), var(X(1)), probs(0, 1)
// <------- keyword.declaration.qmlc
//      ^^^^^^ support.function.measurement.qmlc
//             ^ support.class.observable.qmlc
//                    ^^^ support.function.measurement.qmlc
//                        ^ support.class.observable.qmlc
//                               ^^^^^ support.function.measurement.qmlc

head linear(2), relu
// <---- keyword.declaration.qmlc
//   ^^^^^^ support.function.layer.qmlc
//              ^^^^ support.function.layer.qmlc
