//! The document's outline and its folds: hierarchical document symbols from the syntax tree, and
//! folding ranges for multi-line brackets and runs of comment lines.
//!
//! The outline lists the top-level items in file order: the register, each input, param and const
//! (their shapes as details), each def with its parameters, the circuit with its loops, blocks and
//! template and def applications (single gates are left out: a circuit of a thousand gates would
//! bury the rest), each measurement line, the head and each train block with its fields. It is
//! built from the tree alone, so a file with errors still has one, for what the parser read.

use super::document::{range_of, Document};
use super::tokens::{lex, Lexeme};
use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};
use qmlc::analysis::Analysis;
use qmlc::ast::{self, ItemKind, StmtKind};
use qmlc::lexer::Token;
use qmlc::source::{Source, Span};

/// The outline of the document, one symbol per top-level item.
pub fn document_symbols(document: &mut Document) -> Vec<DocumentSymbol> {
    let (source, analysis) = document.analysed();
    let outline = Outline { source, analysis };
    analysis.ast.items.iter().filter_map(|item| outline.item(item)).collect()
}

/// What the outline of one document reads: its text (for details written as in the source) and
/// its analysis (for the shapes the checker computed).
struct Outline<'a> {
    source: &'a Source,
    analysis: &'a Analysis,
}

