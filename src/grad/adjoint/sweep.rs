//! The backward sweep of the adjoint method over a compiled plan, in fused passes over amplitude pairs.
//!
//! The steps of a plan are first split into elementary kernels (one per gate, or per part of a
//! `rot` or `u3`), then grouped into units. Consecutive kernels on one bit without controls — the
//! RZ·RY·RZ parts of a `rot`, the embedding's `ry` before it (kernels on other bits commute with
//! them and are stepped over) — become one [`Unit::Single`]: the product V of their inverses and,
//! for each parametric part k, a 2x2 matrix A_k such that the part's derivative is
//! 2 Re Σ_ab A_k[a][b] S[a][b], with S[a][b] = Σ over the pairs (i, i | bit) of conj(λ_a) ψ_b
//! taken before the unit. That holds because the state and cotangent at part k are W_k ψ and
//! W_k λ (W_k the product of the inverses of the later parts), so
//! c ⟨λ_k|ΠW|ψ_k⟩ = λ† (W_k† c ΠW W_k) ψ, and the bilinear form splits over pairs. One pass over
//! the pairs then reads ψ and λ once, accumulates four complex sums, and writes V ψ and V λ: four
//! memory transfers for a whole `rot` with its three derivatives.
//!
//! Everything else (controlled and multi-bit gates, amplitude embeddings) runs as a plain step:
//! its derivative as one pass, then its inverse kernel on ψ and on every λ.
//!
//! Sums are taken over fixed chunks of pairs (or of amplitudes), then the chunk sums in order,
//! so a result does not depend on whether or on how many threads took part. The passes split the
//! pair indices among tasks so that no two tasks touch one amplitude, which is what lets them share
//! the states through raw pointers.

use crate::grad::adjoint::{generator, Generator, GeneratorOperator};
use crate::grad::elementary_parts;
use crate::ir::{Op, Wire};
use crate::sim::kernels::SharedAmplitudes as Shared;
use crate::sim::kernels::{gate_kernel, Kernel, KernelOp};
use crate::sim::plan::{Plan, Step};
use crate::sim::state::{reflect_embedding, State};
use crate::sim::{checked_embedding_amplitudes, SimError};
use num_complex::Complex64;
use rayon::prelude::*;

type Matrix2 = [[Complex64; 2]; 2];

/// Pairs (or amplitudes) per chunk of a reduction: the unit of work and of summation order.
const CHUNK: usize = 1 << 11;

/// How many steps back a one-bit kernel may look for an earlier unit on its bit to join.
const LOOKBACK: usize = 64;

fn zero() -> Complex64 {
    Complex64::new(0.0, 0.0)
}

fn one() -> Complex64 {
    Complex64::new(1.0, 0.0)
}

fn multiply(left: &Matrix2, right: &Matrix2) -> Matrix2 {
    let mut product = [[zero(); 2]; 2];
    for (row, product_row) in product.iter_mut().enumerate() {
        for (column, entry) in product_row.iter_mut().enumerate() {
            *entry = left[row][0] * right[0][column] + left[row][1] * right[1][column];
        }
    }
    product
}

fn dagger(matrix: &Matrix2) -> Matrix2 {
    [[matrix[0][0].conj(), matrix[1][0].conj()], [matrix[0][1].conj(), matrix[1][1].conj()]]
}

/// A derivative of a unit: where its value goes (an index into the sweep's derivatives) and,
/// for a one-bit unit, its matrix A.
#[derive(Clone, Copy, Debug)]
struct SingleDerivative {
    index: usize,
    matrix: Matrix2,
}

/// One pass of the backward sweep.
// Units live in one vector built once per sweep; boxing the one-bit variant's matrices would
// cost an allocation per unit for the sake of the rare embedding.
#[allow(clippy::large_enum_variant)]
enum Unit {
    /// Kernels on bit `bit` without controls, merged (see the module's documentation).
    Single { bit: usize, inverse: Matrix2, derivatives: Vec<SingleDerivative> },
    /// A kernel run as it is: its derivative (generator and index), then its inverse.
    Plain { inverse: Kernel, derivative: Option<(Generator, usize)> },
    /// An amplitude embedding, run as the reflection that is its own inverse.
    Embedding { wires: Vec<Wire>, amplitudes: Vec<f64> },
}

