"""OpenQASM 3 `gate` definitions, in stdgates.inc gates, of the §10.4 gates outside stdgates.inc,
checked to equal PennyLane's matrices including the global phase.

Run by hand, in two steps (PennyLane and Qiskit live in different venvs):
    benches/.venv/bin/python tests/conformance/qiskit/gate_definitions.py pennylane /tmp/gate_matrices.json
    target/qiskit-venv/bin/python tests/conformance/qiskit/gate_definitions.py qiskit /tmp/gate_matrices.json
The second step loads each definition with `qiskit.qasm3.loads`, takes its `Operator` (Qiskit's qubit
0 is the least significant bit, so the order of the qubits is reversed to compare) and prints the
largest entry-wise distance to PennyLane's matrix.
"""

import json
import sys

import numpy as np

PHI, DELTA = 0.37, -1.21

DEFINITIONS = {
    "u2": "gate u2_pl(p0, p1) q { p(p1) q; ry(pi/2) q; p(p0) q; }",
    "u2dg": "gate u2dg(p0, p1) q { p(p0) q; h q; p(p1) q; z q; }",
    "isingxy": "gate isingxy(p0) a, b { h a; cy a, b; ry(p0/2) a; rx(-p0/2) b; cy a, b; h a; }",
    "pswap": "gate pswap(p0) a, b { swap a, b; cx a, b; p(p0) b; cx a, b; }",
    "fermionic_swap": (
        "gate fermionic_swap(p0) a, b { h a; h b; cx a, b; rz(p0/2) b; cx a, b; h a; h b; "
        "rx(pi/2) a; rx(pi/2) b; cx a, b; rz(p0/2) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; "
        "rz(p0/2) a; rz(p0/2) b; gphase(p0/2); }"
    ),
    "global_phase": "gate global_phase(p0) a { gphase(-p0); }",
    "multirz3": "gate multirz3(p0) a, b, c { cx a, b; cx b, c; rz(p0) c; cx b, c; cx a, b; }",
    "single_excitation": "gate single_excitation(p0) a, b { cx a, b; cry(p0) b, a; cx a, b; }",
    "pauli_rot_xyz": (
        "gate multirz3(p0) a, b, c { cx a, b; cx b, c; rz(p0) c; cx b, c; cx a, b; }\n"
        "gate pauli_rot_xyz(p0) a, b, c { h a; rx(pi/2) b; multirz3(p0) a, b, c; h a; rx(-pi/2) b; }"
    ),
    "orbital_rotation": (
        "gate fermionic_swap(p0) a, b { h a; h b; cx a, b; rz(p0/2) b; cx a, b; h a; h b; "
        "rx(pi/2) a; rx(pi/2) b; cx a, b; rz(p0/2) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; "
        "rz(p0/2) a; rz(p0/2) b; gphase(p0/2); }\n"
        "gate single_excitation(p0) a, b { cx a, b; cry(p0) b, a; cx a, b; }\n"
        "gate orbital_rotation(p0) a, b, c, d { fermionic_swap(pi) b, c; single_excitation(p0) a, b; "
        "single_excitation(p0) c, d; fermionic_swap(pi) b, c; }"
    ),
}

# The gate each definition is applied as: its name, angles and qubit count.
CALLS = {
    "u2": ("u2_pl", [PHI, DELTA], 1),
    "u2dg": ("u2dg", [PHI, DELTA], 1),
    "isingxy": ("isingxy", [PHI], 2),
    "pswap": ("pswap", [PHI], 2),
    "fermionic_swap": ("fermionic_swap", [PHI], 2),
    "global_phase": ("global_phase", [PHI], 1),
    "multirz3": ("multirz3", [PHI], 3),
    "single_excitation": ("single_excitation", [PHI], 2),
    "pauli_rot_xyz": ("pauli_rot_xyz", [PHI], 3),
    "orbital_rotation": ("orbital_rotation", [PHI], 4),
}


def pennylane_matrices():
    import pennylane as qml

    def matrix(op, n):
        return qml.matrix(op, wire_order=list(range(n)))

    # u2dg(a, b) = U2(π + b, π + a): u2dg(−φ, −δ) is U2(φ, δ)†.
    matrices = {
        "u2": matrix(qml.U2(PHI, DELTA, wires=0), 1),
        "u2dg": matrix(qml.U2(np.pi + DELTA, np.pi + PHI, wires=0), 1),
        "isingxy": matrix(qml.IsingXY(PHI, wires=[0, 1]), 2),
        "pswap": matrix(qml.PSWAP(PHI, wires=[0, 1]), 2),
        "fermionic_swap": matrix(qml.FermionicSWAP(PHI, wires=[0, 1]), 2),
        "global_phase": matrix(qml.GlobalPhase(PHI, wires=[0]), 1),
        "multirz3": matrix(qml.MultiRZ(PHI, wires=[0, 1, 2]), 3),
        "single_excitation": matrix(qml.SingleExcitation(PHI, wires=[0, 1]), 2),
        "pauli_rot_xyz": matrix(qml.PauliRot(PHI, "XYZ", wires=[0, 1, 2]), 3),
        "orbital_rotation": matrix(qml.OrbitalRotation(PHI, wires=[0, 1, 2, 3]), 4),
    }
    return {name: [[[z.real, z.imag] for z in row] for row in m] for name, m in matrices.items()}


def check_with_qiskit(matrices):
    from qiskit import qasm3
    from qiskit.quantum_info import Operator

    worst = 0.0
    for key, definition in DEFINITIONS.items():
        name, angles, n = CALLS[key]
        args = ", ".join(repr(a) for a in angles)
        qubits = ", ".join(f"q[{k}]" for k in range(n))
        program = f'OPENQASM 3.0;\ninclude "stdgates.inc";\n{definition}\nqubit[{n}] q;\n{name}({args}) {qubits};\n'
        circuit = qasm3.loads(program)
        # Qiskit's qubit k is bit k from the right; reversing the qubits puts qubit 0 first.
        operator = Operator(circuit.reverse_bits()).data
        expected = np.array([[complex(re, im) for re, im in row] for row in matrices[key]])
        distance = np.max(np.abs(operator - expected))
        worst = max(worst, distance)
        print(f"{key:18} {distance:.2e}")
    assert worst < 1e-12, worst
    print("every definition equals PennyLane's matrix, global phase included")


if __name__ == "__main__":
    step, path = sys.argv[1], sys.argv[2]
    if step == "pennylane":
        with open(path, "w") as out:
            json.dump(pennylane_matrices(), out)
    else:
        with open(path) as source:
            check_with_qiskit(json.load(source))
