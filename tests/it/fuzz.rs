//! Bounded fuzzing that CI runs: the checks of the fuzz targets (`fuzz/src/checks.rs`) driven by proptest.
//!
//! The libFuzzer targets in `fuzz/` run for as long as one likes but need a nightly toolchain; this
//! module feeds the same four entry points a few hundred random and mutated inputs on every
//! `cargo test`, and replays every input the fuzzers have found a bug with (`fuzz/regressions/`).
//! Failures are not written back to the source tree: a proptest failure prints its input, which
//! belongs in `fuzz/regressions/<target>/` once the bug is understood.

#[path = "../../fuzz/src/checks.rs"]
mod checks;
#[path = "../../fuzz/src/generate.rs"]
mod generate;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The number of cases of each property: enough to reach every branch of the generator many
/// times, few enough that the whole module takes seconds in a debug build.
const CASES: u32 = 128;

fn config(cases: u32) -> Config {
    // No failure persistence: tests must not write into the source tree. A fixed seed: the
    // same cases run on every machine, so a failure in CI can be reproduced where it is read;
    // the cargo-fuzz targets in `fuzz/` are where new inputs are searched for.
    Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x716d_6c63),
        ..Config::default()
    }
}

/// The files of `directory` (relative to the package root) whose names end in one of `extensions`, sorted.
fn files_in(directory: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(directory) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| extensions.is_empty() || path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)))
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
}

fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().map(|path| std::fs::read(path).expect("a readable seed file")).collect()
}

/// Every `.qml` program of the repository: the fuzz targets' seed corpus.
fn repository_programs() -> &'static [Vec<u8>] {
    static PROGRAMS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let paths: Vec<PathBuf> = ["examples", "tests/ui", "tests/lower", "tests/conformance"]
            .iter()
            .flat_map(|directory| files_in(directory, &["qml"]))
            .collect();
        assert!(paths.len() >= 20, "the repository's programs were not found: {paths:?}");
        read_all(&paths)
    })
}

/// The params and inputs files of the repository and of `fuzz/seeds/params`.
fn params_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut paths = files_in("fuzz/seeds/params", &[]);
        paths.extend(files_in("tests/conformance", &["json"]));
        assert!(paths.len() >= 5, "the params seeds were not found: {paths:?}");
        read_all(&paths)
    })
}

/// The CSV files of the examples and of `fuzz/seeds/csv`.
fn csv_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut paths = files_in("fuzz/seeds/csv", &[]);
        paths.extend(files_in("examples/data", &["csv"]));
        assert!(paths.len() >= 5, "the CSV seeds were not found: {paths:?}");
        read_all(&paths)
    })
}

fn params_models() -> &'static [checks::ParamsModel] {
    static MODELS: OnceLock<Vec<checks::ParamsModel>> = OnceLock::new();
    MODELS.get_or_init(checks::params_models)
}

/// One edit of a byte string, as a mutation-based fuzzer makes them.
#[derive(Clone, Debug)]
enum Edit {
    Delete {
        at: prop::sample::Index,
        length: usize,
    },
    Insert {
        at: prop::sample::Index,
        bytes: Vec<u8>,
    },
    Replace {
        at: prop::sample::Index,
        byte: u8,
    },
    /// Copies a slice of the text to another place (duplicating a line, a brace, a number).
    Copy {
        from: prop::sample::Index,
        to: prop::sample::Index,
        length: usize,
    },
}

/// Fragments worth inserting: the language's punctuation and keywords, numbers at the edges of
/// what the checker accepts, and text that is hard on spans (multi-byte characters, CR, NUL).
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    "\n",
    "\r\n",
    "..",
    "=",
    "@",
    "^",
    "-",
    "*",
    "/",
    "%",
    "adj { ",
    "ctrl(0) { ",
    "for i in 0..3 { ",
    "def f(a) { ",
    "measure ",
    "head linear(2)",
    "qubits 41",
    "0",
    "1",
    "9",
    "-1",
    "1e308",
    "1e-400",
    "4294967296",
    "18446744073709551616",
    "0.5",
    "pi",
    "nan",
    "é",
    "日本",
    "🦀",
    "\u{0}",
    "\t",
    "\"",
    "\\",
    "//",
    "/*",
    "*/",
    "x",
    "w",
    "true",
    "null",
    "\"y\"",
];

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1usize..8).prop_map(|(at, length)| Edit::Delete { at, length }),
        (any::<prop::sample::Index>(), prop::sample::select(FRAGMENTS))
            .prop_map(|(at, fragment)| Edit::Insert { at, bytes: fragment.as_bytes().to_vec() }),
        (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, byte)| Edit::Replace { at, byte }),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 1usize..40)
            .prop_map(|(from, to, length)| Edit::Copy { from, to, length }),
    ]
}

