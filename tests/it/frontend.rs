//! The front end on good programs: the conformance programs check clean, and nothing else is reported.

use std::path::PathBuf;

fn conformance_programs() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/conformance")
        .expect("tests/conformance exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "qml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_conformance_program_checks_clean() {
    let programs = conformance_programs();
    assert_eq!(programs.len(), 8);
    for path in programs {
        let text = std::fs::read_to_string(&path).expect("readable");
        let output = qmlc::check::compile(&text);
        assert!(output.diagnostics.is_empty(), "{}: {:?}", path.display(), output.diagnostics);
        assert!(output.circuit.is_some(), "{} did not lower", path.display());
    }
}

#[test]
fn every_example_checks_clean() {
    for entry in std::fs::read_dir("examples").expect("examples exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "qml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let output = qmlc::check::compile(&text);
            let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        }
    }
}

#[test]
fn three_independent_syntax_errors_give_three_diagnostics() {
    let text = "qubits 2\ncircuit {\n    h 0 0 0\n    cnot 0,, 1\n    rx(0.1)) 0\n}\nmeasure expval(Z(0))\n";
    let output = qmlc::check::compile(text);
    let codes: Vec<_> = output.diagnostics.iter().map(|d| (d.code, d.primary.span.start)).collect();
    assert_eq!(codes, vec![("E0002", 27), ("E0002", 42), ("E0002", 57)]);
}

#[test]
fn a_missing_file_gives_exit_status_one() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["check", "no/such/file.qml"])
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stderr).contains("cannot read `no/such/file.qml`"));
}

#[test]
fn wrong_usage_gives_exit_status_two() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["check", "--format", "yaml", "x.qml"])
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(2));
}

#[test]
fn check_exits_one_on_errors_and_zero_on_warnings_only() {
    let run = |path: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .args(["check", path])
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(run("tests/ui/wire_out_of_range.qml"), Some(1));
    assert_eq!(run("tests/ui/unused_input.qml"), Some(0));
    assert_eq!(run("tests/conformance/bell.qml"), Some(0));
}
