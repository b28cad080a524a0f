// SYNTAX TEST "source.qmlc" "examples/hybrid_classifier.qml, with assertions"

// The hybrid classifier, the seed model of quantum machine learning: angle-encode the
// features on Y, apply 3 strongly entangling layers, read <Z> on every qubit, and map
// the 4 values to 2 class logits with a linear head.
//
// The two-moons points have 2 coordinates; each is encoded on two qubits (wires 0, 1
// and again on 2, 3), so all 4 qubits carry data.
qubits 4
// <------ keyword.declaration.qmlc
//     ^ constant.numeric.qmlc

input x[2]                               // one data sample, bound per example
// <----- storage.type.input.qmlc
//    ^ variable.other.input.qmlc
param w[3, 4, 3] = normal(0, 0.1)        // trainable, with its initializer
// <----- storage.type.param.qmlc
//    ^ variable.other.param.qmlc
//                 ^^^^^^ support.function.initializer.qmlc
//                           ^^^ constant.numeric.qmlc
//                                       ^^^^^^^^^^^^ comment.line.double-slash.qmlc

circuit {
// <------- keyword.declaration.qmlc
    angle_embedding(x, rotation = Y) on 0..2
//  ^^^^^^^^^^^^^^^ support.function.template.qmlc
//                     ^^^^^^^^ variable.parameter.named.qmlc
//                                ^ support.class.observable.qmlc
//                                   ^^ keyword.control.on.qmlc
//                                       ^^ keyword.operator.range.qmlc
    angle_embedding(x, rotation = Y) on 2..4
    strongly_entangling_layers(w)
//  ^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.template.qmlc
}

measure for i in 0..4 { expval(Z(i)) }
// <------- keyword.declaration.qmlc
//      ^^^ keyword.control.for.qmlc
//          ^ variable.other.loop.qmlc
//                      ^^^^^^ support.function.measurement.qmlc
//                             ^ support.class.observable.qmlc

head linear(2)
// <---- keyword.declaration.qmlc
//   ^^^^^^ support.function.layer.qmlc

train {
// <----- meta.train.qmlc keyword.declaration.train.qmlc
    data      moons(samples = 200, noise = 0.1)
//  ^^^^ keyword.other.field.qmlc
//            ^^^^^ support.function.data.qmlc
//                  ^^^^^^^ variable.parameter.named.qmlc
    features  scale(0, pi)
//  ^^^^^^^^ keyword.other.field.qmlc
//                     ^^ constant.language.qmlc
    split     0.75
    loss      cross_entropy
//  ^^^^ keyword.other.field.qmlc
//            ^^^^^^^^^^^^^ support.constant.loss.qmlc
    optimizer adam(lr = 0.01)
//  ^^^^^^^^^ keyword.other.field.qmlc
//            ^^^^ support.function.optimizer.qmlc
    epochs    50
    batch     32
    seed      7
//  ^^^^ keyword.other.field.qmlc
//            ^ constant.numeric.qmlc
}
