//! The statevector simulator: runs an `ir::Circuit` on 2^n complex amplitudes and measures it, exactly or with shots.
//!
//! `sim` sees only `crate::ir`. The entry points are [`execute`] (all measurements of a circuit),
//! [`final_state`], and for a live session [`apply_op`] and [`measure`].

pub mod kernels;
pub mod measure;
pub mod pauli;
pub mod shots;
pub mod state;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use state::{State, DEFAULT_MEMORY_LIMIT_BYTES, PARALLEL_MIN_QUBITS};

use crate::ir::{Circuit, Expr, Gate, Measurement, Op, StatePrep, Wire};
use num_complex::Complex64;

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

/// Why a circuit could not be simulated.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// The state vector would need more memory than the limit allows.
    TooLarge { n_qubits: usize, bytes: u128, limit_bytes: u64 },
    /// The input vector does not have the length the circuit declares or reads.
    InputCount { expected: usize, found: usize },
    /// The param vector does not have the length the circuit declares or reads.
    ParamCount { expected: usize, found: usize },
    /// The circuit breaks an invariant the front end guarantees (a wire out of range, repeated
    /// wires, a wrong number of angles): a bug upstream rather than a user mistake.
    InvalidCircuit { message: String },
    /// An amplitude embedding got more values than 2^k, or fewer without `pad`.
    AmplitudeCount { expected: usize, found: usize, padded: bool },
    /// An amplitude embedding got a NaN or an infinity.
    NonFiniteAmplitude { position: usize, value: f64 },
    /// An amplitude embedding without `normalize` got amplitudes whose norm is not 1.
    AmplitudeNorm { norm: f64 },
    /// An amplitude embedding got amplitudes that are all zero.
    ZeroNorm,
    /// A bit of a `basis_embedding` is neither 0 nor 1.
    NotABit { input: String, value: f64 },
    /// `sample` was measured without shots.
    SampleWithoutShots,
    /// Shots were asked for with a count of zero.
    ZeroShots,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::TooLarge { n_qubits, bytes, limit_bytes } => write!(
                f,
                "{n_qubits} qubits need a state vector of {} but the limit is {}",
                human_bytes(*bytes),
                human_bytes(u128::from(*limit_bytes))
            ),
            SimError::InputCount { expected, found } => {
                write!(f, "the circuit takes {expected} input values but {found} were given")
            }
            SimError::ParamCount { expected, found } => {
                write!(f, "the circuit takes {expected} param values but {found} were given")
            }
            SimError::InvalidCircuit { message } => write!(f, "invalid circuit: {message}"),
            SimError::AmplitudeCount { expected, found, padded } => {
                if *padded || *found > *expected {
                    write!(f, "amplitude_embedding: {found} amplitudes do not fit on {expected} basis states")
                } else {
                    write!(f, "amplitude_embedding: {found} amplitudes given for {expected} basis states; set `pad` to fill the rest")
                }
            }
            SimError::NonFiniteAmplitude { position, value } => {
                write!(f, "amplitude_embedding: amplitude {position} is {value}")
            }
            SimError::AmplitudeNorm { norm } => {
                write!(f, "amplitude_embedding: the amplitudes have norm {norm} but `normalize` is false")
            }
            SimError::ZeroNorm => {
                write!(f, "amplitude_embedding: the amplitudes are all zero, so there is no state to prepare")
            }
            SimError::NotABit { input, value } => {
                write!(f, "basis_embedding takes bits 0 and 1, but `{input}` is {value}")
            }
            SimError::SampleWithoutShots => write!(f, "`sample` needs shots: run with `--shots N`"),
            SimError::ZeroShots => write!(f, "the number of shots must be at least 1"),
        }
    }
}

impl std::error::Error for SimError {}

impl SimError {
    /// The diagnostic code of the error (`qmlc explain` describes it), from the E09xx run-time series.
    pub fn code(&self) -> &'static str {
        match self {
            SimError::TooLarge { .. } => "E0902",
            SimError::InputCount { .. } | SimError::ParamCount { .. } => "E0908",
            SimError::InvalidCircuit { .. } => "E0902",
            SimError::AmplitudeCount { .. }
            | SimError::NonFiniteAmplitude { .. }
            | SimError::AmplitudeNorm { .. }
            | SimError::ZeroNorm => "E0903",
            SimError::NotABit { .. } => "E0904",
            SimError::SampleWithoutShots | SimError::ZeroShots => "E0905",
        }
    }

    /// The source span of the operation the error is about, where there is one.
    pub fn span(&self) -> Option<crate::source::Span> {
        None
    }
}

