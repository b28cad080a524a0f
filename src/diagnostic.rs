//! Diagnostics shared by the command line, the REPL and the editor server; nothing here knows how they are drawn.

use crate::codes::Code;
use crate::source::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in the source and what to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into() }
    }
}

/// A replacement that would fix the problem: an editor offers it as a quick fix, and the
/// diagnostic's `help` line says it in words ("did you mean `h`?").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// The text to replace.
    pub span: Span,
    /// What to put there instead.
    pub replacement: String,
}

/// One problem found in a program: a stable code, a message, a primary place, more places where a
/// second one is involved, and a `help` line where one helps.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Machine-applicable fixes, such as the name a misspelling most likely meant.
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label::new(span, label),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            suggestions: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message, span, label) }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::new(span, message));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Suggests writing `replacement` in place of `span`, with the help line "did you mean …?".
    pub fn with_suggestion(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        let replacement = replacement.into();
        self.help = Some(format!("did you mean `{replacement}`?"));
        self.suggestions.push(Suggestion { span, replacement });
        self
    }

    /// Suggests the closest of `candidates` to the text at `span`, if one is close enough.
    pub fn with_closest<'a>(self, span: Span, name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
        match closest(name, candidates) {
            Some(closest) => self.with_suggestion(span, closest),
            None => self,
        }
    }

    /// Sets the help line unless a suggestion or an earlier help already set it.
    pub fn or_help(mut self, help: impl FnOnce() -> String) -> Diagnostic {
        if self.help.is_none() {
            self.help = Some(help());
        }
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Sorts diagnostics by position (errors before warnings at the same place) and drops exact repeats,
/// which arise when a `def` body with a mistake is expanded at several call sites.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.severity, a.code, a.primary.span.end).cmp(&(
            b.primary.span.start,
            b.severity,
            b.code,
            b.primary.span.end,
        ))
    });
    diagnostics.dedup();
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name) && **c != name) {
        return Some(same);
    }
    // Every one-letter name is one edit from every other: a suggestion would be noise.
    if name.chars().count() < 2 {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = strsim::jaro_winkler(name, candidate);
        let distance = strsim::damerau_levenshtein(name, candidate);
        let plausible = distance <= 1 || (distance <= 2 && name.len() >= 4) || score >= 0.9;
        if plausible && best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((candidate, score));
        }
    }
    best.map(|(candidate, _)| candidate)
}
