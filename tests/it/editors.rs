//! The VS Code extension in `editors/vscode`: its manifest, its TextMate grammar against the compiler's
//! registry of keywords and builtins, and the grammar's own tests under npm where Node.js is installed.

use qmlc::builtins::{
    gates::GATES, CONSTANTS, DATA_SOURCES, FEATURE_MAPS, FUNCTIONS, GRADIENT_METHODS, HEAD_LAYERS, INITIALIZERS,
    KEYWORDS, LOSSES, MEASUREMENTS, OBSERVABLES, OPTIMIZERS, TEMPLATES, TRAIN_FIELDS,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn extension_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors").join("vscode")
}

fn read_json(relative: &str) -> Value {
    let path = extension_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{} is readable: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{} is JSON: {error}", path.display()))
}

fn grammar() -> Value {
    read_json("syntaxes/qmlc.tmLanguage.json")
}

/// The words a regular expression lists as alternatives of a group: `id` and `x` in `\b(?:id|x)\b`,
/// `on` in `\b(on)\b`. Escapes are dropped first, so `\s` and `\b` never count as words, and a run of
/// letters inside a character class (`[A-Za-z_]`) is not an alternative either.
fn alternation_words(pattern: &str) -> Vec<String> {
    let mut unescaped = String::with_capacity(pattern.len());
    let mut characters = pattern.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            characters.next();
            unescaped.push(' ');
        } else {
            unescaped.push(character);
        }
    }
    let characters: Vec<char> = unescaped.chars().collect();
    let is_word = |character: char| character.is_ascii_alphanumeric() || character == '_';
    let mut words = Vec::new();
    let mut start = 0;
    while start < characters.len() {
        if !is_word(characters[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < characters.len() && is_word(characters[end]) {
            end += 1;
        }
        let opens = start > 0 && matches!(characters[start - 1], '(' | ':' | '|');
        let closes = end < characters.len() && matches!(characters[end], '|' | ')');
        if opens && closes {
            words.push(characters[start..end].iter().collect());
        }
        start = end;
    }
    words
}

/// Every alternative of every `match`, `begin` and `end` expression anywhere in `value`.
fn words_in(value: &Value, words: &mut BTreeSet<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match (key.as_str(), field) {
                    ("match" | "begin" | "end", Value::String(pattern)) => words.extend(alternation_words(pattern)),
                    _ => words_in(field, words),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| words_in(item, words)),
        _ => {}
    }
}

/// The alternatives of the grammar's repository entry `key` (`gates`, `templates`, …).
fn repository_words(grammar: &Value, key: &str) -> BTreeSet<String> {
    let entry = &grammar["repository"][key];
    assert!(!entry.is_null(), "the grammar's repository has no entry `{key}`");
    let mut words = BTreeSet::new();
    words_in(entry, &mut words);
    words
}

fn missing<'a>(names: impl IntoIterator<Item = &'a str>, words: &BTreeSet<String>) -> Vec<&'a str> {
    names.into_iter().filter(|name| !words.contains(*name)).collect()
}

#[test]
fn alternation_words_are_the_listed_names_only() {
    assert_eq!(alternation_words(r"(?:^|(?<=[{;]))\s*\b(cnot|cx|s)\b(?=\s*\()"), ["cnot", "cx", "s"]);
    assert_eq!(alternation_words(r"\b(on)\b"), ["on"]);
    assert!(alternation_words(r"[A-Za-z_][A-Za-z0-9_]*").is_empty());
    assert!(alternation_words(r"\b(param)\s+([A-Za-z_][A-Za-z0-9_]*)").contains(&"param".to_string()));
}

