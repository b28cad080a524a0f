//! Properties of the front end: no input makes it panic, however mangled or deeply nested.

use proptest::prelude::*;

const SEED_PROGRAMS: &[&str] = &[
    include_str!("../conformance/seed_classifier.qml"),
    include_str!("../conformance/def_block.qml"),
    include_str!("../conformance/gate_zoo.qml"),
    include_str!("../conformance/iqp_sel.qml"),
    include_str!("../conformance/amplitude.qml"),
];

const FRAGMENTS: &[&str] = &[
    "qubits",
    "input",
    "param",
    "const",
    "def",
    "circuit",
    "measure",
    "head",
    "train",
    "for",
    "in",
    "on",
    "adj",
    "ctrl",
    "true",
    "x",
    "w",
    "i",
    "ry",
    "cnot",
    "rot",
    "multirz",
    "angle_embedding",
    "strongly_entangling_layers",
    "expval",
    "probs",
    "Z",
    "X",
    "linear",
    "adam",
    "data",
    "moons",
    "csv",
    "0",
    "1",
    "2",
    "3",
    "0.5",
    "1e-3",
    "pi",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "@",
    "..",
    "\n",
    ";",
    " ",
    "\"s\"",
    "/*",
    "*/",
    "//",
    "#",
    "é",
    "\t",
];

fn compile_does_not_panic(text: &str) {
    let output = qmlc::check::compile(text);
    // Rendering must not panic either: spans always lie inside the text.
    let source = qmlc::source::Source::new("fuzz.qml", text);
    for diagnostic in &output.diagnostics {
        let _ = qmlc::render::human(diagnostic, &source, false);
        let _ = qmlc::render::json(diagnostic, &source);
    }
    if let Some(circuit) = output.circuit {
        let _ = qmlc::opt::optimize(&circuit);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80)) {
        compile_does_not_panic(&tokens.join(" "));
    }

    #[test]
    fn mutated_programs_never_panic(
        program in prop::sample::select(SEED_PROGRAMS),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(FRAGMENTS)), 1..6),
    ) {
        let mut text: Vec<char> = program.chars().collect();
        for (at, kind, fragment) in edits {
            let position = at.index(text.len() + 1);
            match kind {
                0 if position < text.len() => { text.remove(position); }
                1 => { for (k, c) in fragment.chars().enumerate() { text.insert(position + k, c); } }
                _ if position < text.len() => { text[position] = fragment.chars().next().unwrap_or(' '); }
                _ => {}
            }
        }
        compile_does_not_panic(&text.into_iter().collect::<String>());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        compile_does_not_panic(&text);
    }
}

#[test]
fn very_deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("qubits 1\nconst k = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    let output = qmlc::check::compile(&deep);
    assert_eq!(output.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["E0803"]);

    let blocks = format!("qubits 1\ncircuit {{ {} h 0 {} }}\n", "adj { ".repeat(50_000), "} ".repeat(50_000));
    let output = qmlc::check::compile(&blocks);
    assert_eq!(output.diagnostics[0].code, "E0803");
}

#[test]
fn nesting_just_inside_the_limit_compiles() {
    let depth = 150;
    let source = format!(
        "qubits 1\nparam t\ncircuit {{\n{} rx(t) 0 {}\n}}\nmeasure expval(Z(0))\n",
        "adj { ".repeat(depth),
        "} ".repeat(depth)
    );
    let output = qmlc::check::compile(&source);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let circuit = output.circuit.expect("lowers");
    // An even number of adjoints gives back rx(t).
    assert_eq!(circuit.listing(), "rx(t) 0\nmeasure expval(Z(0))\n");
}

#[test]
fn long_operator_chains_are_refused_before_they_reach_the_checker() {
    let long = format!("qubits 1\nconst k = {}1\n", "-".repeat(30_000));
    let output = qmlc::check::compile(&long);
    assert_eq!(output.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["E0803"]);
}
