//! Sampled measurements: drawing bit strings from a state with seeded, thread-count-independent ChaCha streams.
//!
//! An observable's terms are grouped greedily into qubit-wise commuting groups. Each group is
//! measured on its own copy of the state, rotated into the group's eigenbasis, with `count` shots
//! from its own random stream (stream `measurement_idx << 32 | group_idx` of the seed); a shot's
//! value is the sum over groups of the group's terms evaluated on that group's shot. Within a group
//! this is exactly PennyLane's per-shot combination; across groups (terms that do not commute
//! qubit-wise, e.g. `X(0) + Z(0)`) the shots are independent, so expectation values are unbiased
//! while a variance estimate ignores the covariance between groups.

use crate::ir::{GateKind, Observable, Pauli, Wire};
use crate::sim::kernels::gate_kernel;
use crate::sim::measure::probabilities;
use crate::sim::state::State;
use crate::sim::Shots;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random stream for one group of one measurement.
pub fn stream(seed: u64, measurement_idx: usize, group_idx: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream((measurement_idx as u64) << 32 | group_idx as u64);
    rng
}

/// Draws `count` basis indices of a distribution given by its (not necessarily normalised) weights.
pub fn draw_indices(weights: &[f64], count: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut total = 0.0;
    for weight in weights {
        total += weight.max(0.0);
        cumulative.push(total);
    }
    (0..count)
        .map(|_| {
            let target = rng.random::<f64>() * total;
            cumulative.partition_point(|&sum| sum <= target).min(weights.len() - 1)
        })
        .collect()
}

/// A qubit-wise commuting group: the basis of each measured wire and the terms it evaluates,
/// each term as (coefficient, positions of its wires in `wires`).
struct Group {
    wires: Vec<Wire>,
    bases: Vec<Pauli>,
    terms: Vec<(f64, Vec<usize>)>,
}

/// Splits the observable into a constant (identity terms) and qubit-wise commuting groups.
fn group_terms(observable: &Observable) -> (f64, Vec<Group>) {
    let mut constant = 0.0;
    let mut groups: Vec<Group> = Vec::new();
    for term in &observable.terms {
        let factors: Vec<(Pauli, Wire)> =
            term.factors.iter().copied().filter(|(pauli, _)| *pauli != Pauli::I).collect();
        if factors.is_empty() {
            constant += term.coefficient;
            continue;
        }
        let fits = |group: &Group| {
            factors.iter().all(|(pauli, wire)| match group.wires.iter().position(|w| w == wire) {
                Some(position) => group.bases[position] == *pauli,
                None => true,
            })
        };
        let group_idx = match groups.iter().position(fits) {
            Some(group_idx) => group_idx,
            None => {
                groups.push(Group { wires: Vec::new(), bases: Vec::new(), terms: Vec::new() });
                groups.len() - 1
            }
        };
        let group = &mut groups[group_idx];
        let mut positions = Vec::with_capacity(factors.len());
        for (pauli, wire) in factors {
            let position = match group.wires.iter().position(|w| *w == wire) {
                Some(position) => position,
                None => {
                    group.wires.push(wire);
                    group.bases.push(pauli);
                    group.wires.len() - 1
                }
            };
            positions.push(position);
        }
        group.terms.push((term.coefficient, positions));
    }
    (constant, groups)
}

/// Rotates `state` so that measuring `wire` in the computational basis measures `basis`.
pub fn rotate_into_eigenbasis(state: &mut State, wire: Wire, basis: Pauli) {
    let n_qubits = state.n_qubits();
    let parallel = state.is_parallel();
    let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
    let gates: &[(GateKind, f64)] = match basis {
        Pauli::X => &[(GateKind::H, 0.0)],
        Pauli::Y => &[(GateKind::Sdg, 0.0), (GateKind::H, 0.0)],
        Pauli::H => &[(GateKind::RY, -std::f64::consts::FRAC_PI_4)],
        Pauli::Z | Pauli::I => &[],
    };
    for (kind, angle) in gates {
        gate_kernel(*kind, &[wire], &[], &[*angle], bit_of).apply(state.amplitudes_mut(), parallel);
    }
}

/// One value of the observable per shot.
pub fn sample_observable(state: &State, observable: &Observable, shots: Shots, measurement_idx: usize) -> Vec<f64> {
    let (constant, groups) = group_terms(observable);
    let mut values = vec![constant; shots.count];
    for (group_idx, group) in groups.iter().enumerate() {
        // Only a group with a factor other than Z needs a rotated copy of the state.
        let weights = if group.bases.iter().all(|basis| *basis == Pauli::Z) {
            probabilities(state, &group.wires)
        } else {
            let mut rotated = state.clone();
            for (wire, basis) in group.wires.iter().zip(&group.bases) {
                rotate_into_eigenbasis(&mut rotated, *wire, *basis);
            }
            probabilities(&rotated, &group.wires)
        };
        let mut rng = stream(shots.seed, measurement_idx, group_idx);
        let n_wires = group.wires.len();
        for (value, outcome) in values.iter_mut().zip(draw_indices(&weights, shots.count, &mut rng)) {
            for (coefficient, positions) in &group.terms {
                let parity =
                    positions.iter().map(|position| outcome >> (n_wires - 1 - position) & 1).sum::<usize>() % 2;
                *value += if parity == 0 { *coefficient } else { -*coefficient };
            }
        }
    }
    values
}

/// The mean of the per-shot values.
pub fn sampled_expval(state: &State, observable: &Observable, shots: Shots, measurement_idx: usize) -> f64 {
    let values = sample_observable(state, observable, shots, measurement_idx);
    values.iter().sum::<f64>() / values.len() as f64
}

/// The variance of the per-shot values (dividing by the number of shots, as `numpy.var`).
pub fn sampled_var(state: &State, observable: &Observable, shots: Shots, measurement_idx: usize) -> f64 {
    let values = sample_observable(state, observable, shots, measurement_idx);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|value| (value - mean) * (value - mean)).sum::<f64>() / values.len() as f64
}

/// The observed frequencies of the 2^k basis states of `wires`.
pub fn sampled_probabilities(state: &State, wires: &[Wire], shots: Shots, measurement_idx: usize) -> Vec<f64> {
    let weights = probabilities(state, wires);
    let mut rng = stream(shots.seed, measurement_idx, 0);
    let mut frequencies = vec![0.0; weights.len()];
    for outcome in draw_indices(&weights, shots.count, &mut rng) {
        frequencies[outcome] += 1.0;
    }
    frequencies.iter_mut().for_each(|frequency| *frequency /= shots.count as f64);
    frequencies
}
