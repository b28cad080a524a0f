//! Train block optimizers: the `optimizer` field.

use super::super::builtins;
use super::super::Checker;
use crate::ast::{self, ExprKind};
use crate::builtins::Kind;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir;

impl<'ast> Checker<'ast> {
    pub(super) fn optimizer(&mut self, value: &'ast ast::Expr) -> Option<ir::Optimizer> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let what = "optimizer";
        let optimizer = match name {
            "sgd" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Sgd { lr: a[0] }
            }
            "momentum" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Momentum { lr: a[0], beta: a[1] }
            }
            "nesterov" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Nesterov { lr: a[0], beta: a[1] }
            }
            "adagrad" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Adagrad { lr: a[0], eps: a[1] }
            }
            "rmsprop" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::RmsProp { lr: a[0], alpha: a[1], eps: a[2] }
            }
            "adam" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                if !(0.0..1.0).contains(&a[1]) || !(0.0..1.0).contains(&a[2]) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "adam's betas must be in [0, 1)",
                        value.span,
                        "invalid beta",
                    ));
                    return None;
                }
                ir::Optimizer::Adam { lr: a[0], beta1: a[1], beta2: a[2], eps: a[3] }
            }
            "spsa" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Spsa { a: a[0], c: a[1] }
            }
            _ => {
                let given = if name.is_empty() { None } else { Some(name) };
                self.unknown_choice(value, given, "optimizer", builtins::OPTIMIZERS)?;
                return None;
            }
        };
        let lr = match optimizer {
            ir::Optimizer::Sgd { lr }
            | ir::Optimizer::Momentum { lr, .. }
            | ir::Optimizer::Nesterov { lr, .. }
            | ir::Optimizer::Adagrad { lr, .. }
            | ir::Optimizer::RmsProp { lr, .. }
            | ir::Optimizer::Adam { lr, .. } => lr,
            ir::Optimizer::Spsa { a, .. } => a,
        };
        if !(lr > 0.0 && lr.is_finite()) {
            self.error(Diagnostic::error(
                Code::E0704,
                "the learning rate must be positive",
                value.span,
                format!("this is {lr}"),
            ));
            return None;
        }
        Some(optimizer)
    }
}
