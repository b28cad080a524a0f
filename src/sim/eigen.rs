//! Eigendecomposition of small real symmetric matrices by the cyclic Jacobi method.
//!
//! Sampling a `hermitian` observable measures in its eigenbasis, as PennyLane does with
//! `numpy.linalg.eigh`: the state is rotated by Vᵀ (V's columns the eigenvectors) and outcome j
//! reads eigenvalue j. The matrices are at most 2^8 × 2^8, so the O(n³) sweeps are cheap, and
//! Jacobi rotations keep V orthogonal to rounding.

/// The eigenvalues and eigenvectors of a real symmetric n × n matrix (row-major): `(values,
/// vectors)` with eigenvector j in column j of `vectors` (row-major n × n), A v_j = λ_j v_j.
pub(crate) fn symmetric_eigen(matrix: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = matrix.to_vec();
    let mut vectors = vec![0.0; n * n];
    for i in 0..n {
        vectors[i * n + i] = 1.0;
    }
    // Each rotation sets its pair to exactly zero; an entry too small to change the diagonal
    // entries beside it (Numerical Recipes' test) is set to zero without a rotation. Rounding
    // keeps the other entries from ever reaching a fixed fraction of the norm, so the sweeps end
    // when one makes no rotation, not at a tolerance.
    for _sweep in 0..100 {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (a[p * n + p], a[q * n + q]);
                let negligible = 100.0 * apq.abs();
                if app.abs() + negligible == app.abs() && aqq.abs() + negligible == aqq.abs() {
                    a[p * n + q] = 0.0;
                    a[q * n + p] = 0.0;
                    continue;
                }
                rotated = true;
                // The rotation that zeroes a[p][q] (Numerical Recipes' choice of the smaller angle).
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                // Zero in exact arithmetic; rounding would leave a remnant to rotate again.
                a[p * n + q] = 0.0;
                a[q * n + p] = 0.0;
                for k in 0..n {
                    let (vkp, vkq) = (vectors[k * n + p], vectors[k * n + q]);
                    vectors[k * n + p] = c * vkp - s * vkq;
                    vectors[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let values = (0..n).map(|i| a[i * n + i]).collect();
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::symmetric_eigen;

    /// A v_j = λ_j v_j and VᵀV = I, for matrices with distinct, repeated and zero eigenvalues.
    #[test]
    fn eigenpairs_satisfy_the_definition() {
        let matrices: Vec<(usize, Vec<f64>)> = vec![
            (2, vec![1.0, 2.0, 2.0, -0.5]),
            (2, vec![0.0, 1.0, 1.0, 0.0]),
            (4, vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -1.0]),
            (4, vec![2.0, 0.3, -1.0, 0.5, 0.3, 1.0, 0.7, 0.0, -1.0, 0.7, -3.0, 0.2, 0.5, 0.0, 0.2, 0.0]),
            (4, vec![1.0; 16]),
            (128, pseudo_random_symmetric(128)),
        ];
        for (n, matrix) in matrices {
            let (values, vectors) = symmetric_eigen(&matrix, n);
            for j in 0..n {
                for i in 0..n {
                    let applied: f64 = (0..n).map(|k| matrix[i * n + k] * vectors[k * n + j]).sum();
                    assert!((applied - values[j] * vectors[i * n + j]).abs() < 1e-11, "n = {n}, pair {j}");
                }
                for other in 0..n {
                    let dot: f64 = (0..n).map(|k| vectors[k * n + j] * vectors[k * n + other]).sum();
                    let expected = if other == j { 1.0 } else { 0.0 };
                    assert!((dot - expected).abs() < 1e-12, "n = {n}, columns {j}, {other}");
                }
            }
            // The trace is the sum of the eigenvalues.
            let trace: f64 = (0..n).map(|i| matrix[i * n + i]).sum();
            assert!((values.iter().sum::<f64>() - trace).abs() < 1e-10);
        }
    }

    /// A dense symmetric matrix with entries in [−1, 1) from a fixed linear congruential sequence.
    fn pseudo_random_symmetric(n: usize) -> Vec<f64> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let mut matrix = vec![0.0; n * n];
        for i in 0..n {
            for j in i..n {
                let value = next();
                matrix[i * n + j] = value;
                matrix[j * n + i] = value;
            }
        }
        matrix
    }
}
