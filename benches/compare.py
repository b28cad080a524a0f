"""Times qmlc against its peers (PennyLane default.qubit and lightning.qubit, qulacs) on the five
workloads of issue 11 and a small sixth one, each against its peer in the same run.

Usage: compare.py QMLC [--quick] [--only NAME[,NAME…]] [--json FILE]

  --quick   fewer repeats (one of each, a few for run4): for iterating, not for reporting
  --only    run only these workloads (names below), e.g. --only grad,forward
  --json    also write every figure of the table (and the run's settings) to FILE

Workloads (NAME: what is timed; the peers; the issue's target):
  train    examples/hybrid_classifier.qml, the seed model: 4 qubits, two angle embeddings on Y,
           3 strongly entangling layers, <Z> on each qubit, a linear head to 2 logits,
           cross-entropy, Adam, 150 two-moons training rows in batches of 32, 50 epochs; reported
           per epoch. Peers: PennyLane default.qubit with backprop and the batch broadcast (its
           fastest configuration) and lightning.qubit with the adjoint method, the same model,
           data size and batches. Target: qmlc >= 100x faster than default.qubit.
  grad     benches/models/sel_grad{12,16,20}.qml: the gradient of ONE output, <Z_0 + ... + Z_{n-1}>
           (a sum observable), after angle embedding on Y and 4 strongly entangling layers, at 12,
           16 and 20 qubits (4*n*3 params), `qmlc grad --method adjoint`. Peer: lightning.qubit,
           diff_method="adjoint", qml.grad of the qnode with respect to the weights; for context
           also default.qubit with backprop at 12 and 16 qubits (one repeat; skipped at 20, where a
           call takes about 10 s and 4 GiB). Target: qmlc/lightning <= 0.5 at every size.
  jac16    benches/models/sel16.qml: the 16-output x 96-param Jacobian (16 qubits, angle
           embedding, 2 strongly entangling layers, <Z_i> for every i), `qmlc grad --method
           adjoint`. Peers: lightning.qubit adjoint (qml.jacobian), default.qubit backprop (one
           repeat), qulacs (ParametricQuantumCircuit.backprop, once per output). Target:
           qmlc/lightning <= 0.5.
  forward  benches/models/ring_forward{16,20,22,24}.qml: 5 layers of (ry on every wire, then a cnot
           ring i -> i+1 mod n), 10*n gates, <Z_0>, `qmlc run` on 1 and 2 threads
           (RAYON_NUM_THREADS). Peer: qulacs, a QuantumCircuit of the same RY and CNOT gates,
           update_quantum_state from |0...0> plus the expectation of Z_0, on 1 and 2 threads
           (OMP_NUM_THREADS, set before qulacs is imported: each configuration runs in its own
           process). In the same run, one read-and-write pass over a 2^n complex128 state:
           numpy's np.multiply(a, 1j, out=a) over the whole array (16 * 2^n bytes read and as many
           written), on 1 thread and on 2 threads (two halves, numpy releases the GIL; at 16
           qubits handing the halves to the threads costs more than the pass itself). Targets:
           qmlc faster than qulacs at every size and thread count, and qmlc's time per gate (its
           whole process time / 10*n gates, e.g. / 220 at n = 22) below one such pass.
  train8   benches/models/sel8_train.qml: 8 qubits, angle embedding, 4 strongly entangling
           layers, <Z> on each qubit, a linear head to 2 logits, cross-entropy, Adam, all 256 rows
           of the 8-bit parity set in one batch, 10 epochs; per epoch, qmlc on 1 and 2 threads.
           Peer: default.qubit with backprop and the batch broadcast. Target: qmlc (2 threads)
           >= 20x faster, and 2 threads about twice as fast as 1.
  run4     `qmlc run examples/hybrid_classifier.qml --input x=0.1,0.2` as a whole process (4
           qubits). Target: under 5 ms.

How things are timed. qmlc is always timed as a whole process (start-up, parsing, compilation,
state allocation and output included), from before the fork to after the exit. The Python peers
are timed inside their own interpreter, around the computation only, after a warm-up call (except
qulacs and the numpy pass at 22 and 24 qubits, where a warm-up would cost as much as a repeat and
there is nothing to compile or cache): this favours the peers. Every time is the best (minimum) of
the repeats; training workloads are total time / epochs.

Peak memory ("peak RSS" in the table) is the peak resident set size (ru_maxrss) of the process
that did the work. For qmlc it is the qmlc process itself, the largest over the repeats, from
os.wait4; a child's ru_maxrss also counts the memory it had before its exec, a copy of this
script's, so when a qmlc run stays below this script's own peak (about 35 MiB: Python and numpy)
one more run under GNU time (/usr/bin/time, which forks qmlc from its own small process) measures
it, and without GNU time the table shows "-". For a peer it is the whole Python process that ran
that one peer configuration (every peer configuration runs in its own fresh interpreter,
`compare.py --peer NAME ARGS`, under GNU time when there is one), so it includes the interpreter,
numpy, the peer library and everything they import (PennyLane alone is over 100 MiB), not only
the simulator's state.

Checks. Where it is cheap, both sides compute the same numbers from the same params, and the run
says how far apart they are (the largest absolute difference; "ok" when <= 1e-8, and the script
exits with status 1 otherwise): grad compares the whole gradient, jac16 the whole Jacobian (against
every peer), forward the <Z_0> value. train and train8 are not compared (both sides do the same
work per epoch, but from different initial params and in a different batch order).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = ["train", "grad", "jac16", "forward", "train8", "run4"]  # in the order they run
TOLERANCE = 1e-8
GRAD_SIZES = [12, 16, 20]
FORWARD_SIZES = [16, 20, 22, 24]
THREAD_COUNTS = [1, 2]
# PennyLane's and lightning's own thread use is left as it comes (OpenMP's default: every CPU).
PEER_THREADS = f"default ({os.cpu_count()})"


# ---------------------------------------------------------------------------------------------
# Rows of the table
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: one engine's time (or a skip) on one workload and size."""

    workload: str
    engine: str
    threads: str
    unit: str
    seconds: float | None
    peak_bytes: int | None = None
    repeats: int = 1
    # How qmlc compares with this row: the row of qmlc it is compared with (by index), and the
    # issue's target for that comparison.
    baseline: int | None = None
    target: tuple | None = None
    check: str = ""
    check_ok: bool = True
    note: str = ""
    # The forward workload's time per gate (its time / 10 n gates).
    per_gate: float | None = None
    # Filled in by finish(), as printed: the ratio (a peer's time / its qmlc row's, or for a pass
    # over the state, qmlc's time per gate / the pass) and the verdict on the target.
    versus: str = ""
    verdict: str = ""
    ratio: float | None = None
    target_met: bool | None = None


