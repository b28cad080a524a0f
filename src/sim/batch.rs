//! Many samples of one small circuit at once: their state vectors in one structure-of-arrays buffer, one pass per gate for the whole batch.
//!
//! Training runs the same circuit on every row of a batch, with the same params and different
//! inputs. For a few qubits, running the rows one at a time is dominated by overhead: building
//! each gate's kernel, checking control bits on every amplitude, allocating. A [`BatchState`] holds
//! the B state vectors amplitude-major and sample-minor (amplitude k of sample s at k·B + s, real
//! and imaginary parts in separate arrays), so a gate visits each pair of amplitude indices once
//! (control bits checked once per index, not per sample) and the innermost loop runs over the
//! samples, contiguously: the compiler vectorises it, with AVX2 where the processor has it.
//!
//! A gate whose angles do not read inputs has the same kernel for every sample ([`Lanes::Same`]);
//! one whose angles read inputs (an angle embedding) has one kernel per sample
//! ([`Lanes::PerSample`]), applied with each sample's own coefficients.
//!
//! Numbers: every sample's amplitudes go through the same arithmetic as [`Kernel::apply`] on its
//! own state (the same complex products and sums, no fused multiply-adds), whatever the batch size
//! and the sample's position in it, so a sample's result never depends on the batch it was in.
//!
//! Not supported here (the callers run those circuits one sample at a time): amplitude embeddings,
//! and measurements other than expectation values.

use crate::ir::{Measurement, Op};
use crate::sim::kernels::{gate_kernel, Kernel, KernelOp};
use crate::sim::pauli::{PauliSum, PauliWord};
use crate::sim::plan::{AngleSource, Plan, Step};
use crate::sim::SimError;
use num_complex::Complex64;

/// The state vectors of a batch of samples, amplitude-major and sample-minor.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BatchState {
    n_qubits: usize,
    n_samples: usize,
    /// Real parts: amplitude k of sample s at `k * n_samples + s`.
    pub(crate) re: Vec<f64>,
    /// Imaginary parts, laid out as `re`.
    pub(crate) im: Vec<f64>,
}

impl BatchState {
    /// `n_samples` copies of |0…0⟩.
    pub(crate) fn zero(n_qubits: usize, n_samples: usize) -> BatchState {
        let len = (1usize << n_qubits) * n_samples;
        let mut re = vec![0.0; len];
        re[..n_samples].fill(1.0);
        BatchState { n_qubits, n_samples, re, im: vec![0.0; len] }
    }

    /// A batch of the same size with every amplitude zero (a buffer for O|ψ⟩).
    pub(crate) fn zeroed_like(&self) -> BatchState {
        BatchState {
            n_qubits: self.n_qubits,
            n_samples: self.n_samples,
            re: vec![0.0; self.re.len()],
            im: vec![0.0; self.im.len()],
        }
    }

    /// The state vector of one sample (for tests and for the per-sample fallback of rare kernels).
    pub(crate) fn sample(&self, sample: usize) -> Vec<Complex64> {
        (0..1usize << self.n_qubits)
            .map(|index| {
                let at = index * self.n_samples + sample;
                Complex64::new(self.re[at], self.im[at])
            })
            .collect()
    }

    /// Overwrites one sample's state vector.
    fn set_sample(&mut self, sample: usize, amplitudes: &[Complex64]) {
        for (index, amplitude) in amplitudes.iter().enumerate() {
            let at = index * self.n_samples + sample;
            self.re[at] = amplitude.re;
            self.im[at] = amplitude.im;
        }
    }
}

/// The kernel of one gate for every sample of a batch.
// A kernel by value: a `Lanes` is made and consumed once per gate, never stored in bulk.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
pub(crate) enum Lanes<'k> {
    /// One kernel for every sample (constant gates, and angles that read only params).
    Same(Kernel),
    /// One kernel per sample, all of the same kind on the same bits (a gate whose angles read inputs).
    PerSample(&'k [Kernel]),
}

