//! `qmlc fmt`: snapshots of the layout (`tests/fmt/*.qml`), and the properties that make it safe
//! to run on any file: formatting is idempotent, keeps every comment, and gives a program that
//! lowers to the same gate list (or, with errors, the same diagnostic codes) as the original.

// The fuzz targets' program generator, loaded here too: the `fuzz` test module keeps its copy
// private, and sharing the file keeps one generator for both.
#[path = "../../fuzz/src/generate.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod generate;

use crate::temp::TempDir;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[test]
fn the_layout_of_each_fmt_case() {
    insta::glob!("../fmt", "*.qml", |path| {
        let text = std::fs::read_to_string(path).expect("test files are readable");
        let formatted = qmlc::fmt::format(&text).unwrap_or_else(|diagnostics| {
            panic!("{} does not parse: {diagnostics:?}", path.display());
        });
        insta::assert_snapshot!(formatted);
    });
}

/// Every `.qml` file of the repository's model and test directories, with its text (files that
/// are not UTF-8 on purpose are left out).
fn repository_programs() -> Vec<(PathBuf, String)> {
    let directories = ["examples", "tests/ui", "tests/lower", "tests/conformance", "tests/fmt", "benches/models"];
    let mut programs = Vec::new();
    for directory in directories {
        let Ok(entries) = std::fs::read_dir(directory) else { continue };
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            if path.extension().is_some_and(|extension| extension == "qml") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    programs.push((path, text));
                }
            }
        }
    }
    programs.sort();
    assert!(programs.len() >= 80, "the repository's programs were not found");
    programs
}

/// The comments of a text, in order, as `fmt` prints them (without trailing spaces).
fn comments(text: &str) -> Vec<String> {
    let (_, trivia, _) = qmlc::parser::parse_with_trivia(text);
    trivia.comments.iter().map(|comment| text[comment.span.range()].trim_end().to_string()).collect()
}

/// The diagnostic codes of a text, sorted: a multiset to compare.
fn codes(output: &qmlc::check::CheckOutput) -> Vec<String> {
    let mut codes: Vec<String> = output.diagnostics.iter().map(|d| d.code.to_string()).collect();
    codes.sort();
    codes
}

/// What a program means, without its spans: the gate list and measurements, the register, the
/// declarations, the head and the train blocks; or, with errors, the codes reported.
fn meaning(text: &str) -> String {
    let output = qmlc::check::compile(text);
    // Spans move with the layout; they are cut out of the debug text.
    let described = match &output.circuit {
        Some(circuit) => format!(
            "{} qubits\n{}inputs {:?}\nhead {:?}\ntrain {:?}\nparams {:?}",
            circuit.n_qubits,
            circuit.listing(),
            circuit.inputs.iter().map(|input| &input.name).collect::<Vec<_>>(),
            circuit.head,
            circuit.train,
            circuit
                .params
                .iter()
                .map(|param| (&param.variable.name, &param.variable.shape, &param.init))
                .collect::<Vec<_>>(),
        ),
        None => format!("errors {:?}", codes(&output)),
    };
    described
        .split("span: Span {")
        .enumerate()
        .map(|(position, part)| if position == 0 { part } else { part.split_once('}').map_or(part, |(_, rest)| rest) })
        .collect()
}

/// Checks the properties of `fmt` on one text: refused only with a syntax error; otherwise
/// idempotent, every comment kept in order, and the same meaning. Returns the formatted text.
fn check_formatting(name: &str, text: &str) -> Result<Option<String>, String> {
    let formatted = match qmlc::fmt::format(text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            let (_, parse_diagnostics) = qmlc::parser::parse(text);
            if !parse_diagnostics.iter().any(|d| d.is_error()) {
                return Err(format!("{name}: refused without a syntax error: {diagnostics:?}"));
            }
            return Ok(None);
        }
    };
    let again =
        qmlc::fmt::format(&formatted).map_err(|d| format!("{name}: the formatted text does not parse: {d:?}"))?;
    if again != formatted {
        return Err(format!("{name}: formatting is not idempotent:\n--- once\n{formatted}\n--- twice\n{again}"));
    }
    if comments(text) != comments(&formatted) {
        return Err(format!("{name}: comments changed:\n{:?}\n{:?}", comments(text), comments(&formatted)));
    }
    let (before, after) = (meaning(text), meaning(&formatted));
    if before != after {
        return Err(format!(
            "{name}: the meaning changed:\n--- before\n{before}\n--- after\n{after}\n--- formatted\n{formatted}"
        ));
    }
    Ok(Some(formatted))
}

