//! Qiskit's circuit library (2.x): the feature maps and n-local ansätze, their options and shape rules.

use super::{BoundArgs, TemplateCall};
use crate::ast;
use crate::check::builtins;
use crate::check::circuit::{bare_name, plural};
use crate::check::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::GateKind;
use crate::lower;

impl<'ast> Checker<'ast> {
    /// Qiskit's `z_feature_map` and `zz_feature_map`: `features` is [n], one feature per wire.
    pub(super) fn qiskit_feature_map(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let template = call.name.name.as_str();
        let Some(reps) = self.reps_arg(bound.get("reps"), 2) else {
            return;
        };
        let Some(entanglement) = self.entanglement_arg(bound.get("entanglement"), lower::Entanglement::Full) else {
            return;
        };
        let Some((features, shape)) = self.template_array(call, bound, "features", 1) else {
            return;
        };
        let n = call.wires.len();
        // Qiskit refuses a ZZ term longer than the feature dimension, so one wire is an error here too.
        let blocks: &[usize] = if template == "zz_feature_map" { &[1, 2] } else { &[1] };
        if template == "zz_feature_map" && n < 2 {
            self.error(Diagnostic::error(
                Code::E0403,
                "zz_feature_map needs at least 2 wires",
                call.name.span,
                format!("placed on {n} wire{}", plural(n)),
            ));
            return;
        }
        if shape[0] != n {
            self.shape_mismatch(call, bound, "features", &format!("[{n}]"), &shape);
            return;
        }
        // `reps` is not bounded by an array's size, so the expansion is counted before it is built.
        let (operations, operands) = lower::qiskit_z_feature_map_size(n, reps, blocks, entanglement);
        let n_controls = self.controls.len() as u128;
        if !self.expansion_fits(operations, operands + operations * n_controls, call.span) {
            return;
        }
        self.emit_plain_gates(
            lower::qiskit_z_feature_map(&features, reps, blocks, entanglement, &call.wires),
            call.span,
        );
    }

    /// Qiskit's `pauli_feature_map`: `features` is [n]; each Pauli string is at most n letters long.
    pub(super) fn qiskit_pauli_feature_map(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let n = call.wires.len();
        let Some(reps) = self.reps_arg(bound.get("reps"), 2) else {
            return;
        };
        let Some(entanglement) = self.entanglement_arg(bound.get("entanglement"), lower::Entanglement::Full) else {
            return;
        };
        let alpha = match bound.get("alpha") {
            Some(arg) => match self.constant_number(&arg.value) {
                Some(alpha) => alpha,
                None => return,
            },
            None => 2.0,
        };
        let paulis = match bound.get("paulis") {
            Some(arg) => match self.pauli_strings(&arg.value, n) {
                Some(paulis) => paulis,
                None => return,
            },
            // Qiskit's default: ["Z", "ZZ"], or ["Z"] alone on one qubit.
            None if n == 1 => vec!["Z".to_string()],
            None => vec!["Z".to_string(), "ZZ".to_string()],
        };
        let Some((features, shape)) = self.template_array(call, bound, "features", 1) else {
            return;
        };
        if shape[0] != n {
            self.shape_mismatch(call, bound, "features", &format!("[{n}]"), &shape);
            return;
        }
        let (operations, operands) = lower::qiskit_pauli_feature_map_size(n, reps, &paulis, entanglement);
        let n_controls = self.controls.len() as u128;
        if !self.expansion_fits(operations, operands.saturating_add(operations.saturating_mul(n_controls)), call.span) {
            return;
        }
        self.emit_plain_gates(
            lower::qiskit_pauli_feature_map(&features, reps, &paulis, alpha, entanglement, &call.wires),
            call.span,
        );
    }

