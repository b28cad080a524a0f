//! The optimizers: PyTorch's SGD (plain, momentum, Nesterov), Adagrad, RMSprop, Adam and LBFGS,
//! PennyLane's SPSA, QNG and Rotosolve, COBYLA, and PyTorch's learning-rate schedules.
//!
//! Each follows its library's update formulas term by term (weight decay 0, and for PyTorch's
//! optimizers the single-tensor, non-`maximize` path), so that a run can be compared with one of
//! theirs to rounding.

mod cobyla;
mod lbfgs;
mod qng;
mod rotosolve;
mod schedule;

pub(crate) use cobyla::{minimize_cobyla, CobylaEnd, CobylaStep};
pub(crate) use qng::qng_direction;
pub(crate) use rotosolve::rotosolve_sweep;
pub(crate) use schedule::scheduled_learning_rate;

use crate::ir;
use crate::train::{rng_for, Stream};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// SPSA's gain exponents, PennyLane's defaults (Spall's recommended values).
pub(crate) const SPSA_ALPHA: f64 = 0.602;
pub(crate) const SPSA_GAMMA: f64 = 0.101;
/// The perturbation used when a gradient optimizer is asked for an SPSA estimate: PennyLane's default c.
pub(crate) const DEFAULT_SPSA_PERTURBATION: f64 = 0.2;

/// An optimizer and its state (moment buffers, step count).
#[derive(Clone, Debug)]
pub(crate) struct Optimizer {
    config: ir::Optimizer,
    /// The number of steps taken so far.
    step_count: u64,
    /// Momentum buffer (SGD), squared-gradient sum (Adagrad), squared-gradient average (RMSprop),
    /// or first moment (Adam).
    first: Vec<f64>,
    /// Adam's second moment.
    second: Vec<f64>,
    /// SPSA's stability constant A.
    spsa_stability: f64,
    /// SPSA's perturbations.
    rng: ChaCha8Rng,
    /// LBFGS's history.
    lbfgs: lbfgs::LbfgsState,
}

impl Optimizer {
    /// A fresh optimizer for `n_params` numbers.
    ///
    /// `expected_steps` is used by SPSA alone: like PennyLane's `SPSAOptimizer(maxiter=…)`, its
    /// stability constant A is 10% of the number of steps expected (here epochs × batches).
    pub fn new(config: ir::Optimizer, n_params: usize, seed: u64, expected_steps: usize) -> Optimizer {
        Optimizer {
            config,
            step_count: 0,
            first: vec![0.0; n_params],
            second: vec![0.0; n_params],
            spsa_stability: 0.1 * expected_steps as f64,
            rng: rng_for(seed, Stream::Spsa),
            lbfgs: lbfgs::LbfgsState::default(),
        }
    }

    /// The learning rate in force, if the optimizer has one.
    pub(crate) fn learning_rate(&self) -> Option<f64> {
        self.config.learning_rate()
    }

    /// Sets the learning rate (a schedule's step); optimizers without one ignore it.
    pub(crate) fn set_learning_rate(&mut self, rate: f64) {
        match &mut self.config {
            ir::Optimizer::Sgd { lr }
            | ir::Optimizer::Momentum { lr, .. }
            | ir::Optimizer::Nesterov { lr, .. }
            | ir::Optimizer::Adagrad { lr, .. }
            | ir::Optimizer::RmsProp { lr, .. }
            | ir::Optimizer::Adam { lr, .. }
            | ir::Optimizer::Lbfgs { lr, .. }
            | ir::Optimizer::Qng { lr, .. } => *lr = rate,
            ir::Optimizer::Spsa { .. } | ir::Optimizer::Rotosolve | ir::Optimizer::Cobyla { .. } => {}
        }
    }

    /// One QNG step: params ← params − lr · pinv(g + lam·I) ∇f, `metric` the n × n metric tensor
    /// (row-major) and `blocks` the param ranges PennyLane treats as separate arguments (the
    /// metric's entries between two blocks are not used, as PennyLane's per-argument tensors).
    pub(crate) fn qng_step(
        &mut self,
        params: &mut [f64],
        grad: &[f64],
        metric: &[f64],
        blocks: &[std::ops::Range<usize>],
    ) {
        self.step_count += 1;
        if let ir::Optimizer::Qng { lr, lam, .. } = self.config {
            let direction = qng_direction(grad, metric, lam, blocks);
            for (param, d) in params.iter_mut().zip(&direction) {
                *param -= lr * d;
            }
        }
    }

