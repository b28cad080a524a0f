//! The tokens of OpenQASM 2 and 3, one logos lexer for both versions.
//!
//! Keywords are read as names and told apart by the parser, because OpenQASM 2 and 3 reserve
//! different words and a name the other version reserves must still read. Comments and
//! whitespace are skipped; `pragma` lines and `@annotation` lines end at the line break rather
//! than at a `;`, so each is one token.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use logos::Logos;

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f\u{0B}]+")]
#[logos(skip(r"//[^\n\r]*", allow_greedy = true))]
#[logos(skip r"/\*([^*]|\*+[^*/])*\*+/")]
pub enum Token {
    /// A name: ASCII or Unicode letters (`π`, `θ`), digits and `_`, not starting with a digit.
    #[regex(r"[\p{L}_][\p{L}\p{N}_]*")]
    Ident,
    /// A decimal, hexadecimal (`0x1F`), binary (`0b101`) or octal (`0o17`) integer.
    #[regex(r"[0-9][0-9_]*")]
    #[regex(r"0[xX][0-9a-fA-F][0-9a-fA-F_]*")]
    #[regex(r"0[bB][01][01_]*")]
    #[regex(r"0[oO][0-7][0-7_]*")]
    Int,
    #[regex(r"([0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?")]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9]+")]
    Float,
    /// A number with a unit (`100ns`, `1.5dt`): only `delay` and `box` take durations.
    #[regex(r"([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)(ns|us|µs|ms|s|dt)", priority = 5)]
    Duration,
    #[regex(r#""[^"\n]*""#)]
    #[regex(r#"'[^'\n]*'"#)]
    Str,
    /// A physical qubit, `$0`.
    #[regex(r"\$[0-9]+")]
    HardwareQubit,
    /// A `pragma` or `#pragma` line, which runs to the end of the line.
    #[regex(r"#?pragma[^\n\r]*", allow_greedy = true, priority = 10)]
    Pragma,
    /// An annotation line, `@name …`, which runs to the end of the line.
    #[regex(r"@[\p{L}_][\p{L}\p{N}_.]*[^\n\r]*", allow_greedy = true)]
    Annotation,
    /// A block comment that never closes.
    #[regex(r"/\*([^*]|\*+[^*/])*\**", priority = 0)]
    UnterminatedComment,
    /// A string with no closing quote on its line.
    #[regex(r#""[^"\n]*"#, priority = 0)]
    #[regex(r#"'[^'\n]*"#, priority = 0)]
    UnterminatedString,

    #[token(";")]
    Semicolon,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
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
    #[token("->")]
    Arrow,
    #[token("=")]
    Assign,
    #[token("==")]
    Equal,
    /// Operators only classical code uses (`!=`, `<`, `&&`, `+=`, …): read so that the statement
    /// holding them is reported as classical code, not as a stray character.
    #[regex(r"!=|<=|>=|<<|>>|&&|\|\||[-+*/%&|^]=|\*\*=|<<=|>>=|[<>!~&|]")]
    ClassicalOperator,
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
    /// `^`: power in OpenQASM 2 (in OpenQASM 3 it is bitwise exclusive or, which angles never use).
    #[token("^")]
    Caret,
    #[token("**")]
    Power,
    #[token("@")]
    At,
}

/// A token and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexeme {
    pub token: Token,
    pub span: Span,
}

/// Splits `text` into tokens. A character OpenQASM does not use, a block comment or string that
/// never closes, is reported and skipped, so the parser still sees the rest of the file.
pub fn lex(text: &str) -> (Vec<Lexeme>, Vec<Diagnostic>) {
    let mut lexemes = Vec::new();
    let mut diagnostics = Vec::new();
    let mut lexer = Token::lexer(text);
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end);
        match result {
            Ok(Token::UnterminatedComment) => diagnostics.push(Diagnostic::error(
                Code::E1001,
                "this block comment is never closed",
                Span::new(range.start, (range.start + 2).min(range.end)),
                "the comment starts here and runs to the end of the file",
            )),
            Ok(Token::UnterminatedString) => diagnostics.push(Diagnostic::error(
                Code::E1001,
                "this string is never closed",
                span,
                "no closing quote on this line",
            )),
            Ok(token) => lexemes.push(Lexeme { token, span }),
            Err(()) => {
                let shown = text[range.clone()].chars().next().map(|c| format!("{c:?}")).unwrap_or_default();
                diagnostics.push(Diagnostic::error(
                    Code::E1001,
                    format!("the character {shown} is not part of OpenQASM"),
                    span,
                    "not OpenQASM",
                ));
            }
        }
    }
    (lexemes, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        lex(text).0.into_iter().map(|lexeme| lexeme.token).collect()
    }

    #[test]
    fn numbers_names_and_operators_are_told_apart() {
        use Token::*;
        assert_eq!(
            tokens("u1 (-3*pi/8) t;"),
            [Ident, LParen, Minus, Int, Star, Ident, Slash, Int, RParen, Ident, Semicolon]
        );
        assert_eq!(tokens("1. .5 2.5e-3 1e9 10"), [Float, Float, Float, Float, Int]);
        assert_eq!(tokens("measure q -> c; // done"), [Ident, Ident, Arrow, Ident, Semicolon]);
        assert_eq!(tokens("θ ** 2 ^ π"), [Ident, Power, Int, Caret, Ident]);
        assert_eq!(
            tokens("if (c == 1) /* x */ x q;"),
            [Ident, LParen, Ident, Equal, Int, RParen, Ident, Ident, Semicolon]
        );
        assert_eq!(tokens("pragma qmlc measure expval(Z(0))\nx q;"), [Pragma, Ident, Ident, Semicolon]);
        assert_eq!(tokens("delay[100ns] q;"), [Ident, LBracket, Duration, RBracket, Ident, Semicolon]);
    }

    #[test]
    fn stray_characters_and_open_comments_are_reported_and_skipped() {
        let (lexemes, diagnostics) = lex("x q; ` /* open");
        assert_eq!(lexemes.len(), 3);
        assert_eq!(diagnostics.len(), 2);
        assert!(diagnostics.iter().all(|d| d.code == Code::E1001));
    }
}
