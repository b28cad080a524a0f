//! PennyLane's RotosolveOptimizer for costs of frequency 1 in each param (`nums_frequency` 1,
//! its closed-form `min_analytic`).

use std::f64::consts::{FRAC_PI_2, PI};

/// One Rotosolve step over the first `n_params` of `params`, in order, each set to the minimum
/// of the cost's sinusoid in it while the others hold; returns the cost before the step.
///
/// As PennyLane's `step_and_cost` with `full_output=False`: the cost at the starting point is
/// evaluated once and reused for the first param only; every later param evaluates the cost at
/// its current value (f₀) and at ±π/2 (f₊, f₋), and moves by
/// x = −π/2 − atan2(2f₀ − f₊ − f₋, f₊ − f₋), shifted by 2π when x ≤ −π, so x ∈ (−π, π].
pub(crate) fn rotosolve_sweep<E>(
    params: &mut [f64],
    n_params: usize,
    mut cost: impl FnMut(&[f64]) -> Result<f64, E>,
) -> Result<f64, E> {
    let before = cost(params)?;
    for index in 0..n_params.min(params.len()) {
        let f0 = if index == 0 { before } else { cost(params)? };
        let start = params[index];
        params[index] = start + FRAC_PI_2;
        let plus = cost(params)?;
        params[index] = start - FRAC_PI_2;
        let minus = cost(params)?;
        let b = (2.0 * f0 - plus - minus).atan2(plus - minus);
        let mut x_min = -FRAC_PI_2 - b;
        if x_min <= -PI {
            x_min += 2.0 * PI;
        }
        params[index] = start + x_min;
    }
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sweep_finds_the_minimum_of_a_separable_sinusoid() {
        // f = 2 cos(a − 0.3) + 0.5 sin(b) + 1: minimum at a = 0.3 + π, b = −π/2 (mod 2π).
        let f = |p: &[f64]| Ok::<f64, ()>(2.0 * (p[0] - 0.3).cos() + 0.5 * p[1].sin() + 1.0);
        let mut params = vec![0.1, 0.2];
        let before = rotosolve_sweep(&mut params, 2, f).expect("no error");
        assert!((before - f(&[0.1, 0.2]).unwrap()).abs() < 1e-15);
        assert!((f(&params).unwrap() - (-2.0 - 0.5 + 1.0)).abs() < 1e-12, "{params:?}");
        // The moves are within (−π, π].
        assert!((params[0] - (0.3 + PI - 2.0 * PI)).abs() < 1e-12 || (params[0] - (0.3 + PI)).abs() < 1e-12);
    }
}
