//! The adjoint method: one forward pass, then backward sweeps that carry the state and one cotangent per
//! output (the Jacobian) or a single cotangent-weighted one (the vector-Jacobian product).
//!
//! For an output ⟨ψ|A|ψ⟩ the derivative by a gate angle θ is 2 Re ⟨λ|dU/dθ|φ⟩, with φ the state
//! before the gate and λ = (U_N … U_{k+1})† A ψ. Every one-angle gate here satisfies
//! dU/dθ = c Π W U, with W a Pauli word (or, for the excitation gates, a rotation of one pair of
//! basis states and a phase on the others), Π a projector onto control (or phase) bits being 1 and c a
//! constant, so the derivative is 2 Re(c ⟨λ|Π W|ψ_after⟩): a single pass over the amplitudes,
//! without building any matrix or allocating. The cotangents: A = O for expval, A = O² − 2⟨O⟩O for
//! var, and the projector onto each basis state for probs.

mod sweep;

#[cfg(test)]
pub(crate) mod reference;
#[cfg(test)]
mod tests;

use crate::builtins::gates::Generator as GeneratorRule;
use crate::grad::memory::adjoint_need;
use crate::grad::{checked_partials, zero_jacobian, GradError, Jacobian, VjpError};
use crate::ir::{Circuit, GateKind, Measurement, Op, Wire};
use crate::sim::measure::{local_index, pauli_sum};
use crate::sim::pauli::PauliWord;
use crate::sim::plan::{AngleSource, Plan};
use crate::sim::state::{chunked_sum, State};
use crate::sim::{MeasurementValues, MemoryBudget, MemoryNeed, SimError};
use num_complex::Complex64;
use rayon::prelude::*;
use sweep::Sweep;

/// The memory the cotangent states of one backward sweep may use together.
const SWEEP_MEMORY_BYTES: usize = 1 << 30;

/// dU/dθ = factor · Π W · U, with Π the projector onto the bits of `projector_mask` being 1 and W
/// the `operator`.
///
/// It describes the derivative completely: the Hermitian generator G of U = exp(−iθG) (the
/// operator of the metric tensor) is G = i · factor · Π W, and [`Generator::apply`] applies
/// factor · Π W to a state, [`Generator::matrix_element`] gives factor ⟨bra|Π W|ket⟩.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Generator {
    pub(crate) operator: GeneratorOperator,
    pub(crate) projector_mask: usize,
    pub(crate) factor: Complex64,
}

/// The operator W of a [`Generator`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum GeneratorOperator {
    /// A Pauli word (the identity for phase gates).
    Word(PauliWord),
    /// An excitation's |b⟩⟨a| − |a⟩⟨b| + 2i·outside·(1 − |a⟩⟨a| − |b⟩⟨b|) on the bits of
    /// `first | second`, with a (b) the basis states whose bits there are exactly those of `first`
    /// (`second`), the other bits left alone; with factor 1/2 (see `builtins::gates::Generator`).
    Excitation { first: usize, second: usize, outside: f64 },
    /// A real symmetric 4x4 matrix on bits (`first`, `second`), `first` the more significant
    /// (see `builtins::gates::Generator::TwoWire`), with factor i.
    TwoWire { first: usize, second: usize, hermitian: [[f64; 4]; 4] },
}

impl GeneratorOperator {
    /// (W ket) at basis state `output`, for W without its common phase (see [`Self::phase`]).
    #[inline(always)]
    fn entry(self, ket: &[Complex64], output: usize) -> Complex64 {
        match self {
            GeneratorOperator::Word(word) => {
                let input = output ^ word.x_mask;
                if (input & word.z_mask).count_ones() & 1 == 0 {
                    ket[input]
                } else {
                    -ket[input]
                }
            }
            GeneratorOperator::Excitation { first, second, outside } => {
                let mask = first | second;
                let pattern = output & mask;
                if pattern == second {
                    ket[output ^ mask]
                } else if pattern == first {
                    -ket[output ^ mask]
                } else {
                    ket[output] * Complex64::new(0.0, 2.0 * outside)
                }
            }
            GeneratorOperator::TwoWire { first, second, hermitian } => {
                let row = &hermitian[(output >> first & 1) << 1 | (output >> second & 1)];
                let base = output & !(1 << first | 1 << second);
                let mut sum = Complex64::new(0.0, 0.0);
                for (column, weight) in row.iter().enumerate() {
                    if *weight != 0.0 {
                        let input = base | (column >> 1) << first | (column & 1) << second;
                        sum += ket[input] * *weight;
                    }
                }
                sum
            }
        }
    }

