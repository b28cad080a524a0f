//! Formatting (the `qmlc fmt` layout) and code actions (each suggested replacement as a quick fix).

use super::diagnostics::to_lsp;
use super::document::{position_of, range_of, Document};
use lsp_types::{CodeAction, CodeActionKind, Position, Range, TextEdit, Uri, WorkspaceEdit};
use qmlc::source::Span;
use std::collections::HashMap;

/// The edits that give the document the canonical layout: none when it already has it, and none
/// when it has a syntax error (the formatter refuses a tree with holes, and the diagnostics
/// already say why).
pub fn formatting(document: &Document) -> Vec<TextEdit> {
    let text = &document.source.text;
    match qmlc::fmt::format(text) {
        Ok(formatted) if formatted != *text => vec![TextEdit {
            range: Range { start: Position { line: 0, character: 0 }, end: position_of(&document.source, text.len()) },
            new_text: formatted,
        }],
        _ => Vec::new(),
    }
}

/// A quick fix for each suggestion of each diagnostic whose primary range meets the byte span
/// `wanted` (the client's selection or cursor).
pub fn code_actions(document: &mut Document, uri: &Uri, wanted: Span) -> Vec<CodeAction> {
    let source = document.source.clone();
    let analysis = document.analysis();
    let mut actions = Vec::new();
    for diagnostic in &analysis.diagnostics {
        let span = diagnostic.primary.span;
        let meets = span.start <= wanted.end && wanted.start <= span.end;
        if !meets {
            continue;
        }
        for suggestion in &diagnostic.suggestions {
            let edit = TextEdit { range: range_of(&source, suggestion.span), new_text: suggestion.replacement.clone() };
            actions.push(CodeAction {
                title: format!("Replace with `{}`", suggestion.replacement),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(to_lsp(uri, &source, std::slice::from_ref(diagnostic))),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: Some(diagnostic.suggestions.len() == 1),
                disabled: None,
                data: None,
            });
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn formatting_replaces_the_whole_text_with_the_canonical_layout() {
        let document = Document::new("m.qml", "qubits   1\ncircuit {   h 0 }\nmeasure expval(Z(0))".into(), 1);
        let edits = formatting(&document);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "qubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n");
        assert_eq!((edits[0].range.end.line, edits[0].range.end.character), (2, 20));
    }

    #[test]
    fn a_formatted_text_or_a_syntax_error_gives_no_edits() {
        let document = Document::new("m.qml", "qubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n".into(), 1);
        assert!(formatting(&document).is_empty());
        let document = Document::new("m.qml", "qubits 1\ncircuit { h 0 \n".into(), 1);
        assert!(formatting(&document).is_empty());
    }

    #[test]
    fn a_did_you_mean_becomes_a_quick_fix() {
        let uri = Uri::from_str("file:///m.qml").expect("a valid URI");
        let text = "qubits 1\ncircuit { hh 0 }\nmeasure expval(Z(0))\n";
        let mut document = Document::new("m.qml", text.into(), 1);
        let at = text.find("hh").unwrap_or(0);
        let actions = code_actions(&mut document, &uri, Span::new(at, at));
        let action = actions.first().expect("a quick fix");
        assert_eq!(action.title, "Replace with `h`");
        assert_eq!(action.kind, Some(CodeActionKind::QUICKFIX));
        let edits = action.edit.as_ref().and_then(|e| e.changes.as_ref()).and_then(|c| c.get(&uri)).expect("edits");
        assert_eq!(edits[0].new_text, "h");
        assert_eq!((edits[0].range.start.line, edits[0].range.start.character), (1, 10));
        assert!(code_actions(&mut document, &uri, Span::new(0, 1)).is_empty());
    }
}
