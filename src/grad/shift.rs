//! The parameter-shift rule: derivatives from the circuit run at shifted gate angles, exact or with shots.
//!
//! A gate whose angle enters as exp(-iθG) with G having two eigenvalues one apart (Pauli rotations,
//! Ising gates, multirz, phase and cphase, also under `ctrl` for the phase gates) follows the
//! two-term rule f'(θ) = [f(θ + π/2) − f(θ − π/2)] / 2. A controlled rotation (crx, cry, crz, or
//! any rotation inside `ctrl`) has generator eigenvalues {0, ±1/2} and follows PennyLane's
//! four-term rule f'(θ) = c₊[f(θ + π/2) − f(θ − π/2)] − c₋[f(θ + 3π/2) − f(θ − 3π/2)], with
//! c± = (√2 ± 1)/(4√2). The excitation gates follow PennyLane's parameter frequencies: the
//! four-term rule for `single_excitation` and `double_excitation` (generator eigenvalues {0, ±1/2}),
//! the two-term rule for their `_plus`/`_minus` variants (±1/2) outside `ctrl`, four-term inside.
//!
//! The rules hold for expectation values, so what is shifted are the linear outputs (⟨O⟩ for
//! expval, ⟨O⟩ and ⟨O²⟩ for var, the probabilities for probs); a variance's derivative is then
//! d⟨O²⟩ − 2⟨O⟩ d⟨O⟩, as PennyLane computes it.
//!
//! With shots, the unshifted outputs use the given seed (so they equal `sim::execute`'s), and
//! the k-th shifted circuit uses a seed derived from it and k, so every evaluation has its own
//! stream and the result does not depend on the thread count.

use crate::grad::{angle_partials, shift_rule, zero_jacobian, GradError, Jacobian, ShiftRule};
use crate::ir::{Measurement, Op};
use crate::sim::{AngleShift, MemoryBudget, Plan, Shots, PARALLEL_MIN_QUBITS};
use rayon::prelude::*;

/// One shifted evaluation: the shift and the weight of its outputs in d f / d angle.
#[derive(Clone, Copy, Debug)]
struct Evaluation {
    shift: AngleShift,
    weight: f64,
}

/// The shifted evaluations of one angle, by its rule.
fn evaluations(op_idx: usize, angle_slot: usize, rule: ShiftRule) -> Vec<Evaluation> {
    rule.terms()
        .into_iter()
        .map(|(delta, weight)| Evaluation { shift: AngleShift { op_idx, angle_slot, delta }, weight })
        .collect()
}

/// A well-mixed seed for the `evaluation_idx`-th shifted circuit (SplitMix64 of seed and index).
pub(crate) fn derived_seed(seed: u64, evaluation_idx: usize) -> u64 {
    let mut z = seed ^ (evaluation_idx as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The Jacobian by the parameter-shift rule.
pub(crate) fn jacobian(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    budget: MemoryBudget,
) -> Result<Jacobian, GradError> {
    let circuit = plan.circuit();
    let partials = angle_partials(circuit, inputs, params)?;
    let base = plan.execute(inputs, params, shots, budget)?;
    // Every (op, angle slot) whose angle depends on a param, with its evaluations.
    let mut angles = Vec::new();
    let mut jobs = Vec::new();
    for (op_idx, op) in circuit.ops.iter().enumerate() {
        let Op::Gate(gate) = op else { continue };
        for (angle_slot, slot_partials) in partials[op_idx].iter().enumerate() {
            if slot_partials.is_empty() {
                continue;
            }
            let first_job = jobs.len();
            jobs.extend(evaluations(op_idx, angle_slot, shift_rule(gate, angle_slot)));
            angles.push((op_idx, angle_slot, first_job..jobs.len()));
        }
    }

    let run = |(evaluation_idx, evaluation): (usize, &Evaluation)| {
        let shots = shots.map(|shots| Shots { count: shots.count, seed: derived_seed(shots.seed, evaluation_idx) });
        plan.linear_outputs(inputs, params, shots, Some(evaluation.shift), budget)
    };
    // Small registers run the shifted circuits side by side; large ones one at a time, each in parallel inside.
    let results: Vec<Vec<f64>> = if circuit.n_qubits < PARALLEL_MIN_QUBITS {
        jobs.par_iter().enumerate().map(run).collect::<Result<_, _>>()?
    } else {
        jobs.iter().enumerate().map(run).collect::<Result<_, _>>()?
    };

    // The Jacobian of the linear outputs (expectation values of fixed operators) by the shift rules.
    let n_params = params.len();
    let base_linear = plan.linear_outputs(inputs, params, shots, None, budget)?;
    let mut linear_jacobian = vec![0.0; base_linear.len() * n_params];
    for (op_idx, angle_slot, job_range) in angles {
        for job_idx in job_range {
            let weight = jobs[job_idx].weight;
            for (linear_idx, value) in results[job_idx].iter().enumerate() {
                for (param_idx, partial) in &partials[op_idx][angle_slot] {
                    linear_jacobian[linear_idx * n_params + param_idx] += weight * value * partial;
                }
            }
        }
    }

    // Outputs from linear outputs: expval and probs are linear; d var = d⟨O²⟩ − 2⟨O⟩ d⟨O⟩.
    let mut result = zero_jacobian(base.outputs, n_params);
    let (mut linear_idx, mut output_idx) = (0, 0);
    let linear_row = |index: usize| &linear_jacobian[index * n_params..(index + 1) * n_params];
    for measurement in &circuit.measurements {
        match measurement {
            Measurement::Var(_) => {
                let mean = base_linear[linear_idx];
                let row = &mut result.values[output_idx * n_params..(output_idx + 1) * n_params];
                for ((entry, d_mean), d_square) in
                    row.iter_mut().zip(linear_row(linear_idx)).zip(linear_row(linear_idx + 1))
                {
                    *entry = d_square - 2.0 * mean * d_mean;
                }
                linear_idx += 2;
                output_idx += 1;
            }
            Measurement::Expval(_) | Measurement::Probs(_) => {
                let n_outputs = measurement.n_outputs().unwrap_or(0);
                for _ in 0..n_outputs {
                    result.values[output_idx * n_params..(output_idx + 1) * n_params]
                        .copy_from_slice(linear_row(linear_idx));
                    linear_idx += 1;
                    output_idx += 1;
                }
            }
            Measurement::Sample(_) | Measurement::State => {}
        }
    }
    Ok(result)
}
