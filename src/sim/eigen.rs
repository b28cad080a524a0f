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
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off_diagonal: f64 = (0..n)
            .flat_map(|p| (0..n).filter(move |q| *q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[p * n + q].powi(2))
            .sum();
        if off_diagonal <= scale * 1e-32 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                // The rotation that zeroes a[p][q] (Numerical Recipes' choice of the smaller angle).
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
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
                for k in 0..n {
                    let (vkp, vkq) = (vectors[k * n + p], vectors[k * n + q]);
                    vectors[k * n + p] = c * vkp - s * vkq;
                    vectors[k * n + q] = s * vkp + c * vkq;
                }
            }
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
        ];
        for (n, matrix) in matrices {
            let (values, vectors) = symmetric_eigen(&matrix, n);
            for j in 0..n {
                for i in 0..n {
                    let applied: f64 = (0..n).map(|k| matrix[i * n + k] * vectors[k * n + j]).sum();
                    assert!((applied - values[j] * vectors[i * n + j]).abs() < 1e-12, "{matrix:?} pair {j}");
                }
                for other in 0..n {
                    let dot: f64 = (0..n).map(|k| vectors[k * n + j] * vectors[k * n + other]).sum();
                    let expected = if other == j { 1.0 } else { 0.0 };
                    assert!((dot - expected).abs() < 1e-12, "{matrix:?} columns {j}, {other}");
                }
            }
            // The trace is the sum of the eigenvalues.
            let trace: f64 = (0..n).map(|i| matrix[i * n + i]).sum();
            assert!((values.iter().sum::<f64>() - trace).abs() < 1e-12);
        }
    }
}
