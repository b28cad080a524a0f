//! Run-time limits through the binary: joint shots, huge shot counts, the memory budget
//! (`QMLC_MEMORY_LIMIT`), and values that are not finite numbers.

use super::cli::{qmlc, stderr, text, TempDir};
use std::process::{Command, Output};

/// `qmlc` with `QMLC_MEMORY_LIMIT` set, as on a machine with that much memory.
fn qmlc_with_memory(limit: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("QMLC_MEMORY_LIMIT", limit)
        .output()
        .expect("qmlc runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn numbers(value: &serde_json::Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|v| v.as_f64().expect("a number")).collect()
}

const BELL: &str = "qubits 2\ncircuit {\n    h 0\n    cnot 0, 1\n}\n";

// ---------------------------------------------------------------------------------------------
// Shots
// ---------------------------------------------------------------------------------------------

#[test]
fn samples_of_the_two_wires_of_a_bell_pair_agree_on_every_shot() {
    let dir = TempDir::new("bell-samples");
    let model = dir.write("bell.qml", &format!("{BELL}measure sample(Z(0)), sample(Z(1))\n"));
    let output = qmlc(&["run", text(&model), "--shots", "4000", "--format", "json"]);
    let json = json(&output);
    let first = numbers(&json["measurements"][0]["values"]);
    let second = numbers(&json["measurements"][1]["values"]);
    assert_eq!(first.len(), 4000);
    assert_eq!(first, second);
    let ups = first.iter().filter(|value| **value == 1.0).count();
    assert!(ups.abs_diff(2000) < 160, "{ups} of 4000 shots gave +1");
}

#[test]
fn expectation_values_of_a_bell_pair_from_ten_shots_are_equal() {
    let dir = TempDir::new("bell-expvals");
    let model = dir.write("bell.qml", &format!("{BELL}measure expval(Z(0)), expval(Z(1)), probs\n"));
    for seed in ["0", "1", "2", "3"] {
        let output = qmlc(&["run", text(&model), "--shots", "10", "--seed", seed, "--format", "json"]);
        let outputs = numbers(&json(&output)["outputs"]);
        assert_eq!(outputs[0], outputs[1], "seed {seed}: {outputs:?}");
        // Every value is a multiple of 1/10 of the same ten shots.
        assert_eq!((outputs[3], outputs[4]), (0.0, 0.0), "seed {seed}: {outputs:?}");
        assert!((outputs[2] - outputs[5] - outputs[0]).abs() < 1e-12, "seed {seed}: {outputs:?}");
    }
}

#[test]
fn a_quadrillion_shots_estimate_expvals_and_probs_in_little_memory() {
    let dir = TempDir::new("quadrillion");
    let model =
        dir.write("model.qml", "qubits 2\ncircuit {\n    ry(1.0) 0\n    cnot 0, 1\n}\nmeasure expval(Z(1)), probs\n");
    let exact = numbers(&json(&qmlc(&["run", text(&model), "--format", "json"]))["outputs"]);
    // With a 64 MiB budget: shots are counted, never listed.
    let output = qmlc_with_memory("64M", &["run", text(&model), "--shots", "1000000000000000", "--format", "json"]);
    let sampled = numbers(&json(&output)["outputs"]);
    assert_eq!(sampled.len(), 5);
    // Standard errors are at most 1/√(10^15) ≈ 3.2e-8 for ⟨Z⟩ and half that for a probability.
    for (index, (estimate, exact)) in sampled.iter().zip(&exact).enumerate() {
        assert!((estimate - exact).abs() < 5.0 * 3.2e-8, "output {index}: {estimate} vs {exact}");
    }
    assert_ne!(sampled, exact);
    let output = qmlc_with_memory("64M", &["grad", text(&model), "--shots", "1000000000000000", "--format", "json"]);
    assert_eq!(numbers(&json(&output)["outputs"]), sampled, "grad's forward pass reads the same shots");
}

#[test]
fn samples_that_would_not_fit_are_refused_before_any_is_drawn() {
    let dir = TempDir::new("sample-memory");
    let model = dir.write("bell.qml", &format!("{BELL}measure sample(Z(0)), sample(Z(1))\n"));
    let output = qmlc_with_memory("1G", &["run", text(&model), "--shots", "100000000"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0902]: running the circuit on 2 qubits needs 2.2 GiB of memory (1 state vector of 64 B and 2.2 GiB \
         of other buffers), but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"
    );
    assert!(output.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

#[test]
fn run_on_27_qubits_and_grad_on_25_are_refused_on_a_one_gibibyte_machine() {
    let dir = TempDir::new("memory-limit");
    let run_model = dir.write("q27.qml", "qubits 27\ncircuit { h 0 }\nmeasure expval(Z(0))\n");
    let output = qmlc_with_memory("1G", &["run", text(&run_model)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0902]: a state vector on 27 qubits needs 2.0 GiB of memory, but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"
    );
    let grad_model = dir.write("q25.qml", "qubits 25\nparam w\ncircuit { ry(w) 0 }\nmeasure expval(Z(0))\n");
    let output = qmlc_with_memory("1G", &["grad", text(&grad_model)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0902]: the adjoint Jacobian on 25 qubits needs 1.5 GiB of memory (3 state vectors of 512.0 MiB), \
         but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"
    );
    // The same limit in bytes, and a size that is not one.
    let output = qmlc_with_memory("1073741824", &["grad", text(&grad_model)]);
    assert!(stderr(&output).ends_with("but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"), "{}", stderr(&output));
    let output = qmlc_with_memory("a lot", &["run", text(&run_model)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: QMLC_MEMORY_LIMIT=`a lot` is not a size: give bytes, or a number with K, M, G or T (such as 512M or 2G)\n"
    );
}

#[test]
fn training_that_needs_a_state_per_thread_beyond_the_budget_is_refused_before_the_first_epoch() {
    let dir = TempDir::new("memory-train");
    let model = dir.write(
        "q26.qml",
        "qubits 26\ninput x[2]\nparam w[2]\ncircuit {\n    angle_embedding(x) on 0..2\n    ry(w[0]) 0\n    ry(w[1]) 1\n}\n\
         measure expval(Z(0)), expval(Z(1))\ntrain {\n    data moons(samples = 20, noise = 0.1)\n    loss cross_entropy\n\
         \x20   optimizer adam(lr = 0.1)\n    epochs 1\n}\n",
    );
    let out = model.with_file_name("out.json");
    let output = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["train", text(&model), "--out", text(&out)])
        .env("NO_COLOR", "1")
        .env("QMLC_MEMORY_LIMIT", "1G")
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("qmlc runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0902]: training on every thread on 26 qubits needs 2.0 GiB of memory (2 state vectors of 1.0 GiB), \
         but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"
    );
    assert!(!out.exists());
}

#[test]
fn registers_of_33_and_40_qubits_are_refused_without_a_limit_set() {
    let dir = TempDir::new("huge-registers");
    for n_qubits in [33, 40] {
        let model = dir.write("model.qml", &format!("qubits {n_qubits}\ncircuit {{ h 0 }}\nmeasure expval(Z(0))\n"));
        for command in ["run", "grad"] {
            let output = qmlc(&[command, text(&model)]);
            assert_eq!(output.status.code(), Some(1), "{command}");
            let stderr = stderr(&output);
            let needs = if n_qubits == 33 { "128.0 GiB" } else { "16.0 TiB" };
            let expected = format!("error[E0902]: a state vector on {n_qubits} qubits needs {needs} of memory, but ");
            assert!(stderr.starts_with(&expected), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values that are not finite
// ---------------------------------------------------------------------------------------------

/// Runs `command` on a model whose `rx` angle is `angle` over input `x[2]` and param `w`, and
/// returns the exit status and the first line of stderr.
fn angle_error(dir: &TempDir, command: &str, angle: &str, input: &str, params: &str) -> (Option<i32>, String, String) {
    let model = dir.write(
        "model.qml",
        &format!("qubits 1\ninput x[2]\nparam w\ncircuit {{\n    h 0\n    rx({angle}) 0\n}}\nmeasure expval(Z(0))\n"),
    );
    let params = dir.write("params.json", params);
    let output = qmlc(&[command, text(&model), "--input", input, "--params", text(&params), "--format", "json"]);
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
    let stderr = stderr(&output);
    let first_line = stderr.lines().next().unwrap_or("").to_string();
    (output.status.code(), first_line, stderr)
}

#[test]
fn an_angle_that_is_not_finite_stops_run_and_grad_naming_the_gate_and_its_values() {
    let dir = TempDir::new("non-finite");
    let cases = [
        ("exp(x[0])", "x=1000,0", r#"{"w": 0.5}"#, "the angle of `rx` is inf, from `exp(x[0])` with x[0] = 1000"),
        ("log(x[1])", "x=1,0", r#"{"w": 0.5}"#, "the angle of `rx` is -inf, from `log(x[1])` with x[1] = 0"),
        ("sqrt(x[0])", "x=-1,0", r#"{"w": 0.5}"#, "the angle of `rx` is NaN, from `sqrt(x[0])` with x[0] = -1"),
        (
            "asin(x[0]) + w",
            "x=2,0",
            r#"{"w": 0.5}"#,
            "the angle of `rx` is NaN, from `asin(x[0]) + w` with x[0] = 2, w = 0.5",
        ),
        (
            "mod(x[0], x[1])",
            "x=1,0",
            r#"{"w": 0.5}"#,
            "the angle of `rx` is NaN, from `mod(x[0], x[1])` with x[0] = 1, x[1] = 0",
        ),
        ("w * 10", "x=0,0", r#"{"w": 1e308}"#, "the angle of `rx` is inf, from `w * 10` with w = 1e308"),
    ];
    for (angle, input, params, message) in cases {
        for command in ["run", "grad"] {
            let (status, first_line, stderr) = angle_error(&dir, command, angle, input, params);
            assert_eq!(status, Some(1), "{command} {angle}: {stderr}");
            assert_eq!(first_line, format!("error[E0901]: {message}"), "{command} {angle}");
            // The report points at the gate's line in the model.
            assert!(stderr.contains("model.qml:6:5"), "{stderr}");
            assert!(stderr.contains(&format!("rx({angle}) 0")), "{stderr}");
        }
    }
}

#[test]
fn amplitude_embedding_normalizes_huge_and_tiny_amplitudes() {
    let dir = TempDir::new("embedding-scale");
    let model = dir.write(
        "model.qml",
        "qubits 2\ninput x[4]\ncircuit { amplitude_embedding(x, normalize = true) }\nmeasure state\n",
    );
    let frac = std::f64::consts::FRAC_1_SQRT_2;
    for (input, expected) in [("x=1e200,1e200,0,0", [frac, frac, 0.0, 0.0]), ("x=1e-200,0,0,0", [1.0, 0.0, 0.0, 0.0])] {
        let output = qmlc(&["run", text(&model), "--input", input, "--format", "json"]);
        let amplitudes = json(&output)["measurements"][0]["values"].clone();
        for (index, want) in expected.iter().enumerate() {
            let real = amplitudes[index][0].as_f64().expect("a real part");
            let imaginary = amplitudes[index][1].as_f64().expect("an imaginary part");
            assert!((real - want).abs() < 1e-15 && imaginary == 0.0, "{input}: {amplitudes}");
        }
    }
}

#[test]
fn a_gate_that_goes_non_finite_while_training_is_shown_on_its_line() {
    let dir = TempDir::new("train-non-finite");
    dir.write("rows.csv", "x,y\n1,0.5\n0,0.2\n");
    let model = dir.write(
        "m.qml",
        "qubits 1\ninput x[1]\nparam w = 0.1\ncircuit {\n    rx(log(x[0]) * w) 0\n}\nmeasure expval(Z(0))\n\
         train {\n    data csv(\"rows.csv\", label = \"y\")\n    loss mse\n    epochs 1\n}\n",
    );
    let out = model.with_file_name("out.json");
    let output = qmlc(&["train", text(&model), "--out", text(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let shown = stderr(&output);
    assert!(
        shown.starts_with(&format!(
            "error[E0901]: {}, line 3: the angle of `rx` is -inf, from `log(x[0]) * w` with x[0] = 0, w = 0.1\n",
            model.with_file_name("rows.csv").display()
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!("{}:5:5", model.display())), "{shown}");
    assert!(shown.contains(" 5 │     rx(log(x[0]) * w) 0"), "{shown}");
    assert!(!out.exists());
}

#[test]
fn a_head_whose_outputs_overflow_is_an_error_rather_than_null() {
    let dir = TempDir::new("head-non-finite");
    let model = dir.write(
        "m.qml",
        "qubits 1\ninput x\nparam w\ncircuit {\n    rx(x + w) 0\n}\nmeasure expval(Z(0))\nhead linear(1)\n",
    );
    let params = dir.write("p.json", r#"{"w": 0.0, "head.0.weight": [[1e308]], "head.0.bias": [1e308]}"#);
    for command in ["run", "grad"] {
        let output = qmlc(&[command, text(&model), "--params", text(&params), "--input", "x=0", "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert_eq!(
            stderr(&output),
            "error[E0901]: output 1 of the head is inf: its weights or biases are too large for the measured values\n"
        );
        assert!(output.stdout.is_empty(), "{command}");
    }
    // predict and run --data refuse the row the same way.
    let data = dir.write("rows.csv", "x\n0.1\n");
    for command in ["predict", "run"] {
        let output = qmlc(&[command, text(&model), "--params", text(&params), "--data", text(&data)]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert_eq!(
            stderr(&output),
            format!(
                "error[E0901]: {}, line 2: output 1 of the head is inf: its weights or biases are too large for the \
                 measured values\n",
                data.display()
            )
        );
    }
}

#[test]
fn results_too_large_to_print_are_refused_before_the_run() {
    let dir = TempDir::new("printing-memory");
    let model = dir.write("bell.qml", &format!("{BELL}measure sample(Z(0)), sample(Z(1))\n"));
    let output = qmlc_with_memory("1G", &["run", text(&model), "--shots", "10000000", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0902]: running the circuit and printing its results on 2 qubits needs 3.2 GiB of memory (1 state \
         vector of 64 B and 3.2 GiB of other buffers), but QMLC_MEMORY_LIMIT allows 1.0 GiB\n"
    );
    let probs = dir.write("probs.qml", "qubits 24\ncircuit {\n    h 0\n}\nmeasure probs\n");
    let output = qmlc_with_memory("1G", &["run", text(&probs), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error[E0902]: running the circuit and printing its results on 24 qubits"));
}

#[test]
fn an_address_space_limit_counts_as_the_memory_available() {
    use std::os::unix::process::CommandExt;
    let dir = TempDir::new("rlimit");
    let model = dir.write("bell.qml", &format!("{BELL}measure sample(Z(0)), sample(Z(1))\n"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_qmlc"));
    command.args(["run", text(&model), "--shots", "3000000", "--format", "json"]).env("NO_COLOR", "1");
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 768 << 20, rlim_max: 768 << 20 };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().expect("qmlc runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let shown = stderr(&output);
    assert!(
        shown.starts_with("error[E0902]: running the circuit and printing its results on 2 qubits needs 984.2 MiB"),
        "{shown}"
    );
    assert!(shown.contains("of memory is available\n"), "{shown}");
    assert!(output.stdout.is_empty());
}
