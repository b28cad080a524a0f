//! Exact measurements on a state: expectation values, variances, probabilities and amplitudes.

use crate::ir::{Observable, Wire};
use crate::sim::memory::{try_filled, try_reserve};
use crate::sim::pauli::PauliSum;
use crate::sim::state::{State, REDUCTION_CHUNK};
use crate::sim::SimError;
use rayon::prelude::*;

/// Above this many measured wires, marginal probabilities are summed in one pass rather than per chunk.
const MAX_CHUNKED_PROBS_WIRES: usize = 10;

/// The observable as a sum of Pauli words on this state's bits.
pub(crate) fn pauli_sum(state: &State, observable: &Observable) -> PauliSum {
    let n_qubits = state.n_qubits();
    PauliSum::from_observable(observable, |wire| n_qubits - 1 - wire)
}

/// ⟨ψ|O|ψ⟩.
pub fn expval(state: &State, observable: &Observable) -> f64 {
    pauli_sum(state, observable).expectation(state)
}

/// ‖Oψ‖² − ⟨ψ|O|ψ⟩².
pub fn var(state: &State, observable: &Observable) -> Result<f64, SimError> {
    let applied = pauli_sum(state, observable).apply(state)?;
    let mean = state.inner(&applied).re;
    Ok(applied.norm_squared() - mean * mean)
}

/// The local index of basis state `index` on `bits` (the first bit most significant).
pub(crate) fn local_index(index: usize, bits: &[usize]) -> usize {
    bits.iter().fold(0usize, |local, bit| local << 1 | (index >> bit & 1))
}

/// The probabilities of the 2^k basis states of `wires`, the first wire most significant.
pub fn probabilities(state: &State, wires: &[Wire]) -> Result<Vec<f64>, SimError> {
    let amplitudes = state.amplitudes();
    let n_qubits = state.n_qubits();
    let all_wires_in_order =
        wires.len() == n_qubits && wires.iter().enumerate().all(|(position, wire)| wire.index() == position);
    if all_wires_in_order {
        let mut probabilities = Vec::new();
        try_reserve(&mut probabilities, amplitudes.len())?;
        probabilities.extend(amplitudes.iter().map(|a| a.norm_sqr()));
        return Ok(probabilities);
    }
    let bits: Vec<usize> = wires.iter().map(|wire| state.bit(*wire)).collect();
    let dimension = 1usize << wires.len();
    let accumulate = |range: std::ops::Range<usize>, partial: &mut [f64]| {
        for index in range {
            partial[local_index(index, &bits)] += amplitudes[index].norm_sqr();
        }
    };
    let mut total = try_filled(dimension, 0.0)?;
    if wires.len() > MAX_CHUNKED_PROBS_WIRES {
        accumulate(0..amplitudes.len(), &mut total);
        return Ok(total);
    }
    // Fixed chunks added in order, so the sums do not depend on the thread count. A chunk covers
    // at least 16 times the number of outcomes, so the partial sums stay small beside the state.
    let chunk_len = chunk_len(wires.len());
    let n_chunks = amplitudes.len().div_ceil(chunk_len);
    let chunk_range = |chunk_idx: usize| chunk_idx * chunk_len..((chunk_idx + 1) * chunk_len).min(amplitudes.len());
    if state.is_parallel() && n_chunks > 1 {
        let mut partials = Vec::new();
        try_reserve(&mut partials, n_chunks)?;
        partials.extend((0..n_chunks).map(|_| Vec::new()));
        for partial in &mut partials {
            *partial = try_filled(dimension, 0.0)?;
        }
        partials
            .par_iter_mut()
            .enumerate()
            .for_each(|(chunk_idx, partial)| accumulate(chunk_range(chunk_idx), partial));
        for partial in partials {
            total.iter_mut().zip(partial).for_each(|(sum, value)| *sum += value);
        }
    } else {
        let mut partial = try_filled(dimension, 0.0)?;
        for chunk_idx in 0..n_chunks {
            partial.iter_mut().for_each(|value| *value = 0.0);
            accumulate(chunk_range(chunk_idx), &mut partial);
            total.iter_mut().zip(&partial).for_each(|(sum, value)| *sum += value);
        }
    }
    Ok(total)
}

/// The number of amplitudes a chunk of a marginal-probabilities sum covers.
fn chunk_len(n_wires: usize) -> usize {
    REDUCTION_CHUNK.max(16 << n_wires)
}

/// The bytes of the partial sums [`probabilities`] keeps for `n_wires` wires of `n_qubits`
/// (when it splits the work across threads).
pub(crate) fn partial_sums_bytes(n_qubits: usize, n_wires: usize) -> u128 {
    if n_wires > MAX_CHUNKED_PROBS_WIRES || n_wires >= n_qubits || n_qubits >= 64 {
        return 0;
    }
    let n_chunks = (1u128 << n_qubits).div_ceil(chunk_len(n_wires) as u128);
    n_chunks * (8u128 << n_wires)
}