    /// The phase common to every entry (i^{n_y} of a Pauli word), applied once outside the sums.
    fn phase(self) -> Complex64 {
        match self {
            GeneratorOperator::Word(word) => word.coefficient(0),
            GeneratorOperator::Excitation { .. } | GeneratorOperator::TwoWire { .. } => Complex64::new(1.0, 0.0),
        }
    }
}

impl Generator {
    /// Σ over the outputs in `range` whose projector bits are all 1 of conj(bra_out) (W ket)_out,
    /// without the common phase and the factor ([`Generator::chunk_phase`] gives both).
    pub(crate) fn chunk_sum(&self, bra: &[Complex64], ket: &[Complex64], range: std::ops::Range<usize>) -> Complex64 {
        let projector = self.projector_mask;
        let sum = |operator: GeneratorOperator| {
            let mut partial = Complex64::new(0.0, 0.0);
            for output in range.clone() {
                if output & projector != projector {
                    continue;
                }
                partial += bra[output].conj() * operator.entry(ket, output);
            }
            partial
        };
        // One loop per kind of operator, so that the hot loop of Pauli words does not branch on it.
        match self.operator {
            operator @ GeneratorOperator::Word(_) => sum(operator),
            operator @ GeneratorOperator::Excitation { .. } => sum(operator),
            operator @ GeneratorOperator::TwoWire { .. } => sum(operator),
        }
    }

    /// What multiplies the sum of [`Generator::chunk_sum`] over every chunk: factor times the common phase.
    pub(crate) fn chunk_phase(&self) -> Complex64 {
        self.factor * self.operator.phase()
    }

    /// factor · ⟨bra| Π W |ket⟩, summed over fixed chunks (the same result on any thread count).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn matrix_element(&self, bra: &State, ket: &State) -> Complex64 {
        let parallel = bra.is_parallel() && ket.is_parallel();
        let (bra, ket) = (bra.amplitudes(), ket.amplitudes());
        let sum: Complex64 = chunked_sum(bra.len(), parallel, |range| self.chunk_sum(bra, ket, range));
        self.chunk_phase() * sum
    }

    /// Writes factor · Π W |ket⟩ into `out` (of the same length): −i G |ket⟩ for the gate's
    /// Hermitian generator G. For the metric tensor, which needs G applied to states.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn apply(&self, ket: &[Complex64], out: &mut [Complex64]) {
        let phase = self.chunk_phase();
        let projector = self.projector_mask;
        for (output, slot) in out.iter_mut().enumerate() {
            *slot = if output & projector == projector {
                phase * self.operator.entry(ket, output)
            } else {
                Complex64::new(0.0, 0.0)
            };
        }
    }
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
    let identity = GeneratorOperator::Word(PauliWord::default());
    match kind.info().generator {
        GeneratorRule::Pauli { pauli, controls: n_controls } => {
            let (gate_controls, targets) = wires.split_at(n_controls.min(wires.len()));
            let word = targets.iter().fold(PauliWord::default(), |word, wire| word.with_factor(pauli, bit_of(*wire)));
            Generator {
                operator: GeneratorOperator::Word(word),
                projector_mask: projector_mask | mask_of(gate_controls),
                factor: Complex64::new(0.0, -0.5),
            }
        }
        GeneratorRule::Projector => Generator {
            operator: identity,
            projector_mask: projector_mask | mask_of(wires),
            factor: Complex64::new(0.0, 1.0),
        },
        GeneratorRule::Excitation { outside } => {
            // As the kernel: a has the last half of the wires set, b the first half.
            let (leading, trailing) = wires.split_at(wires.len() / 2);
            Generator {
                operator: GeneratorOperator::Excitation { first: mask_of(trailing), second: mask_of(leading), outside },
                projector_mask,
                factor: Complex64::new(0.5, 0.0),
            }
        }
        GeneratorRule::TwoWire { hermitian, .. } => Generator {
            operator: GeneratorOperator::TwoWire { first: bit_of(wires[0]), second: bit_of(wires[1]), hermitian },
            projector_mask,
            factor: Complex64::new(0.0, 1.0),
        },
        GeneratorRule::GlobalPhase => {
            Generator { operator: identity, projector_mask, factor: Complex64::new(0.0, -1.0) }
        }
        // Gates without angles have no generator; a zero factor makes their derivative vanish.
        // (Expanded gates never reach a circuit.)
        GeneratorRule::None | GeneratorRule::Parts(_) | GeneratorRule::Expanded => {
            Generator { operator: identity, projector_mask, factor: Complex64::new(0.0, 0.0) }
        }
    }
}

