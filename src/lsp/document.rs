//! One open document: its text, its version, its latest analysis, and the conversions between the
//! protocol's UTF-16 positions and the byte offsets of the library.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use qmlc::analysis::{analyze, Analysis};
use qmlc::source::{Source, Span};

/// The state of one document the client opened.
pub struct Document {
    /// The text with its line table; every position is converted against it.
    pub source: Source,
    pub version: i32,
    /// The analysis of the current text, `None` after a change until it is analysed again, so
    /// that a burst of changes is analysed once.
    pub analysis: Option<Analysis>,
}

impl Document {
    pub fn new(name: &str, text: String, version: i32) -> Document {
        Document { source: Source::new(name, text), version, analysis: None }
    }

    /// Analyses the text if a change left it unanalysed, and returns the analysis.
    pub fn analysis(&mut self) -> &Analysis {
        self.analysis.get_or_insert_with(|| analyze(&self.source))
    }

    /// The text and its analysis together (analysing first if needed), for features that read both.
    pub fn analysed(&mut self) -> (&Source, &Analysis) {
        let analysis = self.analysis.get_or_insert_with(|| analyze(&self.source));
        (&self.source, analysis)
    }

    /// Applies one change: a whole new text, or a range replaced. Positions outside the text are
    /// clamped (a column past the end of its line to the line's end, a line past the end of the
    /// text to the text's end), and a range written backwards is read forwards, so no change can
    /// fail.
    pub fn apply_change(&mut self, change: TextDocumentContentChangeEvent) {
        match change.range {
            None => self.source = Source::new(self.source.name.clone(), change.text),
            Some(range) => {
                let start = offset_of(&self.source, range.start);
                let end = offset_of(&self.source, range.end);
                self.source.replace_range(start.min(end)..start.max(end), &change.text);
            }
        }
        self.analysis = None;
    }
}

/// The byte offset of a protocol position, clamped to the text and to a character boundary.
pub fn offset_of(source: &Source, position: Position) -> usize {
    source.offset_of_lsp_position(position.line, position.character)
}

/// The protocol position of a byte offset.
pub fn position_of(source: &Source, offset: usize) -> Position {
    let (line, character) = source.lsp_position(offset);
    Position { line, character }
}

/// The protocol range of a byte span.
pub fn range_of(source: &Source, span: Span) -> Range {
    Range { start: position_of(source, span.start as usize), end: position_of(source, span.end as usize) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|(start, end)| Range {
                start: Position { line: start.0, character: start.1 },
                end: Position { line: end.0, character: end.1 },
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn an_incremental_change_counts_columns_in_utf16_units() {
        // `𝜃` is one character of four bytes and two UTF-16 units.
        let mut document = Document::new("t.qml", "// 𝜃 angle\nqubits 1\n".to_string(), 1);
        document.apply_change(change(Some(((0, 6), (0, 11))), "turn"));
        assert_eq!(document.source.text, "// 𝜃 turn\nqubits 1\n");
        assert_eq!(position_of(&document.source, document.source.text.find("turn").unwrap_or(0)).character, 6);
    }

    #[test]
    fn positions_past_the_end_are_clamped_and_a_backwards_range_is_read_forwards() {
        let mut document = Document::new("t.qml", "qubits 1\nh 0\n".to_string(), 1);
        document.apply_change(change(Some(((0, 100), (0, 200))), " // one"));
        assert_eq!(document.source.text, "qubits 1 // one\nh 0\n");
        document.apply_change(change(Some(((99, 0), (120, 4))), "x 0\n"));
        assert_eq!(document.source.text, "qubits 1 // one\nh 0\nx 0\n");
        document.apply_change(change(Some(((1, 3), (1, 0))), "y 1"));
        assert_eq!(document.source.text, "qubits 1 // one\ny 1\nx 0\n");
        document.apply_change(change(None, "qubits 2\n"));
        assert_eq!(document.source.text, "qubits 2\n");
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_lands_on_a_character_boundary() {
        let document = Document::new("t.qml", "𝜃x".to_string(), 1);
        let offset = offset_of(&document.source, Position { line: 0, character: 1 });
        assert!(document.source.text.is_char_boundary(offset));
    }
}
