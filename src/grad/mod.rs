//! Gradients: the Jacobian of a circuit's outputs with respect to its flat param vector, by four methods.
//!
//! Every method works gate angle by gate angle and sums the uses of a param by the chain rule
//! through the angle expressions (`ir::Expr::param_partials`). `rot` and `u3` are treated as their
//! exact decompositions rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ) and u3(θ, φ, δ) = P(φ) RY(θ) P(δ).

mod adjoint;
mod batch;
mod finite;
mod memory;
mod metric;
mod shift;

pub(crate) use batch::BatchSample;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub(crate) use metric::first_unsupported_gate as first_gate_without_metric;
pub use metric::metric_tensor;

#[cfg(test)]
use memory::bytes_needed;

use crate::builtins::gates::Generator;
pub(crate) use crate::builtins::gates::ShiftRule;
use crate::ir::{Circuit, Gate, GateKind, GradientMethod, Measurement, Op};
use crate::sim::plan::Plan;
use crate::sim::{angle_name, non_finite, MemoryBudget, Shots, SimError};

/// The central-difference step `finite_diff` uses unless told otherwise.
pub(crate) const DEFAULT_FINITE_DIFF_STEP: f64 = 1e-6;

/// The outputs and their derivatives.
#[derive(Clone, Debug, PartialEq)]
pub struct Jacobian {
    /// The outputs (expval, var and probs values concatenated), as `sim::execute` gives them.
    pub outputs: Vec<f64>,
    pub n_outputs: usize,
    pub n_params: usize,
    /// Row-major `n_outputs × n_params`: `values[output_idx * n_params + param_idx]`.
    pub values: Vec<f64>,
}

impl Jacobian {
    /// d `outputs[output_idx]` / d `params[param_idx]`.
    pub fn get(&self, output_idx: usize, param_idx: usize) -> f64 {
        self.values[output_idx * self.n_params + param_idx]
    }
}

/// Options of the gradient methods.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradOptions {
    /// The step h of `finite_diff`'s central differences (f(p + h) − f(p − h)) / 2h.
    pub finite_diff_step: f64,
    /// The memory the Jacobian may use; each method counts what it will need against it before allocating.
    pub memory: MemoryBudget,
}

impl Default for GradOptions {
    fn default() -> GradOptions {
        GradOptions { finite_diff_step: DEFAULT_FINITE_DIFF_STEP, memory: MemoryBudget::default() }
    }
}

/// Why a Jacobian could not be computed.
#[derive(Clone, Debug, PartialEq)]
pub enum GradError {
    /// Running the circuit failed.
    Sim(SimError),
    /// A `sample` or `state` measurement has no derivative.
    NotDifferentiable { measurement_idx: usize, kind: &'static str },
    /// The adjoint method was asked for with shots.
    AdjointWithShots,
    /// Finite differences were asked for with shots.
    FiniteDiffWithShots,
    /// An amplitude embedding's amplitudes depend on a param.
    ParamInEmbedding { op_idx: usize },
    /// The finite-difference step is not a positive finite number.
    InvalidStep { step: f64 },
    /// A vector-Jacobian product's cotangent does not have one weight per output.
    CotangentLength { expected: usize, found: usize },
    /// The metric tensor has no rule for a trainable gate (at `op_idx`, under `n_controls` `ctrl`
    /// controls): PennyLane's `metric_tensor` has no one-term generator for it either.
    MetricUnsupportedGate { op_idx: usize, gate: &'static str, n_controls: usize },
}

impl std::fmt::Display for GradError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GradError::Sim(error) => write!(f, "{error}"),
            GradError::NotDifferentiable { measurement_idx, kind } => write!(
                f,
                "measurement {} is a `{kind}`, which has no gradient: only expval, var and probs are differentiable",
                measurement_idx + 1
            ),
            GradError::AdjointWithShots => write!(
                f,
                "the adjoint method needs exact execution: it runs the state vector backwards, which sampled \
                 execution does not have; use `parameter_shift` (or `auto`) with shots"
            ),
            GradError::FiniteDiffWithShots => write!(
                f,
                "finite differences need exact execution: a step of 1e-6 is far below the noise of sampled \
                 estimates, so the difference would be noise (or exactly zero with the same seed); use \
                 `parameter_shift` (or `auto`) with shots"
            ),
            GradError::ParamInEmbedding { op_idx } => write!(
                f,
                "amplitude_embedding (operation {}) is not differentiable in its amplitudes, but they depend on a param",
                op_idx + 1
            ),
            GradError::InvalidStep { step } => write!(f, "the finite-difference step must be a positive number, not {step}"),
            GradError::CotangentLength { expected, found } => {
                write!(f, "the cotangent has {found} weights, but the circuit has {expected} outputs")
            }
            GradError::MetricUnsupportedGate { op_idx, gate, n_controls: 0 } => write!(
                f,
                "`{gate}` (operation {}) has no generator the metric tensor of `qng` can use; use another optimizer",
                op_idx + 1
            ),
            GradError::MetricUnsupportedGate { op_idx, gate, n_controls } => write!(
                f,
                "`{gate}` under {n_controls} `ctrl` controls (operation {}) has no metric tensor: PennyLane decomposes \
                 it numerically, into rotations whose angles are not functions of its own; with `qng`, write it with \
                 at most one control, or as one-angle gates",
                op_idx + 1
            ),
        }
    }
}

