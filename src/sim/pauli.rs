//! Pauli words as bit masks: applying them, their expectation values and observables as sums of them.
//!
//! A word W = ⊗ P_k maps a basis state |i> to `coefficient(i) |i ^ x_mask>`, with
//! coefficient(i) = i^{n_y} (-1)^{popcount(i & z_mask)}; X sets its bit in `x_mask`, Z in
//! `z_mask`, Y in both. Nothing here builds a 2^n x 2^n matrix.

use crate::ir::{Observable, Pauli, Wire};
use crate::sim::matrix_term::{LocalOperator, MatrixTerm};
use crate::sim::state::{chunked_sum, State};
use crate::sim::SimError;
use num_complex::Complex64;
use rayon::prelude::*;

/// A tensor product of X, Y and Z factors on distinct bits (identity elsewhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PauliWord {
    pub x_mask: usize,
    pub z_mask: usize,
}

impl PauliWord {
    /// The word's phase on basis state `index`.
    pub fn coefficient(self, index: usize) -> Complex64 {
        let n_y = (self.x_mask & self.z_mask).count_ones();
        let sign = if (index & self.z_mask).count_ones().is_multiple_of(2) { 1.0 } else { -1.0 };
        match n_y % 4 {
            0 => Complex64::new(sign, 0.0),
            1 => Complex64::new(0.0, sign),
            2 => Complex64::new(-sign, 0.0),
            _ => Complex64::new(0.0, -sign),
        }
    }

    /// Adds the factor `pauli` on bit `bit` (I and H are not Pauli factors and are ignored).
    pub(crate) fn with_factor(mut self, pauli: Pauli, bit: usize) -> PauliWord {
        match pauli {
            Pauli::X => self.x_mask |= 1 << bit,
            Pauli::Z => self.z_mask |= 1 << bit,
            Pauli::Y => {
                self.x_mask |= 1 << bit;
                self.z_mask |= 1 << bit;
            }
            Pauli::I | Pauli::H => {}
        }
        self
    }

    /// ⟨bra| W |ket⟩ (a generalised expectation value) restricted to the basis states where the
    /// bits of `projector_mask` are all 1 in the output, i.e. ⟨bra| Π W |ket⟩.
    pub(crate) fn matrix_element(self, bra: &State, ket: &State, projector_mask: usize) -> Complex64 {
        let bra_state_parallel = bra.is_parallel();
        let (bra, ket_amplitudes) = (bra.amplitudes(), ket.amplitudes());
        // The phase i^{n_y} is common to every basis state; only the sign varies, so it is applied once.
        let sum: Complex64 = chunked_sum(bra.len(), bra_state_parallel && ket.is_parallel(), |range| {
            let mut partial = Complex64::new(0.0, 0.0);
            for output in range {
                if output & projector_mask != projector_mask {
                    continue;
                }
                let input = output ^ self.x_mask;
                let term = bra[output].conj() * ket_amplitudes[input];
                if (input & self.z_mask).count_ones() & 1 == 0 {
                    partial += term;
                } else {
                    partial -= term;
                }
            }
            partial
        });
        self.coefficient(0) * sum
    }

    /// Adds `weight · W |ket>` to `target`.
    pub(crate) fn accumulate(self, weight: f64, ket: &State, target: &mut [Complex64]) {
        let amplitudes = ket.amplitudes();
        let update = |(output, slot): (usize, &mut Complex64)| {
            let input = output ^ self.x_mask;
            *slot += self.coefficient(input) * amplitudes[input] * weight;
        };
        if ket.is_parallel() {
            target.par_iter_mut().enumerate().for_each(update);
        } else {
            target.iter_mut().enumerate().for_each(update);
        }
    }
}

/// An observable as a real combination of Pauli words, the Hadamard observable expanded as
/// (X + Z)/√2 (so a word with k H factors becomes 2^k words), and of terms with projector and
/// Hermitian factors, each a Pauli word times an operator on a few bits.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct PauliSum {
    pub terms: Vec<(f64, PauliWord)>,
    pub matrix_terms: Vec<MatrixTerm>,
}

impl PauliSum {
    pub(crate) fn from_observable(observable: &Observable, bit_of: impl Fn(usize) -> usize) -> PauliSum {
        let mut terms = Vec::new();
        let mut matrix_terms = Vec::new();
        for term in &observable.terms {
            let mut expanded = vec![(term.coefficient, PauliWord::default())];
            for (pauli, wire) in &term.factors {
                let bit = bit_of(wire.index());
                if *pauli == Pauli::H {
                    let frac = std::f64::consts::FRAC_1_SQRT_2;
                    expanded = expanded
                        .into_iter()
                        .flat_map(|(weight, word)| {
                            [
                                (weight * frac, word.with_factor(Pauli::X, bit)),
                                (weight * frac, word.with_factor(Pauli::Z, bit)),
                            ]
                        })
                        .collect();
                } else {
                    expanded.iter_mut().for_each(|(_, word)| *word = word.with_factor(*pauli, bit));
                }
            }
            if term.matrices.is_empty() {
                terms.extend(expanded);
            } else {
                let operator = LocalOperator::new(&term.matrices, |wire: Wire| bit_of(wire.index()));
                matrix_terms.extend(expanded.into_iter().map(|(weight, word)| MatrixTerm {
                    weight,
                    word,
                    operator: operator.clone(),
                }));
            }
        }
        PauliSum { terms, matrix_terms }
    }

    /// The sum with its projector and Hermitian terms written out as Pauli words, or `None` if a
    /// term takes more than `max_words` words.
    pub(crate) fn expanded(&self, max_words: usize) -> Option<PauliSum> {
        let mut terms = self.terms.clone();
        for matrix_term in &self.matrix_terms {
            terms.extend(matrix_term.pauli_words(max_words)?);
        }
        Some(PauliSum { terms, matrix_terms: Vec::new() })
    }

    /// ⟨ψ|O|ψ⟩.
    pub fn expectation(&self, state: &State) -> f64 {
        let words: f64 = self.terms.iter().map(|(weight, word)| weight * word.matrix_element(state, state, 0).re).sum();
        let matrices: f64 =
            self.matrix_terms.iter().map(|term| term.weight * term.matrix_element(state, state).re).sum();
        words + matrices
    }

    /// Adds `weight · O|ket⟩` to `target`.
    pub fn accumulate(&self, weight: f64, ket: &State, target: &mut [Complex64]) {
        for (term_weight, word) in &self.terms {
            word.accumulate(weight * term_weight, ket, target);
        }
        for term in &self.matrix_terms {
            term.accumulate(weight, ket, target);
        }
    }

    /// O|ψ> as a new state (not normalised), or an error if its memory cannot be had.
    pub fn apply(&self, state: &State) -> Result<State, SimError> {
        let mut result = state.try_zeroed_like()?;
        self.accumulate(1.0, state, result.amplitudes_mut());
        Ok(result)
    }
}
