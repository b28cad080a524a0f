//! `qmlc import`: every OpenQASM file of the corpus (QASMBench's circuits in tests/qasm/qasmbench,
//! hand-written OpenQASM 2 and 3 files) imports without errors into a program that `check`
//! accepts and `fmt` leaves unchanged, and that prepares the state qiskit-aer prepares from the
//! OpenQASM file (tests/qasm/aer_states.py) to 1e-9; bad files get their diagnostics, with spans
//! into the OpenQASM text, compared with snapshots; no input makes the importer panic.

use crate::temp::TempDir;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// QASMBench files with mid-circuit measurement, `reset` or `if`: negative cases.
const NEGATIVE: &[&str] = &[
    "tests/qasm/qasmbench/small/bb84_n8/bb84_n8.qasm",
    "tests/qasm/qasmbench/small/inverseqft_n4/inverseqft_n4.qasm",
    "tests/qasm/qasmbench/small/shor_n5/shor_n5.qasm",
];

/// Every `.qasm` file under `directory`, sorted, as paths relative to the package root.
fn qasm_files(directory: &str) -> Vec<PathBuf> {
    let mut pending = vec![PathBuf::from(directory)];
    let mut files = Vec::new();
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("a readable corpus directory") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "qasm") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The files that must import: the corpus without the negative cases and without the
/// hand-unrolled references (`*.unrolled.qasm`), which only Qiskit reads.
fn corpus() -> Vec<PathBuf> {
    let files: Vec<PathBuf> = ["tests/qasm/qasmbench", "tests/qasm/openqasm2", "tests/qasm/openqasm3"]
        .iter()
        .flat_map(|directory| qasm_files(directory))
        .filter(|path| !NEGATIVE.iter().any(|negative| path == Path::new(negative)))
        .filter(|path| !path.to_string_lossy().ends_with(".unrolled.qasm"))
        .collect();
    // The README states the QASMBench count: 27 circuits that import, besides the refused ones.
    let qasmbench = files.iter().filter(|path| path.starts_with("tests/qasm/qasmbench")).count();
    assert_eq!(qasmbench, 27, "the QASMBench circuits that must import: {files:?}");
    assert!(files.len() > qasmbench, "our own OpenQASM 2 and 3 files were not found: {files:?}");
    files
}

fn name_of(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Imports a corpus file, which must have no errors.
fn import_ok(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a readable corpus file");
    let imported = qmlc::qasm::import::import(&name_of(path), &text);
    let errors: Vec<String> =
        imported.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{}: {}", d.code, d.message)).collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    imported.qml.unwrap_or_else(|| panic!("{}: no program", path.display()))
}

/// The imported programs of the corpus, computed once for the tests that share them.
fn imported_corpus() -> &'static [(PathBuf, String)] {
    static IMPORTED: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        corpus()
            .into_iter()
            .map(|path| {
                let qml = import_ok(&path);
                (path, qml)
            })
            .collect()
    })
}

#[test]
fn every_corpus_file_imports_into_a_program_that_checks_and_is_formatted() {
    for (path, qml) in imported_corpus() {
        let output = qmlc::check::compile(qml);
        let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}:\n{qml}\n{errors:#?}", path.display());
        assert_eq!(qmlc::fmt::format(qml).as_deref(), Ok(qml.as_str()), "{}: not in fmt's layout", path.display());
        let file_name = path.file_name().and_then(|name| name.to_str()).expect("a UTF-8 name");
        assert!(qml.starts_with(&format!("// Imported by `qmlc import` from {file_name}")), "{qml}");
    }
}

/// The params of an imported program (`param NAME` lines) with distinct values.
fn param_values(qml: &str) -> serde_json::Map<String, Value> {
    qml.lines()
        .filter_map(|line| line.strip_prefix("param "))
        .enumerate()
        .map(|(index, name)| (name.trim().to_string(), json!(0.3 + 0.41 * index as f64)))
        .collect()
}

/// The state `qmlc run --measure state` gives for a program and params.
fn qmlc_state(dir: &TempDir, index: usize, qml: &str, params: &serde_json::Map<String, Value>) -> Vec<(f64, f64)> {
    let file = dir.write(&format!("imported{index}.qml"), qml);
    let params_file = dir.write(&format!("imported{index}.params.json"), Value::Object(params.clone()).to_string());
    let output = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["run", file.to_str().expect("a UTF-8 path"), "--measure", "state", "--format", "json", "--params"])
        .arg(&params_file)
        .output()
        .expect("qmlc runs");
    assert_eq!(output.status.code(), Some(0), "{qml}\n{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json["measurements"][0]["values"]
        .as_array()
        .expect("amplitudes")
        .iter()
        .map(|amplitude| (amplitude[0].as_f64().expect("re"), amplitude[1].as_f64().expect("im")))
        .collect()
}