impl std::error::Error for GradError {}

impl From<SimError> for GradError {
    fn from(error: SimError) -> GradError {
        GradError::Sim(error)
    }
}

/// The Jacobian of the circuit's outputs with respect to `params`, by `method`.
pub fn jacobian(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
) -> Result<Jacobian, GradError> {
    jacobian_with_options(circuit, inputs, params, method, shots, GradOptions::default())
}

/// [`jacobian`] with explicit options.
pub fn jacobian_with_options(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
    options: GradOptions,
) -> Result<Jacobian, GradError> {
    jacobian_planned(&Plan::compile(circuit)?, inputs, params, method, shots, options)
}

/// [`jacobian_with_options`] for a circuit compiled once (a caller that differentiates many
/// samples of one circuit compiles it once and calls this per sample).
pub fn jacobian_planned(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
    options: GradOptions,
) -> Result<Jacobian, GradError> {
    let circuit = plan.circuit();
    let method = resolve_auto(method, circuit, shots);
    check_request(circuit, inputs, params, method, shots, options)?;
    match (method, shots) {
        (GradientMethod::Adjoint | GradientMethod::Auto, None) => {
            adjoint::jacobian(plan, inputs, params, options.memory)
        }
        (GradientMethod::ParameterShift | GradientMethod::Auto, _) => {
            shift::jacobian(plan, inputs, params, shots, options.memory)
        }
        (GradientMethod::FiniteDiff, _) => {
            finite::jacobian(plan, inputs, params, shots, options.finite_diff_step, options.memory)
        }
        (GradientMethod::Adjoint, Some(_)) => Err(GradError::AdjointWithShots),
    }
}

/// Why a vector-Jacobian product could not be computed: the gradient failed, or the cotangent
/// function did.
#[derive(Clone, Debug, PartialEq)]
pub enum VjpError<E> {
    Grad(GradError),
    Cotangent(E),
}

impl<E> From<GradError> for VjpError<E> {
    fn from(error: GradError) -> VjpError<E> {
        VjpError::Grad(error)
    }
}

impl<E> From<SimError> for VjpError<E> {
    fn from(error: SimError) -> VjpError<E> {
        VjpError::Grad(GradError::Sim(error))
    }
}

/// The circuit's outputs y and the vector-Jacobian product cᵀ (dy/dparams), where the cotangent
/// c = `cotangent(y)` may depend on the outputs (a loss's gradient does), one weight per output.
///
/// Exact execution by the adjoint method (and `auto` without shots, which is the adjoint method
/// here whatever the number of outputs, since a product costs one backward sweep) runs forward
/// once and sweeps back once with the cotangent-weighted operator, never building the Jacobian.
/// Every other method builds the Jacobian and multiplies, output by output in order, skipping
/// zero weights.
pub fn vjp<E>(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
    options: GradOptions,
    cotangent: impl FnOnce(&[f64]) -> Result<Vec<f64>, E>,
) -> Result<(Vec<f64>, Vec<f64>), VjpError<E>> {
    let plan = Plan::compile(circuit).map_err(GradError::from)?;
    vjp_planned(&plan, inputs, params, method, shots, options, cotangent)
}

