//! OpenQASM 3 out: a lowered circuit (templates expanded, loops unrolled, defs inlined) as an OpenQASM 3 program that Qiskit's importer reads.
//!
//! The program has the parts CLI.md names, in this order:
//! - `OPENQASM 3.0;`, `include "stdgates.inc";`, and comments saying which names were renamed and
//!   which parts of the model (head, encode layers, train blocks) are classical and left out;
//! - one `input float[64] NAME;` per input and param element that has no value (`NAME_i_j` for
//!   an element of an array, the name itself for a scalar);
//! - a `gate` definition, once and before its first use, for every gate that `stdgates.inc`
//!   lacks, from the gate table's `qasm_definition`;
//! - `qubit[n] q;` and the gates, in order, a `ctrl` block's wires as `ctrl(k) @`;
//! - one `pragma qmlc measure …` line per measurement, as the model writes it.
//!
//! The gate list is written as lowering leaves it, loops unrolled, because Qiskit's importer
//! rejects loop-variable indexing, `const` and function calls; angles keep to `+ - * /`, numbers,
//! `pi` and input names, except where the model itself applies a function to an input or param.
//! Numbers are printed so that they read back as the same `f64`.

mod expr;
mod names;
mod state_prep;
#[cfg(test)]
mod tests;

use crate::builtins::gates::QasmDefinition;
use crate::codes::Code;
use crate::ir::{Circuit, Expr, Gate, GateKind, Measurement, Op, StatePrep};
use crate::source::Span;
use names::Names;

/// The values that become numbers in the program; what has none stays an `input`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Values<'a> {
    /// Every param's value, flat in declaration order (`--params`).
    pub params: Option<&'a [f64]>,
    /// Every input's value, flat in declaration order (`--input`).
    pub inputs: Option<&'a [f64]>,
}

/// What OpenQASM 3 cannot say about a model, with the code and, where it helps, the operation.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportError {
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// The name of the one qubit register.
const REGISTER: &str = "q";

