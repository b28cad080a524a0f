//! Elaborating circuit bodies: gates, templates, def calls, loops, `adj` and `ctrl`, emitting IR as it goes.

use super::builtins;
use super::declarations::format_shape_full;
use super::expr::{Ctx, Value};
use super::{names, Checker, SymbolId, SymbolKind};
use crate::ast::{self, ExprKind, StmtKind, Wires};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Expr as IrExpr, GateKind, Wire};
use crate::lower;
use crate::source::Span;
use std::collections::HashMap;

impl<'ast> Checker<'ast> {
    pub(super) fn elaborate_block(&mut self, block: &'ast ast::Block) {
        for statement in &block.stmts {
            if self.too_large {
                return;
            }
            self.elaborate_stmt(statement);
        }
    }

    fn elaborate_stmt(&mut self, statement: &'ast ast::Stmt) {
        match &statement.kind {
            StmtKind::Error => {}
            StmtKind::BareBlock(body) => {
                self.error(
                    Diagnostic::error(
                        Code::E0117,
                        "a block needs `for`, `adj` or `ctrl` in front of it",
                        Span::new(body.span.start as usize, body.span.start as usize + 1),
                        "a block on its own",
                    )
                    .with_help("write the statements without braces, or say what the block is for"),
                );
                self.elaborate_block(body);
            }
            StmtKind::Apply { name, args, wires } => self.elaborate_apply(statement.span, name, args.as_ref(), wires),
            StmtKind::For { var, start, end, body } => {
                self.unroll(var, start, end, |checker| checker.elaborate_block(body));
            }
            StmtKind::Adj { body, .. } => {
                let outer_ops = std::mem::take(&mut self.ops);
                let outer_adjoint = std::mem::replace(&mut self.in_adjoint, true);
                self.elaborate_block(body);
                self.in_adjoint = outer_adjoint;
                let inner_ops = std::mem::replace(&mut self.ops, outer_ops);
                self.ops.extend(inner_ops.into_iter().rev().map(lower::invert));
            }
            StmtKind::Ctrl { keyword, controls, body } => {
                let mut control_wires: Vec<(Wire, Span)> = Vec::new();
                let mut failed = false;
                for control in controls {
                    match self.resolve_wire(control) {
                        Some(wire) => control_wires.push((wire, control.span)),
                        None => failed = true,
                    }
                }
                if failed || !self.check_distinct(&control_wires) {
                    return;
                }
                for &(wire, span) in &control_wires {
                    if self.controls.contains(&wire) {
                        self.error(Diagnostic::error(
                            Code::E0804,
                            format!("wire {} is already a control of an enclosing `ctrl`", wire.0),
                            span,
                            "controlled twice",
                        ));
                        return;
                    }
                }
                let _ = keyword;
                let depth = self.controls.len();
                self.controls.extend(control_wires.iter().map(|(w, _)| *w));
                self.elaborate_block(body);
                self.controls.truncate(depth);
            }
        }
    }

    /// Runs `body` once per value of a `for` loop's variable, each time in a scope binding it.
    /// An empty range is a warning; unrolling stops once the circuit is too large.
    pub(super) fn unroll(
        &mut self,
        var: &'ast ast::Ident,
        start: &'ast ast::Expr,
        end: &'ast ast::Expr,
        mut body: impl FnMut(&mut Self),
    ) {
        let Some((from, to)) = self.constant_range(start, end, "a loop bound") else { return };
        if from >= to {
            self.error(Diagnostic::warning(
                Code::W0005,
                format!("this loop never runs: {from}..{to} is empty"),
                start.span.to(end.span),
                "empty range",
            ));
            return;
        }
        // Without a register nothing but names and shapes can be checked, and one iteration
        // checks those as well as all of them would.
        let to = if self.register_unusable { from + 1 } else { to };
        // The iterations are counted before the loop runs, so a loop whose body emits nothing
        // (or only nested loops) cannot run for ever.
        let iterations = (to as i128 - from as i128) as u128;
        if !self.spend_loop_iterations(iterations, start.span.to(end.span)) {
            return;
        }
        for value in from..to {
            if self.too_large {
                return;
            }
            let errors_before = self.error_count();
            self.push_scope();
            self.bind_local(&var.name, Value::Scalar(IrExpr::Const(value as f64)));
            body(self);
            self.pop_scope();
            // A mistake in a loop body usually repeats in every later iteration; one report of it
            // is enough, and stopping keeps a long loop from burying the file in copies.
            if self.error_count() > errors_before {
                return;
            }
        }
    }

