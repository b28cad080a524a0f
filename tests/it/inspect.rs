//! `qmlc specs` and `qmlc grad --check`: what a user reads about a model before training it.

use serde_json::Value;
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("qmlc runs")
}

#[test]
fn specs_of_the_iris_model_in_json() {
    let output = qmlc(&["specs", "examples/iris.qml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let mut specs: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    // The one measured figure varies with the machine; it must be there and positive.
    let seconds = specs["train"][0]["seconds_per_epoch"].take();
    assert!(seconds.as_f64().is_some_and(|seconds| seconds > 0.0), "{seconds}");
    let expected = serde_json::json!({
        "file": "examples/iris.qml",
        "qubits": 4, "inputs": 4, "params": 16, "trainable_angles": 16,
        "before": {"operations": 36, "depth": 21, "gates": {"cnot": 16, "ry": 20}},
        "after": {"operations": 32, "depth": 20, "gates": {"cnot": 16, "ry": 16}},
        "optimization": {"dropped": 0, "cancelled": 0, "merged": 4},
        "measurements": ["expval(Z(0))", "expval(Z(1))", "expval(Z(2))", "expval(Z(3))"],
        "outputs": 4,
        "gradients": [
            {"method": "adjoint", "executions": 1, "backward_sweeps": 4, "unavailable": null},
            {"method": "parameter_shift", "executions": 33, "backward_sweeps": 0, "unavailable": null},
            {"method": "finite_diff", "executions": 33, "backward_sweeps": 0, "unavailable": null},
        ],
        "auto_method": "adjoint",
        "state_bytes": 256,
        "train": [{
            "name": null, "data": "iris()", "samples": 150, "train_samples": 105, "batch": 16,
            "batches_per_epoch": 7, "epochs": 40, "gradient": "adjoint", "shots": null,
            "executions_per_gradient": 1, "executions_per_epoch": 105, "seconds_per_epoch": null,
        }],
    });
    assert_eq!(specs, expected);
}

#[test]
fn specs_as_a_table_reads_a_csv_blocks_rows() {
    let output = qmlc(&["specs", "examples/sine_regression.qml"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let (table, time) = text.rsplit_once("  time            ").expect("a time line");
    assert!(time.starts_with("about ") && time.ends_with("(estimated on this machine)\n"), "{time}");
    assert_eq!(
        table,
        "examples/sine_regression.qml
  qubits          1
  inputs          1
  params          9 (6 trainable gate angles)
  operations      6 as written, 6 after optimization
  depth           6 as written, 6 after optimization
  gates           ry 3, rz 3
  measurements    expval(Z(0)) (1 output)
  per gradient    adjoint         1 circuit execution + 1 backward sweep  (auto)
                  parameter_shift 13 circuit executions
                  finite_diff     19 circuit executions
  state memory    32 B
train block 1
  data            csv(\"data/sine.csv\", label = \"y\") (120 rows, 96 train)
  epochs          6 batches of 16, 60 epochs
  gradient        adjoint, 96 circuit executions per epoch
"
    );
}

#[test]
fn specs_of_a_program_with_errors_prints_its_diagnostics_and_exits_1() {
    let output = qmlc(&["specs", "tests/ui/unknown_gate_suggests.qml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("E0102"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn grad_check_compares_every_method_with_the_adjoint_one() {
    let output = qmlc(&["grad", "--check", "examples/sine_regression.qml", "--input", "x=0.4"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "the Jacobian of 1 output (before the head) by 9 params, by each method:");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["param", "output", "adjoint", "parameter_shift", "finite_diff"]
    );
    assert_eq!(lines.len(), 2 + 9 + 3, "{text}");
    // Each row's three values are the same derivative to the tolerances.
    for row in &lines[2..11] {
        let values: Vec<f64> = row.split_whitespace().rev().take(3).map(|v| v.parse().expect("a number")).collect();
        assert!((values[2] - values[1]).abs() < 1e-8 && (values[2] - values[0]).abs() < 1e-5, "{row}");
    }
    assert!(lines[11].starts_with("parameter_shift vs adjoint: largest difference "), "{}", lines[11]);
    assert!(lines[11].ends_with("(tolerance 1e-8): ok"), "{}", lines[11]);
    assert!(lines[12].ends_with("(tolerance 1e-5): ok"), "{}", lines[12]);
    assert_eq!(lines[13], "the methods agree");
}

#[test]
fn grad_check_exits_1_where_the_methods_disagree() {
    // |w| has no derivative at 0: the chain rule takes sign(0) = 1, central differences 0.
    let dir = crate::temp::TempDir::new("grad-check");
    let model =
        dir.write("kink.qml", "qubits 1\nparam w = 0\ncircuit {\n    ry(abs(w) + 1) 0\n}\nmeasure expval(Z(0))\n");
    let output = qmlc(&["grad", "--check", model.to_str().expect("a UTF-8 path"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let sin_one = 1f64.sin();
    assert!((report["jacobians"]["adjoint"][0][0].as_f64().expect("a number") + sin_one).abs() < 1e-12, "{report}");
    assert!(report["jacobians"]["finite_diff"][0][0].as_f64().expect("a number").abs() < 1e-9, "{report}");
    assert_eq!(report["checks"][1]["method"], "finite_diff");
    assert_eq!(report["checks"][1]["ok"], false);
    assert_eq!(report["checks"][1]["param"], "w");
    assert_eq!(report["ok"], false);
}

#[test]
fn grad_check_refuses_shots() {
    let output = qmlc(&["grad", "--check", "--shots", "10", "examples/iris.qml"]);
    assert_eq!(output.status.code(), Some(2));
}