def finish(rows):
    """Computes every row's ratio with its qmlc baseline and the verdict on its target."""
    for row in rows:
        if row.seconds is None:
            continue
        per_gate_target = row.target is not None and row.target[0] == "per_gate"
        if row.baseline is not None and not per_gate_target:
            base = rows[row.baseline]
            row.ratio = row.seconds / base.seconds
            row.versus = f"{row.ratio:.2f}x"
        if row.target is None:
            continue
        kind, value = row.target[0], row.target[1]
        if kind == "faster":
            # qmlc is at least `value` times faster than this peer; a target of 1x means faster.
            row.target_met = row.ratio > value if value == 1 else row.ratio >= value
            row.verdict = f"{'>' if value == 1 else '>='} {value:g}x"
        elif kind == "fraction":
            # qmlc takes at most `value` of this peer's time.
            fraction = 1 / row.ratio
            row.target_met = fraction <= value
            row.verdict = f"qmlc/peer {fraction:.2f} <= {value:g}"
        elif kind == "below":
            # This qmlc row itself takes under `value` seconds.
            row.target_met = row.seconds < value
            row.verdict = f"< {format_seconds(value)}"
        elif kind == "per_gate":
            # This row is one pass over the state; qmlc's time per gate must be below it.
            per_gate = rows[row.baseline].per_gate
            row.ratio = per_gate / row.seconds
            row.target_met = per_gate < row.seconds
            row.verdict = f"qmlc per gate = {row.ratio:.2f} passes"
        row.verdict += ": met" if row.target_met else ": MISSED"