    /// `paulis = ["Z", "XY"]`: a list of strings of the letters I, X, Y and Z (either case, as
    /// Qiskit reads them), each no longer than the wires it is placed on and not all identity.
    fn pauli_strings(&mut self, expr: &'ast ast::Expr, n: usize) -> Option<Vec<String>> {
        let items: Vec<&ast::Expr> = match &expr.kind {
            ast::ExprKind::Array(items) => items.iter().collect(),
            ast::ExprKind::Str(_) => vec![expr],
            _ => {
                self.error(
                    Diagnostic::error(Code::E0305, "`paulis` is a list of Pauli strings", expr.span, "not strings")
                        .with_help("write `paulis = [\"Z\", \"ZZ\"]`"),
                );
                return None;
            }
        };
        let mut paulis = Vec::new();
        for item in items {
            let ast::ExprKind::Str(text) = &item.kind else {
                self.error(Diagnostic::error(
                    Code::E0305,
                    "`paulis` holds strings such as \"ZZ\"",
                    item.span,
                    "not a string",
                ));
                return None;
            };
            let upper = text.to_uppercase();
            let problem = if upper.is_empty() || upper.chars().any(|l| !"IXYZ".contains(l)) {
                Some("a Pauli string is made of the letters I, X, Y and Z".to_string())
            } else if upper.chars().all(|l| l == 'I') {
                Some("a Pauli string of identities only does nothing".to_string())
            } else if upper.chars().count() > n {
                Some(format!("`{text}` is longer than the {n} wire{} it is placed on", plural(n)))
            } else {
                None
            };
            if let Some(message) = problem {
                self.error(Diagnostic::error(Code::E0305, message, item.span, "not a Pauli string here"));
                return None;
            }
            paulis.push(upper);
        }
        Some(paulis)
    }

    /// Qiskit's `real_amplitudes` and `efficient_su2`: `weights` is flat, (reps + 1) · n angles per
    /// rotation gate in Qiskit's parameter order.
    pub(super) fn qiskit_n_local(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let rotations: &[GateKind] =
            if call.name.name == "efficient_su2" { &[GateKind::RY, GateKind::RZ] } else { &[GateKind::RY] };
        let Some(reps) = self.reps_arg(bound.get("reps"), 3) else {
            return;
        };
        let Some(entanglement) = self.entanglement_arg(bound.get("entanglement"), lower::Entanglement::ReverseLinear)
        else {
            return;
        };
        let Some((weights, shape)) = self.template_array(call, bound, "weights", 1) else {
            return;
        };
        let n = call.wires.len();
        let expected = (reps as u128 + 1) * rotations.len() as u128 * n as u128;
        if shape[0] as u128 != expected {
            let rule = if rotations.len() == 1 { "(reps + 1) · n" } else { "2 · (reps + 1) · n" };
            self.shape_mismatch(call, bound, "weights", &format!("[{expected}] ({rule} with reps = {reps})"), &shape);
            return;
        }
        self.emit_plain_gates(lower::qiskit_n_local(&weights, reps, rotations, entanglement, &call.wires), call.span);
    }

    /// `reps = R`: a compile-time integer ≥ 0 (Qiskit allows 0: no repetition).
    fn reps_arg(&mut self, arg: Option<&'ast ast::Arg>, default: usize) -> Option<usize> {
        let Some(arg) = arg else {
            return Some(default);
        };
        match self.constant_integer(&arg.value, "`reps`")? {
            r if r >= 0 => Some(r as usize),
            r => {
                self.error(Diagnostic::error(
                    Code::E0305,
                    "`reps` must be at least 0",
                    arg.value.span,
                    format!("this is {r}"),
                ));
                None
            }
        }
    }

    /// `entanglement = full | linear | reverse_linear | circular`, as Qiskit's circuit library names them.
    fn entanglement_arg(
        &mut self,
        arg: Option<&'ast ast::Arg>,
        default: lower::Entanglement,
    ) -> Option<lower::Entanglement> {
        let Some(arg) = arg else {
            return Some(default);
        };
        let name = bare_name(&arg.value).map(|i| i.name.as_str());
        if let Some(entanglement) = name.and_then(lower::Entanglement::from_name) {
            return Some(entanglement);
        }
        let mut diagnostic = Diagnostic::error(
            Code::E0305,
            "`entanglement` is `full`, `linear`, `reverse_linear` or `circular`",
            arg.value.span,
            "not an entanglement",
        );
        if let Some(closest) = name.and_then(|n| builtins::closest(n, lower::Entanglement::NAMES)) {
            diagnostic = diagnostic.with_suggestion(arg.value.span, closest);
        }
        self.error(diagnostic);
        None
    }
}