/// Coefficients of a kernel as the inner loop reads them: one for every sample, or one per sample.
trait Coefficient: Copy {
    fn at(self, sample: usize) -> f64;
    /// The coefficients of the first `n_samples` samples: slices cut to exactly that length, so
    /// the compiler drops the bounds checks from the samples' loop and vectorises it.
    fn first(self, n_samples: usize) -> Self;
}

impl Coefficient for f64 {
    #[inline(always)]
    fn at(self, _sample: usize) -> f64 {
        self
    }

    #[inline(always)]
    fn first(self, _n_samples: usize) -> f64 {
        self
    }
}

impl Coefficient for &[f64] {
    #[inline(always)]
    fn at(self, sample: usize) -> f64 {
        self[sample]
    }

    #[inline(always)]
    fn first(self, n_samples: usize) -> Self {
        &self[..n_samples]
    }
}

/// A reusable buffer for per-sample coefficients, so applying a kernel does not allocate.
#[derive(Default)]
pub(crate) struct Scratch {
    coefficients: Vec<f64>,
    amplitudes: Vec<Complex64>,
}

/// Applies one kernel to every sample of the batch.
pub(crate) fn apply(state: &mut BatchState, lanes: Lanes<'_>, scratch: &mut Scratch) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2, checked just above.
            unsafe { apply_avx2(state, lanes, scratch) };
            return;
        }
    }
    apply_any(state, lanes, scratch);
}

/// [`apply_any`] compiled for AVX2 (without FMA, so the numbers are those of the plain build).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn apply_avx2(state: &mut BatchState, lanes: Lanes<'_>, scratch: &mut Scratch) {
    apply_any(state, lanes, scratch);
}

#[inline(always)]
fn apply_any(state: &mut BatchState, lanes: Lanes<'_>, scratch: &mut Scratch) {
    match lanes {
        Lanes::Same(kernel) => apply_same(state, kernel, scratch),
        Lanes::PerSample(kernels) => apply_per_sample(state, kernels, scratch),
    }
}

/// The real and imaginary parts of a complex number as coefficients.
#[inline(always)]
fn parts(value: Complex64) -> [f64; 2] {
    [value.re, value.im]
}

#[inline(always)]
fn apply_same(state: &mut BatchState, kernel: Kernel, scratch: &mut Scratch) {
    let controls = kernel.controls;
    match kernel.op {
        KernelOp::Identity => {}
        KernelOp::Flip { target } => flip(state, target, controls),
        KernelOp::Dense1 { target, matrix } => {
            let [a, b] = parts(matrix[0][0]);
            let [c, d] = parts(matrix[0][1]);
            let [e, f] = parts(matrix[1][0]);
            let [g, h] = parts(matrix[1][1]);
            dense1(state, target, controls, [a, b, c, d, e, f, g, h]);
        }
        KernelOp::Diagonal1 { target, diagonal } => {
            let [a, b] = parts(diagonal[0]);
            let [c, d] = parts(diagonal[1]);
            phases(state, controls, [a, b, c, d], |index| index >> target & 1 == 1);
        }
        KernelOp::ParityPhase { mask, even, odd } => {
            let [a, b] = parts(even);
            let [c, d] = parts(odd);
            phases(state, controls, [a, b, c, d], |index| (index & mask).count_ones() & 1 == 1);
        }
        KernelOp::AllOnesPhase { mask, phase } => {
            let [a, b] = parts(phase);
            phase_where(state, mask | controls, [a, b]);
        }
        KernelOp::SwapBits { .. } | KernelOp::Dense2 { .. } | KernelOp::Givens { .. } => {
            each_sample_apart(state, |_| kernel, scratch);
        }
    }
}

