//! Objectives without data (`minimize`, `maximize`) through the binary: JSON Lines carry
//! `objective`, the run reaches the minimum, and cobyla says when it converged.

use serde_json::Value;
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

const ONE_QUBIT: &str = "qubits 1\nparam t = constant(0.5)\ncircuit { ry(t) 0 }\nmeasure expval(Z(0))\n";

#[test]
fn minimize_reaches_the_ground_energy_and_reports_the_objective_per_epoch() {
    let dir = crate::temp::TempDir::new("objective-minimize");
    let model = format!("{ONE_QUBIT}train {{\n    minimize\n    optimizer lbfgs(lr = 1)\n    epochs 40\n}}\n");
    let file = dir.write("energy.qml", model);
    let out = dir.join("out.json");
    let output =
        qmlc(&["train", file.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = json_lines(&output);
    let epochs: Vec<&Value> = lines.iter().filter(|line| line.get("epoch").is_some()).collect();
    assert_eq!(epochs.len(), 40);
    // The first epoch reports the objective before its step: cos(0.5).
    let first = epochs[0]["objective"].as_f64().expect("an objective");
    assert!((first - 0.5f64.cos()).abs() < 1e-12, "{first}");
    assert!(epochs[0].get("train_loss").is_none(), "{}", epochs[0]);
    let last = epochs[39]["objective"].as_f64().expect("an objective");
    assert!((last + 1.0).abs() < 1e-6, "{last}");
    let done = lines.last().expect("a final line");
    assert_eq!(done["done"], true);
    assert!(done["final"]["objective"].is_number(), "{done}");
    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("params written")).expect("JSON");
    assert!(params["meta"]["final"]["objective"].is_number(), "{}", params["meta"]);
    let t = params["t"].as_f64().expect("t");
    assert!((t.cos() + 1.0).abs() < 1e-6, "t = {t}");
}

#[test]
fn maximize_reports_the_output_as_it_is() {
    let dir = crate::temp::TempDir::new("objective-maximize");
    let model = format!("{ONE_QUBIT}train {{\n    maximize\n    optimizer sgd(lr = 0.5)\n    epochs 30\n}}\n");
    let file = dir.write("energy.qml", model);
    let out = dir.join("out.json");
    let output =
        qmlc(&["train", file.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = json_lines(&output);
    let values: Vec<f64> = lines.iter().filter_map(|line| line["objective"].as_f64()).collect();
    assert!((values[0] - 0.5f64.cos()).abs() < 1e-12);
    assert!(values.last().is_some_and(|v| *v > 0.999), "{values:?}");
}

#[test]
fn cobyla_stops_when_it_converges_and_says_so() {
    let dir = crate::temp::TempDir::new("objective-cobyla");
    let model = format!("{ONE_QUBIT}train {{\n    minimize\n    optimizer cobyla\n    epochs 500\n}}\n");
    let file = dir.write("energy.qml", model);
    let out = dir.join("out.json");
    let output = qmlc(&["train", file.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("cobyla converged"), "{text}");
    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("params written")).expect("JSON");
    assert_eq!(params["meta"]["blocks"][0]["stop_reason"], "converged");
    let t = params["t"].as_f64().expect("t");
    assert!((t.cos() + 1.0).abs() < 1e-6, "t = {t}");
}

#[test]
fn shots_work_with_an_objective() {
    let dir = crate::temp::TempDir::new("objective-shots");
    let model =
        format!("{ONE_QUBIT}train {{\n    minimize\n    shots 2000\n    optimizer adam(lr = 0.2)\n    epochs 30\n}}\n");
    let file = dir.write("energy.qml", model);
    let out = dir.join("out.json");
    let run =
        || qmlc(&["train", file.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8"), "--format", "json"]);
    let first = run();
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let values: Vec<f64> = json_lines(&first).iter().filter_map(|line| line["objective"].as_f64()).collect();
    assert!(values.last().is_some_and(|v| *v < -0.9), "{values:?}");
    // The same seed gives the same run.
    let again: Vec<f64> = json_lines(&run()).iter().filter_map(|line| line["objective"].as_f64()).collect();
    assert_eq!(values, again);
}

/// `qng` through the binary against PennyLane's QNGOptimizer: ten steps of the QNG tutorial's
/// circuit, five with the block-diagonal metric and five more with the diagonal one (the file's
/// two blocks), the cost before each step and the params after the last, to 1e-9
/// (tests/fixtures/optimizers/qng_reference.py).
#[test]
fn qng_steps_as_pennylanes_qng_optimizer() {
    let reference: Value =
        serde_json::from_str(include_str!("../fixtures/optimizers/qng_reference.json")).expect("the reference");
    let dir = crate::temp::TempDir::new("objective-qng");
    let out = dir.join("out.json");
    let output = qmlc(&[
        "train",
        "tests/fixtures/optimizers/qng.qml",
        "--out",
        out.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let found: Vec<f64> = json_lines(&output)
        .iter()
        .filter(|line| line.get("epoch").is_some())
        .map(|line| line["objective"].as_f64().expect("an objective"))
        .collect();
    let blocks = reference["blocks"].as_array().expect("blocks");
    let expected: Vec<f64> = blocks
        .iter()
        .flat_map(|block| block["steps"].as_array().expect("steps").iter())
        .map(|step| step["cost_before"].as_f64().expect("a cost"))
        .collect();
    assert_eq!(found.len(), expected.len());
    for (epoch, (found, expected)) in found.iter().zip(&expected).enumerate() {
        assert!((found - expected).abs() < 1e-9, "epoch {}: {found} against PennyLane's {expected}", epoch + 1);
    }
    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("params written")).expect("JSON");
    let last_steps = blocks[1]["steps"].as_array().expect("steps");
    let expected = last_steps[last_steps.len() - 1]["params"].as_array().expect("params");
    let found = params["w"].as_array().expect("w");
    for (found, expected) in found.iter().zip(expected) {
        let (found, expected) = (found.as_f64().expect("a number"), expected.as_f64().expect("a number"));
        assert!((found - expected).abs() < 1e-9, "{found} against PennyLane's {expected}");
    }
}
