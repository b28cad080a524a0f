//! The logos lexer and the newline adapter that feeds lalrpop.
//!
//! Statements end at a newline or `;`. The adapter decides which newlines matter: it drops them
//! inside `( )` and `[ ]` and after a token that cannot end a statement, collapses runs, and adds
//! one before a `}` and at the end of input, so the grammar can end every statement with `Newline`.
//!
//! What the grammar does not read is kept beside the tokens in a [`Trivia`] table (comments, blank
//! lines, the `;` written as a terminator), as gleam's `ModuleExtra` does, so `fmt` can print the
//! source back.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use logos::Logos;

#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(skip r"[ \t\f]+")]
pub enum Token {
    #[token("qubits")]
    Qubits,
    #[token("input")]
    Input,
    #[token("param")]
    Param,
    #[token("const")]
    Const,
    #[token("def")]
    Def,
    #[token("circuit")]
    Circuit,
    #[token("measure")]
    Measure,
    #[token("head")]
    Head,
    /// `encode` where it starts a top-level declaration. It is not a keyword: the lexer reads the
    /// word as a name, and the newline adapter makes it this token only at the start of a
    /// top-level line and before a name (`encode linear(4), tanh`), so a user name `encode` (a
    /// def, a param) means what it always did.
    Encode,
    #[token("train")]
    Train,
    #[token("for")]
    For,
    #[token("in")]
    In,
    #[token("on")]
    On,
    #[token("adj")]
    Adj,
    #[token("ctrl")]
    Ctrl,
    #[token("true")]
    True,
    #[token("false")]
    False,

    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Ident(String),
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", |lex| NumberLiteral::read(lex.slice()))]
    #[regex(r"\.[0-9]+([eE][+-]?[0-9]+)?", |lex| NumberLiteral::read(lex.slice()))]
    Number(NumberLiteral),
    #[regex(r#""([^"\\\n]|\\.)*""#, |lex| unescape(lex.slice()))]
    Str(String),
    /// A string with no closing quote on its line; reported, then parsed as a string.
    #[regex(r#""([^"\\\n]|\\.)*"#, priority = 0)]
    UnterminatedStr,
    /// A `//` comment; the lexer moves it to the trivia table, so the grammar never sees it.
    #[regex(r"//[^\n\r]*", allow_greedy = true)]
    LineComment,
    /// A `/* … */` comment; moved to the trivia table like a line comment.
    #[regex(r"/\*([^*]|\*+[^*/])*\*+/")]
    BlockComment,
    /// A block comment that never closes; reported, and the rest of the file is skipped.
    #[regex(r"/\*([^*]|\*+[^*/])*\**", priority = 0)]
    UnterminatedComment,

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token("=")]
    Equals,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("^")]
    Caret,
    #[token("@")]
    At,
    #[token("..")]
    DotDot,
    /// A line ends at `\n`, `\r\n` or a lone `\r`, as `source::Source` counts lines.
    #[token("\n")]
    #[token("\r\n")]
    #[token("\r")]
    #[token(";")]
    Newline,

    /// A character the language does not use; the lexer reports it and the parser recovers.
    Invalid,
}

/// A number as written: its value, and its spelling, which `fmt` prints back unchanged.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberLiteral {
    pub value: f64,
    pub text: String,
}

impl NumberLiteral {
    fn read(text: &str) -> Option<NumberLiteral> {
        let value = text.parse::<f64>().ok()?;
        Some(NumberLiteral { value, text: text.to_string() })
    }
}

/// Whether a comment is a `//` line comment or a `/* … */` block comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    Line,
    Block,
}

/// One comment and where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
}

/// Everything in a source text that the syntax tree does not hold, kept as positions beside it
/// (gleam's `ModuleExtra`): together, the tree and this table are enough to print the source back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trivia {
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// The byte offset where each empty line (nothing but spaces) starts, in source order.
    pub empty_lines: Vec<usize>,
    /// The byte offset of each `;` written to end a statement; every other statement ends at a
    /// line break (or before a `}`, or at the end of the file).
    pub semicolons: Vec<usize>,
}

impl Trivia {
    /// Whether an empty line starts in `start..end`.
    pub(crate) fn has_empty_line_between(&self, start: usize, end: usize) -> bool {
        let first = self.empty_lines.partition_point(|&offset| offset < start);
        self.empty_lines.get(first).is_some_and(|&offset| offset < end)
    }
}

