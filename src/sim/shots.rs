//! Sampled measurements: one set of shots per execution, drawn as counts from seeded, thread-count-independent ChaCha streams.
//!
//! Every shot-based measurement of one execution reads the same shots, as on hardware and in
//! PennyLane. The measurements' Pauli terms (and `probs`, which measures in the computational
//! basis) are grouped into qubit-wise commuting groups: a group fixes one basis per wire, and every
//! term and `probs` in it is read off the same outcomes. Everything diagonal in Z is placed first,
//! so it all shares group 0, the computational-basis draws; so `sample(Z(0)), sample(Z(1))` on a
//! Bell pair agree on every shot, and ⟨Z0⟩ and ⟨Z1⟩ estimated from the same shots are equal. Then an
//! observable with X, Y or H factors whose terms commute qubit-wise joins, as a whole, the first
//! group it fits (or opens a new one), so that each shot gives one value of it; an observable whose
//! terms do not commute qubit-wise is placed term by term. A group with a basis other than Z is
//! measured on a copy of the state rotated into its basis.
//!
//! A group's shots are drawn as counts: a multinomial over its 2^k outcomes by sequential binomials
//! (stream `group_idx` of the seed), so expval, var and probs need memory for the outcomes, not for
//! the shots, and 10^15 shots cost no more than ten. Only `sample`, which returns a value per shot,
//! expands a group's counts into a list of outcomes, shuffled by a second stream (`2^32 + group_idx`)
//! into a random order; every `sample` reading the group reads that one list, so samples of
//! terms in one group are joint shot by shot.
//!
//! Terms that do not commute qubit-wise cannot be read from one shot: `X(0)` and `Z(0)` of
//! `X(0) + Z(0)` fall in different groups, whose draws are independent. A sampled value of such an
//! observable is the sum over its groups of the group's part on that shot of each group's list; its
//! expectation value is unbiased, and its variance is estimated as the sum of the groups'
//! variances, which is what per-shot sums of independent draws have: the covariance between terms
//! that do not commute qubit-wise is not estimated (separate shots cannot measure it), so such a
//! variance is biased by twice the sum of those covariances. An observable whose terms commute
//! qubit-wise has no such caveat: its variance is exactly the variance of its per-shot values.
//!
//! Projectors and Hermitian matrices are measured in their eigenbasis, as PennyLane does: a
//! projector |b⟩⟨b| (and a diagonal matrix) is diagonal, so it is read in the computational basis
//! like Z, its value on an outcome being 1 if its wires show b (the diagonal entry). A Hermitian
//! matrix that is not diagonal is diagonalized (`eigen::symmetric_eigen`); its wires are measured
//! together after rotating the state by Vᵀ, and outcome j of its wires reads eigenvalue λ_j. Such a
//! factor shares a group only with terms that measure its wires with the same matrix.

use crate::ir::{GateKind, MatrixKind, Measurement, Observable, Pauli, Term, Wire};
use crate::sim::eigen::symmetric_eigen;
use crate::sim::kernels::gate_kernel;
use crate::sim::matrix_term::apply_real_matrix;
use crate::sim::measure::probabilities;
use crate::sim::memory::{try_filled, try_reserve};
use crate::sim::state::State;
use crate::sim::{Shots, SimError};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};

/// The stream offset of the shuffles that put a group's outcomes in a random order.
const SHUFFLE_STREAMS: u64 = 1 << 32;

/// The random stream that draws group `group_idx`'s counts.
pub fn stream(seed: u64, group_idx: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(group_idx as u64);
    rng
}

/// A qubit-wise commuting group: the basis each of its wires is measured in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Group {
    pub wires: Vec<Wire>,
    /// One basis per wire; `Pauli::I` marks a wire measured in a Hermitian matrix's eigenbasis,
    /// which `eigenbases` names.
    pub bases: Vec<Pauli>,
    /// For each wire, the Hermitian eigenbasis (an index into [`GroupPlan::eigenbases`]) it is
    /// measured in, if any.
    pub eigenbases: Vec<Option<usize>>,
}

/// What a term asks of a group on one wire: a Pauli basis, or a Hermitian matrix's eigenbasis.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Need {
    wire: Wire,
    basis: Pauli,
    eigenbasis: Option<usize>,
}

