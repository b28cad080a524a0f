//! PyTorch's `torch.optim.LBFGS` with `max_iter = 1` (one iteration per step), `line_search_fn =
//! None`, `tolerance_grad = 1e-7` and `tolerance_change = 1e-9`, its defaults.
//!
//! Each step takes the gradient at the current params, updates the curvature history with the
//! previous step, runs the two-loop recursion and moves by `t · d`, with t = min(1, 1/‖g‖₁) · lr
//! on the very first iteration and lr after. This is the two-loop recursion of SciPy's L-BFGS-B
//! and of Nocedal and Wright's Algorithm 7.4; no line search is made.

/// PyTorch's `tolerance_grad`: a gradient whose largest entry is at most this takes no step.
const TOLERANCE_GRAD: f64 = 1e-7;
/// PyTorch's `tolerance_change`: a direction that does not descend by more than this is not taken.
const TOLERANCE_CHANGE: f64 = 1e-9;
/// PyTorch's threshold on yᵀs for a step to enter the history.
const CURVATURE_THRESHOLD: f64 = 1e-10;

/// The optimizer's state between steps, as PyTorch keeps it.
#[derive(Clone, Debug, Default)]
pub(super) struct LbfgsState {
    /// Iterations taken so far (PyTorch's `state["n_iter"]`).
    iterations: u64,
    /// The last direction and step length.
    direction: Vec<f64>,
    step_length: f64,
    /// Gradient differences y and steps s, oldest first, with ρ = 1 / yᵀs.
    gradient_differences: Vec<Vec<f64>>,
    steps: Vec<Vec<f64>>,
    rho: Vec<f64>,
    /// The scale of the initial inverse Hessian, yᵀs / yᵀy of the latest pair.
    hessian_diagonal: f64,
    previous_gradient: Vec<f64>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl LbfgsState {
    /// One step of `params` against `grad`, the gradient at `params`.
    pub(super) fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64, history: usize) {
        if grad.iter().fold(0.0f64, |m, g| m.max(g.abs())) <= TOLERANCE_GRAD {
            return;
        }
        self.iterations += 1;
        if self.iterations == 1 {
            self.direction = grad.iter().map(|g| -g).collect();
            self.gradient_differences.clear();
            self.steps.clear();
            self.rho.clear();
            self.hessian_diagonal = 1.0;
        } else {
            let y: Vec<f64> = grad.iter().zip(&self.previous_gradient).map(|(g, p)| g - p).collect();
            let s: Vec<f64> = self.direction.iter().map(|d| d * self.step_length).collect();
            let ys = dot(&y, &s);
            if ys > CURVATURE_THRESHOLD {
                if self.gradient_differences.len() == history {
                    self.gradient_differences.remove(0);
                    self.steps.remove(0);
                    self.rho.remove(0);
                }
                self.hessian_diagonal = ys / dot(&y, &y);
                self.gradient_differences.push(y);
                self.steps.push(s);
                self.rho.push(1.0 / ys);
            }
            let n_old = self.gradient_differences.len();
            let mut alphas = vec![0.0; n_old];
            let mut q: Vec<f64> = grad.iter().map(|g| -g).collect();
            for i in (0..n_old).rev() {
                alphas[i] = dot(&self.steps[i], &q) * self.rho[i];
                for (qk, yk) in q.iter_mut().zip(&self.gradient_differences[i]) {
                    *qk -= alphas[i] * yk;
                }
            }
            let mut r: Vec<f64> = q.iter().map(|v| v * self.hessian_diagonal).collect();
            for (i, alpha) in alphas.iter().enumerate() {
                let beta = dot(&self.gradient_differences[i], &r) * self.rho[i];
                for (rk, sk) in r.iter_mut().zip(&self.steps[i]) {
                    *rk += (alpha - beta) * sk;
                }
            }
            self.direction = r;
        }
        self.previous_gradient = grad.to_vec();
        self.step_length = if self.iterations == 1 {
            let l1: f64 = grad.iter().map(|g| g.abs()).sum();
            (1.0f64).min(1.0 / l1) * lr
        } else {
            lr
        };
        let directional_derivative = dot(grad, &self.direction);
        if directional_derivative > -TOLERANCE_CHANGE {
            return;
        }
        for (param, d) in params.iter_mut().zip(&self.direction) {
            *param += self.step_length * d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x, y) = x² + 3y² + xy: gradient (2x + y, 6y + x).
    fn gradient(p: &[f64]) -> Vec<f64> {
        vec![2.0 * p[0] + p[1], 6.0 * p[1] + p[0]]
    }

    #[test]
    fn the_first_steps_follow_torchs_formulas() {
        let mut state = LbfgsState::default();
        let mut params = vec![1.0, 1.0];
        // Step 1: g = (3, 7), ‖g‖₁ = 10, t = min(1, 1/10) · 0.5 = 0.05, d = −g.
        let g1 = gradient(&params);
        state.step(&mut params, &g1, 0.5, 10);
        let p1 = [1.0 - 0.05 * 3.0, 1.0 - 0.05 * 7.0];
        assert!((params[0] - p1[0]).abs() < 1e-15 && (params[1] - p1[1]).abs() < 1e-15);
        // Step 2, written out: s = t·d = −0.05 g1, y = g2 − g1, ρ = 1/yᵀs, H = yᵀs/yᵀy;
        // q = −g2; α = ρ sᵀq; q −= α y; r = H q; β = ρ yᵀr; r += (α − β) s; p2 = p1 + 0.5 r.
        let g2 = gradient(&params);
        let s = [-0.05 * g1[0], -0.05 * g1[1]];
        let y = [g2[0] - g1[0], g2[1] - g1[1]];
        let ys = y[0] * s[0] + y[1] * s[1];
        let rho = 1.0 / ys;
        let h = ys / (y[0] * y[0] + y[1] * y[1]);
        let mut q = [-g2[0], -g2[1]];
        let alpha = rho * (s[0] * q[0] + s[1] * q[1]);
        q = [q[0] - alpha * y[0], q[1] - alpha * y[1]];
        let mut r = [h * q[0], h * q[1]];
        let beta = rho * (y[0] * r[0] + y[1] * r[1]);
        r = [r[0] + (alpha - beta) * s[0], r[1] + (alpha - beta) * s[1]];
        let p2 = [p1[0] + 0.5 * r[0], p1[1] + 0.5 * r[1]];
        state.step(&mut params, &g2, 0.5, 10);
        assert!((params[0] - p2[0]).abs() < 1e-12 && (params[1] - p2[1]).abs() < 1e-12, "{params:?} vs {p2:?}");
    }

    #[test]
    fn it_minimizes_a_quadratic() {
        let mut state = LbfgsState::default();
        let mut params = vec![1.0, -2.0];
        for _ in 0..60 {
            let g = gradient(&params);
            state.step(&mut params, &g, 1.0, 5);
        }
        // PyTorch stops stepping once gᵀd > −1e-9 (tolerance_change), near |x| ~ 1e-5 here.
        assert!(params[0].abs() < 1e-4 && params[1].abs() < 1e-4, "{params:?}");
    }

    #[test]
    fn a_vanishing_gradient_takes_no_step() {
        let mut state = LbfgsState::default();
        let mut params = vec![0.5];
        state.step(&mut params, &[1e-8], 1.0, 10);
        assert_eq!(params, vec![0.5]);
        assert_eq!(state.iterations, 0);
    }
}
