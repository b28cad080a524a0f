//! The owned analysis: the symbol table of the resolution pass and the position queries on it.

use qmlc::analysis::{analyze, Analysis, Node};
use qmlc::check::{Symbol, SymbolKind};
use qmlc::codes::Code;
use qmlc::source::{Source, Span};

fn analysis_of(text: &str) -> Analysis {
    analyze(&Source::new("test.qml", text))
}

/// The byte offset of the `nth` (from 0) occurrence of `needle`.
fn offset_of(text: &str, needle: &str, nth: usize) -> usize {
    text.match_indices(needle).nth(nth).map(|(i, _)| i).expect("the needle is in the text")
}

fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let start = offset_of(text, needle, nth);
    Span::new(start, start + needle.len())
}

/// The span of a one-letter name at the start of the `nth` occurrence of `context`.
fn letter_at(text: &str, context: &str, nth: usize) -> Span {
    let start = offset_of(text, context, nth);
    Span::new(start, start + 1)
}

fn only_symbol<'a>(analysis: &'a Analysis, name: &'a str) -> &'a Symbol {
    let found: Vec<&Symbol> = analysis.symbols.named(name).map(|(_, s)| s).collect();
    assert_eq!(found.len(), 1, "one symbol named `{name}`: {found:?}");
    found[0]
}

#[test]
fn a_loop_variable_has_its_definition_scope_and_uses() {
    let text = "qubits 4\ncircuit {\n    for i in 0..3 {\n        cnot i, i + 1\n    }\n}\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    assert!(analysis.circuit.is_some(), "{:?}", analysis.diagnostics);
    let i = only_symbol(&analysis, "i");
    assert_eq!(i.kind, SymbolKind::LoopVariable);
    assert_eq!(i.name_span, letter_at(text, "i in", 0));
    assert_eq!(i.shape, Some(vec![]));
    assert_eq!(i.detail, "for i in 0..3");
    // Once per textual use, although the body runs three times.
    assert_eq!(i.uses, vec![letter_at(text, "i,", 0), letter_at(text, "i + 1", 0)]);
    let scope = i.scope.expect("a local has a scope");
    assert!(scope.contains(offset_of(text, "cnot", 0)));
    assert!(!scope.contains(offset_of(text, "measure", 0)));
}

#[test]
fn a_def_parameter_is_used_inside_the_body_and_its_shape_is_known() {
    let text = "qubits 2\nconst n = 3\ndef layer(a[n], b) {\n    ry(a[0] + b) 0\n    rz(a[2]) 1\n}\n\
                circuit { layer([1, 2, 3], 0.5) 0, 1 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    assert!(analysis.circuit.is_some(), "{:?}", analysis.diagnostics);
    let a = only_symbol(&analysis, "a");
    assert_eq!(a.kind, SymbolKind::DefParameter);
    assert_eq!(a.shape, Some(vec![3]));
    assert_eq!(a.uses, vec![letter_at(text, "a[0]", 0), letter_at(text, "a[2]", 0)]);
    let b = only_symbol(&analysis, "b");
    assert_eq!(b.shape, Some(vec![]));
    assert_eq!(b.uses.len(), 1);
    // The const in the parameter's shape and the def's application are uses too.
    assert_eq!(only_symbol(&analysis, "n").uses, vec![letter_at(text, "n]", 0)]);
    assert_eq!(only_symbol(&analysis, "layer").uses, vec![span_of(text, "layer", 1)]);
}

#[test]
fn a_name_outside_its_loop_is_still_unknown_and_an_inner_loop_shadows() {
    let text = "qubits 2\ncircuit {\n    for i in 0..2 { for i in 0..1 { h i } }\n    x i\n}\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    let codes: Vec<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::E0101), "{codes:?}");
    let loops: Vec<&Symbol> = analysis.symbols.named("i").map(|(_, s)| s).collect();
    assert_eq!(loops.len(), 2);
    assert!(loops[0].uses.is_empty(), "the outer `i` is shadowed: {:?}", loops[0].uses);
    assert_eq!(loops[1].uses, vec![letter_at(text, "i }", 0)]);
    let unresolved: Vec<&str> = analysis.symbols.unresolved().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(unresolved, vec!["i"]);
}

#[test]
fn doc_comments_are_the_comment_lines_above_a_declaration() {
    let text =
        "// The register.\nqubits 1\n\n// The data.\n// One angle per sample.\ninput x\n\nparam w // not a doc\n\
                circuit { ry(x) 0\n rz(w) 0 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    assert_eq!(only_symbol(&analysis, "x").doc.as_deref(), Some("The data.\nOne angle per sample."));
    assert_eq!(only_symbol(&analysis, "w").doc, None);
}

