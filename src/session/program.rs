//! The session written out as a `.qml` program, with a map from the program's text back to the input just typed.
//!
//! The session keeps its declarations and statements as source text and checks every input by
//! compiling the whole program it would make. That way the REPL accepts exactly what `check`
//! accepts, its numbers are those of `run`, and `:save` only has to print the program. The input
//! being tried is copied into the program verbatim, in pieces whose places are remembered, so a
//! diagnostic about the program can be pointed back into the line the user typed.

use crate::diagnostic::{Diagnostic, Label, Suggestion};
use crate::source::Span;
use std::ops::Range;

/// Where a piece of text goes in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// The `qubits N` line.
    Qubits,
    /// Among the declarations, after those already there.
    Declaration,
    /// Inside `circuit { … }`, after the statements applied so far.
    Statement,
    /// After the circuit: a `measure` being evaluated, a `head` or a `train` block.
    Tail,
}

/// A part of one line of a piece: fixed text, or a range of the input copied verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Text(String),
    Input(Range<usize>),
}

/// One line (or block) of the program that comes from the input being tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Piece {
    pub place: Place,
    pub parts: Vec<Part>,
}

impl Piece {
    pub fn input(place: Place, range: Range<usize>) -> Piece {
        Piece { place, parts: vec![Part::Input(range)] }
    }
}

/// A range of the program that is a copy of a range of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    program_start: usize,
    input_start: usize,
    len: usize,
}

/// The text of a program and where the input's pieces landed in it.
#[derive(Clone, Debug, Default)]
pub(super) struct Program {
    pub text: String,
    segments: Vec<Segment>,
    /// For each piece: the range of its line in the program, and the range of the input its
    /// parts copy, where a diagnostic about text the session added around the input (the
    /// `constant(…)` around a value) is shown.
    piece_lines: Vec<(Range<usize>, Range<usize>)>,
}

impl Program {
    /// Appends fixed text.
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Appends the pieces of `input` that go to `place`, a line each.
    pub fn push_pieces(&mut self, input: &str, pieces: &[Piece], place: Place, indent: &str) {
        for piece in pieces.iter().filter(|piece| piece.place == place) {
            let line_start = self.text.len();
            let copied_ranges = piece.parts.iter().filter_map(|part| match part {
                Part::Input(range) => Some(range.clone()),
                Part::Text(_) => None,
            });
            let copied = copied_ranges.reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
            self.text.push_str(indent);
            for part in &piece.parts {
                match part {
                    Part::Text(text) => self.text.push_str(text),
                    Part::Input(range) => {
                        let Some(copied) = input.get(range.clone()) else { continue };
                        self.segments.push(Segment {
                            program_start: self.text.len(),
                            input_start: range.start,
                            len: copied.len(),
                        });
                        self.text.push_str(copied);
                    }
                }
            }
            self.text.push('\n');
            if let Some(copied) = copied {
                self.piece_lines.push((line_start..self.text.len(), copied));
            }
        }
    }

    /// The span of the input that a span of the program copies, if it lies within one piece.
    fn map_span(&self, span: Span) -> Option<Span> {
        let span = span.range();
        self.segments.iter().find_map(|segment| {
            let end = segment.program_start + segment.len;
            (span.start >= segment.program_start && span.end <= end).then(|| {
                let start = segment.input_start + (span.start - segment.program_start);
                Span::new(start, start + (span.end - span.start))
            })
        })
    }

    /// Compiles the program: its circuit when it has no errors, and its errors made to point
    /// into the input (see [`Program::map_diagnostic`]); warnings are dropped.
    pub fn compile(&self, whole_input: Span) -> (Option<crate::ir::Circuit>, Vec<Diagnostic>) {
        let output = crate::check::compile(&self.text);
        let errors: Vec<Diagnostic> = output
            .diagnostics
            .into_iter()
            .filter(|diagnostic| diagnostic.is_error())
            .map(|diagnostic| self.map_diagnostic(diagnostic, whole_input))
            .collect();
        (output.circuit.filter(|_| errors.is_empty()), errors)
    }

