//! One owned analysis of a source text, for the editor server and the REPL: the syntax tree, the
//! symbol table, the diagnostics and, when there are no errors, the circuit.
//!
//! It runs the same front end as `check::compile`; what it adds is that it keeps the tree and
//! answers position queries (what is under the cursor, where is it declared, where is it used).

use crate::ast::{self, ExprKind, ItemKind, StmtKind};
use crate::check::{self, Symbol, SymbolId, SymbolTable, TrainData};
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::lexer::Trivia;
use crate::source::{Source, Span};

/// Everything the front end learnt about one file, owned, so that it outlives the call.
#[derive(Debug)]
pub struct Analysis {
    /// The syntax tree, partial when the file has syntax errors.
    pub ast: ast::Program,
    /// What the tree leaves out: the comments, empty lines and `;` terminators, by position.
    pub trivia: Trivia,
    pub symbols: SymbolTable,
    pub diagnostics: Vec<Diagnostic>,
    /// The lowered model, present only when there are no errors.
    pub circuit: Option<ir::Circuit>,
    /// Each train block's CSV data file (see `check::CheckOutput::train_data`).
    pub train_data: Vec<TrainData>,
}

/// Parses, resolves and checks a source text.
pub fn analyze(source: &Source) -> Analysis {
    let (ast, trivia, output) = check::front_end(&source.text);
    Analysis {
        ast,
        trivia,
        symbols: output.symbols,
        diagnostics: output.diagnostics,
        circuit: output.circuit,
        train_data: output.train_data,
    }
}

/// A node of the syntax tree at a position.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    Item(&'a ast::Item),
    Stmt(&'a ast::Stmt),
    Expr(&'a ast::Expr),
    /// An identifier: a declaration's name or a use of one, with the symbol it names (`None` for
    /// a builtin, a keyword such as a train field, or a name nothing declares).
    Name {
        ident: &'a ast::Ident,
        symbol: Option<SymbolId>,
        is_definition: bool,
    },
}

impl Node<'_> {
    pub fn span(&self) -> Span {
        match self {
            Node::Item(item) => item.span,
            Node::Stmt(statement) => statement.span,
            Node::Expr(expr) => expr.span,
            Node::Name { ident, .. } => ident.span,
        }
    }

    /// The symbol an identifier names, if the node is one that does.
    pub fn symbol(&self) -> Option<SymbolId> {
        match self {
            Node::Name { symbol, .. } => *symbol,
            _ => None,
        }
    }
}

impl Analysis {
    /// The innermost node at a byte offset (an identifier's end counts as on it).
    pub fn node_at(&self, offset: usize) -> Option<Node<'_>> {
        self.nodes_at(offset).into_iter().next()
    }

    /// Every node at a byte offset, the innermost first and the item last.
    pub fn nodes_at(&self, offset: usize) -> Vec<Node<'_>> {
        let mut finder = Finder { offset, symbols: &self.symbols, path: Vec::new() };
        if let Some(item) = self.ast.items.iter().find(|item| item.span.contains(offset)) {
            finder.item(item);
        }
        finder.path.reverse();
        finder.path
    }

    /// The symbol whose declaration or use is at a byte offset.
    pub fn symbol_at(&self, offset: usize) -> Option<SymbolId> {
        self.symbols.reference_at(offset).map(|r| r.symbol)
    }

    /// The declaration of the name at a byte offset (itself, on a declaration).
    pub fn definition_at(&self, offset: usize) -> Option<&Symbol> {
        self.symbol_at(offset).and_then(|id| self.symbols.get(id))
    }

    /// The declaration's name and every use of a symbol, in source order (what a rename edits).
    pub fn references_of(&self, symbol: SymbolId) -> Vec<Span> {
        let Some(declared) = self.symbols.get(symbol) else { return Vec::new() };
        let mut spans = Vec::with_capacity(declared.uses.len() + 1);
        spans.push(declared.name_span);
        spans.extend(&declared.uses);
        spans.sort();
        spans
    }
}

/// Descends from an item to the innermost node at `offset`, recording the way down.
struct Finder<'a> {
    offset: usize,
    symbols: &'a SymbolTable,
    path: Vec<Node<'a>>,
}

impl<'a> Finder<'a> {
    fn at(&self, span: Span) -> bool {
        span.contains(self.offset)
    }

    /// Records an identifier if it is at the offset; returns whether it was.
    fn name(&mut self, ident: &'a ast::Ident) -> bool {
        if !self.at(ident.span) || ident.name.is_empty() {
            return false;
        }
        let reference = self.symbols.reference_at(self.offset).filter(|r| r.span == ident.span);
        self.path.push(Node::Name {
            ident,
            symbol: reference.map(|r| r.symbol),
            is_definition: reference.is_some_and(|r| r.is_definition),
        });
        true
    }