#[test]
fn every_repository_program_formats_idempotently_and_keeps_its_meaning() {
    let mut failures = Vec::new();
    let mut formatted_count = 0;
    for (path, text) in repository_programs() {
        match check_formatting(&path.display().to_string(), &text) {
            Ok(Some(_)) => formatted_count += 1,
            Ok(None) => {}
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(formatted_count >= 70, "only {formatted_count} programs could be formatted");
}

#[test]
fn the_examples_are_already_in_the_canonical_layout() {
    for (path, text) in repository_programs() {
        if path.starts_with("examples") {
            let formatted = qmlc::fmt::format(&text).expect("the examples parse");
            assert_eq!(formatted, text, "{} is not formatted", path.display());
        }
    }
}

fn config(cases: u32) -> Config {
    // No failure persistence (tests write nothing into the source tree) and a fixed seed, as the
    // fuzz module does, so a failure reproduces where it is read.
    Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x666d_7421),
        ..Config::default()
    }
}

/// Spreads a program's layout without changing its tokens: doubles spaces, indents lines oddly
/// and adds a trailing comment and empty lines here and there.
fn spread(text: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    for (number, line) in text.lines().enumerate() {
        let choice = choices.get(number % choices.len().max(1)).copied().unwrap_or(0);
        out.push_str(&" ".repeat(usize::from(choice % 3)));
        out.push_str(&line.trim_start().replace(' ', if choice % 2 == 0 { "  " } else { " " }));
        if choice % 5 == 0 {
            out.push_str(" // note");
        }
        out.push('\n');
        if choice % 7 == 0 {
            out.push('\n');
        }
    }
    out
}

/// What a mutation inserts: layout, comments, terminators and the tokens that group.
const INSERTIONS: &[&str] = &[" ", "\n", "\n\n", ";", "// note\n", "/* note */", "(", ")", "-", "1", ",", "{", "}"];

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn generated_programs_format_idempotently_and_keep_their_gate_lists(
        choices in prop::collection::vec(any::<u8>(), 0..160),
        layout in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let text = generate::program(&mut generate::Choices::new(&choices));
        let formatted = check_formatting("generated", &text).map_err(TestCaseError::fail)?;
        prop_assert!(formatted.is_some(), "a generated program does not parse:\n{}", text);
        // Strings hold spaces that are not layout; the generator writes none, but make sure.
        if !text.contains('"') {
            let spread_text = spread(&text, &layout);
            let respread = check_formatting("spread", &spread_text).map_err(TestCaseError::fail)?;
            prop_assert!(respread.is_some(), "a spread program does not parse:\n{}", spread_text);
        }
    }

    #[test]
    fn mutated_repository_programs_format_safely_when_they_parse(
        program in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, prop::sample::select(INSERTIONS)), 1..5),
    ) {
        let programs = repository_programs();
        let (_, text) = &programs[program.index(programs.len())];
        let mut characters: Vec<char> = text.chars().collect();
        // An edit cuts up to three characters, or (with a length of 0) inserts a fragment.
        for (at, length, insertion) in edits {
            let start = at.index(characters.len() + 1);
            if length == 0 {
                characters.splice(start..start, insertion.chars());
            } else {
                let end = (start + length).min(characters.len());
                characters.drain(start..end);
            }
        }
        let mutated: String = characters.into_iter().collect();
        check_formatting("mutated", &mutated).map_err(TestCaseError::fail)?;
    }
}

fn qmlc(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qmlc runs");
    child.stdin.take().expect("stdin is piped").write_all(stdin.as_bytes()).expect("qmlc reads stdin");
    child.wait_with_output().expect("qmlc ends")
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

const UNFORMATTED: &str = "qubits 1\ncircuit { h 0; x 0 }\nmeasure expval(Z(0))\n";
const FORMATTED: &str = "qubits 1\ncircuit {\n    h 0\n    x 0\n}\nmeasure expval(Z(0))\n";

#[test]
fn fmt_check_names_the_files_that_would_change_and_exits_1() {
    let dir = TempDir::new("check");
    let unformatted = dir.write("a.qml", UNFORMATTED);
    let formatted = dir.write("b.qml", FORMATTED);
    let output = qmlc(&["fmt", "--check", path_text(&unformatted), path_text(&formatted)], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), format!("{}\n", unformatted.display()));
    assert_eq!(std::fs::read_to_string(&unformatted).expect("readable"), UNFORMATTED, "--check changed the file");

    let output = qmlc(&["fmt", "--check", path_text(&formatted)], "");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
}

#[test]
fn fmt_rewrites_a_file_in_place() {
    let dir = TempDir::new("rewrite");
    let path = dir.write("model.qml", UNFORMATTED);
    let output = qmlc(&["fmt", path_text(&path)], "");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), FORMATTED);
}

#[test]
fn fmt_dash_formats_standard_input_to_standard_output() {
    let output = qmlc(&["fmt", "-"], UNFORMATTED);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), FORMATTED);
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_alone_and_exits_1() {
    let dir = TempDir::new("syntax-error");
    let broken = "qubits 1\ncircuit {  h( 0\n}\n";
    let path = dir.write("broken.qml", broken);
    let output = qmlc(&["fmt", path_text(&path)], "");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0002") && stderr.contains("not formatted"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), broken);
}
