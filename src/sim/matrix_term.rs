//! Terms with projector and Hermitian factors: a Pauli word times a real operator on a few other bits.
//!
//! A term `c · P ⊗ |b⟩⟨b| ⊗ M_1 ⊗ M_2` is held as its weight, its Pauli word W, a projector given as
//! a bit mask and the pattern the masked bits must have, and one real matrix (the Kronecker
//! product of its Hermitian factors) on its own bits. All three act on disjoint bits, so they
//! commute, and applying the term to a basis state costs the matrix's dimension, never 2^n × 2^n.
//! A term can also be written out as a sum of Pauli words (for the batch engine, and as an
//! independent check of the direct product).

use crate::ir::{MatrixFactor, MatrixKind, Wire};
use crate::sim::measure::local_index;
use crate::sim::pauli::PauliWord;
use crate::sim::state::{chunked_sum, State};
use num_complex::Complex64;
use rayon::prelude::*;

/// The projector part and the matrix part of a term, on their state bits.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LocalOperator {
    /// A basis state survives the projector when its bits under `mask` equal `pattern`.
    pub mask: usize,
    pub pattern: usize,
    /// The bits the matrix acts on, the first the most significant of the local index (none: the
    /// matrix is the 1 × 1 identity).
    pub bits: Vec<usize>,
    /// Row-major, 2^k × 2^k for k = `bits.len()`.
    pub matrix: Vec<f64>,
    /// Bits of `bits` as a mask, and the state-index offset of each local index.
    bits_mask: usize,
    offsets: Vec<usize>,
}

impl LocalOperator {
    /// The operator of a term's matrix factors, `bit_of` mapping a wire to its state bit.
    pub(crate) fn new(factors: &[MatrixFactor], bit_of: impl Fn(Wire) -> usize) -> LocalOperator {
        let (mut mask, mut pattern) = (0usize, 0usize);
        let mut bits = Vec::new();
        let mut matrix = vec![1.0];
        for factor in factors {
            match &factor.kind {
                MatrixKind::Projector { bits: values } => {
                    for (value, wire) in values.iter().zip(&factor.wires) {
                        let bit = bit_of(*wire);
                        mask |= 1 << bit;
                        if *value == 1 {
                            pattern |= 1 << bit;
                        }
                    }
                }
                MatrixKind::Hermitian { matrix: factor_matrix } => {
                    matrix = kronecker(&matrix, factor_matrix);
                    bits.extend(factor.wires.iter().map(|wire| bit_of(*wire)));
                }
            }
        }
        let (bits_mask, offsets) = local_offsets(&bits);
        LocalOperator { mask, pattern, bits, matrix, bits_mask, offsets }
    }

    /// (L ψ)_index.
    #[inline]
    fn apply_at(&self, amplitudes: &[Complex64], index: usize) -> Complex64 {
        if index & self.mask != self.pattern {
            return Complex64::new(0.0, 0.0);
        }
        if self.bits.is_empty() {
            return amplitudes[index];
        }
        let dimension = self.offsets.len();
        let row = local_index(index, &self.bits);
        let base = index & !self.bits_mask;
        let entries = &self.matrix[row * dimension..(row + 1) * dimension];
        entries
            .iter()
            .zip(&self.offsets)
            .filter(|(entry, _)| **entry != 0.0)
            .map(|(entry, offset)| amplitudes[base | offset] * entry)
            .sum()
    }
}

/// `weight · W ⊗ L`, W a Pauli word and L a projector-and-matrix operator on other bits.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MatrixTerm {
    pub weight: f64,
    pub word: PauliWord,
    pub operator: LocalOperator,
}

impl MatrixTerm {
    /// ⟨bra| W L |ket⟩ (without the weight).
    pub(crate) fn matrix_element(&self, bra: &State, ket: &State) -> Complex64 {
        let parallel = bra.is_parallel() && ket.is_parallel();
        let (bra, ket_amplitudes) = (bra.amplitudes(), ket.amplitudes());
        chunked_sum(bra.len(), parallel, |range| {
            let mut partial = Complex64::new(0.0, 0.0);
            for output in range {
                let input = output ^ self.word.x_mask;
                let applied = self.operator.apply_at(ket_amplitudes, input);
                if applied != Complex64::new(0.0, 0.0) {
                    partial += bra[output].conj() * self.word.coefficient(input) * applied;
                }
            }
            partial
        })
    }

    /// Adds `weight · self.weight · W L |ket⟩` to `target`.
    pub(crate) fn accumulate(&self, weight: f64, ket: &State, target: &mut [Complex64]) {
        let amplitudes = ket.amplitudes();
        let total_weight = weight * self.weight;
        let update = |(output, slot): (usize, &mut Complex64)| {
            let input = output ^ self.word.x_mask;
            let applied = self.operator.apply_at(amplitudes, input);
            *slot += self.word.coefficient(input) * applied * total_weight;
        };
        if ket.is_parallel() {
            target.par_iter_mut().enumerate().for_each(update);
        } else {
            target.iter_mut().enumerate().for_each(update);
        }
    }

