//! The arithmetic inner loops of the kernels, on raw runs of amplitudes: portable versions, and
//! AVX2 + FMA versions that `apply` picks at run time when the processor has them.
//!
//! Every function takes raw pointers because the runs a kernel pairs up are interleaved in one
//! state (and, with threads, the state is shared): the caller guarantees that each pointer is
//! valid for `len` amplitudes and that runs given together do not overlap.

use super::{Matrix2, Matrix4};
use num_complex::Complex64;

/// A 2x2 real matrix, rows first.
pub(super) type RealMatrix2 = [[f64; 2]; 2];

/// The portable loops, also used for runs too short for a vector (a single amplitude).
pub(super) mod portable {
    use super::*;

    /// `(low, high) ← matrix · (low, high)` elementwise over two runs.
    #[inline(always)]
    pub unsafe fn pair_runs(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &Matrix2) {
        for offset in 0..len {
            let (a, b) = (*low.add(offset), *high.add(offset));
            *low.add(offset) = matrix[0][0] * a + matrix[0][1] * b;
            *high.add(offset) = matrix[1][0] * a + matrix[1][1] * b;
        }
    }

    /// `matrix` on each adjacent pair (the target is bit 0) of a run of even length.
    #[inline(always)]
    pub unsafe fn adjacent_pairs(run: *mut Complex64, len: usize, matrix: &Matrix2) {
        for offset in (0..len).step_by(2) {
            pair_runs(run.add(offset), run.add(offset + 1), 1, matrix);
        }
    }

    /// [`pair_runs`] for a real matrix (rotations about Y), at half the arithmetic.
    #[inline(always)]
    pub unsafe fn pair_runs_real(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &RealMatrix2) {
        for offset in 0..len {
            let (a, b) = (*low.add(offset), *high.add(offset));
            *low.add(offset) = a * matrix[0][0] + b * matrix[0][1];
            *high.add(offset) = a * matrix[1][0] + b * matrix[1][1];
        }
    }

    /// [`adjacent_pairs`] for a real matrix.
    #[inline(always)]
    pub unsafe fn adjacent_pairs_real(run: *mut Complex64, len: usize, matrix: &RealMatrix2) {
        for offset in (0..len).step_by(2) {
            pair_runs_real(run.add(offset), run.add(offset + 1), 1, matrix);
        }
    }

    /// Multiplies a run by `factor`.
    #[inline(always)]
    pub unsafe fn scale_run(run: *mut Complex64, len: usize, factor: Complex64) {
        for offset in 0..len {
            *run.add(offset) *= factor;
        }
    }

    /// Multiplies even positions of a run by `factors[0]` and odd ones by `factors[1]`.
    #[inline(always)]
    pub unsafe fn scale_alternating(run: *mut Complex64, len: usize, factors: [Complex64; 2]) {
        for offset in (0..len).step_by(2) {
            *run.add(offset) *= factors[0];
            *run.add(offset + 1) *= factors[1];
        }
    }

    /// `matrix` on the quadruples `(q0[i], q1[i], q2[i], q3[i])` of four runs.
    #[inline(always)]
    pub unsafe fn quad_runs(runs: [*mut Complex64; 4], len: usize, matrix: &Matrix4) {
        for offset in 0..len {
            let old = [*runs[0].add(offset), *runs[1].add(offset), *runs[2].add(offset), *runs[3].add(offset)];
            for (row, run) in runs.iter().enumerate() {
                *run.add(offset) = matrix[row][0] * old[0]
                    + matrix[row][1] * old[1]
                    + matrix[row][2] * old[2]
                    + matrix[row][3] * old[3];
            }
        }
    }

    /// `matrix` on the quadruples `(low[2i], low[2i+1], high[2i], high[2i+1])` (the lower target is bit 0).
    #[inline(always)]
    pub unsafe fn quad_adjacent(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &Matrix4) {
        for offset in (0..len).step_by(2) {
            quad_runs([low.add(offset), low.add(offset + 1), high.add(offset), high.add(offset + 1)], 1, matrix);
        }
    }
}