impl Group {
    /// Whether measuring the group needs a copy of the state rotated out of the computational basis.
    pub(crate) fn needs_rotation(&self) -> bool {
        self.bases.iter().any(|basis| *basis != Pauli::Z)
    }

    /// Whether the needs fit the group's bases, and adds the wires it lacks.
    fn try_place(&mut self, needs: &[Need]) -> Option<Vec<usize>> {
        let fits = needs.iter().all(|need| match self.wires.iter().position(|w| *w == need.wire) {
            Some(position) => self.bases[position] == need.basis && self.eigenbases[position] == need.eigenbasis,
            None => true,
        });
        if !fits {
            return None;
        }
        let positions = needs
            .iter()
            .map(|need| match self.wires.iter().position(|w| *w == need.wire) {
                Some(position) => position,
                None => {
                    self.wires.push(need.wire);
                    self.bases.push(need.basis);
                    self.eigenbases.push(need.eigenbasis);
                    self.wires.len() - 1
                }
            })
            .collect();
        Some(positions)
    }
}

/// A Hermitian matrix (not diagonal) to measure in its eigenbasis: its wires, and the rotation
/// Vᵀ and eigenvalues that `symmetric_eigen` gives.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Eigenbasis {
    wires: Vec<Wire>,
    matrix: Vec<f64>,
    rotation: Vec<f64>,
    eigenvalues: Vec<f64>,
}

/// A factor's values on the outcomes of its wires (the first wire most significant).
#[derive(Clone, Debug, PartialEq)]
enum Table {
    /// A projector: 1 on its basis state, 0 elsewhere.
    Indicator(usize),
    /// A diagonal matrix's diagonal, or a Hermitian's eigenvalues in its eigenbasis.
    Values(Vec<f64>),
}

impl Table {
    fn value(&self, local: usize) -> f64 {
        match self {
            Table::Indicator(index) => f64::from(u8::from(local == *index)),
            Table::Values(values) => values[local],
        }
    }
}

/// A term's needs of a group and how its value is read off an outcome: the sign of the parity
/// of its Pauli wires, times each table's value on its wires.
#[derive(Clone, Debug, PartialEq)]
struct TermReading {
    coefficient: f64,
    needs: Vec<Need>,
    parity_wires: Vec<Wire>,
    tables: Vec<(Vec<Wire>, Table)>,
}

impl TermReading {
    /// Everything diagonal in the computational basis.
    fn is_diagonal(&self) -> bool {
        self.needs.iter().all(|need| need.basis == Pauli::Z && need.eigenbasis.is_none())
    }

    /// The reading placed in group `group_idx`, its wires found among the group's.
    fn placed(&self, group_idx: usize, group: &Group) -> PlacedTerm {
        let position = |wire: &Wire| group.wires.iter().position(|w| w == wire).expect("the term's wires were placed");
        PlacedTerm {
            coefficient: self.coefficient,
            group_idx,
            positions: self.parity_wires.iter().map(position).collect(),
            tables: self
                .tables
                .iter()
                .map(|(wires, table)| (wires.iter().map(position).collect(), table.clone()))
                .collect(),
        }
    }
}

/// How a term is measured: Pauli factors in their bases, projectors and diagonal matrices in the
/// computational basis, other matrices in their eigenbases (added to `eigenbases` when new).
fn term_reading(term: &Term, eigenbases: &mut Vec<Eigenbasis>) -> TermReading {
    let mut reading =
        TermReading { coefficient: term.coefficient, needs: Vec::new(), parity_wires: Vec::new(), tables: Vec::new() };
    for &(pauli, wire) in term.factors.iter().filter(|(pauli, _)| *pauli != Pauli::I) {
        reading.needs.push(Need { wire, basis: pauli, eigenbasis: None });
        reading.parity_wires.push(wire);
    }
    for factor in &term.matrices {
        let dimension = 1usize << factor.wires.len();
        let (table, eigenbasis) = match &factor.kind {
            MatrixKind::Projector { .. } => (Table::Indicator(factor.basis_index().unwrap_or(0)), None),
            MatrixKind::Hermitian { matrix } => {
                let is_diagonal = (0..dimension)
                    .all(|row| (0..dimension).all(|column| row == column || matrix[row * dimension + column] == 0.0));
                if is_diagonal {
                    (Table::Values((0..dimension).map(|index| matrix[index * dimension + index]).collect()), None)
                } else {
                    let known =
                        eigenbases.iter().position(|basis| basis.wires == factor.wires && basis.matrix == *matrix);
                    let idx = known.unwrap_or_else(|| {
                        let (eigenvalues, vectors) = symmetric_eigen(matrix, dimension);
                        // Vᵀ: row j is eigenvector j, so outcome j of the rotated state reads λ_j.
                        let rotation = (0..dimension * dimension)
                            .map(|entry| vectors[(entry % dimension) * dimension + entry / dimension])
                            .collect();
                        eigenbases.push(Eigenbasis {
                            wires: factor.wires.clone(),
                            matrix: matrix.clone(),
                            rotation,
                            eigenvalues,
                        });
                        eigenbases.len() - 1
                    });
                    (Table::Values(eigenbases[idx].eigenvalues.clone()), Some(idx))
                }
            }
        };
        let basis = if eigenbasis.is_some() { Pauli::I } else { Pauli::Z };
        reading.needs.extend(factor.wires.iter().map(|wire| Need { wire: *wire, basis, eigenbasis }));
        reading.tables.push((factor.wires.clone(), table));
    }
    reading
}

