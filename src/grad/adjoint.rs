//! The adjoint method: one forward pass, then backward sweeps that carry the state and one cotangent per
//! output (the Jacobian) or a single cotangent-weighted one (the vector-Jacobian product).
//!
//! For an output ⟨ψ|A|ψ⟩ the derivative by a gate angle θ is 2 Re ⟨λ|dU/dθ|φ⟩, with φ the state
//! before the gate and λ = (U_N … U_{k+1})† A ψ. Every one-angle gate here satisfies
//! dU/dθ = c Π W U, with W a Pauli word, Π a projector onto control (or phase) bits being 1 and c a
//! constant, so the derivative is 2 Re(c ⟨λ|Π W|ψ_after⟩): a single pass over the amplitudes,
//! without building any matrix or allocating. The cotangents: A = O for expval, A = O² − 2⟨O⟩O for
//! var, and the projector onto each basis state for probs.

use crate::builtins::gates::Generator as GeneratorRule;
use crate::grad::memory::adjoint_need;
use crate::grad::{angle_partials, elementary_parts, zero_jacobian, GradError, Jacobian, VjpError};
use crate::ir::{Circuit, Gate, GateKind, Measurement, Op, Wire};
use crate::sim::kernels::{gate_kernel, Kernel};
use crate::sim::measure::{local_index, pauli_sum};
use crate::sim::pauli::PauliWord;
use crate::sim::state::{reflect_embedding, State};
use crate::sim::{
    checked_embedding_amplitudes, checked_gate_angles, MeasurementValues, MemoryBudget, MemoryNeed, SimError,
};
use num_complex::Complex64;
use rayon::prelude::*;

/// The memory the cotangent states of one backward sweep may use together.
const SWEEP_MEMORY_BYTES: usize = 1 << 30;

/// dU/dθ = factor · Π W · U, with Π the projector onto the bits of `projector_mask` being 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Generator {
    pub(crate) word: PauliWord,
    pub(crate) projector_mask: usize,
    pub(crate) factor: Complex64,
}

/// The generator of a one-angle gate kind with the given wires and extra controls, from the gate table.
pub(crate) fn generator(
    kind: GateKind,
    wires: &[Wire],
    controls: &[Wire],
    bit_of: impl Fn(Wire) -> usize,
) -> Generator {
    let mask_of = |wires: &[Wire]| wires.iter().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire));
    let projector_mask = mask_of(controls);
    match kind.info().generator {
        GeneratorRule::Pauli { pauli, controls: n_controls } => {
            let (gate_controls, targets) = wires.split_at(n_controls.min(wires.len()));
            let word = targets.iter().fold(PauliWord::default(), |word, wire| word.with_factor(pauli, bit_of(*wire)));
            Generator {
                word,
                projector_mask: projector_mask | mask_of(gate_controls),
                factor: Complex64::new(0.0, -0.5),
            }
        }
        GeneratorRule::Projector => Generator {
            word: PauliWord::default(),
            projector_mask: projector_mask | mask_of(wires),
            factor: Complex64::new(0.0, 1.0),
        },
        // Gates without angles have no generator; a zero factor makes their derivative vanish.
        GeneratorRule::None | GeneratorRule::Parts(_) => {
            Generator { word: PauliWord::default(), projector_mask, factor: Complex64::new(0.0, 0.0) }
        }
    }
}

/// One step of the circuit as the sweeps see it.
// Steps live in one vector built once per Jacobian; boxing the common gate variant would cost an
// allocation per gate for the sake of the rare embedding.
#[allow(clippy::large_enum_variant)]
enum Step {
    /// A gate (or one part of a rot or u3), and the op and angle slot its angle comes from.
    Gate { kernel: Kernel, derivative: Option<(Generator, usize, usize)> },
    /// An amplitude embedding, run as the reflection that is its own inverse.
    Embedding { wires: Vec<Wire>, amplitudes: Vec<f64> },
}

/// What the forward pass leaves for the backward sweeps: the steps, the angle partials and the final state.
struct Forward {
    steps: Vec<Step>,
    partials: Vec<Vec<Vec<(usize, f64)>>>,
    state: State,
}

