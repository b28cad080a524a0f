"""PennyLane references for the rest of LANGUAGE.md §10.4: u2, isingxy, pswap, fermionic_swap,
global_phase, pauli_rot and orbital_rotation, plain and under adj and ctrl, with several
measurements.

Run by hand with the pinned venv (PennyLane 0.45):
    benches/.venv/bin/python tests/conformance/gen/gates_more.py   (from the repository root)
It writes each case in the format of tests/conformance (see gen/case.py). Every gate here has a
PennyLane shift rule, so every case is checked with every gradient method.
"""

import pennylane as qml
from pennylane import numpy as np

from case import write_case


def two_wire_gates(a):
    qml.Hadamard(wires=0)
    qml.RY(a[0], wires=1)
    qml.RX(a[1], wires=2)
    qml.Hadamard(wires=3)
    qml.U2(a[0], a[2], wires=2)
    qml.IsingXY(a[1], wires=[0, 1])
    qml.PSWAP(a[3], wires=[1, 3])
    qml.FermionicSWAP(a[4], wires=[3, 0])
    qml.GlobalPhase(a[5])
    qml.ctrl(qml.GlobalPhase, control=2)(a[5] * 2)
    # adj { u2 1; isingxy 2, 3 }: the inverses in reverse order.
    qml.adjoint(qml.IsingXY)(a[2], wires=[2, 3])
    qml.adjoint(qml.U2)(a[3], a[1], wires=1)
    qml.ctrl(qml.PSWAP, control=0)(a[4], wires=[2, 3])
    qml.ctrl(qml.FermionicSWAP, control=1)(a[0], wires=[2, 0])
    qml.ctrl(qml.U2, control=3)(a[2], a[5], wires=1)
    qml.ctrl(qml.IsingXY, control=0)(a[3], wires=[1, 2])
    qml.adjoint(qml.GlobalPhase)(a[2], wires=1)
    qml.adjoint(qml.FermionicSWAP)(a[1], wires=[1, 3])
    qml.adjoint(qml.PSWAP)(a[5], wires=[0, 2])
    qml.ctrl(qml.GlobalPhase(a[1], wires=[2, 3]), control=[0, 1], control_values=[1, 1])
    qml.RY(a[4], wires=2)
    return [
        qml.expval(qml.Z(0) @ qml.X(1) + 0.5 * qml.Y(2) @ qml.Z(3) - 0.3 * qml.X(3)),
        qml.var(qml.Y(1)),
        qml.probs(wires=[0, 2]),
        qml.expval(qml.Z(0)),
    ]


TWO_WIRE_QML = """// u2, isingxy, pswap, fermionic_swap and global_phase, under adj and ctrl.
qubits 4
param a[6]
circuit {
    h 0
    ry(a[0]) 1
    rx(a[1]) 2
    h 3
    u2(a[0], a[2]) 2
    isingxy(a[1]) 0, 1
    pswap(a[3]) 1, 3
    fermionic_swap(a[4]) 3, 0
    global_phase(a[5])
    ctrl(2) {
        global_phase(a[5] * 2)
    }
    adj {
        u2(a[3], a[1]) 1
        isingxy(a[2]) 2, 3
    }
    ctrl(0) {
        pswap(a[4]) 2, 3
    }
    ctrl(1) {
        fermionic_swap(a[0]) 2, 0
    }
    ctrl(3) {
        u2(a[2], a[5]) 1
    }
    ctrl(0) {
        isingxy(a[3]) 1, 2
    }
    adj {
        pswap(a[5]) 0, 2
        fermionic_swap(a[1]) 1, 3
        global_phase(a[2]) 1
    }
    ctrl(0, 1) {
        global_phase(a[1]) 2, 3
    }
    ry(a[4]) 2
}
measure expval(Z(0) @ X(1) + 0.5 * Y(2) @ Z(3) - 0.3 * X(3)), var(Y(1)), probs(0, 2), expval(Z(0))
"""