fn apply_edits(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for edit in edits {
        match edit {
            Edit::Delete { at, length } if !bytes.is_empty() => {
                let start = at.index(bytes.len());
                let end = (start + length).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at, bytes: inserted } => {
                let position = at.index(bytes.len() + 1);
                bytes.splice(position..position, inserted.iter().copied());
            }
            Edit::Replace { at, byte } if !bytes.is_empty() => {
                let position = at.index(bytes.len());
                bytes[position] = *byte;
            }
            Edit::Copy { from, to, length } if !bytes.is_empty() => {
                let start = from.index(bytes.len());
                let copied: Vec<u8> = bytes[start..(start + length).min(bytes.len())].to_vec();
                let position = to.index(bytes.len() + 1);
                bytes.splice(position..position, copied);
            }
            _ => {}
        }
    }
    bytes
}

/// A seed chosen from `seeds` with one to eight edits.
fn mutated(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(seeds), prop::collection::vec(edit_strategy(), 1..8))
        .prop_map(|(seed, edits)| apply_edits(&seed, &edits))
}

/// A JSON value with the keys of the params models, and leaves of every JSON type.
fn json_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter_map("JSON has finite numbers only", |x| serde_json::Number::from_f64(x).map(Value::Number)),
        (-3i64..4).prop_map(|n| Value::Number(n.into())),
        prop::sample::select(&["", "1", "0.5", "nan", "w"][..]).prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop::sample::select(
            &[
                "w",
                "t",
                "x",
                "s",
                "meta",
                "head.0.weight",
                "head.0.bias",
                "head.2.weight",
                "head.2.bias",
                "head.1.weight",
                "W",
            ][..],
        );
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..7)
                .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A JSON value shaped like a real params file of the first params model, with a few leaves
/// changed, so that the readers get past their first checks.
fn nearly_valid_params() -> impl Strategy<Value = Value> {
    let seed: Value = serde_json::from_slice(&std::fs::read("fuzz/seeds/params/full.json").expect("the seed exists"))
        .expect("the seed is JSON");
    let leaves = prop_oneof![
        Just(Value::Null),
        (-2.0f64..2.0).prop_map(|x| serde_json::json!(x)),
        Just(serde_json::json!([])),
        Just(serde_json::json!([1, 2])),
        Just(serde_json::json!("0.5")),
        Just(serde_json::json!(1e308)),
    ];
    (prop::collection::vec((any::<prop::sample::Index>(), leaves), 1..4)).prop_map(move |changes| {
        let mut value = seed.clone();
        for (at, leaf) in changes {
            let target = at.index(count_nodes(&value));
            replace_node(&mut value, &mut { target }, leaf);
        }
        value
    })
}

/// The number of values inside `value`, itself included.
fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Replaces the value that comes `*remaining` places after `value` in pre-order by `leaf`.
fn replace_node(value: &mut Value, remaining: &mut usize, leaf: Value) -> Option<Value> {
    if *remaining == 0 {
        *value = leaf;
        return None;
    }
    *remaining -= 1;
    let children: Vec<&mut Value> = match value {
        Value::Array(items) => items.iter_mut().collect(),
        Value::Object(map) => map.values_mut().collect(),
        _ => Vec::new(),
    };
    let mut leaf = Some(leaf);
    for child in children {
        match leaf.take() {
            Some(unplaced) => leaf = replace_node(child, remaining, unplaced),
            None => break,
        }
    }
    leaf
}

/// Fields worth putting in a CSV file: numbers at the edges of what parses, names, quotes,
/// separators and blanks.
const CSV_FIELDS: &[&str] = &[
    "0",
    "1",
    "-0.5",
    "1e3",
    "1e400",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "",
    " ",
    "x",
    "y",
    "label",
    "cat",
    "\"a,b\"",
    "\"q\"\"q\"",
    "\"",
    "\"\n\"",
    "é",
    ",",
    "0x1F",
    "+2",
    ".5",
    "5.",
    "1_000",
    "\u{feff}y",
];

fn csv_strategy() -> impl Strategy<Value = String> {
    let row = prop::collection::vec(prop::sample::select(CSV_FIELDS), 0..5).prop_map(|fields| fields.join(","));
    (prop::collection::vec(row, 0..8), prop::sample::select(&["\n", "\r\n", "\n\n", "\r"][..]))
        .prop_map(|(rows, end)| rows.join(end))
}

