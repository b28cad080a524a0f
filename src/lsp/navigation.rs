//! Go to definition, find references and rename, all answered from the analysis's symbol table.

use super::document::{range_of, Document};
use super::hover::{is_name_char, word_at};
use lsp_types::{Location, TextEdit, Uri, WorkspaceEdit};
use qmlc::source::Span;
use std::collections::HashMap;

/// The declaration of the name at a byte offset.
pub fn definition(document: &mut Document, uri: &Uri, offset: usize) -> Option<Location> {
    let name_span = document.analysis().definition_at(offset)?.name_span;
    Some(Location { uri: uri.clone(), range: range_of(&document.source, name_span) })
}

/// Every use of the name at a byte offset, with its declaration when `include_declaration`.
pub fn references(document: &mut Document, uri: &Uri, offset: usize, include_declaration: bool) -> Vec<Location> {
    let analysis = document.analysis();
    let Some(symbol) = analysis.symbol_at(offset) else { return Vec::new() };
    let declaration = analysis.symbols.get(symbol).map(|declared| declared.name_span);
    let spans: Vec<_> = analysis
        .references_of(symbol)
        .into_iter()
        .filter(|span| include_declaration || Some(*span) != declaration)
        .collect();
    spans.into_iter().map(|span| Location { uri: uri.clone(), range: range_of(&document.source, span) }).collect()
}

/// Why a rename was refused, in a sentence for the client to show.
#[derive(Debug, PartialEq, Eq)]
pub struct RenameRefused(pub String);

/// The span of the declared name at a byte offset that a rename would edit, or why there is none.
pub fn prepare_rename(document: &mut Document, offset: usize) -> Result<Span, RenameRefused> {
    let word = word_at(&document.source.text, offset);
    let analysis = document.analysis();
    match (analysis.symbol_at(offset), word) {
        (Some(_), Some((span, _))) => Ok(span),
        (_, word) => Err(refusal(word.map(|(_, word)| word))),
    }
}

/// Why the name at the cursor cannot be renamed.
fn refusal(word: Option<String>) -> RenameRefused {
    RenameRefused(match word {
        Some(word) if is_keyword(&word) => format!("`{word}` is a keyword and cannot be renamed"),
        Some(word) if qmlc::builtins::describe(&word).is_some() => {
            format!("`{word}` is a builtin name and cannot be renamed")
        }
        _ => "there is no declared name here to rename".to_string(),
    })
}

/// The edits that rename the declared name at a byte offset to `new_name`. Builtin names and
/// keywords are refused, as is a new name that is not a name, that a builtin or keyword takes,
/// or that another top-level declaration already has.
pub fn rename(
    document: &mut Document,
    uri: &Uri,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, RenameRefused> {
    let word = word_at(&document.source.text, offset).map(|(_, word)| word);
    let analysis = document.analysis();
    let Some(symbol) = analysis.symbol_at(offset) else { return Err(refusal(word)) };
    let valid_name =
        new_name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && new_name.chars().all(is_name_char);
    if !valid_name {
        return Err(RenameRefused(format!("`{new_name}` is not a name")));
    }
    if is_keyword(new_name) || qmlc::check::is_reserved(new_name) {
        return Err(RenameRefused(format!("`{new_name}` is a builtin name or keyword")));
    }
    let current = analysis.symbols.get(symbol).map(|declared| declared.name.clone()).unwrap_or_default();
    if new_name != current && analysis.symbols.global(new_name).is_some() {
        return Err(RenameRefused(format!("`{new_name}` is already declared")));
    }
    let edits: Vec<TextEdit> = analysis
        .references_of(symbol)
        .into_iter()
        .map(|span| TextEdit { range: range_of(&document.source, span), new_text: new_name.to_string() })
        .collect();
    Ok(WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() })
}

fn is_keyword(name: &str) -> bool {
    qmlc::builtins::KEYWORDS.iter().any(|keyword| keyword.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const MODEL: &str = "qubits 2\nparam w[2]\ncircuit {\n    ry(w[0]) 0\n    rx(w[1]) 1\n}\nmeasure expval(Z(0))\n";

    fn uri() -> Uri {
        Uri::from_str("file:///m.qml").expect("a valid URI")
    }

    fn offset(needle: &str, nth: usize) -> usize {
        MODEL.match_indices(needle).nth(nth).map_or(0, |(i, _)| i)
    }

    #[test]
    fn a_use_goes_to_its_declaration() {
        let mut document = Document::new("m.qml", MODEL.into(), 1);
        let location = definition(&mut document, &uri(), offset("w[1]", 0)).expect("declared");
        assert_eq!((location.range.start.line, location.range.start.character), (1, 6));
        assert!(definition(&mut document, &uri(), offset("ry", 0)).is_none());
    }

    #[test]
    fn references_list_every_use_and_the_declaration_when_asked() {
        let mut document = Document::new("m.qml", MODEL.into(), 1);
        assert_eq!(references(&mut document, &uri(), offset("w[0]", 0), true).len(), 3);
        let uses = references(&mut document, &uri(), offset("w[0]", 0), false);
        assert_eq!(uses.iter().map(|l| l.range.start.line).collect::<Vec<_>>(), vec![3, 4]);
    }

    #[test]
    fn rename_edits_the_declaration_and_every_use() {
        let mut document = Document::new("m.qml", MODEL.into(), 1);
        let edit = rename(&mut document, &uri(), offset("w[2]", 0), "weights").expect("renamed");
        let edits = edit.changes.and_then(|mut changes| changes.remove(&uri())).expect("edits for the file");
        assert_eq!(edits.len(), 3);
        assert!(edits.iter().all(|e| e.new_text == "weights" && e.range.end.character == e.range.start.character + 1));
    }

    #[test]
    fn rename_refuses_builtins_keywords_and_bad_names() {
        let mut document = Document::new("m.qml", MODEL.into(), 1);
        let refused = rename(&mut document, &uri(), offset("ry", 0), "turn").expect_err("a gate");
        assert!(refused.0.contains("builtin"), "{refused:?}");
        let refused = rename(&mut document, &uri(), offset("param", 0), "p").expect_err("a keyword");
        assert!(refused.0.contains("keyword"), "{refused:?}");
        assert!(rename(&mut document, &uri(), offset("w[0]", 0), "rx").is_err());
        assert!(rename(&mut document, &uri(), offset("w[0]", 0), "2w").is_err());
        assert!(rename(&mut document, &uri(), offset("w[0]", 0), "circuit").is_err());
        assert_eq!(
            prepare_rename(&mut document, offset("w[0]", 0) + 1),
            Ok(Span::new(offset("w[0]", 0), offset("w[0]", 0) + 1))
        );
        assert!(prepare_rename(&mut document, offset("ry", 0)).is_err());
    }
}