#[inline(always)]
fn apply_per_sample(state: &mut BatchState, kernels: &[Kernel], scratch: &mut Scratch) {
    let n_samples = state.n_samples;
    debug_assert_eq!(kernels.len(), n_samples);
    let Some(first) = kernels.first() else {
        return;
    };
    let controls = first.controls;
    // The coefficients as arrays over the samples: entry `slot * n_samples + sample`.
    let fill = |coefficients: &mut Vec<f64>, n_slots: usize, values: &dyn Fn(&Kernel, &mut [f64])| {
        coefficients.clear();
        coefficients.resize(n_slots * n_samples, 0.0);
        let mut one = [0.0; 8];
        for (sample, kernel) in kernels.iter().enumerate() {
            values(kernel, &mut one[..n_slots]);
            for (slot, value) in one[..n_slots].iter().enumerate() {
                coefficients[slot * n_samples + sample] = *value;
            }
        }
    };
    let coefficients = &mut scratch.coefficients;
    match first.op {
        KernelOp::Dense1 { target, .. } => {
            fill(coefficients, 8, &|kernel, out| {
                if let KernelOp::Dense1 { matrix, .. } = kernel.op {
                    let entries = [matrix[0][0], matrix[0][1], matrix[1][0], matrix[1][1]];
                    for (pair, entry) in out.chunks_exact_mut(2).zip(entries) {
                        pair.copy_from_slice(&parts(entry));
                    }
                }
            });
            let c = |slot: usize| &coefficients[slot * n_samples..(slot + 1) * n_samples];
            dense1(state, target, controls, [c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7)]);
        }
        KernelOp::Diagonal1 { target, .. } => {
            fill(coefficients, 4, &|kernel, out| {
                if let KernelOp::Diagonal1 { diagonal, .. } = kernel.op {
                    out[..2].copy_from_slice(&parts(diagonal[0]));
                    out[2..].copy_from_slice(&parts(diagonal[1]));
                }
            });
            let c = |slot: usize| &coefficients[slot * n_samples..(slot + 1) * n_samples];
            phases(state, controls, [c(0), c(1), c(2), c(3)], |index| index >> target & 1 == 1);
        }
        KernelOp::ParityPhase { mask, .. } => {
            fill(coefficients, 4, &|kernel, out| {
                if let KernelOp::ParityPhase { even, odd, .. } = kernel.op {
                    out[..2].copy_from_slice(&parts(even));
                    out[2..].copy_from_slice(&parts(odd));
                }
            });
            let c = |slot: usize| &coefficients[slot * n_samples..(slot + 1) * n_samples];
            phases(state, controls, [c(0), c(1), c(2), c(3)], |index| (index & mask).count_ones() & 1 == 1);
        }
        KernelOp::AllOnesPhase { mask, .. } => {
            fill(coefficients, 2, &|kernel, out| {
                if let KernelOp::AllOnesPhase { phase, .. } = kernel.op {
                    out.copy_from_slice(&parts(phase));
                }
            });
            let c = |slot: usize| &coefficients[slot * n_samples..(slot + 1) * n_samples];
            phase_where(state, mask | controls, [c(0), c(1)]);
        }
        // Kernels whose action does not depend on an angle are the same for every sample.
        KernelOp::Identity => {}
        KernelOp::Flip { target } => flip(state, target, controls),
        KernelOp::SwapBits { .. } | KernelOp::Dense2 { .. } | KernelOp::Givens { .. } => {
            each_sample_apart(state, |sample| kernels[sample], scratch);
        }
    }
}

/// The rows of amplitudes `low` and `high` (low < high) of one part array, each `n_samples` long.
#[inline(always)]
fn two_rows(values: &mut [f64], low: usize, high: usize, n_samples: usize) -> (&mut [f64], &mut [f64]) {
    let (head, tail) = values.split_at_mut(high * n_samples);
    (&mut head[low * n_samples..(low + 1) * n_samples], &mut tail[..n_samples])
}

