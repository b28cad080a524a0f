//! The statevector simulator: runs an `ir::Circuit` on 2^n complex amplitudes and measures it, exactly or with shots.
//!
//! `sim` sees only `crate::ir`. The entry points are [`execute`] (all measurements of a circuit),
//! [`execute_within`] (the same within a [`MemoryBudget`] the caller gives: the simulator never
//! reads the machine's memory itself), [`final_state`], and for a live session [`apply_op`] and
//! [`measure`]. [`bytes_needed`] says what an execution will need before anything is allocated.
//!
//! Every angle and amplitude is checked to be a finite number as it is evaluated: `exp(1000)`,
//! `log(0)` or an infinite input make a [`SimError::NonFinite`] that points at the operation,
//! rather than a state full of NaN.

pub(crate) mod batch;
pub mod blocked;
pub(crate) mod eigen;
mod error;
pub mod kernels;
pub(crate) mod matrix_term;
pub(crate) mod measure;
pub mod memory;
pub(crate) mod pauli;
pub mod plan;
pub(crate) mod shots;
pub(crate) mod state;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use error::SimError;
pub use memory::{bytes_needed, BudgetOrigin, MemoryBudget, MemoryNeed};
pub use plan::Plan;
pub(crate) use state::PARALLEL_MIN_QUBITS;
pub use state::{State, DEFAULT_MEMORY_LIMIT_BYTES};

use crate::ir::{format_number, Circuit, Expr, Gate, Measurement, Op, StatePrep, Variable, Wire};
use crate::source::Span;
use num_complex::Complex64;
use shots::SampledValue;

/// The largest number of shots a run may ask for: counts stay exact in an f64 up to 2^53.
pub const MAX_SHOTS: u64 = 1 << 53;

/// Sampled execution: `count` shots drawn from random streams derived from `seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shots {
    pub count: usize,
    pub seed: u64,
}

/// The values of one measurement.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasurementValues {
    /// expval and var (one value), probs (2^k values), sample (one value per shot).
    Real(Vec<f64>),
    /// state: the 2^n amplitudes.
    Complex(Vec<Complex64>),
}

impl MeasurementValues {
    /// The real values, or `None` for a state.
    pub fn as_real(&self) -> Option<&[f64]> {
        match self {
            MeasurementValues::Real(values) => Some(values),
            MeasurementValues::Complex(_) => None,
        }
    }
}

/// The result of running a circuit.
#[derive(Clone, Debug, PartialEq)]
pub struct Execution {
    /// Every expval, var and probs value, concatenated in measurement order (the model's outputs).
    pub outputs: Vec<f64>,
    /// The values of every measurement, in order.
    pub measurements: Vec<MeasurementValues>,
}

/// Runs the circuit and measures every measurement, within the default memory limit.
pub fn execute(circuit: &Circuit, inputs: &[f64], params: &[f64], shots: Option<Shots>) -> Result<Execution, SimError> {
    execute_within(circuit, inputs, params, shots, MemoryBudget::default())
}

/// [`execute`] within a memory budget: refused before anything is allocated if the state, the
/// measurements' copies and the sampling buffers ([`bytes_needed`]) would not fit.
pub fn execute_within(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    budget: MemoryBudget,
) -> Result<Execution, SimError> {
    execute_shifted(circuit, inputs, params, shots, None, budget)
}

/// The state after every op of the circuit.
pub fn final_state(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Result<State, SimError> {
    run_ops(circuit, inputs, params, None, MemoryBudget::default())
}

/// One gate angle moved by `delta` (as the parameter-shift rule needs), the others as evaluated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AngleShift {
    pub op_idx: usize,
    pub angle_slot: usize,
    pub delta: f64,
}

/// [`execute_within`] with one gate angle shifted.
pub(crate) fn execute_shifted(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    shift: Option<AngleShift>,
    budget: MemoryBudget,
) -> Result<Execution, SimError> {
    Plan::compile(circuit)?.execute_shifted(inputs, params, shots, shift, budget)
}

