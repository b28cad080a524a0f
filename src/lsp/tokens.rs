//! Semantic tokens: every token of the document classified for the editor's colours, the lexer
//! saying what a token is and the analysis what a name names.
//!
//! A name that the symbol table resolves takes the kind of its declaration (a param is a variable,
//! an input, const or loop variable a read-only one, a def a function, a def's parameter a
//! parameter), with `declaration` where it is declared. A name the table does not know is looked
//! up by where it stands (a train field, a keyword argument, a word such as `Y` or
//! `cross_entropy` given as a value) and then in the registry (gates, templates and functions are
//! functions, observables types, `pi` a read-only variable, all `defaultLibrary`). A name that is
//! none of these gets no token, so the client's grammar colours it.

use super::document::Document;
use logos::Logos;
use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend};
use qmlc::analysis::Analysis;
use qmlc::ast::{self, ExprKind, ItemKind, StmtKind};
use qmlc::builtins::{self, Kind};
use qmlc::check::SymbolKind;
use qmlc::lexer::Token;
use qmlc::source::{Source, Span};
use std::collections::HashMap;

/// One token of the text as the lexer reads it, comments included (a character the language
/// does not use is `Token::Invalid`).
pub struct Lexeme {
    pub token: Token,
    pub span: Span,
}

/// Every token of a text, comments and line breaks included, in order.
pub fn lex(text: &str) -> Vec<Lexeme> {
    let mut lexer = Token::lexer(text);
    let mut lexemes = Vec::new();
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        lexemes.push(Lexeme { token: result.unwrap_or(Token::Invalid), span: Span::new(range.start, range.end) });
    }
    lexemes
}

/// The token types of the legend, in the order their indices below name them.
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::STRING,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::TYPE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
];
const KEYWORD: u32 = 0;
const FUNCTION: u32 = 1;
const PARAMETER: u32 = 2;
const VARIABLE: u32 = 3;
const NUMBER: u32 = 4;
const COMMENT: u32 = 5;
const STRING: u32 = 6;
const OPERATOR: u32 = 7;
const TYPE: u32 = 8;
const PROPERTY: u32 = 9;
const ENUM_MEMBER: u32 = 10;

/// The token modifiers of the legend; each is the bit `1 << index`.
const MODIFIERS: &[SemanticTokenModifier] =
    &[SemanticTokenModifier::DECLARATION, SemanticTokenModifier::READONLY, SemanticTokenModifier::DEFAULT_LIBRARY];
const DECLARATION: u32 = 1;
const READONLY: u32 = 2;
const DEFAULT_LIBRARY: u32 = 4;

/// The legend announced in the server's capabilities.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend { token_types: TYPES.to_vec(), token_modifiers: MODIFIERS.to_vec() }
}

/// A token's type and modifiers, as indices into the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Class {
    token_type: u32,
    modifiers: u32,
}

const fn class(token_type: u32, modifiers: u32) -> Class {
    Class { token_type, modifiers }
}

/// The semantic tokens of the document, or of the part of it that `wanted` overlaps.
pub fn semantic_tokens(document: &mut Document, wanted: Option<Span>) -> SemanticTokens {
    let (source, analysis) = document.analysed();
    let places = Places::of(&analysis.ast);
    let mut classified = Vec::new();
    for Lexeme { token, span } in lex(&source.text) {
        if let Some(wanted) = wanted {
            if span.end < wanted.start || span.start > wanted.end {
                continue;
            }
        }
        if let Some(class) = classify(&token, span, analysis, &places) {
            classified.push((span, class));
        }
    }
    SemanticTokens { result_id: None, data: encode(source, &classified) }
}

fn classify(token: &Token, span: Span, analysis: &Analysis, places: &Places) -> Option<Class> {
    Some(match token {
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
        | Token::In
        | Token::On
        | Token::Adj
        | Token::Ctrl
        | Token::True
        | Token::False => class(KEYWORD, 0),
        Token::Number(_) => class(NUMBER, 0),
        Token::Str(_) | Token::UnterminatedStr => class(STRING, 0),
        Token::LineComment | Token::BlockComment | Token::UnterminatedComment => class(COMMENT, 0),
        Token::Plus
        | Token::Minus
        | Token::Star
        | Token::Slash
        | Token::Percent
        | Token::Caret
        | Token::At
        | Token::Equals
        | Token::DotDot => class(OPERATOR, 0),
        Token::Ident(name) => return classify_name(name, span, analysis, places),
        _ => return None,
    })
}