/// [`vjp`] for a circuit compiled once.
pub fn vjp_planned<E>(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
    options: GradOptions,
    cotangent: impl FnOnce(&[f64]) -> Result<Vec<f64>, E>,
) -> Result<(Vec<f64>, Vec<f64>), VjpError<E>> {
    let circuit = plan.circuit();
    let method = match (method, shots) {
        (GradientMethod::Auto, None) => GradientMethod::Adjoint,
        _ => resolve_auto(method, circuit, shots),
    };
    if let (GradientMethod::Adjoint, None) = (method, shots) {
        check_request(circuit, inputs, params, method, shots, options)?;
        return adjoint::vjp(plan, inputs, params, options.memory, cotangent);
    }
    let jacobian = jacobian_planned(plan, inputs, params, method, shots, options)?;
    let weights = cotangent(&jacobian.outputs).map_err(VjpError::Cotangent)?;
    if weights.len() != jacobian.n_outputs {
        return Err(GradError::CotangentLength { expected: jacobian.n_outputs, found: weights.len() }.into());
    }
    let gradient = vector_jacobian_product(&weights, &jacobian.values, jacobian.n_params);
    Ok((jacobian.outputs, gradient))
}

/// The outputs and vector-Jacobian products of a batch of samples by the adjoint method, one
/// forward pass and one backward sweep over all their state vectors at once (see `batch`):
/// `cotangent(position, outputs)` gives each sample's weights. For plans the batch engine
/// supports ([`crate::sim::batch::supports`]), run exactly.
pub(crate) fn vjp_batch<E>(
    plan: &crate::sim::Plan<'_>,
    inputs: &[&[f64]],
    params: &[f64],
    cotangent: impl FnMut(usize, &[f64]) -> Result<Vec<f64>, E>,
) -> Vec<BatchSample<E>> {
    batch::vjp(plan, inputs, params, cotangent)
}

/// cᵀJ for a row-major Jacobian with `n_params` columns: the rows weighted by c and added in
/// output order, rows of zero weight skipped (so a NaN in a row nothing asks for stays out).
pub fn vector_jacobian_product(weights: &[f64], jacobian: &[f64], n_params: usize) -> Vec<f64> {
    let mut gradient = vec![0.0; n_params];
    if n_params == 0 {
        return gradient;
    }
    for (&weight, row) in weights.iter().zip(jacobian.chunks_exact(n_params)) {
        if weight == 0.0 {
            continue;
        }
        for (total, partial) in gradient.iter_mut().zip(row) {
            *total += weight * partial;
        }
    }
    gradient
}

/// The checks every method shares, before anything is allocated: differentiable measurements,
/// valid inputs and params and shots, a method that can use the shots, and the memory it needs.
fn check_request(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    method: GradientMethod,
    shots: Option<Shots>,
    options: GradOptions,
) -> Result<(), GradError> {
    check_differentiable(circuit)?;
    crate::sim::validate(circuit, inputs, params)?;
    if let Some(shots) = shots {
        crate::sim::shots::check_shots(shots)?;
    }
    match (method, shots) {
        (GradientMethod::Adjoint, Some(_)) => return Err(GradError::AdjointWithShots),
        (GradientMethod::FiniteDiff, Some(_)) => return Err(GradError::FiniteDiffWithShots),
        _ => {}
    }
    // Everything the method will hold at once is counted before anything is allocated.
    crate::sim::state::check_size(circuit.n_qubits, options.memory)?;
    let (what, need) = memory::named_need(circuit, method, shots);
    options.memory.check(what, need)?;
    Ok(())
}

/// The method `auto` stands for: parameter shift with shots (the adjoint method needs the exact
/// state); without them, the adjoint method, whose cost is one backward sweep per output, unless
/// the circuit has more outputs than parameter shift has circuit evaluations (two per shifted
/// angle), as with `probs` over many wires, where parameter shift is far cheaper. Other methods
/// are returned as they are.
pub fn resolve_auto(method: GradientMethod, circuit: &Circuit, shots: Option<Shots>) -> GradientMethod {
    if method != GradientMethod::Auto {
        return method;
    }
    if shots.is_some() {
        return GradientMethod::ParameterShift;
    }
    let n_outputs: usize = circuit.measurements.iter().filter_map(|m| m.n_outputs()).sum();
    let n_shifted_angles = circuit
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Gate(gate) => Some(gate.angles.iter().filter(|angle| !angle.params().is_empty()).count()),
            Op::StatePrep(_) => None,
        })
        .sum::<usize>();
    if n_outputs > 2 * n_shifted_angles {
        GradientMethod::ParameterShift
    } else {
        GradientMethod::Adjoint
    }
}

