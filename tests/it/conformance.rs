//! The PennyLane conformance fixtures: every case, every gradient method, through the library and the binary.

use crate::fixture::{assert_close, flat, read_json};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("tests/conformance")
        .expect("tests/conformance exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "qml"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_case_matches_pennylane_with_every_method() {
    let cases = cases();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let stem = case.with_extension("");
        let name = stem.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        let circuit =
            qmlc::check::compile(&std::fs::read_to_string(&case).expect("readable")).circuit.expect("compiles");
        let (optimized, _) = qmlc::opt::optimize(&circuit);
        let params = qmlc::params::params_from_json(
            &read_json(&stem.with_extension("params.json")),
            &circuit,
            &qmlc::train::Head::identity(0),
        )
        .expect("params fit");
        let inputs = qmlc::params::inputs_from_json(&read_json(&stem.with_extension("input.json")), &circuit)
            .expect("inputs fit");
        let expected = read_json(&stem.with_extension("expected.json"));
        let want_outputs = flat(&expected["outputs"]);
        for circuit in [&circuit, &optimized] {
            let execution = qmlc::sim::execute(circuit, &inputs, &params.circuit, None).expect("runs");
            assert_close(&format!("{name} outputs"), &execution.outputs, &want_outputs, 1e-9);
            for method in [
                qmlc::ir::GradientMethod::Adjoint,
                qmlc::ir::GradientMethod::ParameterShift,
                qmlc::ir::GradientMethod::FiniteDiff,
            ] {
                let jacobian =
                    qmlc::grad::jacobian(circuit, &inputs, &params.circuit, method, None).expect("differentiates");
                let tolerance = if method == qmlc::ir::GradientMethod::FiniteDiff { 1e-5 } else { 1e-8 };
                for param in &circuit.params {
                    let Some(want) = expected["jacobian"].get(&param.variable.name) else { continue };
                    let want = flat(want);
                    let size = param.variable.size();
                    let got: Vec<f64> = (0..jacobian.n_outputs)
                        .flat_map(|o| (0..size).map(move |k| (o, k)))
                        .map(|(o, k)| jacobian.get(o, param.variable.offset + k))
                        .collect();
                    assert_close(
                        &format!("{name} d/d{} [{}]", param.variable.name, method.name()),
                        &got,
                        &want,
                        tolerance,
                    );
                }
            }
        }
    }
}

#[test]
fn the_binary_prints_the_same_numbers_as_json() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args([
            "grad",
            "tests/conformance/seed_classifier.qml",
            "--params",
            "tests/conformance/seed_classifier.params.json",
            "--input",
            "tests/conformance/seed_classifier.input.json",
            "--method",
            "parameter_shift",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let got: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let want = read_json(Path::new("tests/conformance/seed_classifier.expected.json"));
    assert_close("outputs", &flat(&got["outputs"]), &flat(&want["outputs"]), 1e-9);
    assert_close("jacobian", &flat(&got["jacobian"]["w"]), &flat(&want["jacobian"]["w"]), 1e-8);
    assert_eq!(got["measurements"][0]["kind"], "expval");
    assert_eq!(got["measurements"][0]["observable"], "Z(0)");
}
