//! Measurements and observables.

use super::builtins;
use super::circuit::plural;
use super::expr::{Ctx, Value};
use super::Checker;
use crate::ast::{self, BinaryOp, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, MatrixFactor, MatrixKind, Measurement, Observable, Pauli, Term};
use crate::source::Span;

/// The most wires a `hermitian` may act on: its matrix is 2^k × 2^k, and sampling diagonalizes it.
const MAX_HERMITIAN_WIRES: usize = 8;

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
            ExprKind::Call { callee, args } if matches!(callee.name.as_str(), "projector" | "hermitian") => {
                let factor = self.matrix_factor(callee, args, expr.span)?;
                Some(Observable { terms: vec![Term { coefficient: 1.0, factors: Vec::new(), matrices: vec![factor] }] })
            }
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
                Some(Observable { terms: vec![Term::pauli(1.0, factors)] })
            }
            ExprKind::Binary { op: BinaryOp::Tensor, lhs, rhs } => {
                let left = self.observable(lhs);
                let right = self.observable(rhs);
                let (left, right) = (left?, right?);
                if left.terms.len() != 1 || right.terms.len() != 1 {
                    self.error(
                        Diagnostic::error(
                            Code::E0503,
                            "`@` joins Pauli words, projectors and Hermitian matrices, not sums",
                            expr.span,
                            "a tensor product of a sum",
                        )
                        .with_help("expand the product into a sum of words"),
                    );
                    return None;
                }
                let mut term = left.terms[0].clone();
                let other = &right.terms[0];
                let left_wires = term.wires();
                for wire in other.wires() {
                    if left_wires.contains(&wire) {
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
                }
                term.factors.extend(other.factors.iter().copied());
                term.matrices.extend(other.matrices.iter().cloned());
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
                    .with_help("observables are `X(i)`, `Y(i)`, `Z(i)`, `I(i)`, `H(i)`, `projector(bits, wires…)` and `hermitian(matrix, wires…)`, joined with `@` and combined with `+`, `-` and constant factors");
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

impl<'ast> Checker<'ast> {
    /// Elaborates `projector(BITS, w, …)` or `hermitian(MATRIX, w, …)`: a constant array first,
    /// then the wires, as `probs` lists them.
    fn matrix_factor(&mut self, callee: &'ast ast::Ident, args: &'ast [ast::Arg], span: Span) -> Option<MatrixFactor> {
        let is_projector = callee.name == "projector";
        let what = if is_projector { "bits" } else { "matrix" };
        let example = if is_projector { "projector([0, 1], 0, 1)" } else { "hermitian([[1, 0], [0, -1]], 0)" };
        if let Some(named) = args.iter().find_map(|arg| arg.name.as_ref()) {
            self.error(
                Diagnostic::error(
                    Code::E0509,
                    format!("`{}` takes its {what} and wires by position", callee.name),
                    named.span,
                    "a named argument",
                )
                .with_help(format!("e.g. `{example}`")),
            );
            return None;
        }
        if args.len() < 2 {
            let (message, label) = if args.is_empty() {
                (format!("`{}` needs its {what} and its wires", callee.name), format!("no {what} and no wires"))
            } else {
                (format!("`{}` needs wires after its {what}", callee.name), "no wires".to_string())
            };
            self.error(Diagnostic::error(Code::E0509, message, span, label).with_help(format!("e.g. `{example}`")));
            return None;
        }
        let value = self.evaluate(&args[0].value, Ctx::Constant);
        let mut wires = Vec::new();
        let mut wires_ok = true;
        for arg in &args[1..] {
            if let ExprKind::Array(_) = arg.value.kind {
                // PennyLane writes `wires=[0, 1]`; qmlc lists the wires as `probs` does.
                self.error(
                    Diagnostic::error(
                        Code::E0509,
                        format!("`{}` takes its wires as separate arguments, not an array", callee.name),
                        arg.value.span,
                        "an array of wires",
                    )
                    .with_help(format!("list the wires after the {what}, without brackets: `{example}`")),
                );
                wires_ok = false;
                continue;
            }
            match self.resolve_wire(&arg.value) {
                Some(wire) => wires.push((wire, arg.value.span)),
                None => wires_ok = false,
            }
        }
        let value = value?;
        if !wires_ok {
            return None;
        }
        for (position, &(wire, wire_span)) in wires.iter().enumerate() {
            if let Some(&(_, first)) = wires[..position].iter().find(|(other, _)| *other == wire) {
                self.error(
                    Diagnostic::error(
                        Code::E0508,
                        format!("wire {} appears twice in `{}`", wire.0, callee.name),
                        wire_span,
                        "repeated wire",
                    )
                    .with_label(first, "first listed here")
                    .with_help("list each wire once"),
                );
                return None;
            }
        }
        let n_wires = wires.len();
        let wires: Vec<ir::Wire> = wires.into_iter().map(|(wire, _)| wire).collect();
        let matrix_span = args[0].value.span;
        let (shape, elements) = match value {
            Value::Array { shape, elements } => (shape, elements),
            Value::Scalar(_) => (Vec::new(), Vec::new()),
        };
        // Elements of a constant evaluation are constants; one that is not was reported already.
        let numbers = elements.iter().map(|element| element.constant()).collect::<Option<Vec<f64>>>()?;
        if is_projector {
            if shape.len() != 1 || shape[0] != n_wires {
                self.error(
                    Diagnostic::error(
                        Code::E0506,
                        format!(
                            "`projector` on {n_wires} wire{} needs {n_wires} bit{}",
                            super::circuit::plural(n_wires),
                            super::circuit::plural(n_wires)
                        ),
                        matrix_span,
                        match shape.as_slice() {
                            [] => "a number, not an array of bits".to_string(),
                            [k] => format!("{k} bit{}", super::circuit::plural(*k)),
                            _ => format!("an array of shape {shape:?}"),
                        },
                    )
                    .with_help("one bit, 0 or 1, per wire: `projector([0, 1], 0, 1)` is |01⟩⟨01|"),
                );
                return None;
            }
            let mut bits = Vec::with_capacity(n_wires);
            for (position, number) in numbers.iter().enumerate() {
                if *number != 0.0 && *number != 1.0 {
                    let element_span = match &args[0].value.kind {
                        ExprKind::Array(items) => items.get(position).map_or(matrix_span, |item| item.span),
                        _ => matrix_span,
                    };
                    self.error(
                        Diagnostic::error(
                            Code::E0505,
                            format!("a projector's bits are 0 or 1, but bit {position} is {number}"),
                            element_span,
                            "not a bit",
                        )
                        .with_help("`projector(bits, wires…)` projects onto the basis state |bits⟩"),
                    );
                    return None;
                }
                bits.push(*number as u8);
            }
            return Some(MatrixFactor { kind: MatrixKind::Projector { bits }, wires });
        }
        let dimension = 1usize << n_wires.min(MAX_HERMITIAN_WIRES);
        if n_wires > MAX_HERMITIAN_WIRES || shape != [dimension, dimension] {
            let label = match shape.as_slice() {
                [] => "a number, not a matrix".to_string(),
                [rows, columns] => format!("a {rows} × {columns} matrix"),
                _ => format!("an array of shape {shape:?}"),
            };
            let message = if n_wires > MAX_HERMITIAN_WIRES {
                format!("`hermitian` acts on at most {MAX_HERMITIAN_WIRES} wires, not {n_wires}")
            } else {
                format!(
                    "`hermitian` on {n_wires} wire{} needs a {dimension} × {dimension} matrix",
                    super::circuit::plural(n_wires)
                )
            };
            self.error(Diagnostic::error(Code::E0506, message, matrix_span, label).with_help(
                "k wires take a 2^k × 2^k matrix, rows as nested arrays: `hermitian([[1, 0], [0, -1]], 0)`",
            ));
            return None;
        }
        // PennyLane's `Hermitian` accepts a matrix that `numpy.allclose` finds equal to its
        // transpose (|a − b| ≤ 1e-8 + 1e-5 |b|); so does qmlc, and then takes the symmetric part.
        for row in 0..dimension {
            for column in row + 1..dimension {
                let (upper, lower) = (numbers[row * dimension + column], numbers[column * dimension + row]);
                if (upper - lower).abs() > 1e-8 + 1e-5 * lower.abs() {
                    self.error(
                        Diagnostic::error(
                            Code::E0507,
                            "the matrix of `hermitian` is not symmetric",
                            matrix_span,
                            format!("entry [{row}, {column}] is {upper} but entry [{column}, {row}] is {lower}"),
                        )
                        .with_help("a real Hermitian matrix equals its transpose"),
                    );
                    return None;
                }
            }
        }
        // Symmetric to that tolerance: the average of the two triangles is exactly symmetric.
        let mut matrix = numbers;
        for row in 0..dimension {
            for column in row + 1..dimension {
                let average = 0.5 * (matrix[row * dimension + column] + matrix[column * dimension + row]);
                matrix[row * dimension + column] = average;
                matrix[column * dimension + row] = average;
            }
        }
        Some(MatrixFactor { kind: MatrixKind::Hermitian { matrix }, wires })
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