fn classify_name(name: &str, span: Span, analysis: &Analysis, places: &Places) -> Option<Class> {
    let reference = analysis.symbols.reference_at(span.start as usize).filter(|reference| reference.span == span);
    if let Some(reference) = reference {
        let declared = if reference.is_definition { DECLARATION } else { 0 };
        let kind = analysis.symbols.get(reference.symbol)?.kind;
        let (token_type, modifiers) = match kind {
            SymbolKind::Param => (VARIABLE, 0),
            SymbolKind::Input | SymbolKind::Const | SymbolKind::LoopVariable | SymbolKind::MeasureVariable => {
                (VARIABLE, READONLY)
            }
            SymbolKind::Def => (FUNCTION, 0),
            SymbolKind::DefParameter => (PARAMETER, 0),
        };
        return Some(class(token_type, modifiers | declared));
    }
    if let Some(place) = places.0.get(&span.start) {
        return Some(*place);
    }
    if qmlc::ir::GateKind::from_name(name).is_some() {
        return Some(class(FUNCTION, DEFAULT_LIBRARY));
    }
    if builtins::CONSTANTS.iter().any(|constant| constant.name == name) {
        return Some(class(VARIABLE, READONLY | DEFAULT_LIBRARY));
    }
    if builtins::find(Kind::Observable, name).is_some() {
        return Some(class(TYPE, DEFAULT_LIBRARY));
    }
    if Kind::ALL.iter().any(|&kind| builtins::find(kind, name).is_some()) {
        return Some(class(FUNCTION, DEFAULT_LIBRARY));
    }
    None
}

/// The names whose class depends on where they stand, by the offset where each starts: train
/// field names, keyword argument names, and bare words given as a field's or a keyword
/// argument's value.
struct Places(HashMap<u32, Class>);

impl Places {
    fn of(program: &ast::Program) -> Places {
        let mut places = Places(HashMap::new());
        for item in &program.items {
            match &item.kind {
                ItemKind::Qubits(expr) | ItemKind::Const { value: expr, .. } => places.expr(expr),
                ItemKind::Input { shape, .. } => shape.iter().flatten().for_each(|dim| places.expr(dim)),
                ItemKind::Param { shape, init, .. } => {
                    shape.iter().flatten().chain(init).for_each(|expr| places.expr(expr));
                }
                ItemKind::Def { params, body, .. } => {
                    params.iter().flat_map(|param| param.shape.iter().flatten()).for_each(|dim| places.expr(dim));
                    places.block(body);
                }
                ItemKind::Circuit { body, .. } | ItemKind::UnknownBlock { body, .. } => places.block(body),
                ItemKind::Measure(list) | ItemKind::Head(list) => list.iter().for_each(|expr| places.expr(expr)),
                ItemKind::Encode(list) => {
                    // `encode` is read as a name (it is not a keyword) and declares here.
                    places.0.insert(item.span.start, class(KEYWORD, 0));
                    list.iter().for_each(|expr| places.expr(expr));
                }
                ItemKind::MeasureFor { start, end, items, .. } => {
                    [start, end].into_iter().chain(items).for_each(|expr| places.expr(expr));
                }
                ItemKind::Train { fields, .. } => {
                    for field in fields {
                        places.0.insert(field.name.span.start, class(PROPERTY, 0));
                        if let Some(value) = &field.value {
                            places.word(value);
                            places.expr(value);
                        }
                    }
                }
                ItemKind::Stmt(statement) => places.statement(statement),
                ItemKind::Error => {}
            }
        }
        places
    }

    /// A bare name given as a value where a word is expected (`rotation = Y`, `loss mse`): a
    /// member of the set of words the place accepts, if the registry knows it.
    fn word(&mut self, value: &ast::Expr) {
        if let ExprKind::Name(name) = &value.strip_parens().kind {
            let known = qmlc::ir::GateKind::from_name(&name.name).is_some()
                || Kind::ALL.iter().any(|&kind| builtins::find(kind, &name.name).is_some());
            if known {
                self.0.insert(name.span.start, class(ENUM_MEMBER, DEFAULT_LIBRARY));
            }
        }
    }

    fn block(&mut self, block: &ast::Block) {
        block.stmts.iter().for_each(|statement| self.statement(statement));
    }

