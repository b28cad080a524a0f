//! What the PennyLane fixture tests share: reading a case's JSON, flattening nested arrays, comparing
//! within a tolerance, and checking a gate case (outputs and Jacobians by every method, before and
//! after the optimizer) against its `expected.json`.

use serde_json::Value;
use std::path::Path;

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture readable")).expect("fixture is JSON")
}

/// The numbers of nested JSON arrays, row-major.
pub fn flat(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(flat).collect(),
        Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("unexpected {other}"),
    }
}

pub fn assert_close(what: &str, got: &[f64], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tolerance, "{what}[{i}]: got {g}, want {w} (tolerance {tolerance})");
    }
}

/// Checks the case `name` of the fixture folder `dir` (`NAME.qml`, `NAME.params.json`,
/// `NAME.expected.json`, inputs-free): outputs to 1e-9 and Jacobians by adjoint and parameter
/// shift to 1e-8 (finite differences to 1e-6), on the circuit as written and optimized.
pub fn check_gate_case(dir: &str, name: &str) {
    let stem = Path::new(dir).join(name);
    let source = std::fs::read_to_string(stem.with_extension("qml")).expect("readable");
    let circuit = qmlc::check::compile(&source).circuit.expect("compiles");
    let (optimized, _) = qmlc::opt::optimize(&circuit);
    let params = qmlc::params::params_from_json(
        &read_json(&stem.with_extension("params.json")),
        &circuit,
        &qmlc::train::Head::identity(0),
    )
    .expect("params fit");
    let expected = read_json(&stem.with_extension("expected.json"));
    let want_outputs = flat(&expected["outputs"]);
    for circuit in [&circuit, &optimized] {
        let execution = qmlc::sim::execute(circuit, &[], &params.circuit, None).expect("runs");
        assert_close(&format!("{name} outputs"), &execution.outputs, &want_outputs, 1e-9);
        for method in [
            qmlc::ir::GradientMethod::Adjoint,
            qmlc::ir::GradientMethod::ParameterShift,
            qmlc::ir::GradientMethod::FiniteDiff,
        ] {
            let jacobian = qmlc::grad::jacobian(circuit, &[], &params.circuit, method, None).expect("differentiates");
            let tolerance = if method == qmlc::ir::GradientMethod::FiniteDiff { 1e-6 } else { 1e-8 };
            for param in &circuit.params {
                let want = flat(&expected["jacobian"][&param.variable.name]);
                let size = param.variable.size();
                let got: Vec<f64> = (0..jacobian.n_outputs)
                    .flat_map(|o| (0..size).map(move |k| (o, k)))
                    .map(|(o, k)| jacobian.get(o, param.variable.offset + k))
                    .collect();
                let what = format!("{name} d/d{} [{}]", param.variable.name, method.name());
                assert_close(&what, &got, &want, tolerance);
            }
        }
    }
}
