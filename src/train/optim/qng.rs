//! PennyLane's QNGOptimizer update direction: pinv(g + lam·I) ∇f, block by block.
//!
//! PennyLane computes one metric tensor per trainable argument of the QNode and applies each
//! argument's pseudo-inverse to that argument's gradient; qmlc's param declarations are those
//! arguments. The pseudo-inverse is NumPy's: singular values at most 1e-15 times the largest
//! are dropped. The metric tensor is symmetric, so its singular values are the absolute values
//! of its eigenvalues, found here by the cyclic Jacobi method.

use std::ops::Range;

/// NumPy's `pinv` default `rcond`.
const RCOND: f64 = 1e-15;

/// The direction pinv(g_b + lam·I) ∇f_b for each block b of params; `metric` is n × n row-major.
pub(crate) fn qng_direction(grad: &[f64], metric: &[f64], lam: f64, blocks: &[Range<usize>]) -> Vec<f64> {
    let n = grad.len();
    let mut direction = vec![0.0; n];
    for block in blocks {
        let size = block.len();
        let mut matrix = vec![0.0; size * size];
        for i in 0..size {
            for j in 0..size {
                let value = metric.get((block.start + i) * n + block.start + j).copied().unwrap_or(0.0);
                matrix[i * size + j] = value + if i == j { lam } else { 0.0 };
            }
        }
        let inverse = symmetric_pseudo_inverse(&matrix, size);
        for i in 0..size {
            direction[block.start + i] = (0..size).map(|j| inverse[i * size + j] * grad[block.start + j]).sum();
        }
    }
    direction
}

/// The pseudo-inverse of a symmetric `size × size` matrix (row-major).
pub(crate) fn symmetric_pseudo_inverse(matrix: &[f64], size: usize) -> Vec<f64> {
    let (eigenvalues, eigenvectors) = crate::sim::eigen::symmetric_eigen(matrix, size);
    let largest = eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let cutoff = RCOND * largest;
    let mut inverse = vec![0.0; size * size];
    for (k, &value) in eigenvalues.iter().enumerate() {
        if value.abs() <= cutoff {
            continue;
        }
        for i in 0..size {
            for j in 0..size {
                inverse[i * size + j] += eigenvectors[i * size + k] * eigenvectors[j * size + k] / value;
            }
        }
    }
    inverse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudo_inverse_inverts_a_regular_matrix() {
        let matrix = [2.0, 0.5, 0.0, 0.5, 1.0, 0.25, 0.0, 0.25, 0.75];
        let inverse = symmetric_pseudo_inverse(&matrix, 3);
        for i in 0..3 {
            for j in 0..3 {
                let product: f64 = (0..3).map(|k| matrix[i * 3 + k] * inverse[k * 3 + j]).sum();
                assert!((product - if i == j { 1.0 } else { 0.0 }).abs() < 1e-13, "{i} {j} {product}");
            }
        }
    }

    #[test]
    fn a_zero_direction_of_the_metric_is_dropped() {
        let one_block = [std::iter::once(0..2).collect::<Vec<_>>()].concat();
        // diag(0.25, 0): pinv = diag(4, 0), so the second gradient entry does not move its param.
        let direction = qng_direction(&[1.0, 3.0], &[0.25, 0.0, 0.0, 0.0], 0.0, &one_block);
        assert!((direction[0] - 4.0).abs() < 1e-14 && direction[1] == 0.0, "{direction:?}");
        // With lam = 0.5: (0.75)⁻¹ and (0.5)⁻¹.
        let direction = qng_direction(&[1.0, 3.0], &[0.25, 0.0, 0.0, 0.0], 0.5, &one_block);
        assert!((direction[0] - 1.0 / 0.75).abs() < 1e-14 && (direction[1] - 6.0).abs() < 1e-14);
    }

    #[test]
    fn blocks_ignore_the_entries_between_them() {
        let metric = [1.0, 0.3, 0.3, 2.0];
        let direction = qng_direction(&[1.0, 1.0], &metric, 0.0, &[0..1, 1..2]);
        assert!((direction[0] - 1.0).abs() < 1e-15 && (direction[1] - 0.5).abs() < 1e-15);
    }
}
