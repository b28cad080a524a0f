//! The state vector: 2^n complex amplitudes, the memory guard, deterministic reductions and amplitude embedding.

use crate::ir::Wire;
use crate::sim::memory::{try_filled, try_reserve, BudgetOrigin, MemoryBudget, MemoryNeed};
use crate::sim::SimError;
use num_complex::Complex64;
use rayon::prelude::*;
use std::ops::Range;

/// The largest state vector the simulator allocates by default: half of a 24 GiB machine.
pub const DEFAULT_MEMORY_LIMIT_BYTES: u64 = 12 * 1024 * 1024 * 1024;

/// From this many qubits on, kernels and reductions split the work over rayon's threads. Measured
/// with `cargo bench --bench kernels threshold` (the fused ring workload, 2 threads): threads gain
/// from 15 qubits on, break even at 14; below that a kernel's own blocks (2^14 amplitudes per
/// thread's share) keep it on one thread anyway.
pub(crate) const PARALLEL_MIN_QUBITS: usize = 14;

/// Reductions add up fixed chunks of this many amplitudes and then the chunk sums in order, so a
/// result never depends on how many threads took part.
pub(crate) const REDUCTION_CHUNK: usize = 1 << 12;

/// A pure state of `n_qubits` qubits. Wire 0 is the most significant bit of a basis index.
#[derive(Clone, Debug)]
pub struct State {
    n_qubits: usize,
    amplitudes: Vec<Complex64>,
    /// Whether kernels may split this state across threads (when it is large enough). Turned off
    /// for states that are themselves processed one per thread, such as the adjoint method's
    /// cotangents.
    parallel_kernels: bool,
}

impl PartialEq for State {
    /// States are equal when their amplitudes are; how kernels run on them does not matter.
    fn eq(&self, other: &State) -> bool {
        self.n_qubits == other.n_qubits && self.amplitudes == other.amplitudes
    }
}

impl State {
    /// The state |0…0> on `n_qubits` qubits, refused if it would exceed the default memory limit.
    pub fn zero(n_qubits: usize) -> Result<State, SimError> {
        State::zero_within(n_qubits, MemoryBudget::default())
    }

    /// The state |0…0>, refused before allocating if 16·2^n bytes exceed `limit_bytes`.
    pub fn zero_with_limit(n_qubits: usize, limit_bytes: u64) -> Result<State, SimError> {
        State::zero_within(n_qubits, MemoryBudget { limit_bytes, origin: BudgetOrigin::Default })
    }

    /// The state |0…0>, refused before allocating if it does not fit in `budget`, and allocated
    /// fallibly, so a machine short of memory gives an error rather than an abort.
    pub(crate) fn zero_within(n_qubits: usize, budget: MemoryBudget) -> Result<State, SimError> {
        check_size(n_qubits, budget)?;
        let mut amplitudes = try_filled(1usize << n_qubits, Complex64::new(0.0, 0.0))?;
        amplitudes[0] = Complex64::new(1.0, 0.0);
        Ok(State { n_qubits, amplitudes, parallel_kernels: true })
    }

    /// A copy of this state, allocated fallibly.
    pub(crate) fn try_clone(&self) -> Result<State, SimError> {
        let mut amplitudes = Vec::new();
        try_reserve(&mut amplitudes, self.amplitudes.len())?;
        amplitudes.extend_from_slice(&self.amplitudes);
        Ok(State { n_qubits: self.n_qubits, amplitudes, parallel_kernels: self.parallel_kernels })
    }

    /// A state of the same size with every amplitude zero (not a valid state: a buffer for O|ψ>).
    pub(crate) fn try_zeroed_like(&self) -> Result<State, SimError> {
        let amplitudes = try_filled(self.amplitudes.len(), Complex64::new(0.0, 0.0))?;
        Ok(State { n_qubits: self.n_qubits, amplitudes, parallel_kernels: self.parallel_kernels })
    }