/// A dense 2x2 matrix (entries as re, im of m00, m01, m10, m11) on bit `target`.
// The loops are written out, without closures: a closure is compiled as a function of its own,
// without the AVX2 of the function it is inlined into, and the samples' loop would not use it.
#[inline(always)]
fn dense1<C: Coefficient>(state: &mut BatchState, target: usize, controls: usize, m: [C; 8]) {
    let n_samples = state.n_samples;
    let m = m.map(|coefficient| coefficient.first(n_samples));
    let BatchState { re, im, n_qubits, .. } = state;
    let half = 1usize << target;
    let dimension = 1usize << *n_qubits;
    let mut base = 0;
    while base < dimension {
        for low in base..base + half {
            if low & controls != controls {
                continue;
            }
            let (low_re, high_re) = two_rows(re, low, low | half, n_samples);
            let (low_im, high_im) = two_rows(im, low, low | half, n_samples);
            for s in 0..n_samples {
                let (a_re, a_im, b_re, b_im) = (low_re[s], low_im[s], high_re[s], high_im[s]);
                // m·a + m'·b with complex products as num_complex forms them.
                low_re[s] = (m[0].at(s) * a_re - m[1].at(s) * a_im) + (m[2].at(s) * b_re - m[3].at(s) * b_im);
                low_im[s] = (m[0].at(s) * a_im + m[1].at(s) * a_re) + (m[2].at(s) * b_im + m[3].at(s) * b_re);
                high_re[s] = (m[4].at(s) * a_re - m[5].at(s) * a_im) + (m[6].at(s) * b_re - m[7].at(s) * b_im);
                high_im[s] = (m[4].at(s) * a_im + m[5].at(s) * a_re) + (m[6].at(s) * b_im + m[7].at(s) * b_re);
            }
        }
        base += half << 1;
    }
}

/// Pauli X on bit `target`: exchanges the amplitudes of each controlled pair.
#[inline(always)]
fn flip(state: &mut BatchState, target: usize, controls: usize) {
    let n_samples = state.n_samples;
    let BatchState { re, im, n_qubits, .. } = state;
    let half = 1usize << target;
    let dimension = 1usize << *n_qubits;
    let mut base = 0;
    while base < dimension {
        for low in base..base + half {
            if low & controls != controls {
                continue;
            }
            let (low_re, high_re) = two_rows(re, low, low | half, n_samples);
            low_re.swap_with_slice(high_re);
            let (low_im, high_im) = two_rows(im, low, low | half, n_samples);
            low_im.swap_with_slice(high_im);
        }
        base += half << 1;
    }
}

/// Multiplies each controlled amplitude by the first phase (re, im) or, where `second(index)`,
/// the second.
#[inline(always)]
fn phases<C: Coefficient>(state: &mut BatchState, controls: usize, p: [C; 4], second: impl Fn(usize) -> bool) {
    let n_samples = state.n_samples;
    let p = p.map(|coefficient| coefficient.first(n_samples));
    let dimension = 1usize << state.n_qubits;
    for index in 0..dimension {
        if index & controls != controls {
            continue;
        }
        let offset = if second(index) { 2 } else { 0 };
        let row = index * n_samples..(index + 1) * n_samples;
        scale_row(&mut state.re[row.clone()], &mut state.im[row], p[offset], p[offset + 1]);
    }
}

/// Multiplies the amplitudes whose bits in `mask` are all 1 by the phase (re, im).
#[inline(always)]
fn phase_where<C: Coefficient>(state: &mut BatchState, mask: usize, p: [C; 2]) {
    let n_samples = state.n_samples;
    let p = p.map(|coefficient| coefficient.first(n_samples));
    let dimension = 1usize << state.n_qubits;
    for index in 0..dimension {
        if index & mask == mask {
            let row = index * n_samples..(index + 1) * n_samples;
            scale_row(&mut state.re[row.clone()], &mut state.im[row], p[0], p[1]);
        }
    }
}

/// One amplitude row (every sample) times a complex factor, as num_complex multiplies.
#[inline(always)]
fn scale_row<C: Coefficient>(re: &mut [f64], im: &mut [f64], factor_re: C, factor_im: C) {
    let n_samples = re.len();
    let (im, factor_re, factor_im) = (&mut im[..n_samples], factor_re.first(n_samples), factor_im.first(n_samples));
    for s in 0..n_samples {
        let (a_re, a_im) = (re[s], im[s]);
        re[s] = a_re * factor_re.at(s) - a_im * factor_im.at(s);
        im[s] = a_re * factor_im.at(s) + a_im * factor_re.at(s);
    }
}