/// How one derivative of the sweep enters the gradient: a param with partial 1, or the chain
/// rule through an angle expression.
enum SlotPartials {
    Param(usize),
    Expression(Vec<(usize, f64)>),
}

/// What the forward pass leaves for the backward sweeps: the sweep, the partials of each of its
/// derivatives, and the final state.
struct Forward {
    sweep: Sweep,
    partials: Vec<SlotPartials>,
    state: State,
}

/// Runs the plan forward from |0…0⟩ within `budget` and builds the backward sweep.
fn forward(plan: &Plan<'_>, inputs: &[f64], params: &[f64], budget: MemoryBudget) -> Result<Forward, GradError> {
    let circuit = plan.circuit();
    plan.check_values(inputs, params)?;
    let mut angles = Vec::new();
    plan.angles_into(inputs, params, None, &mut angles)?;
    // The partials of every slot that depends on a param; expressions are differentiated once here.
    let mut slot_partials: Vec<Option<SlotPartials>> = Vec::with_capacity(plan.slots.len());
    for (slot, source) in plan.slots.iter().enumerate() {
        slot_partials.push(match *source {
            AngleSource::Param(index) => Some(SlotPartials::Param(index)),
            AngleSource::Expr { op_idx, angle_slot } => match &circuit.ops[op_idx] {
                Op::Gate(gate) => {
                    let partials = checked_partials(circuit, gate, angle_slot, angles[slot], inputs, params)?;
                    (!partials.is_empty()).then_some(SlotPartials::Expression(partials))
                }
                Op::StatePrep(_) => None,
            },
            AngleSource::Const(_) | AngleSource::Input(_) => None,
        });
    }
    let sweep = Sweep::build(plan, inputs, params, &angles, |slot| slot_partials[slot].is_some())?;
    let partials = sweep
        .derivative_slots
        .iter()
        .map(|slot| match &slot_partials[*slot] {
            Some(SlotPartials::Param(index)) => SlotPartials::Param(*index),
            Some(SlotPartials::Expression(partials)) => SlotPartials::Expression(partials.clone()),
            None => SlotPartials::Expression(Vec::new()),
        })
        .collect();
    let mut state = State::zero_within(circuit.n_qubits, budget)?;
    if rayon::current_num_threads() <= 1 {
        state.set_sequential();
    }
    let mut kernels = Vec::new();
    // On a worker thread of the pool, a pass that splits over threads does not first hand itself
    // over to the pool and wait (two thread switches per pass otherwise, on one thread too).
    rayon::scope(|_| plan.apply(&mut state, inputs, params, &angles, &mut kernels))?;
    Ok(Forward { sweep, partials, state })
}

