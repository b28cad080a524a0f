//! `qmlc fmt`: prints a program in the one canonical layout, from its lossless syntax tree and the
//! trivia table beside it.
//!
//! The layout:
//! - four spaces of indentation per block, one statement (or train field, or measurement of a
//!   multi-line `measure for`) a line: statements written on one line with `;` are split;
//! - one space around binary operators and `=`, none around `^` (it binds tighter than a unary
//!   minus, and `-2^2` reads as the power it is) and none around `..` (`0..4`); `, ` after commas;
//! - numbers, strings and parentheses exactly as written (parentheses are never added or removed);
//! - a block with one gate application (or a train block with one field, or a `measure for` block)
//!   stays on one line when it was written on one line and holds no comment: `circuit { h 0 }`;
//!   every other block has its statements on lines of their own;
//! - the values of a train block's fields aligned one column after its longest field name;
//! - comments kept: a comment on a line of its own stays on its own line, at the indentation of
//!   what follows it; a comment after code stays after that code. The trailing comments of
//!   consecutive lines are aligned to one column: one space after the longest code, or the column
//!   the rightmost of them was written at if that is further right (so an aligned column the author
//!   chose is kept; a written column counts only where the line printed is the line written, but
//!   for spaces). A comment written inside a statement that is printed on one line (inside a list
//!   spread over lines, say), or a block comment written before code on its line, goes on a line
//!   of its own just before that statement;
//! - empty lines kept as separators, at most one in a row, none at the start or end of a block;
//! - long lines are not wrapped.
//!
//! Only the whitespace between tokens changes, and line breaks only where the newline rules of the
//! lexer ignore them or where a `;` stood, so the formatted program means what the original meant.

mod expr;
mod items;

use crate::diagnostic::{self, Diagnostic};
use crate::lexer::{Comment, Trivia};

/// Formats a source text. A text with syntax errors is refused with its diagnostics: its tree has
/// holes, and printing it would lose what the parser could not read.
pub fn format(source_text: &str) -> Result<String, Vec<Diagnostic>> {
    let (program, trivia, diagnostics) = crate::parser::parse_with_trivia(source_text);
    if diagnostic::has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    let mut printer = Printer::new(source_text, &trivia);
    printer.program(&program);
    Ok(printer.finish())
}

/// One line of output.
enum Line {
    Blank,
    Code {
        indent: usize,
        code: String,
        /// Comments written after the code on its line, printed after it.
        trailing: Vec<Comment>,
    },
}

/// The state of one formatting run: the lines printed so far, and how far into the source the
/// comments and empty lines have been accounted for.
struct Printer<'source> {
    text: &'source str,
    trivia: &'source Trivia,
    /// The first comment not printed yet (comments are printed in source order).
    next_comment: usize,
    lines: Vec<Line>,
    indent: usize,
    /// The end of what was printed last, in source offsets: an empty line after it and before the
    /// next thing is kept.
    cursor: usize,
    /// Whether nothing has been printed since the current block (or the file) opened, where an
    /// empty line is dropped.
    at_block_start: bool,
}

/// The characters that may stand between code and a comment for the comment to trail that code:
/// spaces, and the terminators and separators that `fmt` prints otherwise.
fn is_gap_before_trailing_comment(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\u{c}' | ';' | ',')
}

