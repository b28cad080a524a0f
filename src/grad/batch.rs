//! The adjoint vector-Jacobian product for a batch of samples: one forward pass and one backward sweep over all their state vectors at once.
//!
//! For each sample s the product is the one [`crate::grad::vjp`] computes by the adjoint method:
//! the forward pass gives ψ_s and the outputs y_s, the cotangent function gives c_s = c(y_s), and
//! one backward sweep carries λ_s = Σ_i c_s,i O_i ψ_s back through the circuit, the derivative by
//! each gate angle being 2 Re(f ⟨λ_s|Π W|ψ_s⟩) for the angle's generator (f, Π, W). Here the
//! samples' states live in one [`BatchState`], so each gate (or gate part, going backwards) is one
//! pass for the whole batch, and each derivative one pass giving every sample's value.
//!
//! The engine supports circuits [`crate::sim::batch::supports`] accepts, run exactly. Samples whose
//! inputs or angles fail the checks (a wrong input count, an angle or angle derivative that is not
//! a finite number) come back as [`BatchSample::Unbatched`], for the caller to run one at a time,
//! which reports the error exactly as a single run does.

use crate::grad::adjoint::{generator, GeneratorOperator};
use crate::grad::{elementary_parts, GradError, VjpError};
use crate::ir::{Op, Wire};
use crate::sim::batch::{self, BatchAngles, Scratch};
use crate::sim::plan::{AngleSource, Plan, Step};
use num_complex::Complex64;

/// One sample's result from [`vjp`].
#[derive(Debug)]
pub(crate) enum BatchSample<E> {
    /// The outputs and the vector-Jacobian product.
    Done { outputs: Vec<f64>, gradient: Vec<f64> },
    /// The cotangent function failed, or gave the wrong number of weights.
    Failed(VjpError<E>),
    /// The sample did not pass the checks before running; run it alone to learn why.
    Unbatched,
}

/// The cotangent function: a sample's position and outputs in, its weights out.
type CotangentOf<'a, E> = dyn FnMut(usize, &[f64]) -> Result<Vec<f64>, E> + 'a;

/// How the params enter one angle slot.
enum SlotPartials {
    /// The angle reads no param: no derivative is taken.
    None,
    /// The angle is one param as it is.
    Param(usize),
    /// An expression: each sample's partials (param index, d angle / d param).
    Expr(Vec<Vec<(usize, f64)>>),
}

/// The outputs and vector-Jacobian products of a batch by the adjoint method, one entry per
/// sample of `inputs`, in order. `cotangent(position, outputs)` gives the weights of the sample at
/// `position`, and is called once for each sample that ran. The plan must be supported by
/// [`crate::sim::batch::supports`]; the caller has checked the memory.
pub(crate) fn vjp<E>(
    plan: &Plan<'_>,
    inputs: &[&[f64]],
    params: &[f64],
    mut cotangent: impl FnMut(usize, &[f64]) -> Result<Vec<f64>, E>,
) -> Vec<BatchSample<E>> {
    let (angles, ran) = passing_samples(plan, inputs, params);
    // The position in the whole batch of each sample that runs.
    let positions: Vec<usize> = ran.iter().enumerate().filter(|(_, ran)| **ran).map(|(position, _)| position).collect();
    let kept: Vec<&[f64]> = positions.iter().map(|position| inputs[*position]).collect();
    let results =
        vjp_checked(plan, &kept, &angles, params, &mut |position, outputs| cotangent(positions[position], outputs));
    merge(results, &ran)
}

