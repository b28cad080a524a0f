#!/usr/bin/env bash
# Benchmarks qmlc against PennyLane (default.qubit, lightning.qubit) and qulacs in one run: the
# five workloads of issue 11 and a 4-qubit `qmlc run` (see benches/compare.py's docstring).
# Installs the Python side from PyPI into benches/.venv when it is missing, builds qmlc in release
# mode, then runs benches/compare.py, which prints the times, ratios, thread counts and peak
# memory (exact for small qmlc runs only with GNU time, /usr/bin/time). Arguments pass through:
# --quick, --only NAME[,NAME…], --json FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x benches/.venv/bin/python ]; then
    python3 -m venv benches/.venv
fi
# Also when an earlier install stopped half-way.
if ! benches/.venv/bin/python -c "import pennylane, pennylane_lightning, qulacs" 2>/dev/null; then
    benches/.venv/bin/pip install --quiet pennylane==0.45.1 pennylane-lightning==0.45.0 qulacs==0.6.14
fi
cargo build --release --locked --quiet
# The binary is where cargo puts it: CARGO_TARGET_DIR when set, target/ otherwise.
target_dir="${CARGO_TARGET_DIR:-target}"
benches/.venv/bin/python benches/compare.py "$target_dir/release/qmlc" "$@"
