//! `--const NAME=VALUE` and `--measure M`: a file compiled with other consts, and the same
//! circuit measured otherwise, through the binary.

use super::cli::{qmlc, stderr, text, TempDir};
use serde_json::Value;

/// A register of `n` qubits, each rotated by the same angle; `<Z>` of the last one.
const SWEEP: &str = "const n = 3
qubits n
param t = 0.5
circuit { for i in 0..n { ry(t) i } }
measure expval(Z(n - 1))
";

/// A trained-looking model: two params, an entangled pair and a head reading one expval.
const PAIR: &str = "qubits 2
param t[2] = [0.3, 0.7]
circuit {
    ry(t[0]) 0
    cnot 0, 1
    ry(t[1]) 1
}
measure expval(Z(0) @ Z(1))
head linear(2)
";

fn json(output: &std::process::Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("the output is JSON")
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|x| x.as_f64().expect("a number")).collect()
}

#[test]
fn a_const_given_on_the_command_line_replaces_the_files_value() {
    let dir = TempDir::new("const-sweep");
    let file = dir.write("sweep.qml", SWEEP);
    for (n, wire) in [("3", "Z(2)"), ("5", "Z(4)"), ("1", "Z(0)")] {
        let flag = format!("n={n}");
        let output = json(&qmlc(&["run", text(&file), "--const", &flag, "--format", "json"]));
        assert_eq!(output["measurements"][0]["observable"], wire);
        assert!((output["outputs"][0].as_f64().unwrap() - 0.5_f64.cos()).abs() < 1e-12);
    }
    let check = qmlc(&["check", text(&file), "--const", "n=2.5"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).is_empty() && String::from_utf8_lossy(&check.stdout).contains("this is 2.5"));
}

#[test]
fn a_const_the_file_does_not_declare_or_a_bad_value_is_a_usage_error() {
    let dir = TempDir::new("const-unknown");
    let file = dir.write("sweep.qml", SWEEP);
    let unknown = qmlc(&["run", text(&file), "--const", "m=4"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(stderr(&unknown), "error: --const m=4: the model declares no const `m` (its consts are `n`)\n");
    let misspelt = qmlc(&["run", text(&file), "--const", "N=4"]);
    assert_eq!(misspelt.status.code(), Some(2));
    assert!(stderr(&misspelt).ends_with("; did you mean `n`?\n"), "{}", stderr(&misspelt));
    let not_a_number = qmlc(&["train", text(&file), "--const", "n=four"]);
    assert_eq!(not_a_number.status.code(), Some(2));
    assert!(stderr(&not_a_number).contains("`four` is not a finite number"), "{}", stderr(&not_a_number));
    let no_equals = qmlc(&["draw", text(&file), "--const", "n"]);
    assert_eq!(no_equals.status.code(), Some(2));
    assert!(stderr(&no_equals).contains("expected NAME=VALUE"), "{}", stderr(&no_equals));
}

#[test]
fn measure_replaces_the_files_measurements_and_head() {
    let dir = TempDir::new("measure-probs");
    let file = dir.write("pair.qml", PAIR);
    let output =
        json(&qmlc(&["run", text(&file), "--measure", "probs", "--measure", "expval(X(0))", "--format", "json"]));
    // ry(0.3) ⊗ 1, cnot, 1 ⊗ ry(0.7), worked out by hand from the amplitudes
    // (cos 0.15 |00> + sin 0.15 |11>) then ry(0.7) on wire 1.
    let (c0, s0, c1, s1) = (0.15_f64.cos(), 0.15_f64.sin(), 0.35_f64.cos(), 0.35_f64.sin());
    let expected = [(c0 * c1).powi(2), (c0 * s1).powi(2), (s0 * s1).powi(2), (s0 * c1).powi(2), 0.0];
    let outputs = numbers(&output["outputs"]);
    assert_eq!(outputs.len(), 5, "four probabilities and one expval, no head");
    for (found, wanted) in outputs.iter().zip(expected) {
        assert!((found - wanted).abs() < 1e-12, "{outputs:?} against {expected:?}");
    }
    assert_eq!(output["measurements"][0]["kind"], "probs");
    assert_eq!(output["measurements"][1]["observable"], "X(0)");
}

#[test]
fn measure_samples_with_shots_and_differentiates_with_grad() {
    let dir = TempDir::new("measure-sample");
    let file = dir.write("pair.qml", PAIR);
    let sampled = json(&qmlc(&["run", text(&file), "--measure", "sample(Z(0))", "--shots", "7", "--format", "json"]));
    let samples = numbers(&sampled["measurements"][0]["values"]);
    assert_eq!(samples.len(), 7);
    assert!(samples.iter().all(|&s| s == 1.0 || s == -1.0), "{samples:?}");
    // d<Z(1)>/dt: <Z(1)> = cos(t0) cos(t1) for this circuit.
    let grad = json(&qmlc(&["grad", text(&file), "--measure", "expval(Z(1))", "--format", "json"]));
    let jacobian = numbers(&grad["jacobian"]["t"][0]);
    let (t0, t1) = (0.3_f64, 0.7_f64);
    assert!((jacobian[0] + t0.sin() * t1.cos()).abs() < 1e-12, "{jacobian:?}");
    assert!((jacobian[1] + t0.cos() * t1.sin()).abs() < 1e-12, "{jacobian:?}");
}

#[test]
fn a_wrong_measure_is_reported_with_its_span_and_exit_one() {
    let dir = TempDir::new("measure-wrong");
    let file = dir.write("pair.qml", PAIR);
    let output = qmlc(&["run", text(&file), "--measure", "expval(Z(3))", "--measure", "prob"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("error[E0201]: wire 3 is out of range for a register of 2 qubits"), "{message}");
    assert!(message.contains("measure expval(Z(3))"), "{message}");
    assert!(message.contains("pair.qml --measure: 2 errors"), "{message}");
}