/// Which samples pass the checks a run makes before it starts (their input and param vectors,
/// every angle and every angle's partial derivatives finite numbers), and their angles.
fn passing_samples(plan: &Plan<'_>, inputs: &[&[f64]], params: &[f64]) -> (BatchAngles, Vec<bool>) {
    let circuit = plan.circuit();
    let (angles, checks) = batch::batch_angles(plan, inputs, params);
    let expressions: Vec<&crate::ir::Expr> = plan
        .slots
        .iter()
        .filter_map(|source| match *source {
            AngleSource::Expr { op_idx, angle_slot } => match &circuit.ops[op_idx] {
                Op::Gate(gate) => Some(&gate.angles[angle_slot]),
                Op::StatePrep(_) => None,
            },
            _ => None,
        })
        .filter(|expr| !expr.params().is_empty())
        .collect();
    let ran: Vec<bool> = checks
        .iter()
        .zip(inputs)
        .map(|(check, sample_inputs)| {
            check.is_ok()
                && expressions.iter().all(|expr| {
                    expr.param_partials(sample_inputs, params).iter().all(|(_, partial)| partial.is_finite())
                })
        })
        .collect();
    if checks.iter().zip(&ran).all(|(check, ran)| check.is_ok() == *ran) {
        return (angles, ran);
    }
    // Rare: some samples have angles but a partial derivative that is not finite; their angles go.
    let mut kept = BatchAngles { n_slots: angles.n_slots, n_samples: 0, values: Vec::new() };
    let mut checked = 0;
    for (check, ran) in checks.iter().zip(&ran) {
        if check.is_ok() {
            if *ran {
                kept.values.extend_from_slice(angles.of(checked));
                kept.n_samples += 1;
            }
            checked += 1;
        }
    }
    (kept, ran)
}

/// The results of the samples that ran, placed among the ones that did not.
fn merge<E>(results: Vec<BatchSample<E>>, ran: &[bool]) -> Vec<BatchSample<E>> {
    let mut results = results.into_iter();
    ran.iter()
        .map(|ran| if *ran { results.next().unwrap_or(BatchSample::Unbatched) } else { BatchSample::Unbatched })
        .collect()
}

