//! Applies a sequence of kernels (stub: one at a time).
use crate::sim::kernels::Kernel;
use num_complex::Complex64;
/// Applies every kernel in order.
pub fn apply_all(amplitudes: &mut [Complex64], kernels: &[Kernel], parallel: bool) {
    for kernel in kernels {
        kernel.apply(amplitudes, parallel);
    }
}
