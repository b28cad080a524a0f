// SYNTAX TEST "source.qmlc" "strings"

qubits 1
circuit { h 0 }
measure expval(Z(0))
train {
    data csv("data \"quoted\" \\ path.csv", label = "class // not a comment")
//           ^ string.quoted.double.qmlc punctuation.definition.string.begin.qmlc
//            ^^^^^ string.quoted.double.qmlc
//                 ^^ string.quoted.double.qmlc constant.character.escape.qmlc
//                            ^^ constant.character.escape.qmlc
//                               ^^^^^^^^ string.quoted.double.qmlc - constant.character.escape.qmlc
//                                       ^ string.quoted.double.qmlc punctuation.definition.string.end.qmlc
//                                                   ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.qmlc - comment.line.double-slash.qmlc
    loss mse
//  ^^^^ keyword.other.field.qmlc
    test csv("unterminated
//           ^^^^^^^^^^^^^ string.quoted.double.qmlc
    seed 3
//  ^^^^ keyword.other.field.qmlc - string.quoted.double.qmlc
}
