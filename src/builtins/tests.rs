//! The registry against the checker: every entry's example compiles where its kind goes, and the names agree.

use super::*;
use crate::check::compile;

/// The data features and classes an example's program needs: iris has 4 features and 3 classes
/// (named, so only `cross_entropy` takes them); `cross_entropy` on the default two moons needs 2 outputs.
fn data_of(example: &str) -> (usize, usize) {
    match example {
        "iris()" => (4, 3),
        "cross_entropy" | "nll" => (2, 2),
        _ => (2, 0),
    }
}

#[test]
fn every_example_compiles_where_its_kind_goes() {
    let mut failures = Vec::new();
    for kind in Kind::ALL {
        for entry in kind.entries() {
            // The csv example reads a file, which a program compiled from a string does not have.
            if entry.name == "csv" {
                continue;
            }
            let (n_features, n_classes) = data_of(entry.example);
            let program = kind.program(entry.example, n_features, n_classes);
            let output = compile(&program);
            let errors: Vec<String> = output
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message))
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{} `{}`: {errors:?}\n{program}", kind.singular(), entry.example));
            }
            assert!(entry.example.contains(entry.name), "the example of `{}` does not use it", entry.name);
            assert!(!entry.doc.is_empty());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrong_example_is_caught() {
    let program = Kind::Optimizer.program("adam(rate = 0.1)", 2, 0);
    assert!(compile(&program).diagnostics.iter().any(|diagnostic| diagnostic.is_error()));
}

#[test]
fn names_are_unique_within_each_kind() {
    for kind in Kind::ALL {
        let mut seen = std::collections::HashSet::new();
        for entry in kind.entries() {
            assert!(seen.insert(entry.name), "{} `{}` is listed twice", kind.singular(), entry.name);
            assert!(find(*kind, entry.name).is_some());
        }
    }
}

#[test]
fn the_lexer_keywords_are_the_registry_keywords() {
    let names: Vec<&str> = KEYWORDS.iter().map(|keyword| keyword.name).collect();
    assert_eq!(crate::lexer::KEYWORDS, names.as_slice());
    for keyword in KEYWORDS {
        // A keyword lexes as its own token, never as a name.
        let (tokens, _) = crate::lexer::lex(keyword.name);
        assert!(
            !matches!(tokens.first(), Some((_, crate::lexer::Token::Ident(_), _))),
            "`{}` lexes as a name",
            keyword.name
        );
    }
}

#[test]
fn explain_describes_gates_and_entries() {
    let rx = describe("rx").expect("rx is a gate");
    assert!(rx.starts_with("rx(θ) (gate): rotation about X"), "{rx}");
    assert!(rx.contains("inverse:    rx(−θ)"), "{rx}");
    let adam = describe("adam").expect("adam is an optimizer");
    assert!(adam.starts_with("adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) (optimizer)"), "{adam}");
    assert!(describe("epochs").is_some_and(|text| text.contains("default: 10")));
    assert!(describe("tanh").is_some_and(|text| text.contains("head layer")));
    assert_eq!(describe("no_such_builtin"), None);
}

#[test]
fn the_reference_lists_every_builtin() {
    let reference = reference_markdown();
    for gate in gates::GATES.iter().filter(|gate| gate.surface) {
        assert!(reference.contains(&format!("`{}", gate.name)), "{}", gate.name);
    }
    for kind in Kind::ALL {
        for entry in kind.entries() {
            assert!(reference.contains(&format!("`{}`", entry.signature())), "{}", entry.name);
        }
    }
}