fn human_bytes(bytes: u128) -> String {
    const GIB: f64 = (1u64 << 30) as f64;
    if bytes == u128::MAX {
        "more than any machine has".to_string()
    } else {
        format!("{:.1} GiB", bytes as f64 / GIB)
    }
}

/// Runs the circuit and measures every measurement.
pub fn execute(circuit: &Circuit, inputs: &[f64], params: &[f64], shots: Option<Shots>) -> Result<Execution, SimError> {
    execute_shifted(circuit, inputs, params, shots, None)
}

/// The state after every op of the circuit.
pub fn final_state(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Result<State, SimError> {
    run_ops(circuit, inputs, params, None)
}

/// One gate angle moved by `delta` (as the parameter-shift rule needs), the others as evaluated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AngleShift {
    pub op_idx: usize,
    pub angle_slot: usize,
    pub delta: f64,
}

/// [`execute`] with one gate angle shifted.
pub fn execute_shifted(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    shift: Option<AngleShift>,
) -> Result<Execution, SimError> {
    if shots.is_some_and(|shots| shots.count == 0) {
        return Err(SimError::ZeroShots);
    }
    let state = run_ops(circuit, inputs, params, shift)?;
    let mut outputs = Vec::new();
    let mut measurements = Vec::with_capacity(circuit.measurements.len());
    for (measurement_idx, measurement) in circuit.measurements.iter().enumerate() {
        let values = measure(&state, measurement, measurement_idx, shots)?;
        if measurement.n_outputs().is_some() {
            if let MeasurementValues::Real(real) = &values {
                outputs.extend_from_slice(real);
            }
        }
        measurements.push(values);
    }
    Ok(Execution { outputs, measurements })
}

/// Validates the circuit, prepares |0…0> and applies every op (with `shift` applied to one angle).
pub fn run_ops(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shift: Option<AngleShift>,
) -> Result<State, SimError> {
    validate(circuit, inputs, params)?;
    let mut state = State::zero(circuit.n_qubits)?;
    for (op_idx, op) in circuit.ops.iter().enumerate() {
        match op {
            Op::Gate(gate) => {
                let mut angles = gate_angles(gate, inputs, params);
                if let Some(shift) = shift.filter(|shift| shift.op_idx == op_idx) {
                    if let Some(angle) = angles.get_mut(shift.angle_slot) {
                        *angle += shift.delta;
                    }
                }
                apply_gate_angles(&mut state, gate, &angles);
            }
            Op::StatePrep(prep) => apply_state_prep(&mut state, prep, inputs, params)?,
        }
    }
    Ok(state)
}

/// Applies one op to a state (for a live session). The op's wires must be in range.
pub fn apply_op(state: &mut State, op: &Op, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
    validate_op(op, state.n_qubits())?;
    validate_expressions(op_expressions(op), "input", inputs.len(), collect_inputs)?;
    validate_expressions(op_expressions(op), "param", params.len(), |expr, out| out.extend(expr.params()))?;
    match op {
        Op::Gate(gate) => apply_gate_angles(state, gate, &gate_angles(gate, inputs, params)),
        Op::StatePrep(prep) => apply_state_prep(state, prep, inputs, params)?,
    }
    Ok(())
}

/// The gate's angles evaluated (at most three; unused slots are zero).
pub fn gate_angles(gate: &Gate, inputs: &[f64], params: &[f64]) -> [f64; 3] {
    let mut angles = [0.0; 3];
    for (slot, expr) in gate.angles.iter().take(3).enumerate() {
        angles[slot] = expr.eval(inputs, params);
    }
    angles
}

/// Applies a gate with the given evaluated angles.
pub fn apply_gate_angles(state: &mut State, gate: &Gate, angles: &[f64]) {
    let n_qubits = state.n_qubits();
    let parallel = state.is_parallel();
    let kernel =
        kernels::gate_kernel(gate.kind, &gate.wires, &gate.controls, angles, |wire: Wire| n_qubits - 1 - wire.index());
    kernel.apply(state.amplitudes_mut(), parallel);
}

/// Prepares an amplitude embedding's wires (see [`state::reflect_embedding`]).
pub fn apply_state_prep(state: &mut State, prep: &StatePrep, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
    let values: Vec<f64> = prep.amplitudes.iter().map(|expr| expr.eval(inputs, params)).collect();
    let amplitudes = state::embedding_amplitudes(&values, prep.wires.len(), prep.normalize, prep.pad)?;
    state::reflect_embedding(state, &prep.wires, &amplitudes);
    Ok(())
}

