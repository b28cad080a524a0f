"""Times qmlc against PennyLane (default.qubit, lightning.qubit) and qulacs on the same workloads.

Usage: compare.py QMLC [--quick]

Workloads:
  train   the hybrid classifier of examples/hybrid_classifier.qml: 4 qubits, two angle embeddings,
          3 strongly entangling layers, <Z> on each qubit, a linear head to 2 logits, cross-entropy,
          Adam, 150 two-moons training rows in batches of 32. Reported per epoch.
  train8  benches/models/sel8_train.qml: 8 qubits, angle embedding, 4 strongly entangling layers,
          <Z> on each qubit, a linear head to 2 logits, cross-entropy, Adam, all 256 rows of the
          8-bit parity set in one batch; reported per epoch, qmlc on 1 and on 2 threads.
  jac16   the Jacobian of benches/models/sel16.qml: 16 qubits, angle embedding, 2 strongly
          entangling layers, 16 outputs <Z_i>, 96 params; one input.

qmlc is timed as a whole process (start-up and compilation included); the Python libraries are
timed inside one interpreter after a warm-up call, which favours them.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def moons(samples, noise, seed):
    rng = np.random.default_rng(seed)
    n_out = samples // 2
    n_in = samples - n_out
    outer = np.stack([np.cos(np.linspace(0, math.pi, n_out)), np.sin(np.linspace(0, math.pi, n_out))], 1)
    inner = np.stack([1 - np.cos(np.linspace(0, math.pi, n_in)), 1 - np.sin(np.linspace(0, math.pi, n_in)) - 0.5], 1)
    x = np.concatenate([outer, inner]) + rng.normal(0, noise, (samples, 2))
    y = np.concatenate([np.zeros(n_out, int), np.ones(n_in, int)])
    order = rng.permutation(samples)
    x, y = x[order], y[order]
    x = (x - x.min(0)) / (x.max(0) - x.min(0)) * math.pi
    return x[:150], y[:150]


def time_qmlc_train(qmlc):
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = subprocess.run(
            [qmlc, "train", os.path.join(ROOT, "examples/hybrid_classifier.qml"), "--format", "json", "--out", os.path.join(tmp, "p.json")],
            check=True, capture_output=True, text=True,
        )
        total = time.perf_counter() - start
    epochs = sum(1 for line in out.stdout.splitlines() if '"epoch"' in line)
    return total / epochs


def time_qmlc_train8(qmlc, threads):
    with tempfile.TemporaryDirectory() as tmp:
        environment = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        start = time.perf_counter()
        out = subprocess.run(
            [qmlc, "train", os.path.join(HERE, "models/sel8_train.qml"), "--format", "json", "--out", os.path.join(tmp, "p.json")],
            check=True, capture_output=True, text=True, env=environment,
        )
        total = time.perf_counter() - start
    epochs = sum(1 for line in out.stdout.splitlines() if '"epoch"' in line)
    return total / epochs


def time_pennylane_train8(epochs):
    """The train8 model in PennyLane default.qubit with backprop, the batch broadcast."""
    import pennylane as qml
    from pennylane import numpy as pnp

    bits = np.array([[(row >> (7 - i)) & 1 for i in range(8)] for row in range(256)], dtype=float)
    x_train = bits * math.pi
    y_train = bits.sum(axis=1).astype(int) % 2
    dev = qml.device("default.qubit", wires=8)

    @qml.qnode(dev, diff_method="backprop")
    def circuit(x, w):
        qml.AngleEmbedding(x, wires=range(8), rotation="Y")
        qml.StronglyEntanglingLayers(w, wires=range(8))
        return [qml.expval(qml.PauliZ(i)) for i in range(8)]

    def cost(w, weight, bias, x, y):
        z = pnp.stack(circuit(x, w))  # (8, batch)
        logits = weight @ z + bias[:, None]
        log_norm = pnp.log(pnp.sum(pnp.exp(logits), axis=0))
        picked = logits[y, pnp.arange(len(y))]
        return pnp.mean(log_norm - picked)

    rng = np.random.default_rng(0)
    w = pnp.array(rng.normal(0, 0.1, (4, 8, 3)), requires_grad=True)
    weight = pnp.array(rng.uniform(-0.5, 0.5, (2, 8)), requires_grad=True)
    bias = pnp.array(rng.uniform(-0.5, 0.5, 2), requires_grad=True)
    opt = qml.AdamOptimizer(0.01)
    x = pnp.array(x_train, requires_grad=False)
    (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, x, y_train)
    start = time.perf_counter()
    for _ in range(epochs):
        (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, x, y_train)
    return (time.perf_counter() - start) / epochs


def time_pennylane_train(device_name, diff_method, epochs):
    import pennylane as qml
    from pennylane import numpy as pnp

    x_train, y_train = moons(200, 0.1, 7)
    dev = qml.device(device_name, wires=4)

    @qml.qnode(dev, diff_method=diff_method)
    def circuit(x, w):
        qml.AngleEmbedding(x, wires=[0, 1], rotation="Y")
        qml.AngleEmbedding(x, wires=[2, 3], rotation="Y")
        qml.StronglyEntanglingLayers(w, wires=range(4))
        return [qml.expval(qml.PauliZ(i)) for i in range(4)]

    def cost(w, weight, bias, x, y):
        z = pnp.stack(circuit(x, w))  # (4, batch): the batch is broadcast in one execution
        logits = weight @ z + bias[:, None]  # (2, batch)
        log_norm = pnp.log(pnp.sum(pnp.exp(logits), axis=0))
        picked = logits[y, pnp.arange(len(y))]
        return pnp.mean(log_norm - picked)

    rng = np.random.default_rng(0)
    w = pnp.array(rng.normal(0, 0.1, (3, 4, 3)), requires_grad=True)
    weight = pnp.array(rng.uniform(-0.5, 0.5, (2, 4)), requires_grad=True)
    bias = pnp.array(rng.uniform(-0.5, 0.5, 2), requires_grad=True)
    opt = qml.AdamOptimizer(0.01)
    batches = [(x_train[i:i + 32], y_train[i:i + 32]) for i in range(0, len(x_train), 32)]
    # Warm-up: the first call builds and caches what later calls reuse.
    (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, pnp.array(batches[0][0], requires_grad=False), batches[0][1])
    start = time.perf_counter()
    for _ in range(epochs):
        for x, y in batches:
            (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, pnp.array(x, requires_grad=False), y)
    return (time.perf_counter() - start) / epochs


def sel16_values():
    rng = np.random.default_rng(1)
    return rng.uniform(0, math.pi, 16), rng.uniform(0, 2 * math.pi, (2, 16, 3))


def time_qmlc_jac16(qmlc, repeats):
    x, w = sel16_values()
    with tempfile.TemporaryDirectory() as tmp:
        params = os.path.join(tmp, "p.json")
        with open(params, "w") as f:
            json.dump({"w": w.tolist()}, f)
        argument = "x=" + ",".join(str(v) for v in x)
        best = math.inf
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(
                [qmlc, "grad", os.path.join(HERE, "models/sel16.qml"), "--params", params, "--input", argument,
                 "--method", "adjoint", "--format", "json"],
                check=True, capture_output=True,
            )
            best = min(best, time.perf_counter() - start)
    return best


def time_pennylane_jac16(device_name, diff_method, repeats):
    import pennylane as qml
    from pennylane import numpy as pnp

    x, w = sel16_values()
    dev = qml.device(device_name, wires=16)

    @qml.qnode(dev, diff_method=diff_method)
    def circuit(w):
        qml.AngleEmbedding(x, wires=range(16), rotation="Y")
        qml.StronglyEntanglingLayers(w, wires=range(16))
        return [qml.expval(qml.PauliZ(i)) for i in range(16)]

    jacobian = qml.jacobian(lambda w: pnp.stack(circuit(w)))
    w = pnp.array(w, requires_grad=True)
    jacobian(w)
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        jacobian(w)
        best = min(best, time.perf_counter() - start)
    return best


def time_qulacs_jac16(repeats):
    from qulacs import Observable, ParametricQuantumCircuit, QuantumState

    x, w = sel16_values()
    n = 16
    circuit = ParametricQuantumCircuit(n)
    for i in range(n):
        circuit.add_RY_gate(i, x[i])
    for layer in range(2):
        for i in range(n):
            circuit.add_parametric_RZ_gate(i, w[layer, i, 0])
            circuit.add_parametric_RY_gate(i, w[layer, i, 1])
            circuit.add_parametric_RZ_gate(i, w[layer, i, 2])
        r = (layer % (n - 1)) + 1
        for i in range(n):
            circuit.add_CNOT_gate(i, (i + r) % n)
    observables = []
    for i in range(n):
        observable = Observable(n)
        observable.add_operator(1.0, f"Z {i}")
        observables.append(observable)

    def jacobian():
        state = QuantumState(n)
        circuit.update_quantum_state(state)
        values = [o.get_expectation_value(state) for o in observables]
        return values, [circuit.backprop(o) for o in observables]

    jacobian()
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        jacobian()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    qmlc = os.path.abspath(sys.argv[1])
    quick = "--quick" in sys.argv
    rows = []
    qmlc_epoch = time_qmlc_train(qmlc)
    rows.append(("train (s per epoch)", "qmlc", qmlc_epoch))
    rows.append(("train (s per epoch)", "PennyLane default.qubit (backprop)", time_pennylane_train("default.qubit", "backprop", 1 if quick else 3)))
    rows.append(("train (s per epoch)", "PennyLane lightning.qubit (adjoint)", time_pennylane_train("lightning.qubit", "adjoint", 1 if quick else 3)))
    rows.append(("train8 (s per epoch)", "qmlc (2 threads)", time_qmlc_train8(qmlc, 2)))
    rows.append(("train8 (s per epoch)", "qmlc (1 thread)", time_qmlc_train8(qmlc, 1)))
    rows.append(("train8 (s per epoch)", "PennyLane default.qubit (backprop)", time_pennylane_train8(1 if quick else 3)))
    repeats = 1 if quick else 3
    rows.append(("jac16 (s per Jacobian)", "qmlc", time_qmlc_jac16(qmlc, repeats)))
    rows.append(("jac16 (s per Jacobian)", "PennyLane default.qubit (backprop)", time_pennylane_jac16("default.qubit", "backprop", 1)))
    rows.append(("jac16 (s per Jacobian)", "PennyLane lightning.qubit (adjoint)", time_pennylane_jac16("lightning.qubit", "adjoint", repeats)))
    rows.append(("jac16 (s per Jacobian)", "qulacs (backprop, one per output)", time_qulacs_jac16(repeats)))

    print(f"{'workload':<24} {'engine':<38} {'seconds':>10} {'qmlc is … × faster':>20}")
    baseline = {}
    for workload, engine, seconds in rows:
        # The first qmlc row of a workload is the one the others are compared with.
        if engine.startswith("qmlc") and workload not in baseline:
            baseline[workload] = seconds
        ratio = seconds / baseline[workload]
        shown = "" if engine.startswith("qmlc") else f"{ratio:.1f}"
        print(f"{workload:<24} {engine:<38} {seconds:>10.4f} {shown:>20}")


if __name__ == "__main__":
    main()
