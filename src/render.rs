//! Turning diagnostics into text: ariadne reports for people, JSON objects for tools.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, Span};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use serde_json::{json, Value};

/// The most characters of a source line shown whole; a longer line is cut to windows around the
/// places its labels point at, with `…` where text was left out.
pub const MAX_SHOWN_LINE: usize = 120;
/// How many bytes of a cut line are shown before and after each place a label points at.
const CONTEXT_BEFORE: usize = 40;
const CONTEXT_AFTER: usize = 60;

/// Renders one diagnostic with the source lines it points at, rustc-style (`error[E0101]: …`).
pub fn human(diagnostic: &Diagnostic, source: &Source, color: bool) -> String {
    Renderer::new(source).human(diagnostic, color)
}

/// Renders the diagnostics of one source, sharing the work that depends only on the source.
///
/// ariadne is given the source once, as `display_text` (the text with the characters ariadne
/// would also break lines at, but `Source` does not, made spaces of the same byte length), so
/// rendering a diagnostic costs the lines it shows, not the size of the file, and the lines are
/// the ones `Source` counts. A diagnostic on a line longer than `MAX_SHOWN_LINE` characters is
/// drawn from an excerpt instead, with the line cut around its labels.
pub struct Renderer<'a> {
    source: &'a Source,
    display: ariadne::Source<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(source: &'a Source) -> Renderer<'a> {
        Renderer { source, display: ariadne::Source::from(display_text(&source.text)) }
    }

    pub fn human(&self, diagnostic: &Diagnostic, color: bool) -> String {
        let source = self.source;
        let labels: Vec<Span> = std::iter::once(diagnostic.primary.span)
            .chain(diagnostic.secondary.iter().map(|l| l.span))
            .map(|span| clamp(span, source))
            .collect();
        let has_long_line = labels.iter().flat_map(|s| [s.start, s.end]).any(|offset| {
            let range = source.line_range(source.line_index(offset as usize));
            range.len() > MAX_SHOWN_LINE && source.text[range].chars().count() > MAX_SHOWN_LINE
        });
        if !has_long_line {
            let spans: Vec<std::ops::Range<usize>> = labels.iter().map(|s| s.range()).collect();
            return finish(diagnostic, source, &self.display, &spans, color);
        }
        let excerpt = Excerpt::new(source, &labels);
        let spans: Vec<std::ops::Range<usize>> = labels.iter().map(|&s| excerpt.map_span(s)).collect();
        let mut text = finish(diagnostic, source, &ariadne::Source::from(excerpt.text.clone()), &spans, color);
        // ariadne counts the header's column in the excerpt; on a cut line that is not the file's.
        let true_position = source.line_column(labels[0].start as usize);
        let primary = floor_boundary(&excerpt.text, spans[0].start);
        let shown_column = excerpt.text[excerpt.line_start_of(primary)..primary].chars().count() + 1;
        if shown_column != true_position.column {
            let shown = format!("{}:{}:{shown_column}", source.name, true_position.line);
            let real = format!("{}:{}:{}", source.name, true_position.line, true_position.column);
            text = text.replacen(&shown, &real, 1);
        }
        text
    }
}