/// A term of an observable placed in a group: its coefficient, the positions of its Pauli wires
/// among the group's wires (its value on an outcome is the coefficient times the parity sign), and
/// its projector and matrix factors' tables with their wires' positions.
#[derive(Clone, Debug, PartialEq)]
struct PlacedTerm {
    coefficient: f64,
    group_idx: usize,
    positions: Vec<usize>,
    tables: Vec<(Vec<usize>, Table)>,
}

/// Where a measurement's values come from.
#[derive(Clone, Debug, PartialEq)]
enum Placement {
    /// `state`, which shots do not touch.
    Exact,
    /// `probs`: its wires' positions in group `group_idx`.
    Probs { group_idx: usize, positions: Vec<usize> },
    /// expval, var, sample: the identity terms' sum and the other terms.
    Observable { constant: f64, terms: Vec<PlacedTerm> },
}

/// The groups of one execution's measurements and where each measurement reads from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GroupPlan {
    pub groups: Vec<Group>,
    placements: Vec<Placement>,
    eigenbases: Vec<Eigenbasis>,
}

/// Groups the measurements' terms: first everything diagonal in Z (group 0, the computational
/// basis), then the other observables, each as a whole if its terms commute qubit-wise (else term
/// by term) in the first group it commutes with qubit-wise.
pub(crate) fn plan_groups(measurements: &[Measurement]) -> GroupPlan {
    let mut groups: Vec<Group> = Vec::new();
    let mut eigenbases: Vec<Eigenbasis> = Vec::new();
    let mut placements: Vec<Placement> = measurements
        .iter()
        .map(|measurement| match measurement {
            Measurement::State => Placement::Exact,
            Measurement::Probs(_) => Placement::Probs { group_idx: 0, positions: Vec::new() },
            Measurement::Expval(observable) | Measurement::Var(observable) | Measurement::Sample(observable) => {
                Placement::Observable { constant: identity_sum(observable), terms: Vec::new() }
            }
        })
        .collect();
    for diagonal_pass in [true, false] {
        for (measurement, placement) in measurements.iter().zip(&mut placements) {
            match (measurement, placement) {
                (Measurement::Probs(wires), Placement::Probs { group_idx, positions }) if diagonal_pass => {
                    let needs: Vec<Need> =
                        wires.iter().map(|wire| Need { wire: *wire, basis: Pauli::Z, eigenbasis: None }).collect();
                    (*group_idx, *positions) = place(&mut groups, &needs);
                }
                (
                    Measurement::Expval(observable) | Measurement::Var(observable) | Measurement::Sample(observable),
                    Placement::Observable { terms, .. },
                ) => place_observable(&mut groups, &mut eigenbases, observable, diagonal_pass, terms),
                _ => {}
            }
        }
    }
    GroupPlan { groups, placements, eigenbases }
}