/// Applies a kernel the batch has no loop of its own for to each sample's state vector in turn.
fn each_sample_apart(state: &mut BatchState, kernel_of: impl Fn(usize) -> Kernel, scratch: &mut Scratch) {
    for sample in 0..state.n_samples {
        let amplitudes = &mut scratch.amplitudes;
        amplitudes.clear();
        amplitudes.extend(state.sample(sample));
        kernel_of(sample).apply(amplitudes, false);
        state.set_sample(sample, amplitudes);
    }
}

/// Whether the batch engine can run a plan: no amplitude embedding, every measurement an expectation value.
pub(crate) fn supports(plan: &Plan<'_>) -> bool {
    let circuit = plan.circuit();
    circuit.ops.iter().all(|op| matches!(op, Op::Gate(_)))
        && !circuit.measurements.is_empty()
        && circuit.measurements.iter().all(|measurement| matches!(measurement, Measurement::Expval(_)))
        && expanded_observables(plan).is_some()
}

/// Whether each angle slot of the plan reads an input (and so differs between samples).
pub(crate) fn slots_reading_inputs(plan: &Plan<'_>) -> Vec<bool> {
    plan.slots
        .iter()
        .map(|source| match *source {
            AngleSource::Const(_) | AngleSource::Param(_) => false,
            AngleSource::Input(_) => true,
            AngleSource::Expr { op_idx, angle_slot } => match &plan.circuit.ops[op_idx] {
                Op::Gate(gate) => {
                    let mut inputs = Vec::new();
                    crate::sim::collect_inputs(&gate.angles[angle_slot], &mut inputs);
                    !inputs.is_empty()
                }
                Op::StatePrep(_) => true,
            },
        })
        .collect()
}

/// The evaluated angle slots of every sample of a batch: slot `slot` of sample `s` at
/// `s * n_slots + slot`.
pub(crate) struct BatchAngles {
    pub(crate) n_slots: usize,
    pub(crate) n_samples: usize,
    pub(crate) values: Vec<f64>,
}

impl BatchAngles {
    /// The angles of one sample.
    pub(crate) fn of(&self, sample: usize) -> &[f64] {
        &self.values[sample * self.n_slots..(sample + 1) * self.n_slots]
    }
}

/// Checks every sample's inputs against the plan and evaluates its angles. Returns the angles of
/// the samples that passed, and for each sample whether it did (the error, if not).
pub(crate) fn batch_angles(
    plan: &Plan<'_>,
    inputs: &[&[f64]],
    params: &[f64],
) -> (BatchAngles, Vec<Result<(), SimError>>) {
    let n_slots = plan.slots.len();
    let mut values = Vec::with_capacity(n_slots * inputs.len());
    let mut one = Vec::with_capacity(n_slots);
    let mut checks = Vec::with_capacity(inputs.len());
    let mut n_samples = 0;
    for sample_inputs in inputs {
        let check = plan
            .check_values(sample_inputs, params)
            .and_then(|()| plan.angles_into(sample_inputs, params, None, &mut one));
        if check.is_ok() {
            values.extend_from_slice(&one);
            n_samples += 1;
        }
        checks.push(check);
    }
    (BatchAngles { n_slots, n_samples, values }, checks)
}

/// The kernel of a gate of the plan for every sample: one if its angles read no input.
pub(crate) fn gate_lanes<'k>(
    plan: &Plan<'_>,
    gate: &crate::sim::plan::PlannedGate,
    reads_inputs: bool,
    angles: &BatchAngles,
    kernels: &'k mut Vec<Kernel>,
) -> Lanes<'k> {
    if !reads_inputs || angles.n_samples <= 1 {
        return Lanes::Same(plan.gate_kernel(gate, angles.of(0)));
    }
    kernels.clear();
    kernels.extend((0..angles.n_samples).map(|sample| plan.gate_kernel(gate, angles.of(sample))));
    Lanes::PerSample(kernels)
}