/// The model's circuit as an OpenQASM 3 program, or every error met writing it (each operation
/// that cannot be written, in order), so that one export names all the operations to change.
pub fn to_qasm3(circuit: &Circuit, values: &Values) -> Result<String, Vec<ExportError>> {
    let mut errors = check_bits(circuit, values);
    let definitions = Definitions::of(circuit);
    let names = Names::new(circuit, values, &definitions.names());
    let mut body = String::new();
    for op in &circuit.ops {
        let lines = match op {
            Op::Gate(gate) => gate_line(circuit, gate, values, &names, &definitions),
            Op::StatePrep(prep) => state_prep_lines(circuit, prep, values),
        };
        match lines {
            Ok(lines) => body.push_str(&lines),
            Err(op_errors) => errors.extend(op_errors),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut out = String::from("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n");
    out.push_str(
        "// Exported by qmlc: wire k is q[k]; qmlc reads wire 0 as the most significant bit of a basis state.\n",
    );
    for line in names.renaming_comments() {
        out.push_str(&format!("// {line}\n"));
    }
    for line in left_out(circuit) {
        out.push_str(&format!("// {line}\n"));
    }
    for name in names.declarations() {
        out.push_str(&format!("input float[64] {name};\n"));
    }
    for (_, text) in &definitions.used {
        out.push_str(text);
        out.push('\n');
    }
    out.push_str(&format!("qubit[{}] {REGISTER};\n", circuit.n_qubits));
    out.push_str(&body);
    for measurement in &circuit.measurements {
        out.push_str(&format!("pragma qmlc measure {}\n", measurement_text(measurement)));
    }
    Ok(out)
}

/// The bits of a `basis_embedding` of inputs must be 0 or 1 when the inputs are given, as `run`
/// requires: the gate that stands for a bit is only X or the identity for those values.
fn check_bits(circuit: &Circuit, values: &Values) -> Vec<ExportError> {
    let mut errors = Vec::new();
    let Some(inputs) = values.inputs else { return errors };
    for &index in &circuit.binary_inputs {
        let value = inputs.get(index).copied().unwrap_or(0.0);
        if value != 0.0 && value != 1.0 {
            let input_variables: Vec<&crate::ir::Variable> = circuit.inputs.iter().collect();
            let error =
                crate::sim::SimError::NotABit { input: crate::ir::element_name(&input_variables, index, ", "), value };
            errors.push(ExportError { code: error.code(), message: error.to_string(), span: None });
        }
    }
    errors
}

/// One comment line per classical part of the model that the program leaves out.
fn left_out(circuit: &Circuit) -> Vec<String> {
    let mut lines = Vec::new();
    if !circuit.encode.is_empty() {
        lines.push(
            "Not exported: the `encode` layers, which qmlc applies to a data row before it becomes the inputs."
                .to_string(),
        );
    }
    if !circuit.head.is_empty() {
        lines.push("Not exported: the `head` layers, which qmlc applies to the measured values.".to_string());
    }
    if !circuit.train.is_empty() {
        lines.push(format!("Not exported: {} train block(s).", circuit.train.len()));
    }
    lines
}

/// A measurement as the model writes it: `expval(Z(0) @ Z(1))`, `probs(0, 1)`, `state`.
fn measurement_text(measurement: &Measurement) -> String {
    match measurement {
        Measurement::Expval(_) | Measurement::Var(_) | Measurement::Sample(_) => {
            format!("{}({})", measurement.kind(), measurement.describe())
        }
        Measurement::Probs(_) | Measurement::State => measurement.describe(),
    }
}

/// The `gate` definitions the circuit needs, in order of first use.
struct Definitions {
    /// (kind, wire count) → the name the gate is called by; (the definition text) in `used`.
    used: Vec<((GateKind, usize), String)>,
}

impl Definitions {
    fn of(circuit: &Circuit) -> Definitions {
        let mut used: Vec<((GateKind, usize), String)> = Vec::new();
        for gate in circuit.gates() {
            let key = definition_key(gate);
            let Some(key) = key else { continue };
            if used.iter().any(|(seen, _)| *seen == key) {
                continue;
            }
            if let Some(text) = definition_text(key.0, key.1) {
                used.push((key, text));
            }
        }
        Definitions { used }
    }

    /// The names the definitions give their gates, which inputs must not take.
    fn names(&self) -> Vec<String> {
        self.used.iter().map(|((kind, n_wires), _)| definition_name(*kind, *n_wires)).collect()
    }
}

/// The key under which a gate's definition is kept: gates of a fixed wire count have one
/// definition, and gates on any number of wires one per count.
fn definition_key(gate: &Gate) -> Option<(GateKind, usize)> {
    let info = gate.kind.info();
    match info.qasm_definition {
        None | Some(QasmDefinition::Builtin(_)) => None,
        Some(QasmDefinition::Gate(_)) => Some((gate.kind, 0)),
        Some(QasmDefinition::OnWires(_)) => Some((gate.kind, gate.wires.len())),
    }
}

/// The gate-table row whose definition export writes as `text`, a `gate` statement named `name`:
/// the importer reads export's own definitions back as the gates they define, so a round trip
/// keeps the gate list. Whitespace is ignored; anything else must match exactly.
pub fn row_of_definition(name: &str, text: &str) -> Option<&'static crate::builtins::gates::GateInfo> {
    let squeeze = |text: &str| text.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let text = squeeze(text);
    crate::builtins::gates::GATES.iter().find(|info| {
        let n_wires = match info.qasm_definition {
            Some(QasmDefinition::Gate(_)) if name == info.name => 0,
            Some(QasmDefinition::OnWires(_)) => {
                match name.strip_prefix(info.name).and_then(|rest| rest.strip_prefix('_')) {
                    Some(count) => match count.parse::<usize>() {
                        Ok(count) if (info.min_wires..=MAX_DEFINITION_WIRES).contains(&count) => count,
                        _ => return false,
                    },
                    None => return false,
                }
            }
            _ => return false,
        };
        definition_text(info.kind, n_wires).is_some_and(|definition| squeeze(&definition) == text)
    })
}

/// The most wires a variable-width definition is recognised on when importing (a larger count is
/// imported as an ordinary def).
const MAX_DEFINITION_WIRES: usize = 64;

/// The definition text of a gate kind (on `n_wires` wires, for a gate on any number).
pub(crate) fn definition_text(kind: GateKind, n_wires: usize) -> Option<String> {
    match kind.info().qasm_definition? {
        QasmDefinition::Gate(text) => Some(text.to_string()),
        QasmDefinition::OnWires(generate) => Some(generate(n_wires)),
        QasmDefinition::Builtin(_) => None,
    }
}

/// The name a gate is called by: its stdgates.inc name, its definition's name (the gate's own,
/// with `_n` for a gate on any number of wires).
fn definition_name(kind: GateKind, n_wires: usize) -> String {
    let info = kind.info();
    match info.qasm_definition {
        Some(QasmDefinition::OnWires(_)) => format!("{}_{n_wires}", info.name),
        _ => info.name.to_string(),
    }
}

/// One gate as a statement: `ctrl(2) @ rx(theta_0) q[0], q[1], q[2];`.
fn gate_line(
    circuit: &Circuit,
    gate: &Gate,
    values: &Values,
    names: &Names,
    definitions: &Definitions,
) -> Result<String, Vec<ExportError>> {
    let info = gate.kind.info();
    let called = match (info.qasm_definition, info.qasm, definition_key(gate)) {
        (Some(QasmDefinition::Builtin(name)), _, _) | (_, Some(name), _) => name.to_string(),
        (_, None, Some(key)) if definitions.used.iter().any(|(seen, _)| *seen == key) => {
            definition_name(gate.kind, gate.wires.len())
        }
        _ => {
            // Every row has a stdgates name or a definition (a test checks it); a row without
            // either would be a mistake of the table, reported rather than written wrongly.
            return Err(vec![ExportError {
                code: Code::E1021,
                message: format!("`{}` has no OpenQASM 3 form", info.name),
                span: Some(gate.span),
            }]);
        }
    };
    // Each angle that cannot be written is an error of its own.
    let mut angles = Vec::new();
    let mut errors = Vec::new();
    for (slot, angle) in gate.angles.iter().enumerate() {
        let bound = expr::bind(angle, values);
        if let Some(value) = expr::non_finite_constant(&bound) {
            // `run` refuses such an angle (E0901), and `NaN` or `inf` is no OpenQASM 3 number.
            errors.push(non_finite(circuit, crate::sim::angle_name(gate, slot), value, angle, values, gate.span));
            continue;
        }
        match expr::qasm(&bound, names) {
            Ok(text) => angles.push(text),
            Err(function) => errors.push(ExportError {
                code: Code::E1021,
                message: format!(
                    "{} applies `{function}`, which OpenQASM 3 lacks, to an input or param without a value; \
                     give the values with --params and --input so the angle is a number",
                    crate::sim::angle_name(gate, slot)
                ),
                span: Some(gate.span),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if called == "gphase" {
        // `gphase` acts on no qubits: `global_phase(φ)` is `gphase(-φ)`, on its controls only.
        let modifier = match gate.controls.len() {
            0 => String::new(),
            1 => "ctrl @ ".to_string(),
            count => format!("ctrl({count}) @ "),
        };
        let controls: Vec<String> = gate.controls.iter().map(|wire| format!("{REGISTER}[{}]", wire.0)).collect();
        let separator = if controls.is_empty() { "" } else { " " };
        return Ok(format!("{modifier}gphase(-({})){separator}{};\n", angles[0], controls.join(", ")));
    }
    let modifier = match gate.controls.len() {
        0 => String::new(),
        1 => "ctrl @ ".to_string(),
        count => format!("ctrl({count}) @ "),
    };
    let arguments = if angles.is_empty() { String::new() } else { format!("({})", angles.join(", ")) };
    let wires: Vec<String> =
        gate.controls.iter().chain(&gate.wires).map(|wire| format!("{REGISTER}[{}]", wire.0)).collect();
    Ok(format!("{modifier}{called}{arguments} {};\n", wires.join(", ")))
}

/// The E0901 error `run` gives for an angle or amplitude that is not a finite number, with the
/// same message: what it is, its value, and how the expression computed it from which values.
fn non_finite(circuit: &Circuit, what: String, value: f64, expr: &Expr, values: &Values, span: Span) -> ExportError {
    let inputs = values.inputs.unwrap_or(&[]);
    let params = values.params.unwrap_or(&[]);
    let error = crate::sim::non_finite(circuit, what, value, expr, inputs, params, span);
    ExportError { code: error.code(), message: error.to_string(), span: Some(span) }
}

/// An amplitude embedding as gates, when its amplitudes are numbers.
/// Every amplitude that is not a finite number is an error of its own; amplitudes without values
/// are one error for the embedding.
fn state_prep_lines(circuit: &Circuit, prep: &StatePrep, values: &Values) -> Result<String, Vec<ExportError>> {
    let mut numbers = Vec::with_capacity(prep.amplitudes.len());
    let mut errors = Vec::new();
    let mut without_value = false;
    for (position, amplitude) in prep.amplitudes.iter().enumerate() {
        match expr::bind(amplitude, values) {
            Expr::Const(value) if !value.is_finite() => {
                let what = format!("amplitude {position} of `amplitude_embedding`");
                errors.push(non_finite(circuit, what, value, amplitude, values, prep.span));
            }
            Expr::Const(value) => numbers.push(value),
            _ => without_value = true,
        }
    }
    if without_value {
        errors.push(ExportError {
            code: Code::E1020,
            message: "amplitude_embedding prepares a state from inputs or params that have no value here, \
                      which OpenQASM 3 cannot write; give them with --input (and --params) so the amplitudes \
                      are numbers, and export writes the gates that prepare them"
                .to_string(),
            span: Some(prep.span),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let amplitudes = crate::sim::state::embedding_amplitudes(&numbers, prep.wires.len(), prep.normalize, prep.pad)
        .map_err(|error| vec![ExportError { code: error.code(), message: error.to_string(), span: Some(prep.span) }])?;
    Ok(state_prep::gates(&prep.wires, &amplitudes, REGISTER))
}
