//! The gate list written back in the language's own syntax, for tests, `draw` and messages.

use super::{BinOp, Circuit, Expr, Measurement, Op, Variable};

/// The name of one element of a flat input or param vector: `w[1, 0, 2]` (indices joined by
/// `separator`), or `t` for a scalar; `?N` for an index no variable holds.
pub fn element_name(variables: &[&Variable], flat_index: usize, separator: &str) -> String {
    for variable in variables {
        if flat_index >= variable.offset && flat_index < variable.offset + variable.size() {
            if variable.shape.is_empty() {
                return variable.name.clone();
            }
            let mut rest = flat_index - variable.offset;
            let mut indices = vec![0; variable.shape.len()];
            for dim in (0..variable.shape.len()).rev() {
                indices[dim] = rest % variable.shape[dim];
                rest /= variable.shape[dim];
            }
            let joined = indices.iter().map(usize::to_string).collect::<Vec<_>>().join(separator);
            return format!("{}[{joined}]", variable.name);
        }
    }
    format!("?{flat_index}")
}

impl Circuit {
    /// The name of a flat param or input element, as the source writes it: `w[1, 0, 2]`.
    pub(crate) fn element_name(&self, variables: &[&Variable], flat_index: usize) -> String {
        element_name(variables, flat_index, ", ")
    }

    /// Writes an angle with the source's names for inputs and params.
    pub(crate) fn describe_expr(&self, expr: &Expr) -> String {
        let inputs: Vec<&Variable> = self.inputs.iter().collect();
        let params: Vec<&Variable> = self.params.iter().map(|p| &p.variable).collect();
        self.describe_expr_with(expr, &inputs, &params, 0)
    }

    fn describe_expr_with(
        &self,
        expr: &Expr,
        inputs: &[&Variable],
        params: &[&Variable],
        parent_precedence: u8,
    ) -> String {
        let (text, precedence) = match expr {
            Expr::Const(c) => (format_number(*c), 9),
            Expr::Input(i) => (self.element_name(inputs, *i), 9),
            Expr::Param(i) => (self.element_name(params, *i), 9),
            Expr::Neg(e) => (format!("-{}", self.describe_expr_with(e, inputs, params, 8)), 7),
            Expr::Call(f, e) => (format!("{}({})", f.name(), self.describe_expr_with(e, inputs, params, 0)), 9),
            Expr::Call2(f, a, b) => {
                let a = self.describe_expr_with(a, inputs, params, 0);
                let b = self.describe_expr_with(b, inputs, params, 0);
                (format!("{}({a}, {b})", f.name()), 9)
            }
            Expr::Binary(BinOp::Rem, a, b) => {
                let a = self.describe_expr_with(a, inputs, params, 0);
                let b = self.describe_expr_with(b, inputs, params, 0);
                (format!("mod({a}, {b})"), 9)
            }
            Expr::Binary(op, a, b) => {
                let (symbol, precedence) = match op {
                    BinOp::Add => ("+", 5),
                    BinOp::Sub => ("-", 5),
                    BinOp::Mul => ("*", 6),
                    BinOp::Div => ("/", 6),
                    BinOp::Pow => ("^", 8),
                    BinOp::Rem => unreachable!("handled above"),
                };
                // Right operands of non-commutative operators bind one level tighter.
                let right_precedence =
                    if matches!(op, BinOp::Sub | BinOp::Div | BinOp::Pow) { precedence + 1 } else { precedence };
                let left_precedence = if *op == BinOp::Pow { precedence + 1 } else { precedence };
                let a = self.describe_expr_with(a, inputs, params, left_precedence);
                let b = self.describe_expr_with(b, inputs, params, right_precedence);
                (format!("{a} {symbol} {b}"), precedence)
            }
        };
        if precedence < parent_precedence {
            format!("({text})")
        } else {
            text
        }
    }

    /// One line per operation, in the language's own syntax: `rot(w[0, 0, 0], w[0, 0, 1], w[0, 0, 2]) 0`.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for op in &self.ops {
            match op {
                Op::Gate(gate) => {
                    if !gate.controls.is_empty() {
                        let controls = gate.controls.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                        out.push_str(&format!("ctrl({controls}) "));
                    }
                    out.push_str(gate.kind.name());
                    if !gate.angles.is_empty() {
                        let angles = gate.angles.iter().map(|a| self.describe_expr(a)).collect::<Vec<_>>().join(", ");
                        out.push_str(&format!("({angles})"));
                    }
                    let wires = gate.wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                    out.push_str(&format!(" {wires}\n"));
                }
                Op::StatePrep(prep) => {
                    let amplitudes =
                        prep.amplitudes.iter().map(|a| self.describe_expr(a)).collect::<Vec<_>>().join(", ");
                    let wires = prep.wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                    out.push_str(&format!(
                        "state_prep([{amplitudes}], normalize = {}, pad = {:?}) {wires}\n",
                        prep.normalize, prep.pad
                    ));
                }
            }
        }
        for measurement in &self.measurements {
            match measurement {
                Measurement::Probs(_) | Measurement::State => {
                    out.push_str(&format!("measure {}\n", measurement.describe()))
                }
                _ => out.push_str(&format!("measure {}({})\n", measurement.kind(), measurement.describe())),
            }
        }
        out
    }
}

/// Writes a number the way a person would: `3`, `0.5`, `3.141592653589793`.
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