/// The kernel of one elementary part (`part_kind` reading angle `slot` of the gate) for every
/// sample, inverted if `inverse`: the adjoint method's backward sweep undoes a gate part by part.
pub(crate) fn part_lanes<'k>(
    plan: &Plan<'_>,
    gate: &crate::sim::plan::PlannedGate,
    part_kind: crate::ir::GateKind,
    slot: usize,
    reads_inputs: bool,
    angles: &BatchAngles,
    kernels: &'k mut Vec<Kernel>,
) -> Lanes<'k> {
    let n_qubits = plan.circuit.n_qubits;
    let bit_of = |wire: crate::ir::Wire| n_qubits - 1 - wire.index();
    let kernel_of = |sample_angles: &[f64]| {
        let angle = sample_angles[gate.first_slot + slot];
        gate_kernel(part_kind, &gate.wires, &gate.controls, &[angle], bit_of).adjoint()
    };
    if !reads_inputs || angles.n_samples <= 1 {
        return Lanes::Same(kernel_of(angles.of(0)));
    }
    kernels.clear();
    kernels.extend((0..angles.n_samples).map(|sample| kernel_of(angles.of(sample))));
    Lanes::PerSample(kernels)
}

/// Runs the plan's steps on a batch from |0…0⟩ (the plan must be [`supports`]ed), with at least one sample.
pub(crate) fn run(plan: &Plan<'_>, reads_inputs: &[bool], angles: &BatchAngles, scratch: &mut Scratch) -> BatchState {
    let mut state = BatchState::zero(plan.circuit.n_qubits, angles.n_samples);
    let mut kernels = Vec::new();
    for step in &plan.steps {
        match step {
            Step::Fixed(fixed) => {
                for kernel in fixed {
                    apply(&mut state, Lanes::Same(*kernel), scratch);
                }
            }
            Step::Gate(gate) => {
                let reads = reads_inputs[gate.first_slot..gate.first_slot + gate.kind.n_angles()].iter().any(|r| *r);
                let lanes = gate_lanes(plan, gate, reads, angles, &mut kernels);
                apply(&mut state, lanes, scratch);
            }
            Step::Embedding { .. } => {}
        }
    }
    state
}

/// The most Pauli words a projector or Hermitian term may take for the batch engine, which
/// applies observables word by word; a model with a larger one runs sample by sample.
const MAX_EXPANDED_WORDS: usize = 256;

/// The observables of the plan's measurements as Pauli sums (every measurement an expectation
/// value), projector and Hermitian terms written out as Pauli words (`None` if one takes more than
/// [`MAX_EXPANDED_WORDS`]).
fn expanded_observables(plan: &Plan<'_>) -> Option<Vec<PauliSum>> {
    let n_qubits = plan.circuit.n_qubits;
    plan.circuit
        .measurements
        .iter()
        .filter_map(|measurement| match measurement {
            Measurement::Expval(observable) => {
                Some(PauliSum::from_observable(observable, |wire| n_qubits - 1 - wire).expanded(MAX_EXPANDED_WORDS))
            }
            _ => None,
        })
        .collect()
}

/// The observables of the plan's measurements as Pauli sums of words only (every measurement an
/// expectation value, and [`supports`] true of the plan).
pub(crate) fn observables(plan: &Plan<'_>) -> Vec<PauliSum> {
    expanded_observables(plan).unwrap_or_default()
}

/// ⟨bra_s| Π W |ket_s⟩ for every sample s, with Π the projector onto the bits of
/// `projector_mask` being 1 (in the output), into `out_re` and `out_im` (one entry per sample).
pub(crate) fn matrix_elements(
    bra: &BatchState,
    ket: &BatchState,
    word: PauliWord,
    projector_mask: usize,
    out_re: &mut [f64],
    out_im: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2, checked just above.
            unsafe { matrix_elements_avx2(bra, ket, word, projector_mask, out_re, out_im) };
            return;
        }
    }
    matrix_elements_any(bra, ket, word, projector_mask, out_re, out_im);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn matrix_elements_avx2(
    bra: &BatchState,
    ket: &BatchState,
    word: PauliWord,
    projector_mask: usize,
    out_re: &mut [f64],
    out_im: &mut [f64],
) {
    matrix_elements_any(bra, ket, word, projector_mask, out_re, out_im);
}

