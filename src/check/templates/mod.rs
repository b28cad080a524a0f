//! Templates: their signatures, their shape rules, and their expansion through `lower`.

use super::builtins;
use super::circuit::{bare_name, plural};
use super::declarations::format_shape_full;
use super::expr::{Ctx, Value};
use super::Checker;
use crate::ast;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Expr as IrExpr, GateKind, Wire};
use crate::lower;
use crate::source::Span;

mod pennylane;
mod qiskit;

/// A template application with its wires resolved.
pub(super) struct TemplateCall<'ast> {
    pub name: &'ast ast::Ident,
    pub span: Span,
    pub args: Option<&'ast ast::ArgList>,
    pub wires: Vec<Wire>,
}

/// The positional and keyword parameters of each template, from the registry.
fn signature(template: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    builtins::template_signature(template)
}

/// The arguments of one call, matched to the signature.
struct BoundArgs<'ast> {
    values: Vec<(&'static str, &'ast ast::Arg)>,
}

impl<'ast> BoundArgs<'ast> {
    fn get(&self, name: &str) -> Option<&'ast ast::Arg> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
    }
}

impl<'ast> Checker<'ast> {
    pub(super) fn expand_template(&mut self, call: TemplateCall<'ast>) {
        let template = call.name.name.as_str();
        let Some(bound) = self.bind_template_args(&call) else {
            return;
        };
        let n = call.wires.len();
        let wires = call.wires.clone();
        match template {
            "angle_embedding" => {
                let Some(rotation) = self.rotation_arg(bound.get("rotation"), GateKind::RX) else {
                    return;
                };
                let Some((features, shape)) = self.template_array(&call, &bound, "features", 1) else {
                    return;
                };
                if shape[0] > n {
                    self.shape_mismatch(&call, &bound, "features", &format!("[k] with k ≤ {n}"), &shape);
                    return;
                }
                self.emit_plain_gates(lower::angle_embedding(&features, rotation, &wires), call.span);
            }
            "basis_embedding" => {
                if let Some(bits) = self.basis_bits(&call, &bound, "features") {
                    self.emit_plain_gates(lower::basis_embedding(&bits, &wires), call.span);
                }
            }
            "iqp_embedding" => {
                let repeats = match bound.get("repeats") {
                    Some(arg) => match self.constant_integer(&arg.value, "`repeats`") {
                        Some(r) if r >= 1 => r as usize,
                        Some(r) => {
                            self.error(Diagnostic::error(
                                Code::E0305,
                                "`repeats` must be at least 1",
                                arg.value.span,
                                format!("this is {r}"),
                            ));
                            return;
                        }
                        None => return,
                    },
                    None => 1,
                };
                let Some((features, shape)) = self.template_array(&call, &bound, "features", 1) else {
                    return;
                };
                if shape[0] != n {
                    self.shape_mismatch(&call, &bound, "features", &format!("[{n}]"), &shape);
                    return;
                }
                // `repeats` is the one template argument not bounded by an array's size, so the
                // expansion is counted before it is built.
                let (operations, operands) = lower::iqp_embedding_size(n, repeats);
                let n_controls = self.controls.len() as u128;
                if !self.expansion_fits(operations, operands + operations * n_controls, call.span) {
                    return;
                }
                self.emit_plain_gates(lower::iqp_embedding(&features, repeats, &wires), call.span);
            }
            "strongly_entangling_layers" => {
                let Some(imprimitive) = self.imprimitive_arg(bound.get("imprimitive")) else {
                    return;
                };
                let Some((weights, shape)) = self.template_array(&call, &bound, "weights", 3) else {
                    return;
                };
                if shape[1] != n || shape[2] != 3 {
                    self.shape_mismatch(&call, &bound, "weights", &format!("[L, {n}, 3]"), &shape);
                    return;
                }
                let n_layers = shape[0];
                let ranges = match bound.get("ranges") {
                    Some(arg) => {
                        let Some(ranges) = self.integer_list(&arg.value, "`ranges`") else {
                            return;
                        };
                        if ranges.len() != n_layers {
                            self.error(Diagnostic::error(
                                Code::E0403,
                                format!("`ranges` needs one entry per layer: {n_layers}, found {}", ranges.len()),
                                arg.value.span,
                                format!("{} entr{}", ranges.len(), if ranges.len() == 1 { "y" } else { "ies" }),
                            ));
                            return;
                        }
                        if let Some(&bad) = ranges.iter().find(|&&r| r < 0 || (n > 1 && (r < 1 || r as usize >= n))) {
                            self.error(Diagnostic::error(
                                Code::E0305,
                                format!("each range must be in 1..{n} for {n} wires, found {bad}"),
                                arg.value.span,
                                "out of range",
                            ));
                            return;
                        }
                        ranges.into_iter().map(|r| r as usize).collect()
                    }
                    None => lower::default_ranges(n_layers, n),
                };
                self.emit_plain_gates(
                    lower::strongly_entangling_layers(&weights, n_layers, &ranges, imprimitive, &wires),
                    call.span,
                );
            }
            "basic_entangler_layers" => {
                let Some(rotation) = self.rotation_arg(bound.get("rotation"), GateKind::RX) else {
                    return;
                };
                let Some((weights, shape)) = self.template_array(&call, &bound, "weights", 2) else {
                    return;
                };
                if shape[1] != n {
                    self.shape_mismatch(&call, &bound, "weights", &format!("[L, {n}]"), &shape);
                    return;
                }
                self.emit_plain_gates(lower::basic_entangler_layers(&weights, shape[0], rotation, &wires), call.span);
            }
            "simplified_two_design" => {
                let initial = self.template_array(&call, &bound, "initial_layer_weights", 1);
                let weights = self.template_array(&call, &bound, "weights", 3);
                let (Some((initial, initial_shape)), Some((weights, shape))) = (initial, weights) else {
                    return;
                };
                if n < 2 {
                    self.error(Diagnostic::error(
                        Code::E0403,
                        "simplified_two_design needs at least 2 wires",
                        call.name.span,
                        format!("placed on {n} wire{}", plural(n)),
                    ));
                    return;
                }
                if initial_shape[0] != n {
                    self.shape_mismatch(&call, &bound, "initial_layer_weights", &format!("[{n}]"), &initial_shape);
                    return;
                }
                if shape[1] != n - 1 || shape[2] != 2 {
                    self.shape_mismatch(&call, &bound, "weights", &format!("[L, {}, 2]", n - 1), &shape);
                    return;
                }
                self.emit_plain_gates(lower::simplified_two_design(&initial, &weights, shape[0], &wires), call.span);
            }
            "amplitude_embedding" => self.amplitude_embedding(&call, &bound),
            "z_feature_map" | "zz_feature_map" => self.qiskit_feature_map(&call, &bound),
            "real_amplitudes" | "efficient_su2" => self.qiskit_n_local(&call, &bound),
            "pauli_feature_map" => self.qiskit_pauli_feature_map(&call, &bound),
            "qaoa_embedding" => self.qaoa_embedding(&call, &bound),
            "random_layers" => self.random_layers(&call, &bound),
            "all_singles_doubles" => self.all_singles_doubles(&call, &bound),
            "basis_state" => self.basis_state(&call, &bound),
            "mps" | "ttn" => self.tensor_network(&call, &bound),
            _ => {}
        }
    }

