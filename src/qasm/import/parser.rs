//! A recursive-descent parser for OpenQASM 2 and 3 statements, recovering at statement
//! boundaries so that one file's every syntax error is reported.
//!
//! Statements the importer cannot translate (classical control, `reset`, calibrations, …) are
//! still read to their end, so that the statements after them are parsed, and become
//! [`Stmt::Unsupported`] with the code that reports them.

use super::ast::{BinaryOp, Expr, ExprKind, GateCall, Index, LoopValues, Modifier, Name, Operand, Stmt};
use super::lexer::{Lexeme, Token};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// The deepest nesting of blocks (`for`, `gate`) and of parentheses in one expression; deeper
/// programs are refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Parses a whole program: its statements and the syntax errors found on the way.
pub fn parse(text: &str, lexemes: &[Lexeme]) -> (Vec<Stmt>, Vec<Diagnostic>) {
    let mut parser = Parser { text, lexemes, position: 0, diagnostics: Vec::new(), depth: 0, version: None };
    let mut statements = Vec::new();
    while parser.position < lexemes.len() {
        if parser.peek() == Some(Token::RBrace) {
            let span = parser.span_here();
            parser.error(Code::E1002, "this `}` closes no block", span, "unexpected `}`");
            parser.position += 1;
            continue;
        }
        if let Some(statement) = parser.statement() {
            statements.push(statement);
        }
    }
    (statements, parser.diagnostics)
}

/// A syntax error was reported; the caller skips to the end of the statement.
struct Failed;

type Parsed<T> = Result<T, Failed>;

