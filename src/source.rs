//! Source text, byte spans, and the line/column lookups that diagnostics and the editor server need.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use serde::Serialize;

/// A half-open byte range `start..end` into one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= (self.end as usize)
    }
}

/// A named source text with a table of line starts.
///
/// A line ends at `\n`, at `\r\n` or at a lone `\r`, as editors and the Language Server Protocol
/// count them; the human and JSON renderings of a diagnostic both use this one table, so they
/// always name the same line. Offsets are bytes of `text`: for a file that began with a UTF-8 byte
/// order mark, `text` starts after the mark, as an editor shows the file (see `from_bytes`).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; `column` counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The UTF-8 encoding of U+FEFF, which some editors write at the start of a file.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let line_starts = line_starts(&text);
        Source { name: name.into(), text, line_starts }
    }

    /// Replaces a byte range of the text and updates the line table around it, so that an edit
    /// costs the lines after it a shift rather than a new scan of the whole text. Both ends of the
    /// range must be character boundaries, as `offset_of_lsp_position` gives them.
    pub fn replace_range(&mut self, range: std::ops::Range<usize>, replacement: &str) {
        let (start, old_end) = (range.start, range.end);
        self.text.replace_range(start..old_end, replacement);
        let new_end = start + replacement.len();
        // Whether `p` starts a line depends on the bytes at `p - 1` and `p` (a `\r` ends a line
        // unless a `\n` follows), so the starts from `start` to one past the replacement are
        // found again; those before keep their offsets and those after shift by the change.
        let first_affected = self.line_starts.partition_point(|&line_start| line_start < start).max(1);
        let first_after = self.line_starts.partition_point(|&line_start| line_start <= old_end + 1);
        let bytes = self.text.as_bytes();
        let rescanned: Vec<usize> =
            (start.max(1)..=(new_end + 1).min(bytes.len())).filter(|&p| ends_line(bytes, p - 1)).collect();
        let after: Vec<usize> =
            self.line_starts[first_after.max(first_affected)..].iter().map(|&p| p - old_end + new_end).collect();
        self.line_starts.truncate(first_affected);
        self.line_starts.extend(rescanned);
        self.line_starts.extend(after);
    }

    /// A source from a file's bytes. A leading byte order mark is dropped, so offsets count from
    /// the first character an editor shows. Bytes that are not UTF-8 are each replaced by `?`
    /// (one byte for one, so every offset still is the file's offset less the mark), and the
    /// first of them is reported as E0005: such a file is not compiled.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> (Source, Option<Diagnostic>) {
        let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => (Source::new(name, text), None),
            Err(first_error) => {
                let start = first_error.valid_up_to();
                let length = first_error.error_len().unwrap_or(bytes.len() - start).max(1);
                let mut text = String::with_capacity(bytes.len());
                for chunk in bytes.utf8_chunks() {
                    text.push_str(chunk.valid());
                    text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
                }
                let source = Source::new(name, text);
                let position = source.line_column(start);
                let diagnostic = Diagnostic::error(
                    Code::E0005,
                    format!(
                        "this file is not UTF-8 text: byte {start} (line {}, column {}) is not valid UTF-8",
                        position.line, position.column
                    ),
                    Span::new(start, start + length),
                    "not UTF-8",
                )
                .with_help("save the file as UTF-8; qmlc reads source files only in that encoding");
                (source, Some(diagnostic))
            }
        }
    }

    /// How many lines the text has (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of 0-based line `line`, without its line break (clamped to the text).
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len()..self.text.len();
        };
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.text.len());
        let content = &self.text[start..next];
        let without_break = content.strip_suffix('\n').unwrap_or(content);
        let without_break = without_break.strip_suffix('\r').unwrap_or(without_break);
        start..start + without_break.len()
    }

    /// The 0-based line index holding byte `offset` (clamped to the text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = self.floor_char_boundary(offset);
        let line = self.line_index(offset);
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        LineColumn { line: line + 1, column }
    }

    /// The 0-based line and UTF-16 column of byte `offset`, as the Language Server Protocol counts.
    pub fn lsp_position(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor_char_boundary(offset);
        let line = self.line_index(offset);
        let column: usize = self.text[self.line_starts[line]..offset].chars().map(char::len_utf16).sum();
        (line as u32, column as u32)
    }

    /// The byte offset of a 0-based line and UTF-16 column (clamped to the line).
    pub fn offset_of_lsp_position(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts.get(line as usize) else {
            return self.text.len();
        };
        let end = self.line_starts.get(line as usize + 1).copied().unwrap_or(self.text.len());
        let mut units = 0usize;
        for (i, ch) in self.text[start..end].char_indices() {
            if units >= column as usize || ch == '\n' || ch == '\r' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        end
    }

    fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// The offsets at which lines start: after each `\n`, each `\r\n` and each lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    starts.extend((0..bytes.len()).filter(|&i| ends_line(bytes, i)).map(|i| i + 1));
    starts
}

/// Whether the byte at `i` ends a line: a `\n`, or a `\r` that no `\n` follows.
fn ends_line(bytes: &[u8], i: usize) -> bool {
    bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_ends_at_a_newline_a_crlf_or_a_lone_carriage_return() {
        let source = Source::new("t", "a\nb\r\nc\rd");
        assert_eq!(source.line_count(), 4);
        assert_eq!(source.line_column(7), LineColumn { line: 4, column: 1 });
        assert_eq!(source.line_column(5), LineColumn { line: 3, column: 1 });
        assert_eq!(source.line_column(3), LineColumn { line: 2, column: 2 });
        assert_eq!(source.line_range(1), 2..3);
        assert_eq!(source.line_range(2), 5..6);
        assert_eq!(source.lsp_position(7), (3, 0));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_offsets_count_from_after_it() {
        let (source, problem) = Source::from_bytes("t", b"\xEF\xBB\xBFqubits 1\n");
        assert!(problem.is_none());
        assert_eq!(source.text, "qubits 1\n");
    }

    #[test]
    fn the_first_byte_that_is_not_utf8_is_reported_at_its_offset() {
        let (source, problem) = Source::from_bytes("t", b"qubits 1\nh \xFF\xFE 0\n");
        let problem = problem.expect("not UTF-8");
        assert_eq!(problem.code, Code::E0005);
        assert_eq!(problem.primary.span, Span::new(11, 12));
        assert_eq!(source.text, "qubits 1\nh ?? 0\n");
        assert!(problem.message.contains("byte 11 (line 2, column 3)"), "{}", problem.message);
    }

    proptest::proptest! {
        /// An edit leaves the same line table as scanning the edited text from the start.
        #[test]
        fn replacing_a_range_keeps_the_line_table_of_a_fresh_scan(
            text in "[ab\r\n]{0,24}",
            replacement in "[ab\r\n]{0,8}",
            first in 0usize..25,
            second in 0usize..25,
        ) {
            let (start, end) = (first.min(second).min(text.len()), first.max(second).min(text.len()));
            let mut source = Source::new("t", text.clone());
            source.replace_range(start..end, &replacement);
            let mut expected = text;
            expected.replace_range(start..end, &replacement);
            proptest::prop_assert_eq!(&source.text, &expected);
            proptest::prop_assert_eq!(source.line_starts, line_starts(&expected));
        }
    }
}