fn unescape(quoted: &str) -> String {
    let inner = &quoted[1..quoted.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Token {
    /// How the token is named in "expected …" lists and messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Number(number) => format!("number `{}`", number.value),
            Token::Str(_) | Token::UnterminatedStr => "a string".into(),
            Token::Newline => "end of line".into(),
            Token::Invalid => "an invalid character".into(),
            other => format!("`{}`", other.text()),
        }
    }

    /// The text of a fixed token.
    pub(crate) fn text(&self) -> &'static str {
        match self {
            Token::Qubits => "qubits",
            Token::Input => "input",
            Token::Param => "param",
            Token::Const => "const",
            Token::Def => "def",
            Token::Circuit => "circuit",
            Token::Measure => "measure",
            Token::Head => "head",
            Token::Encode => "encode",
            Token::Train => "train",
            Token::For => "for",
            Token::In => "in",
            Token::On => "on",
            Token::Adj => "adj",
            Token::Ctrl => "ctrl",
            Token::True => "true",
            Token::False => "false",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::Comma => ",",
            Token::Equals => "=",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::Caret => "^",
            Token::At => "@",
            Token::DotDot => "..",
            Token::Newline => "\\n",
            Token::Ident(_) => "identifier",
            Token::Number(_) => "number",
            Token::Str(_) | Token::UnterminatedStr => "string",
            Token::LineComment | Token::BlockComment | Token::UnterminatedComment => "comment",
            Token::Invalid => "?",
        }
    }

    /// Keywords that only ever start a top-level declaration or a statement.
    fn starts_declaration(&self) -> bool {
        matches!(
            self,
            Token::Qubits
                | Token::Input
                | Token::Param
                | Token::Const
                | Token::Def
                | Token::Circuit
                | Token::Measure
                | Token::Head
                | Token::Encode
                | Token::Train
                | Token::For
                | Token::Adj
                | Token::Ctrl
        )
    }

    /// Tokens after which a newline does not end the statement: the statement must go on.
    fn continues_statement(&self) -> bool {
        matches!(
            self,
            Token::Comma
                | Token::Equals
                | Token::Plus
                | Token::Minus
                | Token::Star
                | Token::Slash
                | Token::Percent
                | Token::Caret
                | Token::At
                | Token::DotDot
                | Token::LBrace
                | Token::Newline
        )
    }
}

/// The keywords of the language, for completion and for "is this name reserved" checks (the
/// names of `crate::builtins::KEYWORDS`, which documents each).
pub const KEYWORDS: &[&str] = &crate::builtins::names_of_keywords::<{ crate::builtins::KEYWORDS.len() }>();

pub(crate) type Spanned = (usize, Token, usize);

/// Lexes `text` into the token stream the grammar reads, with diagnostics for bad characters.
#[cfg(test)]
pub(crate) fn lex(text: &str) -> (Vec<Spanned>, Vec<Diagnostic>) {
    let (tokens, _, diagnostics) = lex_with_trivia(text);
    (tokens, diagnostics)
}

/// Lexes `text` into the token stream the grammar reads, with diagnostics for bad characters, and
/// also returns the trivia the token stream leaves out.
pub(crate) fn lex_with_trivia(text: &str) -> (Vec<Spanned>, Trivia, Vec<Diagnostic>) {
    let mut raw = Vec::new();
    let mut trivia = Trivia::default();
    let mut diagnostics = Vec::new();
    let mut lexer = Token::lexer(text);
    // Where the last line break ended, while nothing but spaces has followed it: a second line
    // break there closes an empty line. A file's first line starts as if after a line break.
    let mut after_line_break: Option<usize> = Some(0);
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end);
        let is_line_break = matches!(result, Ok(Token::Newline)) && lexer.slice() != ";";
        if is_line_break {
            if let Some(empty_line_start) = after_line_break {
                trivia.empty_lines.push(empty_line_start);
            }
            after_line_break = Some(range.end);
        } else {
            after_line_break = None;
        }
        let token = match result {
            Ok(Token::LineComment) => {
                trivia.comments.push(Comment { kind: CommentKind::Line, span });
                continue;
            }
            Ok(Token::BlockComment) => {
                trivia.comments.push(Comment { kind: CommentKind::Block, span });
                continue;
            }
            Ok(Token::Newline) if lexer.slice() == ";" => {
                trivia.semicolons.push(range.start);
                Token::Newline
            }
            Ok(Token::Number(number)) if !number.value.is_finite() => {
                diagnostics.push(Diagnostic::error(
                    Code::E0001,
                    "this number is too large",
                    span,
                    "not a finite number",
                ));
                Token::Number(NumberLiteral { value: 0.0, ..number })
            }
            Ok(Token::UnterminatedStr) => {
                diagnostics.push(
                    Diagnostic::error(Code::E0003, "unterminated string", span, "this string has no closing `\"`")
                        .with_help("strings end on the line they start; add a closing `\"`"),
                );
                Token::Str(unescape(&format!("{}\"", lexer.slice())))
            }
            Ok(Token::UnterminatedComment) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::E0003,
                        "unterminated block comment",
                        Span::new(range.start, range.start + 2),
                        "this comment is never closed",
                    )
                    .with_help("close it with `*/`"),
                );
                continue;
            }
            Ok(token) => token,
            Err(()) => {
                let found = &text[range.clone()];
                let mut diagnostic = Diagnostic::error(
                    Code::E0001,
                    format!("unexpected character `{}`", found.escape_debug()),
                    span,
                    "not part of the language",
                );
                if found == "#" {
                    diagnostic = diagnostic.with_help("comments start with `//`");
                } else if found == "." {
                    diagnostic = diagnostic
                        .with_help("a number needs a digit after its decimal point; ranges are written `a..b`");
                }
                diagnostics.push(diagnostic);
                Token::Invalid
            }
        };
        raw.push((range.start, token, range.end));
    }
    if let Some(diagnostic) = check_limits(&raw) {
        diagnostics.push(diagnostic);
        return (Vec::new(), trivia, diagnostics);
    }
    let (tokens, unclosed) = insert_newlines(raw, text.len());
    for brace in unclosed {
        diagnostics.push(
            Diagnostic::error(Code::E0004, "unclosed `{`", brace, "this `{` is never closed")
                .with_help("add the matching `}`; the block is taken to end at the end of the file"),
        );
    }
    (tokens, trivia, diagnostics)
}