    /// A state from explicit amplitudes, whose count must be a power of two (at least 2).
    pub fn from_amplitudes(amplitudes: Vec<Complex64>) -> Result<State, SimError> {
        let len = amplitudes.len();
        if len < 2 || !len.is_power_of_two() {
            return Err(SimError::InvalidCircuit {
                message: format!("a state needs a power-of-two number of amplitudes (at least 2), not {len}"),
            });
        }
        Ok(State { n_qubits: len.trailing_zeros() as usize, amplitudes, parallel_kernels: true })
    }

    pub fn n_qubits(&self) -> usize {
        self.n_qubits
    }

    pub fn amplitudes(&self) -> &[Complex64] {
        &self.amplitudes
    }

    pub(crate) fn amplitudes_mut(&mut self) -> &mut [Complex64] {
        &mut self.amplitudes
    }

    pub fn into_amplitudes(self) -> Vec<Complex64> {
        self.amplitudes
    }

    /// Whether kernels on this state run in parallel.
    pub(crate) fn is_parallel(&self) -> bool {
        self.parallel_kernels && self.n_qubits >= PARALLEL_MIN_QUBITS
    }

    /// Keeps every kernel on this state on the calling thread (the caller parallelises across states).
    pub(crate) fn set_sequential(&mut self) {
        self.parallel_kernels = false;
    }

    /// The bit position of `wire` in a basis index.
    pub fn bit(&self, wire: Wire) -> usize {
        self.n_qubits - 1 - wire.index()
    }

    /// The squared norm ⟨ψ|ψ⟩.
    pub fn norm_squared(&self) -> f64 {
        let amplitudes = &self.amplitudes;
        chunked_sum(amplitudes.len(), self.is_parallel(), |range| amplitudes[range].iter().map(|a| a.norm_sqr()).sum())
    }

    /// The inner product ⟨self|other⟩ (conjugating `self`).
    pub fn inner(&self, other: &State) -> Complex64 {
        let (left, right) = (&self.amplitudes, &other.amplitudes);
        chunked_sum(left.len(), self.is_parallel(), |range| {
            left[range.clone()].iter().zip(&right[range]).map(|(a, b)| a.conj() * b).sum()
        })
    }
}

/// Refuses a register whose state vector alone would not fit in `budget`.
pub(crate) fn check_size(n_qubits: usize, budget: MemoryBudget) -> Result<(), SimError> {
    let need = MemoryNeed { n_qubits, state_vectors: 1, other_bytes: 0 };
    if n_qubits >= usize::BITS as usize - 5 {
        return Err(SimError::TooLarge { what: "a state vector", need, budget });
    }
    budget.check("a state vector", need)
}

/// Adds `partial(range)` over fixed chunks of `0..len`, then the chunk sums in order, so the
/// result is the same whether or not (and on how many threads) the chunks run in parallel.
pub(crate) fn chunked_sum<T, F>(len: usize, parallel: bool, partial: F) -> T
where
    T: Send + std::iter::Sum<T>,
    F: Fn(Range<usize>) -> T + Sync,
{
    let n_chunks = len.div_ceil(REDUCTION_CHUNK);
    let chunk = |chunk_idx: usize| partial(chunk_idx * REDUCTION_CHUNK..((chunk_idx + 1) * REDUCTION_CHUNK).min(len));
    if parallel && n_chunks > 1 {
        let partials: Vec<T> = (0..n_chunks).into_par_iter().map(chunk).collect();
        partials.into_iter().sum()
    } else {
        (0..n_chunks).map(chunk).sum()
    }
}

