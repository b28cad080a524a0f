"""PennyLane references for PennyLane's templates of version 2 (LANGUAGE.md §10.5): each case as a
.qml program and the same circuit in PennyLane, with its outputs and Jacobian.

Run by hand with the pinned venv (PennyLane 0.45):
    benches/.venv/bin/python tests/conformance/gen/templates.py   (from the repository root)
It writes, per case, NAME.qml, NAME.params.json, NAME.input.json and NAME.expected.json in the
format of tests/conformance, computed on default.qubit, exact, with backprop.

Every template is PennyLane's own (QAOAEmbedding, AllSinglesDoubles, BasisState, MPS, TTN), except
RandomLayers: qmlc draws its circuit with its own seeded generator (docs/language.md), so that case
writes the gates qmlc's `random_layers` gives for its seeds explicitly (the lowering snapshot
tests/it/snapshots/it__lowering__good_programs_lower_to_their_gate_lists@pennylane_templates.qml.snap
pins the same list), in PennyLane gates.
"""

import pennylane as qml
from pennylane import numpy as np

from case import write_case


def values(shape, seed):
    """Deterministic angles in (-π, π) of a given shape."""
    generator = np.random.default_rng(seed)
    return generator.uniform(-np.pi, np.pi, size=shape).round(6).tolist()


def qaoa_embedding(p):
    qml.QAOAEmbedding(p[0, 0:3], p[1:3], wires=range(4))
    qml.QAOAEmbedding(p[0, 3:5], p[1:3, 0:3], wires=[3, 1], local_field="X")
    qml.QAOAEmbedding(p[0, 5:6], p[1:3, 3:4], wires=[2], local_field="Z")
    return [qml.expval(qml.Z(0) @ qml.Z(1)), qml.expval(qml.X(2)), qml.probs(wires=[1, 3])]


QAOA_QML = """// QAOAEmbedding on 4 wires (3 features: `h` on the last wire), on 2 wires and on 1.
qubits 4
param p[3, 8]
circuit {
    qaoa_embedding(p[0, 0..3], p[1..3])
    qaoa_embedding(p[0, 3..5], p[1..3, 0..3], local_field = X) on 3, 1
    qaoa_embedding(p[0, 5..6], p[1..3, 3..4], local_field = Z) on 2
}
measure expval(Z(0) @ Z(1)), expval(X(2)), probs(1, 3)
"""


# The gates qmlc's `random_layers(p, seed = 5)` on wires 0..4 and `random_layers(p, seed = 5,
# ratio_imprim = 0.6, imprimitive = cz, rotations = [Z, X]) on 1..4` give for p of shape [2, 3]:
# (gate, wires, index of the weight in p's flat order or None).
RANDOM_GATES = [
    ("cnot", [2, 3], None),
    ("ry", [1], 0),
    ("rz", [2], 1),
    ("rz", [1], 2),
    ("cnot", [2, 3], None),
    ("rz", [1], 3),
    ("cnot", [2, 0], None),
    ("rx", [3], 4),
    ("rx", [0], 5),
    ("cz", [3, 2], None),
    ("rz", [1], 0),
    ("rx", [2], 1),
    ("rx", [2], 2),
    ("cz", [2, 3], None),
    ("rx", [2], 3),
    ("cz", [3, 1], None),
    ("cz", [1, 3], None),
    ("rz", [1], 4),
    ("rz", [3], 5),
]


def random_layers(p):
    for wire in range(4):
        qml.Hadamard(wires=wire)
    flat = p.flatten()
    gates = {"rx": qml.RX, "ry": qml.RY, "rz": qml.RZ, "cnot": qml.CNOT, "cz": qml.CZ}
    for name, wires, weight in RANDOM_GATES:
        if weight is None:
            gates[name](wires=wires)
        else:
            gates[name](flat[weight], wires=wires)
    return [qml.expval(qml.Z(0) @ qml.Z(3)), qml.expval(qml.Y(1)), qml.probs(wires=[2])]


RANDOM_QML = """// RandomLayers with qmlc's seeded generator: the default options, then every option.
qubits 4
param p[2, 3]
circuit {
    for i in 0..4 { h i }
    random_layers(p, seed = 5)
    random_layers(p, seed = 5, ratio_imprim = 0.6, imprimitive = cz, rotations = [Z, X]) on 1..4
}
measure expval(Z(0) @ Z(3)), expval(Y(1)), probs(2)
"""


SINGLES = [[0, 2], [0, 4], [1, 3], [1, 5]]
DOUBLES = [[0, 1, 2, 3], [0, 1, 2, 5], [0, 1, 3, 4], [0, 1, 4, 5]]