/// The deepest nesting of brackets the front end accepts, and the most operators one statement may
/// chain. Later phases walk the syntax tree recursively, and a tree is only deeper than its
/// brackets nest through chains of operators (`a + a + …`, `- - a`, `a ^ a ^ …`) or of indexing
/// (`w[0][0]…`); bounding both is what keeps any input from exhausting the stack. A long list
/// (a circuit of many gates, a `measure` of many items) makes a wide tree, not a deep one, and is
/// not limited.
pub(crate) const MAX_NESTING: usize = 200;
pub(crate) const MAX_STATEMENT_OPERATORS: usize = 20_000;

fn check_limits(raw: &[Spanned]) -> Option<Diagnostic> {
    let mut depth = 0usize;
    // For each open brace, the parentheses and brackets opened inside it and not yet closed: a
    // newline (or `;`) ends a statement only where this is zero, as the newline adapter decides.
    let mut open_in_brace: Vec<usize> = vec![0];
    let mut statement_operators = 0usize;
    let mut previous: Option<&Token> = None;
    for (start, token, end) in raw {
        let counts_as_operator = match token {
            Token::Plus | Token::Minus | Token::Star | Token::Slash | Token::Percent | Token::Caret | Token::At => true,
            // `w[0][1]…` nests one index inside the next.
            Token::LBracket => matches!(previous, Some(Token::RBracket | Token::RParen)),
            _ => false,
        };
        match token {
            Token::LParen | Token::LBracket => {
                depth += 1;
                *open_in_brace.last_mut().expect("the stack is never empty") += 1;
            }
            Token::RParen | Token::RBracket => {
                depth = depth.saturating_sub(1);
                let open = open_in_brace.last_mut().expect("the stack is never empty");
                *open = open.saturating_sub(1);
            }
            Token::LBrace => {
                depth += 1;
                open_in_brace.push(0);
                statement_operators = 0;
            }
            Token::RBrace => {
                depth = depth.saturating_sub(1);
                if open_in_brace.len() > 1 {
                    open_in_brace.pop();
                }
                statement_operators = 0;
            }
            Token::Newline if *open_in_brace.last().expect("the stack is never empty") == 0 => statement_operators = 0,
            _ => {}
        }
        if counts_as_operator {
            statement_operators += 1;
        }
        previous = Some(token);
        if depth > MAX_NESTING {
            return Some(
                Diagnostic::error(
                    Code::E0803,
                    format!("brackets nest more than {MAX_NESTING} deep"),
                    Span::new(*start, *end),
                    "too deep",
                )
                .with_help("split the expression with consts or defs"),
            );
        }
        if statement_operators > MAX_STATEMENT_OPERATORS {
            return Some(
                Diagnostic::error(
                    Code::E0803,
                    format!("a statement chains more than {MAX_STATEMENT_OPERATORS} operators"),
                    Span::new(*start, *end),
                    "the statement is still going here",
                )
                .with_help("split the expression with consts, or sum it with a loop"),
            );
        }
    }
    None
}

/// Whether a name at this point starts a top-level line and is followed by another name: where
/// `encode` declares the encode layers (see [`Token::Encode`]).
fn starts_top_level_declaration(out: &[Spanned], depth_stack: &[u32], next: Option<&Spanned>) -> bool {
    let at_line_start = matches!(out.last(), None | Some((_, Token::Newline, _)));
    let at_top_level = depth_stack.len() == 1 && depth_stack[0] == 0;
    at_line_start && at_top_level && matches!(next, Some((_, Token::Ident(_), _)))
}

