// SYNTAX TEST "source.qmlc" "templates and their named arguments"

qubits 4
input x[4]
param w[3, 4, 3]
param v[2, 4]

circuit {
    angle_embedding(x, rotation = Y) on 0..2
//  ^^^^^^^^^^^^^^^ support.function.template.qmlc
//                  ^ - support.function.gate.qmlc
//                     ^^^^^^^^ variable.parameter.named.qmlc
//                              ^ keyword.operator.assignment.qmlc
//                                ^ support.class.observable.qmlc
//                                   ^^ keyword.control.on.qmlc
//                                      ^ constant.numeric.qmlc
//                                       ^^ keyword.operator.range.qmlc
    strongly_entangling_layers(w, imprimitive = cz)
//  ^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.template.qmlc
//                                ^^^^^^^^^^^ variable.parameter.named.qmlc
//                                              ^^ support.function.gate.qmlc
    basic_entangler_layers(v, rotation = X)
//  ^^^^^^^^^^^^^^^^^^^^^^ support.function.template.qmlc
    iqp_embedding(x, repeats = 2)
//  ^^^^^^^^^^^^^ support.function.template.qmlc
//                   ^^^^^^^ variable.parameter.named.qmlc
    amplitude_embedding(x, normalize = true)
//  ^^^^^^^^^^^^^^^^^^^ support.function.template.qmlc
    basis_embedding([1, 0, 1, 1])
//  ^^^^^^^^^^^^^^^ support.function.template.qmlc
    simplified_two_design(w[0, 0], w[1, 0..3, 0..2])
//  ^^^^^^^^^^^^^^^^^^^^^ support.function.template.qmlc
    real_amplitudes(w, reps = 3, entanglement = full)
//  ^^^^^^^^^^^^^^^ support.function.template.qmlc
}