    fn statement(&mut self, statement: &ast::Stmt) {
        match &statement.kind {
            StmtKind::Apply { args, wires, .. } => {
                args.iter().flat_map(|list| &list.args).for_each(|arg| self.arg(arg));
                let items = match wires {
                    ast::Wires::None => &[][..],
                    ast::Wires::Listed(items) | ast::Wires::On(_, items) => items.as_slice(),
                };
                for item in items {
                    match item {
                        ast::WireItem::Single(wire) => self.expr(wire),
                        ast::WireItem::Range(start, end) => {
                            self.expr(start);
                            self.expr(end);
                        }
                    }
                }
            }
            StmtKind::For { start, end, body, .. } => {
                self.expr(start);
                self.expr(end);
                self.block(body);
            }
            StmtKind::Adj { body, .. } | StmtKind::BareBlock(body) => self.block(body),
            StmtKind::Ctrl { controls, body, .. } => {
                controls.iter().for_each(|control| self.expr(control));
                self.block(body);
            }
            StmtKind::Error => {}
        }
    }

    fn arg(&mut self, arg: &ast::Arg) {
        if let Some(name) = &arg.name {
            self.0.insert(name.span.start, class(PARAMETER, 0));
            self.word(&arg.value);
        }
        self.expr(&arg.value);
    }

    fn expr(&mut self, expr: &ast::Expr) {
        match &expr.kind {
            ExprKind::Call { args, .. } => args.iter().for_each(|arg| self.arg(arg)),
            ExprKind::Array(items) => items.iter().for_each(|item| self.expr(item)),
            ExprKind::Index { base, indices } => {
                self.expr(base);
                for index in indices {
                    match index {
                        ast::Index::Single(single) => self.expr(single),
                        ast::Index::Range(start, end) => {
                            self.expr(start);
                            self.expr(end);
                        }
                    }
                }
            }
            ExprKind::Neg(operand) | ExprKind::Paren(operand) => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Number { .. } | ExprKind::Bool(_) | ExprKind::Str(_) | ExprKind::Name(_) | ExprKind::Error => {}
        }
    }
}

