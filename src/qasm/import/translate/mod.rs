//! From the OpenQASM syntax tree to the lines of a qmlc program.
//!
//! Registers become wires in declaration order; `for` loops are unrolled, so every wire is a
//! number and every index is checked against its register here, with a span into the OpenQASM
//! file; `gate` definitions become `def`s (written only when something applies them); modifiers
//! become `ctrl` and `adj` blocks. Measurements that nothing acts on afterwards become the
//! program's `measure probs(…)`; everything classical is reported.

use super::ast::{GateCall, Index, LoopValues, Modifier, Name, Operand, Stmt};
use super::expr::{self, Env, Value};
use super::gates::{self, Builtin, Known, Sequence};
use super::names::Names;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use std::collections::HashMap;

/// The most qubits a qmlc program may have (`qubits N`, E0114).
const MAX_QUBITS: usize = 40;
/// The most gate lines an import writes, and the most loop iterations it unrolls: qmlc's own
/// limit on unrolled operations.
const MAX_OPERATIONS: usize = crate::check::MAX_OPS;
/// The most applications of gate definitions an import may write, counted through the
/// definitions that apply others: qmlc's own limit on def expansions.
const MAX_EXPANSIONS: usize = crate::check::MAX_DEF_EXPANSIONS;

/// A quantum register: its wires are `offset..offset + size`.
struct Register {
    name: String,
    offset: usize,
    size: usize,
    /// `qubit q;`: a single qubit, named without an index.
    scalar: bool,
    span: Span,
}

/// A `gate` definition, written as a def.
struct UserGate {
    qml_name: String,
    n_params: usize,
    n_qubits: usize,
    /// The def's text, `None` when its body had errors.
    text: Option<String>,
    /// The user gates its body applies.
    callees: Vec<usize>,
    /// What one application costs qmlc: the operations its body unrolls to and the def
    /// applications it expands, through the gates it applies (saturating).
    cost: Cost,
    used: bool,
    /// The gate-table row this definition is, when it is exactly the definition `qmlc export`
    /// writes for that row: its calls are written as that gate, and no def.
    table: Option<&'static crate::builtins::gates::GateInfo>,
}

/// What part of a program unrolls to, counted against qmlc's limits.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    operations: usize,
    expansions: usize,
}

/// One measurement statement and the wires it measured.
struct Measurement {
    span: Span,
    /// Set once an operation acts on one of its wires afterwards (reported as E1011).
    mid_circuit: bool,
}

/// What a gate call applies.
#[derive(Clone, Copy)]
enum Target {
    User(usize),
    Builtin(Known),
}

/// The gate at the heart of a (modified) call.
#[derive(Clone, Copy)]
enum Base {
    User(usize),
    Builtin(Builtin),
}

#[derive(Clone, Copy, Debug)]
enum Mod {
    Ctrl { count: usize, negated: bool },
    Inv,
    Pow(i64),
}

/// Where the statements being translated are: the program's top level, or a gate's body.
enum Scope<'s> {
    Top,
    Gate { qubits: &'s [Name], callees: &'s mut Vec<usize> },
}

pub struct Translator<'t> {
    text: &'t str,
    pub diagnostics: Vec<Diagnostic>,
    pub version: u32,
    libraries: bool,
    registers: Vec<Register>,
    /// Every declared name (registers, gates, inputs, consts) and where.
    declared: HashMap<String, Span>,
    gates: Vec<UserGate>,
    gate_index: HashMap<String, usize>,
    env: Env,
    names: Names,
    params: Vec<String>,
    circuit: Vec<String>,
    measurements: Vec<Measurement>,
    /// For each measured wire, the measurement that measured it first.
    measured: HashMap<usize, usize>,
    /// The measured wires, in the order they were first measured.
    measured_order: Vec<usize>,
    /// What the statements translated so far unroll to (a gate's body, while it is translated).
    cost: Cost,
    /// The loop iterations unrolled so far.
    iterations: usize,
    /// While a gate's body is translated, the lines it has written: a body is limited by what it
    /// writes, and its cost is counted only where the gate is applied, so an unused definition
    /// that would unroll too far is no error.
    body_lines: Option<usize>,
    over_limit: bool,
    /// The measurements of `pragma qmlc measure …` lines (as `qmlc export` writes them), in order.
    pub pragma_measurements: Vec<(String, Span)>,
}

