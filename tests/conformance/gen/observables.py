"""PennyLane references for the projector and Hermitian observables (LANGUAGE.md §10.3): each case
as a .qml program and the same circuit in PennyLane, with its outputs and Jacobian.

Run by hand with the pinned venv (PennyLane 0.45):
    benches/.venv/bin/python tests/conformance/gen/observables.py   (from the repository root)
It writes, per case, NAME.qml, NAME.params.json, NAME.input.json and NAME.expected.json in the
format of tests/conformance, computed on default.qubit, exact, with backprop (and checked against
PennyLane's parameter-shift Jacobian).
"""

import pennylane as qml
from pennylane import numpy as np

from case import write_case

M1 = np.array([[1.0, 2.0], [2.0, -0.5]])
M2 = np.array(
    [
        [0.5, 0.3, -1.0, 0.2],
        [0.3, -1.2, 0.7, 0.0],
        [-1.0, 0.7, 2.0, 0.4],
        [0.2, 0.0, 0.4, 0.1],
    ]
)


def entangle(a):
    qml.RY(a[0], wires=0)
    qml.RX(a[1], wires=1)
    qml.CNOT(wires=[0, 1])
    qml.RY(a[2], wires=2)
    qml.CNOT(wires=[1, 2])
    qml.RZ(a[3], wires=0)
    qml.Hadamard(wires=1)
    qml.CRY(a[4], wires=[2, 0])
    qml.RX(0.5 * a[5] - 0.2, wires=2)


ENTANGLE_QML = """qubits 3
param a[6]
circuit {
    ry(a[0]) 0
    rx(a[1]) 1
    cnot 0, 1
    ry(a[2]) 2
    cnot 1, 2
    rz(a[3]) 0
    h 1
    cry(a[4]) 2, 0
    rx(0.5 * a[5] - 0.2) 2
}
"""


def projectors(a):
    entangle(a)
    return [
        qml.expval(qml.Projector([0, 1], wires=[0, 1])),
        qml.expval(qml.Projector([1, 0, 1], wires=[2, 0, 1])),
        qml.expval(qml.Projector([1], wires=[1]) @ qml.Z(0) @ qml.X(2)),
        qml.var(qml.Projector([0, 0], wires=[1, 2])),
        qml.expval(0.7 * qml.Projector([0, 0, 0], wires=[0, 1, 2]) - 1.3 * qml.Y(0) @ qml.Projector([1, 1], wires=[1, 2]) + 0.4 * qml.X(1)),
        qml.var(qml.Projector([1], wires=[0]) @ qml.Projector([0], wires=[2]) + 0.5 * qml.Z(1)),
    ]


PROJECTORS_QML = (
    "// Projectors alone, on scrambled wires, in tensor products with Pauli words and in sums.\n"
    + ENTANGLE_QML
    + """measure expval(projector([0, 1], 0, 1)), expval(projector([1, 0, 1], 2, 0, 1))
measure expval(projector([1], 1) @ Z(0) @ X(2)), var(projector([0, 0], 1, 2))
measure expval(0.7 * projector([0, 0, 0], 0, 1, 2) - 1.3 * Y(0) @ projector([1, 1], 1, 2) + 0.4 * X(1))
measure var(projector([1], 0) @ projector([0], 2) + 0.5 * Z(1))
"""
)


def hermitians(a):
    entangle(a)
    return [
        qml.expval(qml.Hermitian(M1, wires=1)),
        qml.expval(qml.Hermitian(M2, wires=[2, 0])),
        qml.expval(qml.Hermitian(M1, wires=0) @ qml.X(1) @ qml.Hermitian(M1, wires=2)),
        qml.var(qml.Hermitian(M2, wires=[0, 1])),
        qml.var(0.5 * qml.Hermitian(M1, wires=2) - 2.0 * qml.Z(0) @ qml.Y(1) + qml.Hermitian(M2, wires=[1, 0])),
        qml.expval(1.5 * qml.Hermitian(M2, wires=[0, 2]) @ qml.Projector([1], wires=[1]) - 0.25 * qml.Z(2)),
    ]