def pauli_words(b):
    qml.RY(b[0], wires=0)
    qml.Hadamard(wires=1)
    qml.RX(b[1], wires=2)
    qml.RY(b[2], wires=3)
    qml.RX(b[3], wires=4)
    qml.PauliRot(b[0], "XYZ", wires=[0, 1, 2])
    qml.PauliRot(b[3], "YIXZ", wires=[3, 2, 1, 0])
    qml.PauliRot(2 * b[1], "Y", wires=4)
    qml.OrbitalRotation(b[4], wires=[0, 1, 2, 3])
    # adj { pauli_rot ZX 1, 4; orbital_rotation 3, 1, 4, 2 }: the inverses in reverse order.
    qml.adjoint(qml.OrbitalRotation)(b[3], wires=[3, 1, 4, 2])
    qml.adjoint(qml.PauliRot)(b[2], "ZX", wires=[1, 4])
    qml.ctrl(qml.PauliRot, control=0)(b[1], "XY", wires=[1, 2])
    qml.ctrl(qml.PauliRot, control=0)(b[4], "II", wires=[2, 3])
    qml.ctrl(qml.OrbitalRotation, control=2)(b[0], wires=[4, 3, 0, 1])
    qml.PauliRot(b[2], "ZZYX", wires=[4, 0, 1, 3])
    return [
        qml.expval(qml.X(0) @ qml.Z(2) - 0.7 * qml.Y(4)),
        qml.var(qml.Z(3) @ qml.X(1)),
        qml.probs(wires=[1, 4]),
    ]


PAULI_QML = """// pauli_rot on mixed words (I among them, and a word of I only under ctrl, a phase on the
// control) and orbital_rotation, under adj and ctrl.
qubits 5
param b[5]
circuit {
    ry(b[0]) 0
    h 1
    rx(b[1]) 2
    ry(b[2]) 3
    rx(b[3]) 4
    pauli_rot(b[0], "XYZ") 0, 1, 2
    pauli_rot(b[3], "YIXZ") 3, 2, 1, 0
    pauli_rot(2 * b[1], "Y") 4
    orbital_rotation(b[4]) 0, 1, 2, 3
    adj {
        pauli_rot(b[2], "ZX") 1, 4
        orbital_rotation(b[3]) 3, 1, 4, 2
    }
    ctrl(0) {
        pauli_rot(b[1], "XY") 1, 2
        pauli_rot(b[4], "II") 2, 3
    }
    ctrl(2) {
        orbital_rotation(b[0]) 4, 3, 0, 1
    }
    pauli_rot(b[2], "ZZYX") 4, 0, 1, 3
}
measure expval(X(0) @ Z(2) - 0.7 * Y(4)), var(Z(3) @ X(1)), probs(1, 4)
"""


def check_qasm_free_facts():
    """The facts the gate table states, checked against PennyLane once more."""
    phi, delta = 0.37, -1.21
    u2 = qml.matrix(qml.U2(phi, delta, wires=0))
    assert np.allclose(u2.conj().T, qml.matrix(qml.U2(np.pi - delta, np.pi - phi, wires=0)))
    assert np.allclose(
        qml.matrix(qml.OrbitalRotation(phi, wires=[0, 1, 2, 3])),
        qml.matrix(
            qml.prod(
                qml.FermionicSWAP(np.pi, wires=[1, 2]),
                qml.SingleExcitation(phi, wires=[2, 3]),
                qml.SingleExcitation(phi, wires=[0, 1]),
                qml.FermionicSWAP(np.pi, wires=[1, 2]),
            ),
            wire_order=[0, 1, 2, 3],
        ),
    )


if __name__ == "__main__":
    check_qasm_free_facts()
    # PennyLane 0.45.1's parameter shift cannot differentiate some controlled gates of these cases
    # (C(PSWAP) and C(U2): "no grad_recipe, parameter_frequencies or a generator"; C(PauliRot): a
    # TypeError), so its own parameter-shift Jacobian is not compared here. qmlc's rules for them
    # are exact (a controlled phase stays two-term, a controlled multirz is four-term), and
    # tests/it/conformance.rs checks them against these backprop numbers.
    write_case(
        "more_gates",
        4,
        "a",
        [0.31, -0.72, 1.13, 0.45, -1.37, 0.66],
        two_wire_gates,
        TWO_WIRE_QML,
        check_shift_rules=False,
    )
    write_case(
        "pauli_words", 5, "b", [0.52, -0.41, 0.93, 1.21, -0.67], pauli_words, PAULI_QML, check_shift_rules=False
    )