    /// Whether the optimizer estimates the gradient itself from loss values ([`Optimizer::spsa_step`]).
    pub(crate) fn is_gradient_free(&self) -> bool {
        matches!(self.config, ir::Optimizer::Spsa { .. })
    }

    /// SPSA's gains for its `k`-th step (1-based, as PennyLane counts): a_k = a / (A + k)^α and
    /// c_k = c / k^γ.
    pub(crate) fn spsa_gains(&self, k: u64) -> (f64, f64) {
        match self.config {
            ir::Optimizer::Spsa { a, c } => {
                let k = k as f64;
                (a / (self.spsa_stability + k).powf(SPSA_ALPHA), c / k.powf(SPSA_GAMMA))
            }
            _ => (0.0, 0.0),
        }
    }

    /// One update of `params` against the gradient `grad` (same length).
    ///
    /// SPSA given a gradient applies its gain a_k to it, which makes it plain SGD on a decaying
    /// schedule; training uses [`Optimizer::spsa_step`] for SPSA instead.
    pub fn step(&mut self, params: &mut [f64], grad: &[f64]) {
        self.step_count += 1;
        let t = self.step_count;
        match self.config {
            ir::Optimizer::Sgd { lr } => {
                for (param, g) in params.iter_mut().zip(grad) {
                    *param -= lr * g;
                }
            }
            ir::Optimizer::Momentum { lr, beta } | ir::Optimizer::Nesterov { lr, beta } => {
                let nesterov = matches!(self.config, ir::Optimizer::Nesterov { .. });
                for ((param, g), buffer) in params.iter_mut().zip(grad).zip(&mut self.first) {
                    // torch starts the buffer at the first gradient, which is beta · 0 + g.
                    *buffer = if t == 1 { *g } else { beta * *buffer + g };
                    let direction = if nesterov { g + beta * *buffer } else { *buffer };
                    *param -= lr * direction;
                }
            }
            ir::Optimizer::Adagrad { lr, eps } => {
                for ((param, g), sum) in params.iter_mut().zip(grad).zip(&mut self.first) {
                    *sum += g * g;
                    *param -= lr * g / (sum.sqrt() + eps);
                }
            }
            ir::Optimizer::RmsProp { lr, alpha, eps } => {
                for ((param, g), average) in params.iter_mut().zip(grad).zip(&mut self.first) {
                    *average = alpha * *average + (1.0 - alpha) * g * g;
                    *param -= lr * g / (average.sqrt() + eps);
                }
            }
            ir::Optimizer::Adam { lr, beta1, beta2, eps } => {
                let bias_correction1 = 1.0 - beta1.powf(t as f64);
                let bias_correction2 = 1.0 - beta2.powf(t as f64);
                let step_size = lr / bias_correction1;
                let bias_correction2_sqrt = bias_correction2.sqrt();
                for (((param, g), m), v) in params.iter_mut().zip(grad).zip(&mut self.first).zip(&mut self.second) {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    let denominator = v.sqrt() / bias_correction2_sqrt + eps;
                    *param -= step_size * *m / denominator;
                }
            }
            ir::Optimizer::Spsa { .. } => {
                let (a_k, _) = self.spsa_gains(t);
                for (param, g) in params.iter_mut().zip(grad) {
                    *param -= a_k * g;
                }
            }
            ir::Optimizer::Lbfgs { lr, history } => self.lbfgs.step(params, grad, lr, history),
            // Given only a gradient, QNG is plain gradient descent (an identity metric); training
            // calls `qng_step` with the metric tensor.
            ir::Optimizer::Qng { lr, .. } => {
                for (param, g) in params.iter_mut().zip(grad) {
                    *param -= lr * g;
                }
            }
            // These do not step on a gradient: training drives them through `rotosolve_sweep`
            // and `minimize_cobyla`.
            ir::Optimizer::Rotosolve | ir::Optimizer::Cobyla { .. } => {}
        }
    }