struct Parser<'a> {
    text: &'a str,
    lexemes: &'a [Lexeme],
    position: usize,
    diagnostics: Vec<Diagnostic>,
    depth: usize,
    /// The major version of the `OPENQASM` line, once read: `^` is power in version 2 only.
    version: Option<u32>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token> {
        self.lexemes.get(self.position).map(|lexeme| lexeme.token)
    }

    fn peek_at(&self, ahead: usize) -> Option<Token> {
        self.lexemes.get(self.position + ahead).map(|lexeme| lexeme.token)
    }

    /// The text of the token `ahead` places on, if there is one.
    fn word_at(&self, ahead: usize) -> Option<&'a str> {
        self.lexemes.get(self.position + ahead).map(|lexeme| &self.text[lexeme.span.range()])
    }

    fn is_word(&self, word: &str) -> bool {
        self.peek() == Some(Token::Ident) && self.word_at(0) == Some(word)
    }

    fn span_here(&self) -> Span {
        match self.lexemes.get(self.position) {
            Some(lexeme) => lexeme.span,
            None => {
                let end = self.text.len();
                Span::new(end, end)
            }
        }
    }

    /// The end of the last token read.
    fn end_of_previous(&self) -> u32 {
        self.position.checked_sub(1).and_then(|i| self.lexemes.get(i)).map(|lexeme| lexeme.span.end).unwrap_or(0)
    }

    fn span_from(&self, start: Span) -> Span {
        Span { start: start.start, end: self.end_of_previous().max(start.start) }
    }

    fn error(&mut self, code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(code, message, span, label));
    }

    /// Reports the token here as unexpected (or the end of the file), saying what was expected.
    fn unexpected(&mut self, expected: &str) -> Failed {
        match self.lexemes.get(self.position) {
            Some(lexeme) => {
                let shown = &self.text[lexeme.span.range()];
                let shown: String = shown.chars().take(40).collect();
                let span = lexeme.span;
                self.diagnostics.push(
                    Diagnostic::error(Code::E1002, format!("unexpected `{shown}`"), span, "unexpected here")
                        .with_note(format!("expected {expected}")),
                );
            }
            None => {
                let span = self.span_here();
                self.diagnostics.push(
                    Diagnostic::error(Code::E1003, "the file ends inside a statement", span, "the file ends here")
                        .with_note(format!("expected {expected}")),
                );
            }
        }
        Failed
    }

    fn expect(&mut self, token: Token, expected: &str) -> Parsed<Span> {
        if self.peek() == Some(token) {
            let span = self.lexemes[self.position].span;
            self.position += 1;
            Ok(span)
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn eat(&mut self, token: Token) -> bool {
        if self.peek() == Some(token) {
            self.position += 1;
            true
        } else {
            false
        }
    }

    fn name(&mut self, expected: &str) -> Parsed<Name> {
        let span = self.expect(Token::Ident, expected)?;
        Ok(Name { text: self.text[span.range()].to_string(), span })
    }

    /// Skips to the end of the statement that starts at the current token: past its `;` or its
    /// block's `}` (and an `else` block after it), or up to a `}` that closes an enclosing block.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match token {
                Token::LBrace => depth += 1,
                Token::RBrace if depth == 0 => return,
                Token::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.position += 1;
                        if self.is_word("else") {
                            continue;
                        }
                        return;
                    }
                }
                Token::Semicolon if depth == 0 => {
                    self.position += 1;
                    return;
                }
                _ => {}
            }
            self.position += 1;
        }
    }

    /// Reads a statement to its end and makes it an unsupported one, reported later with `code`.
    /// The span is the whole statement when it is one line, else its first word.
    fn unsupported(&mut self, code: Code, message: String) -> Stmt {
        let start = self.span_here();
        self.skip_statement();
        let whole = self.span_from(start);
        let same_line = !self.text[whole.range()].contains('\n');
        Stmt::Unsupported { code, message, span: if same_line { whole } else { start } }
    }

    fn statement(&mut self) -> Option<Stmt> {
        let start = self.position;
        match self.statement_inner() {
            Ok(statement) => Some(statement),
            Err(Failed) => {
                // Resume after the statement; make progress even when nothing was read.
                if self.position == start {
                    self.position += 1;
                }
                if self.lexemes.get(self.position.saturating_sub(1)).is_some_and(|l| l.token != Token::Semicolon) {
                    self.skip_statement();
                }
                None
            }
        }
    }

    fn statement_inner(&mut self) -> Parsed<Stmt> {
        let start = self.span_here();
        match self.peek() {
            Some(Token::Pragma | Token::Annotation) => {
                self.position += 1;
                return Ok(Stmt::Pragma { span: start });
            }
            Some(Token::Ident) => {}
            Some(Token::HardwareQubit) => {
                return Ok(self.unsupported(Code::E1015, "physical qubits (`$0`) cannot be imported".into()));
            }
            _ => return Err(self.unexpected("a statement")),
        }
        let word = self.word_at(0).unwrap_or("");
        match word {
            "OPENQASM" => self.version_line(start),
            "include" => {
                self.position += 1;
                let path = self.expect(Token::Str, "a file name in quotes")?;
                self.expect(Token::Semicolon, "`;`")?;
                let quoted = &self.text[path.range()];
                let path_text = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("").to_string();
                Ok(Stmt::Include { path: path_text, span: self.span_from(start) })
            }
            "qreg" | "creg" => {
                self.position += 1;
                let name = self.name("a register name")?;
                self.expect(Token::LBracket, "`[` and the register's size")?;
                let size = self.expr()?;
                self.expect(Token::RBracket, "`]`")?;
                self.expect(Token::Semicolon, "`;`")?;
                let span = self.span_from(start);
                Ok(if word == "qreg" {
                    Stmt::QuantumRegister { name, size: Some(size), span }
                } else {
                    Stmt::ClassicalRegister { name, span }
                })
            }
            "qubit" | "bit" => self.declaration(start, word == "qubit"),
            "input" => self.input(start),
            "const" => self.constant(start),
            "gate" => self.gate(start),
            "measure" => {
                self.position += 1;
                let operand = self.operand()?;
                if self.eat(Token::Arrow) {
                    self.operand()?;
                }
                self.expect(Token::Semicolon, "`;`")?;
                Ok(Stmt::Measure { operand, span: self.span_from(start) })
            }
            "barrier" => {
                self.skip_statement();
                Ok(Stmt::Barrier { span: self.span_from(start) })
            }
            "reset" => Ok(self.unsupported(Code::E1012, "`reset` cannot be imported".into())),
            "if" | "while" | "switch" | "break" | "continue" | "end" | "return" => {
                Ok(self.unsupported(Code::E1013, format!("classical control (`{word}`) cannot be imported")))
            }
            "opaque" | "defcal" | "cal" | "defcalgrammar" | "delay" | "box" => {
                Ok(self.unsupported(Code::E1015, format!("`{word}` (timing or calibration) cannot be imported")))
            }
            "def" | "extern" => Ok(self.unsupported(Code::E1014, format!("subroutines (`{word}`) cannot be imported"))),
            "output" | "int" | "uint" | "float" | "angle" | "bool" | "complex" | "duration" | "stretch" | "array"
            | "let" => Ok(self.unsupported(
                Code::E1014,
                format!("classical declarations (`{word}`) cannot be imported; only `input` and `const` are"),
            )),
            "for" => self.for_loop(start),
            _ => {
                // `c = measure q;` and `c[0] = measure q[0];`; any other assignment is classical code.
                let mut ahead = 1;
                if self.peek_at(1) == Some(Token::LBracket) {
                    while let Some(token) = self.peek_at(ahead) {
                        ahead += 1;
                        if matches!(token, Token::RBracket | Token::Semicolon) {
                            break;
                        }
                    }
                }
                match self.peek_at(ahead) {
                    Some(Token::Assign) if self.word_at(ahead + 1) == Some("measure") => {
                        self.position += ahead + 2;
                        let operand = self.operand()?;
                        self.expect(Token::Semicolon, "`;`")?;
                        Ok(Stmt::Measure { operand, span: self.span_from(start) })
                    }
                    Some(Token::Assign | Token::ClassicalOperator) if ahead >= 1 => {
                        Ok(self.unsupported(Code::E1014, "assignments to classical values cannot be imported".into()))
                    }
                    _ => Ok(Stmt::Call(self.gate_call()?)),
                }
            }
        }
    }

    fn version_line(&mut self, start: Span) -> Parsed<Stmt> {
        self.position += 1;
        let number = match self.peek() {
            Some(Token::Int | Token::Float) => self.lexemes[self.position].span,
            _ => return Err(self.unexpected("a version number such as `2.0` or `3`")),
        };
        self.position += 1;
        self.expect(Token::Semicolon, "`;`")?;
        let written = &self.text[number.range()];
        let major = written.split('.').next().and_then(|major| major.parse::<u32>().ok()).unwrap_or(0);
        if major == 2 || major == 3 {
            self.version.get_or_insert(major);
        }
        Ok(Stmt::Version { major, span: self.span_from(start) })
    }

    /// `qubit[n] q;`, `qubit q;`, `bit[n] c;`, `bit c = measure q;`.
    fn declaration(&mut self, start: Span, quantum: bool) -> Parsed<Stmt> {
        self.position += 1;
        let size = if self.eat(Token::LBracket) {
            let size = self.expr()?;
            self.expect(Token::RBracket, "`]`")?;
            Some(size)
        } else {
            None
        };
        let name = self.name("a register name")?;
        if !quantum && self.eat(Token::Assign) {
            if !self.is_word("measure") {
                return Ok(self.unsupported_rest(start, Code::E1014, "classical values cannot be imported"));
            }
            self.position += 1;
            let operand = self.operand()?;
            self.expect(Token::Semicolon, "`;`")?;
            return Ok(Stmt::Measure { operand, span: self.span_from(start) });
        }
        self.expect(Token::Semicolon, "`;`")?;
        let span = self.span_from(start);
        Ok(if quantum { Stmt::QuantumRegister { name, size, span } } else { Stmt::ClassicalRegister { name, span } })
    }

    /// The rest of a statement whose start was already read, as an unsupported statement.
    fn unsupported_rest(&mut self, start: Span, code: Code, message: &str) -> Stmt {
        self.skip_statement();
        Stmt::Unsupported { code, message: message.to_string(), span: self.span_from(start) }
    }

    /// A classical type: `float[64]`, `angle`, `int[32]`; returns its word.
    fn classical_type(&mut self) -> Parsed<&'a str> {
        let word = self.word_at(0).filter(|_| self.peek() == Some(Token::Ident));
        let Some(word) = word else { return Err(self.unexpected("a type such as `float[64]` or `angle`")) };
        self.position += 1;
        if self.eat(Token::LBracket) {
            self.expr()?;
            self.expect(Token::RBracket, "`]`")?;
        }
        Ok(word)
    }

    fn input(&mut self, start: Span) -> Parsed<Stmt> {
        self.position += 1;
        let kind = self.classical_type()?;
        if kind != "float" && kind != "angle" {
            return Ok(self.unsupported_rest(
                start,
                Code::E1014,
                "only `input float` and `input angle` can be imported (as params)",
            ));
        }
        let name = self.name("the input's name")?;
        self.expect(Token::Semicolon, "`;`")?;
        Ok(Stmt::Input { name, span: self.span_from(start) })
    }

    fn constant(&mut self, start: Span) -> Parsed<Stmt> {
        self.position += 1;
        let integer = matches!(self.classical_type()?, "int" | "uint");
        let name = self.name("the constant's name")?;
        self.expect(Token::Assign, "`=` and the constant's value")?;
        let value = self.expr()?;
        self.expect(Token::Semicolon, "`;`")?;
        Ok(Stmt::Const { name, integer, value, span: self.span_from(start) })
    }

    fn enter(&mut self, span: Span) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            self.error(
                Code::E1019,
                format!("blocks or parentheses are nested more than {MAX_DEPTH} deep"),
                span,
                "too deep",
            );
            return Err(Failed);
        }
        Ok(())
    }

    fn gate(&mut self, start: Span) -> Parsed<Stmt> {
        self.position += 1;
        let name = self.name("the gate's name")?;
        let mut params = Vec::new();
        if self.eat(Token::LParen) {
            while self.peek() != Some(Token::RParen) {
                params.push(self.name("a parameter name")?);
                if !self.eat(Token::Comma) {
                    break;
                }
            }
            self.expect(Token::RParen, "`)`")?;
        }
        let mut qubits = Vec::new();
        while self.peek() == Some(Token::Ident) {
            qubits.push(self.name("a qubit name")?);
            if !self.eat(Token::Comma) {
                break;
            }
        }
        let body = self.block()?;
        Ok(Stmt::Gate { name, params, qubits, body, span: self.span_from(start) })
    }

    /// `{ statements }`.
    fn block(&mut self) -> Parsed<Vec<Stmt>> {
        let open = self.expect(Token::LBrace, "`{`")?;
        self.enter(open)?;
        let mut body = Vec::new();
        loop {
            match self.peek() {
                Some(Token::RBrace) => {
                    self.position += 1;
                    break;
                }
                None => {
                    self.depth -= 1;
                    self.error(Code::E1003, "the file ends inside this block", open, "this `{` is never closed");
                    return Err(Failed);
                }
                _ => {
                    if let Some(statement) = self.statement() {
                        body.push(statement);
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(body)
    }

    fn for_loop(&mut self, start: Span) -> Parsed<Stmt> {
        self.position += 1;
        // `for int i in …`, `for uint[32] i in …`, or the older `for i in …`.
        if self.peek() == Some(Token::Ident) && self.word_at(1) != Some("in") {
            self.classical_type()?;
        }
        let variable = self.name("the loop variable")?;
        if !self.is_word("in") {
            return Err(self.unexpected("`in`"));
        }
        self.position += 1;
        let values = if self.eat(Token::LBracket) {
            let first = self.expr()?;
            self.expect(Token::Colon, "`:` (a range `[a:b]`)")?;
            let second = self.expr()?;
            let values = if self.eat(Token::Colon) {
                let third = self.expr()?;
                LoopValues::Range { start: first, step: Some(second), end: third }
            } else {
                LoopValues::Range { start: first, step: None, end: second }
            };
            self.expect(Token::RBracket, "`]`")?;
            values
        } else if self.eat(Token::LBrace) {
            let mut values = Vec::new();
            while self.peek() != Some(Token::RBrace) {
                values.push(self.expr()?);
                if !self.eat(Token::Comma) {
                    break;
                }
            }
            self.expect(Token::RBrace, "`}`")?;
            LoopValues::Set(values)
        } else {
            return Err(self.unexpected("a range `[a:b]` or a set `{a, b}`"));
        };
        let body = if self.peek() == Some(Token::LBrace) {
            self.block()?
        } else {
            let here = self.span_here();
            self.enter(here)?;
            let statement = self.statement();
            self.depth -= 1;
            statement.into_iter().collect()
        };
        Ok(Stmt::For { variable, values, body, span: self.span_from(start) })
    }

    fn gate_call(&mut self) -> Parsed<GateCall> {
        let start = self.span_here();
        let mut modifiers = Vec::new();
        loop {
            let is_modifier = matches!(self.word_at(0), Some("inv" | "pow" | "ctrl" | "negctrl"))
                && self.peek() == Some(Token::Ident)
                && matches!(self.peek_at(1), Some(Token::At | Token::LParen));
            if !is_modifier {
                break;
            }
            let modifier_start = self.span_here();
            let word = self.word_at(0).unwrap_or("");
            self.position += 1;
            let argument = if self.eat(Token::LParen) {
                let argument = self.expr()?;
                self.expect(Token::RParen, "`)`")?;
                Some(argument)
            } else {
                None
            };
            let modifier = match (word, argument) {
                ("inv", None) => Modifier::Inv,
                ("pow", Some(power)) => Modifier::Pow(power),
                ("ctrl", count) => Modifier::Ctrl(count),
                ("negctrl", count) => Modifier::NegCtrl(count),
                _ => {
                    let span = self.span_from(modifier_start);
                    self.error(
                        Code::E1002,
                        format!("`{word}` is written `{}`", if word == "inv" { "inv @" } else { "pow(k) @" }),
                        span,
                        "malformed modifier",
                    );
                    return Err(Failed);
                }
            };
            let span = self.span_from(modifier_start);
            self.expect(Token::At, "`@`")?;
            modifiers.push((modifier, span));
        }
        let name = self.name("a gate name")?;
        let mut args = Vec::new();
        if self.eat(Token::LParen) {
            while self.peek() != Some(Token::RParen) {
                args.push(self.expr()?);
                if !self.eat(Token::Comma) {
                    break;
                }
            }
            self.expect(Token::RParen, "`)`")?;
        }
        let mut operands = Vec::new();
        while self.peek() != Some(Token::Semicolon) {
            operands.push(self.operand()?);
            if !self.eat(Token::Comma) {
                break;
            }
        }
        self.expect(Token::Semicolon, "`;` or `,` and another qubit")?;
        Ok(GateCall { modifiers, name, args, operands, span: self.span_from(start) })
    }

    fn operand(&mut self) -> Parsed<Operand> {
        let start = self.span_here();
        if self.peek() == Some(Token::HardwareQubit) {
            self.error(Code::E1015, "physical qubits (`$0`) cannot be imported", start, "a physical qubit");
            return Err(Failed);
        }
        let name = self.name("a qubit or register")?;
        let index = if self.eat(Token::LBracket) {
            let index = if self.eat(Token::LBrace) {
                let mut values = Vec::new();
                while self.peek() != Some(Token::RBrace) {
                    values.push(self.expr()?);
                    if !self.eat(Token::Comma) {
                        break;
                    }
                }
                self.expect(Token::RBrace, "`}`")?;
                Index::Set(values)
            } else {
                let first = if self.peek() == Some(Token::Colon) { None } else { Some(self.expr()?) };
                if self.eat(Token::Colon) {
                    let second = if self.peek() == Some(Token::RBracket) { None } else { Some(self.expr()?) };
                    if self.eat(Token::Colon) {
                        let third = if self.peek() == Some(Token::RBracket) { None } else { Some(self.expr()?) };
                        Index::Range { start: first, step: second, end: third }
                    } else {
                        Index::Range { start: first, step: None, end: second }
                    }
                } else {
                    match first {
                        Some(index) => Index::Single(index),
                        None => return Err(self.unexpected("an index")),
                    }
                }
            };
            self.expect(Token::RBracket, "`]`")?;
            Some(index)
        } else {
            None
        };
        Ok(Operand { name, index, span: self.span_from(start) })
    }

    fn expr(&mut self) -> Parsed<Expr> {
        let here = self.span_here();
        self.enter(here)?;
        let result = self.additive();
        self.depth -= 1;
        result
    }

    fn binary(left: Expr, op: BinaryOp, right: Expr) -> Expr {
        let span = Span { start: left.span.start, end: right.span.end.max(left.span.start) };
        Expr { kind: ExprKind::Binary(op, Box::new(left), Box::new(right)), span }
    }

    fn additive(&mut self) -> Parsed<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Token::Plus) => BinaryOp::Add,
                Some(Token::Minus) => BinaryOp::Subtract,
                _ => return Ok(left),
            };
            self.position += 1;
            let right = self.multiplicative()?;
            left = Self::binary(left, op, right);
        }
    }

    fn multiplicative(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Star) => BinaryOp::Multiply,
                Some(Token::Slash) => BinaryOp::Divide,
                Some(Token::Percent) => BinaryOp::Remainder,
                _ => return Ok(left),
            };
            self.position += 1;
            let right = self.unary()?;
            left = Self::binary(left, op, right);
        }
    }

    fn unary(&mut self) -> Parsed<Expr> {
        let start = self.span_here();
        match self.peek() {
            Some(Token::Minus) => {
                self.position += 1;
                self.enter(start)?;
                let operand = self.unary();
                self.depth -= 1;
                let operand = operand?;
                let span = self.span_from(start);
                Ok(Expr { kind: ExprKind::Negate(Box::new(operand)), span })
            }
            Some(Token::Plus) => {
                self.position += 1;
                self.enter(start)?;
                let operand = self.unary();
                self.depth -= 1;
                operand
            }
            _ => self.power(),
        }
    }

    /// `a ** b` (and `a ^ b` in OpenQASM 2), right-associative, binding tighter than a sign on
    /// its left: `-x ** 2` is `-(x ** 2)`.
    fn power(&mut self) -> Parsed<Expr> {
        let base = self.primary()?;
        let is_power = match self.peek() {
            Some(Token::Power) => true,
            Some(Token::Caret) => self.version != Some(3),
            _ => false,
        };
        if !is_power {
            return Ok(base);
        }
        self.position += 1;
        let start = self.span_here();
        self.enter(start)?;
        let exponent = self.unary();
        self.depth -= 1;
        Ok(Self::binary(base, BinaryOp::Power, exponent?))
    }

    fn primary(&mut self) -> Parsed<Expr> {
        let start = self.span_here();
        match self.peek() {
            Some(Token::Int) => {
                self.position += 1;
                let digits: String = self.text[start.range()].chars().filter(|&c| c != '_').collect();
                let (radix, digits) = match digits.get(..2) {
                    Some("0x" | "0X") => (16, &digits[2..]),
                    Some("0b" | "0B") => (2, &digits[2..]),
                    Some("0o" | "0O") => (8, &digits[2..]),
                    _ => (10, digits.as_str()),
                };
                // An integer beyond 64 bits is kept as a real, whose size the importer reports
                // where it matters.
                let kind = match i64::from_str_radix(digits, radix) {
                    Ok(value) => ExprKind::Integer(value),
                    Err(_) => ExprKind::Number(digits.chars().fold(0.0, |value, digit| {
                        value * f64::from(radix) + f64::from(digit.to_digit(radix).unwrap_or(0))
                    })),
                };
                Ok(Expr { kind, span: start })
            }
            Some(Token::Float) => {
                self.position += 1;
                let digits: String = self.text[start.range()].chars().filter(|&c| c != '_').collect();
                let value = digits.parse::<f64>().unwrap_or(f64::NAN);
                Ok(Expr { kind: ExprKind::Number(value), span: start })
            }
            Some(Token::Ident) => {
                let name = self.name("a name")?;
                if self.eat(Token::LParen) {
                    let mut args = Vec::new();
                    while self.peek() != Some(Token::RParen) {
                        args.push(self.expr()?);
                        if !self.eat(Token::Comma) {
                            break;
                        }
                    }
                    self.expect(Token::RParen, "`)`")?;
                    let span = self.span_from(start);
                    Ok(Expr { kind: ExprKind::Call(name, args), span })
                } else {
                    Ok(Expr { kind: ExprKind::Name(name.text), span: name.span })
                }
            }
            Some(Token::LParen) => {
                self.position += 1;
                let inner = self.expr()?;
                self.expect(Token::RParen, "`)`")?;
                Ok(Expr { kind: inner.kind, span: self.span_from(start) })
            }
            _ => Err(self.unexpected("an expression")),
        }
    }
}
