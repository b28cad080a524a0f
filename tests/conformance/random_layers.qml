// RandomLayers with qmlc's seeded generator: the default options, then every option.
qubits 4
param p[2, 3]
circuit {
    for i in 0..4 { h i }
    random_layers(p, seed = 5)
    random_layers(p, seed = 5, ratio_imprim = 0.6, imprimitive = cz, rotations = [Z, X]) on 1..4
}
measure expval(Z(0) @ Z(3)), expval(Y(1)), probs(2)