    /// The term as a sum of Pauli words, or `None` if that takes more than `max_words` words:
    /// |b⟩⟨b| = ⊗ (I ± Z)/2, and M = Σ_P Tr(P M)/2^k P over the words P on the matrix's bits.
    pub(crate) fn pauli_words(&self, max_words: usize) -> Option<Vec<(f64, PauliWord)>> {
        let projector_bits: Vec<usize> =
            (0..usize::BITS as usize).filter(|bit| self.operator.mask >> bit & 1 == 1).collect();
        let n_projector_words = 1usize.checked_shl(projector_bits.len() as u32)?;
        let mut words = vec![(self.weight, self.word)];
        // Each projector bit doubles the words: (I + s Z)/2 with s = +1 for a 0 bit, −1 for a 1 bit.
        if n_projector_words > max_words {
            return None;
        }
        for bit in projector_bits {
            let sign = if self.operator.pattern >> bit & 1 == 1 { -1.0 } else { 1.0 };
            words = words
                .into_iter()
                .flat_map(|(weight, word)| {
                    [(weight * 0.5, word), (weight * 0.5 * sign, PauliWord { z_mask: word.z_mask | 1 << bit, ..word })]
                })
                .collect();
        }
        if self.operator.bits.is_empty() {
            return Some(words);
        }
        let decomposition = pauli_decomposition(&self.operator.matrix, &self.operator.bits);
        if words.len().saturating_mul(decomposition.len()) > max_words {
            return None;
        }
        Some(
            words
                .iter()
                .flat_map(|(weight, word)| {
                    decomposition.iter().map(move |(coefficient, local)| {
                        (
                            weight * coefficient,
                            PauliWord { x_mask: word.x_mask | local.x_mask, z_mask: word.z_mask | local.z_mask },
                        )
                    })
                })
                .collect(),
        )
    }
}

/// A ⊗ B for square row-major matrices.
fn kronecker(left: &[f64], right: &[f64]) -> Vec<f64> {
    let (left_dimension, right_dimension) = (square_dimension(left), square_dimension(right));
    let dimension = left_dimension * right_dimension;
    let mut product = vec![0.0; dimension * dimension];
    for (row, column) in (0..dimension).flat_map(|row| (0..dimension).map(move |column| (row, column))) {
        let left_entry = left[(row / right_dimension) * left_dimension + column / right_dimension];
        let right_entry = right[(row % right_dimension) * right_dimension + column % right_dimension];
        product[row * dimension + column] = left_entry * right_entry;
    }
    product
}

/// The side of a square matrix stored row-major.
fn square_dimension(matrix: &[f64]) -> usize {
    (matrix.len() as f64).sqrt().round() as usize
}

/// M = Σ_P c_P P over the Pauli words on `bits` (as state-bit masks), with c_P = Tr(P M)/2^k and
/// zero coefficients left out; real for a real symmetric M.
pub(crate) fn pauli_decomposition(matrix: &[f64], bits: &[usize]) -> Vec<(f64, PauliWord)> {
    let n_bits = bits.len();
    let dimension = 1usize << n_bits;
    let spread = |local: usize| {
        bits.iter()
            .enumerate()
            .filter(|(position, _)| local >> (n_bits - 1 - position) & 1 == 1)
            .fold(0usize, |mask, (_, bit)| mask | 1 << bit)
    };
    let mut words = Vec::new();
    for x_local in 0..dimension {
        if (0..dimension).all(|column| matrix[(column ^ x_local) * dimension + column] == 0.0) {
            continue;
        }
        for z_local in 0..dimension {
            let local = PauliWord { x_mask: x_local, z_mask: z_local };
            // Tr(P M) = Σ_j ⟨j| P M |j⟩... with P|j⟩ = c(j)|j ^ x⟩ and P Hermitian: Σ_j conj(c(j)) M[j ^ x, j].
            let trace: Complex64 = (0..dimension)
                .map(|column| local.coefficient(column).conj() * matrix[(column ^ x_local) * dimension + column])
                .sum();
            let coefficient = trace.re / dimension as f64;
            if coefficient != 0.0 {
                words.push((coefficient, PauliWord { x_mask: spread(x_local), z_mask: spread(z_local) }));
            }
        }
    }
    words
}

/// Applies a real 2^k × 2^k matrix (row-major) to the k `bits` of the state, in place (the first
/// bit the most significant of the local index).
pub(crate) fn apply_real_matrix(state: &mut State, bits: &[usize], matrix: &[f64]) {
    let dimension = 1usize << bits.len();
    let (bits_mask, offsets) = local_offsets(bits);
    let amplitudes = state.amplitudes_mut();
    let mut gathered = vec![Complex64::new(0.0, 0.0); dimension];
    for base in (0..amplitudes.len()).filter(|index| index & bits_mask == 0) {
        for (slot, offset) in gathered.iter_mut().zip(&offsets) {
            *slot = amplitudes[base | offset];
        }
        for (row, offset) in offsets.iter().enumerate() {
            amplitudes[base | offset] = matrix[row * dimension..(row + 1) * dimension]
                .iter()
                .zip(&gathered)
                .map(|(entry, value)| value * entry)
                .sum();
        }
    }
}

/// The mask of `bits` in a basis-state index, and for each local index (the first of `bits` its
/// most significant bit) the offset it adds to an index whose `bits` are all 0.
fn local_offsets(bits: &[usize]) -> (usize, Vec<usize>) {
    let bits_mask = bits.iter().fold(0usize, |mask, bit| mask | 1 << bit);
    let offsets = (0..1usize << bits.len())
        .map(|local| {
            bits.iter()
                .enumerate()
                .filter(|(position, _)| local >> (bits.len() - 1 - position) & 1 == 1)
                .fold(0usize, |offset, (_, bit)| offset | 1 << bit)
        })
        .collect();
    (bits_mask, offsets)
}

#[cfg(test)]
#[path = "observable_tests.rs"]
mod tests;
