//! Exact measurements on a state: expectation values, variances, probabilities and amplitudes.

use crate::ir::{Observable, Wire};
use crate::sim::pauli::PauliSum;
use crate::sim::state::{State, REDUCTION_CHUNK};
use rayon::prelude::*;

/// Above this many measured wires, marginal probabilities are summed in one pass rather than per chunk.
const MAX_CHUNKED_PROBS_WIRES: usize = 10;

/// The observable as a sum of Pauli words on this state's bits.
pub fn pauli_sum(state: &State, observable: &Observable) -> PauliSum {
    let n_qubits = state.n_qubits();
    PauliSum::from_observable(observable, |wire| n_qubits - 1 - wire)
}

/// ⟨ψ|O|ψ⟩.
pub fn expval(state: &State, observable: &Observable) -> f64 {
    pauli_sum(state, observable).expectation(state)
}

/// ‖Oψ‖² − ⟨ψ|O|ψ⟩².
pub fn var(state: &State, observable: &Observable) -> f64 {
    let applied = pauli_sum(state, observable).apply(state);
    let mean = state.inner(&applied).re;
    applied.norm_squared() - mean * mean
}

/// The local index of basis state `index` on `bits` (the first bit most significant).
pub(crate) fn local_index(index: usize, bits: &[usize]) -> usize {
    bits.iter().fold(0usize, |local, bit| local << 1 | (index >> bit & 1))
}

/// The probabilities of the 2^k basis states of `wires`, the first wire most significant.
pub fn probabilities(state: &State, wires: &[Wire]) -> Vec<f64> {
    let amplitudes = state.amplitudes();
    let n_qubits = state.n_qubits();
    let all_wires_in_order =
        wires.len() == n_qubits && wires.iter().enumerate().all(|(position, wire)| wire.index() == position);
    if all_wires_in_order {
        return amplitudes.iter().map(|a| a.norm_sqr()).collect();
    }
    let bits: Vec<usize> = wires.iter().map(|wire| state.bit(*wire)).collect();
    let dimension = 1usize << wires.len();
    let accumulate = |range: std::ops::Range<usize>| {
        let mut partial = vec![0.0; dimension];
        for index in range {
            partial[local_index(index, &bits)] += amplitudes[index].norm_sqr();
        }
        partial
    };
    if wires.len() > MAX_CHUNKED_PROBS_WIRES {
        return accumulate(0..amplitudes.len());
    }
    // Fixed chunks added in order, so the sums do not depend on the thread count.
    let n_chunks = amplitudes.len().div_ceil(REDUCTION_CHUNK);
    let chunk = |chunk_idx: usize| {
        accumulate(chunk_idx * REDUCTION_CHUNK..((chunk_idx + 1) * REDUCTION_CHUNK).min(amplitudes.len()))
    };
    let partials: Vec<Vec<f64>> = if state.is_parallel() {
        (0..n_chunks).into_par_iter().map(chunk).collect()
    } else {
        (0..n_chunks).map(chunk).collect()
    };
    let mut total = vec![0.0; dimension];
    for partial in partials {
        total.iter_mut().zip(partial).for_each(|(sum, value)| *sum += value);
    }
    total
}