    /// One SPSA step, as PennyLane's `SPSAOptimizer.step`: draw Δ ∈ {−1, +1}^n, evaluate the loss at
    /// params ± c_k Δ, estimate g_i = (y₊ − y₋) / (2 c_k Δ_i), and move params by −a_k g.
    ///
    /// For any other optimizer this estimates the gradient the same way and hands it to [`Optimizer::step`].
    pub(crate) fn spsa_step<E>(
        &mut self,
        params: &mut [f64],
        mut loss: impl FnMut(&[f64]) -> Result<f64, E>,
    ) -> Result<(), E> {
        let k = self.step_count + 1;
        let c_k = match self.config {
            ir::Optimizer::Spsa { .. } => self.spsa_gains(k).1,
            _ => DEFAULT_SPSA_PERTURBATION,
        };
        let delta: Vec<f64> = (0..params.len()).map(|_| if self.rng.random::<bool>() { 1.0 } else { -1.0 }).collect();
        let plus: Vec<f64> = params.iter().zip(&delta).map(|(p, d)| p + c_k * d).collect();
        let minus: Vec<f64> = params.iter().zip(&delta).map(|(p, d)| p - c_k * d).collect();
        let loss_plus = loss(&plus)?;
        let loss_minus = loss(&minus)?;
        let grad: Vec<f64> = delta.iter().map(|d| (loss_plus - loss_minus) / (2.0 * c_k * d)).collect();
        self.step(params, &grad);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x, y) = x² + 3y², whose gradient is (2x, 6y).
    fn quadratic_grad(params: &[f64]) -> Vec<f64> {
        vec![2.0 * params[0], 6.0 * params[1]]
    }

    /// Runs `n_steps` steps from (1, 1) and returns the params after each.
    fn run(config: ir::Optimizer, n_steps: usize) -> Vec<Vec<f64>> {
        let mut optimizer = Optimizer::new(config, 2, 0, 100);
        let mut params = vec![1.0, 1.0];
        let mut history = Vec::new();
        for _ in 0..n_steps {
            let grad = quadratic_grad(&params);
            optimizer.step(&mut params, &grad);
            history.push(params.clone());
        }
        history
    }

