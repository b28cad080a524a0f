//! Finding a Python with Qiskit for the tests that compare qmlc's states with Qiskit's (OpenQASM
//! export and import). `.ci/run` installs one into `target/qiskit-venv`; `QMLC_QISKIT_PYTHON`
//! names another. Without either, those tests say so and skip.

use std::path::PathBuf;
use std::process::Command;

/// A Python interpreter that imports qiskit, qiskit_qasm3_import and qiskit_aer, or `None` after
/// printing why the calling test skips.
pub fn qiskit_python(test: &str) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("QMLC_QISKIT_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("target/qiskit-venv/bin/python")])
        .collect();
    for python in candidates {
        let imports = Command::new(&python).args(["-c", "import qiskit, qiskit_qasm3_import, qiskit_aer"]).output();
        if imports.is_ok_and(|output| output.status.success()) {
            return Some(python);
        }
    }
    eprintln!(
        "{test}: skipped, no Python with qiskit, qiskit-qasm3-import and qiskit-aer \
         (.ci/run installs them into target/qiskit-venv; or set QMLC_QISKIT_PYTHON)"
    );
    None
}