/// Places an observable's terms in this pass (diagonal terms first, then the others). An
/// observable whose terms commute qubit-wise is placed as a whole, in one group, so that its
/// per-shot values (and so its variance) come from single shots; otherwise term by term.
fn place_observable(
    groups: &mut Vec<Group>,
    eigenbases: &mut Vec<Eigenbasis>,
    observable: &Observable,
    diagonal_pass: bool,
    terms: &mut Vec<PlacedTerm>,
) {
    let readings: Vec<TermReading> =
        observable.terms.iter().filter(|term| !term.is_identity()).map(|term| term_reading(term, eigenbases)).collect();
    let all_diagonal = readings.iter().all(TermReading::is_diagonal);
    if let Some(union) = union_of_needs(&readings) {
        // A commuting observable goes in whole: in the diagonal pass if it is diagonal, else in the other.
        if all_diagonal != diagonal_pass || readings.is_empty() {
            return;
        }
        let (group_idx, _) = place(groups, &union);
        terms.extend(readings.iter().map(|reading| reading.placed(group_idx, &groups[group_idx])));
        return;
    }
    for reading in &readings {
        if reading.is_diagonal() != diagonal_pass {
            continue;
        }
        let (group_idx, _) = place(groups, &reading.needs);
        terms.push(reading.placed(group_idx, &groups[group_idx]));
    }
}

/// The needs of all terms together, one per wire, or `None` if two terms measure a wire in
/// different bases (the terms do not commute qubit-wise).
fn union_of_needs(readings: &[TermReading]) -> Option<Vec<Need>> {
    let mut union: Vec<Need> = Vec::new();
    for need in readings.iter().flat_map(|reading| &reading.needs) {
        match union.iter().find(|placed| placed.wire == need.wire) {
            Some(placed) if placed != need => return None,
            Some(_) => {}
            None => union.push(*need),
        }
    }
    Some(union)
}

/// The sum of the coefficients of the observable's identity terms.
fn identity_sum(observable: &Observable) -> f64 {
    observable.terms.iter().filter(|term| term.is_identity()).map(|term| term.coefficient).sum()
}

/// Puts needs in the first group they fit (or a new one): the group and the needs' positions in it.
fn place(groups: &mut Vec<Group>, needs: &[Need]) -> (usize, Vec<usize>) {
    for (group_idx, group) in groups.iter_mut().enumerate() {
        if let Some(positions) = group.try_place(needs) {
            return (group_idx, positions);
        }
    }
    let mut group = Group { wires: Vec::new(), bases: Vec::new(), eigenbases: Vec::new() };
    let positions = group.try_place(needs).expect("an empty group takes any needs");
    groups.push(group);
    (groups.len() - 1, positions)
}

/// One measurement's values estimated from the shots.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SampledValue {
    /// `state`, which the shots do not estimate.
    Exact,
    Expval(f64),
    /// The estimated mean and variance (the variance of the per-shot values, dividing by the
    /// number of shots, as `numpy.var`).
    Var {
        mean: f64,
        variance: f64,
    },
    Probs(Vec<f64>),
    /// One value per shot.
    Sample(Vec<f64>),
}