    /// A basis state's bits: `[n]` values 0 or 1, constants or inputs (an input's bits are
    /// checked when the circuit runs).
    fn basis_bits(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>, slot: &str) -> Option<Vec<IrExpr>> {
        let template = call.name.name.as_str();
        let n = call.wires.len();
        let (bits, shape) = self.template_array(call, bound, slot, 1)?;
        if shape[0] != n {
            self.shape_mismatch(call, bound, slot, &format!("[{n}]"), &shape);
            return None;
        }
        let arg = bound.get(slot)?;
        for bit in &bits {
            match bit {
                IrExpr::Const(b) if *b == 0.0 || *b == 1.0 => {}
                IrExpr::Const(b) => {
                    self.error(Diagnostic::error(
                        Code::E0305,
                        format!("{template} takes bits 0 and 1, found {b}"),
                        arg.span,
                        "not a bit",
                    ));
                    return None;
                }
                // Input bits are checked when the circuit runs.
                IrExpr::Input(input_idx) => self.binary_inputs.push(*input_idx),
                _ => {
                    self.error(
                        Diagnostic::error(
                            Code::E0305,
                            format!("{template} takes bits: numbers or inputs, not params or expressions"),
                            arg.span,
                            "not bits",
                        )
                        .with_help("a basis state is data; pass an input or a literal array of 0s and 1s"),
                    );
                    return None;
                }
            }
        }
        Some(bits)
    }

