// SYNTAX TEST "source.qmlc" "numbers, constants and operators"

const a = 3
//        ^ constant.numeric.qmlc
const b = 0.5 + .5 - 1e-3 * 2.5E+2 / tau
//        ^^^ constant.numeric.qmlc
//            ^ keyword.operator.arithmetic.qmlc
//              ^^ constant.numeric.qmlc
//                 ^ keyword.operator.arithmetic.qmlc
//                   ^^^^ constant.numeric.qmlc
//                        ^ keyword.operator.arithmetic.qmlc
//                          ^^^^^^ constant.numeric.qmlc
//                                 ^ keyword.operator.arithmetic.qmlc
//                                   ^^^ constant.language.qmlc
const c = 2 * pi % e ^ 2
//            ^^ constant.language.qmlc
//               ^ keyword.operator.arithmetic.qmlc
//                 ^ constant.language.qmlc
//                   ^ keyword.operator.arithmetic.qmlc
param w1[4] = [0.1, -2, 3e5]
//      ^ - constant.numeric.qmlc
//       ^ constant.numeric.qmlc
//             ^^^ constant.numeric.qmlc
//                ^ punctuation.separator.comma.qmlc
//                  ^ keyword.operator.arithmetic.qmlc
//                   ^ constant.numeric.qmlc
//                      ^^^ constant.numeric.qmlc

measure for i in 0..4 { expval(0.5 * Z(i) @ Z(mod(i + 1, 4))) }
//               ^ constant.numeric.qmlc
//                ^^ keyword.operator.range.qmlc - constant.numeric.qmlc
//                  ^ constant.numeric.qmlc
//                                        ^ keyword.operator.tensor.qmlc
circuit { ry(w1[0]) 0 }
//                  ^ constant.numeric.qmlc
