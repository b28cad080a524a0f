//! Expressions, argument lists and wire lists, each printed on one line.

use super::Printer;
use crate::ast::{Arg, BinaryOp, Expr, ExprKind, Ident, Index, WireItem, Wires};

impl Printer<'_> {
    pub(super) fn expr_text(&self, expr: &Expr) -> String {
        let mut out = String::new();
        self.write_expr(expr, &mut out);
        out
    }

    fn write_expr(&self, expr: &Expr, out: &mut String) {
        match &expr.kind {
            ExprKind::Number { text, .. } => out.push_str(text),
            ExprKind::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            // The string as written, escapes and all.
            ExprKind::Str(_) | ExprKind::Error => out.push_str(&self.text[expr.span.range()]),
            ExprKind::Name(name) => out.push_str(&name.name),
            ExprKind::Call { callee, args } => {
                out.push_str(&callee.name);
                self.write_args(args, out);
            }
            ExprKind::Array(items) => {
                out.push('[');
                self.write_list(items, out);
                out.push(']');
            }
            ExprKind::Index { base, indices } => {
                self.write_expr(base, out);
                out.push('[');
                for (position, index) in indices.iter().enumerate() {
                    if position > 0 {
                        out.push_str(", ");
                    }
                    match index {
                        Index::Single(value) => self.write_expr(value, out),
                        Index::Range(start, end) => self.write_range(start, end, out),
                    }
                }
                out.push(']');
            }
            ExprKind::Neg(operand) => {
                out.push('-');
                self.write_expr(operand, out);
            }
            ExprKind::Binary { op: BinaryOp::Pow, lhs, rhs } => {
                self.write_expr(lhs, out);
                out.push('^');
                self.write_expr(rhs, out);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.write_expr(lhs, out);
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                self.write_expr(rhs, out);
            }
            ExprKind::Paren(inner) => {
                out.push('(');
                self.write_expr(inner, out);
                out.push(')');
            }
        }
    }

    pub(super) fn write_range(&self, start: &Expr, end: &Expr, out: &mut String) {
        self.write_expr(start, out);
        out.push_str("..");
        self.write_expr(end, out);
    }

    /// Expressions separated by `, `.
    pub(super) fn write_list(&self, items: &[Expr], out: &mut String) {
        for (position, item) in items.iter().enumerate() {
            if position > 0 {
                out.push_str(", ");
            }
            self.write_expr(item, out);
        }
    }

    /// `(a, name = b)`.
    pub(super) fn write_args(&self, args: &[Arg], out: &mut String) {
        out.push('(');
        for (position, arg) in args.iter().enumerate() {
            if position > 0 {
                out.push_str(", ");
            }
            if let Some(name) = &arg.name {
                out.push_str(&name.name);
                out.push_str(" = ");
            }
            self.write_expr(&arg.value, out);
        }
        out.push(')');
    }

    /// A gate application without its block: `name(args) wires`.
    pub(super) fn write_application(&self, name: &Ident, args: Option<&[Arg]>, wires: &Wires, out: &mut String) {
        out.push_str(&name.name);
        if let Some(args) = args {
            self.write_args(args, out);
        }
        let items = match wires {
            Wires::None => return,
            Wires::Listed(items) => {
                out.push(' ');
                items
            }
            Wires::On(_, items) => {
                out.push_str(" on ");
                items
            }
        };
        for (position, item) in items.iter().enumerate() {
            if position > 0 {
                out.push_str(", ");
            }
            match item {
                WireItem::Single(wire) => self.write_expr(wire, out),
                WireItem::Range(start, end) => self.write_range(start, end, out),
            }
        }
    }

    /// A shape, `[3, 4]`, or nothing.
    pub(super) fn write_shape(&self, shape: Option<&[Expr]>, out: &mut String) {
        if let Some(dimensions) = shape {
            out.push('[');
            self.write_list(dimensions, out);
            out.push(']');
        }
    }
}