def format_seconds(seconds):
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def format_bytes(count):
    return "-" if count is None else f"{count / 2**20:.1f} MiB"


def print_table(rows):
    header = ("workload", "engine", "thr", "time", "per", "per gate", "peak RSS", "peer/qmlc", "target", "check")
    cells = [header]
    for row in rows:
        time_text = format_seconds(row.seconds) if row.seconds is not None else "skipped"
        cells.append((
            row.workload, row.engine, row.threads, time_text, row.unit,
            format_seconds(row.per_gate) if row.per_gate is not None else "", format_bytes(row.peak_bytes),
            row.versus, row.verdict, row.check,
        ))
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    for index, line in enumerate(cells):
        print("  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    notes = [(row.workload, row.engine, row.note) for row in rows if row.note]
    if notes:
        print()
        for workload, engine, note in notes:
            print(f"{workload}, {engine}: {note}")


# ---------------------------------------------------------------------------------------------
# Running processes and measuring their peak memory
# ---------------------------------------------------------------------------------------------


def run_measured(command, environment=None):
    """Runs a command to its end; returns (wall seconds, peak RSS in bytes or None, stdout).

    The peak is the child's ru_maxrss from os.wait4. The kernel counts in it the memory the child
    had before its exec, which is this Python process's (the child starts as its copy), so a
    child that stays below this process's own peak reports this process's peak instead of its
    own: the peak is then unknown (None) and only bounded by this process's.
    """
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=environment)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.stdout.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{message}")
    # Linux reports ru_maxrss in KiB. The margin covers this process's growth since it looked.
    peak = usage.ru_maxrss if usage.ru_maxrss > own_peak * 1.05 + 1024 else None
    return seconds, None if peak is None else peak * 1024, output.decode()


GNU_TIME = "/usr/bin/time"


def peak_by_gnu_time(command, environment):
    """The peak RSS of a command run under GNU time, which forks it from its own small process."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", report.name] + command, env=environment, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(report.read().split()[-1]) * 1024


def run_qmlc(qmlc, arguments, repeats, threads=None):
    """Times `qmlc ARGUMENTS` as a whole process: (best seconds, peak RSS bytes, last stdout).

    When a run's peak hides below this process's own (see run_measured), one more run under GNU
    time measures it; without GNU time the peak is None.
    """
    environment = dict(os.environ)
    if threads is not None:
        environment["RAYON_NUM_THREADS"] = str(threads)
    best, peak, known, output = math.inf, 0, True, ""
    for _ in range(repeats):
        seconds, rss, output = run_measured([qmlc] + arguments, environment)
        best = min(best, seconds)
        if rss is None:
            known = False
        else:
            peak = max(peak, rss)
    if not known:
        peak = peak_by_gnu_time([qmlc] + arguments, environment)
    return best, peak, output


def run_peer(name, threads=None, **arguments):
    """Runs one peer measurement in a fresh interpreter: (its result dict, its peak RSS bytes).

    The peer times itself, so the process runs under GNU time when there is one, which measures
    its peak exactly (see run_measured for why wait4 alone may not).
    """
    environment = dict(os.environ)
    if threads is not None:
        environment["OMP_NUM_THREADS"] = str(threads)
    command = [sys.executable, os.path.abspath(__file__), "--peer", name, json.dumps(arguments)]
    if not os.access(GNU_TIME, os.X_OK):
        _, rss, output = run_measured(command, environment)
        return json.loads(output.strip().splitlines()[-1]), rss
    with tempfile.NamedTemporaryFile("r") as report:
        _, _, output = run_measured([GNU_TIME, "-f", "%M", "-o", report.name] + command, environment)
        rss = int(report.read().split()[-1]) * 1024
    return json.loads(output.strip().splitlines()[-1]), rss


def compare_values(ours, theirs):
    """The check column: the largest absolute difference between two arrays of numbers."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    if ours.size != theirs.size:
        return f"sizes {ours.size} vs {theirs.size}: MISMATCH", False
    difference = float(np.max(np.abs(ours.ravel() - theirs.ravel())))
    ok = difference <= TOLERANCE
    return f"max |diff| {difference:.1e} {'ok' if ok else 'MISMATCH'}", ok