def all_singles_doubles(w):
    # qmlc's excitations name the template's wires by position, PennyLane's by label: on the
    # wires 5, 4, …, 0, position i is label 5 − i.
    wires = [5, 4, 3, 2, 1, 0]
    singles = [[wires[i] for i in single] for single in SINGLES]
    doubles = [[wires[i] for i in double] for double in DOUBLES]
    hf = np.array([1, 1, 0, 0, 0, 0], requires_grad=False)
    qml.AllSinglesDoubles(w, wires=wires, hf_state=hf, singles=singles, doubles=doubles)
    return [
        qml.expval(qml.Z(0) @ qml.Z(2) + 0.5 * qml.X(1) @ qml.X(4)),
        qml.var(qml.Z(3)),
        qml.probs(wires=[4, 5]),
    ]


SINGLES_DOUBLES_QML = """// AllSinglesDoubles of a 6-orbital Hartree-Fock state, on the wires in reverse order.
qubits 6
param w[8]
circuit {
    all_singles_doubles(w, [1, 1, 0, 0, 0, 0], [[0, 2], [0, 4], [1, 3], [1, 5]], [[0, 1, 2, 3], [0, 1, 2, 5], [0, 1, 3, 4], [0, 1, 4, 5]]) on 5, 4, 3, 2, 1, 0
}
measure expval(Z(0) @ Z(2) + 0.5 * X(1) @ X(4)), var(Z(3)), probs(4, 5)
"""


def pair(weights, wires):
    qml.RY(weights[0], wires=wires[0])
    qml.CNOT(wires=[wires[0], wires[1]])
    qml.RZ(weights[1], wires=wires[1])


def mps_basis_state(p):
    qml.BasisState(np.array([1, 0, 1, 1], requires_grad=False), wires=range(4))
    qml.MPS(range(4), 2, pair, 2, p)
    return [qml.expval(qml.Z(3)), qml.expval(qml.X(1) @ qml.Z(2) + 0.5 * qml.Y(3)), qml.probs(wires=[0])]


MPS_QML = """// BasisState, then MPS with a def as its block: blocks of 2 wires, offset 1.
qubits 4
param p[3, 2]

def pair(w[2]) {
    ry(w[0]) 0
    cnot 0, 1
    rz(w[1]) 1
}

circuit {
    basis_state([1, 0, 1, 1])
    mps(pair, p)
}
measure expval(Z(3)), expval(X(1) @ Z(2) + 0.5 * Y(3)), probs(0)
"""


def leaf(weights, wires):
    qml.RY(weights[0], wires=wires[0])
    qml.RY(weights[1], wires=wires[1])
    qml.CNOT(wires=[wires[0], wires[1]])


def triple(weights, wires):
    qml.RX(weights[0], wires=wires[1])
    qml.CNOT(wires=[wires[1], wires[2]])
    qml.CRX(weights[1], wires=[wires[2], wires[0]])


def tensor_networks(p):
    qml.TTN(range(8), 2, leaf, 2, p[0:7])
    qml.MPS(range(7), 3, triple, 2, p[7:10], offset=2)
    qml.TTN([7, 6, 5, 4, 3, 2, 1, 0], 4, lambda weights, wires: triple(weights, wires[1:]), 2, p[10:13])
    return [qml.expval(qml.Z(0) @ qml.Z(7)), qml.probs(wires=[3, 4]), qml.expval(qml.X(5))]


TENSOR_QML = """// TTN with blocks of 2 and of 4 wires, and MPS with blocks of 3 wires, offset 2.
qubits 8
param p[13, 2]

def leaf(w[2]) {
    ry(w[0]) 0
    ry(w[1]) 1
    cnot 0, 1
}

def triple(w[2]) {
    rx(w[0]) 1
    cnot 1, 2
    crx(w[1]) 2, 0
}

def quad(w[2]) {
    triple(w) 1, 2, 3
}

circuit {
    ttn(leaf, p[0..7])
    mps(triple, p[7..10], n_block_wires = 3, offset = 2) on 0..7
    ttn(quad, p[10..13], n_block_wires = 4) on 7, 6, 5, 4, 3, 2, 1, 0
}
measure expval(Z(0) @ Z(7)), probs(3, 4), expval(X(5))
"""


if __name__ == "__main__":
    write_case("qaoa_embedding", 4, "p", values((3, 8), 1), qaoa_embedding, QAOA_QML)
    write_case("random_layers", 4, "p", values((2, 3), 2), random_layers, RANDOM_QML)
    write_case("all_singles_doubles", 6, "w", values(8, 3), all_singles_doubles, SINGLES_DOUBLES_QML)
    # PennyLane's parameter shift cannot differentiate MPS's and TTN's weights (it fails reshaping
    # the Jacobian), so these two keep the backprop Jacobian alone; qmlc's three methods are
    # checked against it.
    write_case("mps_basis_state", 4, "p", values((3, 2), 4), mps_basis_state, MPS_QML, check_shift_rules=False)
    write_case("tensor_networks", 8, "p", values((13, 2), 5), tensor_networks, TENSOR_QML, check_shift_rules=False)