/// A one-bit unit while it is being built: its kernels in forward order.
struct OpenSingle {
    bit: usize,
    parts: Vec<(Matrix2, Option<(Matrix2, usize)>)>,
}

/// A unit under construction.
// Built once per sweep and drained into units; see [`Unit`].
#[allow(clippy::large_enum_variant)]
enum Building {
    Single(OpenSingle),
    Plain { kernel: Kernel, derivative: Option<(Generator, usize)>, bits: usize },
    Embedding { wires: Vec<Wire>, amplitudes: Vec<f64> },
}

/// The backward sweep of one circuit at one set of angles.
pub(crate) struct Sweep {
    /// Units in sweep order (the last gate first); the sweep stops after the last one with a derivative.
    units: Vec<Unit>,
    /// The plan slot of every derivative, in the order the sweep computes them.
    pub(crate) derivative_slots: Vec<usize>,
}

/// The 2x2 matrix of a kernel on one bit without controls, with that bit.
fn single_bit_matrix(kernel: &Kernel) -> Option<(usize, Matrix2)> {
    if kernel.controls != 0 {
        return None;
    }
    let only_bit = |mask: usize| (mask.count_ones() == 1).then(|| mask.trailing_zeros() as usize);
    match kernel.op {
        KernelOp::Diagonal1 { target, diagonal } => Some((target, [[diagonal[0], zero()], [zero(), diagonal[1]]])),
        KernelOp::ParityPhase { mask, even, odd } => only_bit(mask).map(|bit| (bit, [[even, zero()], [zero(), odd]])),
        KernelOp::AllOnesPhase { mask, phase } => only_bit(mask).map(|bit| (bit, [[one(), zero()], [zero(), phase]])),
        KernelOp::Flip { target } => Some((target, [[zero(), one()], [one(), zero()]])),
        KernelOp::Dense1 { target, matrix } => Some((target, matrix)),
        _ => None,
    }
}

/// The generator c ΠW as a 2x2 matrix on `bit`, if it acts on that bit only.
fn single_bit_generator(generator: &Generator, bit: usize) -> Option<Matrix2> {
    let outside = !(1usize << bit);
    let GeneratorOperator::Word(word) = generator.operator else {
        return None;
    };
    if (word.x_mask | word.z_mask | generator.projector_mask) & outside != 0 {
        return None;
    }
    let mut matrix = [[zero(); 2]; 2];
    for input in [0usize, 1] {
        let index = input << bit;
        let output = index ^ word.x_mask;
        if output & generator.projector_mask != generator.projector_mask {
            continue;
        }
        matrix[output >> bit & 1][input] = generator.factor * word.coefficient(index);
    }
    Some(matrix)
}

/// The bits a kernel reads or writes.
fn kernel_bits(kernel: &Kernel) -> usize {
    kernel.controls
        | match kernel.op {
            KernelOp::Identity => 0,
            KernelOp::Diagonal1 { target, .. } | KernelOp::Flip { target } | KernelOp::Dense1 { target, .. } => {
                1 << target
            }
            KernelOp::ParityPhase { mask, .. } | KernelOp::AllOnesPhase { mask, .. } => mask,
            KernelOp::SwapBits { first, second } | KernelOp::Dense2 { first, second, .. } => 1 << first | 1 << second,
            KernelOp::Givens { first, second, .. } => first | second,
            #[allow(unreachable_patterns)]
            _ => usize::MAX,
        }
}