    /// A half-open range of compile-time integers, as in `for i in A..B`.
    pub(super) fn constant_range(
        &mut self,
        start: &'ast ast::Expr,
        end: &'ast ast::Expr,
        what: &str,
    ) -> Option<(i64, i64)> {
        let from = self.constant_integer(start, what);
        let to = self.constant_integer(end, what);
        Some((from?, to?))
    }

    fn elaborate_apply(
        &mut self,
        span: Span,
        name: &'ast ast::Ident,
        args: Option<&'ast ast::ArgList>,
        wires: &'ast Wires,
    ) {
        if let Some(kind) = GateKind::from_name(&name.name) {
            self.apply_gate(span, name, kind, args, wires);
        } else if builtins::is_template(&name.name) {
            self.apply_template(span, name, args, wires);
        } else if let Some(symbol_id) = self.symbols.global(&name.name) {
            if self.symbols[symbol_id].kind == SymbolKind::Def {
                self.apply_def(span, name, symbol_id, args, wires);
            } else {
                let symbol = &self.symbols[symbol_id];
                let (kind, declared) = (symbol.kind, symbol.name_span);
                self.name_error(name.span, || names::not_a_gate(name, kind, declared));
            }
        } else {
            // Reported by the resolution pass, with the defs among its suggestions.
            self.name_error(name.span, || names::unknown_gate(name, &[]));
        }
    }