def write_json_file(path, content):
    with open(path, "w") as file:
        json.dump(content, file)


# ---------------------------------------------------------------------------------------------
# The workloads' data, shared by both sides (each process recomputes it from the same seed)
# ---------------------------------------------------------------------------------------------


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


def sel_values(qubits, layers, seed):
    """Features x[qubits] and strongly-entangling weights w[layers, qubits, 3]."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0, math.pi, qubits), rng.uniform(0, 2 * math.pi, (layers, qubits, 3))


def forward_values(qubits):
    return np.random.default_rng(qubits).uniform(0, 2 * math.pi, (5, qubits))


def input_argument(x):
    # repr() of a float round-trips exactly, so qmlc sees the very same features.
    return "x=" + ",".join(repr(float(v)) for v in x)


# ---------------------------------------------------------------------------------------------
# Peers: each runs in its own interpreter (`compare.py --peer NAME ARGS`) and returns a dict
# ---------------------------------------------------------------------------------------------

PEERS = {}


def peer(function):
    PEERS[function.__name__] = function
    return function


def best_time(function, repeats, warm_up=True):
    """Best of `repeats` calls (after one warm-up call if asked), and the last call's result."""
    result = function() if warm_up else None
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


@peer
def pennylane_train(device, diff_method, epochs):
    """The seed model in PennyLane, the batch broadcast; seconds per epoch."""
    import pennylane as qml
    from pennylane import numpy as pnp

    x_train, y_train = moons(200, 0.1, 7)
    dev = qml.device(device, wires=4)

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
    batches = [(pnp.array(x_train[i:i + 32], requires_grad=False), y_train[i:i + 32]) for i in range(0, len(x_train), 32)]
    # Warm-up: the first call builds and caches what later calls reuse.
    (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, *batches[0])
    start = time.perf_counter()
    for _ in range(epochs):
        for x, y in batches:
            (w, weight, bias, _, _) = opt.step(cost, w, weight, bias, x, y)
    return {"seconds": (time.perf_counter() - start) / epochs}


@peer
def pennylane_train8(epochs):
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
    return {"seconds": (time.perf_counter() - start) / epochs}


@peer
def pennylane_grad(device, diff_method, qubits, repeats):
    """The gradient of <sum_i Z_i> after embedding and 4 SEL layers, w.r.t. the weights."""
    import pennylane as qml
    from pennylane import numpy as pnp

    x, w = sel_values(qubits, 4, qubits)
    dev = qml.device(device, wires=qubits)
    observable = qml.sum(*(qml.PauliZ(i) for i in range(qubits)))

    @qml.qnode(dev, diff_method=diff_method)
    def circuit(w):
        qml.AngleEmbedding(x, wires=range(qubits), rotation="Y")
        qml.StronglyEntanglingLayers(w, wires=range(qubits))
        return qml.expval(observable)

    gradient = qml.grad(circuit)
    w = pnp.array(w, requires_grad=True)
    seconds, values = best_time(lambda: gradient(w), repeats)
    return {"seconds": seconds, "values": np.asarray(values).ravel().tolist()}