/// The input and param value bytes the engine gets for a generated program: mostly ordinary
/// angles, sometimes 0, 1, NaN, ±∞ or huge finite values (see `checks::value_of_byte`).
fn value_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop_oneof![8 => 2u8..249, 1 => 249u8..=255, 1 => 0u8..2], 0..24)
}

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn arbitrary_bytes_never_break_the_front_end(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        checks::frontend(&bytes);
    }

    #[test]
    fn mutated_repository_programs_never_break_the_front_end(bytes in mutated(repository_programs())) {
        checks::frontend(&bytes);
    }

    #[test]
    fn generated_programs_check_clean_run_and_differentiate(
        choices in prop::collection::vec(any::<u8>(), 0..160),
        values in value_bytes(),
    ) {
        let text = generate::program(&mut generate::Choices::new(&choices));
        let output = checks::frontend_text(&text);
        let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "a generated program does not check:\n{}\n{:?}", text, errors);
        checks::engine_program(&text, &values);
    }

    #[test]
    fn mutated_repository_programs_run_or_fail_cleanly(bytes in mutated(repository_programs()), values in value_bytes()) {
        checks::engine_program(&String::from_utf8_lossy(&bytes), &values);
    }

    #[test]
    fn arbitrary_bytes_never_break_the_engine_target(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        checks::engine(&bytes);
    }

    #[test]
    fn arbitrary_json_never_breaks_the_params_readers(json in json_strategy()) {
        for model in params_models() {
            checks::params_json(&json, model);
        }
    }

    #[test]
    fn nearly_valid_params_files_are_read_or_refused_with_a_reason(json in nearly_valid_params()) {
        for model in params_models() {
            checks::params_json(&json, model);
        }
    }

    #[test]
    fn mutated_params_files_never_break_the_readers(bytes in mutated(params_seeds())) {
        checks::params(&bytes, params_models());
    }

    #[test]
    fn arbitrary_csv_never_breaks_the_data_readers(text in csv_strategy()) {
        checks::csv(text.as_bytes());
    }

    #[test]
    fn mutated_csv_files_never_break_the_data_readers(bytes in mutated(csv_seeds())) {
        checks::csv(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_break_the_data_readers(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        checks::csv(&bytes);
    }
}

#[test]
fn every_repository_program_passes_the_front_end_and_engine_checks() {
    for program in repository_programs() {
        checks::frontend(program);
        for values in [&[][..], &[2, 200, 77, 130, 0, 1][..], &[249, 3][..]] {
            let mut data = program.clone();
            data.push(0);
            data.extend_from_slice(values);
            checks::engine(&data);
        }
    }
}

#[test]
fn every_seed_file_passes_its_checks() {
    for seed in params_seeds() {
        checks::params(seed, params_models());
    }
    for seed in csv_seeds() {
        checks::csv(seed);
    }
}

/// Saved fuzz inputs that still fail because of a bug not yet fixed, each with its own ignored
/// test below: `(target, file name)`. Empty while every bug the fuzzers found is fixed.
const KNOWN_FAILING: &[(&str, &str)] = &[];

/// Runs one saved input through its target's check.
fn replay(target: &str, path: &Path) {
    let bytes = std::fs::read(path).expect("a readable regression file");
    match target {
        "frontend" => checks::frontend(&bytes),
        "engine" => checks::engine(&bytes),
        "params" => checks::params(&bytes, params_models()),
        "csv" => checks::csv(&bytes),
        other => panic!("fuzz/regressions/{other} is not a fuzz target"),
    }
}

#[test]
fn every_saved_fuzz_regression_passes() {
    for target in ["frontend", "engine", "params", "csv"] {
        for path in files_in(&format!("fuzz/regressions/{target}"), &[]) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if KNOWN_FAILING.contains(&(target, name)) || name == "README.md" {
                continue;
            }
            let outcome = std::panic::catch_unwind(|| replay(target, &path));
            assert!(outcome.is_ok(), "fuzz/regressions/{target}/{name} fails again");
        }
    }
}

#[test]
fn strongly_entangling_layers_refuses_a_range_of_zero() {
    let path = Path::new("fuzz/regressions/frontend/sel-range-zero.qml");
    let text = std::fs::read_to_string(path).expect("the regression file exists");
    let output = qmlc::check::compile(&text);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E0305"], "a range of 0 must be refused");
    replay("frontend", path);
    replay("engine", Path::new("fuzz/regressions/engine/sel-range-zero-crash-6e0b1b53"));
}

#[test]
fn u3_keeps_the_norm_with_a_huge_phase() {
    replay("engine", Path::new("fuzz/regressions/engine/u3-huge-phase-not-unitary"));
}

#[test]
fn csv_rows_after_a_lone_carriage_return_are_located_on_their_own_lines() {
    let text = std::fs::read_to_string("fuzz/regressions/csv/lone-carriage-returns.csv").expect("the file exists");
    let error = qmlc::train::data::from_csv(&text, "cr.csv", "y").expect_err("row 3 has a bad feature");
    assert!(error.to_string().contains("cr.csv, line 3"), "{error}");
}
