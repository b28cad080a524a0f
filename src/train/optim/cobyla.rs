//! COBYLA through the `cobyla` crate (NLopt 2.7.1's translation), driven one evaluation at a time.
//!
//! The crate runs its own loop and calls back for each evaluation, so an epoch of training is
//! one such call: the callback reports it and may ask to stop, after which every further call
//! returns at once without evaluating the model, and the crate's loop runs out on its budget.
//! Convergence is SciPy's default: the trust region shrinking to `tol` = 1e-4.

use std::cell::RefCell;

/// The final trust-region radius, SciPy's `minimize(method="COBYLA")` default `tol`.
pub(crate) const COBYLA_RHO_END: f64 = 1e-4;

/// What the caller says after an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CobylaStep {
    Continue,
    Stop,
}

/// How a COBYLA run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CobylaEnd {
    /// The trust region reached its final radius: COBYLA converged.
    Converged,
    /// Every evaluation allowed (the epochs) was made.
    OutOfEvaluations,
    /// The caller asked to stop.
    Stopped,
}

/// Minimizes from `start` with at most `max_evaluations` calls to `evaluate`, which returns the
/// cost at the point and whether to go on. Returns the point of lowest cost evaluated (COBYLA's
/// answer) and how the run ended.
pub(crate) fn minimize_cobyla(
    start: &[f64],
    rhobeg: f64,
    max_evaluations: usize,
    evaluate: impl FnMut(&[f64]) -> (f64, CobylaStep),
) -> (Vec<f64>, CobylaEnd) {
    struct Run<F> {
        evaluate: F,
        stopped: bool,
        best: Option<(f64, Vec<f64>)>,
    }
    let run = RefCell::new(Run { evaluate, stopped: false, best: None });
    let objective = |x: &[f64], _: &mut ()| -> f64 {
        let mut run = run.borrow_mut();
        if run.stopped {
            return f64::INFINITY;
        }
        let (value, step) = (run.evaluate)(x);
        if step == CobylaStep::Stop {
            run.stopped = true;
        }
        let improves = run.best.as_ref().is_none_or(|(best, _)| value < *best);
        if improves && value.is_finite() {
            run.best = Some((value, x.to_vec()));
        }
        value
    };
    let bounds = vec![(f64::NEG_INFINITY, f64::INFINITY); start.len()];
    let no_constraints: Vec<&dyn cobyla::Func<()>> = Vec::new();
    let tolerances = cobyla::StopTols { xtol_abs: vec![COBYLA_RHO_END; start.len()], ..cobyla::StopTols::default() };
    let result = cobyla::minimize(
        objective,
        start,
        &bounds,
        &no_constraints,
        (),
        max_evaluations.max(1),
        cobyla::RhoBeg::All(rhobeg),
        Some(tolerances),
    );
    let run = run.into_inner();
    let end = if run.stopped {
        CobylaEnd::Stopped
    } else {
        match result {
            Ok((cobyla::SuccessStatus::MaxEvalReached, _, _)) => CobylaEnd::OutOfEvaluations,
            Ok(_) => CobylaEnd::Converged,
            Err(_) => CobylaEnd::OutOfEvaluations,
        }
    };
    let best = run.best.map(|(_, x)| x).unwrap_or_else(|| start.to_vec());
    (best, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// COBYLA's first steps, as Powell's algorithm (and SciPy's, NLopt's) takes them: the start,
    /// then a move by `rhobeg` along each coordinate in turn, which spans its first simplex; a
    /// move that lowers the cost becomes the vertex the later moves start from.
    #[test]
    fn its_first_steps_span_the_simplex_from_the_start() {
        let mut points: Vec<Vec<f64>> = Vec::new();
        let _ = minimize_cobyla(&[1.0, -1.5, 0.25], 0.5, 4, |x| {
            points.push(x.to_vec());
            ((x[0] - 0.25).powi(2) + 3.0 * (x[1] + 0.5).powi(2) + (x[2] - 1.0).powi(2), CobylaStep::Continue)
        });
        assert_eq!(points.len(), 4);
        assert_eq!(points[0], [1.0, -1.5, 0.25]);
        assert_eq!(points[1], [1.5, -1.5, 0.25]);
        assert_eq!(points[2], [1.0, -1.0, 0.25]);
        // The second move lowered the cost (x1 towards −0.5), so the third starts from it.
        assert_eq!(points[3], [1.0, -1.0, 0.75]);
    }

    #[test]
    fn it_converges_on_a_quadratic() {
        let (x, end) = minimize_cobyla(&[1.0, -1.5], 0.5, 2000, |x| {
            ((x[0] - 0.25).powi(2) + 3.0 * (x[1] + 0.5).powi(2), CobylaStep::Continue)
        });
        assert_eq!(end, CobylaEnd::Converged);
        assert!((x[0] - 0.25).abs() < 1e-3 && (x[1] + 0.5).abs() < 1e-3, "{x:?}");
        let value = (x[0] - 0.25).powi(2) + 3.0 * (x[1] + 0.5).powi(2);
        assert!(value < 1e-6, "{value}");
    }

    #[test]
    fn it_minimizes_a_one_qubit_energy() {
        // ⟨Z⟩ after ry(t) on |0⟩ is cos t: the minimum −1 at t = π.
        let (x, end) = minimize_cobyla(&[0.3], 1.0, 500, |x| (x[0].cos(), CobylaStep::Continue));
        assert_eq!(end, CobylaEnd::Converged);
        assert!((x[0].cos() + 1.0).abs() < 1e-6, "{x:?}");
    }

    #[test]
    fn a_stop_ends_the_evaluations() {
        let mut calls = 0;
        let (_, end) = minimize_cobyla(&[1.0], 1.0, 100, |x| {
            calls += 1;
            (x[0] * x[0], if calls == 3 { CobylaStep::Stop } else { CobylaStep::Continue })
        });
        assert_eq!(end, CobylaEnd::Stopped);
        assert_eq!(calls, 3);
    }
}