#[test]
fn every_corpus_file_prepares_the_state_qiskit_aer_prepares() {
    let Some(python) = crate::qiskit::qiskit_python("every_corpus_file_prepares_the_state_qiskit_aer_prepares") else {
        return;
    };
    let imported = imported_corpus();
    // Qiskit reads the hand-unrolled reference where there is one (loops it cannot read).
    let cases: Vec<Value> = imported
        .iter()
        .map(|(path, qml)| {
            let unrolled = PathBuf::from(name_of(path).replace(".qasm", ".unrolled.qasm"));
            let reference = if unrolled.exists() { unrolled } else { path.clone() };
            json!({"path": name_of(&reference), "params": Value::Object(param_values(qml))})
        })
        .collect();
    let mut child = Command::new(python)
        .arg("tests/qasm/aer_states.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Python starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("a pipe");
        stdin.write_all(Value::Array(cases).to_string().as_bytes()).expect("Python reads the cases");
    }
    let output = child.wait_with_output().expect("Python finishes");
    assert!(output.status.success(), "aer_states.py failed");
    let reference: Value = serde_json::from_slice(&output.stdout).expect("JSON from aer_states.py");
    let states = reference["states"].as_array().expect("states");
    assert_eq!(states.len(), imported.len());
    let dir = TempDir::new("qasm-import-states");
    for (index, ((path, qml), state)) in imported.iter().zip(states).enumerate() {
        assert!(state.get("error").is_none(), "Qiskit could not simulate {}: {}", path.display(), state["error"]);
        let re: Vec<f64> = state["re"].as_array().expect("re").iter().map(|v| v.as_f64().expect("a number")).collect();
        let im: Vec<f64> = state["im"].as_array().expect("im").iter().map(|v| v.as_f64().expect("a number")).collect();
        let found = qmlc_state(&dir, index, qml, &param_values(qml));
        assert_eq!(found.len(), re.len(), "{}", path.display());
        for (amplitude, (found_re, found_im)) in found.iter().enumerate() {
            assert!(
                (found_re - re[amplitude]).abs() < 1e-9 && (found_im - im[amplitude]).abs() < 1e-9,
                "{}: amplitude {amplitude} is ({found_re}, {found_im}), Qiskit's ({}, {})",
                path.display(),
                re[amplitude],
                im[amplitude]
            );
        }
    }
}

/// The diagnostics of importing a file, rendered as `qmlc import` prints them (no colour).
fn import_output(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a readable test file");
    let name = name_of(path.strip_prefix(std::env::current_dir().expect("a directory")).unwrap_or(path));
    let imported = qmlc::qasm::import::import(&name, &text);
    let source = qmlc::source::Source::new(name.clone(), text);
    let errors = imported.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut rendered = qmlc::render::human_all(&imported.diagnostics, &source, false);
    let outcome = if imported.qml.is_some() { "imported" } else { "nothing written" };
    rendered.push_str(&format!(
        "{name}: {}; {outcome}\n",
        qmlc::render::summary(errors, imported.diagnostics.len() - errors)
    ));
    rendered
}

#[test]
fn bad_openqasm_files_report_every_problem_with_a_span_into_the_file() {
    insta::glob!("../qasm/errors", "*.qasm", |path| {
        insta::assert_snapshot!(import_output(path));
    });
}

#[test]
fn qasmbench_files_with_classical_control_reset_or_mid_circuit_measurement_are_refused() {
    for negative in NEGATIVE {
        let path = Path::new(negative);
        let name = path.file_stem().and_then(|stem| stem.to_str()).expect("a name");
        let output = import_output(path);
        assert!(output.contains("nothing written"), "{output}");
        insta::assert_snapshot!(format!("qasmbench_{name}"), output);
    }
}

fn qmlc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

#[test]
fn the_command_prints_the_program_or_writes_it_and_refuses_files_with_errors() {
    let dir = TempDir::new("qasm-import-cli");
    let good = "tests/qasm/qasmbench/small/deutsch_n2/deutsch_n2.qasm";
    let printed = qmlc(&["import", good]);
    assert_eq!(printed.status.code(), Some(0));
    let program = String::from_utf8(printed.stdout).expect("UTF-8");
    assert!(program.starts_with("// Imported by `qmlc import` from deutsch_n2.qasm"), "{program}");
    assert!(String::from_utf8_lossy(&printed.stderr).contains("warning[W1001]"));

    let out = dir.join("deutsch.qml");
    let written = qmlc(&["import", good, "-o", out.to_str().expect("UTF-8")]);
    assert_eq!(written.status.code(), Some(0), "{}", String::from_utf8_lossy(&written.stderr));
    assert!(written.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).expect("written"), program);
    let formatted = qmlc(&["fmt", "--check", out.to_str().expect("UTF-8")]);
    assert_eq!(formatted.status.code(), Some(0));
    let checked = qmlc(&["check", out.to_str().expect("UTF-8")]);
    assert_eq!(checked.status.code(), Some(0));

    let bad = dir.write("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nreset q[0];\n");
    let refused_out = dir.join("refused.qml");
    let refused = qmlc(&["import", bad.to_str().expect("UTF-8"), "-o", refused_out.to_str().expect("UTF-8")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!refused_out.exists(), "nothing is written for a file with errors");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("error[E1012]") && stderr.contains("bad.qasm:4:1"), "{stderr}");

    // A directory, or the OpenQASM file itself (by its path, a symbolic link or a hard link), is
    // a usage error, refused before anything is written.
    let to_directory = qmlc(&["import", good, "-o", dir.path.to_str().expect("UTF-8")]);
    assert_eq!(to_directory.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&to_directory.stderr).contains("directory"));
    let source = std::fs::read_to_string(good).expect("a readable corpus file");
    let copy = dir.write("copy.qasm", &source);
    let symlink = dir.join("link.qasm");
    std::os::unix::fs::symlink(&copy, &symlink).expect("a symbolic link");
    let hard_link = dir.join("hard.qasm");
    std::fs::hard_link(&copy, &hard_link).expect("a hard link");
    let dotted = format!("{}/./copy.qasm", dir.path.to_str().expect("UTF-8"));
    for target in
        [copy.to_str().expect("UTF-8"), symlink.to_str().expect("UTF-8"), hard_link.to_str().expect("UTF-8"), &dotted]
    {
        let onto_itself = qmlc(&["import", copy.to_str().expect("UTF-8"), "-o", target]);
        assert_eq!(onto_itself.status.code(), Some(2), "{target}");
        let stderr = String::from_utf8_lossy(&onto_itself.stderr);
        assert!(stderr.contains("is the OpenQASM file being imported"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&copy).expect("still there"), source, "{target}");
    }
    let missing = qmlc(&["import", "tests/qasm/no-such-file.qasm"]);
    assert_eq!(missing.status.code(), Some(1));
    let usage = qmlc(&["import"]);
    assert_eq!(usage.status.code(), Some(2));
    let help = qmlc(&["import", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("OpenQASM 2") && help.contains("-o, --out <OUT.qml>"), "{help}");
}