    fn apply_gate(
        &mut self,
        span: Span,
        name: &'ast ast::Ident,
        kind: GateKind,
        args: Option<&'ast ast::ArgList>,
        wires: &'ast Wires,
    ) {
        let n_angles = kind.n_angles();
        let mut given: &[ast::Arg] = args.map(|a| a.args.as_slice()).unwrap_or(&[]);
        let mut ok = true;
        // `pauli_rot`'s word is an argument after its angle, but not an angle.
        let mut word = None;
        if kind == GateKind::PauliRot {
            (given, word) = self.take_pauli_word(given, args.map(|a| a.span).unwrap_or(name.span));
            ok = word.is_some();
        }
        if given.len() != n_angles {
            let args_span = args.map(|a| a.span).unwrap_or(name.span);
            let mut diagnostic = Diagnostic::error(
                Code::E0301,
                format!(
                    "`{}` takes {n_angles} angle{}, but {} {} given",
                    name.name,
                    plural(n_angles),
                    given.len(),
                    if given.len() == 1 { "was" } else { "were" }
                ),
                args_span,
                format!("{} angle{}", given.len(), plural(given.len())),
            );
            if n_angles == 0 && matches!(wires, Wires::None) {
                diagnostic = diagnostic.with_help(format!(
                    "after a gate name `(` opens its angles; write the wires without parentheses: `{} 0`",
                    name.name
                ));
            } else if n_angles > 0 && given.is_empty() {
                diagnostic = diagnostic.with_help(format!(
                    "write the angle{} in parentheses: `{}({}) {}`",
                    plural(n_angles),
                    name.name,
                    vec!["θ"; n_angles].join(", "),
                    example_wires(kind)
                ));
            }
            self.error(diagnostic);
            ok = false;
        }
        let mut angles = Vec::with_capacity(n_angles);
        for arg in given {
            if let Some(arg_name) = &arg.name {
                self.error(Diagnostic::error(
                    Code::E0303,
                    format!("gate angles are positional; `{}` takes no `{}`", name.name, arg_name.name),
                    arg_name.span,
                    "a named argument",
                ));
                ok = false;
                continue;
            }
            match self.evaluate_scalar(&arg.value, Ctx::Angle) {
                Some(angle) => angles.push(angle),
                None => ok = false,
            }
        }
        let listed: &[ast::WireItem] = match wires {
            Wires::Listed(items) => items,
            // `global_phase` may leave its wires out: it acts the same on any.
            Wires::None if kind.min_wires() == 0 => &[],
            Wires::None => {
                let count = kind.n_wires().map(|k| format!("{k} wire{}", plural(k))).unwrap_or_else(|| {
                    if kind.min_wires() == 1 {
                        "one or more wires".into()
                    } else {
                        format!("{} or more wires", kind.min_wires())
                    }
                });
                self.error(
                    Diagnostic::error(Code::E0204, format!("`{}` needs {count}", name.name), span, "no wires given")
                        .with_help(format!("list the wires after the gate, e.g. `{}`", example_application(kind))),
                );
                return;
            }
            Wires::On(on_span, _) => {
                self.error(
                    Diagnostic::error(
                        Code::E0205,
                        format!("`{}` is a gate: its wires follow it without `on`", name.name),
                        *on_span,
                        "`on` is for templates",
                    )
                    .with_help(format!("write `{}`", example_application(kind))),
                );
                return;
            }
        };
        let Some(resolved) = self.resolve_wire_items(listed) else {
            return;
        };
        let count_ok = match kind.n_wires() {
            Some(expected) => resolved.len() == expected,
            None => resolved.len() >= kind.min_wires(),
        };
        if !count_ok {
            let expected = kind.min_wires();
            let wires_span =
                listed.first().map(|w| w.span()).unwrap_or(span).to(listed.last().map(|w| w.span()).unwrap_or(span));
            self.error(
                Diagnostic::error(
                    Code::E0203,
                    format!(
                        "`{}` acts on {}{expected} wire{}, but {} {} given",
                        name.name,
                        if kind.n_wires().is_none() { "at least " } else { "" },
                        plural(expected),
                        resolved.len(),
                        if resolved.len() == 1 { "was" } else { "were" }
                    ),
                    wires_span,
                    format!("{} wire{}", resolved.len(), plural(resolved.len())),
                )
                .with_help(format!("e.g. `{}`", example_application(kind))),
            );
            return;
        }
        if let Some(word) = &word {
            ok &= self.check_word_length(word, &resolved);
        }
        if !self.check_distinct(&resolved) || !ok {
            return;
        }
        let wires: Vec<Wire> = resolved.into_iter().map(|(w, _)| w).collect();
        if kind.info().expands {
            self.emit_expansion(kind, wires, angles, word.as_ref().map_or("", |word| word.word.as_str()), span);
        } else {
            self.emit_gate(kind, wires, angles, span);
        }
    }

    /// Appends a gate, adding the controls of enclosing `ctrl` blocks.
    pub(super) fn emit_gate(&mut self, kind: GateKind, wires: Vec<Wire>, angles: Vec<IrExpr>, span: Span) {
        if let Some(&clash) = wires.iter().find(|w| self.controls.contains(w)) {
            self.error(Diagnostic::error(
                Code::E0804,
                format!("wire {} is a control of the enclosing `ctrl` and cannot also be a target", clash.0),
                span,
                "acts on a control wire",
            ));
            return;
        }
        if !self.spend_operation(wires.len() + self.controls.len(), span) {
            return;
        }
        for wire in wires.iter().chain(self.controls.iter()) {
            if let Some(touched) = self.touched_wires.get_mut(wire.index()) {
                *touched = true;
            }
        }
        self.ops.push(ir::Op::Gate(ir::Gate {
            kind,
            wires,
            angles,
            controls: self.controls.clone(),
            span,
            template: self.template.clone(),
        }));
    }

    /// Resolves one wire expression to a register wire (through the def's wire map, if inside one).
    pub(super) fn resolve_wire(&mut self, expr: &'ast ast::Expr) -> Option<Wire> {
        let wire = self.constant_integer(expr, "a wire")?;
        self.map_wire(wire, expr.span)
    }

