//! Qiskit's circuit-library templates (`z_feature_map`, `zz_feature_map`, `real_amplitudes`,
//! `efficient_su2`, `pauli_feature_map`) against the states Qiskit 2.x prepares (tests/conformance/gen/qiskit_templates.py),
//! every amplitude to 1e-9, global phase included.

use crate::temp::TempDir;
use serde_json::Value;

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|v| v.as_f64().expect("a number")).collect()
}

/// The one-template program of a case, with the parameter values written as a literal array.
fn program(case: &Value) -> String {
    let template = case["template"].as_str().expect("a name");
    let wires = case["wires"].as_u64().expect("a count");
    let values: Vec<String> = numbers(&case["values"]).iter().map(|v| format!("{v:?}")).collect();
    let mut call = format!("{template}([{}], reps = {}", values.join(", "), case["reps"]);
    if let Some(paulis) = case["paulis"].as_array() {
        let quoted: Vec<String> = paulis.iter().map(|p| format!("\"{}\"", p.as_str().expect("a string"))).collect();
        call.push_str(&format!(", paulis = [{}]", quoted.join(", ")));
    }
    if let Some(alpha) = case["alpha"].as_f64() {
        call.push_str(&format!(", alpha = {alpha:?}"));
    }
    if let Some(entanglement) = case["entanglement"].as_str() {
        call.push_str(&format!(", entanglement = {entanglement}"));
    }
    format!("qubits {wires}\ncircuit {{\n    {call}) on 0..{wires}\n}}\nmeasure state\n")
}

#[test]
fn every_qiskit_template_case_prepares_qiskits_state() {
    let reference: Value =
        serde_json::from_str(include_str!("../conformance/qiskit/templates.json")).expect("the reference");
    let dir = TempDir::new("qiskit-templates");
    let cases = reference["cases"].as_array().expect("cases");
    assert!(cases.len() >= 28, "the fixture holds every case");
    for (index, case) in cases.iter().enumerate() {
        let text = program(case);
        let file = dir.write(&format!("case{index}.qml"), &text);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .args(["run", file.to_str().expect("a UTF-8 path"), "--measure", "state", "--format", "json"])
            .output()
            .expect("qmlc runs");
        assert_eq!(output.status.code(), Some(0), "{text}\n{}", String::from_utf8_lossy(&output.stderr));
        let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let amplitudes = json["measurements"][0]["values"].as_array().expect("amplitudes");
        let (re, im) = (numbers(&case["state_re"]), numbers(&case["state_im"]));
        assert_eq!(amplitudes.len(), re.len(), "{text}");
        for (idx, amplitude) in amplitudes.iter().enumerate() {
            let (found_re, found_im) = (amplitude[0].as_f64().expect("re"), amplitude[1].as_f64().expect("im"));
            assert!(
                (found_re - re[idx]).abs() < 1e-9 && (found_im - im[idx]).abs() < 1e-9,
                "{text}amplitude {idx}: ({found_re}, {found_im}) against Qiskit's ({}, {})",
                re[idx],
                im[idx]
            );
        }
    }
}