/// Draws one set of shots for all `measurements` of `state` and reads every measurement off it.
pub(crate) fn sample_measurements(
    state: &State,
    measurements: &[Measurement],
    shots: Shots,
) -> Result<Vec<SampledValue>, SimError> {
    check_shots(shots)?;
    let plan = plan_groups(measurements);
    let shot_count = shots.count as u64;
    let mut counts = Vec::with_capacity(plan.groups.len());
    for (group_idx, group) in plan.groups.iter().enumerate() {
        let mut weights = if group.needs_rotation() {
            let mut rotated = state.try_clone()?;
            for (wire, basis) in group.wires.iter().zip(&group.bases) {
                rotate_into_eigenbasis(&mut rotated, *wire, *basis);
            }
            let mut rotated_eigenbases: Vec<usize> = group.eigenbases.iter().flatten().copied().collect();
            rotated_eigenbases.dedup();
            for eigenbasis in rotated_eigenbases {
                let eigenbasis = &plan.eigenbases[eigenbasis];
                let bits: Vec<usize> = eigenbasis.wires.iter().map(|wire| rotated.bit(*wire)).collect();
                apply_real_matrix(&mut rotated, &bits, &eigenbasis.rotation);
            }
            probabilities(&rotated, &group.wires)?
        } else {
            probabilities(state, &group.wires)?
        };
        draw_counts(&mut weights, shot_count, &mut stream(shots.seed, group_idx));
        counts.push(weights);
    }
    let total = shot_count as f64;
    let mut values: Vec<SampledValue> = Vec::with_capacity(measurements.len());
    for (measurement, placement) in measurements.iter().zip(&plan.placements) {
        let value = match (measurement, placement) {
            (Measurement::Probs(wires), Placement::Probs { group_idx, positions }) => {
                let group_counts = &counts[*group_idx];
                let n_group_wires = plan.groups[*group_idx].wires.len();
                let mut frequencies = try_filled(1usize << wires.len(), 0.0)?;
                for (outcome, count) in group_counts.iter().enumerate().filter(|(_, count)| **count > 0.0) {
                    let local = positions
                        .iter()
                        .fold(0usize, |local, position| local << 1 | bit_at(outcome, *position, n_group_wires));
                    frequencies[local] += count;
                }
                frequencies.iter_mut().for_each(|frequency| *frequency /= total);
                SampledValue::Probs(frequencies)
            }
            (Measurement::Expval(_), Placement::Observable { constant, terms }) => {
                let sum: f64 = terms.iter().map(|term| term_sum(term, &plan, &counts)).sum();
                SampledValue::Expval(constant + sum / total)
            }
            (Measurement::Var(_), Placement::Observable { constant, terms }) => {
                let mut mean = *constant;
                let mut variance = 0.0;
                for group_idx in groups_of(terms) {
                    let (group_mean, group_variance) =
                        group_moments(terms, group_idx, &plan, &counts[group_idx], total);
                    mean += group_mean;
                    variance += group_variance;
                }
                SampledValue::Var { mean, variance }
            }
            (Measurement::Sample(_), Placement::Observable { constant, .. }) => {
                // Filled below, group by group, so that every sample reads one list per group.
                SampledValue::Sample(try_filled(shots.count, *constant)?)
            }
            _ => SampledValue::Exact,
        };
        values.push(value);
    }
    fill_samples(&plan, &counts, shots, &mut values)?;
    Ok(values)
}

/// Refuses zero shots and more than [`crate::sim::MAX_SHOTS`].
pub(crate) fn check_shots(shots: Shots) -> Result<(), SimError> {
    if shots.count == 0 {
        return Err(SimError::ZeroShots);
    }
    if shots.count as u128 > u128::from(crate::sim::MAX_SHOTS) {
        return Err(SimError::TooManyShots { count: shots.count as u128 });
    }
    Ok(())
}

/// The bit of `outcome` at `position` among `n_wires` wires (the first wire most significant).
fn bit_at(outcome: usize, position: usize, n_wires: usize) -> usize {
    outcome >> (n_wires - 1 - position) & 1
}

/// The term's value on an outcome of its group: ± its coefficient by the parity of its Pauli
/// bits, times its tables' values on their bits.
fn term_value(term: &PlacedTerm, outcome: usize, n_wires: usize) -> f64 {
    let parity = term.positions.iter().map(|position| bit_at(outcome, *position, n_wires)).sum::<usize>() % 2;
    let signed = if parity == 0 { term.coefficient } else { -term.coefficient };
    term.tables.iter().fold(signed, |value, (positions, table)| {
        let local = positions.iter().fold(0usize, |local, position| local << 1 | bit_at(outcome, *position, n_wires));
        value * table.value(local)
    })
}

/// The sum of the term's values over all shots of its group.
fn term_sum(term: &PlacedTerm, plan: &GroupPlan, counts: &[Vec<f64>]) -> f64 {
    let n_wires = plan.groups[term.group_idx].wires.len();
    counts[term.group_idx]
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0.0)
        .map(|(outcome, count)| count * term_value(term, outcome, n_wires))
        .sum()
}