/// Builds the steps and runs them forward from |0…0⟩, within `budget`.
fn forward(circuit: &Circuit, inputs: &[f64], params: &[f64], budget: MemoryBudget) -> Result<Forward, GradError> {
    let n_qubits = circuit.n_qubits;
    let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
    let partials = angle_partials(circuit, inputs, params)?;
    let mut steps = Vec::with_capacity(circuit.ops.len());
    for (op_idx, op) in circuit.ops.iter().enumerate() {
        match op {
            Op::Gate(gate) => {
                let angles = checked_gate_angles(circuit, gate, inputs, params)?;
                push_gate_steps(&mut steps, gate, op_idx, &partials[op_idx], &angles, bit_of)
            }
            Op::StatePrep(prep) => {
                let amplitudes = checked_embedding_amplitudes(circuit, prep, inputs, params)?;
                steps.push(Step::Embedding { wires: prep.wires.clone(), amplitudes });
            }
        }
    }
    let mut state = State::zero_within(n_qubits, budget)?;
    for step in &steps {
        apply_step(&mut state, step, false);
    }
    Ok(Forward { steps, partials, state })
}

/// The measured outputs of the final state (expval, var and probs values concatenated).
fn measured_outputs(circuit: &Circuit, state: &State) -> Result<Vec<f64>, SimError> {
    let mut outputs = Vec::new();
    for measurement in &circuit.measurements {
        if let MeasurementValues::Real(values) = crate::sim::measure(state, measurement, None)? {
            outputs.extend_from_slice(&values);
        }
    }
    Ok(outputs)
}

/// The Jacobian by the adjoint method (exact execution only), within `budget`: the caller has
/// checked that one cotangent at a time fits; as many as fit (up to a batch of 64) sweep together.
pub(crate) fn jacobian(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    budget: MemoryBudget,
) -> Result<Jacobian, GradError> {
    let Forward { steps, partials, state } = forward(circuit, inputs, params, budget)?;

    // The outputs and, for each, the cotangent recipe.
    let outputs = measured_outputs(circuit, &state)?;
    let mut cotangents: Vec<Cotangent> = Vec::new();
    for (measurement_idx, measurement) in circuit.measurements.iter().enumerate() {
        match measurement {
            Measurement::Expval(_) | Measurement::Var(_) => {
                cotangents.push(Cotangent { measurement_idx, basis_state: 0 })
            }
            Measurement::Probs(wires) => cotangents
                .extend((0..1usize << wires.len()).map(|basis_state| Cotangent { measurement_idx, basis_state })),
            Measurement::Sample(_) | Measurement::State => {}
        }
    }

    let mut result = zero_jacobian(outputs, params.len());
    let batch_size = batch_size(circuit, cotangents.len(), budget);
    for (batch_idx, batch) in cotangents.chunks(batch_size).enumerate() {
        let mut lambdas = Vec::with_capacity(batch.len());
        for cotangent in batch {
            lambdas.push(cotangent.build(circuit, &state)?);
        }
        let rows = backward_sweep(&steps, &state, &mut lambdas, &partials, params.len())?;
        for (position, row) in rows.into_iter().enumerate() {
            let output_idx = batch_idx * batch_size + position;
            result.values[output_idx * params.len()..(output_idx + 1) * params.len()].copy_from_slice(&row);
        }
    }
    Ok(result)
}

/// The outputs and the vector-Jacobian product cᵀJ by the adjoint method (exact execution only),
/// within `budget`, where `cotangent` maps the outputs to c (one weight per output).
///
/// Rather than one backward sweep per output, the sweep carries the single state A ψ with
/// A = Σ_i c_i A_i, the cotangent-weighted sum of the outputs' operators; the derivative is linear
/// in A, so one sweep gives cᵀJ. The caller has checked that one cotangent state fits.
pub(crate) fn vjp<E>(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    budget: MemoryBudget,
    cotangent: impl FnOnce(&[f64]) -> Result<Vec<f64>, E>,
) -> Result<(Vec<f64>, Vec<f64>), VjpError<E>> {
    let Forward { steps, partials, state } = forward(circuit, inputs, params, budget)?;
    let outputs = measured_outputs(circuit, &state).map_err(GradError::from)?;
    let weights = cotangent(&outputs).map_err(VjpError::Cotangent)?;
    if weights.len() != outputs.len() {
        return Err(GradError::CotangentLength { expected: outputs.len(), found: weights.len() }.into());
    }
    let mut lambdas = vec![weighted_cotangent(circuit, &state, &weights).map_err(GradError::from)?];
    let mut rows = backward_sweep(&steps, &state, &mut lambdas, &partials, params.len()).map_err(GradError::from)?;
    let gradient = rows.pop().unwrap_or_else(|| vec![0.0; params.len()]);
    Ok((outputs, gradient))
}