impl Sweep {
    /// The units of `plan` at the evaluated `angles`; `is_derivative(slot)` says which angle slots
    /// have a derivative.
    pub(crate) fn build(
        plan: &Plan<'_>,
        inputs: &[f64],
        params: &[f64],
        angles: &[f64],
        is_derivative: impl Fn(usize) -> bool,
    ) -> Result<Sweep, SimError> {
        let circuit = plan.circuit();
        let n_qubits = circuit.n_qubits;
        let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
        let mut building: Vec<Building> = Vec::with_capacity(plan.steps.len() * 2);
        let push_kernel = |building: &mut Vec<Building>, kernel: Kernel, derivative: Option<(Generator, usize)>| {
            if let Some((bit, matrix)) = single_bit_matrix(&kernel) {
                let generator_matrix = match derivative {
                    Some((generator, slot)) => match single_bit_generator(&generator, bit) {
                        Some(matrix) => Some((matrix, slot)),
                        None => {
                            let bits = kernel_bits(&kernel) | generator.projector_mask;
                            building.push(Building::Plain { kernel, derivative, bits });
                            return;
                        }
                    },
                    None => None,
                };
                // Join the latest unit on this bit if everything since acts on other bits.
                let start = building.len().saturating_sub(LOOKBACK);
                for position in (start..building.len()).rev() {
                    match &mut building[position] {
                        Building::Single(open) if open.bit == bit => {
                            open.parts.push((matrix, generator_matrix));
                            return;
                        }
                        Building::Single(_) => continue,
                        Building::Plain { bits, .. } if *bits & (1 << bit) == 0 => continue,
                        _ => break,
                    }
                }
                building.push(Building::Single(OpenSingle { bit, parts: vec![(matrix, generator_matrix)] }));
            } else if kernel.op != KernelOp::Identity || derivative.is_some() {
                let bits = kernel_bits(&kernel) | derivative.map_or(0, |(generator, _)| generator.projector_mask);
                building.push(Building::Plain { kernel, derivative, bits });
            }
        };
        for step in &plan.steps {
            match step {
                Step::Fixed(kernels) => {
                    for kernel in kernels {
                        push_kernel(&mut building, *kernel, None);
                    }
                }
                Step::Gate(gate) => {
                    let parts = elementary_parts(gate.kind);
                    if parts.is_empty() {
                        push_kernel(&mut building, plan.gate_kernel(gate, angles), None);
                        continue;
                    }
                    for (part_kind, angle_slot) in parts {
                        let slot = gate.first_slot + angle_slot;
                        let kernel = gate_kernel(part_kind, &gate.wires, &gate.controls, &[angles[slot]], bit_of);
                        // A fixed part (u2's H and Z) reads a slot but has no derivative.
                        let derivative = (is_derivative(slot) && part_kind.n_angles() > 0)
                            .then(|| (generator(part_kind, &gate.wires, &gate.controls, bit_of), slot));
                        push_kernel(&mut building, kernel, derivative);
                    }
                }
                Step::Embedding { op_idx } => {
                    if let Op::StatePrep(prep) = &circuit.ops[*op_idx] {
                        let amplitudes = checked_embedding_amplitudes(circuit, prep, inputs, params)?;
                        building.push(Building::Embedding { wires: prep.wires.clone(), amplitudes });
                    }
                }
            }
        }
        // Nothing before the first unit with a derivative needs the sweep.
        let has_derivative = |unit: &Building| match unit {
            Building::Single(open) => open.parts.iter().any(|(_, derivative)| derivative.is_some()),
            Building::Plain { derivative, .. } => derivative.is_some(),
            Building::Embedding { .. } => false,
        };
        let first = building.iter().position(has_derivative).unwrap_or(building.len());
        let mut units = Vec::with_capacity(building.len() - first);
        let mut derivative_slots = Vec::new();
        for unit in building.drain(first..).rev() {
            units.push(match unit {
                Building::Single(open) => {
                    // W maps ψ at the top of the unit to ψ at the part being differentiated.
                    let mut inverse = [[one(), zero()], [zero(), one()]];
                    let mut derivatives = Vec::new();
                    for (matrix, derivative) in open.parts.iter().rev() {
                        if let Some((generator_matrix, slot)) = derivative {
                            let matrix = multiply(&dagger(&inverse), &multiply(generator_matrix, &inverse));
                            derivatives.push(SingleDerivative { index: derivative_slots.len(), matrix });
                            derivative_slots.push(*slot);
                        }
                        inverse = multiply(&dagger(matrix), &inverse);
                    }
                    Unit::Single { bit: open.bit, inverse, derivatives }
                }
                Building::Plain { kernel, derivative, .. } => {
                    let derivative = derivative.map(|(generator, slot)| {
                        derivative_slots.push(slot);
                        (generator, derivative_slots.len() - 1)
                    });
                    Unit::Plain { inverse: kernel.adjoint(), derivative }
                }
                Building::Embedding { wires, amplitudes } => Unit::Embedding { wires, amplitudes },
            });
        }
        Ok(Sweep { units, derivative_slots })
    }
}

/// What one chunk of a one-bit pass adds up for one cotangent: S[a][b] = Σ conj(λ_a) ψ_b.
type PairSums = [Complex64; 4];