/// The AVX2 + FMA loops: one 256-bit register holds two amplitudes, `[re, im, re, im]`.
#[cfg(target_arch = "x86_64")]
pub(super) mod avx2 {
    use super::*;
    use std::arch::x86_64::*;

    /// A complex factor per register lane pair, split for [`multiply`]: the real parts, and the
    /// imaginary parts with the sign pattern `[-, +]` that the swapped product needs.
    #[derive(Clone, Copy)]
    struct Factor {
        real: __m256d,
        imaginary: __m256d,
    }

    /// The same factor on both amplitudes of a register.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn broadcast(factor: Complex64) -> Factor {
        lanes(factor, factor)
    }

    /// `first` on the register's first amplitude and `second` on its second.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn lanes(first: Complex64, second: Complex64) -> Factor {
        Factor {
            real: _mm256_setr_pd(first.re, first.re, second.re, second.re),
            imaginary: _mm256_setr_pd(-first.im, first.im, -second.im, second.im),
        }
    }

    /// `factor · value` per amplitude, given `swapped`, the value with real and imaginary parts exchanged.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn multiply(factor: Factor, value: __m256d, swapped: __m256d) -> __m256d {
        _mm256_fmadd_pd(factor.real, value, _mm256_mul_pd(factor.imaginary, swapped))
    }

    /// `sum + factor · value`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn multiply_add(sum: __m256d, factor: Factor, value: __m256d, swapped: __m256d) -> __m256d {
        _mm256_fmadd_pd(factor.real, value, _mm256_fmadd_pd(factor.imaginary, swapped, sum))
    }

    /// Exchanges the real and imaginary parts of both amplitudes.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn swap_parts(value: __m256d) -> __m256d {
        _mm256_permute_pd(value, 0b0101)
    }

    /// Exchanges the register's two amplitudes.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn swap_amplitudes(value: __m256d) -> __m256d {
        _mm256_permute2f128_pd(value, value, 1)
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn load(pointer: *const Complex64) -> __m256d {
        _mm256_loadu_pd(pointer as *const f64)
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn store(pointer: *mut Complex64, value: __m256d) {
        _mm256_storeu_pd(pointer as *mut f64, value)
    }

    /// See [`portable::pair_runs`].
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn pair_runs(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &Matrix2) {
        if len < 2 {
            return portable::pair_runs(low, high, len, matrix);
        }
        let factors = matrix.map(|row| row.map(|entry| broadcast(entry)));
        for offset in (0..len).step_by(2) {
            let (a, b) = (load(low.add(offset)), load(high.add(offset)));
            let (a_swapped, b_swapped) = (swap_parts(a), swap_parts(b));
            let new_low = multiply_add(multiply(factors[0][1], b, b_swapped), factors[0][0], a, a_swapped);
            let new_high = multiply_add(multiply(factors[1][1], b, b_swapped), factors[1][0], a, a_swapped);
            store(low.add(offset), new_low);
            store(high.add(offset), new_high);
        }
    }

    /// See [`portable::adjacent_pairs`]: a register is one pair `[a, b]`, and with its amplitudes
    /// exchanged `[b, a]`, the pair's image is `[m00, m11]·[a, b] + [m01, m10]·[b, a]`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn adjacent_pairs(run: *mut Complex64, len: usize, matrix: &Matrix2) {
        let diagonal = lanes(matrix[0][0], matrix[1][1]);
        let off_diagonal = lanes(matrix[0][1], matrix[1][0]);
        for offset in (0..len).step_by(2) {
            let pair = load(run.add(offset));
            let exchanged = swap_amplitudes(pair);
            let image = multiply_add(
                multiply(off_diagonal, exchanged, swap_parts(exchanged)),
                diagonal,
                pair,
                swap_parts(pair),
            );
            store(run.add(offset), image);
        }
    }

    /// See [`portable::pair_runs_real`].
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn pair_runs_real(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &RealMatrix2) {
        if len < 2 {
            return portable::pair_runs_real(low, high, len, matrix);
        }
        let factors = matrix.map(|row| row.map(|entry| _mm256_set1_pd(entry)));
        for offset in (0..len).step_by(2) {
            let (a, b) = (load(low.add(offset)), load(high.add(offset)));
            let new_low = _mm256_fmadd_pd(factors[0][0], a, _mm256_mul_pd(factors[0][1], b));
            let new_high = _mm256_fmadd_pd(factors[1][0], a, _mm256_mul_pd(factors[1][1], b));
            store(low.add(offset), new_low);
            store(high.add(offset), new_high);
        }
    }

    /// See [`portable::adjacent_pairs_real`]: `[m00, m11]·[a, b] + [m01, m10]·[b, a]` lane-wise.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn adjacent_pairs_real(run: *mut Complex64, len: usize, matrix: &RealMatrix2) {
        let diagonal = _mm256_setr_pd(matrix[0][0], matrix[0][0], matrix[1][1], matrix[1][1]);
        let off_diagonal = _mm256_setr_pd(matrix[0][1], matrix[0][1], matrix[1][0], matrix[1][0]);
        for offset in (0..len).step_by(2) {
            let pair = load(run.add(offset));
            let image = _mm256_fmadd_pd(diagonal, pair, _mm256_mul_pd(off_diagonal, swap_amplitudes(pair)));
            store(run.add(offset), image);
        }
    }

    /// See [`portable::scale_run`].
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn scale_run(run: *mut Complex64, len: usize, factor: Complex64) {
        if len < 2 {
            return portable::scale_run(run, len, factor);
        }
        scale_alternating(run, len, [factor, factor])
    }

    /// See [`portable::scale_alternating`].
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn scale_alternating(run: *mut Complex64, len: usize, factors: [Complex64; 2]) {
        let factor = lanes(factors[0], factors[1]);
        for offset in (0..len).step_by(2) {
            let value = load(run.add(offset));
            store(run.add(offset), multiply(factor, value, swap_parts(value)));
        }
    }

    /// See [`portable::quad_runs`].
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn quad_runs(runs: [*mut Complex64; 4], len: usize, matrix: &Matrix4) {
        if len < 2 {
            return portable::quad_runs(runs, len, matrix);
        }
        let factors = matrix.map(|row| row.map(|entry| broadcast(entry)));
        for offset in (0..len).step_by(2) {
            let old = runs.map(|run| load(run.add(offset)));
            let swapped = old.map(|value| swap_parts(value));
            for (row, run) in runs.iter().enumerate() {
                let mut sum = multiply(factors[row][0], old[0], swapped[0]);
                for column in 1..4 {
                    sum = multiply_add(sum, factors[row][column], old[column], swapped[column]);
                }
                store(run.add(offset), sum);
            }
        }
    }

    /// See [`portable::quad_adjacent`]: registers `A = [q0, q1]` and `B = [q2, q3]`, with
    /// exchanged copies `[q1, q0]` and `[q3, q2]`, give row pairs (0, 1) and (2, 3) as sums of
    /// four lane-wise products.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn quad_adjacent(low: *mut Complex64, high: *mut Complex64, len: usize, matrix: &Matrix4) {
        let m = matrix;
        // For the output pair of rows (r, r + 1): the factors of A, A exchanged, B, B exchanged.
        let rows = |r: usize| {
            [
                lanes(m[r][0], m[r + 1][1]),
                lanes(m[r][1], m[r + 1][0]),
                lanes(m[r][2], m[r + 1][3]),
                lanes(m[r][3], m[r + 1][2]),
            ]
        };
        let (upper, lower) = (rows(0), rows(2));
        for offset in (0..len).step_by(2) {
            let (a, b) = (load(low.add(offset)), load(high.add(offset)));
            let (a_exchanged, b_exchanged) = (swap_amplitudes(a), swap_amplitudes(b));
            let inputs = [a, a_exchanged, b, b_exchanged];
            let swapped = inputs.map(|value| swap_parts(value));
            let combine = |factors: [Factor; 4]| {
                let mut sum = multiply(factors[0], inputs[0], swapped[0]);
                for column in 1..4 {
                    sum = multiply_add(sum, factors[column], inputs[column], swapped[column]);
                }
                sum
            };
            store(low.add(offset), combine(upper));
            store(high.add(offset), combine(lower));
        }
    }
}
