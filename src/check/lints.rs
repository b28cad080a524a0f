//! Warnings: declarations nothing uses, params no measured output depends on, models that measure nothing.

use super::{Checker, Local, SymbolKind};
use crate::ast;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Expr as IrExpr};
use std::collections::HashMap;

impl<'ast> Checker<'ast> {
    /// Warns about defs never applied, and still checks their bodies (on the first wires, with
    /// zero arguments) so that their mistakes are reported before anyone calls them.
    pub(super) fn check_unused_defs(&mut self, program: &'ast ast::Program) {
        for item in &program.items {
            let ast::ItemKind::Def { name, params, body } = &item.kind else {
                continue;
            };
            let Some(symbol_id) = self.own_symbol(name) else {
                continue;
            };
            // A def is applied when something outside its own body applies it: a def that only
            // calls itself is as unused as one nothing names.
            let symbol = &self.symbols[symbol_id];
            let outside = |span: &crate::source::Span| span.start < symbol.span.start || span.end > symbol.span.end;
            if symbol.uses.iter().any(outside) {
                continue;
            }
            self.error(Diagnostic::warning(
                Code::W0004,
                format!("def `{}` is never applied", name.name),
                name.span,
                "never applied",
            ));
            let mut bindings = HashMap::new();
            for param in params {
                let Some(shape) = self.def_param_shape(param) else {
                    continue;
                };
                let size: usize = shape.iter().product();
                let value = if shape.is_empty() {
                    super::Value::Scalar(IrExpr::Const(0.0))
                } else {
                    super::Value::Array { shape, elements: vec![IrExpr::Const(0.0); size] }
                };
                bindings.insert(param.name.name.clone(), Local { value });
            }
            let n_wires = self.n_qubits.unwrap_or(super::MAX_QUBITS) as u32;
            let saved_ops = std::mem::take(&mut self.ops);
            let saved_touched = self.touched_wires.clone();
            self.expand_def(&name.name, bindings, (0..n_wires).collect(), body);
            self.ops = saved_ops;
            self.touched_wires = saved_touched;
        }
    }

    pub(super) fn lint_measurement_presence(&mut self, program: &'ast ast::Program) {
        let has_measure = !self.measurements.is_empty();
        let circuit = program.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Circuit { keyword, .. } => Some(*keyword),
            _ => None,
        });
        if let (false, Some(keyword)) = (has_measure, circuit) {
            self.error(
                Diagnostic::warning(Code::W0006, "nothing is measured", keyword, "this circuit has no outputs")
                    .with_help("add e.g. `measure expval(Z(0))`"),
            );
        }
    }

    /// Unused inputs and consts, and params outside the backward light cone of every measured wire.
    pub(super) fn lint_declarations(&mut self, has_errors: bool) {
        let live_params = (!has_errors).then(|| self.live_params());
        let mut warnings = Vec::new();
        for (symbol_id, symbol) in self.symbols.iter() {
            match symbol.kind {
                // With errors, a use may sit in a statement that failed before reading its names.
                SymbolKind::Input if symbol.uses.is_empty() && !has_errors => warnings.push(
                    Diagnostic::warning(
                        Code::W0002,
                        format!("input `{}` is never used", symbol.name),
                        symbol.name_span,
                        "declared here",
                    )
                    .with_help("use it in the circuit, or remove it"),
                ),
                SymbolKind::Const if symbol.uses.is_empty() && !has_errors => warnings.push(Diagnostic::warning(
                    Code::W0003,
                    format!("const `{}` is never used", symbol.name),
                    symbol.name_span,
                    "declared here",
                )),
                SymbolKind::Param => {
                    let Some(live) = &live_params else { continue };
                    let Some(&index) = self.variable_index.get(&symbol_id) else {
                        continue;
                    };
                    let variable = &self.params[index].variable;
                    let range = variable.offset..variable.offset + variable.size();
                    if range.clone().any(|p| live[p]) {
                        continue;
                    }
                    let mut diagnostic = Diagnostic::warning(
                        Code::W0001,
                        format!("no measured output depends on param `{}`", symbol.name),
                        symbol.name_span,
                        if symbol.uses.is_empty() { "never used" } else { "declared here" },
                    );
                    for &use_span in &symbol.uses {
                        diagnostic =
                            diagnostic.with_label(use_span, "used here, outside the light cone of every measurement");
                    }
                    diagnostic = diagnostic.with_help(if symbol.uses.is_empty() {
                        "use it in the circuit, or remove it".to_string()
                    } else {
                        "its gradient is always zero: measure a wire it acts on, or remove it".to_string()
                    });
                    warnings.push(diagnostic);
                }
                _ => {}
            }
        }
        self.diagnostics.extend(warnings);
    }

    /// For each flat param: whether some measured output can depend on it. Walks the gate list
    /// backwards from the measured wires; a gate touching a wire in the cone pulls all its wires in.
    fn live_params(&self) -> Vec<bool> {
        let n_params: usize = self.params.iter().map(|p| p.variable.size()).sum();
        let mut live = vec![false; n_params];
        let n_qubits = self.n_qubits.unwrap_or(0);
        let mut in_cone = vec![false; n_qubits];
        for measurement in &self.measurements {
            for wire in measurement.wires(n_qubits) {
                if let Some(flag) = in_cone.get_mut(wire.index()) {
                    *flag = true;
                }
            }
        }
        for op in self.ops.iter().rev() {
            let wires = op.all_wires();
            if !wires.iter().any(|w| in_cone.get(w.index()).copied().unwrap_or(false)) {
                continue;
            }
            for wire in &wires {
                if let Some(flag) = in_cone.get_mut(wire.index()) {
                    *flag = true;
                }
            }
            if let ir::Op::Gate(gate) = op {
                for angle in &gate.angles {
                    for p in angle.params() {
                        live[p] = true;
                    }
                }
            }
        }
        // A head's weights are trained whatever the circuit does, and its inputs are every output.
        live
    }
}