impl Sweep {
    /// How many derivatives the sweep computes per cotangent.
    pub(crate) fn n_derivatives(&self) -> usize {
        self.derivative_slots.len()
    }

    /// Runs the sweep backwards from `psi` (the final state, consumed as the sweep runs) with the
    /// cotangent states `lambdas`, writing derivative d of cotangent j to
    /// `values[j * n_derivatives + d]`. With `parallel`, every pass splits its amplitudes over
    /// rayon's threads (the same chunks, summed in the same order, as without).
    pub(crate) fn run(&self, psi: &mut State, lambdas: &mut [State], parallel: bool, values: &mut [f64]) {
        let n_derivatives = self.n_derivatives();
        let n_amplitudes = psi.amplitudes().len();
        let n_lambdas = lambdas.len();
        let n_pair_chunks = (n_amplitudes / 2).div_ceil(CHUNK).max(1);
        // Buffers for the whole sweep: the chunk sums of every cotangent, the pointers.
        let mut pair_sums: Vec<PairSums> = vec![[zero(); 4]; n_pair_chunks * n_lambdas];
        let mut plain_sums: Vec<Complex64> = vec![zero(); n_amplitudes.div_ceil(CHUNK).max(1) * n_lambdas];
        let mut lambda_pointers: Vec<Shared> = Vec::with_capacity(n_lambdas);
        for unit in &self.units {
            match unit {
                Unit::Single { bit, inverse, derivatives } => {
                    // The pointers are taken afresh for each pass, after the last borrow of the states.
                    let psi_pointer = Shared(psi.amplitudes_mut().as_mut_ptr());
                    lambda_pointers.clear();
                    lambda_pointers
                        .extend(lambdas.iter_mut().map(|lambda| Shared(lambda.amplitudes_mut().as_mut_ptr())));
                    let lambda_pointers = &lambda_pointers;
                    let with_sums = !derivatives.is_empty();
                    let task = |(chunk_idx, sums): (usize, &mut [PairSums])| {
                        let start = chunk_idx * CHUNK;
                        let end = (start + CHUNK).min(n_amplitudes / 2);
                        // SAFETY: chunk `chunk_idx` owns the pairs with ordinals start..end.
                        unsafe {
                            single_chunk(*bit, inverse, psi_pointer, lambda_pointers, sums, start..end, with_sums)
                        };
                    };
                    if parallel && n_pair_chunks > 1 {
                        pair_sums.par_chunks_mut(n_lambdas.max(1)).enumerate().for_each(task);
                    } else {
                        pair_sums.chunks_mut(n_lambdas.max(1)).enumerate().for_each(task);
                    }
                    if with_sums {
                        for lambda_idx in 0..n_lambdas {
                            let mut total = [zero(); 4];
                            for chunk in pair_sums.chunks(n_lambdas) {
                                for (sum, part) in total.iter_mut().zip(&chunk[lambda_idx]) {
                                    *sum += part;
                                }
                            }
                            for derivative in derivatives {
                                let matrix = &derivative.matrix;
                                let value = matrix[0][0] * total[0]
                                    + matrix[0][1] * total[1]
                                    + matrix[1][0] * total[2]
                                    + matrix[1][1] * total[3];
                                values[lambda_idx * n_derivatives + derivative.index] = 2.0 * value.re;
                            }
                        }
                    }
                }
                Unit::Plain { inverse: Kernel { op: KernelOp::Flip { target }, controls }, derivative: None } => {
                    // A controlled X (a CNOT): whole runs swapped, ψ and every λ in one pass.
                    let psi_pointer = Shared(psi.amplitudes_mut().as_mut_ptr());
                    lambda_pointers.clear();
                    lambda_pointers
                        .extend(lambdas.iter_mut().map(|lambda| Shared(lambda.amplitudes_mut().as_mut_ptr())));
                    lambda_pointers.push(psi_pointer);
                    let pointers = &lambda_pointers;
                    // Runs of 2^low amplitudes, low the lowest of the target and control bits,
                    // share those bits; only the runs with the target bit 0 and every control bit 1
                    // are visited, their numbers spread over the other bits.
                    let low = (controls.trailing_zeros() as usize).min(*target);
                    let run = 1usize << low;
                    let fixed = (*controls | 1 << target) >> low;
                    let n_runs = (n_amplitudes >> low) >> fixed.count_ones();
                    let runs_per_task = (CHUNK / run).max(1);
                    let task = |task_idx: usize| {
                        let first = task_idx * runs_per_task;
                        for run_idx in first..(first + runs_per_task).min(n_runs) {
                            let mut spread = run_idx;
                            let mut remaining = fixed;
                            while remaining != 0 {
                                let position = remaining.trailing_zeros() as usize;
                                spread = ((spread >> position) << (position + 1)) | (spread & ((1 << position) - 1));
                                remaining &= remaining - 1;
                            }
                            let base = (spread << low) | controls;
                            for pointer in pointers {
                                // SAFETY: the runs of a task are its own, and both halves of a
                                // swap (target bit 0 and 1) belong to the run with the bit 0.
                                unsafe {
                                    if run == 1 {
                                        std::ptr::swap(pointer.0.add(base), pointer.0.add(base | 1 << target));
                                    } else {
                                        let low = std::slice::from_raw_parts_mut(pointer.0.add(base), run);
                                        let high =
                                            std::slice::from_raw_parts_mut(pointer.0.add(base | 1 << target), run);
                                        low.swap_with_slice(high);
                                    }
                                }
                            }
                        }
                    };
                    let n_tasks = n_runs.div_ceil(runs_per_task);
                    if parallel && n_tasks > 1 {
                        (0..n_tasks).into_par_iter().for_each(task);
                    } else {
                        (0..n_tasks).for_each(task);
                    }
                }
                Unit::Plain { inverse, derivative } => {
                    if let Some((generator, index)) = derivative {
                        let psi_amplitudes = psi.amplitudes();
                        let task = |(chunk_idx, sums): (usize, &mut [Complex64])| {
                            let start = chunk_idx * CHUNK;
                            let range = start..(start + CHUNK).min(n_amplitudes);
                            for (sum, lambda) in sums.iter_mut().zip(lambdas.iter()) {
                                *sum = generator.chunk_sum(lambda.amplitudes(), psi_amplitudes, range.clone());
                            }
                        };
                        if parallel {
                            plain_sums.par_chunks_mut(n_lambdas.max(1)).enumerate().for_each(task);
                        } else {
                            plain_sums.chunks_mut(n_lambdas.max(1)).enumerate().for_each(task);
                        }
                        let phase = generator.chunk_phase();
                        for lambda_idx in 0..n_lambdas {
                            let total: Complex64 = plain_sums.chunks(n_lambdas).map(|chunk| chunk[lambda_idx]).sum();
                            values[lambda_idx * n_derivatives + index] = 2.0 * (phase * total).re;
                        }
                    }
                    inverse.apply(psi.amplitudes_mut(), parallel);
                    for lambda in lambdas.iter_mut() {
                        inverse.apply(lambda.amplitudes_mut(), parallel);
                    }
                }
                Unit::Embedding { wires, amplitudes } => {
                    reflect_embedding(psi, wires, amplitudes);
                    for lambda in lambdas.iter_mut() {
                        reflect_embedding(lambda, wires, amplitudes);
                    }
                }
            }
        }
    }
}

