//! The excitation gates through the binary (their PennyLane cases are in tests/conformance), and the
//! H2 example against PennyLane's VQE demo (tests/fixtures/h2).

use crate::fixture::{assert_close, flat, read_json};
use crate::temp::TempDir;
use serde_json::Value;
use std::path::Path;

fn qmlc(args: &[&str]) -> Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn the_binary_differentiates_the_excitations_by_parameter_shift() {
    let stem = "tests/conformance/controlled_excitations";
    let (qml, params) = (format!("{stem}.qml"), format!("{stem}.params.json"));
    let got = qmlc(&["grad", &qml, "--params", &params, "--method", "parameter_shift", "--format", "json"]);
    let want = read_json(Path::new(&format!("{stem}.expected.json")));
    assert_close("outputs", &flat(&got["outputs"]), &flat(&want["outputs"]), 1e-9);
    assert_close("jacobian", &flat(&got["jacobian"]["c"]), &flat(&want["jacobian"]["c"]), 1e-8);
}

#[test]
fn the_h2_example_reaches_the_fci_energy_at_the_optimal_angle() {
    let h2 = read_json(Path::new("tests/fixtures/h2/h2.json"));
    let number = |key: &str| h2[key].as_f64().expect("a number in h2.json");
    let temp = TempDir::new("h2_optimal");
    let at = |theta: f64, file: &str| temp.write(file, format!("{{\"theta\": {theta:?}}}")).display().to_string();
    let optimal = at(number("theta_optimal"), "optimal.json");
    let run = qmlc(&["run", "examples/vqe_h2.qml", "--params", &optimal, "--format", "json"]);
    let energy = flat(&run["outputs"]);
    assert_close("energy at the optimal angle", &energy, &[number("fci_energy")], 1e-9);
    assert!((number("fci_energy") - -1.136189).abs() < 1e-6, "the demo's FCI energy");

    // At θ = 0, the Hartree-Fock state, and at θ = 0.2, by every method.
    for (theta, energy_key, gradient_key) in
        [(0.0, "hartree_fock_energy", "gradient_at_zero"), (0.2, "energy_at_0.2", "gradient_at_0.2")]
    {
        let params = at(theta, "theta.json");
        for method in ["adjoint", "parameter_shift", "finite_diff"] {
            let grad =
                qmlc(&["grad", "examples/vqe_h2.qml", "--params", &params, "--method", method, "--format", "json"]);
            assert_close("energy", &flat(&grad["outputs"]), &[number(energy_key)], 1e-9);
            let tolerance = if method == "finite_diff" { 1e-6 } else { 1e-9 };
            assert_close(
                &format!("gradient [{method}]"),
                &flat(&grad["jacobian"]["theta"]),
                &[number(gradient_key)],
                tolerance,
            );
        }
    }
}

#[test]
fn the_h2_hamiltonian_file_is_the_examples_observable() {
    // The example's observable is the data file's terms, in order, so the two cannot drift apart.
    let data = std::fs::read_to_string("examples/data/h2_hamiltonian.txt").expect("readable");
    let terms: Vec<&str> = data.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).collect();
    assert_eq!(terms.len(), 15);
    // `fmt` writes the observable on one line; the data file has a term per line.
    let example = std::fs::read_to_string("examples/vqe_h2.qml").expect("readable");
    let measure = example.lines().find(|line| line.starts_with("measure expval(")).expect("an expval");
    assert_eq!(measure, format!("measure expval({})", terms.join(" ")));
    // Each coefficient in full precision: the JSON's (serde_json may round the last bit, hence 1e-16).
    let h2 = read_json(Path::new("tests/fixtures/h2/h2.json"));
    for (term, want) in terms.iter().zip(h2["terms"].as_array().expect("terms")) {
        let written = term.trim_start_matches(['+', '-', ' ']).split(" * ").next().expect("a coefficient");
        let written: f64 = written.parse().expect("a number");
        let sign = if term.starts_with('-') { -1.0 } else { 1.0 };
        let want = want["coefficient"].as_f64().expect("a coefficient");
        assert!((sign * written - want).abs() < 1e-16, "{term}: {written} is not {want}");
    }
}
