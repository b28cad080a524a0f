"""What the PennyLane generators share: compute a case's outputs and Jacobian on default.qubit and
write it to tests/conformance in the format tests/conformance/README.md describes.

A case is a .qml program and the same circuit as a PennyLane function of one flat param array.
"""

import json
import pathlib

import pennylane as qml
from pennylane import numpy as np

CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent


def nested_floats(array):
    """An array as nested lists of Python floats, for JSON (a Jacobian of any rank)."""
    if np.ndim(array) == 0:
        return float(array)
    return [nested_floats(row) for row in array]


def write_case(name, n_qubits, param, values, body, source, check_shift_rules=True, methods=None):
    """Runs `body(x)` (a list of PennyLane measurements) at `values`, and writes NAME.qml,
    NAME.params.json (`{param: values}`), NAME.input.json (empty) and NAME.expected.json.
    `values` may be nested (a param of several dimensions); the Jacobian then has shape
    [n_outputs] + shape(values).

    The Jacobian comes from backprop; with `check_shift_rules` PennyLane's own parameter-shift
    Jacobian must agree with it to 1e-10 before the numbers are kept. `methods`, when given, lists
    the gradient methods the Rust test applies (for gates without a shift rule)."""
    dev = qml.device("default.qubit", wires=n_qubits)

    def outputs_with(diff_method):
        @qml.qnode(dev, diff_method=diff_method)
        def circuit(x):
            return body(x)

        return lambda x: qml.math.hstack([qml.math.atleast_1d(value) for value in circuit(x)])

    x = np.array(values, requires_grad=True)
    outputs = outputs_with("backprop")
    out = outputs(x)
    jacobian = qml.jacobian(outputs)(x)
    if check_shift_rules:
        shifted = qml.jacobian(outputs_with("parameter-shift"))(x)
        assert np.allclose(jacobian, shifted, atol=1e-10), name
    (CONFORMANCE / f"{name}.qml").write_text(source)
    (CONFORMANCE / f"{name}.params.json").write_text(json.dumps({param: values}) + "\n")
    (CONFORMANCE / f"{name}.input.json").write_text("{}\n")
    expected = {
        "pennylane": qml.__version__,
        "outputs": [float(v) for v in out],
        "jacobian": {param: nested_floats(jacobian)},
    }
    if methods is not None:
        expected["methods"] = list(methods)
    (CONFORMANCE / f"{name}.expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(name, len(out), "outputs")