/// Builds and writes the ariadne report of a diagnostic whose label spans, in the order primary
/// then secondary, are `spans` in `shown`.
fn finish(
    diagnostic: &Diagnostic,
    source: &Source,
    shown: &ariadne::Source<String>,
    spans: &[std::ops::Range<usize>],
    color: bool,
) -> String {
    let (kind_name, kind_color) = match diagnostic.severity {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
    };
    let header = format!("{kind_name}[{}]", diagnostic.code);
    let name = source.name.as_str();
    let mut report = Report::build(ReportKind::Custom(&header, kind_color), (name, spans[0].clone()))
        .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte))
        .with_message(&diagnostic.message)
        .with_label(
            Label::new((name, spans[0].clone()))
                .with_message(&diagnostic.primary.message)
                .with_color(kind_color)
                .with_order(0),
        );
    for (order, (label, span)) in diagnostic.secondary.iter().zip(&spans[1..]).enumerate() {
        report = report.with_label(
            Label::new((name, span.clone()))
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
    report.finish().write((name, shown), &mut out).expect("writing to a Vec cannot fail");
    let text = String::from_utf8_lossy(&out).into_owned();
    // ariadne colours a custom report kind's header even with colour turned off.
    if color {
        text
    } else {
        strip_ansi(&text)
    }
}

/// The text ariadne is given: ariadne also ends lines at vertical tabs, form feeds and Unicode's
/// line and paragraph separators, which `Source` does not; each becomes a one-character space of
/// the same byte length, so every offset and column stays the same.
fn display_text(text: &str) -> String {
    text.chars()
        .map(|ch| match ch {
            '\u{0B}' | '\u{0C}' => ' ',
            '\u{85}' => '\u{A0}',
            '\u{2028}' | '\u{2029}' => '\u{2007}',
            other => other,
        })
        .collect()
}

fn clamp(span: Span, source: &Source) -> Span {
    let len = source.text.len();
    let start = (span.start as usize).min(len);
    Span::new(start, (span.end as usize).clamp(start, len))
}

/// The part of a source a diagnostic shows, and where each shown byte came from.
struct Excerpt {
    text: String,
    /// `(source start, source end, excerpt start)` of each run of bytes copied, in order.
    pieces: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    fn new(source: &Source, labels: &[Span]) -> Excerpt {
        let line_of = |offset: u32| source.line_index(offset as usize);
        let first_line = labels.iter().map(|s| line_of(s.start)).min().unwrap_or(0);
        let last_line = labels.iter().map(|s| line_of(s.end)).max().unwrap_or(0);
        // The lines before the first label are left empty, so that ariadne numbers the lines as
        // the source does (its `display_line_offset` does not reach the line numbers it draws).
        let mut excerpt = Excerpt { text: "\n".repeat(first_line), pieces: Vec::new() };
        for line in first_line..=last_line {
            let range = source.line_range(line);
            // The places on this line a label starts or ends at; a line inside a label spanning
            // several lines is shown from its start.
            let mut points: Vec<usize> = Vec::new();
            let mut inside_multiline = false;
            for span in labels {
                let (start, end) = (span.start as usize, span.end as usize);
                for point in [start, end] {
                    if range.start <= point && point <= range.end {
                        points.push(point);
                    }
                }
                if start < range.start && end > range.end {
                    inside_multiline = true;
                }
            }
            if points.is_empty() && inside_multiline {
                points.push(range.start);
            }
            if !points.is_empty() {
                excerpt.push_line(source, range, &points);
            }
            excerpt.text.push('\n');
        }
        excerpt
    }

    /// Copies a line whole if it is short, else windows around `points` joined by `…`.
    fn push_line(&mut self, source: &Source, range: std::ops::Range<usize>, points: &[usize]) {
        let line = &source.text[range.clone()];
        if line.chars().count() <= MAX_SHOWN_LINE {
            self.push_piece(source, range.start, range.end);
            return;
        }
        let mut windows: Vec<(usize, usize)> = points
            .iter()
            .map(|&p| {
                let start = floor_boundary(&source.text, p.saturating_sub(CONTEXT_BEFORE).max(range.start));
                let end = floor_boundary(&source.text, (p + CONTEXT_AFTER).min(range.end));
                (start, end.max(start))
            })
            .collect();
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in windows {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let mut cursor = range.start;
        for (start, end) in merged {
            if start > cursor {
                self.text.push_str(if cursor == range.start { "… " } else { " … " });
            }
            self.push_piece(source, start, end);
            cursor = end;
        }
        if cursor < range.end {
            self.text.push_str(" …");
        }
    }

    fn push_piece(&mut self, source: &Source, start: usize, end: usize) {
        self.pieces.push((start, end, self.text.len()));
        self.text.push_str(&display_text(&source.text[start..end]));
    }

    /// Where a source offset is in the excerpt: in the piece holding it, or at the end of the
    /// last piece before it (an offset in text that was left out).
    fn map_offset(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|&(start, _, _)| start <= offset);
        match index.checked_sub(1).map(|i| self.pieces[i]) {
            Some((start, end, at)) => at + offset.min(end) - start,
            None => self.pieces.first().map(|&(_, _, at)| at).unwrap_or(0),
        }
    }

    fn map_span(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.map_offset(span.start as usize);
        start..self.map_offset(span.end as usize).max(start)
    }

    fn line_start_of(&self, offset: usize) -> usize {
        self.text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0)
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
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
    let renderer = Renderer::new(source);
    diagnostics.iter().map(|d| renderer.human(d, color)).collect()
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
        "suggestions": diagnostic.suggestions.iter().map(|s| json!({"span": span_json(s.span, source), "replacement": s.replacement})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_to_windows_around_each_label() {
        let line = format!("const k = {}target{}other{}", "a + ".repeat(500), " + b".repeat(500), " + c".repeat(500));
        let text = format!("qubits 1\n{line}\n");
        let source = Source::new("long.qml", text.as_str());
        let target = text.find("target").expect("in the text");
        let other = text.find("other").expect("in the text");
        let diagnostic =
            Diagnostic::error(crate::codes::Code::E0101, "cannot find `target`", Span::new(target, target + 6), "here")
                .with_label(Span::new(other, other + 5), "and here");
        let rendered = human(&diagnostic, &source, false);
        assert!(rendered.chars().count() < 1_500, "{} characters:\n{rendered}", rendered.chars().count());
        assert!(rendered.contains(&format!("long.qml:2:{}", target - 9 + 1)), "{rendered}");
        let shown = rendered.lines().find(|l| l.starts_with(" 2 │")).expect("the line is shown");
        assert!(shown.starts_with(" 2 │ … ") && shown.contains("target") && shown.contains("other"), "{shown}");
        assert!(shown.contains(" … ") && shown.ends_with(" …"), "{shown}");
        let marks = rendered.lines().find(|l| l.contains('┬')).expect("the labels are drawn");
        // The marks sit under the label's text in the cut line.
        let column_of = |haystack: &str, needle: &str| haystack.find(needle).map(|b| haystack[..b].chars().count());
        assert_eq!(column_of(marks, "┬"), column_of(shown, "target").map(|c| c + 3));
    }

    #[test]
    fn short_lines_are_shown_whole_and_json_names_the_same_line() {
        let source = Source::new("m.qml", "qubits 1\rcircuit {\r\n    h 3\n}\n");
        let offset = source.text.find('3').expect("in the text");
        let diagnostic = Diagnostic::error(
            crate::codes::Code::E0201,
            "wire 3 is out of range",
            Span::new(offset, offset + 1),
            "here",
        );
        let rendered = human(&diagnostic, &source, false);
        assert!(rendered.contains("m.qml:3:7") && rendered.contains(" 3 │     h 3"), "{rendered}");
        let value = json(&diagnostic, &source);
        assert_eq!(value["span"]["line"], 3);
        assert_eq!(value["span"]["column"], 7);
    }
}