/// The groups the terms fall in, in order, each once.
fn groups_of(terms: &[PlacedTerm]) -> Vec<usize> {
    let mut groups: Vec<usize> = terms.iter().map(|term| term.group_idx).collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// The mean and variance over the group's shots of the sum of the terms that fall in it.
fn group_moments(
    terms: &[PlacedTerm],
    group_idx: usize,
    plan: &GroupPlan,
    group_counts: &[f64],
    total: f64,
) -> (f64, f64) {
    let n_wires = plan.groups[group_idx].wires.len();
    let in_group: Vec<&PlacedTerm> = terms.iter().filter(|term| term.group_idx == group_idx).collect();
    let value_of = |outcome: usize| in_group.iter().map(|term| term_value(term, outcome, n_wires)).sum::<f64>();
    let observed = || group_counts.iter().enumerate().filter(|(_, count)| **count > 0.0);
    let mean = observed().map(|(outcome, count)| count * value_of(outcome)).sum::<f64>() / total;
    let variance = observed().map(|(outcome, count)| count * (value_of(outcome) - mean).powi(2)).sum::<f64>() / total;
    (mean, variance)
}

/// Adds each group's part to every `sample` that reads it, from one shuffled list of the group's
/// outcomes (so samples of terms in one group agree shot by shot).
fn fill_samples(
    plan: &GroupPlan,
    counts: &[Vec<f64>],
    shots: Shots,
    values: &mut [SampledValue],
) -> Result<(), SimError> {
    for (group_idx, group_counts) in counts.iter().enumerate() {
        let readers: Vec<usize> = plan
            .placements
            .iter()
            .enumerate()
            .filter(|(measurement_idx, placement)| {
                matches!(values[*measurement_idx], SampledValue::Sample(_))
                    && matches!(placement, Placement::Observable { terms, .. }
                        if terms.iter().any(|term| term.group_idx == group_idx))
            })
            .map(|(measurement_idx, _)| measurement_idx)
            .collect();
        if readers.is_empty() {
            continue;
        }
        let outcomes = shuffled_outcomes(group_counts, shots, group_idx)?;
        let n_wires = plan.groups[group_idx].wires.len();
        for measurement_idx in readers {
            let (Placement::Observable { terms, .. }, SampledValue::Sample(samples)) =
                (&plan.placements[measurement_idx], &mut values[measurement_idx])
            else {
                continue;
            };
            let in_group: Vec<&PlacedTerm> = terms.iter().filter(|term| term.group_idx == group_idx).collect();
            for (sample, outcome) in samples.iter_mut().zip(&outcomes) {
                *sample += in_group.iter().map(|term| term_value(term, *outcome, n_wires)).sum::<f64>();
            }
        }
    }
    Ok(())
}

/// The group's outcomes, one per shot, in a random order drawn from the group's shuffle stream.
fn shuffled_outcomes(group_counts: &[f64], shots: Shots, group_idx: usize) -> Result<Vec<usize>, SimError> {
    let mut outcomes = Vec::new();
    try_reserve(&mut outcomes, shots.count)?;
    for (outcome, count) in group_counts.iter().enumerate() {
        // Counts are whole numbers below 2^53, so the conversion is exact.
        outcomes.extend(std::iter::repeat_n(outcome, *count as usize));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(shots.seed);
    rng.set_stream(SHUFFLE_STREAMS + group_idx as u64);
    outcomes.shuffle(&mut rng);
    Ok(outcomes)
}

/// Replaces (not necessarily normalised) weights by the counts of `shot_count` draws from them: a
/// multinomial sample, drawn as a binomial per outcome of the shots not yet placed, with the
/// outcome's share of the weight not yet passed. Exact, and linear in the number of outcomes
/// whatever the number of shots.
pub(crate) fn draw_counts(weights: &mut [f64], shot_count: u64, rng: &mut ChaCha8Rng) {
    let mut remaining_weight: f64 = weights.iter().map(|weight| weight.max(0.0)).sum();
    // The last outcome that can occur takes whatever is left, so rounding in the running weight
    // never loses or invents a shot.
    let last = weights.iter().rposition(|weight| *weight > 0.0).unwrap_or(0);
    let mut remaining_shots = shot_count;
    for (outcome, slot) in weights.iter_mut().enumerate() {
        let weight = slot.max(0.0);
        let count = if remaining_shots == 0 {
            0
        } else if outcome == last {
            remaining_shots
        } else {
            let share = if remaining_weight > 0.0 { (weight / remaining_weight).clamp(0.0, 1.0) } else { 1.0 };
            Binomial::new(remaining_shots, share).map_or(0, |binomial| binomial.sample(rng))
        };
        remaining_shots -= count.min(remaining_shots);
        remaining_weight -= weight;
        *slot = count as f64;
    }
}

/// Rotates `state` so that measuring `wire` in the computational basis measures `basis`.
pub(crate) fn rotate_into_eigenbasis(state: &mut State, wire: Wire, basis: Pauli) {
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