#[test]
fn the_manifest_declares_the_language_the_grammar_and_the_commands() {
    let manifest = read_json("package.json");
    assert_eq!(manifest["name"], "qmlc");
    assert!(manifest["engines"]["vscode"].is_string(), "engines.vscode is missing");
    let activation: Vec<&str> =
        manifest["activationEvents"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(activation.contains(&"onLanguage:qmlc"), "activationEvents: {activation:?}");
    let main = manifest["main"].as_str().expect("package.json names its main script");
    assert!(extension_dir().join(main).is_file(), "the main script {main} exists");

    let contributes = &manifest["contributes"];
    let languages = contributes["languages"].as_array().expect("contributes.languages is a list");
    let language = languages.iter().find(|language| language["id"] == "qmlc").expect("a language with id `qmlc`");
    let extensions: Vec<&str> =
        language["extensions"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert_eq!(extensions, [".qml"]);
    let configuration = language["configuration"].as_str().expect("the language names its configuration");
    let configuration = extension_dir().join(configuration);
    let configuration: Value = serde_json::from_str(&std::fs::read_to_string(&configuration).expect("readable"))
        .expect("language-configuration.json is JSON");
    assert_eq!(configuration["comments"]["lineComment"], "//");

    let grammars = contributes["grammars"].as_array().expect("contributes.grammars is a list");
    let entry = grammars.iter().find(|entry| entry["language"] == "qmlc").expect("a grammar for `qmlc`");
    assert_eq!(entry["scopeName"], "source.qmlc");
    assert_eq!(entry["path"], "./syntaxes/qmlc.tmLanguage.json");
    assert_eq!(grammar()["scopeName"], "source.qmlc");

    let commands: BTreeSet<&str> = contributes["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|command| command["command"].as_str())
        .collect();
    for command in ["qmlc.run", "qmlc.grad", "qmlc.train", "qmlc.draw", "qmlc.restartServer"] {
        assert!(commands.contains(command), "package.json does not contribute the command {command}");
    }

    let settings = &contributes["configuration"]["properties"];
    assert_eq!(settings["qmlc.serverPath"]["default"], "qmlc");
    assert!(settings["qmlc.trace.server"].is_object(), "the setting qmlc.trace.server is missing");
}

#[test]
fn the_grammar_knows_every_keyword_gate_and_builtin_of_the_registry() {
    let grammar = grammar();
    let mut everywhere = BTreeSet::new();
    words_in(&grammar, &mut everywhere);

    let keywords = missing(KEYWORDS.iter().map(|keyword| keyword.name), &everywhere);
    assert!(keywords.is_empty(), "keywords the grammar does not highlight: {keywords:?}");

    let gates = repository_words(&grammar, "gates");
    let gate_names = GATES.iter().flat_map(|gate| gate.surface_names());
    let gates = missing(gate_names, &gates);
    assert!(gates.is_empty(), "gates missing from the grammar's `gates` entry: {gates:?}");

    let templates = repository_words(&grammar, "templates");
    let templates = missing(TEMPLATES.iter().map(|template| template.name), &templates);
    assert!(templates.is_empty(), "templates missing from the grammar's `templates` entry: {templates:?}");

    let fields = repository_words(&grammar, "train-block");
    let fields = missing(TRAIN_FIELDS.iter().map(|field| field.name), &fields);
    assert!(fields.is_empty(), "train fields missing from the grammar's `train-block` entry: {fields:?}");

    let constants = missing(CONSTANTS.iter().map(|constant| constant.name), &everywhere);
    assert!(constants.is_empty(), "constants the grammar does not highlight: {constants:?}");

    for (kind, entries) in [
        ("observables", OBSERVABLES),
        ("measurements", MEASUREMENTS),
        ("functions", FUNCTIONS),
        ("initializers", INITIALIZERS),
        ("head layers", HEAD_LAYERS),
        ("data sources", DATA_SOURCES),
        ("feature maps", FEATURE_MAPS),
        ("losses", LOSSES),
        ("optimizers", OPTIMIZERS),
        ("gradient methods", GRADIENT_METHODS),
    ] {
        let names = missing(entries.iter().map(|entry| entry.name), &everywhere);
        assert!(names.is_empty(), "{kind} the grammar does not highlight: {names:?}");
    }
}

/// Whether `program --version` runs; the tests that need Node.js are skipped without it.
fn runs(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|output| output.status.success())
}

#[test]
fn the_extension_script_is_valid_javascript() {
    if !runs("node") {
        eprintln!("skipped: `node` is not installed, so editors/vscode/extension.js is not checked");
        return;
    }
    let output = Command::new("node")
        .args(["--check", "extension.js"])
        .current_dir(extension_dir())
        .output()
        .expect("node starts");
    assert!(output.status.success(), "node --check extension.js:\n{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn the_grammar_tests_pass_under_npm() {
    if !runs("node") || !runs("npm") {
        eprintln!("skipped: `node` or `npm` is not installed, so the grammar tests of editors/vscode do not run");
        return;
    }
    if !extension_dir().join("node_modules").join(".bin").is_dir() {
        eprintln!("skipped: run `npm ci` in editors/vscode first, so the grammar tests there can run");
        return;
    }
    let output = Command::new("npm").arg("test").current_dir(extension_dir()).output().expect("npm starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "npm test failed in editors/vscode:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("tests/example.qml"), "npm test did not run the assertion files:\n{stdout}");
    assert!(stdout.contains("tests/snapshots/"), "npm test did not run the snapshot files:\n{stdout}");
    assert!(stdout.contains("# fail 0"), "npm test did not run the extension's tests:\n{stdout}");
}
