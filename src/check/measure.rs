//! Measurements and observables.

use super::builtins;
use super::circuit::plural;
use super::Checker;
use crate::ast::{self, BinaryOp, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Measurement, Observable, Pauli, Term};

impl<'ast> Checker<'ast> {
    pub(super) fn check_measure_list(&mut self, list: &'ast [ast::Expr]) {
        for expr in list {
            self.check_measurement(expr);
        }
    }

    pub(super) fn check_measure_for(
        &mut self,
        var: &'ast ast::Ident,
        start: &'ast ast::Expr,
        end: &'ast ast::Expr,
        items: &'ast [ast::Expr],
    ) {
        self.unroll(var, start, end, |checker| {
            for item in items {
                checker.check_measurement(item);
            }
        });
    }

    fn check_measurement(&mut self, expr: &'ast ast::Expr) {
        let (name, args) = match &expr.kind {
            ExprKind::Name(name) => (name, None),
            ExprKind::Call { callee, args } => (callee, Some(args.as_slice())),
            ExprKind::Error => return,
            _ => {
                self.error(
                    Diagnostic::error(Code::E0502, "expected a measurement", expr.span, "not a measurement")
                        .with_help("measure with `expval(OBS)`, `var(OBS)`, `probs(wires…)`, `sample(OBS)` or `state`"),
                );
                return;
            }
        };
        let measurement = match (name.name.as_str(), args) {
            ("probs", None) => Some(Measurement::Probs((0..self.n_qubits.unwrap_or(0) as u32).map(ir::Wire).collect())),
            ("state", None | Some([])) => Some(Measurement::State),
            ("probs", Some(args)) => {
                let mut wires = Vec::new();
                let mut ok = true;
                for arg in args {
                    match self.resolve_wire(&arg.value) {
                        Some(w) => wires.push((w, arg.value.span)),
                        None => ok = false,
                    }
                }
                if ok && !wires.is_empty() && self.check_distinct(&wires) {
                    Some(Measurement::Probs(wires.into_iter().map(|(w, _)| w).collect()))
                } else {
                    if ok && wires.is_empty() {
                        Some(Measurement::Probs((0..self.n_qubits.unwrap_or(0) as u32).map(ir::Wire).collect()))
                    } else {
                        None
                    }
                }
            }
            (kind @ ("expval" | "var" | "sample"), Some(args)) => {
                if args.len() != 1 || args[0].name.is_some() {
                    self.error(Diagnostic::error(
                        Code::E0502,
                        format!(
                            "`{kind}` takes one observable, but {} argument{} {} given",
                            args.len(),
                            plural(args.len()),
                            if args.len() == 1 { "was" } else { "were" }
                        ),
                        expr.span,
                        "write one observable",
                    ));
                    None
                } else {
                    self.observable(&args[0].value).map(|observable| match kind {
                        "expval" => Measurement::Expval(observable),
                        "var" => Measurement::Var(observable),
                        _ => Measurement::Sample(observable),
                    })
                }
            }
            (kind @ ("expval" | "var" | "sample"), None) => {
                self.error(
                    Diagnostic::error(Code::E0502, format!("`{kind}` needs an observable"), expr.span, "no observable")
                        .with_help(format!("e.g. `{kind}(Z(0))`")),
                );
                None
            }
            (other, _) => {
                let mut diagnostic = Diagnostic::error(
                    Code::E0502,
                    format!("unknown measurement `{other}`"),
                    name.span,
                    "not a measurement",
                );
                diagnostic =
                    diagnostic.with_closest(name.span, other, builtins::MEASUREMENTS.iter().copied()).or_help(|| {
                        "measure with `expval(OBS)`, `var(OBS)`, `probs(wires…)`, `sample(OBS)` or `state`".into()
                    });
                self.error(diagnostic);
                None
            }
        };
        let Some(measurement) = measurement else {
            return;
        };
        if matches!(measurement, Measurement::Sample(_) | Measurement::State) {
            if let Some(train) = self.train_keyword {
                self.error(
                    Diagnostic::error(
                        Code::E0501,
                        format!("`{}` cannot be measured in a file with a train block", measurement.kind()),
                        expr.span,
                        "not differentiable",
                    )
                    .with_label(train, "this file trains")
                    .with_help("train on `expval`, `var` or `probs`; `sample` and `state` are for `qmlc run`"),
                );
                return;
            }
        }
        // Without a register wires are unbounded, and `probs` on more wires than any register
        // holds has no output count; the missing register is reported already.
        if measurement.wires(self.n_qubits.unwrap_or(0)).len() > super::MAX_QUBITS {
            return;
        }
        // Measurements are not counted as operations: a measurement loop is bounded by the loop
        // limit, and a list by the file's length.
        self.measurements.push(measurement);
    }

