// SYNTAX TEST "source.qmlc" "train blocks"

qubits 2
input x[2]
param w[2, 2, 3]

circuit {
    angle_embedding(x)
    strongly_entangling_layers(w)
}

measure probs(0)

train {
// <----- meta.train.qmlc keyword.declaration.train.qmlc
//    ^ punctuation.section.block.begin.qmlc
    data      moons(samples = 200, noise = 0.1)
//  ^^^^ meta.train.qmlc keyword.other.field.qmlc
//            ^^^^^ support.function.data.qmlc
//                  ^^^^^^^ variable.parameter.named.qmlc
    features  scale(0, pi)
//  ^^^^^^^^ keyword.other.field.qmlc
//            ^^^^^ support.function.layer.qmlc
    split     0.75
//  ^^^^^ keyword.other.field.qmlc
//            ^^^^ constant.numeric.qmlc
    shuffle   false
//  ^^^^^^^ keyword.other.field.qmlc
//            ^^^^^ constant.language.boolean.qmlc
    loss      cross_entropy
//  ^^^^ keyword.other.field.qmlc
//            ^^^^^^^^^^^^^ support.constant.loss.qmlc
    optimizer adam(lr = 0.01)
//  ^^^^^^^^^ keyword.other.field.qmlc
//            ^^^^ support.function.optimizer.qmlc
    epochs    50; batch 16
//  ^^^^^^ keyword.other.field.qmlc
//                ^^^^^ keyword.other.field.qmlc
    gradient  parameter_shift
//  ^^^^^^^^ keyword.other.field.qmlc
//            ^^^^^^^^^^^^^^^ support.constant.gradient.qmlc
    shots     none
//            ^^^^ constant.language.none.qmlc
    seed      7 // the run's seed
//  ^^^^ keyword.other.field.qmlc
//              ^^ comment.line.double-slash.qmlc
    patience  5
//  ^^^^^^^^ keyword.other.field.qmlc
}
// <- meta.train.qmlc punctuation.section.block.end.qmlc

train finetune {
// <----- keyword.declaration.train.qmlc
//    ^^^^^^^^ entity.name.section.train.qmlc
    data      csv("data/points.csv", label = "y")
//  ^^^^ keyword.other.field.qmlc
//            ^^^ support.function.data.qmlc
//                ^^^^^^^^^^^^^^^^^ string.quoted.double.qmlc
//                                   ^^^^^ variable.parameter.named.qmlc
//                                           ^^^ string.quoted.double.qmlc
    optimizer sgd(0.1)
//  ^^^^^^^^^ keyword.other.field.qmlc
//            ^^^ support.function.optimizer.qmlc
}

// Outside a train block, a field's name is a plain name.
const data = 3
//    ^^^^ variable.other.constant.qmlc - keyword.other.field.qmlc