impl Plan<'_> {
    /// Runs the plan and measures every measurement, within `budget` (see [`execute_within`]).
    pub fn execute(
        &self,
        inputs: &[f64],
        params: &[f64],
        shots: Option<Shots>,
        budget: MemoryBudget,
    ) -> Result<Execution, SimError> {
        self.execute_shifted(inputs, params, shots, None, budget)
    }

    /// [`Plan::execute`] with one gate angle shifted.
    pub(crate) fn execute_shifted(
        &self,
        inputs: &[f64],
        params: &[f64],
        shots: Option<Shots>,
        shift: Option<AngleShift>,
        budget: MemoryBudget,
    ) -> Result<Execution, SimError> {
        let circuit = self.circuit();
        self.check_before_running(inputs, params, shots, budget)?;
        let state = self.final_state(inputs, params, shift, budget)?;
        // The sampled values are moved into the execution, not copied: a `sample` may be large.
        let mut sampled = match shots {
            Some(shots) => {
                shots::sample_measurements(&state, &circuit.measurements, shots)?.into_iter().map(Some).collect()
            }
            None => vec![None; circuit.measurements.len()],
        };
        let mut outputs = Vec::new();
        let mut measurements = Vec::with_capacity(circuit.measurements.len());
        for (measurement, sampled) in circuit.measurements.iter().zip(&mut sampled) {
            let values = match sampled.take() {
                Some(sampled) => sampled_values(&state, measurement, sampled)?,
                None => measure(&state, measurement, None)?,
            };
            if measurement.n_outputs().is_some() {
                if let MeasurementValues::Real(real) = &values {
                    outputs.extend_from_slice(real);
                }
            }
            measurements.push(values);
        }
        Ok(Execution { outputs, measurements })
    }

    /// Checks the inputs, params and shots and the memory an execution needs, before any work.
    fn check_before_running(
        &self,
        inputs: &[f64],
        params: &[f64],
        shots: Option<Shots>,
        budget: MemoryBudget,
    ) -> Result<(), SimError> {
        self.check_values(inputs, params)?;
        if let Some(shots) = shots {
            shots::check_shots(shots)?;
        }
        // The register alone first, so that a register no machine could hold is named as such.
        state::check_size(self.circuit().n_qubits, budget)?;
        budget.check("running the circuit", memory::execution_need(self.circuit(), shots))
    }
}

/// A measurement's values from the shared shots (or exactly, for `state`).
fn sampled_values(
    state: &State,
    measurement: &Measurement,
    sampled: SampledValue,
) -> Result<MeasurementValues, SimError> {
    Ok(MeasurementValues::Real(match sampled {
        SampledValue::Exact => return measure(state, measurement, None),
        SampledValue::Expval(value) => vec![value],
        SampledValue::Var { variance, .. } => vec![variance],
        SampledValue::Probs(values) | SampledValue::Sample(values) => values,
    }))
}

/// Validates the circuit, prepares |0…0> within `budget` and applies every op (with `shift`
/// applied to one angle). Every angle and amplitude is checked to be a finite number.
pub(crate) fn run_ops(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shift: Option<AngleShift>,
    budget: MemoryBudget,
) -> Result<State, SimError> {
    Plan::compile(circuit)?.final_state(inputs, params, shift, budget)
}

/// Applies one op to a state (for a live session). The op's wires must be in range.
pub fn apply_op(state: &mut State, op: &Op, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
    validate_op(op, state.n_qubits())?;
    validate_expressions(op_expressions(op), "input", inputs.len(), collect_inputs)?;
    validate_expressions(op_expressions(op), "param", params.len(), |expr, out| out.extend(expr.params()))?;
    match op {
        Op::Gate(gate) => {
            let angles = gate_angles(gate, inputs, params);
            if let Some(slot) = angles.iter().position(|angle| !angle.is_finite()) {
                let what = angle_name(gate, slot);
                return Err(SimError::NonFinite {
                    what,
                    value: angles[slot],
                    origin: String::new(),
                    span: Some(gate.span),
                });
            }
            apply_gate_angles(state, gate, &angles)
        }
        Op::StatePrep(prep) => apply_state_prep(state, prep, inputs, params)?,
    }
    Ok(())
}

