//! Helpers the grammar's one-line actions call to build AST nodes.

use crate::ast::*;
use crate::lexer::{NumberLiteral, Token};
use crate::source::Span;
use lalrpop_util::ErrorRecovery;

pub(crate) fn span(l: usize, r: usize) -> Span {
    Span::new(l, r)
}

pub(crate) fn push<T>(mut items: Vec<T>, last: T) -> Vec<T> {
    items.push(last);
    items
}

pub(crate) fn push_optional<T>(mut items: Vec<T>, last: Option<T>) -> Vec<T> {
    items.extend(last);
    items
}

pub(crate) fn prepend<T>(first: T, rest: Vec<T>) -> Vec<T> {
    let mut items = Vec::with_capacity(rest.len() + 1);
    items.push(first);
    items.extend(rest);
    items
}

pub(crate) fn expr(kind: ExprKind, l: usize, r: usize) -> Expr {
    Expr { kind, span: span(l, r) }
}

pub(crate) fn name_expr(name: Ident) -> Expr {
    let span = name.span;
    Expr { kind: ExprKind::Name(name), span }
}

pub(crate) fn number(literal: NumberLiteral, l: usize, r: usize) -> Expr {
    expr(ExprKind::Number { value: literal.value, text: literal.text }, l, r)
}

/// Parentheses only group. The lossless tree keeps them as a node; in the checker's tree the inner
/// expression keeps its kind and takes the wider span, which is where its diagnostics point.
pub(crate) fn parenthesized(inner: Expr, l: usize, r: usize, lossless: bool) -> Expr {
    if lossless {
        expr(ExprKind::Paren(Box::new(inner)), l, r)
    } else {
        Expr { kind: inner.kind, span: span(l, r) }
    }
}

pub(crate) fn binary(lhs: Expr, op: BinaryOp, rhs: Expr, l: usize, r: usize) -> Expr {
    expr(ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, l, r)
}

pub(crate) fn negate(operand: Expr, l: usize, r: usize) -> Expr {
    expr(ExprKind::Neg(Box::new(operand)), l, r)
}

pub(crate) fn index(base: Expr, indices: Vec<Index>, l: usize, r: usize) -> Expr {
    expr(ExprKind::Index { base: Box::new(base), indices }, l, r)
}

pub(crate) fn item(kind: ItemKind, l: usize, r: usize) -> Item {
    Item { kind, span: span(l, r) }
}

pub(crate) fn stmt(kind: StmtKind, l: usize, r: usize) -> Stmt {
    Stmt { kind, span: span(l, r) }
}

/// A statement at the top level is kept (the REPL runs it); an unreadable line becomes an error item.
pub(crate) fn item_from_stmt(statement: Stmt) -> Item {
    let span = statement.span;
    match statement.kind {
        StmtKind::Error => Item { kind: ItemKind::Error, span },
        _ => Item { kind: ItemKind::Stmt(statement), span },
    }
}

pub(crate) fn error_stmt(
    errors: &mut Vec<ErrorRecovery<usize, Token, ()>>,
    error: ErrorRecovery<usize, Token, ()>,
    l: usize,
    r: usize,
) -> Stmt {
    errors.push(error);
    stmt(StmtKind::Error, l, r)
}

pub(crate) fn error_field(
    errors: &mut Vec<ErrorRecovery<usize, Token, ()>>,
    error: ErrorRecovery<usize, Token, ()>,
    l: usize,
    r: usize,
) -> Field {
    errors.push(error);
    Field {
        name: Ident { name: String::new(), span: span(l, l) },
        value: Some(expr(ExprKind::Error, l, r)),
        span: span(l, r),
    }
}