/// [`single_chunk_body`], compiled for AVX2 and FMA where the processor has them (checked once).
///
/// # Safety
/// As [`single_chunk_body`].
unsafe fn single_chunk(
    bit: usize,
    inverse: &Matrix2,
    psi: Shared,
    lambdas: &[Shared],
    sums: &mut [PairSums],
    ordinals: std::ops::Range<usize>,
    with_sums: bool,
) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return single_chunk_avx2(bit, inverse, psi, lambdas, sums, ordinals, with_sums);
        }
    }
    single_chunk_body(bit, inverse, psi, lambdas, sums, ordinals, with_sums)
}

/// [`single_chunk_body`] in AVX2 and FMA: two complex amplitudes per 256-bit register.
///
/// Each cotangent goes through the whole chunk before the next (the chunk's ψ stays in the
/// cache), with eight independent accumulators for its sums: conj(λ) ψ is summed as λ ⊙ ψ (real
/// part: both lanes added) and λ ⊙ swap(ψ) (imaginary part: even lane minus odd), so no shuffle
/// sits on the chains. ψ is updated last.
///
/// # Safety
/// As [`single_chunk_body`], on a processor with AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn single_chunk_avx2(
    bit: usize,
    inverse: &Matrix2,
    psi: Shared,
    lambdas: &[Shared],
    sums: &mut [PairSums],
    ordinals: std::ops::Range<usize>,
    with_sums: bool,
) {
    use std::arch::x86_64::*;
    if bit == 0 {
        return single_chunk_avx2_adjacent(inverse, psi, lambdas, sums, ordinals, with_sums);
    }
    let half = 1usize << bit;
    let low_mask = half - 1;
    let broadcast = |value: Complex64| (_mm256_set1_pd(value.re), _mm256_set1_pd(value.im));
    let [[v00, v01], [v10, v11]] = *inverse;
    let ((v00r, v00i), (v01r, v01i)) = (broadcast(v00), broadcast(v01));
    let ((v10r, v10i), (v11r, v11i)) = (broadcast(v10), broadcast(v11));
    // (V · (a, b)) for two amplitudes per register; see the module's documentation of the layout.
    let transform = |a: __m256d, b: __m256d| {
        let (swapped_a, swapped_b) = (_mm256_permute_pd(a, 0b0101), _mm256_permute_pd(b, 0b0101));
        let new_a = _mm256_addsub_pd(
            _mm256_fmadd_pd(v01r, b, _mm256_mul_pd(v00r, a)),
            _mm256_fmadd_pd(v01i, swapped_b, _mm256_mul_pd(v00i, swapped_a)),
        );
        let new_b = _mm256_addsub_pd(
            _mm256_fmadd_pd(v11r, b, _mm256_mul_pd(v10r, a)),
            _mm256_fmadd_pd(v11i, swapped_b, _mm256_mul_pd(v10i, swapped_a)),
        );
        (new_a, new_b)
    };
    let runs = || {
        let mut ordinal = ordinals.start;
        std::iter::from_fn(move || {
            (ordinal < ordinals.end).then(|| {
                let low = ((ordinal >> bit) << (bit + 1)) | (ordinal & low_mask);
                let run = (half - (ordinal & low_mask)).min(ordinals.end - ordinal);
                ordinal += run;
                (low, run)
            })
        })
    };
    let psi_pointer = psi.0 as *mut f64;
    for (lambda, sum) in lambdas.iter().zip(sums.iter_mut()) {
        let lambda_pointer = lambda.0 as *mut f64;
        let mut accumulators = [_mm256_setzero_pd(); 8];
        for (low, run) in runs() {
            // Runs hold an even number of pairs: half is at least 2 and chunks are multiples of it or of 2.
            for offset in (0..run).step_by(2) {
                let (low_index, high_index) = (2 * (low + offset), 2 * (low + half + offset));
                let a = _mm256_loadu_pd(lambda_pointer.add(low_index));
                let b = _mm256_loadu_pd(lambda_pointer.add(high_index));
                if with_sums {
                    let x = _mm256_loadu_pd(psi_pointer.add(low_index));
                    let y = _mm256_loadu_pd(psi_pointer.add(high_index));
                    let (swapped_x, swapped_y) = (_mm256_permute_pd(x, 0b0101), _mm256_permute_pd(y, 0b0101));
                    accumulators[0] = _mm256_fmadd_pd(a, x, accumulators[0]);
                    accumulators[1] = _mm256_fmadd_pd(a, swapped_x, accumulators[1]);
                    accumulators[2] = _mm256_fmadd_pd(a, y, accumulators[2]);
                    accumulators[3] = _mm256_fmadd_pd(a, swapped_y, accumulators[3]);
                    accumulators[4] = _mm256_fmadd_pd(b, x, accumulators[4]);
                    accumulators[5] = _mm256_fmadd_pd(b, swapped_x, accumulators[5]);
                    accumulators[6] = _mm256_fmadd_pd(b, y, accumulators[6]);
                    accumulators[7] = _mm256_fmadd_pd(b, swapped_y, accumulators[7]);
                }
                let (new_a, new_b) = transform(a, b);
                _mm256_storeu_pd(lambda_pointer.add(low_index), new_a);
                _mm256_storeu_pd(lambda_pointer.add(high_index), new_b);
            }
        }
        if with_sums {
            for (entry, pair) in sum.iter_mut().zip(accumulators.chunks_exact(2)) {
                *entry = reduce_conjugate_products(pair[0], pair[1]);
            }
        }
    }
    for (low, run) in runs() {
        for offset in (0..run).step_by(2) {
            let (low_index, high_index) = (2 * (low + offset), 2 * (low + half + offset));
            let x = _mm256_loadu_pd(psi_pointer.add(low_index));
            let y = _mm256_loadu_pd(psi_pointer.add(high_index));
            let (new_x, new_y) = transform(x, y);
            _mm256_storeu_pd(psi_pointer.add(low_index), new_x);
            _mm256_storeu_pd(psi_pointer.add(high_index), new_y);
        }
    }
}