HERMITIANS_QML = (
    "// Hermitian matrices alone, on scrambled wires, in tensor products and in sums.\n"
    + ENTANGLE_QML.replace(
        "param a[6]\n",
        "param a[6]\nconst m1 = [[1.0, 2.0], [2.0, -0.5]]\n"
        "const m2 = [[0.5, 0.3, -1.0, 0.2], [0.3, -1.2, 0.7, 0.0], [-1.0, 0.7, 2.0, 0.4], [0.2, 0.0, 0.4, 0.1]]\n",
    )
    + """measure expval(hermitian(m1, 1)), expval(hermitian(m2, 2, 0))
measure expval(hermitian(m1, 0) @ X(1) @ hermitian(m1, 2)), var(hermitian(m2, 0, 1))
measure var(0.5 * hermitian(m1, 2) - 2 * Z(0) @ Y(1) + hermitian(m2, 1, 0))
measure expval(1.5 * hermitian(m2, 0, 2) @ projector([1], 1) - 0.25 * Z(2))
"""
)


def kernel_projector(k):
    # A quantum kernel k(x, y) = |<0|U(y)† U(x)|0>|², the projector onto |0000> after U(x) U(y)†.
    for i in range(4):
        qml.RY(k[i], wires=i)
    for i in range(3):
        qml.CNOT(wires=[i, i + 1])
    for i in reversed(range(3)):
        qml.CNOT(wires=[i, i + 1])
    for i in range(4):
        qml.RY(-k[4 + i], wires=i)
    return [qml.expval(qml.Projector([0, 0, 0, 0], wires=[0, 1, 2, 3]))]


KERNEL_QML = """// A kernel's overlap: |<0|U(y)† U(x)|0>|² as the projector onto |0000>, x = k[0..4], y = k[4..8].
qubits 4
param k[8]
def feature(x[4]) {
    for i in 0..4 {
        ry(x[i]) i
    }
    for i in 0..3 {
        cnot i, i + 1
    }
}
circuit {
    feature(k[0..4]) 0..4
    adj { feature(k[4..8]) 0..4 }
}
measure expval(projector([0, 0, 0, 0], 0, 1, 2, 3))
"""


def check_against_finite_differences(name, n_qubits, values, body):
    """Backprop's Jacobian against central differences (step 1e-6) to 1e-7. PennyLane's
    parameter-shift transform cannot check these cases: it refuses the variance of a sum with a
    Hermitian term, and for the variance of a sum of projectors it returns a Jacobian that
    differs from backprop's and from finite differences by 0.045 (PennyLane 0.45.1), so the shift
    rules are checked in the Rust test, and the reference is backprop checked here."""
    dev = qml.device("default.qubit", wires=n_qubits)

    @qml.qnode(dev, diff_method="backprop")
    def circuit(x):
        return body(x)

    def outputs(x):
        return qml.math.hstack([qml.math.atleast_1d(value) for value in circuit(x)])

    x = np.array(values, requires_grad=True)
    jacobian = qml.jacobian(outputs)(x)
    step = 1e-6
    for index in range(len(values)):
        plus, minus = np.array(values, requires_grad=False), np.array(values, requires_grad=False)
        plus[index] += step
        minus[index] -= step
        column = (outputs(plus) - outputs(minus)) / (2 * step)
        assert np.allclose(jacobian[:, index], column, atol=1e-7), (name, index)


if __name__ == "__main__":
    A = [0.3, 0.7, 1.1, -0.4, 0.9, 0.25]
    check_against_finite_differences("projector_observables", 3, A, projectors)
    write_case("projector_observables", 3, "a", A, projectors, PROJECTORS_QML, check_shift_rules=False)
    check_against_finite_differences("hermitian_observables", 3, A, hermitians)
    write_case("hermitian_observables", 3, "a", A, hermitians, HERMITIANS_QML, check_shift_rules=False)
    write_case("kernel_projector", 4, "k", [0.1, 0.8, -0.5, 1.2, 0.3, 0.6, -0.2, 1.0], kernel_projector, KERNEL_QML)
