// qmlc draw tests/draw/templates.qml
// qmlc draw tests/draw/templates.qml --expand
// Templates on some of the wires, in a loop, controlled and inverted; a def is drawn gate by gate.
qubits 4

input x[2]
param w[2, 1, 3, 3]
param b[2, 2]

def layer(t) {
    ry(t) 0
    cnot 0, 1
}

circuit {
    angle_embedding(x, rotation = Z) on 1..3
    for l in 0..2 { strongly_entangling_layers(w[l]) on 1..4 }
    ctrl(0) { basic_entangler_layers(b) on 2..4 }
    adj { iqp_embedding(x) on 0..2 }
    layer(b[0, 0]) 3, 0
}

measure expval(Z(0) @ Z(3)), probs(1, 2)
