//! The PennyLane conformance fixtures: every case, every gradient method, through the library and the binary.

use crate::fixture::{assert_close, check_case, conformance_programs, flat, read_json, FIRST_CASES};
use serde_json::Value;
use std::path::Path;

#[test]
fn every_case_matches_pennylane_with_every_method() {
    let cases = conformance_programs();
    let names: Vec<String> =
        cases.iter().filter_map(|c| c.file_stem().and_then(|n| n.to_str()).map(str::to_string)).collect();
    for first in FIRST_CASES {
        assert!(names.iter().any(|n| n == first), "{first} is missing from tests/conformance");
    }
    assert!(cases.len() >= FIRST_CASES.len() + 6, "only {} cases", cases.len());
    for case in cases {
        check_case(&case.with_extension(""));
    }
}

#[test]
fn the_binary_prints_the_same_numbers_as_json() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args([
            "grad",
            "tests/conformance/seed_classifier.qml",
            "--params",
            "tests/conformance/seed_classifier.params.json",
            "--input",
            "tests/conformance/seed_classifier.input.json",
            "--method",
            "parameter_shift",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let got: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let want = read_json(Path::new("tests/conformance/seed_classifier.expected.json"));
    assert_close("outputs", &flat(&got["outputs"]), &flat(&want["outputs"]), 1e-9);
    assert_close("jacobian", &flat(&got["jacobian"]["w"]), &flat(&want["jacobian"]["w"]), 1e-8);
    assert_eq!(got["measurements"][0]["kind"], "expval");
    assert_eq!(got["measurements"][0]["observable"], "Z(0)");
}
