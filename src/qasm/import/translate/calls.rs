//! Gate calls: finding the gate, checking its parameters and qubits, broadcasting over registers,
//! and writing it (with its modifiers as `ctrl` and `adj` blocks) in qmlc.

use super::*;

/// The most times `pow(k) @` repeats a gate (each repetition is written out).
const MAX_POWER: u64 = 10_000;
/// The most modifiers one gate call may have: each is a block nested in the last.
const MAX_MODIFIERS: usize = 32;

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The negation of a qmlc expression: `-x` for a name or number, `x` for `-x`, `-(…)` otherwise.
fn negate(expression: &str) -> String {
    let simple = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.'));
    match expression.strip_prefix('-') {
        Some(rest) if simple(rest) => rest.to_string(),
        _ if simple(expression) => format!("-{expression}"),
        _ => format!("-({expression})"),
    }
}

impl Translator<'_> {
    fn resolve_gate(&mut self, name: &Name) -> Option<Target> {
        if let Some(&index) = self.gate_index.get(&name.text) {
            return Some(Target::User(index));
        }
        if let Some(known) = gates::lookup(&name.text) {
            let in_library =
                gates::QELIB1.contains(&name.text.as_str()) || gates::STDGATES.contains(&name.text.as_str());
            if gates::is_builtin(&name.text, self.version) || (self.libraries && in_library) {
                return Some(Target::Builtin(known));
            }
            let library = if self.version == 2 { "qelib1.inc" } else { "stdgates.inc" };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::E1006,
                    format!("the gate `{}` is not defined", name.text),
                    name.span,
                    "not defined",
                )
                .with_help(format!(
                    "it is in the standard library: add `include \"{library}\";` at the top of the file"
                )),
            );
            return None;
        }
        let candidates: Vec<&str> = self
            .gate_index
            .keys()
            .map(String::as_str)
            .chain(gates::QELIB1.iter().copied())
            .chain(gates::STDGATES.iter().copied())
            .collect();
        self.diagnostics.push(
            Diagnostic::error(
                Code::E1006,
                format!("the gate `{}` is not defined", name.text),
                name.span,
                "unknown gate",
            )
            .with_closest(name.span, &name.text, candidates),
        );
        None
    }

    fn modifiers(&mut self, call: &GateCall, env: &Env) -> Option<Vec<Mod>> {
        let mut mods = Vec::new();
        let mut ok = true;
        if call.modifiers.len() > MAX_MODIFIERS {
            self.diagnostics.push(Diagnostic::error(
                Code::E1019,
                format!("this gate has {} modifiers; the importer takes at most {MAX_MODIFIERS}", call.modifiers.len()),
                call.span,
                "too many modifiers",
            ));
            return None;
        }
        for (modifier, span) in &call.modifiers {
            match modifier {
                Modifier::Inv => mods.push(Mod::Inv),
                Modifier::Pow(power) => match expr::evaluate(power, env, &mut self.diagnostics).map(Value::real) {
                    Some(value) if value.fract() == 0.0 && value.abs() <= MAX_POWER as f64 => {
                        mods.push(Mod::Pow(value as i64))
                    }
                    Some(value) => {
                        let (message, label) = if value.fract() == 0.0 {
                            (format!("`pow({value})` is out of range"), "too large a power")
                        } else {
                            (format!("`pow({value})` cannot be imported"), "not an integer power")
                        };
                        self.diagnostics.push(
                            Diagnostic::error(Code::E1018, message, *span, label)
                                .with_help(format!("the importer takes whole powers from -{MAX_POWER} to {MAX_POWER}, written out as repetitions")),
                        );
                        ok = false;
                    }
                    None => ok = false,
                },
                Modifier::Ctrl(count) | Modifier::NegCtrl(count) => {
                    let negated = matches!(modifier, Modifier::NegCtrl(_));
                    let value = match count {
                        Some(count) => expr::evaluate(count, env, &mut self.diagnostics).map(Value::real),
                        None => Some(1.0),
                    };
                    match value {
                        Some(value) if value.fract() == 0.0 && (1.0..=MAX_QUBITS as f64).contains(&value) => {
                            mods.push(Mod::Ctrl { count: value as usize, negated })
                        }
                        Some(value) => {
                            self.diagnostics.push(Diagnostic::error(
                                Code::E1018,
                                format!("a control count must be a positive integer, found {value}"),
                                *span,
                                "bad control count",
                            ));
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
            }
        }
        ok.then_some(mods)
    }

    pub(super) fn call(&mut self, call: &GateCall, env: &Env, scope: &mut Scope<'_>, out: &mut Vec<String>) {
        if self.over_limit {
            return;
        }
        // Each part is checked even when another is wrong, so that one pass reports them all.
        let target = self.resolve_gate(&call.name);
        let mods = self.modifiers(call, env);
        let args: Vec<Option<String>> =
            call.args.iter().map(|arg| expr::translate(arg, env, &mut self.diagnostics)).collect();
        let args = args.into_iter().collect::<Option<Vec<String>>>();
        let mut resolved = Vec::new();
        for operand in &call.operands {
            let wires = match scope {
                Scope::Top => self.top_operand(operand, env),
                Scope::Gate { qubits, .. } => self.gate_operand(operand, qubits),
            };
            resolved.push((wires, operand.span));
        }
        let resolved = resolved
            .into_iter()
            .map(|(wires, span)| wires.map(|(wires, broadcast)| (wires, broadcast, span)))
            .collect::<Option<Vec<(Vec<usize>, bool, Span)>>>();
        let (Some(target), Some(mods), Some(args), Some(resolved)) = (target, mods, args, resolved) else { return };
        let (n_params, n_qubits) = match target {
            Target::User(index) => (self.gates[index].n_params, self.gates[index].n_qubits),
            Target::Builtin(known) => (known.n_params, known.n_qubits),
        };
        if call.args.len() != n_params {
            self.diagnostics.push(Diagnostic::error(
                Code::E1008,
                format!(
                    "the gate `{}` takes {n_params} parameter{}, given {}",
                    call.name.text,
                    if n_params == 1 { "" } else { "s" },
                    call.args.len()
                ),
                call.span,
                "wrong number of parameters",
            ));
            return;
        }
        let n_controls: usize =
            mods.iter().map(|modifier| if let Mod::Ctrl { count, .. } = modifier { *count } else { 0 }).sum();
        if call.operands.len() != n_controls + n_qubits {
            let controls = if n_controls > 0 {
                format!(" and {n_controls} control{}", if n_controls == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            self.diagnostics.push(Diagnostic::error(
                Code::E1008,
                format!(
                    "the gate `{}` takes {n_qubits} qubit{}{controls}, given {}",
                    call.name.text,
                    if n_qubits == 1 { "" } else { "s" },
                    call.operands.len()
                ),
                call.span,
                "wrong number of qubits",
            ));
            return;
        }
        let sizes: Vec<usize> =
            resolved.iter().filter(|(_, broadcast, _)| *broadcast).map(|(wires, ..)| wires.len()).collect();
        let n_applications = sizes.first().copied().unwrap_or(1);
        if sizes.iter().any(|&size| size != n_applications) {
            let mut diagnostic = Diagnostic::error(
                Code::E1010,
                "registers of different sizes cannot be broadcast together",
                call.span,
                "one gate per qubit of equal-sized registers",
            );
            for (wires, broadcast, span) in &resolved {
                if *broadcast {
                    diagnostic = diagnostic.with_label(*span, format!("{} qubits", wires.len()));
                }
            }
            self.diagnostics.push(diagnostic);
            return;
        }
        let base = match target {
            Target::User(index) => {
                match scope {
                    Scope::Top => self.gates[index].used = true,
                    Scope::Gate { callees, .. } => callees.push(index),
                }
                Base::User(index)
            }
            Target::Builtin(known) => Base::Builtin(known.builtin),
        };
        for application in 0..n_applications {
            let wires: Vec<usize> = resolved
                .iter()
                .map(|(wires, broadcast, _)| if *broadcast { wires[application] } else { wires[0] })
                .collect();
            if let Some(repeated) = wires.iter().enumerate().find(|(i, wire)| wires[..*i].contains(wire)) {
                let position = repeated.0;
                let first = wires.iter().position(|wire| wire == repeated.1).unwrap_or(0);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E1010,
                        "a gate cannot act on the same qubit twice",
                        resolved[position].2,
                        "the same qubit again",
                    )
                    .with_label(resolved[first].2, "first here"),
                );
                return;
            }
            if matches!(scope, Scope::Top) {
                self.check_measured(&wires, call.span);
            }
            self.emit(out, &mods, base, &args, &wires, call.span);
            if self.over_limit {
                return;
            }
        }
    }

    /// Reports a measurement of one of `wires` made before this call: a mid-circuit measurement.
    fn check_measured(&mut self, wires: &[usize], span: Span) {
        for wire in wires {
            let Some(&index) = self.measured.get(wire) else { continue };
            let measurement = &mut self.measurements[index];
            if measurement.mid_circuit {
                continue;
            }
            measurement.mid_circuit = true;
            let measured_at = measurement.span;
            self.diagnostics.push(
                Diagnostic::error(
                    Code::E1011,
                    "a measurement in the middle of the circuit cannot be imported",
                    measured_at,
                    "measured here",
                )
                .with_label(span, "and acted on afterwards")
                .with_help("qmlc measures at the end of the circuit only"),
            );
        }
    }

    fn gate_operand(&mut self, operand: &Operand, qubits: &[Name]) -> Option<(Vec<usize>, bool)> {
        let position = qubits.iter().position(|qubit| qubit.text == operand.name.text);
        match (position, &operand.index) {
            (Some(position), None) => Some((vec![position], false)),
            (Some(_), Some(_)) => {
                self.diagnostics.push(Diagnostic::error(
                    Code::E1002,
                    "a gate's qubits are single qubits and take no index",
                    operand.span,
                    "indexed",
                ));
                None
            }
            (None, _) => {
                let candidates: Vec<&str> = qubits.iter().map(|qubit| qubit.text.as_str()).collect();
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E1006,
                        format!("`{}` is not a qubit of this gate", operand.name.text),
                        operand.name.span,
                        "not one of the gate's qubits",
                    )
                    .with_closest(operand.name.span, &operand.name.text, candidates),
                );
                None
            }
        }
    }

    /// Writes one application of a (modified) gate.
    fn emit(&mut self, out: &mut Vec<String>, mods: &[Mod], base: Base, args: &[String], wires: &[usize], span: Span) {
        if self.over_limit {
            return;
        }
        match mods.split_first() {
            None => {
                let lines = self.base_lines(base, args, wires);
                let cost = match base {
                    Base::User(index) if self.gates[index].table.is_none() => self.gates[index].cost,
                    _ => Cost { operations: lines.len(), expansions: 0 },
                };
                if !self.spend(cost, lines.len(), span) {
                    return;
                }
                out.extend(lines);
            }
            Some((Mod::Ctrl { count, negated }, rest)) => {
                let (controls, targets) = wires.split_at((*count).min(wires.len()));
                let flips = 2 * controls.len();
                if *negated && !self.spend(Cost { operations: flips, expansions: 0 }, flips, span) {
                    return;
                }
                if *negated {
                    out.extend(controls.iter().map(|wire| format!("x {wire}")));
                }
                // A controlled global phase has no targets: `ctrl(c) { global_phase(φ) }` puts the
                // phase where every control is |1⟩.
                out.push(format!("ctrl({}) {{", join(controls)));
                self.emit(out, rest, base, args, targets, span);
                out.push("}".to_string());
                if *negated {
                    out.extend(controls.iter().map(|wire| format!("x {wire}")));
                }
            }
            Some((Mod::Inv, rest)) => {
                out.push("adj {".to_string());
                self.emit(out, rest, base, args, wires, span);
                out.push("}".to_string());
            }
            Some((Mod::Pow(power), rest)) => {
                if *power < 0 {
                    out.push("adj {".to_string());
                }
                for _ in 0..power.unsigned_abs() {
                    self.emit(out, rest, base, args, wires, span);
                }
                if *power < 0 {
                    out.push("}".to_string());
                }
            }
        }
    }

    /// Counts `cost` (and the `lines` written for it) against qmlc's limits; reports the limit at
    /// `span` and returns false once it is passed.
    fn spend(&mut self, cost: Cost, lines: usize, span: Span) -> bool {
        self.cost.operations = self.cost.operations.saturating_add(cost.operations);
        self.cost.expansions = self.cost.expansions.saturating_add(cost.expansions);
        let message = if let Some(body_lines) = &mut self.body_lines {
            *body_lines = body_lines.saturating_add(lines);
            if *body_lines <= MAX_OPERATIONS {
                return true;
            }
            format!("this gate's definition unrolls to more than {MAX_OPERATIONS} operations")
        } else if self.cost.operations > MAX_OPERATIONS {
            format!("the program unrolls to more than {MAX_OPERATIONS} operations")
        } else if self.cost.expansions > MAX_EXPANSIONS {
            format!("the program applies gate definitions more than {MAX_EXPANSIONS} times")
        } else {
            return true;
        };
        if !self.over_limit {
            self.over_limit = true;
            self.diagnostics.push(
                Diagnostic::error(Code::E1019, message, self.first_line(span), "the limit is passed here")
                    .with_note("each application of a gate definition counts what its body unrolls to"),
            );
        }
        false
    }

    /// The qmlc lines of one gate without modifiers.
    fn base_lines(&self, base: Base, args: &[String], wires: &[usize]) -> Vec<String> {
        let angles = if args.is_empty() { String::new() } else { format!("({})", args.join(", ")) };
        let on = join(wires);
        // A gate on no wires (a global phase) is written on the first wire of its scope.
        let first = wires.first().copied().unwrap_or(0);
        let arg = |slot: usize| args.get(slot).cloned().unwrap_or_default();
        match base {
            Base::User(index) => match self.gates[index].table {
                // Export's definition of a row: the row's gate itself; a hidden inverse (`sxdg`,
                // `u2dg`) as `adj` of the gate it inverts, whose inverse it is with these angles.
                Some(row) if row.surface => vec![format!("{}{angles} {on}", row.name)],
                Some(row) => {
                    let inverse = row.inverse;
                    let negated: Vec<String> = inverse.angle_slots.iter().map(|&slot| negate(&arg(slot))).collect();
                    let inverse_angles =
                        if negated.is_empty() { String::new() } else { format!("({})", negated.join(", ")) };
                    vec![format!("adj {{ {}{inverse_angles} {on} }}", inverse.kind.info().name)]
                }
                None => vec![format!("{}({}) {on}", self.gates[index].qml_name, args.join(", "))],
            },
            Base::Builtin(Builtin::Table(row)) if wires.is_empty() => vec![format!("{}{angles}", row.name)],
            Base::Builtin(Builtin::Table(row)) => vec![format!("{}{angles} {on}", row.name)],
            Base::Builtin(Builtin::Sequence(sequence)) => {
                let wire = |slot: usize| wires.get(slot).copied().unwrap_or(0);
                let lines: Vec<String> = match sequence {
                    Sequence::SxDg => vec![format!("adj {{ sx {first} }}")],
                    Sequence::Csx => vec![format!("ctrl({}) {{ sx {} }}", wire(0), wire(1))],
                    Sequence::Cu3 => vec![format!("ctrl({}) {{ u3{angles} {} }}", wire(0), wire(1))],
                    Sequence::Cu => vec![
                        format!("phase({}) {}", arg(3), wire(0)),
                        format!("ctrl({}) {{ u3({}, {}, {}) {} }}", wire(0), arg(0), arg(1), arg(2), wire(1)),
                    ],
                    Sequence::U0 => vec![format!("id {first}")],
                    Sequence::MultiControlledX => vec![format!("multi_controlled_x {on}")],
                    Sequence::C3SqrtX => {
                        vec![format!("ctrl({}, {}, {}) {{ sx {} }}", wire(0), wire(1), wire(2), wire(3))]
                    }
                    Sequence::Rccx => {
                        let (a, b, c) = (wire(0), wire(1), wire(2));
                        [
                            format!("h {c}"),
                            format!("t {c}"),
                            format!("cnot {b}, {c}"),
                            format!("tdg {c}"),
                            format!("cnot {a}, {c}"),
                            format!("t {c}"),
                            format!("cnot {b}, {c}"),
                            format!("tdg {c}"),
                            format!("h {c}"),
                        ]
                        .into()
                    }
                    Sequence::Rc3x => {
                        let (a, b, c, d) = (wire(0), wire(1), wire(2), wire(3));
                        [
                            format!("h {d}"),
                            format!("t {d}"),
                            format!("cnot {c}, {d}"),
                            format!("tdg {d}"),
                            format!("h {d}"),
                            format!("cnot {a}, {d}"),
                            format!("t {d}"),
                            format!("cnot {b}, {d}"),
                            format!("tdg {d}"),
                            format!("cnot {a}, {d}"),
                            format!("t {d}"),
                            format!("cnot {b}, {d}"),
                            format!("tdg {d}"),
                            format!("h {d}"),
                            format!("t {d}"),
                            format!("cnot {c}, {d}"),
                            format!("tdg {d}"),
                            format!("h {d}"),
                        ]
                        .into()
                    }
                    // OpenQASM's `gphase(γ)` is e^{iγ}; qmlc's `global_phase(φ)` is e^{−iφ}, on no wires.
                    Sequence::GlobalPhase => vec![format!("global_phase({})", negate(&arg(0)))],
                };
                lines
            }
        }
    }
}
