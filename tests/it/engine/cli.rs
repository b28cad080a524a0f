//! The error behaviour of `qmlc run` and `qmlc grad` through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// ---------------------------------------------------------------------------------------------
// `qmlc run` and `qmlc grad` on bad input
// ---------------------------------------------------------------------------------------------

/// A directory of its own under the system's temp directory, removed when dropped.
pub(super) struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub(super) fn new(test_name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("qmlc-engine-{}-{test_name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the temp directory is writable");
        TempDir { path }
    }

    pub(super) fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, contents).expect("the temp directory is writable");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub(super) fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).env("NO_COLOR", "1").output().expect("qmlc runs")
}

pub(super) fn text(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

pub(super) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A model with an input and two params, one an array and one a scalar.
const MODEL: &str = "qubits 2
input x[2]
param w[2, 3]
param t
circuit {
    angle_embedding(x)
    for i in 0..2 { rot(w[i, 0], w[i, 1], w[i, 2]) i }
    rx(t) 0
}
measure expval(Z(0))
";

/// Runs `qmlc run` on MODEL with a params file and returns the exit status and stderr.
fn run_with_params(dir: &TempDir, params_json: &str) -> (Option<i32>, String, PathBuf) {
    let model = dir.write("model.qml", MODEL);
    let params = dir.write("params.json", params_json);
    let output = qmlc(&["run", text(&model), "--params", text(&params), "--input", "x=0.1,0.2"]);
    (output.status.code(), stderr(&output), params)
}

#[test]
fn a_params_file_without_a_key_is_refused_naming_the_key_and_its_shape() {
    let dir = TempDir::new("missing-key");
    let (status, stderr, params) = run_with_params(&dir, r#"{"w": [[1, 2, 3], [4, 5, 6]]}"#);
    assert_eq!(status, Some(1));
    assert_eq!(
        stderr,
        format!("error[E0908]: {}: key `t` is missing: expected a param of shape []\n", params.display())
    );
}

#[test]
fn a_params_file_with_an_extra_key_is_refused_naming_the_key_and_the_params() {
    let dir = TempDir::new("extra-key");
    let (status, stderr, params) = run_with_params(&dir, r#"{"w": [[1, 2, 3], [4, 5, 6]], "t": 1, "u": [2]}"#);
    assert_eq!(status, Some(1));
    assert_eq!(
        stderr,
        format!(
            "error[E0908]: {}: key `u` (shape [1]) is not a param of this model (its params: `w`, `t`)\n",
            params.display()
        )
    );
}

#[test]
fn a_params_file_with_a_wrong_shape_is_refused_naming_both_shapes() {
    let dir = TempDir::new("wrong-shape");
    let (status, stderr, params) = run_with_params(&dir, r#"{"w": [[1, 2], [4, 5]], "t": 1}"#);
    assert_eq!(status, Some(1));
    assert_eq!(
        stderr,
        format!("error[E0908]: {}: key `w`: expected shape [2, 3], found shape [2, 2]\n", params.display())
    );

    let (status, stderr, params) = run_with_params(&dir, r#"{"w": [[1, 2, 3], [4, 5, 6]], "t": [1]}"#);
    assert_eq!(status, Some(1));
    assert_eq!(stderr, format!("error[E0908]: {}: key `t`: expected shape [], found shape [1]\n", params.display()));
}

#[test]
fn a_params_file_that_is_not_json_is_refused_naming_the_file_line_and_column() {
    let dir = TempDir::new("bad-json");
    let (status, stderr, params) = run_with_params(&dir, "{\"w\": [[1, 2, 3],\n      [4, 5, 6]], \"t\": 1,,}");
    assert_eq!(status, Some(1));
    let expected = format!("error[E0908]: {}, line 2, column 26: not valid JSON: ", params.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn an_input_with_the_wrong_number_of_values_is_refused_with_its_shape() {
    let dir = TempDir::new("input-count");
    let model = dir.write("model.qml", MODEL);
    for (values, found) in [("x=0.1,0.2,0.3", "3 were given"), ("x=0.1", "1 was given")] {
        let output = qmlc(&["grad", text(&model), "--input", values]);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(stderr(&output), format!("error: --input: `x` has shape [2] (2 values), but {found}\n"));
    }
}

#[test]
fn an_amplitude_embedding_that_is_not_normalised_is_refused_naming_the_norm() {
    let dir = TempDir::new("amplitude-norm");
    let model = dir.write("model.qml", "qubits 2\ninput x[4]\ncircuit { amplitude_embedding(x) }\nmeasure probs\n");
    let output = qmlc(&["run", text(&model), "--input", "x=1,1,0,0"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0903]: amplitude_embedding: the amplitudes have norm 1.4142135623730951 but `normalize` is false\n"
    );
    // With `normalize = true` the same input is fine, and gives probabilities 1/2, 1/2, 0, 0.
    let model = dir.write(
        "normalized.qml",
        "qubits 2\ninput x[4]\ncircuit { amplitude_embedding(x, normalize = true) }\nmeasure probs\n",
    );
    let output = qmlc(&["run", text(&model), "--input", "x=1,1,0,0", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let outputs: Vec<f64> =
        json["outputs"].as_array().expect("outputs").iter().map(|v| v.as_f64().expect("a number")).collect();
    assert_eq!(outputs.len(), 4);
    for (got, want) in outputs.iter().zip([0.5, 0.5, 0.0, 0.0]) {
        assert!((got - want).abs() < 1e-12, "{outputs:?}");
    }
}

#[test]
fn a_thirty_qubit_register_is_refused_before_allocating_with_the_bytes_it_needs() {
    let dir = TempDir::new("thirty-qubits");
    let model = dir.write("model.qml", "qubits 30\ncircuit { h 0 }\nmeasure expval(Z(0))\n");
    for command in ["run", "grad"] {
        let output = qmlc(&[command, text(&model)]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        // The limit is 12 GiB, or less on a machine with less memory available.
        let stderr = stderr(&output);
        assert!(
            stderr.starts_with("error[E0902]: a state vector on 30 qubits needs 16.0 GiB of memory, but ")
                && (stderr.ends_with(", but the limit is 12.0 GiB (QMLC_MEMORY_LIMIT sets another)\n")
                    || stderr.ends_with(" of memory is available\n")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // The library refuses before allocating: 16 bytes for each of the 2^30 amplitudes.
    match qmlc::sim::State::zero(30) {
        Err(qmlc::sim::SimError::TooLarge { need, .. }) => {
            assert_eq!(need.n_qubits, 30);
            assert_eq!(need.bytes(), 16 << 30);
        }
        other => panic!("expected TooLarge, got {:?}", other.map(|state| state.n_qubits())),
    }
}

#[test]
fn the_adjoint_method_with_shots_is_refused_saying_why() {
    let dir = TempDir::new("adjoint-shots");
    let model = dir.write("model.qml", MODEL);
    let output = qmlc(&["grad", text(&model), "--input", "x=0.1,0.2", "--method", "adjoint", "--shots", "100"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: the adjoint method needs exact execution: it runs the state vector backwards, which sampled \
         execution does not have; use `parameter_shift` (or `auto`) with shots\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn finite_differences_with_shots_are_refused_saying_why() {
    let dir = TempDir::new("finite-diff-shots");
    let model = dir.write("model.qml", MODEL);
    let output = qmlc(&["grad", text(&model), "--input", "x=0.1,0.2", "--method", "finite_diff", "--shots", "100"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error: finite differences need exact execution"), "{}", stderr(&output));
}

#[test]
fn basis_embedding_bits_that_are_not_zero_or_one_are_refused_at_run_time() {
    let dir = TempDir::new("basis-bits");
    let model = dir.write("model.qml", "qubits 2\ninput b[2]\ncircuit { basis_embedding(b) }\nmeasure probs\n");
    let output = qmlc(&["run", text(&model), "--input", "b=0.5,1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error[E0904]: basis_embedding takes bits 0 and 1, but `b[0]` is 0.5\n");
    let output = qmlc(&["run", text(&model), "--input", "b=0,1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let probabilities: Vec<f64> =
        json["outputs"].as_array().expect("outputs").iter().filter_map(|v| v.as_f64()).collect();
    for (got, want) in probabilities.iter().zip([0.0, 1.0, 0.0, 0.0]) {
        assert!((got - want).abs() < 1e-12, "{probabilities:?}");
    }
}

#[test]
fn an_unknown_method_is_a_usage_error() {
    let dir = TempDir::new("unknown-method");
    let model = dir.write("model.qml", MODEL);
    let output = qmlc(&["grad", text(&model), "--input", "x=0.1,0.2", "--method", "backprop"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.starts_with("error: invalid value 'backprop' for '--method <METHOD>'\n"), "{stderr}");
    assert!(stderr.contains("auto, adjoint, parameter_shift, finite_diff"), "{stderr}");
}

#[test]
fn runs_with_the_same_seed_and_shots_print_identical_json() {
    let dir = TempDir::new("same-seed");
    let model = dir.write(
        "model.qml",
        "qubits 2\nparam a = constant(0.8)\ncircuit {\n    ry(a) 0\n    h 1\n    cnot 0, 1\n}\n\
         measure expval(Z(0)), var(X(1)), probs, sample(Z(0) @ Z(1))\n",
    );
    let run = |seed: &str| {
        let output = qmlc(&["run", text(&model), "--shots", "1000", "--seed", seed, "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output.stdout
    };
    let first = run("5");
    assert_eq!(first, run("5"));
    assert_ne!(first, run("6"), "a different seed draws different shots");
    let json: serde_json::Value = serde_json::from_slice(&first).expect("JSON on stdout");
    assert_eq!(json["measurements"][3]["values"].as_array().expect("samples").len(), 1000);
}

#[test]
fn shot_estimates_of_an_expval_lie_within_five_standard_errors() {
    let dir = TempDir::new("shot-estimates");
    let model = dir.write("model.qml", "qubits 1\ncircuit { ry(1.0) 0 }\nmeasure expval(Z(0))\n");
    let shots = 4000;
    let exact = 1.0f64.cos();
    // Each shot is ±1 with mean cos(1), so its variance is 1 − cos²(1) = sin²(1).
    let standard_error = 1.0f64.sin() / (shots as f64).sqrt();
    let mut estimates = Vec::new();
    for seed in ["0", "1", "2", "5"] {
        let output = qmlc(&["run", text(&model), "--shots", &shots.to_string(), "--seed", seed, "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let estimate = json["outputs"][0].as_f64().expect("a number");
        assert!(
            (estimate - exact).abs() < 5.0 * standard_error,
            "seed {seed}: {estimate} is more than 5 standard errors ({standard_error}) from {exact}"
        );
        // An estimate from ±1 outcomes is a multiple of 2 / shots.
        let scaled = (estimate + 1.0) * shots as f64 / 2.0;
        assert!((scaled - scaled.round()).abs() < 1e-6, "{estimate}");
        estimates.push(estimate);
    }
    estimates.dedup();
    assert!(estimates.len() > 1, "different seeds give different estimates");
}