impl Outline<'_> {
    /// The source text of a span, on one line and shortened, for a detail.
    fn text(&self, span: Span) -> String {
        let written = self.source.text.get(span.range()).unwrap_or_default();
        self.shorten(written.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The span of the keyword an item starts with, if the text there is that keyword.
    fn keyword(&self, item: &ast::Item, keyword: &str) -> Span {
        let start = item.span.start as usize;
        match self.source.text.get(start..) {
            Some(rest) if rest.starts_with(keyword) => Span::new(start, start + keyword.len()),
            _ => item.span,
        }
    }

    fn symbol(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        span: Span,
        selection: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        // The protocol wants the selection inside the range; a recovered tree may not promise it.
        let span = span.to(selection);
        #[allow(deprecated)]
        DocumentSymbol {
            name: if name.is_empty() { "?".to_string() } else { name },
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: range_of(self.source, span),
            selection_range: range_of(self.source, selection),
            children: (!children.is_empty()).then_some(children),
        }
    }

    /// `param[3, 4]`: a declaration's kind and shape, the shape the checker computed if it did,
    /// else the dimensions as written.
    fn shaped_detail(&self, kind: &str, name: &ast::Ident, dims: Option<&Vec<ast::Expr>>) -> String {
        let computed = self
            .analysis
            .symbols
            .reference_at(name.span.start as usize)
            .filter(|reference| reference.span == name.span && reference.is_definition)
            .and_then(|reference| self.analysis.symbols.get(reference.symbol))
            .and_then(|symbol| symbol.shape.clone());
        match (computed, dims) {
            (Some(shape), _) => format!("{kind}{}", format_shape(&shape)),
            (None, Some(dims)) => {
                let written: Vec<String> = dims.iter().map(|dim| self.text(dim.span)).collect();
                format!("{kind}[{}]", written.join(", "))
            }
            (None, None) => kind.to_string(),
        }
    }

    fn item(&self, item: &ast::Item) -> Option<DocumentSymbol> {
        let symbol = match &item.kind {
            ItemKind::Qubits(count) => self.symbol(
                "qubits".into(),
                Some(self.text(count.span)),
                SymbolKind::CONSTANT,
                item.span,
                self.keyword(item, "qubits"),
                Vec::new(),
            ),
            ItemKind::Input { name, shape } => self.symbol(
                name.name.clone(),
                Some(self.shaped_detail("input", name, shape.as_ref())),
                SymbolKind::VARIABLE,
                item.span,
                name.span,
                Vec::new(),
            ),
            ItemKind::Param { name, shape, .. } => self.symbol(
                name.name.clone(),
                Some(self.shaped_detail("param", name, shape.as_ref())),
                SymbolKind::VARIABLE,
                item.span,
                name.span,
                Vec::new(),
            ),
            ItemKind::Const { name, value } => self.symbol(
                name.name.clone(),
                Some(format!("const = {}", self.text(value.span))),
                SymbolKind::CONSTANT,
                item.span,
                name.span,
                Vec::new(),
            ),
            ItemKind::Def { name, params, .. } => {
                let children = params
                    .iter()
                    .map(|param| {
                        let detail = self.shaped_detail("parameter", &param.name, param.shape.as_ref());
                        self.symbol(
                            param.name.name.clone(),
                            Some(detail),
                            SymbolKind::VARIABLE,
                            param.span,
                            param.name.span,
                            Vec::new(),
                        )
                    })
                    .collect();
                let written: Vec<String> = params.iter().map(|param| self.text(param.span)).collect();
                self.symbol(
                    name.name.clone(),
                    Some(format!("def({})", written.join(", "))),
                    SymbolKind::FUNCTION,
                    item.span,
                    name.span,
                    children,
                )
            }
            ItemKind::Circuit { keyword, body } => self.symbol(
                "circuit".into(),
                None,
                SymbolKind::MODULE,
                item.span,
                *keyword,
                self.statements(&body.stmts),
            ),
            ItemKind::Measure(list) => {
                let detail = list.iter().map(|expr| self.text(expr.span)).collect::<Vec<_>>().join(", ");
                self.symbol(
                    "measure".into(),
                    Some(self.shorten(detail)),
                    SymbolKind::EVENT,
                    item.span,
                    self.keyword(item, "measure"),
                    Vec::new(),
                )
            }
            ItemKind::MeasureFor { var, start, end, items } => {
                let detail = items.iter().map(|expr| self.text(expr.span)).collect::<Vec<_>>().join(", ");
                self.symbol(
                    format!("measure for {} in {}..{}", var.name, self.text(start.span), self.text(end.span)),
                    Some(self.shorten(detail)),
                    SymbolKind::EVENT,
                    item.span,
                    self.keyword(item, "measure"),
                    Vec::new(),
                )
            }
            ItemKind::Head(layers) => {
                let detail = layers.iter().map(|expr| self.text(expr.span)).collect::<Vec<_>>().join(", ");
                self.symbol(
                    "head".into(),
                    Some(self.shorten(detail)),
                    SymbolKind::OPERATOR,
                    item.span,
                    self.keyword(item, "head"),
                    Vec::new(),
                )
            }
            ItemKind::Encode(layers) => {
                let detail = layers.iter().map(|expr| self.text(expr.span)).collect::<Vec<_>>().join(", ");
                self.symbol(
                    "encode".into(),
                    Some(self.shorten(detail)),
                    SymbolKind::OPERATOR,
                    item.span,
                    self.keyword(item, "encode"),
                    Vec::new(),
                )
            }
            ItemKind::Train { keyword, name, fields } => {
                let children = fields
                    .iter()
                    .map(|field| {
                        self.symbol(
                            field.name.name.clone(),
                            field.value.as_ref().map(|value| self.text(value.span)),
                            SymbolKind::PROPERTY,
                            field.span,
                            field.name.span,
                            Vec::new(),
                        )
                    })
                    .collect();
                let (title, selection) = match name {
                    Some(name) => (format!("train {}", name.name), keyword.to(name.span)),
                    None => ("train".to_string(), *keyword),
                };
                self.symbol(title, None, SymbolKind::NAMESPACE, item.span, selection, children)
            }
            ItemKind::UnknownBlock { keyword, body, .. } => self.symbol(
                keyword.name.clone(),
                Some("not a keyword".into()),
                SymbolKind::NAMESPACE,
                item.span,
                keyword.span,
                self.statements(&body.stmts),
            ),
            ItemKind::Stmt(_) | ItemKind::Error => return None,
        };
        Some(symbol)
    }

    /// A detail cut to a length an outline shows whole.
    fn shorten(&self, detail: String) -> String {
        const LONGEST: usize = 60;
        match detail.char_indices().nth(LONGEST) {
            Some((cut, _)) => format!("{}…", &detail[..cut]),
            None => detail,
        }
    }

    /// The statements of a body worth a place in the outline: loops and blocks (with what is
    /// inside them), and applications of templates and defs.
    fn statements(&self, statements: &[ast::Stmt]) -> Vec<DocumentSymbol> {
        statements.iter().filter_map(|statement| self.statement(statement)).collect()
    }

    fn statement(&self, statement: &ast::Stmt) -> Option<DocumentSymbol> {
        let keyword_at = |keyword: &str| {
            let start = statement.span.start as usize;
            Span::new(start, start + keyword.len())
        };
        let symbol = match &statement.kind {
            StmtKind::Apply { name, .. } => {
                let kind = if qmlc::builtins::find(qmlc::builtins::Kind::Template, &name.name).is_some() {
                    "template"
                } else if self.analysis.symbols.global(&name.name).is_some_and(|id| {
                    self.analysis.symbols.get(id).is_some_and(|s| s.kind == qmlc::check::SymbolKind::Def)
                }) {
                    "def"
                } else {
                    return None;
                };
                self.symbol(
                    name.name.clone(),
                    Some(kind.into()),
                    SymbolKind::FUNCTION,
                    statement.span,
                    name.span,
                    Vec::new(),
                )
            }
            StmtKind::For { var, start, end, body } => self.symbol(
                format!("for {} in {}..{}", var.name, self.text(start.span), self.text(end.span)),
                None,
                SymbolKind::NAMESPACE,
                statement.span,
                keyword_at("for"),
                self.statements(&body.stmts),
            ),
            StmtKind::Adj { keyword, body } => self.symbol(
                "adj".into(),
                None,
                SymbolKind::NAMESPACE,
                statement.span,
                *keyword,
                self.statements(&body.stmts),
            ),
            StmtKind::Ctrl { keyword, controls, body } => {
                let written: Vec<String> = controls.iter().map(|control| self.text(control.span)).collect();
                self.symbol(
                    format!("ctrl({})", written.join(", ")),
                    None,
                    SymbolKind::NAMESPACE,
                    statement.span,
                    *keyword,
                    self.statements(&body.stmts),
                )
            }
            StmtKind::BareBlock(body) => {
                let children = self.statements(&body.stmts);
                if children.is_empty() {
                    return None;
                }
                self.symbol("{ }".into(), None, SymbolKind::NAMESPACE, statement.span, keyword_at("{"), children)
            }
            StmtKind::Error => return None,
        };
        Some(symbol)
    }
}

/// `[3, 4]`, or `[]` for a scalar, as the language writes shapes.
pub fn format_shape(shape: &[usize]) -> String {
    format!("[{}]", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
}

/// The folds of the document: each `{ }`, `( )` or `[ ]` whose closing bracket is at least two
/// lines below its opening one (the fold keeps the closing line visible), each block comment over
/// several lines, and each run of two or more `//` comments alone on consecutive lines. They come
/// from the tokens, so an unbalanced file still folds what matches.
pub fn folding_ranges(document: &Document) -> Vec<FoldingRange> {
    let source = &document.source;
    let lexemes = lex(&source.text);
    let mut folds = Vec::new();
    let mut open: Vec<(Token, usize)> = Vec::new();
    for Lexeme { token, span } in &lexemes {
        let line = source.line_index(span.start as usize);
        match token {
            Token::LBrace | Token::LParen | Token::LBracket => open.push((token.clone(), line)),
            Token::RBrace | Token::RParen | Token::RBracket => {
                let opening = match token {
                    Token::RBrace => Token::LBrace,
                    Token::RParen => Token::LParen,
                    _ => Token::LBracket,
                };
                // A stray closing bracket closes nothing; an unclosed one is dropped when an outer
                // bracket closes over it.
                if let Some(index) = open.iter().rposition(|(token, _)| *token == opening) {
                    let start_line = open[index].1;
                    open.truncate(index);
                    if line > start_line + 1 {
                        folds.push(fold(start_line, line - 1, None));
                    }
                }
            }
            _ => {}
        }
    }
    folds.extend(comment_folds(source, &lexemes));
    folds.sort_by_key(|fold| (fold.start_line, std::cmp::Reverse(fold.end_line)));
    folds
}

fn fold(start_line: usize, end_line: usize, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: start_line as u32,
        start_character: None,
        end_line: end_line as u32,
        end_character: None,
        kind,
        collapsed_text: None,
    }
}

/// The comment folds: block comments over several lines, and runs of line comments each alone on
/// its line (a comment after code must not fold the code away).
fn comment_folds(source: &Source, lexemes: &[Lexeme]) -> Vec<FoldingRange> {
    let mut folds = Vec::new();
    // The first and last line of the current run of line comments.
    let mut run: Option<(usize, usize)> = None;
    for lexeme in lexemes {
        let start = lexeme.span.start as usize;
        let line = source.line_index(start);
        match lexeme.token {
            Token::LineComment => {
                let line_start = source.line_range(line).start;
                let alone = source.text[line_start..start].trim().is_empty();
                match run {
                    Some((first, last)) if alone && line == last + 1 => run = Some((first, line)),
                    _ => {
                        close_run(&mut run, &mut folds);
                        run = alone.then_some((line, line));
                    }
                }
            }
            Token::BlockComment | Token::UnterminatedComment => {
                close_run(&mut run, &mut folds);
                let last = source.line_index((lexeme.span.end as usize).saturating_sub(1));
                if last > line {
                    folds.push(fold(line, last, Some(FoldingRangeKind::Comment)));
                }
            }
            Token::Newline => {}
            _ => close_run(&mut run, &mut folds),
        }
    }
    close_run(&mut run, &mut folds);
    folds
}

/// Ends a run of line comments, folding it if it has more than one line.
fn close_run(run: &mut Option<(usize, usize)>, folds: &mut Vec<FoldingRange>) {
    if let Some((first, last)) = run.take() {
        if last > first {
            folds.push(fold(first, last, Some(FoldingRangeKind::Comment)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str =
        "// The model.\n// Two lines of doc.\nqubits 2\nconst n = 2\ninput x[n]\nparam w[2, 3] = zeros\n\
                         param t\ndef pair(a, b[2]) {\n    ry(a) 0\n    rx(b[1]) 1\n}\ncircuit {\n    \
                         angle_embedding(x)\n    for i in 0..1 {\n        pair(w[0, 0], w[1, 0..2]) 0, 1\n        \
                         cnot 0, 1 // entangle\n    }\n    adj { h 0 }\n}\nmeasure expval(Z(0)), expval(Z(1))\n\
                         head linear(2)\ntrain fit {\n    data moons()\n    optimizer adam(lr = 0.1)\n}\n";

    /// A symbol as `name | detail | kind | first line..last line | selected line:column`.
    fn summary(symbol: &DocumentSymbol) -> String {
        format!(
            "{} | {} | {:?} | {}..{} | {}:{}",
            symbol.name,
            symbol.detail.clone().unwrap_or_default(),
            symbol.kind,
            symbol.range.start.line,
            symbol.range.end.line,
            symbol.selection_range.start.line,
            symbol.selection_range.start.character,
        )
    }

    fn children(symbol: &DocumentSymbol) -> Vec<String> {
        symbol.children.iter().flatten().map(summary).collect()
    }

    #[test]
    fn the_outline_lists_every_item_with_its_kind_shape_and_children() {
        let mut document = Document::new("m.qml", MODEL.to_string(), 1);
        let symbols = document_symbols(&mut document);
        let top: Vec<String> = symbols.iter().map(summary).collect();
        assert_eq!(
            top,
            [
                "qubits | 2 | Constant | 2..2 | 2:0",
                "n | const = 2 | Constant | 3..3 | 3:6",
                "x | input[2] | Variable | 4..4 | 4:6",
                "w | param[2, 3] | Variable | 5..5 | 5:6",
                "t | param[] | Variable | 6..6 | 6:6",
                "pair | def(a, b[2]) | Function | 7..10 | 7:4",
                "circuit |  | Module | 11..18 | 11:0",
                "measure | expval(Z(0)), expval(Z(1)) | Event | 19..19 | 19:0",
                "head | linear(2) | Operator | 20..20 | 20:0",
                "train fit |  | Namespace | 21..24 | 21:0",
            ]
        );
        assert_eq!(
            children(&symbols[5]),
            ["a | parameter[] | Variable | 7..7 | 7:9", "b | parameter[2] | Variable | 7..7 | 7:12"]
        );
        assert_eq!(
            children(&symbols[6]),
            [
                "angle_embedding | template | Function | 12..12 | 12:4",
                "for i in 0..1 |  | Namespace | 13..16 | 13:4",
                "adj |  | Namespace | 17..17 | 17:4",
            ]
        );
        let the_loop = symbols[6].children.as_ref().map(|c| children(&c[1])).unwrap_or_default();
        assert_eq!(the_loop, ["pair | def | Function | 14..14 | 14:8"]);
        assert_eq!(
            children(&symbols[9]),
            ["data | moons() | Property | 22..22 | 22:4", "optimizer | adam(lr = 0.1) | Property | 23..23 | 23:4"]
        );
    }

    #[test]
    fn a_file_with_errors_still_has_an_outline_of_what_was_read() {
        let mut document = Document::new("m.qml", "qubits 1\nparam p[k]\ncircut {\n    h 0\n}\n".to_string(), 1);
        let top: Vec<String> = document_symbols(&mut document).iter().map(summary).collect();
        assert_eq!(
            top,
            [
                "qubits | 1 | Constant | 0..0 | 0:0",
                "p | param[1] | Variable | 1..1 | 1:6",
                "circut | not a keyword | Namespace | 2..4 | 2:0",
            ]
        );
    }

    fn folds(text: &str) -> Vec<(u32, u32, Option<FoldingRangeKind>)> {
        let document = Document::new("m.qml", text.to_string(), 1);
        folding_ranges(&document).into_iter().map(|fold| (fold.start_line, fold.end_line, fold.kind)).collect()
    }

    #[test]
    fn blocks_brackets_and_comment_runs_fold_and_the_closing_line_stays_visible() {
        let comment = Some(FoldingRangeKind::Comment);
        assert_eq!(
            folds(MODEL),
            [(0, 1, comment.clone()), (7, 9, None), (11, 17, None), (13, 15, None), (21, 23, None)],
            "a one-line `adj {{ h 0 }}` and a trailing comment do not fold"
        );
        let text = "/* one\n   two */\nparam w[2] = [\n    0.1,\n    0.2\n]\ninput x // a\n// b\n// c\nqubits 1 {\n}\n";
        assert_eq!(folds(text), [(0, 1, comment.clone()), (2, 4, None), (7, 8, comment)]);
    }

    #[test]
    fn unbalanced_brackets_fold_what_matches() {
        // The one `}` closes the innermost `{`, the loop's; the circuit's is never closed.
        assert_eq!(folds("circuit {\n    for i in 0..2 {\n        h i\n    \n}\n"), [(1, 3, None)]);
        assert_eq!(folds("}\n}\ncircuit {\n    h 0\n"), Vec::new());
    }
}
