//! PennyLane's templates of version 2: QAOAEmbedding, RandomLayers, AllSinglesDoubles, BasisState,
//! and the tensor networks MPS and TTN with a def as their block.

use super::{BoundArgs, TemplateCall};
use crate::ast;
use crate::check::circuit::{bare_name, plural};
use crate::check::declarations::format_shape_full;
use crate::check::expr::{Ctx, Value};
use crate::check::{Checker, Local, SymbolKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{Expr as IrExpr, GateKind};
use crate::lower;
use std::collections::HashMap;

/// PennyLane's default RandomLayers seed.
const DEFAULT_SEED: u64 = 42;

/// PennyLane's default ratio of entanglers to rotations in RandomLayers.
const DEFAULT_RATIO_IMPRIMITIVE: f64 = 0.3;

impl<'ast> Checker<'ast> {
    /// PennyLane's QAOAEmbedding: `features` [k ≤ n], `weights` [L, 1 | 3 | 2n].
    pub(super) fn qaoa_embedding(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let n = call.wires.len();
        let Some(local_field) = self.rotation_arg(bound.get("local_field"), GateKind::RY) else {
            return;
        };
        let features = self.template_array(call, bound, "features", 1);
        let weights = self.template_array(call, bound, "weights", 2);
        let (Some((features, features_shape)), Some((weights, weights_shape))) = (features, weights) else {
            return;
        };
        if features_shape[0] > n {
            self.shape_mismatch(call, bound, "features", &format!("[k] with k ≤ {n}"), &features_shape);
            return;
        }
        let width = lower::qaoa_weights_width(n);
        if weights_shape[1] != width {
            self.shape_mismatch(call, bound, "weights", &qaoa_weights_rule(n), &weights_shape);
            return;
        }
        self.emit_plain_gates(
            lower::qaoa_embedding(&features, &weights, weights_shape[0], local_field, &call.wires),
            call.span,
        );
    }

    /// RandomLayers with qmlc's seeded generator: `weights` [L, k], `seed`, `ratio_imprim` in
    /// [0, 1), `imprimitive` and `rotations`.
    pub(super) fn random_layers(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let seed = match bound.get("seed") {
            None => Some(DEFAULT_SEED),
            Some(arg) => match self.constant_integer(&arg.value, "`seed`") {
                Some(seed) if seed >= 0 => Some(seed as u64),
                Some(seed) => {
                    self.error(Diagnostic::error(
                        Code::E0305,
                        "`seed` must be at least 0",
                        arg.value.span,
                        format!("this is {seed}"),
                    ));
                    None
                }
                None => None,
            },
        };
        let ratio = match bound.get("ratio_imprim") {
            None => Some(DEFAULT_RATIO_IMPRIMITIVE),
            Some(arg) => match self.constant_number(&arg.value) {
                Some(ratio) if (0.0..1.0).contains(&ratio) => Some(ratio),
                Some(ratio) => {
                    self.error(
                        Diagnostic::error(
                            Code::E0305,
                            "`ratio_imprim` must be at least 0 and below 1",
                            arg.value.span,
                            format!("this is {}", crate::ir::format_number(ratio)),
                        )
                        .with_help("it is the chance of drawing an entangler instead of a rotation; at 1 no rotation is ever placed"),
                    );
                    None
                }
                None => None,
            },
        };
        let imprimitive = self.imprimitive_arg(bound.get("imprimitive"));
        let rotations = self.rotations_arg(bound.get("rotations"));
        let weights = self.template_array(call, bound, "weights", 2);
        let (Some(seed), Some(ratio), Some(imprimitive), Some(rotations), Some((weights, shape))) =
            (seed, ratio, imprimitive, rotations, weights)
        else {
            return;
        };
        let options = lower::RandomLayersOptions { seed, ratio_imprimitive: ratio, imprimitive, rotations };
        // The number of entanglers is drawn, not known in advance, so the expansion stops at the
        // operation limit rather than being counted first.
        let limit = crate::check::MAX_OPS + 1;
        match lower::random_layers(&weights, shape[0], &options, &call.wires, limit) {
            Some(gates) => self.emit_plain_gates(gates, call.span),
            None => {
                self.operations_fit(limit as u128, 0, call.span);
            }
        }
    }

    /// PennyLane's AllSinglesDoubles: `weights` [s + d], `hf` [n] bits, `singles` [s, 2] and
    /// `doubles` [d, 4] of wire indices (`[]` for none).
    pub(super) fn all_singles_doubles(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let n = call.wires.len();
        if n < 2 {
            self.error(Diagnostic::error(
                Code::E0403,
                "all_singles_doubles needs at least 2 wires",
                call.name.span,
                format!("placed on {n} wire{}", plural(n)),
            ));
            return;
        }
        let singles = self.excitation_list::<2>(bound.get("singles"), "singles", n);
        let doubles = self.excitation_list::<4>(bound.get("doubles"), "doubles", n);
        let hf = self.basis_bits(call, bound, "hf");
        let weights = self.template_array(call, bound, "weights", 1);
        let (Some(singles), Some(doubles), Some(hf), Some((weights, shape))) = (singles, doubles, hf, weights) else {
            return;
        };
        if singles.is_empty() && doubles.is_empty() {
            let span = bound.get("singles").map(|arg| arg.value.span).unwrap_or(call.name.span);
            self.error(
                Diagnostic::error(
                    Code::E0411,
                    "all_singles_doubles needs at least one excitation",
                    span,
                    "no singles and no doubles",
                )
                .with_help("list excitations as wire indices: `[[0, 2]]` for singles, `[[0, 1, 2, 3]]` for doubles"),
            );
            return;
        }
        let expected = singles.len() + doubles.len();
        if shape[0] != expected {
            let rule = format!("[{expected}] (one angle per single, then one per double)");
            self.shape_mismatch(call, bound, "weights", &rule, &shape);
            return;
        }
        self.emit_plain_gates(lower::all_singles_doubles(&weights, &hf, &singles, &doubles, &call.wires), call.span);
    }

    /// `singles` or `doubles`: a literal `[]`, or compile-time wire indices of shape [k, WIDTH],
    /// each entry's indices distinct and below `n`.
    fn excitation_list<const WIDTH: usize>(
        &mut self,
        arg: Option<&'ast ast::Arg>,
        what: &str,
        n: usize,
    ) -> Option<Vec<[usize; WIDTH]>> {
        let arg = arg?;
        if matches!(&arg.value.kind, ast::ExprKind::Array(items) if items.is_empty()) {
            return Some(Vec::new());
        }
        let value = self.evaluate(&arg.value, Ctx::Constant)?;
        let shape = value.shape();
        if shape.len() != 2 || shape[1] != WIDTH {
            self.error(
                Diagnostic::error(
                    Code::E0403,
                    format!(
                        "`{what}` is a list of excitations of {WIDTH} wire indices each: shape [k, {WIDTH}], found {}",
                        format_shape_full(&shape)
                    ),
                    arg.value.span,
                    format!("shape {}", format_shape_full(&shape)),
                )
                .with_help(if WIDTH == 2 {
                    "write `[[0, 2], [1, 3]]`, or `[]` for none"
                } else {
                    "write `[[0, 1, 2, 3]]`, or `[]` for none"
                }),
            );
            return None;
        }
        let elements = value.elements();
        let mut excitations = Vec::new();
        for (k, entry) in elements.chunks(WIDTH).enumerate() {
            let mut indices = [0usize; WIDTH];
            for (slot, element) in indices.iter_mut().zip(entry) {
                let index = element.constant().unwrap_or(f64::NAN);
                if index.fract() != 0.0 || index < 0.0 || index >= n as f64 {
                    self.error(
                        Diagnostic::error(
                            Code::E0411,
                            format!(
                                "`{what}` entry {k} names wire index {}, outside the template's {n} wire{}",
                                crate::ir::format_number(index),
                                plural(n)
                            ),
                            arg.value.span,
                            "not a wire index of the template",
                        )
                        .with_help(format!("excitations name the template's wires by position: 0 to {}", n - 1)),
                    );
                    return None;
                }
                *slot = index as usize;
            }
            if let Some(repeated) = indices.iter().enumerate().find(|(i, w)| indices[..*i].contains(w)).map(|(_, w)| *w)
            {
                self.error(Diagnostic::error(
                    Code::E0411,
                    format!("`{what}` entry {k} names wire index {repeated} twice"),
                    arg.value.span,
                    "an excitation on a repeated wire",
                ));
                return None;
            }
            excitations.push(indices);
        }
        Some(excitations)
    }

    /// PennyLane's BasisState: `x` on the wires whose bit is 1.
    pub(super) fn basis_state(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        if let Some(bits) = self.basis_bits(call, bound, "bits") {
            self.emit_plain_gates(lower::basis_embedding(&bits, &call.wires), call.span);
        }
    }

    /// PennyLane's MPS and TTN: the def `block` applied to each block's wires, with its slice of
    /// `weights` (`weights[b]`, shape = weights' shape without its first dimension) as its one argument.
    pub(super) fn tensor_network(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>) {
        let template = call.name.name.as_str();
        let n = call.wires.len();
        let block = self.block_def(template, bound);
        let Some(block_wires) = self.block_wires_arg(call, bound, n) else {
            return;
        };
        let blocks = if template == "mps" {
            let Some(offset) = self.offset_arg(bound, block_wires) else {
                return;
            };
            let blocks = lower::mps_blocks(n, block_wires, offset);
            if blocks.is_empty() {
                let span = bound.get("offset").map(|arg| arg.value.span).unwrap_or(call.name.span);
                self.error(Diagnostic::error(
                    Code::E0305,
                    format!("no block of {block_wires} wires fits {n} wires with offset {offset}"),
                    span,
                    "no blocks",
                ));
                return;
            }
            blocks
        } else {
            lower::ttn_blocks(n, block_wires)
        };
        let Some(arg) = bound.get("weights") else { return };
        let Some(value) = self.evaluate(&arg.value, Ctx::Angle) else { return };
        let Some((block_name, param, body)) = block else { return };
        let shape = value.shape();
        let n_blocks = blocks.len();
        if shape.first() != Some(&n_blocks) {
            let rule = format!("[{n_blocks}, …] (one row per block: {n_blocks} block{})", plural(n_blocks));
            self.shape_mismatch(call, bound, "weights", &rule, &shape);
            return;
        }
        let Some(param_shape) = self.def_param_shape(param) else { return };
        if param_shape != shape[1..] {
            let mut row = vec![n_blocks];
            row.extend(&param_shape);
            let mut diagnostic = Diagnostic::error(
                Code::E0403,
                format!(
                    "`{template}` gives `{block_name}` one row of `weights` per block, of shape {}, but `{}` is declared with shape {}",
                    format_shape_full(&shape[1..]),
                    param.name.name,
                    format_shape_full(&param_shape)
                ),
                arg.value.span,
                format!("shape {}", format_shape_full(&shape)),
            )
            .with_label(param.span, format!("`{}` declared with shape {}", param.name.name, format_shape_full(&param_shape)))
            .with_help(format!("`weights` of shape {} fits this block", format_shape_full(&row)));
            if let Some(origin) = self.declaration_of(&arg.value) {
                diagnostic = diagnostic.with_label(origin, "the argument's declaration");
            }
            self.error(diagnostic);
            return;
        }
        let elements = value.elements();
        let stride = elements.len() / n_blocks;
        let block_span = bound.get("block").map(|arg| arg.value.span).unwrap_or(call.name.span);
        for (b, indices) in blocks.iter().enumerate() {
            if self.too_large {
                return;
            }
            let row: Vec<IrExpr> = elements[b * stride..(b + 1) * stride].to_vec();
            let value = if param_shape.is_empty() {
                Value::Scalar(row.into_iter().next().unwrap_or(IrExpr::Const(0.0)))
            } else {
                Value::Array { shape: param_shape.clone(), elements: row }
            };
            if !self.spend_def_expansion(block_span) {
                return;
            }
            let bindings = HashMap::from([(param.name.name.clone(), Local { value })]);
            let map: Vec<u32> = indices.iter().map(|&i| call.wires[i].0).collect();
            self.call_sites.push((block_span, map.len()));
            self.expand_def(&block_name, bindings, map, body);
            self.call_sites.pop();
        }
    }

    /// The def named by `block`: its name, declaration, one parameter and body. E0410 when it is
    /// not a def, calls itself through the template, or does not take exactly one argument.
    fn block_def(
        &mut self,
        template: &str,
        bound: &BoundArgs<'ast>,
    ) -> Option<(String, &'ast ast::DefParam, &'ast ast::Block)> {
        let arg = bound.get("block")?;
        let name = bare_name(&arg.value);
        let symbol = name.and_then(|name| self.symbols.global(&name.name));
        let def =
            symbol.filter(|&id| self.symbols[id].kind == SymbolKind::Def).and_then(|id| self.defs.get(&id).copied());
        let Some((id, ast::ItemKind::Def { params, body, .. })) = symbol.zip(def) else {
            let defs: Vec<String> =
                self.symbols.iter().filter(|(_, s)| s.kind == SymbolKind::Def).map(|(_, s)| s.name.clone()).collect();
            let mut diagnostic = Diagnostic::error(
                Code::E0410,
                format!("`{template}`'s `block` is the name of a def"),
                arg.value.span,
                "not a def",
            );
            diagnostic = match name {
                Some(name) if symbol.is_some() => diagnostic.with_help(format!(
                    "`{}` is declared, but not as a def; a block is a def such as `def pair(w[2]) {{ … }}`",
                    name.name
                )),
                Some(name) => diagnostic
                    .with_closest(arg.value.span, &name.name, defs.iter().map(String::as_str))
                    .or_help(|| format!("declare it: `def {}(w[2]) {{ … }}`, a body on wires 0, 1, …", name.name)),
                None => diagnostic.with_help("write `def block(w[2]) { … }` and pass `block`"),
            };
            self.error(diagnostic);
            return None;
        };
        let declared = self.symbols[id].name_span;
        let def_name = self.symbols[id].name.clone();
        if self.def_stack.contains(&def_name) {
            self.error(
                Diagnostic::error(
                    Code::E0802,
                    format!("`{def_name}` applies itself through `{template}`"),
                    arg.value.span,
                    "recursive block",
                )
                .with_label(declared, "defined here"),
            );
            return None;
        }
        let [param] = params.as_slice() else {
            self.error(
                Diagnostic::error(
                    Code::E0410,
                    format!(
                        "a `{template}` block takes one argument, its row of `weights`; `{def_name}` takes {}",
                        params.len()
                    ),
                    arg.value.span,
                    format!("{} parameter{}", params.len(), plural(params.len())),
                )
                .with_label(declared, "defined here")
                .with_help(format!("declare it with one array parameter: `def {def_name}(w[2]) {{ … }}`")),
            );
            return None;
        };
        Some((def_name, param, body))
    }

    /// `n_block_wires = B`: an integer from 2 to n (even for `ttn`); 2 when left out.
    fn block_wires_arg(&mut self, call: &TemplateCall<'ast>, bound: &BoundArgs<'ast>, n: usize) -> Option<usize> {
        let template = call.name.name.as_str();
        let Some(arg) = bound.get("n_block_wires") else {
            if n < 2 {
                self.error(Diagnostic::error(
                    Code::E0305,
                    format!("`{template}` needs at least 2 wires for its blocks of 2"),
                    call.name.span,
                    format!("placed on {n} wire{}", plural(n)),
                ));
                return None;
            }
            return Some(2);
        };
        let value = self.constant_integer(&arg.value, "`n_block_wires`")?;
        let problem = if value < 2 {
            Some("a block has at least 2 wires".to_string())
        } else if value as u128 > n as u128 {
            Some(format!("a block cannot have more wires than the {n} the template is placed on"))
        } else if template == "ttn" && value % 2 != 0 {
            Some("a `ttn` block has an even number of wires".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(Diagnostic::error(
                Code::E0305,
                format!("`n_block_wires` is {value}: {problem}"),
                arg.value.span,
                "not a block size here",
            ));
            return None;
        }
        Some(value as usize)
    }

    /// `offset = k`: an integer from 1 to n_block_wires − 1; ⌊n_block_wires / 2⌋ when left out.
    fn offset_arg(&mut self, bound: &BoundArgs<'ast>, block_wires: usize) -> Option<usize> {
        let Some(arg) = bound.get("offset") else {
            return Some(block_wires / 2);
        };
        let value = self.constant_integer(&arg.value, "`offset`")?;
        if value < 1 || value as u128 >= block_wires as u128 {
            self.error(Diagnostic::error(
                Code::E0305,
                format!(
                    "`offset` must be from 1 to {} for blocks of {block_wires} wires, found {value}",
                    block_wires - 1
                ),
                arg.value.span,
                "out of range",
            ));
            return None;
        }
        Some(value as usize)
    }

    /// `rotations = [X, Y, Z]`: a list of distinct axes, as PennyLane's RX, RY and RZ.
    fn rotations_arg(&mut self, arg: Option<&'ast ast::Arg>) -> Option<Vec<GateKind>> {
        let Some(arg) = arg else {
            return Some(vec![GateKind::RX, GateKind::RY, GateKind::RZ]);
        };
        let items: Vec<&ast::Expr> = match &arg.value.kind {
            ast::ExprKind::Array(items) if !items.is_empty() => items.iter().collect(),
            _ => vec![&arg.value],
        };
        let mut rotations = Vec::new();
        for item in items {
            let rotation = match bare_name(item).map(|i| i.name.as_str()) {
                Some("X") => GateKind::RX,
                Some("Y") => GateKind::RY,
                Some("Z") => GateKind::RZ,
                _ => {
                    self.error(
                        Diagnostic::error(
                            Code::E0305,
                            "`rotations` lists the axes `X`, `Y` and `Z`",
                            item.span,
                            "not an axis",
                        )
                        .with_help("write `rotations = [X, Z]`"),
                    );
                    return None;
                }
            };
            if rotations.contains(&rotation) {
                self.error(Diagnostic::error(Code::E0305, "`rotations` lists an axis twice", item.span, "repeated"));
                return None;
            }
            rotations.push(rotation);
        }
        Some(rotations)
    }
}

/// QAOAEmbedding's weights rule on n wires, as an expected shape.
fn qaoa_weights_rule(n: usize) -> String {
    match n {
        1 => "[L, 1] (one wire)".to_string(),
        2 => "[L, 3] (two wires)".to_string(),
        _ => format!("[L, {}] (2 · n)", 2 * n),
    }
}
