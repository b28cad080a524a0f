#!/usr/bin/env bash
# Benchmarks qmlc against PennyLane (default.qubit, lightning.qubit) and qulacs in one run.
# Installs the Python side from PyPI into benches/.venv, builds qmlc in release mode, then runs
# benches/compare.py, which prints the timings and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x benches/.venv/bin/python ]; then
    python3 -m venv benches/.venv
    benches/.venv/bin/pip install --quiet pennylane==0.45.1 pennylane-lightning==0.45.0 qulacs==0.6.14
fi
cargo build --release --quiet
benches/.venv/bin/python benches/compare.py target/release/qmlc "$@"