/// Text worth inserting into OpenQASM: its punctuation, keywords and the numbers at the edges.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    ":",
    "->",
    "@",
    "**",
    "^",
    "-",
    "/",
    "\n",
    "qreg q[3];",
    "qubit[2] r;",
    "gate g(a) x, y { cx x, y; }",
    "ctrl @ ",
    "negctrl(2) @ ",
    "inv @ ",
    "pow(3) @ ",
    "pow(-2) @ ",
    "for int i in [0:2] { ",
    "measure q -> c;",
    "measure q[0];",
    "input float[64] t;",
    "const int n = 2;",
    "gphase(pi);",
    "u2(0, pi)",
    "1e308",
    "1e-400",
    "-1",
    "9223372036854775808",
    "q[-1]",
    "q[0:1]",
    "q[{0, 1}]",
    "pi",
    "π",
    "é",
    "🦀",
    "\u{0}",
    "//",
    "/*",
    "\"",
    "OPENQASM 3;",
    "OPENQASM 2.0;",
    "include \"stdgates.inc\";",
    "barrier q;",
    "reset q;",
    "if (c == 1) ",
];

fn mutated(seed: &[u8], edits: &[(prop::sample::Index, usize, Option<&'static str>)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (at, length, insert) in edits {
        let position = at.index(bytes.len() + 1);
        match insert {
            Some(fragment) => {
                bytes.splice(position..position, fragment.bytes());
            }
            None => {
                let end = (position + length).min(bytes.len());
                bytes.drain(position.min(end)..end);
            }
        }
    }
    bytes
}

/// Imports any bytes: never a panic, and a program it writes always compiles and is formatted.
fn import_any(bytes: &[u8]) {
    let (source, not_utf8) = qmlc::source::Source::from_bytes("fuzz.qasm", bytes);
    if not_utf8.is_some() {
        return;
    }
    let imported = qmlc::qasm::import::import("fuzz.qasm", &source.text);
    for diagnostic in &imported.diagnostics {
        let span = diagnostic.primary.span;
        assert!(span.start <= span.end && span.end as usize <= source.text.len(), "{diagnostic:?}");
    }
    let _ = qmlc::render::human_all(&imported.diagnostics, &source, false);
    if let Some(qml) = imported.qml {
        let errors: Vec<_> = qmlc::check::compile(&qml).diagnostics.into_iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}\n{qml}\n{errors:#?}", source.text);
        assert_eq!(qmlc::fmt::format(&qml).as_deref(), Ok(qml.as_str()));
    }
}

/// The small corpus files, the seeds of the mutations (the large ones would make each case slow).
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut paths = corpus();
        paths.extend(qasm_files("tests/qasm/errors"));
        paths.extend(NEGATIVE.iter().map(PathBuf::from));
        paths
            .iter()
            .map(|path| std::fs::read(path).expect("a readable seed"))
            .filter(|bytes| bytes.len() < 8_000)
            .collect()
    })
}

fn fuzz_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7161_736d),
        ..proptest::test_runner::Config::default()
    }
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn random_bytes_never_make_the_importer_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        import_any(&bytes);
    }

    #[test]
    fn mutated_corpus_files_never_make_the_importer_panic_and_import_into_valid_programs(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 1usize..12, prop::option::of(prop::sample::select(FRAGMENTS))),
            1..6,
        ),
    ) {
        let seeds = seeds();
        import_any(&mutated(&seeds[seed.index(seeds.len())], &edits));
    }
}
