//! `qmlc specs` on the examples: the counts a user reads before training, in JSON and as a table.

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