/// The gate's angles evaluated (at most three; unused slots are zero).
pub(crate) fn gate_angles(gate: &Gate, inputs: &[f64], params: &[f64]) -> [f64; 3] {
    let mut angles = [0.0; 3];
    for (slot, expr) in gate.angles.iter().take(3).enumerate() {
        angles[slot] = expr.eval(inputs, params);
    }
    angles
}

/// [`gate_angles`], refusing an angle that is not a finite number (an overflow such as
/// `exp(1000)`, or `log(0)`, `sqrt(-1)`, `asin(2)`, `mod(a, 0)`, or an infinite input): a rotation
/// by such an angle has no matrix, and would fill the state with NaN.
pub(crate) fn checked_gate_angles(
    circuit: &Circuit,
    gate: &Gate,
    inputs: &[f64],
    params: &[f64],
) -> Result<[f64; 3], SimError> {
    let angles = gate_angles(gate, inputs, params);
    for (slot, expr) in gate.angles.iter().take(3).enumerate() {
        if !angles[slot].is_finite() {
            return Err(non_finite(circuit, angle_name(gate, slot), angles[slot], expr, inputs, params, gate.span));
        }
    }
    Ok(angles)
}

/// How a message names one angle of a gate: `the angle of `rx``, `angle 2 of `rot``.
pub(crate) fn angle_name(gate: &Gate, slot: usize) -> String {
    if gate.kind.n_angles() == 1 {
        format!("the angle of `{}`", gate.kind.name())
    } else {
        format!("angle {} of `{}`", slot + 1, gate.kind.name())
    }
}

/// The error for a value that is not finite, saying how `expr` computed it from which inputs and params.
pub(crate) fn non_finite(
    circuit: &Circuit,
    what: String,
    value: f64,
    expr: &Expr,
    inputs: &[f64],
    params: &[f64],
    span: Span,
) -> SimError {
    SimError::NonFinite { what, value, origin: describe_origin(circuit, expr, inputs, params), span: Some(span) }
}

/// `exp(x)` with x = 1000; `w[0] = inf` for a bare param; nothing for a constant.
fn describe_origin(circuit: &Circuit, expr: &Expr, inputs: &[f64], params: &[f64]) -> String {
    let mut input_indices = Vec::new();
    collect_inputs(expr, &mut input_indices);
    input_indices.sort_unstable();
    input_indices.dedup();
    let input_variables: Vec<&Variable> = circuit.inputs.iter().collect();
    let param_variables: Vec<&Variable> = circuit.params.iter().map(|param| &param.variable).collect();
    let value_text = |value: Option<&f64>| value.map_or_else(|| "?".to_string(), |value| format_value(*value));
    let assignments: Vec<String> = input_indices
        .iter()
        .map(|index| format!("{} = {}", circuit.element_name(&input_variables, *index), value_text(inputs.get(*index))))
        .chain(expr.params().iter().map(|index| {
            format!("{} = {}", circuit.element_name(&param_variables, *index), value_text(params.get(*index)))
        }))
        .collect();
    match expr {
        Expr::Const(_) => String::new(),
        Expr::Input(_) | Expr::Param(_) => assignments.join(", "),
        _ if assignments.is_empty() => format!("`{}`", circuit.describe_expr(expr)),
        _ => format!("`{}` with {}", circuit.describe_expr(expr), assignments.join(", ")),
    }
}

/// A value as a message shows it: `1000`, `0.25`, `1e308`, `inf`.
pub(crate) fn format_value(value: f64) -> String {
    let magnitude = value.abs();
    if value.is_finite() && (magnitude >= 1e15 || (magnitude > 0.0 && magnitude < 1e-4)) {
        format!("{value:e}")
    } else {
        format_number(value)
    }
}

