"""The state each OpenQASM file prepares, by qiskit-aer, in qmlc's bit order (tests/it/qasm_import.rs).

Reads a JSON list on stdin, one object per file: {"path": FILE, "params": {NAME: VALUE, ...}}.
OpenQASM 3 files (an `OPENQASM 3` line) load with qiskit.qasm3.loads, the rest with
qiskit.qasm2.loads and Qiskit's extended qelib1.inc (LEGACY_CUSTOM_INSTRUCTIONS). Inputs are bound
to the given values, final measurements removed, and the circuit transpiled (at optimization
level 0) for and run on AerSimulator(method="statevector"). Prints one JSON object:
{"states": [{"path": FILE, "re": [...], "im": [...]} or {"path": FILE, "error": TEXT}, ...]},
amplitudes with qubit 0 as the most significant bit, as qmlc and PennyLane order them.

All files run in this one process, so Qiskit is imported once for the whole corpus.
"""

import json
import re
import sys

import numpy as np
import qiskit.qasm2
import qiskit.qasm3
from qiskit import transpile
from qiskit_aer import AerSimulator


def load(text):
    if re.search(r"^\s*OPENQASM\s+3", text, re.MULTILINE):
        return qiskit.qasm3.loads(text)
    return qiskit.qasm2.loads(text, custom_instructions=qiskit.qasm2.LEGACY_CUSTOM_INSTRUCTIONS)


def state(path, params, simulator):
    with open(path, encoding="utf-8") as file:
        circuit = load(file.read())
    if circuit.parameters:
        circuit = circuit.assign_parameters({p: params[p.name] for p in circuit.parameters})
    circuit = circuit.remove_final_measurements(inplace=False)
    circuit.save_statevector()
    # Level 0: higher levels elide a final swap into the layout, which permutes the state returned.
    compiled = transpile(circuit, simulator, optimization_level=0)
    vector = np.asarray(simulator.run(compiled).result().get_statevector())
    n = circuit.num_qubits
    # Qiskit's qubit 0 is the least significant bit; reversing the axes makes it the most.
    amplitudes = vector.reshape([2] * n).transpose(list(range(n))[::-1]).ravel()
    return {"path": path, "re": amplitudes.real.tolist(), "im": amplitudes.imag.tolist()}


def main():
    simulator = AerSimulator(method="statevector")
    states = []
    for case in json.load(sys.stdin):
        try:
            states.append(state(case["path"], case.get("params", {}), simulator))
        except Exception as error:  # noqa: BLE001 - reported to the test, which names the file
            states.append({"path": case["path"], "error": f"{type(error).__name__}: {error}"})
    json.dump({"states": states}, sys.stdout)


if __name__ == "__main__":
    main()