/// [`vjp`] for samples that all pass the checks.
fn vjp_checked<E>(
    plan: &Plan<'_>,
    inputs: &[&[f64]],
    angles: &BatchAngles,
    params: &[f64],
    cotangent: &mut CotangentOf<'_, E>,
) -> Vec<BatchSample<E>> {
    let n_samples = inputs.len();
    if n_samples == 0 {
        return Vec::new();
    }
    let circuit = plan.circuit();
    let n_params = params.len();
    let reads_inputs = batch::slots_reading_inputs(plan);
    let observables = batch::observables(plan);
    let n_outputs = observables.len();
    let mut scratch = Scratch::default();

    // Forward, outputs and each sample's cotangent weights (output-major, for the accumulation).
    let mut psi = batch::run(plan, &reads_inputs, angles, &mut scratch);
    let outputs = batch::expvals(&psi, &observables);
    let mut weights = vec![0.0; n_outputs * n_samples];
    let mut failures: Vec<Option<VjpError<E>>> = (0..n_samples).map(|_| None).collect();
    for sample in 0..n_samples {
        let sample_outputs = &outputs[sample * n_outputs..(sample + 1) * n_outputs];
        match cotangent(sample, sample_outputs) {
            Ok(sample_weights) if sample_weights.len() == n_outputs => {
                for (output, weight) in sample_weights.iter().enumerate() {
                    weights[output * n_samples + sample] = *weight;
                }
            }
            Ok(sample_weights) => {
                failures[sample] = Some(VjpError::Grad(GradError::CotangentLength {
                    expected: n_outputs,
                    found: sample_weights.len(),
                }))
            }
            Err(error) => failures[sample] = Some(VjpError::Cotangent(error)),
        }
    }

    // λ_s = Σ_i c_s,i O_i ψ_s.
    let mut lambda = psi.zeroed_like();
    let mut term_weights = vec![0.0; n_samples];
    for (output, observable) in observables.iter().enumerate() {
        let output_weights = &weights[output * n_samples..(output + 1) * n_samples];
        if output_weights.iter().all(|weight| *weight == 0.0) {
            continue;
        }
        for (term_weight, word) in &observable.terms {
            for (target, weight) in term_weights.iter_mut().zip(output_weights) {
                *target = weight * term_weight;
            }
            batch::accumulate(*word, &term_weights, &psi, &mut lambda);
        }
    }

    // The partials of each slot for the samples here.
    let slot_partials: Vec<SlotPartials> = plan
        .slots
        .iter()
        .map(|source| match *source {
            AngleSource::Const(_) | AngleSource::Input(_) => SlotPartials::None,
            AngleSource::Param(index) => SlotPartials::Param(index),
            AngleSource::Expr { op_idx, angle_slot } => match &circuit.ops[op_idx] {
                Op::Gate(gate) if !gate.angles[angle_slot].params().is_empty() => SlotPartials::Expr(
                    inputs
                        .iter()
                        .map(|sample_inputs| gate.angles[angle_slot].param_partials(sample_inputs, params))
                        .collect(),
                ),
                _ => SlotPartials::None,
            },
        })
        .collect();

    // The backward sweep: each step undone on ψ and λ, each gate part's derivative taken before
    // the part is undone, as the one-sample sweep does.
    let n_qubits = circuit.n_qubits;
    let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
    let mut gradients = vec![0.0; n_samples * n_params];
    let (mut element_re, mut element_im) = (vec![0.0; n_samples], vec![0.0; n_samples]);
    let mut kernels = Vec::new();
    for step in plan.steps.iter().rev() {
        match step {
            Step::Fixed(fixed) => {
                for kernel in fixed.iter().rev() {
                    let inverse = batch::Lanes::Same(kernel.adjoint());
                    batch::apply(&mut psi, inverse, &mut scratch);
                    batch::apply(&mut lambda, inverse, &mut scratch);
                }
            }
            Step::Gate(gate) => {
                for (part_kind, slot) in elementary_parts(gate.kind).into_iter().rev() {
                    let global_slot = gate.first_slot + slot;
                    let partials = &slot_partials[global_slot];
                    if !matches!(partials, SlotPartials::None) {
                        let rule = generator(part_kind, &gate.wires, &gate.controls, bit_of);
                        let factor = match rule.operator {
                            GeneratorOperator::Word(word) => {
                                let (bra, ket) = (&lambda, &psi);
                                batch::matrix_elements(
                                    bra,
                                    ket,
                                    word,
                                    rule.projector_mask,
                                    &mut element_re,
                                    &mut element_im,
                                );
                                rule.factor
                            }
                            // The rare excitation and two-wire gates: each sample's states taken out in turn.
                            GeneratorOperator::Excitation { .. } | GeneratorOperator::TwoWire { .. } => {
                                for sample in 0..n_samples {
                                    let (bra, ket) = (lambda.sample(sample), psi.sample(sample));
                                    let element = rule.chunk_sum(&bra, &ket, 0..bra.len());
                                    (element_re[sample], element_im[sample]) = (element.re, element.im);
                                }
                                rule.chunk_phase()
                            }
                        };
                        for sample in 0..n_samples {
                            let element = Complex64::new(element_re[sample], element_im[sample]);
                            let derivative = 2.0 * (factor * element).re;
                            let row = &mut gradients[sample * n_params..(sample + 1) * n_params];
                            match partials {
                                SlotPartials::Param(index) => row[*index] += derivative * 1.0,
                                SlotPartials::Expr(per_sample) => {
                                    for (param_idx, partial) in &per_sample[sample] {
                                        row[*param_idx] += derivative * partial;
                                    }
                                }
                                SlotPartials::None => {}
                            }
                        }
                    }
                    let reads = reads_inputs[global_slot];
                    let inverse = batch::part_lanes(plan, gate, part_kind, slot, reads, angles, &mut kernels);
                    batch::apply(&mut psi, inverse, &mut scratch);
                    batch::apply(&mut lambda, inverse, &mut scratch);
                }
            }
            Step::Embedding { .. } => {}
        }
    }

    let mut gradients = gradients.chunks_exact(n_params.max(1));
    failures
        .into_iter()
        .enumerate()
        .map(|(sample, failure)| {
            let gradient =
                if n_params == 0 { Vec::new() } else { gradients.next().map(<[f64]>::to_vec).unwrap_or_default() };
            match failure {
                Some(error) => BatchSample::Failed(error),
                None => BatchSample::Done {
                    outputs: outputs[sample * n_outputs..(sample + 1) * n_outputs].to_vec(),
                    gradient,
                },
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;