/// The measurements as expectation values of fixed operators, the form the parameter-shift rule
/// differentiates: expval gives ⟨O⟩, var gives ⟨O⟩ and ⟨O²⟩, probs gives its probabilities
/// (sample and state give nothing). With shots, ⟨O²⟩ is the mean square of the same per-shot
/// values whose variance `execute` reports.
pub fn linear_outputs(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    shift: Option<AngleShift>,
) -> Result<Vec<f64>, SimError> {
    if shots.is_some_and(|shots| shots.count == 0) {
        return Err(SimError::ZeroShots);
    }
    let state = run_ops(circuit, inputs, params, shift)?;
    let mut outputs = Vec::new();
    for (measurement_idx, measurement) in circuit.measurements.iter().enumerate() {
        match (measurement, shots) {
            (Measurement::Var(observable), None) => {
                let applied = measure::pauli_sum(&state, observable).apply(&state);
                outputs.push(state.inner(&applied).re);
                outputs.push(applied.norm_squared());
            }
            (Measurement::Var(observable), Some(shots)) => {
                let values = shots::sample_observable(&state, observable, shots, measurement_idx);
                let n_values = values.len() as f64;
                outputs.push(values.iter().sum::<f64>() / n_values);
                outputs.push(values.iter().map(|value| value * value).sum::<f64>() / n_values);
            }
            (Measurement::Expval(_) | Measurement::Probs(_), _) => {
                if let MeasurementValues::Real(values) = measure(&state, measurement, measurement_idx, shots)? {
                    outputs.extend(values);
                }
            }
            (Measurement::Sample(_) | Measurement::State, _) => {}
        }
    }
    Ok(outputs)
}

/// One measurement's values, exact or (for expval, var, probs and sample) sampled.
pub fn measure(
    state: &State,
    measurement: &Measurement,
    measurement_idx: usize,
    shots: Option<Shots>,
) -> Result<MeasurementValues, SimError> {
    let values = match (measurement, shots) {
        (Measurement::State, _) => return Ok(MeasurementValues::Complex(state.amplitudes().to_vec())),
        (Measurement::Expval(observable), None) => vec![measure::expval(state, observable)],
        (Measurement::Var(observable), None) => vec![measure::var(state, observable)],
        (Measurement::Probs(wires), None) => measure::probabilities(state, wires),
        (Measurement::Sample(_), None) => return Err(SimError::SampleWithoutShots),
        (_, Some(shots)) if shots.count == 0 => return Err(SimError::ZeroShots),
        (Measurement::Expval(observable), Some(shots)) => {
            vec![shots::sampled_expval(state, observable, shots, measurement_idx)]
        }
        (Measurement::Var(observable), Some(shots)) => {
            vec![shots::sampled_var(state, observable, shots, measurement_idx)]
        }
        (Measurement::Probs(wires), Some(shots)) => shots::sampled_probabilities(state, wires, shots, measurement_idx),
        (Measurement::Sample(observable), Some(shots)) => {
            shots::sample_observable(state, observable, shots, measurement_idx)
        }
    };
    Ok(MeasurementValues::Real(values))
}

/// Checks what the front end guarantees, so that no input can make the simulator panic.
pub fn validate(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
    let invalid = |message: String| Err(SimError::InvalidCircuit { message });
    if circuit.n_qubits == 0 {
        return invalid("the register has no qubits".to_string());
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
    let expressions = || circuit.ops.iter().flat_map(op_expressions);
    validate_expressions(expressions(), "input", inputs.len(), collect_inputs)?;
    validate_expressions(expressions(), "param", params.len(), |expr, out| out.extend(expr.params()))?;
    for measurement in &circuit.measurements {
        let in_range = |wires: &[Wire]| wires.iter().all(|wire| wire.index() < circuit.n_qubits);
        let ok = match measurement {
            Measurement::Expval(observable) | Measurement::Var(observable) | Measurement::Sample(observable) => {
                observable.terms.iter().all(|term| {
                    let wires: Vec<Wire> = term.factors.iter().map(|(_, wire)| *wire).collect();
                    in_range(&wires) && all_distinct(&wires)
                })
            }
            Measurement::Probs(wires) => in_range(wires) && all_distinct(wires),
            Measurement::State => true,
        };
        if !ok {
            return invalid(format!("measurement `{}` has a wire out of range or repeated", measurement.describe()));
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
                None => !gate.wires.is_empty(),
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

fn collect_inputs(expr: &Expr, out: &mut Vec<usize>) {
    match expr {
        Expr::Input(index) => out.push(*index),
        Expr::Const(_) | Expr::Param(_) => {}
        Expr::Neg(inner) | Expr::Call(_, inner) => collect_inputs(inner, out),
        Expr::Binary(_, left, right) => {
            collect_inputs(left, out);
            collect_inputs(right, out);
        }
    }
}