/// Applies a gate with the given evaluated angles.
pub(crate) fn apply_gate_angles(state: &mut State, gate: &Gate, angles: &[f64]) {
    let n_qubits = state.n_qubits();
    let parallel = state.is_parallel();
    let kernel =
        kernels::gate_kernel(gate.kind, &gate.wires, &gate.controls, angles, |wire: Wire| n_qubits - 1 - wire.index());
    kernel.apply(state.amplitudes_mut(), parallel);
}

/// Prepares an amplitude embedding's wires (see [`state::reflect_embedding`]).
pub(crate) fn apply_state_prep(
    state: &mut State,
    prep: &StatePrep,
    inputs: &[f64],
    params: &[f64],
) -> Result<(), SimError> {
    let values: Vec<f64> = prep.amplitudes.iter().map(|expr| expr.eval(inputs, params)).collect();
    let amplitudes = state::embedding_amplitudes(&values, prep.wires.len(), prep.normalize, prep.pad)
        .map_err(|error| with_span(error, prep.span))?;
    state::reflect_embedding(state, &prep.wires, &amplitudes);
    Ok(())
}

/// The amplitudes an embedding prepares, each value checked to be finite first (naming how it was
/// computed), then padded, normalized and checked as [`state::embedding_amplitudes`] does.
pub(crate) fn checked_embedding_amplitudes(
    circuit: &Circuit,
    prep: &StatePrep,
    inputs: &[f64],
    params: &[f64],
) -> Result<Vec<f64>, SimError> {
    let values: Vec<f64> = prep.amplitudes.iter().map(|expr| expr.eval(inputs, params)).collect();
    if let Some(position) = values.iter().position(|value| !value.is_finite()) {
        let what = format!("amplitude {position} of `amplitude_embedding`");
        return Err(non_finite(circuit, what, values[position], &prep.amplitudes[position], inputs, params, prep.span));
    }
    state::embedding_amplitudes(&values, prep.wires.len(), prep.normalize, prep.pad)
}

/// Gives a non-finite error without a span the span of its operation.
fn with_span(error: SimError, span: Span) -> SimError {
    match error {
        SimError::NonFinite { what, value, origin, span: None } => {
            SimError::NonFinite { what, value, origin, span: Some(span) }
        }
        other => other,
    }
}

impl Plan<'_> {
    /// The measurements as expectation values of fixed operators, the form the parameter-shift rule
    /// differentiates: expval gives ⟨O⟩, var gives ⟨O⟩ and ⟨O²⟩, probs gives its probabilities
    /// (sample and state give nothing). With shots, every estimate comes from the execution's one set
    /// of shots, and ⟨O²⟩ is the estimated variance plus the square of the estimated mean, so that
    /// ⟨O²⟩ − ⟨O⟩² is exactly the variance `execute` reports.
    pub(crate) fn linear_outputs(
        &self,
        inputs: &[f64],
        params: &[f64],
        shots: Option<Shots>,
        shift: Option<AngleShift>,
        budget: MemoryBudget,
    ) -> Result<Vec<f64>, SimError> {
        let circuit = self.circuit();
        self.check_before_running(inputs, params, shots, budget)?;
        let state = self.final_state(inputs, params, shift, budget)?;
        let mut outputs = Vec::new();
        if let Some(shots) = shots {
            for value in shots::sample_measurements(&state, &circuit.measurements, shots)? {
                match value {
                    SampledValue::Expval(value) => outputs.push(value),
                    SampledValue::Var { mean, variance } => outputs.extend([mean, variance + mean * mean]),
                    SampledValue::Probs(values) => outputs.extend(values),
                    SampledValue::Sample(_) | SampledValue::Exact => {}
                }
            }
            return Ok(outputs);
        }
        for measurement in &circuit.measurements {
            match measurement {
                Measurement::Var(observable) => {
                    let applied = measure::pauli_sum(&state, observable).apply(&state)?;
                    outputs.push(state.inner(&applied).re);
                    outputs.push(applied.norm_squared());
                }
                Measurement::Expval(_) | Measurement::Probs(_) => {
                    if let MeasurementValues::Real(values) = measure(&state, measurement, None)? {
                        outputs.extend(values);
                    }
                }
                Measurement::Sample(_) | Measurement::State => {}
            }
        }
        Ok(outputs)
    }
}

