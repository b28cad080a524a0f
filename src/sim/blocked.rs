//! Applies a sequence of kernels to a state vector (the executor every plan hands its kernels to).

use crate::sim::kernels::Kernel;
use num_complex::Complex64;

/// Applies `kernels` in order to `amplitudes`, splitting each over threads if `parallel`.
pub fn apply_all(amplitudes: &mut [Complex64], kernels: &[Kernel], parallel: bool) {
    for kernel in kernels {
        kernel.apply(amplitudes, parallel);
    }
}