@peer
def pennylane_jac16(device, diff_method, repeats):
    """The 16 x 96 Jacobian of sel16.qml's outputs w.r.t. its weights."""
    import pennylane as qml
    from pennylane import numpy as pnp

    x, w = sel_values(16, 2, 1)
    dev = qml.device(device, wires=16)

    @qml.qnode(dev, diff_method=diff_method)
    def circuit(w):
        qml.AngleEmbedding(x, wires=range(16), rotation="Y")
        qml.StronglyEntanglingLayers(w, wires=range(16))
        return [qml.expval(qml.PauliZ(i)) for i in range(16)]

    jacobian = qml.jacobian(lambda w: pnp.stack(circuit(w)))
    w = pnp.array(w, requires_grad=True)
    # default.qubit's backprop takes seconds here: one call, no warm-up.
    seconds, values = best_time(lambda: jacobian(w), repeats, warm_up=device != "default.qubit")
    return {"seconds": seconds, "values": np.asarray(values).ravel().tolist()}


@peer
def qulacs_jac16(repeats):
    """The same Jacobian by qulacs: one forward pass, then one backprop per output.

    qulacs' rotations are exp(+i theta P / 2), PennyLane's and qmlc's exp(-i theta P / 2): the
    circuit takes the negated angles and the gradient is negated back.
    """
    from qulacs import Observable, ParametricQuantumCircuit, QuantumState

    x, w = sel_values(16, 2, 1)
    n = 16
    circuit = ParametricQuantumCircuit(n)
    for i in range(n):
        circuit.add_RY_gate(i, -x[i])
    for layer in range(2):
        for i in range(n):
            circuit.add_parametric_RZ_gate(i, -w[layer, i, 0])
            circuit.add_parametric_RY_gate(i, -w[layer, i, 1])
            circuit.add_parametric_RZ_gate(i, -w[layer, i, 2])
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
        [o.get_expectation_value(state) for o in observables]
        return [circuit.backprop(o) for o in observables]

    seconds, values = best_time(jacobian, repeats)
    return {"seconds": seconds, "values": (-np.asarray(values)).ravel().tolist()}


@peer
def qulacs_forward(qubits, repeats):
    """The ring circuit by qulacs from |0...0>: update_quantum_state, then <Z_0>.

    qulacs' RY(theta) is exp(+i theta Y / 2): it gets the negated angles. Its qubit 0 is the least
    significant bit where qmlc's wire 0 is the most significant, but gates and Z_0 name the same
    qubit on both sides, so <Z_0> is the same number.
    """
    from qulacs import Observable, QuantumCircuit, QuantumState

    w = forward_values(qubits)
    circuit = QuantumCircuit(qubits)
    for layer in range(5):
        for i in range(qubits):
            circuit.add_RY_gate(i, -w[layer, i])
        for i in range(qubits):
            circuit.add_CNOT_gate(i, (i + 1) % qubits)
    observable = Observable(qubits)
    observable.add_operator(1.0, "Z 0")
    state = QuantumState(qubits)
    best, value = math.inf, None
    for repeat in range(repeats + (1 if qubits <= 20 else 0)):
        state.set_zero_state()
        start = time.perf_counter()
        circuit.update_quantum_state(state)
        value = observable.get_expectation_value(state)
        seconds = time.perf_counter() - start
        # At 20 qubits and below the first run is a warm-up.
        if repeat > 0 or qubits > 20:
            best = min(best, seconds)
    return {"seconds": best, "values": [value]}


@peer
def numpy_pass(qubits, workers, repeats):
    """One read-and-write pass over a 2^n complex128 state: np.multiply(a, 1j, out=a).

    With 2 threads, each thread does one contiguous half (numpy releases the GIL in the loop).
    """
    state = np.ones(2**qubits, dtype=np.complex128)
    parts = np.array_split(state, workers)
    factor = np.complex128(1j)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:

        def one_pass():
            list(pool.map(lambda part: np.multiply(part, factor, out=part), parts))

        seconds, _ = best_time(one_pass, repeats)
    return {"seconds": seconds}