#[test]
fn node_at_finds_the_symbol_of_a_use_and_of_a_declaration() {
    let text = "qubits 1\nparam theta = zeros\ncircuit { ry(theta * 2) 0 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    let declared = analysis.symbols.global("theta").expect("theta is declared");

    let use_offset = offset_of(text, "theta", 1) + 2;
    let node = analysis.node_at(use_offset).expect("a node at the use");
    match node {
        Node::Name { ident, symbol, is_definition } => {
            assert_eq!(ident.name, "theta");
            assert_eq!(symbol, Some(declared));
            assert!(!is_definition);
        }
        other => panic!("expected a name, found {other:?}"),
    }
    // Outward from the name: the name expression, the product, the statement, the item.
    let nodes = analysis.nodes_at(use_offset);
    assert!(matches!(nodes.last(), Some(Node::Item(_))));
    assert!(nodes.iter().any(|n| matches!(n, Node::Stmt(_))));
    assert!(nodes.windows(2).all(|w| w[1].span().start <= w[0].span().start && w[0].span().end <= w[1].span().end));

    let node = analysis.node_at(offset_of(text, "theta", 0)).expect("a node at the declaration");
    assert!(matches!(node, Node::Name { symbol: Some(s), is_definition: true, .. } if s == declared));
    assert_eq!(analysis.definition_at(use_offset).map(|s| s.name_span), Some(span_of(text, "theta", 0)));
    // The end of a name counts as on it, where the cursor sits after typing it.
    assert_eq!(analysis.symbol_at(offset_of(text, "theta", 1) + 5), Some(declared));
    assert_eq!(analysis.references_of(declared), vec![span_of(text, "theta", 0), span_of(text, "theta", 1)]);
    // A builtin names no symbol.
    assert!(matches!(analysis.node_at(offset_of(text, "ry", 0)), Some(Node::Name { symbol: None, .. })));
}

/// A program whose loop runs `trips` times, with many declarations used inside it.
fn big_program(trips: u64, declarations: usize) -> String {
    let mut text = String::from("qubits 2\n");
    for k in 0..declarations {
        text.push_str(&format!("const c{k} = {k}\n"));
    }
    text.push_str(&format!("circuit {{\n    for i in 0..{trips} {{\n        rz(i + c0) 0\n"));
    for k in 0..declarations {
        text.push_str(&format!("        rz(c{k}) 1\n"));
    }
    text.push_str("    }\n}\nmeasure expval(Z(0))\n");
    text
}

#[test]
fn resolution_does_not_depend_on_loop_trip_counts() {
    let small = big_program(4, 20_000);
    let huge = big_program(4_000_000, 20_000);
    let (small_program, small_trivia, _) = qmlc::parser::parse_keeping_trivia(&small);
    let (huge_program, huge_trivia, _) = qmlc::parser::parse_keeping_trivia(&huge);
    let (small_table, _) = qmlc::check::resolve(&small_program, &small, &small_trivia);
    let (huge_table, diagnostics) = qmlc::check::resolve(&huge_program, &huge, &huge_trivia);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // The same walk: the same number of nodes visited and the same uses, once per textual use.
    assert_eq!(small_table.visits(), huge_table.visits());
    assert_eq!(small_table.len(), 20_001);
    let i = huge_table.named("i").map(|(_, s)| s).next().expect("the loop variable");
    assert_eq!(i.uses.len(), 1);
    let c0 = huge_table.named("c0").map(|(_, s)| s).next().expect("the first const");
    assert_eq!(c0.uses.len(), 2);
    let uses: usize = huge_table.iter().map(|(_, s)| s.uses.len()).sum();
    assert_eq!(uses, 20_000 + 2);
    // Linear in the file: a bounded number of visits per line.
    assert!(huge_table.visits() < 10 * huge.lines().count(), "{} visits", huge_table.visits());
}

#[test]
fn a_file_with_syntax_errors_keeps_its_partial_tree_and_symbols() {
    let text = "qubits 2\ninput x\nparam w[2]\ncircuit {\n    ry(x) 0\n    rz(w[0] 1 +\n    rx(w[1]) 1\n}\n";
    let analysis = analysis_of(text);
    assert!(analysis.diagnostics.iter().any(|d| d.is_error()));
    assert!(analysis.circuit.is_none());
    assert!(!analysis.ast.items.is_empty());
    assert_eq!(only_symbol(&analysis, "x").uses, vec![letter_at(text, "x)", 0)]);
    assert_eq!(only_symbol(&analysis, "w").shape, Some(vec![2]));
}

#[test]
fn declarations_repeated_or_taken_from_builtins_are_reported_by_resolution() {
    let text = "qubits 1\nconst a = 1\nconst a = 2\nconst pi = 3\ncircuit { rz(a) 0 }\nmeasure expval(Z(0))\n";
    let (program, trivia, _) = qmlc::parser::parse_keeping_trivia(text);
    let (table, diagnostics) = qmlc::check::resolve(&program, text, &trivia);
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::E0103, Code::E0104]);
    assert_eq!(table.refused(), ["pi".to_string()]);
    assert_eq!(table.named("a").count(), 1);
    // `pi` in the circuit would be the builtin; here nothing reads it.
    assert!(table.unresolved().is_empty());
}

