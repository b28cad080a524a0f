//! Turning diagnostics into text: ariadne reports for people, JSON objects for tools.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, Span};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use serde_json::{json, Value};

/// Renders one diagnostic with the source lines it points at, rustc-style (`error[E0101]: …`).
pub fn human(diagnostic: &Diagnostic, source: &Source, color: bool) -> String {
    let (kind_name, kind_color) = match diagnostic.severity {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
    };
    let header = format!("{kind_name}[{}]", diagnostic.code);
    let name = source.name.as_str();
    let clamp = |span: Span| {
        let len = source.text.len();
        let start = (span.start as usize).min(len);
        start..(span.end as usize).clamp(start, len)
    };
    let mut report = Report::build(ReportKind::Custom(&header, kind_color), (name, clamp(diagnostic.primary.span)))
        .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte))
        .with_message(&diagnostic.message)
        .with_label(
            Label::new((name, clamp(diagnostic.primary.span)))
                .with_message(&diagnostic.primary.message)
                .with_color(kind_color)
                .with_order(0),
        );
    for (order, label) in diagnostic.secondary.iter().enumerate() {
        report = report.with_label(
            Label::new((name, clamp(label.span)))
                .with_message(&label.message)
                .with_color(Color::Blue)
                .with_order(order as i32 + 1),
        );
    }
    for note in &diagnostic.notes {
        report = report.with_note(note);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    let mut out = Vec::new();
    report
        .finish()
        .write((name, ariadne::Source::from(source.text.as_str())), &mut out)
        .expect("writing to a Vec cannot fail");
    let text = String::from_utf8_lossy(&out).into_owned();
    // ariadne colours a custom report kind's header even with colour turned off.
    if color {
        text
    } else {
        strip_ansi(&text)
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders all diagnostics of a file, then a one-line summary if there were any.
pub fn human_all(diagnostics: &[Diagnostic], source: &Source, color: bool) -> String {
    diagnostics.iter().map(|d| human(d, source, color)).collect()
}

/// A summary line such as `2 errors, 1 warning`.
pub fn summary(n_errors: usize, n_warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (n_errors, n_warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn span_json(span: Span, source: &Source) -> Value {
    let position = source.line_column(span.start as usize);
    json!({"start": span.start, "end": span.end, "line": position.line, "column": position.column})
}

/// The JSON object of CLI.md for one diagnostic.
pub fn json(diagnostic: &Diagnostic, source: &Source) -> Value {
    json!({
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": source.name,
        "span": span_json(diagnostic.primary.span, source),
        "label": diagnostic.primary.message,
        "labels": diagnostic.secondary.iter().map(|l| json!({"message": l.message, "span": span_json(l.span, source)})).collect::<Vec<_>>(),
        "notes": diagnostic.notes,
        "help": diagnostic.help,
    })
}