def peer_main(name, arguments):
    result = PEERS[name](**json.loads(arguments))
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# Workloads: each adds its rows to the run, qmlc first; a peer's row points back at qmlc's
# ---------------------------------------------------------------------------------------------


class Run:
    """The run's settings and the rows so far."""

    def __init__(self, qmlc, quick):
        self.qmlc = qmlc
        self.quick = quick
        self.rows = []
        self.temporary = tempfile.mkdtemp(prefix="qmlc-bench-")

    def repeats(self, full, quick=1):
        return quick if self.quick else full

    def add(self, row):
        self.rows.append(row)
        return len(self.rows) - 1

    def say(self, message):
        print(f"  {message}", file=sys.stderr, flush=True)


def qmlc_train_per_epoch(run, model, repeats, threads=None):
    """Seconds per epoch of a whole `qmlc train` process (best of `repeats`), and its peak RSS."""
    out = os.path.join(run.temporary, "trained.json")
    seconds, rss, output = run_qmlc(run.qmlc, ["train", model, "--format", "json", "--out", out], repeats, threads)
    epochs = sum(1 for line in output.splitlines() if '"epoch"' in line)
    return seconds / epochs, rss


def workload_train(run):
    repeats = run.repeats(3)
    seconds, rss = qmlc_train_per_epoch(run, os.path.join(ROOT, "examples/hybrid_classifier.qml"), repeats)
    note = "not compared: different initial params and batch order, the same work per epoch"
    base = run.add(Row("train", "qmlc", "2 (default)", "epoch", seconds, rss, repeats, note=note))
    # lightning.qubit is far slower than the others here (hundreds of times qmlc): one epoch.
    peers = [("default.qubit", "backprop", repeats, ("faster", 100)), ("lightning.qubit", "adjoint", 1, None)]
    for device, method, epochs, target in peers:
        run.say(f"train: {device}")
        result, rss = run_peer("pennylane_train", device=device, diff_method=method, epochs=epochs)
        run.add(Row("train", f"{device} {method}", PEER_THREADS, "epoch", result["seconds"], rss, epochs, base, target))


def workload_grad(run):
    for qubits in GRAD_SIZES:
        repeats = run.repeats(3 if qubits < 20 else 2)
        x, w = sel_values(qubits, 4, qubits)
        params = os.path.join(run.temporary, f"grad{qubits}.json")
        write_json_file(params, {"w": w.tolist()})
        model = os.path.join(HERE, f"models/sel_grad{qubits}.qml")
        run.say(f"grad: qmlc at {qubits} qubits")
        arguments = ["grad", model, "--params", params, "--input", input_argument(x), "--method", "adjoint", "--format", "json"]
        seconds, rss, output = run_qmlc(run.qmlc, arguments, repeats)
        ours = json.loads(output)["jacobian"]["w"]
        workload = f"grad n={qubits}"
        base = run.add(Row(workload, "qmlc adjoint", "2 (default)", "gradient", seconds, rss, repeats))
        run.say(f"grad: lightning.qubit at {qubits} qubits")
        result, rss = run_peer("pennylane_grad", device="lightning.qubit", diff_method="adjoint", qubits=qubits, repeats=repeats)
        check, ok = compare_values(ours, result["values"])
        run.add(Row(workload, "lightning.qubit adjoint", PEER_THREADS, "gradient", result["seconds"], rss, repeats, base,
                    ("fraction", 0.5), check, ok))
        if qubits > 16:
            # Measured once: 10 s a call (20 s with the warm-up) and a peak of 4.3 GiB at 20 qubits.
            note = "skipped at 20 qubits: about 10 s a call and 4 GiB of memory"
            run.add(Row(workload, "default.qubit backprop", PEER_THREADS, "gradient", None, note=note))
            continue
        run.say(f"grad: default.qubit at {qubits} qubits")
        result, rss = run_peer("pennylane_grad", device="default.qubit", diff_method="backprop", qubits=qubits, repeats=1)
        check, ok = compare_values(ours, result["values"])
        run.add(Row(workload, "default.qubit backprop", PEER_THREADS, "gradient", result["seconds"], rss, 1, base,
                    None, check, ok))