    /// `imprimitive = cnot | cz`: the entangler of strongly entangling and random layers.
    fn imprimitive_arg(&mut self, arg: Option<&'ast ast::Arg>) -> Option<GateKind> {
        let Some(arg) = arg else {
            return Some(GateKind::CNOT);
        };
        match bare_name(&arg.value).map(|i| i.name.as_str()) {
            Some("cnot" | "cx") => Some(GateKind::CNOT),
            Some("cz") => Some(GateKind::CZ),
            _ => {
                self.error(
                    Diagnostic::error(
                        Code::E0305,
                        "`imprimitive` is `cnot` or `cz`",
                        arg.value.span,
                        "not an entangler",
                    )
                    .with_help("write `imprimitive = cz`"),
                );
                None
            }
        }
    }

    fn amplitude_embedding(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let normalize = match bound.get("normalize") {
            Some(arg) => match &arg.value.kind {
                ast::ExprKind::Bool(b) => *b,
                _ => {
                    self.error(Diagnostic::error(
                        Code::E0305,
                        "`normalize` is `true` or `false`",
                        arg.value.span,
                        "not a boolean",
                    ));
                    return;
                }
            },
            None => false,
        };
        let pad = match bound.get("pad") {
            Some(arg) if bare_name(&arg.value).is_some_and(|n| n.name == "none") => None,
            Some(arg) => match self.constant_number(&arg.value) {
                Some(value) => Some(value),
                None => return,
            },
            None => None,
        };
        let Some((amplitudes, shape)) = self.template_array(call, bound, "features", 1) else {
            return;
        };
        let n = call.wires.len();
        let dimension = 1usize << n.min(62);
        if shape[0] > dimension || (pad.is_none() && shape[0] != dimension) {
            let expected = if pad.is_none() {
                format!("[{dimension}] (or fewer with `pad`)")
            } else {
                format!("[k] with k ≤ {dimension}")
            };
            self.shape_mismatch(call, bound, "features", &expected, &shape);
            return;
        }
        if amplitudes.iter().any(|a| !a.params().is_empty()) {
            let arg = bound.get("features").expect("bound above");
            self.error(
                Diagnostic::error(
                    Code::E0801,
                    "amplitude_embedding prepares a state from data; its amplitudes cannot depend on a param",
                    arg.value.span,
                    "depends on a param",
                )
                .with_help("embed an input, and train the gates that follow"),
            );
            return;
        }
        let prep = ir::StatePrep { wires: call.wires.clone(), amplitudes, normalize, pad, span: call.span };
        self.emit_state_prep(prep, call.name.span);
    }

