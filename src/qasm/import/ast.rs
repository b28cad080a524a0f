//! The syntax tree of an OpenQASM 2 or 3 program, as far as the importer reads it: every node
//! keeps its span in the `.qasm` text, so diagnostics point there.

use crate::codes::Code;
use crate::source::Span;

/// A name and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal number, its value (underscores dropped).
    Number(f64),
    /// An integer literal, kept exact for indices.
    Integer(i64),
    Name(String),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Call(Name, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Power,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// What follows a register's name in brackets.
#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    /// `q[i]`.
    Single(Expr),
    /// `q[a:b]` or `q[a:s:b]`, ends included; either end may be left out.
    Range { start: Option<Expr>, step: Option<Expr>, end: Option<Expr> },
    /// `q[{0, 2, 5}]`.
    Set(Vec<Expr>),
}

/// A qubit or register operand: `q`, `q[0]`, `q[1:3]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    pub name: Name,
    pub index: Option<Index>,
    pub span: Span,
}

/// A gate modifier, written before `@`.
#[derive(Clone, Debug, PartialEq)]
pub enum Modifier {
    Inv,
    Pow(Expr),
    Ctrl(Option<Expr>),
    NegCtrl(Option<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct GateCall {
    pub modifiers: Vec<(Modifier, Span)>,
    pub name: Name,
    pub args: Vec<Expr>,
    pub operands: Vec<Operand>,
    pub span: Span,
}

/// The values a `for` loop runs over.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopValues {
    Range { start: Expr, step: Option<Expr>, end: Expr },
    Set(Vec<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `OPENQASM 2.0;`: the major version and where the line is.
    Version {
        major: u32,
        span: Span,
    },
    Include {
        path: String,
        span: Span,
    },
    /// `qreg q[n];`, `qubit[n] q;` or `qubit q;` (`size: None`: a single qubit).
    QuantumRegister {
        name: Name,
        size: Option<Expr>,
        span: Span,
    },
    /// `creg c[n];`, `bit[n] c;`, `bit c;`.
    ClassicalRegister {
        name: Name,
        span: Span,
    },
    /// `input float[64] x;` or `input angle x;`.
    Input {
        name: Name,
        span: Span,
    },
    /// `const float c = 0.5;`; `integer` for an `int` or `uint` const, whose value is truncated
    /// to an integer.
    Const {
        name: Name,
        integer: bool,
        value: Expr,
        span: Span,
    },
    Gate {
        name: Name,
        params: Vec<Name>,
        qubits: Vec<Name>,
        body: Vec<Stmt>,
        span: Span,
    },
    Call(GateCall),
    /// `measure a -> b;`, `b = measure a;` or `measure a;`.
    Measure {
        operand: Operand,
        span: Span,
    },
    /// `barrier …;`, which the importer drops.
    Barrier {
        span: Span,
    },
    For {
        variable: Name,
        values: LoopValues,
        body: Vec<Stmt>,
        span: Span,
    },
    /// A `pragma` or annotation line.
    Pragma {
        span: Span,
    },
    /// A statement the importer does not translate, with the code and message that say so.
    Unsupported {
        code: Code,
        message: String,
        span: Span,
    },
}
