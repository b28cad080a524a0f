//! Every program in tests/ui/ against a snapshot of the diagnostics `qmlc check` prints for it.

use std::collections::BTreeSet;

#[test]
fn bad_programs_report_their_diagnostics() {
    insta::glob!("../ui", "*.qml", |path| {
        insta::assert_snapshot!(crate::check_output(path));
    });
}

#[test]
fn the_ui_cases_cover_at_least_thirty_distinct_codes() {
    let mut codes = BTreeSet::new();
    for entry in std::fs::read_dir("tests/ui").expect("tests/ui exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "qml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            for d in qmlc::check::compile(&text).diagnostics {
                codes.insert(d.code);
            }
        }
    }
    assert!(codes.len() >= 30, "only {} distinct codes: {codes:?}", codes.len());
}

#[test]
fn check_reports_json_with_line_and_column() {
    let text = "qubits 2\ncircuit {\n    ry(0.1) 3\n}\nmeasure expval(Z(0))\n";
    let source = qmlc::source::Source::new("m.qml", text);
    let output = qmlc::check::compile(text);
    let json: Vec<serde_json::Value> = output.diagnostics.iter().map(|d| qmlc::render::json(d, &source)).collect();
    assert_eq!(
        serde_json::Value::Array(json),
        serde_json::json!([{
            "severity": "error",
            "code": "E0201",
            "message": "wire 3 is out of range for a register of 2 qubits",
            "file": "m.qml",
            "span": {"start": 31, "end": 32, "line": 3, "column": 13},
            "label": "valid wires are 0..2",
            "labels": [],
            "notes": [],
            "help": null,
            "suggestions": []
        }])
    );
}

#[test]
fn a_did_you_mean_carries_its_replacement_and_span_as_data() {
    let text = "qubits 2\ncircuit {\n    hadamard 0\n    cnto 0, 1\n}\nmeasure expval(Z(0))\n";
    let source = qmlc::source::Source::new("m.qml", text);
    let output = qmlc::check::compile(text);
    let fixes: Vec<(&str, &str, String)> = output
        .diagnostics
        .iter()
        .flat_map(|d| {
            d.suggestions.iter().map(move |s| {
                (d.code.as_str(), &text[s.span.start as usize..s.span.end as usize], s.replacement.clone())
            })
        })
        .collect();
    assert_eq!(fixes, [("E0102", "hadamard", "h".to_string()), ("E0102", "cnto", "cnot".to_string())]);
    let json = qmlc::render::json(&output.diagnostics[1], &source);
    assert_eq!(
        json["suggestions"],
        serde_json::json!([{"span": {"start": 38, "end": 42, "line": 4, "column": 5}, "replacement": "cnot"}])
    );
    assert_eq!(json["help"], "did you mean `cnot`?");
}