def workload_jac16(run):
    repeats = run.repeats(3)
    x, w = sel_values(16, 2, 1)
    params = os.path.join(run.temporary, "jac16.json")
    write_json_file(params, {"w": w.tolist()})
    model = os.path.join(HERE, "models/sel16.qml")
    arguments = ["grad", model, "--params", params, "--input", input_argument(x), "--method", "adjoint", "--format", "json"]
    run.say("jac16: qmlc")
    seconds, rss, output = run_qmlc(run.qmlc, arguments, repeats)
    ours = json.loads(output)["jacobian"]["w"]
    base = run.add(Row("jac16", "qmlc adjoint", "2 (default)", "Jacobian", seconds, rss, repeats))
    peers = [
        ("lightning.qubit adjoint", "pennylane_jac16", dict(device="lightning.qubit", diff_method="adjoint", repeats=repeats), ("fraction", 0.5)),
        ("default.qubit backprop", "pennylane_jac16", dict(device="default.qubit", diff_method="backprop", repeats=1), None),
        ("qulacs backprop per output", "qulacs_jac16", dict(repeats=repeats), None),
    ]
    for engine, name, arguments, target in peers:
        run.say(f"jac16: {engine}")
        result, rss = run_peer(name, **arguments)
        check, ok = compare_values(ours, result["values"])
        run.add(Row("jac16", engine, PEER_THREADS, "Jacobian", result["seconds"], rss, arguments["repeats"], base, target, check, ok))


def workload_forward(run):
    for qubits in FORWARD_SIZES:
        repeats = run.repeats({16: 5, 20: 5, 22: 3, 24: 2}[qubits])
        gates = 10 * qubits
        params = os.path.join(run.temporary, f"forward{qubits}.json")
        write_json_file(params, {"w": forward_values(qubits).tolist()})
        model = os.path.join(HERE, f"models/ring_forward{qubits}.qml")
        workload = f"forward n={qubits}"
        for threads in THREAD_COUNTS:
            run.say(f"forward: {qubits} qubits, {threads} thread(s)")
            arguments = ["run", model, "--params", params, "--format", "json"]
            seconds, rss, output = run_qmlc(run.qmlc, arguments, repeats, threads)
            ours = json.loads(output)["outputs"]
            base = run.add(Row(workload, "qmlc run", str(threads), "forward", seconds, rss, repeats, per_gate=seconds / gates))
            result, rss = run_peer("qulacs_forward", threads=threads, qubits=qubits, repeats=repeats)
            check, ok = compare_values(ours, result["values"])
            run.add(Row(workload, "qulacs", str(threads), "forward", result["seconds"], rss, repeats, base,
                        ("faster", 1), check, ok, per_gate=result["seconds"] / gates))
            result, rss = run_peer("numpy_pass", qubits=qubits, workers=threads, repeats=run.repeats(5, 2))
            run.add(Row(workload, "one read+write pass (numpy)", str(threads), "pass", result["seconds"], rss,
                        run.repeats(5, 2), base, ("per_gate", None)))


def workload_train8(run):
    repeats = run.repeats(3)
    model = os.path.join(HERE, "models/sel8_train.qml")
    base = None
    per_thread = {}
    for threads in reversed(THREAD_COUNTS):
        run.say(f"train8: qmlc on {threads} thread(s)")
        seconds, rss = qmlc_train_per_epoch(run, model, repeats, threads)
        per_thread[threads] = seconds
        index = run.add(Row("train8", "qmlc", str(threads), "epoch", seconds, rss, repeats))
        base = index if base is None else base
    speed_up = per_thread[1] / per_thread[2]
    run.rows[base].note = f"2 threads are {speed_up:.2f}x as fast as 1; not compared: different initial params"
    run.say("train8: default.qubit")
    result, rss = run_peer("pennylane_train8", epochs=repeats)
    run.add(Row("train8", "default.qubit backprop", PEER_THREADS, "epoch", result["seconds"], rss, repeats, base, ("faster", 20)))