impl<'source> Printer<'source> {
    fn new(text: &'source str, trivia: &'source Trivia) -> Printer<'source> {
        Printer { text, trivia, next_comment: 0, lines: Vec::new(), indent: 0, cursor: 0, at_block_start: true }
    }

    fn peek_comment(&self) -> Option<Comment> {
        self.trivia.comments.get(self.next_comment).copied()
    }

    fn comment_text(&self, comment: Comment) -> &'source str {
        self.text[comment.span.range()].trim_end()
    }

    fn push_line(&mut self, code: String) {
        self.lines.push(Line::Code { indent: self.indent, code, trailing: Vec::new() });
        self.at_block_start = false;
    }

    /// Keeps one empty line before `position` if the source has any since the cursor.
    fn blank_line_before(&mut self, position: usize) {
        let follows_blank = matches!(self.lines.last(), Some(Line::Blank));
        if !self.at_block_start && !follows_blank && self.trivia.has_empty_line_between(self.cursor, position) {
            self.lines.push(Line::Blank);
        }
    }

    /// Prints the comments that start before `position` on lines of their own, with the empty lines
    /// written before each.
    fn comments_before(&mut self, position: usize) {
        while let Some(comment) = self.peek_comment().filter(|comment| (comment.span.start as usize) < position) {
            self.blank_line_before(comment.span.start as usize);
            self.push_line(self.comment_text(comment).to_string());
            self.next_comment += 1;
            self.cursor = comment.span.end as usize;
        }
    }

    /// What comes before a statement, item or field starting at `position`: the comments and empty
    /// lines written before it.
    fn unit_start(&mut self, position: usize) {
        self.comments_before(position);
        self.blank_line_before(position);
    }

    /// Prints the comments written inside a unit before `end` (which its one-line layout has no
    /// place for) on lines of their own before it.
    fn interior_comments(&mut self, end: usize) {
        while let Some(comment) = self.peek_comment().filter(|comment| (comment.span.start as usize) < end) {
            self.push_line(self.comment_text(comment).to_string());
            self.next_comment += 1;
        }
    }

    /// Attaches the comments written after `end` on the same line to the last line printed, and
    /// moves the cursor past them.
    fn trailing_comments(&mut self, end: usize) {
        let mut end = end;
        while let Some(comment) = self.peek_comment() {
            let Some(gap) = self.text.get(end..(comment.span.start as usize)) else { break };
            if !gap.chars().all(is_gap_before_trailing_comment) {
                break;
            }
            if let Some(Line::Code { trailing, .. }) = self.lines.last_mut() {
                trailing.push(comment);
            }
            self.next_comment += 1;
            end = comment.span.end as usize;
        }
        self.cursor = self.cursor.max(end);
    }

    /// Whether any comment starts inside `start..end`.
    fn has_comment_within(&self, start: usize, end: usize) -> bool {
        let first = self.trivia.comments.partition_point(|comment| (comment.span.start as usize) < start);
        self.trivia.comments.get(first).is_some_and(|comment| (comment.span.start as usize) < end)
    }

    /// Whether the source between `start` and `end` is on one line.
    fn is_one_line(&self, start: usize, end: usize) -> bool {
        self.text.get(start..end).is_some_and(|written| !written.contains(['\n', '\r']))
    }

    /// The offset of the next token at or after `position`, skipping spaces, line breaks and
    /// comments (to find a `{` the tree does not record).
    fn next_token_offset(&self, position: usize) -> usize {
        let mut position = position;
        loop {
            let rest = &self.text[position.min(self.text.len())..];
            let skipped = rest.len() - rest.trim_start().len();
            position += skipped;
            match self.trivia.comments.iter().find(|comment| (comment.span.start as usize) == position) {
                Some(comment) => position = comment.span.end as usize,
                None => return position,
            }
        }
    }

    /// Opens a block after its header line was pushed: the header may carry a trailing comment.
    fn open_block(&mut self, brace_offset: usize) {
        self.trailing_comments(brace_offset + 1);
        self.cursor = self.cursor.max(brace_offset + 1);
        self.indent += 1;
        self.at_block_start = true;
    }

    /// Closes a block at its `}`: the comments left inside it go before the brace.
    fn close_block(&mut self, brace_offset: usize) {
        self.comments_before(brace_offset);
        self.indent -= 1;
        self.push_line("}".to_string());
        self.cursor = brace_offset + 1;
    }

    /// The text of the source line before a comment.
    fn written_before(&self, comment: Comment) -> &'source str {
        let before = &self.text[..comment.span.start as usize];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |offset| offset + 1);
        &before[line_start..]
    }

    /// The column (in characters from the start of its line) where a comment was written.
    fn written_column(&self, comment: Comment) -> usize {
        self.written_before(comment).chars().count()
    }

    /// Whether the code printed before a trailing comment is, but for spaces, what was written
    /// before it on its line: only then does the column it was written at say where it belongs
    /// (not after a block written on one line and printed on several, say).
    fn is_same_line(&self, code: &str, comment: Comment) -> bool {
        let without_spaces = |text: &str| text.chars().filter(|c| !c.is_whitespace() && *c != ';').collect::<String>();
        without_spaces(self.written_before(comment)) == without_spaces(code)
    }

    /// Prints the remaining comments and joins the lines, aligning runs of trailing comments.
    fn finish(mut self) -> String {
        self.comments_before(usize::MAX);
        while matches!(self.lines.last(), Some(Line::Blank)) {
            self.lines.pop();
        }
        let columns = self.trailing_comment_columns();
        let mut out = String::new();
        for (line, column) in self.lines.iter().zip(columns) {
            if let Line::Code { indent, code, trailing } = line {
                let start = out.len();
                for _ in 0..*indent {
                    out.push_str("    ");
                }
                out.push_str(code);
                for (position, comment) in trailing.iter().enumerate() {
                    if position == 0 {
                        let width = last_line_width(&out[start..]);
                        out.extend(std::iter::repeat_n(' ', column.saturating_sub(width).max(1)));
                    } else {
                        out.push(' ');
                    }
                    out.push_str(self.comment_text(*comment));
                }
            }
            out.push('\n');
        }
        out
    }

    /// For each line, the column its trailing comments start at: consecutive lines with trailing
    /// comments share the column.
    fn trailing_comment_columns(&self) -> Vec<usize> {
        let mut columns = vec![0; self.lines.len()];
        let mut run_start = 0;
        while run_start < self.lines.len() {
            let has_trailing = |line: &Line| matches!(line, Line::Code { trailing, .. } if !trailing.is_empty());
            if !has_trailing(&self.lines[run_start]) {
                run_start += 1;
                continue;
            }
            let run_end = (run_start..self.lines.len())
                .find(|&index| !has_trailing(&self.lines[index]))
                .unwrap_or(self.lines.len());
            let mut column = 0;
            for line in &self.lines[run_start..run_end] {
                if let Line::Code { indent, code, trailing } = line {
                    let code_width = indent * 4 + last_line_width(code);
                    let written =
                        trailing.first().filter(|c| self.is_same_line(code, **c)).map(|c| self.written_column(*c));
                    column = column.max(code_width + 1).max(written.unwrap_or(0));
                }
            }
            columns[run_start..run_end].fill(column);
            run_start = run_end;
        }
        columns
    }
}

/// The width in characters of the last line of `text`.
fn last_line_width(text: &str) -> usize {
    let line_start = text.rfind('\n').map_or(0, |offset| offset + 1);
    text[line_start..].chars().count()
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn a_program_with_a_syntax_error_is_refused_with_its_diagnostics() {
        let diagnostics = format("qubits 2\ncircuit { h( }\n").unwrap_err();
        assert!(!diagnostics.is_empty());
    }

    #[test]
    fn statements_separated_by_semicolons_go_on_lines_of_their_own() {
        let formatted = format("qubits 2\ncircuit { h 0; cnot 0,1 }\n").unwrap();
        assert_eq!(formatted, "qubits 2\ncircuit {\n    h 0\n    cnot 0, 1\n}\n");
    }
}
