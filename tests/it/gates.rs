//! The gates of LANGUAGE.md §10.4 beyond the excitations against PennyLane (tests/fixtures/gates):
//! outputs, and Jacobians by every gradient method, under `ctrl` and `adj`, before and after the optimizer.

use crate::fixture::check_gate_case;

const CASES: &[&str] = &["fixed_gates", "angled_gates", "multi_controlled"];

#[test]
fn every_gate_case_matches_pennylane_with_every_method() {
    for name in CASES {
        check_gate_case("tests/fixtures/gates", name);
    }
}

#[test]
fn multi_controlled_x_needs_a_control_and_a_target() {
    let program =
        |wires: &str| format!("qubits 3\ncircuit {{\n    multi_controlled_x {wires}\n}}\nmeasure probs(0, 1, 2)\n");
    let one_wire = qmlc::check::compile(&program("0"));
    assert!(one_wire.circuit.is_none(), "one wire must be refused");
    let message = format!("{:?}", one_wire.diagnostics);
    assert!(message.contains("at least 2 wires"), "{message}");
    assert!(qmlc::check::compile(&program("2, 0")).circuit.is_some());
    assert!(qmlc::check::compile(&program("0, 1, 2")).circuit.is_some());
}
