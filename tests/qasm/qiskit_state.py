"""The states Qiskit computes for OpenQASM 3 programs that `qmlc export` wrote.

Reads a JSON list of {"name": ..., "qasm": ...} from the file named on the command line and prints
a JSON list of {"name": ..., "re": [...], "im": [...]} (or {"name": ..., "error": "..."}) in the
same order. Each program is read with Qiskit's OpenQASM 3 importer (`qiskit.qasm3.loads`, which
uses qiskit-qasm3-import) after its `pragma` lines are removed, since that importer rejects them,
and simulated with `qiskit.quantum_info.Statevector`. The amplitudes are given in qmlc's order
(wire 0 the most significant bit) through `reverse_qargs()`. An `input` left in the program is an
error: the test gives every value.

Run by tests/it/qasm_export.rs with the Python that `tests/it/qiskit.rs` finds.
"""

import json
import sys

import qiskit.qasm3
from qiskit.quantum_info import Statevector


def state(program):
    text = "\n".join(line for line in program.splitlines() if not line.lstrip().startswith("pragma"))
    circuit = qiskit.qasm3.loads(text)
    if circuit.parameters:
        raise ValueError("unbound inputs: " + ", ".join(p.name for p in circuit.parameters))
    amplitudes = Statevector(circuit).reverse_qargs().data
    return [float(a.real) for a in amplitudes], [float(a.imag) for a in amplitudes]


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        cases = json.load(handle)
    results = []
    for case in cases:
        try:
            re, im = state(case["qasm"])
            results.append({"name": case["name"], "re": re, "im": im})
        except Exception as error:  # Every failure is reported against its case, not raised.
            results.append({"name": case["name"], "error": f"{type(error).__name__}: {error}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