    fn map_wire(&mut self, wire: i64, span: Span) -> Option<Wire> {
        if let Some(map) = &self.wire_map {
            if wire < 0 || wire as usize >= map.len() {
                let n = map.len();
                let def_name = self.def_stack.last().cloned().unwrap_or_default();
                let mut diagnostic = Diagnostic::error(
                    Code::E0201,
                    format!("wire {wire} is out of range: `{def_name}` is applied to {n} wire{}", plural(n)),
                    span,
                    format!("valid wires here are 0..{n}"),
                );
                if let Some(&(call, _)) = self.call_sites.last() {
                    diagnostic =
                        diagnostic.with_label(call, format!("`{def_name}` applied here to {n} wire{}", plural(n)));
                }
                self.error(diagnostic);
                return None;
            }
            return Some(Wire(map[wire as usize]));
        }
        let Some(n_qubits) = self.n_qubits else {
            return (wire >= 0).then_some(Wire(wire.max(0) as u32));
        };
        if wire < 0 || wire as usize >= n_qubits {
            self.error(Diagnostic::error(
                Code::E0201,
                format!("wire {wire} is out of range for a register of {n_qubits} qubit{}", plural(n_qubits)),
                span,
                format!("valid wires are 0..{n_qubits}"),
            ));
            return None;
        }
        Some(Wire(wire as u32))
    }