/// Σ conj(a) b from the accumulated a ⊙ b (`direct`) and a ⊙ swap(b) (`swapped`), two complex
/// numbers per register: the real part is the sum of every lane of `direct`, the imaginary part
/// the odd lanes of `swapped` minus its even lanes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn reduce_conjugate_products(
    direct: std::arch::x86_64::__m256d,
    swapped: std::arch::x86_64::__m256d,
) -> Complex64 {
    use std::arch::x86_64::*;
    let mut direct_lanes = [0.0f64; 4];
    let mut swapped_lanes = [0.0f64; 4];
    _mm256_storeu_pd(direct_lanes.as_mut_ptr(), direct);
    _mm256_storeu_pd(swapped_lanes.as_mut_ptr(), swapped);
    let re = (direct_lanes[0] + direct_lanes[1]) + (direct_lanes[2] + direct_lanes[3]);
    let im = (swapped_lanes[0] - swapped_lanes[1]) + (swapped_lanes[2] - swapped_lanes[3]);
    // a ⊙ swap(b) = (a_re b_im, a_im b_re): conj(a) b has imaginary part a_re b_im − a_im b_re.
    Complex64::new(re, im)
}

/// [`single_chunk_avx2`] for bit 0, where the two amplitudes of a pair are adjacent: one pair
/// per register, (a, b) for λ and (x, y) for ψ.
///
/// # Safety
/// As [`single_chunk_body`], on a processor with AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn single_chunk_avx2_adjacent(
    inverse: &Matrix2,
    psi: Shared,
    lambdas: &[Shared],
    sums: &mut [PairSums],
    ordinals: std::ops::Range<usize>,
    with_sums: bool,
) {
    use std::arch::x86_64::*;
    let [[v00, v01], [v10, v11]] = *inverse;
    // Per half: the diagonal (v00 for a, v11 for b) and the off-diagonal (v01 times b for a, v10 times a for b).
    let diagonal_re = _mm256_setr_pd(v00.re, v00.re, v11.re, v11.re);
    let diagonal_im = _mm256_setr_pd(v00.im, v00.im, v11.im, v11.im);
    let off_re = _mm256_setr_pd(v01.re, v01.re, v10.re, v10.re);
    let off_im = _mm256_setr_pd(v01.im, v01.im, v10.im, v10.im);
    let transform = |pair: __m256d| {
        let exchanged = _mm256_permute2f128_pd(pair, pair, 0x01);
        let (swapped, exchanged_swapped) = (_mm256_permute_pd(pair, 0b0101), _mm256_permute_pd(exchanged, 0b0101));
        _mm256_addsub_pd(
            _mm256_fmadd_pd(off_re, exchanged, _mm256_mul_pd(diagonal_re, pair)),
            _mm256_fmadd_pd(off_im, exchanged_swapped, _mm256_mul_pd(diagonal_im, swapped)),
        )
    };
    let psi_pointer = psi.0 as *mut f64;
    for (lambda, sum) in lambdas.iter().zip(sums.iter_mut()) {
        let lambda_pointer = lambda.0 as *mut f64;
        let mut accumulators = [_mm256_setzero_pd(); 4];
        for ordinal in ordinals.clone() {
            let index = 4 * ordinal;
            let pair = _mm256_loadu_pd(lambda_pointer.add(index));
            if with_sums {
                let state = _mm256_loadu_pd(psi_pointer.add(index));
                let exchanged = _mm256_permute2f128_pd(state, state, 0x01);
                accumulators[0] = _mm256_fmadd_pd(pair, state, accumulators[0]);
                accumulators[1] = _mm256_fmadd_pd(pair, _mm256_permute_pd(state, 0b0101), accumulators[1]);
                accumulators[2] = _mm256_fmadd_pd(pair, exchanged, accumulators[2]);
                accumulators[3] = _mm256_fmadd_pd(pair, _mm256_permute_pd(exchanged, 0b0101), accumulators[3]);
            }
            _mm256_storeu_pd(lambda_pointer.add(index), transform(pair));
        }
        if with_sums {
            // Lanes 0–1 hold a's products, 2–3 b's: with ψ as it is, conj(a) x and conj(b) y; with
            // ψ's halves exchanged, conj(a) y and conj(b) x.
            let mut lanes = [[0.0f64; 4]; 4];
            for (lane, accumulator) in lanes.iter_mut().zip(accumulators) {
                _mm256_storeu_pd(lane.as_mut_ptr(), accumulator);
            }
            let entry = |direct: &[f64; 4], swapped: &[f64; 4], upper: usize| {
                Complex64::new(direct[upper] + direct[upper + 1], swapped[upper] - swapped[upper + 1])
            };
            sum[0] = entry(&lanes[0], &lanes[1], 0);
            sum[1] = entry(&lanes[2], &lanes[3], 0);
            sum[2] = entry(&lanes[2], &lanes[3], 2);
            sum[3] = entry(&lanes[0], &lanes[1], 2);
        }
    }
    for ordinal in ordinals {
        let index = 4 * ordinal;
        let state = _mm256_loadu_pd(psi_pointer.add(index));
        _mm256_storeu_pd(psi_pointer.add(index), transform(state));
    }
}