/// The measured outputs of the final state (expval, var and probs values concatenated).
pub(crate) fn measured_outputs(circuit: &Circuit, state: &State) -> Result<Vec<f64>, SimError> {
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
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    budget: MemoryBudget,
) -> Result<Jacobian, GradError> {
    // On a worker thread of the pool, the passes that split over threads do not hand themselves
    // over to the pool and wait for it (thread switches and wake-ups, even on one thread).
    rayon::scope(|_| jacobian_on_worker(plan, inputs, params, budget))
}

/// [`jacobian`], on a worker thread of the pool.
fn jacobian_on_worker(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    budget: MemoryBudget,
) -> Result<Jacobian, GradError> {
    let circuit = plan.circuit();
    let Forward { sweep, partials, state } = forward(plan, inputs, params, budget)?;

    // The outputs and, for each, the cotangent recipe.
    let outputs = measured_outputs(circuit, &state)?;
    let cotangents = cotangents(circuit);
    let mut result = zero_jacobian(outputs, params.len());
    let workers = rayon::current_num_threads().max(1);
    let batch_size = batch_size(circuit, cotangents.len(), budget, workers);
    for (batch_idx, batch) in cotangents.chunks(batch_size).enumerate() {
        let mut lambdas = Vec::with_capacity(batch.len());
        for cotangent in batch {
            lambdas.push(cotangent.build(circuit, &state)?);
        }
        let rows = sweep_rows(&sweep, &partials, &state, &mut lambdas, params.len())?;
        for (position, row) in rows.into_iter().enumerate() {
            let output_idx = batch_idx * batch_size + position;
            result.values[output_idx * params.len()..(output_idx + 1) * params.len()].copy_from_slice(&row);
        }
    }
    Ok(result)
}

/// Every output's cotangent recipe, in output order.
pub(crate) fn cotangents(circuit: &Circuit) -> Vec<Cotangent> {
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
    cotangents
}

/// The outputs and the vector-Jacobian product cᵀJ by the adjoint method (exact execution only),
/// within `budget`, where `cotangent` maps the outputs to c (one weight per output).
///
/// Rather than one backward sweep per output, the sweep carries the single state A ψ with
/// A = Σ_i c_i A_i, the cotangent-weighted sum of the outputs' operators; the derivative is linear
/// in A, so one sweep gives cᵀJ. The caller has checked that one cotangent state fits.
pub(crate) fn vjp<E>(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    budget: MemoryBudget,
    cotangent: impl FnOnce(&[f64]) -> Result<Vec<f64>, E>,
) -> Result<(Vec<f64>, Vec<f64>), VjpError<E>> {
    let circuit = plan.circuit();
    let Forward { sweep, partials, state } = forward(plan, inputs, params, budget)?;
    let outputs = measured_outputs(circuit, &state).map_err(GradError::from)?;
    let weights = cotangent(&outputs).map_err(VjpError::Cotangent)?;
    if weights.len() != outputs.len() {
        return Err(GradError::CotangentLength { expected: outputs.len(), found: weights.len() }.into());
    }
    let mut lambdas = vec![weighted_cotangent(circuit, &state, &weights).map_err(GradError::from)?];
    let mut rows = sweep_rows(&sweep, &partials, &state, &mut lambdas, params.len()).map_err(GradError::from)?;
    let gradient = rows.pop().unwrap_or_else(|| vec![0.0; params.len()]);
    Ok((outputs, gradient))
}

/// The state bytes one sweep should keep together (its copy of ψ and its cotangents), so that a
/// sweep's passes stay in the cache where they can (measured on sel16: 4 to 8 cotangents of
/// 16 qubits per sweep beat 1, 2 and 16).
const SWEEP_CACHE_BYTES: u128 = 8 << 20;