impl<'t> Translator<'t> {
    pub fn new(text: &'t str, version: u32) -> Translator<'t> {
        Translator {
            text,
            diagnostics: Vec::new(),
            version,
            libraries: false,
            registers: Vec::new(),
            declared: HashMap::new(),
            gates: Vec::new(),
            gate_index: HashMap::new(),
            env: Env { openqasm3: version == 3, ..Env::default() },
            names: Names::default(),
            params: Vec::new(),
            circuit: Vec::new(),
            measurements: Vec::new(),
            measured: HashMap::new(),
            measured_order: Vec::new(),
            cost: Cost::default(),
            iterations: 0,
            body_lines: None,
            over_limit: false,
            pragma_measurements: Vec::new(),
        }
    }

    fn n_qubits(&self) -> usize {
        self.registers.iter().map(|register| register.size).sum()
    }

    fn declare(&mut self, name: &Name) -> bool {
        if let Some(&first) = self.declared.get(&name.text) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::E1007,
                    format!("`{}` is declared twice", name.text),
                    name.span,
                    "declared again here",
                )
                .with_label(first, "first declared here"),
            );
            return false;
        }
        self.declared.insert(name.text.clone(), name.span);
        true
    }

    fn renamed(&mut self, name: &Name, qml: &str, what: &str) {
        if qml != name.text {
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::W1002,
                    format!("{what} `{}` is called `{qml}` in the qmlc program", name.text),
                    name.span,
                    "renamed",
                )
                .with_note("qmlc reserves the name, cannot spell it, or another declaration took it"),
            );
        }
    }

    /// Translates the top-level statements in order.
    pub fn program(&mut self, statements: &[Stmt]) {
        let mut seen_statement = false;
        for statement in statements {
            match statement {
                Stmt::Version { major, span } => {
                    if seen_statement {
                        self.diagnostics.push(Diagnostic::error(
                            Code::E1004,
                            "the `OPENQASM` line must be the first statement",
                            *span,
                            "not first",
                        ));
                    }
                    if *major != 2 && *major != 3 {
                        self.diagnostics.push(
                            Diagnostic::error(Code::E1004, format!("OpenQASM {major} cannot be imported"), *span, "unknown version")
                                .with_help("the importer reads OpenQASM 2 and 3"),
                        );
                    }
                }
                Stmt::Include { path, span } => match path.as_str() {
                    "qelib1.inc" | "stdgates.inc" => self.libraries = true,
                    _ => self.diagnostics.push(
                        Diagnostic::error(Code::E1005, format!("`{path}` cannot be included"), *span, "not a library the importer knows")
                            .with_help("the importer knows `qelib1.inc` and `stdgates.inc`; copy the gate definitions of other files into this one"),
                    ),
                },
                Stmt::QuantumRegister { name, size, span } => self.quantum_register(name, size.as_ref(), *span),
                Stmt::ClassicalRegister { name, .. } => {
                    self.declare(name);
                }
                Stmt::Input { name, .. } => {
                    if self.declare(name) {
                        let qml = self.names.give(&name.text, false);
                        self.renamed(name, &qml, "the input");
                        self.env.symbols.insert(name.text.clone(), qml.clone());
                        self.params.push(qml);
                    }
                }
                Stmt::Const { name, integer, value, .. } => {
                    let value = expr::evaluate(value, &self.env, &mut self.diagnostics)
                        .and_then(|found| self.const_value(found, *integer, value.span));
                    if self.declare(name) {
                        if let Some(value) = value {
                            self.env.values.insert(name.text.clone(), value);
                        }
                    }
                }
                Stmt::Gate { name, params, qubits, body, span } => {
                    self.gate_definition(name, params, qubits, body, *span)
                }
                _ => {
                    let mut lines = Vec::new();
                    let env = self.env.clone();
                    self.body_statement(statement, &env, &mut Scope::Top, &mut lines);
                    self.circuit.extend(lines);
                }
            }
            seen_statement = true;
        }
        self.report_measurements();
    }

    /// A const's value as its type makes it: an `int` const truncates a real (`const int m = 2.7`
    /// is 2), a `float` one makes an integer real (`const float x = 7/2` is 3.0).
    fn const_value(&mut self, value: Value, integer: bool, span: Span) -> Option<Value> {
        match (value, integer) {
            (Value::Integer(whole), false) => Some(Value::Real(whole as f64)),
            (Value::Real(real), true) => {
                let truncated = real.trunc();
                if truncated.abs() < 9.2e18 {
                    Some(Value::Integer(truncated as i64))
                } else {
                    self.diagnostics.push(Diagnostic::error(
                        Code::E1017,
                        "this value is too large for an `int` const",
                        span,
                        "too large for a 64-bit integer",
                    ));
                    None
                }
            }
            (value, _) => Some(value),
        }
    }

    fn quantum_register(&mut self, name: &Name, size: Option<&super::ast::Expr>, span: Span) {
        let size_value = match size {
            None => Some(1),
            Some(size) => expr::evaluate_integer(size, &self.env, "a register's size", &mut self.diagnostics),
        };
        let Some(size_value) = size_value else { return };
        if !self.declare(name) {
            return;
        }
        if size_value < 1 {
            let at = size.map(|size| size.span).unwrap_or(span);
            self.diagnostics.push(Diagnostic::error(
                Code::E1009,
                format!("register `{}` has {size_value} qubits; a register needs at least one", name.text),
                at,
                "no qubits",
            ));
            return;
        }
        let total = self.n_qubits() as i64 + size_value;
        if total > MAX_QUBITS as i64 {
            self.diagnostics.push(Diagnostic::error(
                Code::E1019,
                format!("the program declares {total} qubits; qmlc simulates at most {MAX_QUBITS}"),
                span,
                "too many qubits",
            ));
            return;
        }
        let offset = self.n_qubits();
        self.registers.push(Register {
            name: name.text.clone(),
            offset,
            size: size_value as usize,
            scalar: size.is_none(),
            span,
        });
    }

    fn gate_definition(&mut self, name: &Name, params: &[Name], qubits: &[Name], body: &[Stmt], span: Span) {
        let source = self.text.get(span.range()).unwrap_or("");
        if let Some(row) = crate::qasm::export::row_of_definition(&name.text, source) {
            if self.declare(name) {
                self.gate_index.insert(name.text.clone(), self.gates.len());
                self.gates.push(UserGate {
                    qml_name: row.name.to_string(),
                    n_params: params.len(),
                    n_qubits: qubits.len(),
                    text: None,
                    callees: Vec::new(),
                    cost: Cost { operations: 1, expansions: 0 },
                    used: false,
                    table: Some(row),
                });
            }
            return;
        }
        let mut env = Env { values: self.env.values.clone(), symbols: HashMap::new(), openqasm3: self.env.openqasm3 };
        let mut local = Names::default();
        let mut ok = true;
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for formal in params.iter().chain(qubits) {
            if let Some(&first) = seen.get(formal.text.as_str()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E1007,
                        format!("`{}` is declared twice", formal.text),
                        formal.span,
                        "declared again here",
                    )
                    .with_label(first, "first declared here"),
                );
                ok = false;
            }
            seen.insert(&formal.text, formal.span);
        }
        let mut qml_params = Vec::new();
        for param in params {
            let qml = local.give(&param.text, false);
            env.values.remove(&param.text);
            env.symbols.insert(param.text.clone(), qml.clone());
            qml_params.push(qml);
        }
        if qubits.is_empty() {
            self.diagnostics.push(Diagnostic::error(
                Code::E1008,
                format!("gate `{}` acts on no qubits", name.text),
                name.span,
                "a gate needs qubits",
            ));
            ok = false;
        }
        let mut callees = Vec::new();
        let mut lines = Vec::new();
        let errors_before = self.error_count();
        // The body is counted on its own: a definition costs nothing until it is applied, and
        // then each application costs what its body does.
        let outside = std::mem::take(&mut self.cost);
        self.body_lines = Some(0);
        for statement in body {
            self.body_statement(statement, &env, &mut Scope::Gate { qubits, callees: &mut callees }, &mut lines);
        }
        self.body_lines = None;
        let body_cost = std::mem::replace(&mut self.cost, outside);
        let cost = Cost { operations: body_cost.operations, expansions: body_cost.expansions.saturating_add(1) };
        ok &= self.error_count() == errors_before;
        let qml_name = self.names.give(&name.text, true);
        if !self.declare(name) {
            return;
        }
        self.renamed(name, &qml_name, "the gate");
        let text = ok.then(|| {
            let mut text = format!("def {qml_name}({}) {{\n", qml_params.join(", "));
            for line in &lines {
                text.push_str(line);
                text.push('\n');
            }
            text.push_str("}\n");
            text
        });
        self.gate_index.insert(name.text.clone(), self.gates.len());
        self.gates.push(UserGate {
            qml_name,
            n_params: params.len(),
            n_qubits: qubits.len(),
            text,
            callees,
            cost,
            used: false,
            table: None,
        });
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Translates a statement that may appear in a circuit: at the top level, in a loop or in a
    /// gate's body.
    fn body_statement(&mut self, statement: &Stmt, env: &Env, scope: &mut Scope<'_>, out: &mut Vec<String>) {
        match statement {
            Stmt::Call(call) => self.call(call, env, scope, out),
            Stmt::Barrier { .. } => {}
            Stmt::Pragma { span } => {
                let line = self.text.get(span.range()).unwrap_or("");
                match (line.strip_prefix("pragma qmlc measure "), &scope) {
                    // `qmlc export` writes the model's measurements so; they are read back.
                    (Some(measurement), Scope::Top) => {
                        self.pragma_measurements.push((measurement.trim().to_string(), *span))
                    }
                    _ => self.diagnostics.push(Diagnostic::warning(
                        Code::W1003,
                        "this line is ignored",
                        *span,
                        "a pragma or annotation",
                    )),
                }
            }
            Stmt::Measure { operand, span } => match scope {
                Scope::Top => self.measure(operand, *span, env),
                Scope::Gate { .. } => self.diagnostics.push(Diagnostic::error(
                    Code::E1011,
                    "a measurement inside a gate definition cannot be imported",
                    *span,
                    "a measurement",
                )),
            },
            Stmt::For { variable, values, body, span } => self.for_loop(variable, values, body, *span, env, scope, out),
            Stmt::Unsupported { code, message, span } => {
                let diagnostic = Diagnostic::error(*code, message.clone(), *span, "not supported");
                let help = match code {
                    Code::E1013 => Some("the importer translates circuits without classical control"),
                    Code::E1012 => Some("qmlc circuits start in |0…0⟩ and cannot reset a qubit midway"),
                    _ => None,
                };
                self.diagnostics.push(match help {
                    Some(help) => diagnostic.with_help(help),
                    None => diagnostic,
                });
            }
            Stmt::Version { span, .. }
            | Stmt::Include { span, .. }
            | Stmt::QuantumRegister { span, .. }
            | Stmt::ClassicalRegister { span, .. }
            | Stmt::Input { span, .. }
            | Stmt::Const { span, .. }
            | Stmt::Gate { span, .. } => {
                let first_line = self.first_line(*span);
                self.diagnostics.push(Diagnostic::error(
                    Code::E1002,
                    "a declaration must be at the top level of the program",
                    first_line,
                    "inside a block",
                ));
            }
        }
    }

    /// The part of `span` on its first line.
    fn first_line(&self, span: Span) -> Span {
        let text = self.text.get(span.range()).unwrap_or("");
        let end = text.find('\n').map(|at| span.start as usize + at).unwrap_or(span.end as usize);
        Span::new(span.start as usize, end)
    }

    #[allow(clippy::too_many_arguments)]
    fn for_loop(
        &mut self,
        variable: &Name,
        values: &LoopValues,
        body: &[Stmt],
        span: Span,
        env: &Env,
        scope: &mut Scope<'_>,
        out: &mut Vec<String>,
    ) {
        let list: Vec<i64> = match values {
            LoopValues::Set(items) => {
                let values: Vec<Option<i64>> = items
                    .iter()
                    .map(|item| expr::evaluate_integer(item, env, "a loop value", &mut self.diagnostics))
                    .collect();
                let Some(values) = values.into_iter().collect::<Option<Vec<i64>>>() else { return };
                values
            }
            LoopValues::Range { start, step, end } => {
                let first = expr::evaluate_integer(start, env, "a loop bound", &mut self.diagnostics);
                let step_value = match step {
                    Some(step) => expr::evaluate_integer(step, env, "a loop step", &mut self.diagnostics),
                    None => Some(1),
                };
                let last = expr::evaluate_integer(end, env, "a loop bound", &mut self.diagnostics);
                let (Some(first), Some(step_value), Some(last)) = (first, step_value, last) else { return };
                if step_value == 0 {
                    let at = step.as_ref().map(|step| step.span).unwrap_or(span);
                    self.diagnostics.push(Diagnostic::error(Code::E1016, "a loop's step cannot be 0", at, "step 0"));
                    return;
                }
                // The end is included, as OpenQASM 3 says.
                let count = if (step_value > 0 && last < first) || (step_value < 0 && last > first) {
                    0
                } else {
                    ((last as i128 - first as i128) / step_value as i128 + 1) as u128
                };
                if count > MAX_OPERATIONS as u128 {
                    self.diagnostics.push(Diagnostic::error(
                        Code::E1019,
                        format!(
                            "this loop runs {count} times; the importer unrolls at most {MAX_OPERATIONS} operations"
                        ),
                        self.first_line(span),
                        "too many iterations",
                    ));
                    return;
                }
                (0..count as i64).map(|k| first + k * step_value).collect()
            }
        };
        let mut inner = env.clone();
        inner.symbols.remove(&variable.text);
        for value in list {
            if self.over_limit {
                return;
            }
            inner.values.insert(variable.text.clone(), Value::Integer(value));
            let errors_before = self.error_count();
            for statement in body {
                self.body_statement(statement, &inner, scope, out);
            }
            // One iteration's errors are the next one's too: report them once.
            if self.error_count() > errors_before {
                return;
            }
            // Iterations are counted apart from operations, so that loops whose bodies write
            // nothing cannot run for ever.
            self.iterations += 1;
            if self.iterations > MAX_OPERATIONS {
                self.limit(span, format!("the program's loops run more than {MAX_OPERATIONS} iterations"));
                return;
            }
        }
    }

    fn limit(&mut self, span: Span, message: String) {
        if !self.over_limit {
            self.over_limit = true;
            let first_line = self.first_line(span);
            self.diagnostics.push(Diagnostic::error(Code::E1019, message, first_line, "the limit is passed here"));
        }
    }

    fn measure(&mut self, operand: &Operand, span: Span, env: &Env) {
        let Some((wires, _)) = self.top_operand(operand, env) else { return };
        let index = self.measurements.len();
        self.measurements.push(Measurement { span, mid_circuit: false });
        for wire in wires {
            if let std::collections::hash_map::Entry::Vacant(entry) = self.measured.entry(wire) {
                entry.insert(index);
                self.measured_order.push(wire);
            }
        }
    }

    /// Warns about each final measurement (one that was not found to be mid-circuit).
    fn report_measurements(&mut self) {
        for measurement in &self.measurements {
            if !measurement.mid_circuit {
                self.diagnostics.push(
                    Diagnostic::warning(
                        Code::W1001,
                        "a final measurement is imported as part of the program's `measure probs(…)`",
                        measurement.span,
                        "measured at the end",
                    )
                    .with_note("qmlc measures once, after the circuit: the probabilities of the measured qubits"),
                );
            }
        }
    }

    /// The wires of an operand at the top level, and whether it names several (a register or a
    /// slice, which broadcasts).
    fn top_operand(&mut self, operand: &Operand, env: &Env) -> Option<(Vec<usize>, bool)> {
        let Some(position) = self.registers.iter().position(|register| register.name == operand.name.text) else {
            let message = if self.declared.contains_key(&operand.name.text) {
                format!("`{}` is not a quantum register", operand.name.text)
            } else {
                format!("`{}` is not declared", operand.name.text)
            };
            let candidates: Vec<&str> = self.registers.iter().map(|register| register.name.as_str()).collect();
            let diagnostic = Diagnostic::error(Code::E1006, message, operand.name.span, "not a quantum register")
                .with_closest(operand.name.span, &operand.name.text, candidates);
            self.diagnostics.push(diagnostic);
            return None;
        };
        let (offset, size, scalar, declared_at) = {
            let register = &self.registers[position];
            (register.offset, register.size, register.scalar, register.span)
        };
        let indices: Vec<i64> = match &operand.index {
            None => return Some(((offset..offset + size).collect(), !scalar)),
            Some(Index::Single(index)) => {
                let value = expr::evaluate_integer(index, env, "an index", &mut self.diagnostics)?;
                let wire = self.checked_index(operand, value, size, declared_at)?;
                return Some((vec![offset + wire], false));
            }
            Some(Index::Set(items)) => {
                let values: Vec<Option<i64>> = items
                    .iter()
                    .map(|item| expr::evaluate_integer(item, env, "an index", &mut self.diagnostics))
                    .collect();
                values.into_iter().collect::<Option<Vec<i64>>>()?
            }
            Some(Index::Range { start, step, end }) => {
                let mut bound = |expr: &Option<super::ast::Expr>, default: i64, what: &str| match expr {
                    Some(expr) => expr::evaluate_integer(expr, env, what, &mut self.diagnostics),
                    None => Some(default),
                };
                let step_value = bound(step, 1, "a slice's step")?;
                let default_start = if step_value < 0 { size as i64 - 1 } else { 0 };
                let default_end = if step_value < 0 { 0 } else { size as i64 - 1 };
                let first = bound(start, default_start, "a slice's start")?;
                let last = bound(end, default_end, "a slice's end")?;
                if step_value == 0 {
                    self.diagnostics.push(Diagnostic::error(
                        Code::E1016,
                        "a slice's step cannot be 0",
                        operand.span,
                        "step 0",
                    ));
                    return None;
                }
                let mut values = Vec::new();
                let mut value = first;
                while (step_value > 0 && value <= last) || (step_value < 0 && value >= last) {
                    values.push(value);
                    if values.len() > size.max(1) * 2 + 2 {
                        break;
                    }
                    value += step_value;
                }
                values
            }
        };
        let mut wires = Vec::new();
        for value in indices {
            wires.push(offset + self.checked_index(operand, value, size, declared_at)?);
        }
        Some((wires, true))
    }

    fn checked_index(&mut self, operand: &Operand, value: i64, size: usize, declared_at: Span) -> Option<usize> {
        // OpenQASM 3 counts negative indices from the end.
        let resolved = if value < 0 && self.version == 3 { value + size as i64 } else { value };
        if resolved >= 0 && (resolved as usize) < size {
            return Some(resolved as usize);
        }
        self.diagnostics.push(
            Diagnostic::error(
                Code::E1009,
                format!(
                    "index {value} is outside register `{}` of {size} qubit{}",
                    operand.name.text,
                    if size == 1 { "" } else { "s" }
                ),
                operand.span,
                "out of range",
            )
            .with_label(declared_at, "declared here"),
        );
        None
    }
}