#[test]
fn analyze_and_compile_give_the_same_diagnostics_and_the_lints_read_the_table() {
    let text = "qubits 1\ndef again(a) {\n    again(a) 0\n}\ncircuit { h 0 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    let compiled = qmlc::check::compile(text);
    assert_eq!(analysis.diagnostics, compiled.diagnostics);
    let codes: Vec<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
    // The def only applies itself, which does not make it applied: its body is still checked as
    // an unused def's is, and the recursion is reported.
    assert!(codes.contains(&Code::E0802), "{codes:?}");
    assert_eq!(only_symbol(&analysis, "again").uses.len(), 1);
}

#[test]
fn unused_declarations_are_warned_about_from_the_table() {
    let text = "qubits 1\ninput x\nconst unused = 2\ncircuit { h 0 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    let codes: Vec<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::W0002, Code::W0003]);
    assert!(analysis.circuit.is_some());
}

/// The diagnostics with a code, as (code, the text of their primary span).
fn reports<'a>(diagnostics: &[qmlc::diagnostic::Diagnostic], text: &'a str, code: Code) -> Vec<&'a str> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| &text[d.primary.span.start as usize..d.primary.span.end as usize])
        .collect()
}

#[test]
fn unknown_names_in_a_loop_body_never_unrolled_are_reported_by_resolution() {
    // The bound is not an integer, so elaboration never enters the body.
    let text = "qubits 2\ncircuit {\n    for i in 0..2.5 {\n        ry(angle) i\n        rz(i * scale) 1\n    }\n}\n\
                measure expval(Z(0))\n";
    let (program, trivia, _) = qmlc::parser::parse_keeping_trivia(text);
    let (_, resolved) = qmlc::check::resolve(&program, text, &trivia);
    assert_eq!(reports(&resolved, text, Code::E0101), ["angle", "scale"]);
    let analysis = analysis_of(text);
    assert_eq!(reports(&analysis.diagnostics, text, Code::E0112), ["2.5"]);
    assert_eq!(reports(&analysis.diagnostics, text, Code::E0101), ["angle", "scale"]);
    assert!(analysis.circuit.is_none());
}

#[test]
fn a_wrong_kind_use_in_a_long_loop_is_reported_once() {
    let text = "qubits 2\nparam w\ndef layer(a) {\n    ry(a) 0\n}\ncircuit {\n    for i in 0..1000 {\n        \
                rz(layer) 0\n        w 1\n        ry(X) 1\n    }\n}\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    let wrong_kind = reports(&analysis.diagnostics, text, Code::E0110);
    assert_eq!(wrong_kind, ["layer", "w", "X"], "{:?}", analysis.diagnostics);
    // Resolution reported each of them; elaboration, which met them again, added nothing.
    let (program, trivia, _) = qmlc::parser::parse_keeping_trivia(text);
    let (table, resolved) = qmlc::check::resolve(&program, text, &trivia);
    assert_eq!(reports(&resolved, text, Code::E0110), wrong_kind);
    assert!(analysis.diagnostics.iter().filter(|d| d.code == Code::E0110).all(|d| table.was_reported(d.primary.span)));
    assert_eq!(analysis.diagnostics, qmlc::check::compile(text).diagnostics);
}

#[test]
fn names_after_a_limit_and_in_statements_of_a_def_never_applied_are_reported() {
    // The first loop crosses the operation limit, so elaboration stops before the second.
    let text =
        "qubits 2\ndef spare() {\n    cnto 0, 1\n}\ncircuit {\n    for i in 0..100000000 {\n        h 0\n    }\n    \
                ry(later) 0\n}\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    assert_eq!(reports(&analysis.diagnostics, text, Code::E0101), ["later"]);
    assert_eq!(reports(&analysis.diagnostics, text, Code::E0102), ["cnto"]);
}

#[test]
fn a_doc_comment_comes_from_line_comments_not_from_inside_a_block_comment() {
    let text = "qubits 1\n/*\n// Not a doc comment.\n*/\ninput x\n/* A block. */\n// The weight.\nparam w\n\
                circuit { ry(x) 0\n rz(w) 0 }\nmeasure expval(Z(0))\n";
    let analysis = analysis_of(text);
    assert_eq!(only_symbol(&analysis, "x").doc, None);
    assert_eq!(only_symbol(&analysis, "w").doc.as_deref(), Some("The weight."));
    // The comments are kept beside the tree, for the editor.
    assert_eq!(analysis.trivia.comments.len(), 3);
}