    /// A diagnostic about the program, made to point into the input. A primary place outside the
    /// input (inside a def declared earlier, say) is shown on the whole input with the program's
    /// line quoted in a note; secondary labels and fixes outside it are left out.
    pub fn map_diagnostic(&self, mut diagnostic: Diagnostic, whole_input: Span) -> Diagnostic {
        let range = diagnostic.primary.span.range();
        let piece = self.piece_lines.iter().find(|(line, _)| line.start <= range.start && range.end <= line.end);
        match (self.map_span(diagnostic.primary.span), piece) {
            (Some(span), _) => diagnostic.primary.span = span,
            (None, Some((_, copied))) => diagnostic.primary.span = Span::new(copied.start, copied.end),
            (None, None) => {
                let line = self.line_at(diagnostic.primary.span.range().start);
                diagnostic.notes.push(format!("in the session's earlier text: `{}`", line.trim()));
                diagnostic.primary = Label::new(whole_input, diagnostic.primary.message.clone());
            }
        }
        diagnostic.secondary = std::mem::take(&mut diagnostic.secondary)
            .into_iter()
            .filter_map(|label| self.map_span(label.span).map(|span| Label::new(span, label.message)))
            .collect();
        diagnostic.suggestions = std::mem::take(&mut diagnostic.suggestions)
            .into_iter()
            .filter_map(|fix| self.map_span(fix.span).map(|span| Suggestion { span, replacement: fix.replacement }))
            .collect();
        diagnostic
    }

    /// The line of the program around a byte offset.
    fn line_at(&self, offset: usize) -> &str {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].rfind('\n').map_or(0, |index| index + 1);
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |index| offset + index);
        &self.text[start..end]
    }
}

/// A number as the language writes it, so that it reads back as the same `f64`: Rust's `Debug`
/// form is the shortest text that round-trips (`0.1`, `1e-7`, `2.0`).
pub(super) fn number_text(value: f64) -> String {
    format!("{value:?}")
}

/// Values of a shape as a literal: `0.5`, `[0.1, 0.2]`, `[[1.0, 0.0], [0.0, 1.0]]`.
pub(super) fn literal(values: &[f64], shape: &[usize]) -> String {
    match shape.split_first() {
        None => values.first().map_or_else(|| "0.0".to_string(), |value| number_text(*value)),
        Some((&count, rest)) => {
            let stride: usize = rest.iter().product();
            let items: Vec<String> = (0..count)
                .map(|index| {
                    let start = (index * stride).min(values.len());
                    let end = ((index + 1) * stride).min(values.len());
                    literal(&values[start..end], rest)
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_nest_by_shape_and_read_back_exactly() {
        assert_eq!(literal(&[0.5], &[]), "0.5");
        assert_eq!(literal(&[0.1, -0.2], &[2]), "[0.1, -0.2]");
        assert_eq!(literal(&[1.0, 0.0, 0.0, 1.0], &[2, 2]), "[[1.0, 0.0], [0.0, 1.0]]");
        let value = 0.1 + 0.2;
        assert_eq!(number_text(value).parse::<f64>().ok(), Some(value));
    }

    #[test]
    fn spans_inside_a_piece_map_back_and_others_fall_on_the_whole_input() {
        let input = "ry(a) 0";
        let mut program = Program::default();
        program.push("qubits 1\ncircuit {\n");
        program.push_pieces(input, &[Piece::input(Place::Statement, 0..input.len())], Place::Statement, "    ");
        program.push("}\n");
        let start = program.text.find("ry").unwrap_or(0);
        assert_eq!(program.map_span(Span::new(start + 3, start + 4)), Some(Span::new(3, 4)));
        assert_eq!(program.map_span(Span::new(0, 6)), None);
    }
}
