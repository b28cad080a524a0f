//! The library's diagnostics as the protocol's: the same codes, messages and ranges as `qmlc check`.
//!
//! The protocol has no field for a help line or a note, so they are appended to the message on
//! lines of their own (`help: did you mean `ry`?`), as `check` prints them under the source;
//! secondary labels become related information, and a help that carries a replacement is also
//! offered as a quick fix (see `edits::code_actions`).

use super::document::range_of;
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};
use qmlc::diagnostic::{Diagnostic, Severity};
use qmlc::source::Source;

/// The `source` every diagnostic names.
pub const SOURCE_NAME: &str = "qmlc";

/// Converts every diagnostic of a document.
pub fn to_lsp(uri: &Uri, source: &Source, diagnostics: &[Diagnostic]) -> Vec<LspDiagnostic> {
    diagnostics.iter().map(|diagnostic| convert(uri, source, diagnostic)).collect()
}

/// The message a client shows: the diagnostic's message, then its notes and help.
pub fn full_message(diagnostic: &Diagnostic) -> String {
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    message
}

fn convert(uri: &Uri, source: &Source, diagnostic: &Diagnostic) -> LspDiagnostic {
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: range_of(source, label.span) },
            message: label.message.clone(),
        })
        .collect();
    LspDiagnostic {
        range: range_of(source, diagnostic.primary.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: None,
        source: Some(SOURCE_NAME.to_string()),
        message: full_message(diagnostic),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::document::Document;
    use std::str::FromStr;

    #[test]
    fn a_misspelt_gate_keeps_its_code_message_range_and_help() {
        let uri = Uri::from_str("file:///m.qml").expect("a valid URI");
        let mut document = Document::new("m.qml", "qubits 1\ncircuit { hh 0 }\nmeasure expval(Z(0))\n".into(), 1);
        let source = document.source.clone();
        let diagnostics = to_lsp(&uri, &source, &document.analysis().diagnostics);
        let first = diagnostics.first().expect("an error");
        assert_eq!(first.code, Some(NumberOrString::String("E0102".into())), "{diagnostics:?}");
        assert_eq!(first.source.as_deref(), Some("qmlc"));
        assert_eq!(first.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!((first.range.start.line, first.range.start.character), (1, 10));
        assert_eq!((first.range.end.line, first.range.end.character), (1, 12));
        assert!(first.message.contains("help: did you mean `h`?"), "{}", first.message);
    }

    #[test]
    fn secondary_labels_become_related_information() {
        let uri = Uri::from_str("file:///m.qml").expect("a valid URI");
        let text = "qubits 1\nparam w\nparam w\ncircuit { ry(w) 0 }\nmeasure expval(Z(0))\n";
        let mut document = Document::new("m.qml", text.into(), 1);
        let source = document.source.clone();
        let diagnostics = to_lsp(&uri, &source, &document.analysis().diagnostics);
        let twice = diagnostics
            .iter()
            .find(|d| d.code == Some(NumberOrString::String("E0103".into())))
            .expect("a name declared twice");
        let related = twice.related_information.as_ref().expect("the first declaration is related");
        assert_eq!(related[0].location.range.start.line, 1);
    }
}