/// One measurement's values, exact or (for expval, var, probs and sample) sampled on its own shots.
pub fn measure(state: &State, measurement: &Measurement, shots: Option<Shots>) -> Result<MeasurementValues, SimError> {
    let values = match (measurement, shots) {
        (Measurement::State, _) => {
            let mut amplitudes = Vec::new();
            memory::try_reserve(&mut amplitudes, state.amplitudes().len())?;
            amplitudes.extend_from_slice(state.amplitudes());
            return Ok(MeasurementValues::Complex(amplitudes));
        }
        (Measurement::Expval(observable), None) => vec![measure::expval(state, observable)],
        (Measurement::Var(observable), None) => vec![measure::var(state, observable)?],
        (Measurement::Probs(wires), None) => measure::probabilities(state, wires)?,
        (Measurement::Sample(_), None) => return Err(SimError::SampleWithoutShots),
        (_, Some(shots)) => {
            let mut sampled = shots::sample_measurements(state, std::slice::from_ref(measurement), shots)?;
            return sampled_values(state, measurement, sampled.swap_remove(0));
        }
    };
    Ok(MeasurementValues::Real(values))
}

/// Checks what the front end guarantees, so that no input can make the simulator panic.
pub fn validate(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
    if circuit.n_qubits == 0 {
        return Err(SimError::InvalidCircuit { message: "the register has no qubits".to_string() });
    }
    if !circuit.inputs.is_empty() && inputs.len() != circuit.n_inputs() {
        return Err(SimError::InputCount { expected: circuit.n_inputs(), found: inputs.len() });
    }
    if !circuit.params.is_empty() && params.len() != circuit.n_params() {
        return Err(SimError::ParamCount { expected: circuit.n_params(), found: params.len() });
    }
    for op in &circuit.ops {
        validate_op(op, circuit.n_qubits)?;
    }
    check_binary_inputs(circuit, inputs)?;
    let expressions = || circuit.ops.iter().flat_map(op_expressions);
    validate_expressions(expressions(), "input", inputs.len(), collect_inputs)?;
    validate_expressions(expressions(), "param", params.len(), |expr, out| out.extend(expr.params()))?;
    validate_measurements(circuit)
}

/// The checks of [`validate`] that do not depend on the inputs and params, which a [`Plan`] makes once.
pub(crate) fn validate_structure(circuit: &Circuit) -> Result<(), SimError> {
    if circuit.n_qubits == 0 {
        return Err(SimError::InvalidCircuit { message: "the register has no qubits".to_string() });
    }
    for op in &circuit.ops {
        validate_op(op, circuit.n_qubits)?;
    }
    validate_measurements(circuit)
}

/// Refuses an input read by a `basis_embedding` that is not 0 or 1.
pub(crate) fn check_binary_inputs(circuit: &Circuit, inputs: &[f64]) -> Result<(), SimError> {
    for &input_idx in &circuit.binary_inputs {
        match inputs.get(input_idx) {
            Some(&value) if value == 0.0 || value == 1.0 => {}
            Some(&value) => {
                let variables: Vec<&crate::ir::Variable> = circuit.inputs.iter().collect();
                return Err(SimError::NotABit { input: circuit.element_name(&variables, input_idx), value });
            }
            None => return Err(SimError::InputCount { expected: circuit.n_inputs(), found: inputs.len() }),
        }
    }
    Ok(())
}

