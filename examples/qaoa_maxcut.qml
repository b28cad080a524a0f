// QAOA for MaxCut, as PennyLane's QAOA demo writes it: the 4-node ring with edges
// (0, 1), (0, 3), (1, 2), (2, 3), p = 2 layers, Adagrad with step 0.5 for 30 steps.
// The objective is the expected number of cut edges, C = Σ (1 − Z_i Z_j) / 2, maximized.
// After training, `qmlc run examples/qaoa_maxcut.qml --params examples/qaoa_maxcut.trained.json
// --measure probs` shows the two optimal cuts, 0101 and 1010, as the most likely bitstrings.
qubits 4

const p = 2

param gamma[p] = uniform(0, 0.01)        // the cost layers' angles
param beta[p] = uniform(0, 0.01)         // the mixer layers' angles

// exp(−iγ/2 · Z_a Z_b) up to a global phase, written with CNOTs as the demo writes it.
def cost_edge(g) {
    cnot 0, 1
    rz(g) 1
    cnot 0, 1
}

circuit {
    for i in 0..4 { h i }
    for l in 0..p {
        cost_edge(gamma[l]) 0, 1
        cost_edge(gamma[l]) 0, 3
        cost_edge(gamma[l]) 1, 2
        cost_edge(gamma[l]) 2, 3
        for i in 0..4 { rx(2 * beta[l]) i }
    }
}

// The number of edges the cut crosses: (1 − Z_a Z_b) / 2 summed over the four edges.
measure expval(2 * I(0) - 0.5 * Z(0) @ Z(1) - 0.5 * Z(0) @ Z(3) - 0.5 * Z(1) @ Z(2) - 0.5 * Z(2) @ Z(3))

train {
    maximize
    optimizer adagrad(lr = 0.5)
    epochs    30
    seed      1
}