    /// Resolves a wire list with ranges; each wire keeps the span it came from.
    pub(super) fn resolve_wire_items(&mut self, items: &'ast [ast::WireItem]) -> Option<Vec<(Wire, Span)>> {
        let mut resolved = Vec::new();
        let mut ok = true;
        for item in items {
            match item {
                ast::WireItem::Single(expr) => match self.resolve_wire(expr) {
                    Some(w) => resolved.push((w, expr.span)),
                    None => ok = false,
                },
                ast::WireItem::Range(start, end) => {
                    let Some((from, to)) = self.constant_range(start, end, "a wire") else {
                        ok = false;
                        continue;
                    };
                    if from >= to {
                        self.error(Diagnostic::error(
                            Code::E0206,
                            format!("the wire range {from}..{to} is empty"),
                            item.span(),
                            "no wires",
                        ));
                        ok = false;
                        continue;
                    }
                    for wire in from..to {
                        match self.map_wire(wire, item.span()) {
                            Some(w) => resolved.push((w, item.span())),
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                }
            }
        }
        ok.then_some(resolved)
    }

    /// Reports a wire listed twice, pointing at both places.
    pub(super) fn check_distinct(&mut self, wires: &[(Wire, Span)]) -> bool {
        // A map from wire to its first place keeps this linear for gates on many wires.
        let mut first_places: HashMap<Wire, Span> = HashMap::with_capacity(wires.len());
        for &(wire, span) in wires {
            if let Some(&first) = first_places.get(&wire) {
                self.error(
                    Diagnostic::error(
                        Code::E0202,
                        format!("wire {} is used twice in one operation", wire.0),
                        span,
                        "used again here",
                    )
                    .with_label(first, "first used here")
                    .with_help("the wires of one gate must be distinct"),
                );
                return false;
            }
            first_places.insert(wire, span);
        }
        true
    }

    /// The wires an application without `on` covers: the whole register, or the def's wires.
    fn default_wires(&self) -> Vec<Wire> {
        match &self.wire_map {
            Some(map) => map.iter().map(|&w| Wire(w)).collect(),
            None => (0..self.n_qubits.unwrap_or(1) as u32).map(Wire).collect(),
        }
    }

    fn apply_def(
        &mut self,
        span: Span,
        name: &'ast ast::Ident,
        symbol_id: SymbolId,
        args: Option<&'ast ast::ArgList>,
        wires: &'ast Wires,
    ) {
        let Some(ast::ItemKind::Def { params, body, .. }) = self.defs.get(&symbol_id).copied() else {
            return;
        };
        let declared = self.symbols[symbol_id].name_span;
        if self.def_stack.contains(&name.name) {
            self.error(
                Diagnostic::error(Code::E0802, format!("`{}` calls itself", name.name), name.span, "recursive call")
                    .with_label(declared, "defined here")
                    .with_help("a def expands in place, so it cannot call itself; use a `for` loop"),
            );
            return;
        }
        let given: &'ast [ast::Arg] = args.map(|a| a.args.as_slice()).unwrap_or(&[]);
        if given.len() != params.len() {
            let args_span = args.map(|a| a.span).unwrap_or(name.span);
            self.error(
                Diagnostic::error(
                    Code::E0302,
                    format!(
                        "`{}` takes {} argument{}, but {} {} given",
                        name.name,
                        params.len(),
                        plural(params.len()),
                        given.len(),
                        if given.len() == 1 { "was" } else { "were" }
                    ),
                    args_span,
                    format!("{} argument{}", given.len(), plural(given.len())),
                )
                .with_label(declared, "defined here"),
            );
            return;
        }
        let mut bindings: HashMap<String, super::Local> = HashMap::new();
        let mut ok = true;
        for (param, arg) in params.iter().zip(given) {
            if let Some(arg_name) = &arg.name {
                self.error(Diagnostic::error(
                    Code::E0303,
                    "def arguments are positional",
                    arg_name.span,
                    "a named argument",
                ));
                ok = false;
                continue;
            }
            let expected_shape = self.def_param_shape(param);
            let Some(value) = self.evaluate(&arg.value, Ctx::Angle) else {
                ok = false;
                continue;
            };
            let shape = value.shape();
            if let Some(expected_shape) = expected_shape {
                if shape != expected_shape {
                    let mut diagnostic = Diagnostic::error(
                        Code::E0404,
                        format!(
                            "`{}` expects `{}` of shape {}, but this argument has shape {}",
                            name.name,
                            param.name.name,
                            format_shape_full(&expected_shape),
                            format_shape_full(&shape)
                        ),
                        arg.span,
                        format!("shape {}", format_shape_full(&shape)),
                    )
                    .with_label(
                        param.span,
                        format!("`{}` declared with shape {}", param.name.name, format_shape_full(&expected_shape)),
                    );
                    if let Some(origin) = self.declaration_of(&arg.value) {
                        diagnostic = diagnostic.with_label(origin, "the argument's declaration");
                    }
                    self.error(diagnostic);
                    ok = false;
                    continue;
                }
            } else {
                ok = false;
                continue;
            }
            bindings.insert(param.name.name.clone(), super::Local { value });
        }
        let listed = match wires {
            Wires::Listed(items) => items,
            Wires::None => {
                self.error(
                    Diagnostic::error(
                        Code::E0204,
                        format!("`{}` needs the wires to apply it to", name.name),
                        span,
                        "no wires given",
                    )
                    .with_help(format!("list them after the call, e.g. `{}(…) 0, 1`", name.name)),
                );
                return;
            }
            Wires::On(on_span, _) => {
                self.error(
                    Diagnostic::error(
                        Code::E0205,
                        format!("`{}` is a def: its wires follow it without `on`", name.name),
                        *on_span,
                        "`on` is for templates",
                    )
                    .with_help(format!("write `{}(…) 0, 1`", name.name)),
                );
                return;
            }
        };
        let Some(resolved) = self.resolve_wire_items(listed) else {
            return;
        };
        if !self.check_distinct(&resolved) || !ok {
            return;
        }
        if !self.spend_def_expansion(span) {
            return;
        }
        let map: Vec<u32> = resolved.iter().map(|(w, _)| w.0).collect();
        self.call_sites.push((name.span, map.len()));
        self.expand_def(&name.name, bindings, map, body);
        self.call_sites.pop();
    }

    /// Elaborates a def body with its arguments bound and its wires mapped.
    pub(super) fn expand_def(
        &mut self,
        name: &str,
        bindings: HashMap<String, super::Local>,
        map: Vec<u32>,
        body: &'ast ast::Block,
    ) {
        let outer_scopes = std::mem::replace(&mut self.scopes, vec![bindings]);
        let outer_map = self.wire_map.replace(map);
        self.def_stack.push(name.to_string());
        self.elaborate_block(body);
        self.def_stack.pop();
        self.wire_map = outer_map;
        self.scopes = outer_scopes;
    }

    /// The declared shape of a def parameter (a scalar when none is written); `None` if it is invalid.
    pub(super) fn def_param_shape(&mut self, param: &'ast ast::DefParam) -> Option<Vec<usize>> {
        let Some(dims) = &param.shape else { return Some(Vec::new()) };
        self.dimensions(dims).into_iter().collect()
    }

    fn apply_template(
        &mut self,
        span: Span,
        name: &'ast ast::Ident,
        args: Option<&'ast ast::ArgList>,
        wires: &'ast Wires,
    ) {
        let wires: Vec<Wire> = match wires {
            // Without a register (or a def's wires) a template placed on "all wires" has no wires
            // to check its shapes against; any report would be wrong.
            Wires::None if self.register_unusable && self.wire_map.is_none() => return,
            Wires::None => self.default_wires(),
            Wires::On(_, items) => {
                let Some(resolved) = self.resolve_wire_items(items) else {
                    return;
                };
                if !self.check_distinct(&resolved) {
                    return;
                }
                resolved.into_iter().map(|(w, _)| w).collect()
            }
            Wires::Listed(items) => {
                let items_span = items[0].span().to(items[items.len() - 1].span());
                self.error(
                    Diagnostic::error(
                        Code::E0205,
                        format!("`{}` is a template: place it with `on`", name.name),
                        items_span,
                        "wires without `on`",
                    )
                    .with_help(format!("write `{}(…) on 0..2`, or leave the wires out to use all of them", name.name)),
                );
                return;
            }
        };
        // Every gate of the expansion records this application, so that a drawing can box it.
        self.template_applications += 1;
        let origin = ir::TemplateOrigin {
            name: name.name.clone(),
            wires: wires.clone(),
            application: self.template_applications,
        };
        let enclosing = self.template.replace(std::sync::Arc::new(origin));
        let call = super::templates::TemplateCall { name, span, args, wires };
        self.expand_template(call);
        self.template = enclosing;
    }

    /// Appends the gates a template expands to.
    pub(super) fn emit_plain_gates(&mut self, gates: Vec<lower::PlainGate>, span: Span) {
        // The whole expansion is measured against the limits first, so that a template too large
        // is reported once, on its call, rather than part-emitted.
        let n_controls = self.controls.len() as u128;
        let operands: u128 = gates.iter().map(|(_, wires, _)| wires.len() as u128 + n_controls).sum();
        if !self.expansion_fits(gates.len() as u128, operands, span) {
            return;
        }
        for (kind, wires, angles) in gates {
            if self.too_large {
                return;
            }
            self.emit_gate(kind, wires, angles, span);
        }
    }

    pub(super) fn emit_state_prep(&mut self, prep: ir::StatePrep, name_span: Span) {
        if self.in_adjoint || !self.controls.is_empty() {
            self.error(Diagnostic::error(
                Code::E0801,
                "amplitude_embedding cannot be inverted or controlled",
                name_span,
                if self.in_adjoint { "inside `adj`" } else { "inside `ctrl`" },
            ));
            return;
        }
        if let Some(wire) = prep.wires.iter().find(|w| self.touched_wires.get(w.index()).copied().unwrap_or(false)) {
            self.error(
                Diagnostic::error(
                    Code::E0801,
                    format!("amplitude_embedding prepares wire {}, which an earlier gate has already acted on", wire.0),
                    name_span,
                    "state preparation after gates",
                )
                .with_help("prepare the state before any gate acts on its wires"),
            );
            return;
        }
        if !self.spend_operation(prep.wires.len(), name_span) {
            return;
        }
        for wire in &prep.wires {
            if let Some(touched) = self.touched_wires.get_mut(wire.index()) {
                *touched = true;
            }
        }
        self.ops.push(ir::Op::StatePrep(prep));
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// As many example wires as the gate takes (one for a gate that takes any number): `0, 1, 2, 3`.
fn example_wires(kind: GateKind) -> String {
    (0..kind.min_wires()).map(|wire| wire.to_string()).collect::<Vec<_>>().join(", ")
}

fn example_application(kind: GateKind) -> String {
    let wires = example_wires(kind);
    let angles = match kind.n_angles() {
        0 => String::new(),
        1 => "(θ)".to_string(),
        _ => "(φ, θ, ω)".to_string(),
    };
    format!("{}{angles} {wires}", kind.name())
}

/// Whether an argument expression is a bare name, and which (for enum-like keyword values).
pub(super) fn bare_name(expr: &ast::Expr) -> Option<&ast::Ident> {
    match &expr.kind {
        ExprKind::Name(name) => Some(name),
        _ => None,
    }
}