/// Measurement wires in range and distinct, coefficients finite.
fn validate_measurements(circuit: &Circuit) -> Result<(), SimError> {
    let invalid = |message: String| Err(SimError::InvalidCircuit { message });
    for measurement in &circuit.measurements {
        let in_range = |wires: &[Wire]| wires.iter().all(|wire| wire.index() < circuit.n_qubits);
        let ok = match measurement {
            Measurement::Expval(observable) | Measurement::Var(observable) | Measurement::Sample(observable) => {
                observable.terms.iter().all(|term| {
                    let wires: Vec<Wire> = term.wires();
                    in_range(&wires) && all_distinct(&wires)
                })
            }
            Measurement::Probs(wires) => in_range(wires) && all_distinct(wires),
            Measurement::State => true,
        };
        if !ok {
            return invalid(format!("measurement `{}` has a wire out of range or repeated", measurement.describe()));
        }
        if let Measurement::Expval(observable) | Measurement::Var(observable) | Measurement::Sample(observable) =
            measurement
        {
            if let Some(term) = observable.terms.iter().find(|term| !term.coefficient.is_finite()) {
                return Err(SimError::NonFinite {
                    what: format!("a coefficient of `{}`", measurement.describe()),
                    value: term.coefficient,
                    origin: String::new(),
                    span: None,
                });
            }
        }
    }
    Ok(())
}

fn all_distinct(wires: &[Wire]) -> bool {
    wires.iter().enumerate().all(|(position, wire)| !wires[..position].contains(wire))
}

fn validate_op(op: &Op, n_qubits: usize) -> Result<(), SimError> {
    let invalid = |message: String| Err(SimError::InvalidCircuit { message });
    let wires = op.all_wires();
    if let Some(wire) = wires.iter().find(|wire| wire.index() >= n_qubits) {
        return invalid(format!("wire {} is outside the register of {n_qubits} qubits", wire.0));
    }
    if !all_distinct(&wires) {
        return invalid("an operation uses the same wire twice".to_string());
    }
    match op {
        Op::Gate(gate) => {
            let wire_count_ok = match gate.kind.n_wires() {
                Some(n_wires) => gate.wires.len() == n_wires,
                None => gate.wires.len() >= gate.kind.min_wires(),
            };
            if !wire_count_ok || gate.angles.len() != gate.kind.n_angles() {
                return invalid(format!(
                    "`{}` got {} wires and {} angles",
                    gate.kind.name(),
                    gate.wires.len(),
                    gate.angles.len()
                ));
            }
        }
        Op::StatePrep(prep) => {
            if prep.wires.is_empty() {
                return invalid("amplitude_embedding has no wires".to_string());
            }
        }
    }
    Ok(())
}

fn op_expressions(op: &Op) -> std::slice::Iter<'_, Expr> {
    match op {
        Op::Gate(gate) => gate.angles.iter(),
        Op::StatePrep(prep) => prep.amplitudes.iter(),
    }
}

fn validate_expressions<'a>(
    expressions: impl Iterator<Item = &'a Expr>,
    what: &str,
    available: usize,
    collect: impl Fn(&Expr, &mut Vec<usize>),
) -> Result<(), SimError> {
    let mut indices = Vec::new();
    for expr in expressions {
        collect(expr, &mut indices);
    }
    match indices.into_iter().max() {
        Some(largest) if largest >= available => {
            let (expected, found) = (largest + 1, available);
            Err(if what == "input" {
                SimError::InputCount { expected, found }
            } else {
                SimError::ParamCount { expected, found }
            })
        }
        _ => Ok(()),
    }
}

pub(crate) fn collect_inputs(expr: &Expr, out: &mut Vec<usize>) {
    match expr {
        Expr::Input(index) => out.push(*index),
        Expr::Const(_) | Expr::Param(_) => {}
        Expr::Neg(inner) | Expr::Call(_, inner) => collect_inputs(inner, out),
        Expr::Binary(_, left, right) | Expr::Call2(_, left, right) => {
            collect_inputs(left, out);
            collect_inputs(right, out);
        }
    }
}