    fn item(&mut self, item: &'a ast::Item) {
        self.path.push(Node::Item(item));
        match &item.kind {
            ItemKind::Qubits(count) => {
                self.expr(count);
            }
            ItemKind::Input { name, shape } => {
                let _ = self.name(name) || self.exprs(shape.iter().flatten());
            }
            ItemKind::Param { name, shape, init } => {
                let _ = self.name(name) || self.exprs(shape.iter().flatten()) || self.exprs(init);
            }
            ItemKind::Const { name, value } => {
                let _ = self.name(name) || self.expr(value);
            }
            ItemKind::Def { name, params, body } => {
                let _ = self.name(name)
                    || params.iter().any(|p| self.name(&p.name) || self.exprs(p.shape.iter().flatten()))
                    || self.block(body);
            }
            ItemKind::Circuit { body, .. } => {
                self.block(body);
            }
            ItemKind::Measure(list) | ItemKind::Head(list) | ItemKind::Encode(list) => {
                self.exprs(list);
            }
            ItemKind::MeasureFor { var, start, end, items } => {
                let _ = self.name(var) || self.expr(start) || self.expr(end) || self.exprs(items);
            }
            ItemKind::Train { name, fields, .. } => {
                let _ = name.as_ref().is_some_and(|n| self.name(n))
                    || fields.iter().any(|f| self.name(&f.name) || f.value.as_ref().is_some_and(|v| self.expr(v)));
            }
            ItemKind::UnknownBlock { keyword, label, body } => {
                let _ = self.name(keyword) || label.as_ref().is_some_and(|l| self.name(l)) || self.block(body);
            }
            ItemKind::Stmt(statement) => {
                self.stmt(statement);
            }
            ItemKind::Error => {}
        }
    }

    fn block(&mut self, block: &'a ast::Block) -> bool {
        self.at(block.span) && block.stmts.iter().any(|s| self.stmt(s))
    }

    fn stmt(&mut self, statement: &'a ast::Stmt) -> bool {
        if !self.at(statement.span) {
            return false;
        }
        self.path.push(Node::Stmt(statement));
        match &statement.kind {
            StmtKind::Apply { name, args, wires } => {
                let wire_items = match wires {
                    ast::Wires::None => &[][..],
                    ast::Wires::Listed(items) | ast::Wires::On(_, items) => items.as_slice(),
                };
                let _ = self.name(name)
                    || args.iter().flat_map(|a| &a.args).any(|a| self.arg(a))
                    || wire_items.iter().any(|w| match w {
                        ast::WireItem::Single(e) => self.expr(e),
                        ast::WireItem::Range(a, b) => self.expr(a) || self.expr(b),
                    });
            }
            StmtKind::For { var, start, end, body } => {
                let _ = self.name(var) || self.expr(start) || self.expr(end) || self.block(body);
            }
            StmtKind::Adj { body, .. } | StmtKind::BareBlock(body) => {
                self.block(body);
            }
            StmtKind::Ctrl { controls, body, .. } => {
                let _ = self.exprs(controls) || self.block(body);
            }
            StmtKind::Error => {}
        }
        true
    }

    fn arg(&mut self, arg: &'a ast::Arg) -> bool {
        arg.name.as_ref().is_some_and(|n| self.name(n)) || self.expr(&arg.value)
    }

    fn exprs(&mut self, exprs: impl IntoIterator<Item = &'a ast::Expr>) -> bool {
        exprs.into_iter().any(|e| self.expr(e))
    }

    fn expr(&mut self, expr: &'a ast::Expr) -> bool {
        if !self.at(expr.span) {
            return false;
        }
        self.path.push(Node::Expr(expr));
        match &expr.kind {
            ExprKind::Name(name) => {
                self.name(name);
            }
            ExprKind::Call { callee, args } => {
                let _ = self.name(callee) || args.iter().any(|a| self.arg(a));
            }
            ExprKind::Array(items) => {
                self.exprs(items);
            }
            ExprKind::Index { base, indices } => {
                let _ = self.expr(base)
                    || indices.iter().any(|index| match index {
                        ast::Index::Single(e) => self.expr(e),
                        ast::Index::Range(a, b) => self.expr(a) || self.expr(b),
                    });
            }
            ExprKind::Neg(operand) | ExprKind::Paren(operand) => {
                self.expr(operand);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                let _ = self.expr(lhs) || self.expr(rhs);
            }
            ExprKind::Number { .. } | ExprKind::Bool(_) | ExprKind::Str(_) | ExprKind::Error => {}
        }
        true
    }
}
