//! The adjoint method as it was before the fused sweep: one pass per elementary gate, kept to test the fused sweep against.

use crate::grad::adjoint::{batch_size, generator, measured_outputs, Cotangent, Generator};
use crate::grad::{angle_partials, elementary_parts, zero_jacobian, GradError, Jacobian};
use crate::ir::{Circuit, Gate, Measurement, Op, Wire};
use crate::sim::kernels::{gate_kernel, Kernel};
use crate::sim::state::{reflect_embedding, State};
use crate::sim::{checked_embedding_amplitudes, checked_gate_angles, MemoryBudget, SimError};
use rayon::prelude::*;

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
    let batch_size = batch_size(circuit, cotangents.len(), budget, 1);
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
            let derivative_of = |lambda: &State| 2.0 * generator.matrix_element(lambda, &psi).re;
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
