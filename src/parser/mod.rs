//! The parser: lalrpop glue that turns tokens into an AST and parse errors into diagnostics.

mod actions;

use crate::ast::Program;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::lexer::{self, Token, Trivia};
use crate::source::Span;
use lalrpop_util::{lalrpop_mod, ErrorRecovery, ParseError};

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, dead_code)]
    grammar,
    "/qml.rs"
);

/// Parses a whole source text into the tree the checker reads, where parentheses only group. The
/// program is always returned: statements that could not be read are error nodes, each reported
/// once in the diagnostics.
pub fn parse(text: &str) -> (Program, Vec<Diagnostic>) {
    let (program, _, diagnostics) = parse_text(text, false);
    (program, diagnostics)
}

/// Parses a whole source text into the tree of [`parse`], and also returns the trivia the tree
/// leaves out (comments, empty lines), for the doc comments and folding ranges of the analysis.
pub fn parse_keeping_trivia(text: &str) -> (Program, Trivia, Vec<Diagnostic>) {
    parse_text(text, false)
}

/// Parses a whole source text losslessly, for printing it back: parentheses are
/// `ExprKind::Paren` nodes, and the comments, empty lines and `;` terminators the tree does not
/// hold come beside it in the trivia table. Diagnostics are those of [`parse`].
pub fn parse_with_trivia(text: &str) -> (Program, Trivia, Vec<Diagnostic>) {
    parse_text(text, true)
}

fn parse_text(text: &str, lossless: bool) -> (Program, Trivia, Vec<Diagnostic>) {
    let (tokens, trivia, mut diagnostics) = lexer::lex_with_trivia(text);
    let lexer_reported: Vec<Span> = diagnostics.iter().map(|d| d.primary.span).collect();
    let mut recovered: Vec<ErrorRecovery<usize, Token, ()>> = Vec::new();
    let stream = tokens.iter().cloned().map(Ok::<_, ()>);
    let result = grammar::ProgramParser::new().parse(&mut recovered, lossless, stream);
    let program = match result {
        Ok(program) => program,
        Err(error) => {
            diagnostics.extend(parse_error_diagnostic(error, &tokens, text.len(), &lexer_reported));
            Program::default()
        }
    };
    for recovery in recovered {
        diagnostics.extend(parse_error_diagnostic(recovery.error, &tokens, text.len(), &lexer_reported));
    }
    (program, trivia, diagnostics)
}

/// Turns one lalrpop error into a diagnostic; errors at a token the lexer already reported are dropped.
fn parse_error_diagnostic(
    error: ParseError<usize, Token, ()>,
    tokens: &[lexer::Spanned],
    end_of_input: usize,
    lexer_reported: &[Span],
) -> Option<Diagnostic> {
    match error {
        ParseError::InvalidToken { location } => Some(Diagnostic::error(
            Code::E0002,
            "invalid token",
            Span::new(location, location + 1),
            "not understood here",
        )),
        ParseError::UnrecognizedEof { location, expected } => {
            let location = location.min(end_of_input);
            let mut diagnostic = Diagnostic::error(
                Code::E0004,
                "unexpected end of file",
                Span::new(location, location),
                "the file ends here",
            );
            if expected.iter().any(|e| e == "\"}\"") {
                diagnostic = diagnostic.with_help("a `{` block is not closed; add a `}`");
            } else if let Some(list) = expected_list(&expected) {
                diagnostic = diagnostic.with_note(format!("expected {list}"));
            }
            Some(diagnostic)
        }
        ParseError::UnrecognizedToken { token: (start, token, end), expected } => {
            let span = Span::new(start, end);
            if token == Token::Invalid || lexer_reported.contains(&span) {
                return None;
            }
            Some(unexpected_token(span, &token, &expected, tokens))
        }
        ParseError::ExtraToken { token: (start, token, end) } => Some(Diagnostic::error(
            Code::E0002,
            format!("unexpected {}", token.describe()),
            Span::new(start, end),
            "not expected here",
        )),
        ParseError::User { error: () } => None,
    }
}

fn unexpected_token(span: Span, token: &Token, expected: &[String], tokens: &[lexer::Spanned]) -> Diagnostic {
    let label = match token {
        Token::Newline => "the statement ends here".to_string(),
        _ => "unexpected here".to_string(),
    };
    let message = match token {
        Token::Newline if span.start == span.end => "unexpected end of statement".to_string(),
        Token::Newline => "unexpected end of line".to_string(),
        other => format!("unexpected {}", other.describe()),
    };
    let mut diagnostic = Diagnostic::error(Code::E0002, message, span, label);
    if let Some(list) = expected_list(expected) {
        diagnostic = diagnostic.with_note(format!("expected {list}"));
    }
    // A gate whose first wire begins with `(`: `cnot (i + 1) % n, i` reads `(i + 1)` as angles and
    // then stumbles on the operator.
    let position = tokens.iter().position(|(s, _, e)| Span::new(*s, *e) == span);
    let is_operator =
        matches!(token, Token::Percent | Token::Plus | Token::Minus | Token::Star | Token::Slash | Token::Caret);
    if let Some(position) = position {
        if is_operator && position > 0 && tokens[position - 1].1 == Token::RParen {
            diagnostic = diagnostic.with_help(
                "after a gate name `(` always opens its angles, so a wire cannot begin with `(`; write `mod(i + 1, n)` instead of `(i + 1) % n`",
            );
        }
    }
    diagnostic
}

/// Formats lalrpop's expected terminals as prose, or `None` when the list would not help.
fn expected_list(expected: &[String]) -> Option<String> {
    let mut names: Vec<String> = expected
        .iter()
        .map(|terminal| match terminal.as_str() {
            "Identifier" => "a name".to_string(),
            "Num" => "a number".to_string(),
            "Str" => "a string".to_string(),
            "NL" => "end of line".to_string(),
            "Invalid" => String::new(),
            quoted => format!("`{}`", quoted.trim_matches('"')),
        })
        .filter(|name| !name.is_empty())
        .collect();
    names.dedup();
    match names.len() {
        0 => None,
        1 => Some(names.remove(0)),
        n if n > 8 => None,
        _ => {
            let last = names.pop().expect("at least two names");
            Some(format!("{} or {}", names.join(", "), last))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{ExprKind, ItemKind};

    fn const_value(program: &Program) -> &crate::ast::Expr {
        match &program.items[0].kind {
            ItemKind::Const { value, .. } => value,
            other => panic!("not a const: {other:?}"),
        }
    }

    #[test]
    fn the_lossless_tree_keeps_parentheses_and_the_checkers_tree_gives_their_span_to_the_inside() {
        let text = "const k = (1.50)\n";
        let (lossless, _, _) = parse_with_trivia(text);
        let value = const_value(&lossless);
        assert!(matches!(&value.kind, ExprKind::Paren(inner) if inner.span == Span::new(11, 15)));
        assert_eq!(value.strip_parens().kind, ExprKind::Number { value: 1.5, text: "1.50".to_string() });

        let (program, _) = parse(text);
        let value = const_value(&program);
        assert_eq!(value.kind, ExprKind::Number { value: 1.5, text: "1.50".to_string() });
        assert_eq!(value.span, Span::new(10, 16));
    }
}