    fn assert_close(actual: &[f64], expected: &[f64]) {
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{actual:?} vs {expected:?}");
        }
    }

    #[test]
    fn sgd_steps_against_the_gradient() {
        let history = run(ir::Optimizer::Sgd { lr: 0.1 }, 2);
        // (1, 1) − 0.1 · (2, 6) = (0.8, 0.4); then − 0.1 · (1.6, 2.4).
        assert_close(&history[0], &[0.8, 0.4]);
        assert_close(&history[1], &[0.64, 0.16]);
    }

    #[test]
    fn momentum_is_torch_sgd_with_momentum() {
        let history = run(ir::Optimizer::Momentum { lr: 0.1, beta: 0.9 }, 2);
        // b₁ = g₁ = (2, 6), p₁ = (0.8, 0.4); g₂ = (1.6, 2.4), b₂ = 0.9 b₁ + g₂ = (3.4, 7.8).
        assert_close(&history[0], &[0.8, 0.4]);
        assert_close(&history[1], &[0.8 - 0.34, 0.4 - 0.78]);
    }

    #[test]
    fn nesterov_is_torch_sgd_with_nesterov() {
        let history = run(ir::Optimizer::Nesterov { lr: 0.1, beta: 0.9 }, 2);
        // b₁ = (2, 6), step g₁ + 0.9 b₁ = (3.8, 11.4), p₁ = (0.62, −0.14).
        // g₂ = (1.24, −0.84), b₂ = 0.9 b₁ + g₂ = (3.04, 4.56), step g₂ + 0.9 b₂ = (3.976, 3.264).
        assert_close(&history[0], &[0.62, -0.14]);
        assert_close(&history[1], &[0.62 - 0.3976, -0.14 - 0.3264]);
    }

    #[test]
    fn adagrad_divides_by_the_root_of_the_summed_squares() {
        let history = run(ir::Optimizer::Adagrad { lr: 0.1, eps: 1e-10 }, 2);
        // Sums (4, 36): each coordinate moves by 0.1 · g / (|g| + eps) ≈ 0.1.
        assert_close(&history[0], &[1.0 - 0.1 * 2.0 / (2.0 + 1e-10), 1.0 - 0.1 * 6.0 / (6.0 + 1e-10)]);
        let (x, y) = (history[0][0], history[0][1]);
        let (gx, gy) = (2.0 * x, 6.0 * y);
        let (sum_x, sum_y) = (4.0 + gx * gx, 36.0 + gy * gy);
        assert_close(&history[1], &[x - 0.1 * gx / (sum_x.sqrt() + 1e-10), y - 0.1 * gy / (sum_y.sqrt() + 1e-10)]);
        assert!((sum_x - 7.24).abs() < 1e-8 && (sum_y - 65.16).abs() < 1e-8);
    }

    #[test]
    fn rmsprop_divides_by_the_root_of_the_running_average() {
        let history = run(ir::Optimizer::RmsProp { lr: 0.01, alpha: 0.99, eps: 1e-8 }, 2);
        // v₁ = 0.01 g² = (0.04, 0.36), √v₁ = (0.2, 0.6): both coordinates move by 0.01 · g/√v ≈ 0.1.
        assert_close(&history[0], &[1.0 - 0.02 / (0.2 + 1e-8), 1.0 - 0.06 / (0.6 + 1e-8)]);
        let (x, y) = (history[0][0], history[0][1]);
        let (gx, gy) = (2.0 * x, 6.0 * y);
        let (v_x, v_y) = (0.99 * 0.04 + 0.01 * gx * gx, 0.99 * 0.36 + 0.01 * gy * gy);
        assert!((v_x - 0.072).abs() < 1e-9);
        assert_close(&history[1], &[x - 0.01 * gx / (v_x.sqrt() + 1e-8), y - 0.01 * gy / (v_y.sqrt() + 1e-8)]);
    }

    #[test]
    fn adam_uses_torchs_bias_corrections() {
        let history = run(ir::Optimizer::Adam { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 2);
        // Step 1: m̂ = g and v̂ = g², so each coordinate moves by 0.1 · g / (|g| + eps).
        assert_close(&history[0], &[1.0 - 0.1 * 2.0 / (2.0 + 1e-8), 1.0 - 0.1 * 6.0 / (6.0 + 1e-8)]);
        // Step 2 for x (x₁ ≈ 0.9, g₂ ≈ 1.8): m = 0.9·0.2 + 0.1·1.8 = 0.36, v = 0.999·0.004 + 0.001·3.24
        // = 0.007236; x₂ = x₁ − (0.1 / (1 − 0.9²)) · m / (√v / √(1 − 0.999²) + eps).
        let x = history[0][0];
        let g = 2.0 * x;
        let m = 0.9 * 0.2 + 0.1 * g;
        let v = 0.999 * 0.004 + 0.001 * g * g;
        assert!((m - 0.36).abs() < 1e-8 && (v - 0.007236).abs() < 1e-8);
        let expected_x = x - (0.1 / 0.19) * m / (v.sqrt() / 0.001999f64.sqrt() + 1e-8);
        assert!((history[1][0] - expected_x).abs() < 1e-12);
    }

    #[test]
    fn spsa_gains_follow_pennylane() {
        let optimizer = Optimizer::new(ir::Optimizer::Spsa { a: 0.5, c: 0.2 }, 1, 0, 200);
        let (a_1, c_1) = optimizer.spsa_gains(1);
        assert!((a_1 - 0.5 / 21f64.powf(0.602)).abs() < 1e-15);
        assert_eq!(c_1, 0.2);
        let (_, c_3) = optimizer.spsa_gains(3);
        assert!((c_3 - 0.2 / 3f64.powf(0.101)).abs() < 1e-15);
    }

    #[test]
    fn spsa_estimates_a_one_dimensional_slope_exactly() {
        // For f(x) = 3x, (f(x + cΔ) − f(x − cΔ)) / (2cΔ) = 3 whatever the sign of Δ.
        let mut optimizer = Optimizer::new(ir::Optimizer::Spsa { a: 0.5, c: 0.2 }, 1, 4, 10);
        let mut params = vec![1.0];
        optimizer.spsa_step(&mut params, |p| Ok::<f64, ()>(3.0 * p[0])).expect("the loss cannot fail");
        let a_1 = 0.5 / (1.0 + 1.0f64).powf(0.602);
        assert!((params[0] - (1.0 - 3.0 * a_1)).abs() < 1e-12);
        assert_eq!(optimizer.step_count, 1);
    }

    #[test]
    fn spsa_descends_a_quadratic_and_repeats_from_the_seed() {
        let descend = |seed: u64| {
            let mut optimizer = Optimizer::new(ir::Optimizer::Spsa { a: 0.2, c: 0.1 }, 2, seed, 200);
            let mut params = vec![1.0, 1.0];
            for _ in 0..200 {
                optimizer
                    .spsa_step(&mut params, |p| Ok::<f64, ()>(p[0] * p[0] + 3.0 * p[1] * p[1]))
                    .expect("the loss cannot fail");
            }
            params
        };
        let params = descend(9);
        assert!(params[0].abs() < 0.1 && params[1].abs() < 0.1, "{params:?}");
        assert_eq!(params, descend(9));
    }
}