/// Refuses measurements without a derivative and amplitude embeddings that read params.
fn check_differentiable(circuit: &Circuit) -> Result<(), GradError> {
    for (measurement_idx, measurement) in circuit.measurements.iter().enumerate() {
        if matches!(measurement, Measurement::Sample(_) | Measurement::State) {
            return Err(GradError::NotDifferentiable { measurement_idx, kind: measurement.kind() });
        }
    }
    for (op_idx, op) in circuit.ops.iter().enumerate() {
        if let Op::StatePrep(prep) = op {
            if prep.amplitudes.iter().any(|amplitude| !amplitude.params().is_empty()) {
                return Err(GradError::ParamInEmbedding { op_idx });
            }
        }
    }
    Ok(())
}

/// For every op, for every angle slot, the partial derivatives (param_idx, d angle / d param).
pub(crate) type AnglePartials = Vec<Vec<Vec<(usize, f64)>>>;

/// For every op and angle slot, the partial derivatives (param_idx, d angle / d param), each
/// checked to be a finite number: `sqrt(w)` at w = 0 has an angle but no derivative, and a
/// Jacobian must not silently carry the infinity or NaN.
pub(crate) fn angle_partials(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Result<AnglePartials, SimError> {
    let mut all = Vec::with_capacity(circuit.ops.len());
    for op in &circuit.ops {
        let Op::Gate(gate) = op else {
            all.push(Vec::new());
            continue;
        };
        let angles = crate::sim::checked_gate_angles(circuit, gate, inputs, params)?;
        let mut slots = Vec::with_capacity(gate.angles.len());
        for slot in 0..gate.angles.len() {
            slots.push(checked_partials(circuit, gate, slot, angles[slot.min(2)], inputs, params)?);
        }
        all.push(slots);
    }
    Ok(all)
}

/// The partial derivatives (param_idx, d angle / d param) of angle `slot` of `gate` (whose value
/// is `angle`), checked to be finite numbers.
pub(crate) fn checked_partials(
    circuit: &Circuit,
    gate: &Gate,
    slot: usize,
    angle: f64,
    inputs: &[f64],
    params: &[f64],
) -> Result<Vec<(usize, f64)>, SimError> {
    let expression = &gate.angles[slot];
    let partials = expression.param_partials(inputs, params);
    if let Some((param_idx, derivative)) = partials.iter().find(|(_, derivative)| !derivative.is_finite()) {
        let variables: Vec<&crate::ir::Variable> = circuit.params.iter().map(|param| &param.variable).collect();
        let what = format!(
            "the derivative of {} (which is {}) by `{}`",
            angle_name(gate, slot),
            crate::sim::format_value(angle),
            circuit.element_name(&variables, *param_idx)
        );
        return Err(non_finite(circuit, what, *derivative, expression, inputs, params, gate.span));
    }
    Ok(partials)
}

/// The one-angle gates a parametric gate consists of, in the order they act, each with the gate
/// angle slot it reads (from the gate table's generators). Empty for gates without angles.
pub(crate) fn elementary_parts(kind: GateKind) -> Vec<(GateKind, usize)> {
    match kind.info().generator {
        Generator::Parts(parts) => parts.to_vec(),
        Generator::Pauli { .. }
        | Generator::Projector
        | Generator::Excitation { .. }
        | Generator::TwoWire { .. }
        | Generator::GlobalPhase => vec![(kind, 0)],
        Generator::None | Generator::Expanded => Vec::new(),
    }
}

/// The shift rule of angle `slot` of `gate`: its part's, with the gate's `ctrl` controls.
pub(crate) fn shift_rule(gate: &Gate, slot: usize) -> ShiftRule {
    let part = elementary_parts(gate.kind).into_iter().find(|(_, part_slot)| *part_slot == slot).map(|(kind, _)| kind);
    part.and_then(|kind| kind.info().generator.shift_rule(!gate.controls.is_empty())).unwrap_or(ShiftRule::TwoTerm)
}

/// A fresh Jacobian of zeros.
pub(crate) fn zero_jacobian(outputs: Vec<f64>, n_params: usize) -> Jacobian {
    let n_outputs = outputs.len();
    Jacobian { outputs, n_outputs, n_params, values: vec![0.0; n_outputs * n_params] }
}