/// The protocol's relative encoding: each token's line as a delta from the previous token's, its
/// start as a delta on the same line or a column on a new one, and its length, all in UTF-16
/// units. A token over several lines (a block comment) is split into one per line. Columns are
/// counted on from the previous token, so that a file of one very long line is still encoded in
/// one pass.
fn encode(source: &Source, classified: &[(Span, Class)]) -> Vec<SemanticToken> {
    let text = &source.text;
    let mut data = Vec::with_capacity(classified.len());
    let (mut previous_line, mut previous_start) = (0usize, 0u32);
    // A byte offset and its UTF-16 column, both on `previous_line`.
    let (mut cursor, mut cursor_column) = (0usize, 0u32);
    let units = |from: usize, to: usize| text[from..to].chars().map(char::len_utf16).sum::<usize>() as u32;
    for &(span, class) in classified {
        let first_line = source.line_index(span.start as usize);
        let last_line = source.line_index(span.end as usize);
        for line in first_line..=last_line {
            let line_range = source.line_range(line);
            let start = (span.start as usize).max(line_range.start);
            let end = (span.end as usize).min(line_range.end);
            if end <= start {
                continue;
            }
            if line != previous_line || start < cursor {
                (cursor, cursor_column) = (line_range.start, 0);
            }
            let start_column = cursor_column + units(cursor, start);
            let length = units(start, end);
            let delta_line = (line - previous_line) as u32;
            let delta_start = if delta_line == 0 { start_column - previous_start } else { start_column };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type: class.token_type,
                token_modifiers_bitset: class.modifiers,
            });
            (previous_line, previous_start) = (line, start_column);
            (cursor, cursor_column) = (end, start_column + length);
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens decoded to absolute positions: `line:column length type modifiers…`.
    fn decoded(text: &str, wanted: Option<Span>) -> Vec<String> {
        let mut document = Document::new("m.qml", text.to_string(), 1);
        let (mut line, mut column) = (0, 0);
        let mut out = Vec::new();
        for token in semantic_tokens(&mut document, wanted).data {
            line += token.delta_line;
            column = if token.delta_line == 0 { column + token.delta_start } else { token.delta_start };
            let mut words = vec![format!("{line}:{column}"), token.length.to_string()];
            words.push(TYPES[token.token_type as usize].as_str().to_string());
            for (bit, modifier) in MODIFIERS.iter().enumerate() {
                if token.token_modifiers_bitset & (1 << bit) != 0 {
                    words.push(modifier.as_str().to_string());
                }
            }
            out.push(words.join(" "));
        }
        out
    }

    #[test]
    fn declarations_uses_builtins_and_literals_are_classified() {
        let text = "qubits 2\ninput x[2]\nparam w[2] = zeros\ndef f(a) { rx(a * pi) 0 }\ncircuit {\n    \
                    angle_embedding(x, rotation = Y)\n    for i in 0..2 { f(w[i]) i }\n}\n\
                    measure expval(Z(0) @ Z(1))\ntrain {\n    data csv(\"d.csv\", label = \"y\")\n    loss mse\n}\n";
        assert_eq!(
            decoded(text, None),
            [
                "0:0 6 keyword",
                "0:7 1 number",
                "1:0 5 keyword",
                "1:6 1 variable declaration readonly",
                "1:8 1 number",
                "2:0 5 keyword",
                "2:6 1 variable declaration",
                "2:8 1 number",
                "2:11 1 operator",
                "2:13 5 function defaultLibrary",
                "3:0 3 keyword",
                "3:4 1 function declaration",
                "3:6 1 parameter declaration",
                "3:11 2 function defaultLibrary",
                "3:14 1 parameter",
                "3:16 1 operator",
                "3:18 2 variable readonly defaultLibrary",
                "3:22 1 number",
                "4:0 7 keyword",
                "5:4 15 function defaultLibrary",
                "5:20 1 variable readonly",
                "5:23 8 parameter",
                "5:32 1 operator",
                "5:34 1 enumMember defaultLibrary",
                "6:4 3 keyword",
                "6:8 1 variable declaration readonly",
                "6:10 2 keyword",
                "6:13 1 number",
                "6:14 2 operator",
                "6:16 1 number",
                "6:20 1 function",
                "6:22 1 variable",
                "6:24 1 variable readonly",
                "6:28 1 variable readonly",
                "8:0 7 keyword",
                "8:8 6 function defaultLibrary",
                "8:15 1 type defaultLibrary",
                "8:17 1 number",
                "8:20 1 operator",
                "8:22 1 type defaultLibrary",
                "8:24 1 number",
                "9:0 5 keyword",
                "10:4 4 property",
                "10:9 3 function defaultLibrary",
                "10:13 7 string",
                "10:22 5 parameter",
                "10:28 1 operator",
                "10:30 3 string",
                "11:4 4 property",
                "11:9 3 enumMember defaultLibrary",
            ]
        );
    }

    #[test]
    fn lengths_count_utf16_units_and_a_block_comment_is_split_per_line() {
        // `𝜃` is two UTF-16 units, `θ` one.
        let text = "// 𝜃 and θ\n/* 𝜃\nθ */ qubits 1\n";
        assert_eq!(
            decoded(text, None),
            ["0:0 11 comment", "1:0 5 comment", "2:0 4 comment", "2:5 6 keyword", "2:12 1 number"]
        );
    }

    #[test]
    fn a_very_long_line_is_encoded_in_one_pass() {
        let text = format!("qubits 1\ncircuit {{ {}}}\n", "rx(0.5) 0; ".repeat(100_000));
        let mut document = Document::new("m.qml", text, 1);
        let data = semantic_tokens(&mut document, None).data;
        // `qubits 1 circuit` and three tokens per statement.
        assert_eq!(data.len(), 3 + 300_000);
        let last = &data[data.len() - 1];
        assert_eq!((last.delta_line, last.delta_start, last.length), (0, "0.5) ".len() as u32, 1));
    }

    #[test]
    fn a_range_gives_only_the_tokens_it_overlaps() {
        let text = "qubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n";
        let line = text.find("circuit").unwrap_or(0);
        let wanted = Span::new(line, line + "circuit { h 0 }".len());
        assert_eq!(decoded(text, Some(wanted)), ["1:0 7 keyword", "1:10 1 function defaultLibrary", "1:12 1 number"]);
    }

    #[test]
    fn the_legend_has_the_types_and_modifiers_the_indices_name() {
        let legend = legend();
        assert_eq!(legend.token_types[FUNCTION as usize], SemanticTokenType::FUNCTION);
        assert_eq!(legend.token_types[ENUM_MEMBER as usize], SemanticTokenType::ENUM_MEMBER);
        assert_eq!(legend.token_modifiers.len(), 3);
        assert_eq!(DEFAULT_LIBRARY, 1 << 2);
    }
}