/// A ψ for A = Σ_i weights_i A_i over the outputs: for an expval output A_i = O, for a variance
/// O² − 2⟨O⟩O, for the probability of basis state k of the measured wires the projector |k⟩⟨k|,
/// so a probs measurement contributes the diagonal operator Σ_k c_k |k⟩⟨k|.
fn weighted_cotangent(circuit: &Circuit, state: &State, weights: &[f64]) -> Result<State, SimError> {
    let mut lambda = state.try_zeroed_like()?;
    let parallel = state.is_parallel();
    let mut offset = 0;
    for measurement in &circuit.measurements {
        match measurement {
            Measurement::Expval(observable) => {
                let weight = weights[offset];
                offset += 1;
                if weight == 0.0 {
                    continue;
                }
                for (term_weight, word) in &pauli_sum(state, observable).terms {
                    word.accumulate(weight * term_weight, state, lambda.amplitudes_mut());
                }
            }
            Measurement::Var(observable) => {
                let weight = weights[offset];
                offset += 1;
                if weight == 0.0 {
                    continue;
                }
                let sum = pauli_sum(state, observable);
                let applied = sum.apply(state)?;
                let mean = state.inner(&applied).re;
                let squared = sum.apply(&applied)?;
                let add = |((target, squared), applied): ((&mut Complex64, &Complex64), &Complex64)| {
                    *target += (squared - applied * (2.0 * mean)) * weight
                };
                let target = lambda.amplitudes_mut();
                if parallel {
                    target
                        .par_iter_mut()
                        .zip(squared.amplitudes().par_iter())
                        .zip(applied.amplitudes().par_iter())
                        .for_each(add);
                } else {
                    target.iter_mut().zip(squared.amplitudes()).zip(applied.amplitudes()).for_each(add);
                }
            }
            Measurement::Probs(wires) => {
                let bits: Vec<usize> = wires.iter().map(|wire| state.bit(*wire)).collect();
                let probs_weights = &weights[offset..offset + (1usize << wires.len())];
                offset += probs_weights.len();
                if probs_weights.iter().all(|weight| *weight == 0.0) {
                    continue;
                }
                let amplitudes = state.amplitudes();
                let add = |(index, target): (usize, &mut Complex64)| {
                    *target += amplitudes[index] * probs_weights[local_index(index, &bits)]
                };
                if parallel {
                    lambda.amplitudes_mut().par_iter_mut().enumerate().for_each(add);
                } else {
                    lambda.amplitudes_mut().iter_mut().enumerate().for_each(add);
                }
            }
            Measurement::Sample(_) | Measurement::State => {}
        }
    }
    Ok(lambda)
}

/// How many cotangent states sweep together: as many as fit in a gibibyte (at most 64, at least
/// one) and, beside the forward state and its running copy, in the budget.
fn batch_size(circuit: &Circuit, n_cotangents: usize, budget: MemoryBudget) -> usize {
    let state_bytes = MemoryNeed::state_bytes(circuit.n_qubits);
    let by_sweep_memory = (SWEEP_MEMORY_BYTES as u128 / state_bytes.max(1)).clamp(1, 64) as usize;
    let mut batch_size = by_sweep_memory.min(n_cotangents.max(1));
    while batch_size > 1 && adjoint_need(circuit, batch_size).bytes() > u128::from(budget.limit_bytes) {
        batch_size /= 2;
    }
    batch_size
}

/// Which output a cotangent belongs to.
struct Cotangent {
    measurement_idx: usize,
    /// For probs, the basis state (of the measured wires) whose probability is differentiated.
    basis_state: usize,
}

impl Cotangent {
    /// A ψ for the output's operator A.
    fn build(&self, circuit: &Circuit, state: &State) -> Result<State, SimError> {
        Ok(match &circuit.measurements[self.measurement_idx] {
            Measurement::Expval(observable) => pauli_sum(state, observable).apply(state)?,
            Measurement::Var(observable) => {
                let sum = pauli_sum(state, observable);
                let applied = sum.apply(state)?;
                let mean = state.inner(&applied).re;
                let mut squared = sum.apply(&applied)?;
                let parallel = state.is_parallel();
                let combine = |(target, source): (&mut Complex64, &Complex64)| *target -= source * (2.0 * mean);
                if parallel {
                    squared.amplitudes_mut().par_iter_mut().zip(applied.amplitudes().par_iter()).for_each(combine);
                } else {
                    squared.amplitudes_mut().iter_mut().zip(applied.amplitudes()).for_each(combine);
                }
                squared
            }
            Measurement::Probs(wires) => {
                let bits: Vec<usize> = wires.iter().map(|wire| state.bit(*wire)).collect();
                let mut projected = state.try_clone()?;
                for (index, amplitude) in projected.amplitudes_mut().iter_mut().enumerate() {
                    if local_index(index, &bits) != self.basis_state {
                        *amplitude = Complex64::new(0.0, 0.0);
                    }
                }
                projected
            }
            Measurement::Sample(_) | Measurement::State => state.try_clone()?,
        })
    }
}