def workload_run4(run):
    repeats = run.repeats(20, 5)
    model = os.path.join(ROOT, "examples/hybrid_classifier.qml")
    seconds, rss, _ = run_qmlc(run.qmlc, ["run", model, "--input", "x=0.1,0.2"], repeats)
    run.add(Row("run4", "qmlc run", "2 (default)", "process", seconds, rss, repeats, target=("below", 0.005)))


WORKLOAD_FUNCTIONS = {
    "train": workload_train,
    "grad": workload_grad,
    "jac16": workload_jac16,
    "forward": workload_forward,
    "train8": workload_train8,
    "run4": workload_run4,
}

# ---------------------------------------------------------------------------------------------


def settings(arguments):
    def command_output(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    versions = {}
    for module in ["pennylane", "pennylane_lightning", "qulacs", "numpy"]:
        try:
            from importlib.metadata import version

            versions[module] = version(module.replace("_", "-"))
        except Exception:
            versions[module] = None
    return {
        "qmlc": arguments.qmlc,
        "commit": command_output(["git", "rev-parse", "--short", "HEAD"]),
        "quick": arguments.quick,
        "workloads": arguments.only,
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "python": platform.python_version(),
        "versions": versions,
    }


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--peer":
        peer_main(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()),
                                     epilog="The workloads, the peers and the way they are timed: see this file's docstring.")
    parser.add_argument("qmlc", help="the qmlc binary (a release build)")
    parser.add_argument("--quick", action="store_true", help="one repeat of each (a few for run4): for iterating")
    parser.add_argument("--only", metavar="NAME[,NAME...]", default=",".join(WORKLOADS),
                        help=f"run only these workloads, of {','.join(WORKLOADS)}")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    arguments = parser.parse_args()
    arguments.qmlc = os.path.abspath(arguments.qmlc)
    arguments.only = [name.strip() for name in arguments.only.split(",") if name.strip()]
    unknown = [name for name in arguments.only if name not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload {', '.join(unknown)}; the workloads are {', '.join(WORKLOADS)}")

    run = Run(arguments.qmlc, arguments.quick)
    start = time.perf_counter()
    load_before = os.getloadavg()
    for name in WORKLOADS:
        if name in arguments.only:
            print(f"{name} …", file=sys.stderr, flush=True)
            WORKLOAD_FUNCTIONS[name](run)
    finish(run.rows)
    shutil.rmtree(run.temporary, ignore_errors=True)
    elapsed = time.perf_counter() - start

    print_table(run.rows)
    context = settings(arguments)
    print()
    print("time: the best of the repeats, qmlc as a whole process, a peer inside its interpreter after a warm-up;")
    print("peer/qmlc: the peer's time / qmlc's on the same workload and threads (qmlc is that many times faster);")
    print("peak RSS: qmlc's process, or the peer's whole Python process (interpreter and libraries included);")
    print(f"check: the largest difference between both sides' numbers (ok <= {TOLERANCE:g}).")
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} cpus; "
          f"the run took {elapsed:.0f} s.")
    if arguments.json:
        context["load_average_before"] = load_before
        context["seconds"] = elapsed
        rows = [asdict(row) for row in run.rows]
        with open(arguments.json, "w") as file:
            json.dump({"settings": context, "rows": rows}, file, indent=1)
    failed = [row for row in run.rows if not row.check_ok]
    if failed:
        print(f"{len(failed)} check(s) failed: the two sides computed different numbers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