#[inline(always)]
fn matrix_elements_any(
    bra: &BatchState,
    ket: &BatchState,
    word: PauliWord,
    projector_mask: usize,
    out_re: &mut [f64],
    out_im: &mut [f64],
) {
    let n_samples = bra.n_samples;
    let (out_re, out_im) = (&mut out_re[..n_samples], &mut out_im[..n_samples]);
    out_re.fill(0.0);
    out_im.fill(0.0);
    for output in 0..1usize << bra.n_qubits {
        if output & projector_mask != projector_mask {
            continue;
        }
        let input = output ^ word.x_mask;
        let bra_row = output * n_samples..(output + 1) * n_samples;
        let ket_row = input * n_samples..(input + 1) * n_samples;
        let (bra_re, bra_im) = (&bra.re[bra_row.clone()], &bra.im[bra_row]);
        let (ket_re, ket_im) = (&ket.re[ket_row.clone()], &ket.im[ket_row]);
        // conj(bra)·ket, added or subtracted by the sign of Z on the input, as the one-sample sum does.
        if (input & word.z_mask).count_ones() & 1 == 0 {
            for s in 0..n_samples {
                out_re[s] += bra_re[s] * ket_re[s] - -bra_im[s] * ket_im[s];
                out_im[s] += bra_re[s] * ket_im[s] + -bra_im[s] * ket_re[s];
            }
        } else {
            for s in 0..n_samples {
                out_re[s] -= bra_re[s] * ket_re[s] - -bra_im[s] * ket_im[s];
                out_im[s] -= bra_re[s] * ket_im[s] + -bra_im[s] * ket_re[s];
            }
        }
    }
    // The phase i^{n_y} is common to every basis state.
    let phase = word.coefficient(0);
    for s in 0..n_samples {
        let (sum_re, sum_im) = (out_re[s], out_im[s]);
        out_re[s] = phase.re * sum_re - phase.im * sum_im;
        out_im[s] = phase.re * sum_im + phase.im * sum_re;
    }
}

/// The expectation value of every observable for every sample: entry `s * n_outputs + output`.
pub(crate) fn expvals(state: &BatchState, observables: &[PauliSum]) -> Vec<f64> {
    let n_samples = state.n_samples;
    let n_outputs = observables.len();
    let mut values = vec![0.0; n_samples * n_outputs];
    let (mut element_re, mut element_im) = (vec![0.0; n_samples], vec![0.0; n_samples]);
    let mut totals = vec![0.0; n_samples];
    for (output, sum) in observables.iter().enumerate() {
        totals.fill(0.0);
        for (weight, word) in &sum.terms {
            matrix_elements(state, state, *word, 0, &mut element_re, &mut element_im);
            for (total, element) in totals.iter_mut().zip(&element_re) {
                *total += weight * element;
            }
        }
        for (sample, total) in totals.iter().enumerate() {
            values[sample * n_outputs + output] = *total;
        }
    }
    values
}

/// Adds Σ_s-wise `weights[s] · W |ket_s⟩` to `target`, sample by sample (`weights` one per sample).
pub(crate) fn accumulate(word: PauliWord, weights: &[f64], ket: &BatchState, target: &mut BatchState) {
    let n_samples = ket.n_samples;
    let weights = &weights[..n_samples];
    for output in 0..1usize << ket.n_qubits {
        let input = output ^ word.x_mask;
        let coefficient = word.coefficient(input);
        let (c_re, c_im) = (coefficient.re, coefficient.im);
        let ket_row = input * n_samples..(input + 1) * n_samples;
        let (ket_re, ket_im) = (&ket.re[ket_row.clone()], &ket.im[ket_row]);
        let target_row = output * n_samples..(output + 1) * n_samples;
        let (target_re, target_im) = (&mut target.re[target_row.clone()], &mut target.im[target_row]);
        for s in 0..n_samples {
            // (coefficient · amplitude) · weight, as the one-sample accumulation forms it.
            let product_re = c_re * ket_re[s] - c_im * ket_im[s];
            let product_im = c_re * ket_im[s] + c_im * ket_re[s];
            target_re[s] += product_re * weights[s];
            target_im[s] += product_im * weights[s];
        }
    }
}

#[cfg(test)]
#[path = "batch_tests.rs"]
pub(crate) mod tests;