/// Splits a gate into steps: one per elementary part for parametric gates, one otherwise.
fn push_gate_steps(
    steps: &mut Vec<Step>,
    gate: &Gate,
    op_idx: usize,
    partials: &[Vec<(usize, f64)>],
    angles: &[f64; 3],
    bit_of: impl Fn(Wire) -> usize + Copy,
) {
    let parts = elementary_parts(gate.kind);
    if parts.is_empty() {
        let kernel = gate_kernel(gate.kind, &gate.wires, &gate.controls, angles, bit_of);
        steps.push(Step::Gate { kernel, derivative: None });
        return;
    }
    for (part_kind, slot) in parts {
        let kernel = gate_kernel(part_kind, &gate.wires, &gate.controls, &[angles[slot]], bit_of);
        let depends_on_params = partials.get(slot).is_some_and(|slot_partials| !slot_partials.is_empty());
        let derivative =
            depends_on_params.then(|| (generator(part_kind, &gate.wires, &gate.controls, bit_of), op_idx, slot));
        steps.push(Step::Gate { kernel, derivative });
    }
}

/// Applies a step, or its inverse.
fn apply_step(state: &mut State, step: &Step, inverse: bool) {
    let parallel = state.is_parallel();
    match step {
        Step::Gate { kernel, .. } => {
            let kernel = if inverse { kernel.adjoint() } else { *kernel };
            kernel.apply(state.amplitudes_mut(), parallel);
        }
        Step::Embedding { wires, amplitudes } => reflect_embedding(state, wires, amplitudes),
    }
}

/// Runs backwards through the steps from the final `state`, returning one gradient row per cotangent.
fn backward_sweep(
    steps: &[Step],
    state: &State,
    lambdas: &mut [State],
    partials: &[Vec<Vec<(usize, f64)>>],
    n_params: usize,
) -> Result<Vec<Vec<f64>>, SimError> {
    let mut psi = state.try_clone()?;
    let mut rows = vec![vec![0.0; n_params]; lambdas.len()];
    // With at least as many cotangents as threads, each thread takes whole cotangent states
    // (sequential kernels) rather than every kernel splitting one state across threads.
    let threads = rayon::current_num_threads();
    let parallel_over_lambdas = lambdas.len() > 1 && (!state.is_parallel() || lambdas.len() >= threads);
    if parallel_over_lambdas {
        lambdas.iter_mut().for_each(State::set_sequential);
    }
    for step in steps.iter().rev() {
        if let Step::Gate { derivative: Some((generator, op_idx, slot)), .. } = step {
            let derivative_of = |lambda: &State| {
                2.0 * (generator.factor * generator.word.matrix_element(lambda, &psi, generator.projector_mask)).re
            };
            let add_to = |row: &mut Vec<f64>, derivative: f64| {
                for (param_idx, partial) in &partials[*op_idx][*slot] {
                    row[*param_idx] += derivative * partial;
                }
            };
            if parallel_over_lambdas {
                let derivatives: Vec<f64> = lambdas.par_iter().map(derivative_of).collect();
                rows.iter_mut().zip(derivatives).for_each(|(row, derivative)| add_to(row, derivative));
            } else {
                // One cotangent (a vector-Jacobian product) or a sequential batch: no buffer per step.
                rows.iter_mut().zip(lambdas.iter()).for_each(|(row, lambda)| add_to(row, derivative_of(lambda)));
            }
        }
        apply_step(&mut psi, step, true);
        if parallel_over_lambdas {
            lambdas.par_iter_mut().for_each(|lambda| apply_step(lambda, step, true));
        } else {
            lambdas.iter_mut().for_each(|lambda| apply_step(lambda, step, true));
        }
    }
    Ok(rows)
}
