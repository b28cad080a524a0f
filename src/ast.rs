//! The surface syntax of a `.qml` file, every node carrying the byte span it came from.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    /// `@`, the tensor product of observables.
    Tensor,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Pow => "^",
            BinaryOp::Tensor => "@",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal: its value, and its spelling as written (`1e-3`, `.5`), for `fmt`.
    Number {
        value: f64,
        text: String,
    },
    Bool(bool),
    Str(String),
    Name(Ident),
    /// `f(args)`: a function, an observable, a measurement, an initializer, a data source…
    Call {
        callee: Ident,
        args: Vec<Arg>,
    },
    /// `[a, b, c]`, nested for more dimensions.
    Array(Vec<Expr>),
    /// `w[l, i, 0]` or `w[0..2]`.
    Index {
        base: Box<Expr>,
        indices: Vec<Index>,
    },
    Neg(Box<Expr>),
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `( e )`, only in the lossless tree of `parser::parse_with_trivia`. The tree the checker
    /// reads (`parser::parse`) has none: there a parenthesised expression is its inner expression
    /// with the span of the parentheses.
    Paren(Box<Expr>),
    /// A part the parser could not read; it has already been reported.
    Error,
}

impl Expr {
    /// The value of a literal number, if the expression is one.
    pub fn kind_number(&self) -> Option<f64> {
        match self.strip_parens().kind {
            ExprKind::Number { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The expression inside any parentheses around it.
    pub fn strip_parens(&self) -> &Expr {
        let mut expr = self;
        while let ExprKind::Paren(inner) = &expr.kind {
            expr = inner;
        }
        expr
    }
}

/// A call argument, positional or `name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    Single(Expr),
    Range(Expr, Expr),
}

impl Index {
    pub fn span(&self) -> Span {
        match self {
            Index::Single(e) => e.span,
            Index::Range(a, b) => a.span.to(b.span),
        }
    }
}

/// One wire, or a half-open range of wires `a..b`.
#[derive(Clone, Debug, PartialEq)]
pub enum WireItem {
    Single(Expr),
    Range(Expr, Expr),
}

impl WireItem {
    pub fn span(&self) -> Span {
        match self {
            WireItem::Single(e) => e.span,
            WireItem::Range(a, b) => a.span.to(b.span),
        }
    }
}

/// The wires of an application: none written, listed after the name, or after `on`.
#[derive(Clone, Debug, PartialEq)]
pub enum Wires {
    None,
    Listed(Vec<WireItem>),
    On(Span, Vec<WireItem>),
}

/// The parenthesised arguments of an application, with the span of the parentheses.
#[derive(Clone, Debug, PartialEq)]
pub struct ArgList {
    pub args: Vec<Arg>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// A gate, template or def applied: `ry(x[0]) 0`, `strongly_entangling_layers(w) on 0..3`.
    Apply {
        name: Ident,
        args: Option<ArgList>,
        wires: Wires,
    },
    For {
        var: Ident,
        start: Expr,
        end: Expr,
        body: Block,
    },
    Adj {
        keyword: Span,
        body: Block,
    },
    Ctrl {
        keyword: Span,
        controls: Vec<Expr>,
        body: Block,
    },
    /// `{ … }` with nothing in front: read so that its statements are checked, then reported.
    BareBlock(Block),
    /// A statement the parser could not read; it has already been reported.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// One parameter of a `def`: a name and an optional shape.
#[derive(Clone, Debug, PartialEq)]
pub struct DefParam {
    pub name: Ident,
    pub shape: Option<Vec<Expr>>,
    pub span: Span,
}

/// One `name value` line of a train block, or a bare `name` (`minimize`, `maximize`).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Ident,
    /// `None` for a field written without a value.
    pub value: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Qubits(Expr),
    Input {
        name: Ident,
        shape: Option<Vec<Expr>>,
    },
    Param {
        name: Ident,
        shape: Option<Vec<Expr>>,
        init: Option<Expr>,
    },
    Const {
        name: Ident,
        value: Expr,
    },
    Def {
        name: Ident,
        params: Vec<DefParam>,
        body: Block,
    },
    Circuit {
        keyword: Span,
        body: Block,
    },
    Measure(Vec<Expr>),
    MeasureFor {
        var: Ident,
        start: Expr,
        end: Expr,
        items: Vec<Expr>,
    },
    Head(Vec<Expr>),
    /// `encode LAYER, …`: layers applied to each data row before it becomes the inputs.
    Encode(Vec<Expr>),
    Train {
        keyword: Span,
        name: Option<Ident>,
        fields: Vec<Field>,
    },
    /// A name that is not a keyword in front of a block, such as a misspelt `circut { … }`.
    UnknownBlock {
        keyword: Ident,
        label: Option<Ident>,
        body: Block,
    },
    /// A circuit statement written at the top level (accepted by the REPL; an error in a file).
    Stmt(Stmt),
    /// A line the parser could not read; it has already been reported.
    Error,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    pub items: Vec<Item>,
}