mod calls;

impl Translator<'_> {
    /// The qmlc program, once every statement is translated without errors.
    pub fn finish(&mut self, source_name: &str) -> Option<String> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        if self.registers.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::E1009,
                    "the program declares no qubits",
                    Span::new(0, 0),
                    "no `qreg` or `qubit`",
                )
                .with_help("declare a register: `qreg q[2];` (OpenQASM 2) or `qubit[2] q;` (OpenQASM 3)"),
            );
            return None;
        }
        // The defs applied by the circuit, and the defs they apply, are written; others would
        // only be warned about as unused.
        let mut pending: Vec<usize> = (0..self.gates.len()).filter(|&index| self.gates[index].used).collect();
        while let Some(index) = pending.pop() {
            for callee in self.gates[index].callees.clone() {
                if !self.gates[callee].used {
                    self.gates[callee].used = true;
                    pending.push(callee);
                }
            }
        }
        let file_name = std::path::Path::new(source_name)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| source_name.to_string());
        let mut text = format!(
            "// Imported by `qmlc import` from {}, OpenQASM {}.\nqubits {}\n\n",
            file_name.replace(['\n', '\r'], " "),
            self.version,
            self.n_qubits()
        );
        if !self.registers.iter().all(|register| register.name == "q") || self.registers.len() > 1 {
            let layout: Vec<String> = self
                .registers
                .iter()
                .map(|register| match register.size {
                    1 => format!("{} = wire {}", register.name, register.offset),
                    size => format!("{} = wires {}..{}", register.name, register.offset, register.offset + size),
                })
                .collect();
            text.insert_str(text.len() - 1, &format!("// Registers: {}.\n", layout.join(", ")));
        }
        for param in &self.params {
            text.push_str(&format!("param {param}\n"));
        }
        if !self.params.is_empty() {
            text.push('\n');
        }
        for gate in self.gates.iter().filter(|gate| gate.used) {
            if let Some(definition) = &gate.text {
                text.push_str(definition);
                text.push('\n');
            }
        }
        text.push_str("circuit {\n");
        for line in &self.circuit {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("}\n\n");
        if self.measured_order.is_empty() && !self.pragma_measurements.is_empty() {
            let measurements: Vec<&str> = self.pragma_measurements.iter().map(|(text, _)| text.as_str()).collect();
            text.push_str(&format!("measure {}\n", measurements.join(", ")));
        } else if self.measured_order.is_empty() {
            text.push_str("measure state\n");
        } else {
            text.push_str(&format!("measure probs({})\n", join(&self.measured_order)));
        }
        Some(text)
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
