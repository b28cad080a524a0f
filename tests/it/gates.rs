//! The gates of LANGUAGE.md §10.4 beyond the excitations: what the conformance cases in tests/conformance
//! (fixed_gates, angled_gates, multi_controlled) do not cover, such as the wire counts the checker refuses.

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