    /// Matches positional and named arguments to the template's signature.
    fn bind_template_args(&mut self, call: &TemplateCall<'ast>) -> Option<BoundArgs<'ast>> {
        let template = call.name.name.as_str();
        let (positional, keywords) = signature(template);
        let given: &'ast [ast::Arg] = call.args.map(|a| a.args.as_slice()).unwrap_or(&[]);
        let mut values: Vec<(&'static str, &'ast ast::Arg)> = Vec::new();
        let mut ok = true;
        let mut position = 0;
        for arg in given {
            let slot = match &arg.name {
                None => {
                    let slot = positional.get(position).copied();
                    position += 1;
                    match slot {
                        Some(slot) => slot,
                        None => {
                            self.error(
                                Diagnostic::error(
                                    Code::E0302,
                                    format!(
                                        "`{template}` takes {} positional argument{}",
                                        positional.len(),
                                        plural(positional.len())
                                    ),
                                    arg.span,
                                    "one too many",
                                )
                                .with_help(format!(
                                    "its options are named: {}",
                                    keywords.iter().map(|k| format!("`{k} = …`")).collect::<Vec<_>>().join(", ")
                                )),
                            );
                            ok = false;
                            continue;
                        }
                    }
                }
                Some(name) => match positional.iter().chain(&keywords).find(|k| **k == name.name) {
                    Some(slot) => slot,
                    None => {
                        let mut diagnostic = Diagnostic::error(
                            Code::E0303,
                            format!("`{template}` has no argument `{}`", name.name),
                            name.span,
                            "unknown argument",
                        );
                        let candidates: Vec<&str> = positional.iter().chain(&keywords).copied().collect();
                        diagnostic =
                            diagnostic.with_closest(name.span, &name.name, candidates.iter().copied()).or_help(|| {
                                format!(
                                    "its arguments are {}",
                                    candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                                )
                            });
                        self.error(diagnostic);
                        ok = false;
                        continue;
                    }
                },
            };
            if let Some((_, first)) = values.iter().find(|(n, _)| *n == slot) {
                let first_span = first.span;
                self.error(
                    Diagnostic::error(Code::E0306, format!("`{slot}` is given twice"), arg.span, "given again here")
                        .with_label(first_span, "first given here"),
                );
                ok = false;
                continue;
            }
            values.push((slot, arg));
        }
        for &required in &positional {
            if !values.iter().any(|(n, _)| *n == required) {
                let span = call.args.map(|a| a.span).unwrap_or(call.name.span);
                self.error(Diagnostic::error(
                    Code::E0304,
                    format!("`{template}` needs its `{required}` argument"),
                    span,
                    format!("missing `{required}`"),
                ));
                ok = false;
            }
        }
        ok.then_some(BoundArgs { values })
    }

    /// Evaluates an array argument of a given rank; a wrong rank is a shape mismatch.
    fn template_array(
        &mut self,
        call: &TemplateCall<'ast>,
        bound: &BoundArgs<'ast>,
        slot: &str,
        rank: usize,
    ) -> Option<(Vec<IrExpr>, Vec<usize>)> {
        let arg = bound.get(slot)?;
        let value = self.evaluate(&arg.value, Ctx::Angle)?;
        let shape = value.shape();
        if shape.len() != rank {
            let expected = match (call.name.name.as_str(), slot) {
                ("strongly_entangling_layers", _) => format!("[L, {}, 3]", call.wires.len()),
                ("basic_entangler_layers", _) => format!("[L, {}]", call.wires.len()),
                ("simplified_two_design", "weights") => {
                    format!("[L, {}, 2]", call.wires.len().saturating_sub(1))
                }
                ("z_feature_map" | "zz_feature_map" | "pauli_feature_map", _) => format!("[{}]", call.wires.len()),
                ("qaoa_embedding", "features") => format!("[k] with k ≤ {}", call.wires.len()),
                ("qaoa_embedding", "weights") => {
                    format!("[L, {}]", lower::qaoa_weights_width(call.wires.len()))
                }
                ("random_layers", _) => "[L, k]".to_string(),
                ("basis_embedding" | "basis_state", _) | ("all_singles_doubles", "hf") => {
                    format!("[{}]", call.wires.len())
                }
                ("all_singles_doubles", "weights") => "[k] (one angle per excitation)".to_string(),
                _ => format!("an array of rank {rank}"),
            };
            self.shape_mismatch(call, bound, slot, &expected, &shape);
            return None;
        }
        let elements = match value {
            Value::Array { elements, .. } => elements,
            Value::Scalar(e) => vec![e],
        };
        Some((elements, shape))
    }

    /// E0403, labelling the argument, its declaration and the template call.
    fn shape_mismatch(
        &mut self,
        call: &TemplateCall<'ast>,
        bound: &BoundArgs<'ast>,
        slot: &str,
        expected: &str,
        found: &[usize],
    ) {
        let Some(arg) = bound.get(slot) else { return };
        let n = call.wires.len();
        let mut diagnostic = Diagnostic::error(
            Code::E0403,
            format!(
                "`{}` expects `{slot}` of shape {expected} on {n} wire{}, found {}",
                call.name.name,
                plural(n),
                format_shape_full(found)
            ),
            arg.value.span,
            format!("shape {}", format_shape_full(found)),
        )
        .with_label(call.name.span, format!("this template is placed on {n} wire{}", plural(n)));
        if let Some(declared) = self.declaration_of(&arg.value) {
            diagnostic = diagnostic.with_label(declared, format!("declared with shape {}", format_shape_full(found)));
        }
        self.error(diagnostic);
    }

    /// `rotation = X | Y | Z` (or QAOAEmbedding's `local_field`): the axis of a rotation gate.
    fn rotation_arg(&mut self, arg: Option<&'ast ast::Arg>, default: GateKind) -> Option<GateKind> {
        let Some(arg) = arg else {
            return Some(default);
        };
        let slot = arg.name.as_ref().map(|name| name.name.as_str()).unwrap_or("rotation");
        match bare_name(&arg.value).map(|i| i.name.as_str()) {
            Some("X") => Some(GateKind::RX),
            Some("Y") => Some(GateKind::RY),
            Some("Z") => Some(GateKind::RZ),
            other => {
                let mut diagnostic = Diagnostic::error(
                    Code::E0305,
                    format!("`{slot}` is `X`, `Y` or `Z`"),
                    arg.value.span,
                    "not a rotation axis",
                );
                if let Some(name) = other {
                    if let Some(axis) = builtins::closest(&name.to_uppercase(), ["X", "Y", "Z"]) {
                        diagnostic = diagnostic.with_suggestion(arg.value.span, axis);
                    } else if ["x", "y", "z"].contains(&name) {
                        diagnostic =
                            diagnostic.with_help(format!("axes are capital letters: `{}`", name.to_uppercase()));
                    }
                }
                if let Some(name) = other.filter(|n| ["x", "y", "z", "rx", "ry", "rz"].contains(n)) {
                    diagnostic.help = Some(format!(
                        "axes are written as capital letters: `{slot} = {}`",
                        name.trim_start_matches('r').to_uppercase()
                    ));
                }
                self.error(diagnostic);
                None
            }
        }
    }

    /// A list of compile-time integers, such as `ranges = [1, 2]`.
    fn integer_list(&mut self, expr: &'ast ast::Expr, what: &str) -> Option<Vec<i64>> {
        let value = self.evaluate(expr, Ctx::Constant)?;
        let elements = match value {
            Value::Array { shape, elements } if shape.len() == 1 => elements,
            Value::Scalar(e) => vec![e],
            Value::Array { shape, .. } => {
                self.error(Diagnostic::error(
                    Code::E0403,
                    format!("{what} is a list of integers"),
                    expr.span,
                    format!("shape {}", format_shape_full(&shape)),
                ));
                return None;
            }
        };
        let mut out = Vec::new();
        for element in elements {
            let v = element.constant().unwrap_or(f64::NAN);
            if v.fract() != 0.0 || !v.is_finite() {
                self.error(Diagnostic::error(
                    Code::E0112,
                    format!("{what} must hold integers"),
                    expr.span,
                    format!("contains {v}"),
                ));
                return None;
            }
            out.push(v as i64);
        }
        Some(out)
    }
}