/// One chunk of a one-bit pass: for every pair with ordinal in `ordinals` (the pair's lower index
/// with `bit` squeezed out), adds conj(λ_a) ψ_b to each cotangent's sums (if `with_sums`) and
/// writes V ψ and V λ.
///
/// # Safety
/// `psi` and every pointer in `lambdas` must address 2 · (number of pairs) amplitudes, and no
/// other thread may touch the pairs of `ordinals` meanwhile.
#[inline(always)]
unsafe fn single_chunk_body(
    bit: usize,
    inverse: &Matrix2,
    psi: Shared,
    lambdas: &[Shared],
    sums: &mut [PairSums],
    ordinals: std::ops::Range<usize>,
    with_sums: bool,
) {
    let half = 1usize << bit;
    let low_mask = half - 1;
    let [[v00, v01], [v10, v11]] = *inverse;
    if with_sums {
        sums.fill([zero(); 4]);
    }
    let mut ordinal = ordinals.start;
    while ordinal < ordinals.end {
        let low = ((ordinal >> bit) << (bit + 1)) | (ordinal & low_mask);
        let run = (half - (ordinal & low_mask)).min(ordinals.end - ordinal);
        let psi_low = std::slice::from_raw_parts_mut(psi.0.add(low), run);
        let psi_high = std::slice::from_raw_parts_mut(psi.0.add(low + half), run);
        for (lambda, sum) in lambdas.iter().zip(sums.iter_mut()) {
            let lambda_low = std::slice::from_raw_parts_mut(lambda.0.add(low), run);
            let lambda_high = std::slice::from_raw_parts_mut(lambda.0.add(low + half), run);
            if with_sums {
                let mut local = *sum;
                for (((a, b), x), y) in
                    lambda_low.iter_mut().zip(lambda_high.iter_mut()).zip(psi_low.iter()).zip(psi_high.iter())
                {
                    let (ca, cb) = (a.conj(), b.conj());
                    local[0] += ca * x;
                    local[1] += ca * y;
                    local[2] += cb * x;
                    local[3] += cb * y;
                    let (old_a, old_b) = (*a, *b);
                    *a = v00 * old_a + v01 * old_b;
                    *b = v10 * old_a + v11 * old_b;
                }
                *sum = local;
            } else {
                for (a, b) in lambda_low.iter_mut().zip(lambda_high.iter_mut()) {
                    let (old_a, old_b) = (*a, *b);
                    *a = v00 * old_a + v01 * old_b;
                    *b = v10 * old_a + v11 * old_b;
                }
            }
        }
        for (x, y) in psi_low.iter_mut().zip(psi_high.iter_mut()) {
            let (old_x, old_y) = (*x, *y);
            *x = v00 * old_x + v01 * old_y;
            *y = v10 * old_x + v11 * old_y;
        }
        ordinal += run;
    }
}