/// Applies the newline rules of LANGUAGE.md §2 and §9 to the raw token stream. Braces still open at
/// the end are closed there, so the parser can recover the rest of the file; their spans are returned.
fn insert_newlines(raw: Vec<Spanned>, end_of_input: usize) -> (Vec<Spanned>, Vec<Span>) {
    let mut open_braces: Vec<Span> = Vec::new();
    let mut out: Vec<Spanned> = Vec::with_capacity(raw.len() + 8);
    // The nesting of parentheses and brackets; braces reset it so that a stray `(` does not swallow
    // every newline of the rest of a block.
    let mut depth_stack: Vec<u32> = vec![0];
    let statement_may_end = |out: &Vec<Spanned>| match out.last() {
        None => false,
        Some((_, token, _)) => !token.continues_statement(),
    };
    let mut tokens = raw.into_iter().peekable();
    while let Some((start, token, end)) = tokens.next() {
        match token {
            Token::Newline => {
                // A line that starts with a declaration keyword cannot continue an expression, so an
                // unclosed `(` or `[` ends there instead of swallowing the rest of the file.
                let next_starts_declaration = tokens.peek().is_some_and(|(_, next, _)| next.starts_declaration());
                if next_starts_declaration {
                    *depth_stack.last_mut().expect("the stack is never empty") = 0;
                }
                if *depth_stack.last().expect("the stack is never empty") == 0 && statement_may_end(&out) {
                    out.push((start, Token::Newline, end));
                }
                continue;
            }
            Token::LParen | Token::LBracket => {
                *depth_stack.last_mut().expect("the stack is never empty") += 1;
            }
            Token::RParen | Token::RBracket => {
                let depth = depth_stack.last_mut().expect("the stack is never empty");
                *depth = depth.saturating_sub(1);
            }
            Token::LBrace => {
                depth_stack.push(0);
                open_braces.push(Span::new(start, end));
            }
            Token::RBrace => {
                open_braces.pop();
                if depth_stack.len() > 1 {
                    depth_stack.pop();
                } else {
                    depth_stack[0] = 0;
                }
                if statement_may_end(&out) {
                    out.push((start, Token::Newline, start));
                }
            }
            _ => {}
        }
        let token = match token {
            Token::Ident(name)
                if name == "encode" && starts_top_level_declaration(&out, &depth_stack, tokens.peek()) =>
            {
                Token::Encode
            }
            other => other,
        };
        out.push((start, token, end));
    }
    for _ in &open_braces {
        if statement_may_end(&out) {
            out.push((end_of_input, Token::Newline, end_of_input));
        }
        out.push((end_of_input, Token::RBrace, end_of_input));
    }
    if statement_may_end(&out) {
        out.push((end_of_input, Token::Newline, end_of_input));
    }
    (out, open_braces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        lex(text).0.into_iter().map(|(_, t, _)| t.text().to_string()).collect()
    }

    #[test]
    fn newline_is_dropped_inside_parentheses_and_after_a_comma() {
        assert_eq!(
            kinds("cnot 0,\n 1\nh(\n0)"),
            ["identifier", "number", ",", "number", "\\n", "identifier", "(", "number", ")", "\\n"]
        );
    }

    #[test]
    fn a_newline_is_inserted_before_a_closing_brace_and_at_the_end() {
        assert_eq!(kinds("{ h 0 }"), ["{", "identifier", "number", "\\n", "}", "\\n"]);
    }

    #[test]
    fn comments_empty_lines_and_semicolons_go_to_the_trivia_table() {
        let text = "qubits 1 // one\n\n/* two */ h 0; x 0\n";
        let (tokens, trivia, diagnostics) = lex_with_trivia(text);
        assert!(diagnostics.is_empty());
        let comments: Vec<&str> = trivia.comments.iter().map(|c| &text[c.span.range()]).collect();
        assert_eq!(comments, ["// one", "/* two */"]);
        assert_eq!(trivia.comments[0].kind, CommentKind::Line);
        assert_eq!(trivia.comments[1].kind, CommentKind::Block);
        assert_eq!(trivia.empty_lines, [16]);
        assert_eq!(trivia.semicolons, [30]);
        assert!(tokens.iter().all(|(_, token, _)| !matches!(token, Token::LineComment | Token::BlockComment)));
    }

    #[test]
    fn a_number_keeps_its_spelling() {
        let (tokens, _) = lex("1E-3");
        assert_eq!(tokens[0].1, Token::Number(NumberLiteral { value: 1e-3, text: "1E-3".to_string() }));
    }

    #[test]
    fn a_range_is_not_read_as_two_decimals() {
        assert_eq!(kinds("0..4"), ["number", "..", "number", "\\n"]);
        assert_eq!(kinds(".5 1e-3 2.5E+2"), ["number", "number", "number", "\\n"]);
    }
}