/// The real amplitudes an amplitude embedding prepares on its `n_wires` wires: padded, checked
/// and (if asked) normalized.
pub(crate) fn embedding_amplitudes(
    values: &[f64],
    n_wires: usize,
    normalize: bool,
    pad: Option<f64>,
) -> Result<Vec<f64>, SimError> {
    let dimension = 1usize << n_wires;
    if values.len() > dimension || (values.len() < dimension && pad.is_none()) {
        return Err(SimError::AmplitudeCount { expected: dimension, found: values.len(), padded: pad.is_some() });
    }
    if let Some(position) = values.iter().position(|v| !v.is_finite()) {
        return Err(SimError::NonFinite {
            what: format!("amplitude {position} of `amplitude_embedding`"),
            value: values[position],
            origin: String::new(),
            span: None,
        });
    }
    let mut amplitudes = values.to_vec();
    amplitudes.resize(dimension, pad.unwrap_or(0.0));
    // The norm is taken of the amplitudes divided by the largest magnitude, as LAPACK's dnrm2
    // does, so that neither 1e200 (whose square overflows) nor 1e-200 (whose square underflows)
    // is mistaken for infinity or zero.
    let largest = amplitudes.iter().fold(0.0f64, |largest, a| largest.max(a.abs()));
    if largest == 0.0 || !largest.is_finite() {
        return Err(SimError::ZeroNorm);
    }
    let scaled_norm = amplitudes.iter().map(|a| (a / largest) * (a / largest)).sum::<f64>().sqrt();
    if normalize {
        amplitudes.iter_mut().for_each(|a| *a = (*a / largest) / scaled_norm);
    } else {
        let norm = largest * scaled_norm;
        // A norm that overflowed to infinity is not 1 either (and NaN cannot occur: the values are finite).
        if (norm - 1.0).abs() > 1e-9 || !norm.is_finite() {
            return Err(SimError::AmplitudeNorm { norm });
        }
    }
    Ok(amplitudes)
}

/// Applies the Householder reflection that maps |0…0> to `amplitudes` on `wires` (and back: it
/// is its own inverse), independently for every basis state of the other wires.
///
/// When the wires are |0…0> and unentangled, as amplitude embedding guarantees, this sets their
/// amplitudes exactly as PennyLane's state preparation does; being unitary, it is also what the
/// adjoint method runs backwards through.
pub(crate) fn reflect_embedding(state: &mut State, wires: &[Wire], amplitudes: &[f64]) {
    // v = e_0 - a; H = I - 2 v vᵀ / (vᵀ v). If a = e_0 the reflection is the identity.
    let mut direction: Vec<f64> = amplitudes.iter().map(|a| -a).collect();
    direction[0] += 1.0;
    let direction_norm_squared: f64 = direction.iter().map(|v| v * v).sum();
    if direction_norm_squared < 1e-30 {
        return;
    }
    let offsets = subspace_offsets(state, wires);
    let wire_mask: usize = offsets.iter().fold(0, |mask, offset| mask | offset);
    let scale = 2.0 / direction_norm_squared;
    let n_amplitudes = state.amplitudes.len();
    let amplitudes = state.amplitudes_mut();
    // Every index whose embedding bits are all zero starts one independent reflection.
    for base in (0..n_amplitudes).filter(|index| index & wire_mask == 0) {
        let projection: Complex64 =
            offsets.iter().zip(&direction).map(|(offset, v)| amplitudes[base + offset] * v).sum::<Complex64>() * scale;
        for (offset, v) in offsets.iter().zip(&direction) {
            amplitudes[base + offset] -= projection * v;
        }
    }
}

/// The index offsets of the 2^k basis states of `wires` (first wire most significant).
pub(crate) fn subspace_offsets(state: &State, wires: &[Wire]) -> Vec<usize> {
    let bits: Vec<usize> = wires.iter().map(|wire| state.bit(*wire)).collect();
    (0..1usize << wires.len())
        .map(|local| {
            bits.iter()
                .enumerate()
                .filter(|(position, _)| local >> (wires.len() - 1 - position) & 1 == 1)
                .fold(0usize, |offset, (_, bit)| offset | 1 << bit)
        })
        .collect()
}