    /// Evaluates an observable: Pauli words joined by `@`, scaled by constants, added and subtracted.
    fn observable(&mut self, expr: &'ast ast::Expr) -> Option<Observable> {
        match &expr.kind {
            ExprKind::Call { callee, args } if builtins::OBSERVABLES.contains(&callee.name.as_str()) => {
                if args.len() != 1 {
                    self.error(Diagnostic::error(
                        Code::E0503,
                        format!("`{}` takes one wire", callee.name),
                        expr.span,
                        format!("{} arguments", args.len()),
                    ));
                    return None;
                }
                let wire = self.resolve_wire(&args[0].value)?;
                let pauli = match callee.name.as_str() {
                    "X" => Pauli::X,
                    "Y" => Pauli::Y,
                    "Z" => Pauli::Z,
                    "H" => Pauli::H,
                    _ => Pauli::I,
                };
                let factors = if pauli == Pauli::I { Vec::new() } else { vec![(pauli, wire)] };
                Some(Observable { terms: vec![Term { coefficient: 1.0, factors }] })
            }
            ExprKind::Binary { op: BinaryOp::Tensor, lhs, rhs } => {
                let left = self.observable(lhs);
                let right = self.observable(rhs);
                let (left, right) = (left?, right?);
                if left.terms.len() != 1 || right.terms.len() != 1 {
                    self.error(
                        Diagnostic::error(
                            Code::E0503,
                            "`@` joins Pauli words, not sums",
                            expr.span,
                            "a tensor product of a sum",
                        )
                        .with_help("expand the product into a sum of words"),
                    );
                    return None;
                }
                let mut term = left.terms[0].clone();
                let other = &right.terms[0];
                for &(pauli, wire) in &other.factors {
                    if term.factors.iter().any(|(_, w)| *w == wire) {
                        self.error(
                            Diagnostic::error(
                                Code::E0504,
                                format!("wire {} appears twice in one tensor product", wire.0),
                                expr.span,
                                "repeated wire",
                            )
                            .with_help("each factor of a tensor product acts on its own wire"),
                        );
                        return None;
                    }
                    term.factors.push((pauli, wire));
                }
                term.coefficient *= other.coefficient;
                Some(Observable { terms: vec![term] })
            }
            ExprKind::Binary { op: op @ (BinaryOp::Add | BinaryOp::Sub), lhs, rhs } if contains_observable(expr) => {
                let left = self.observable(lhs);
                let right = self.observable(rhs);
                let (mut left, right) = (left?, right?);
                let sign = if *op == BinaryOp::Sub { -1.0 } else { 1.0 };
                left.terms.extend(right.terms.into_iter().map(|t| Term { coefficient: sign * t.coefficient, ..t }));
                Some(left)
            }
            ExprKind::Binary { op: op @ (BinaryOp::Mul | BinaryOp::Div), lhs, rhs } => {
                let (scalar_side, observable_side) = match (contains_observable(lhs), contains_observable(rhs)) {
                    (false, true) if *op == BinaryOp::Mul => (lhs, rhs),
                    (true, false) => (rhs, lhs),
                    (true, true) => {
                        self.error(
                            Diagnostic::error(
                                Code::E0503,
                                "observables are multiplied with `@`",
                                expr.span,
                                "a product of observables",
                            )
                            .with_help("write `Z(0) @ Z(1)`"),
                        );
                        return None;
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(
                                Code::E0503,
                                "expected an observable",
                                expr.span,
                                "a number, not an observable",
                            )
                            .with_help("e.g. `Z(0)` or `0.5 * Z(0) @ Z(1)`"),
                        );
                        return None;
                    }
                };
                let factor = self.constant_number(scalar_side);
                let observable = self.observable(observable_side);
                let (factor, mut observable) = (factor?, observable?);
                let factor = if *op == BinaryOp::Div { 1.0 / factor } else { factor };
                if !factor.is_finite() {
                    self.error(Diagnostic::error(Code::E0408, "division by zero", scalar_side.span, "this is zero"));
                    return None;
                }
                for term in &mut observable.terms {
                    term.coefficient *= factor;
                }
                Some(observable)
            }
            ExprKind::Neg(inner) => {
                let mut observable = self.observable(inner)?;
                for term in &mut observable.terms {
                    term.coefficient = -term.coefficient;
                }
                Some(observable)
            }
            ExprKind::Error => None,
            _ => {
                let mut diagnostic = Diagnostic::error(Code::E0503, "expected an observable", expr.span, "not an observable")
                    .with_help("observables are `X(i)`, `Y(i)`, `Z(i)`, `I(i)`, `H(i)`, joined with `@` and combined with `+`, `-` and constant factors");
                if let ExprKind::Call { callee, .. } = &expr.kind {
                    if ["x", "y", "z", "i", "h"].contains(&callee.name.as_str()) {
                        diagnostic = diagnostic
                            .with_help(format!("observables are capital letters: `{}`", callee.name.to_uppercase()));
                    } else if let Some(observable) =
                        builtins::closest(&callee.name, builtins::OBSERVABLES.iter().copied())
                    {
                        diagnostic = diagnostic.with_suggestion(callee.span, observable);
                    }
                }
                self.error(diagnostic);
                None
            }
        }
    }
}

/// Whether an expression mentions an observable (so `0.5 * Z(0)` scales an observable).
pub(super) fn contains_observable(expr: &ast::Expr) -> bool {
    match &expr.kind {
        ExprKind::Call { callee, .. } => builtins::OBSERVABLES.contains(&callee.name.as_str()),
        ExprKind::Binary { op: BinaryOp::Tensor, .. } => true,
        ExprKind::Binary { lhs, rhs, .. } => contains_observable(lhs) || contains_observable(rhs),
        ExprKind::Neg(inner) => contains_observable(inner),
        _ => false,
    }
}
