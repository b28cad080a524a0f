//! Good programs lower to the expected gate lists, and the optimizer's counts on the conformance programs.

#[test]
fn good_programs_lower_to_their_gate_lists() {
    insta::glob!("../lower", "*.qml", |path| {
        let text = std::fs::read_to_string(path).expect("readable");
        let output = qmlc::check::compile(&text);
        assert!(output.diagnostics.iter().all(|d| !d.is_error()), "{:?}", output.diagnostics);
        let circuit = output.circuit.expect("lowered");
        let (optimized, stats) = qmlc::opt::optimize(&circuit);
        insta::assert_snapshot!(format!(
            "{}\n-- optimized: {} -> {} ops --\n{}",
            circuit.listing(),
            stats.ops_before,
            stats.ops_after,
            optimized.listing()
        ));
    });
}

#[test]
fn the_optimizer_counts_on_the_conformance_programs() {
    let mut rows = Vec::new();
    let first_cases = crate::fixture::FIRST_CASES.iter().map(|name| format!("tests/conformance/{name}.qml"));
    for path in first_cases {
        let circuit = qmlc::check::compile(&std::fs::read_to_string(&path).expect("readable")).circuit.expect("lowers");
        let (_, stats) = qmlc::opt::optimize(&circuit);
        rows.push(format!(
            "{}: {} -> {}",
            std::path::Path::new(&path).file_stem().and_then(|s| s.to_str()).unwrap_or(""),
            stats.ops_before,
            stats.ops_after
        ));
    }
    insta::assert_snapshot!(rows.join("\n"));
}