/// Runs the sweep for every cotangent state in `lambdas` from the final `state`, one gradient
/// row per cotangent.
///
/// With several cotangents and either a small register or at least as many cotangents as threads,
/// each thread takes a contiguous group of cotangents with its own copy of ψ, and sweeps them a
/// few at a time (as many as fit in the cache beside ψ), every pass on one thread; otherwise the
/// cotangents sweep a few at a time and every pass splits its amplitudes over the threads. Each
/// derivative is summed over the same fixed chunks in the same order either way.
fn sweep_rows(
    sweep: &Sweep,
    partials: &[SlotPartials],
    state: &State,
    lambdas: &mut [State],
    n_params: usize,
) -> Result<Vec<Vec<f64>>, SimError> {
    let n_derivatives = sweep.n_derivatives();
    let n_lambdas = lambdas.len();
    let mut values = vec![0.0; n_lambdas * n_derivatives];
    let state_bytes = MemoryNeed::state_bytes(state.n_qubits()).max(1);
    let per_sweep = ((SWEEP_CACHE_BYTES / state_bytes).saturating_sub(1) as usize).clamp(1, 64);
    let threads = rayon::current_num_threads().max(1);
    let over_lambdas = n_lambdas > 1 && (!state.is_parallel() || n_lambdas >= threads);
    let parallel = state.is_parallel() && threads > 1;
    let sweep_group = |lambdas: &mut [State], values: &mut [f64], parallel: bool| -> Result<(), SimError> {
        let mut psi = state.try_clone()?;
        if !parallel {
            psi.set_sequential();
        }
        for (index, (group, group_values)) in
            lambdas.chunks_mut(per_sweep).zip(values.chunks_mut(per_sweep * n_derivatives.max(1))).enumerate()
        {
            if index > 0 {
                psi.amplitudes_mut().copy_from_slice(state.amplitudes());
            }
            sweep.run(&mut psi, group, parallel, group_values);
        }
        Ok(())
    };
    // The whole sweep runs on a worker thread of the pool (see `forward`).
    let sweep_all = |lambdas: &mut [State], values: &mut Vec<f64>| -> Result<(), SimError> {
        if over_lambdas {
            lambdas.iter_mut().for_each(State::set_sequential);
            let group = n_lambdas.div_ceil(threads.min(n_lambdas));
            lambdas
                .par_chunks_mut(group)
                .zip(values.par_chunks_mut(group * n_derivatives))
                .map(|(lambdas, values)| sweep_group(lambdas, values, false))
                .collect::<Result<Vec<()>, SimError>>()?;
        } else {
            sweep_group(lambdas, values, parallel)?;
        }
        Ok(())
    };
    if n_derivatives > 0 && n_lambdas > 0 {
        rayon::scope(|_| sweep_all(lambdas, &mut values))?;
    }
    let mut rows = vec![vec![0.0; n_params]; n_lambdas];
    for (row, values) in rows.iter_mut().zip(values.chunks(n_derivatives.max(1))) {
        for (value, partials) in values.iter().zip(partials) {
            match partials {
                SlotPartials::Param(index) => row[*index] += value,
                SlotPartials::Expression(partials) => {
                    for (param_idx, partial) in partials {
                        row[*param_idx] += value * partial;
                    }
                }
            }
        }
    }
    Ok(rows)
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
                pauli_sum(state, observable).accumulate(weight, state, lambda.amplitudes_mut());
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
pub(crate) fn batch_size(circuit: &Circuit, n_cotangents: usize, budget: MemoryBudget, workers: usize) -> usize {
    let state_bytes = MemoryNeed::state_bytes(circuit.n_qubits);
    let by_sweep_memory = (SWEEP_MEMORY_BYTES as u128 / state_bytes.max(1)).clamp(1, 64) as usize;
    let mut batch_size = by_sweep_memory.min(n_cotangents.max(1));
    while batch_size > 1
        && adjoint_need(circuit, batch_size, workers.min(batch_size)).bytes() > u128::from(budget.limit_bytes)
    {
        batch_size /= 2;
    }
    batch_size
}

/// Which output a cotangent belongs to.
pub(crate) struct Cotangent {
    measurement_idx: usize,
    /// For probs, the basis state (of the measured wires) whose probability is differentiated.
    basis_state: usize,
}

impl Cotangent {
    /// A ψ for the output's operator A.
    pub(crate) fn build(&self, circuit: &Circuit, state: &State) -> Result<State, SimError> {
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
