//! Tests of objective training (`minimize` / `maximize`) against hand-written references, with
//! closed-form stand-ins for the circuit and, for rotosolve, PennyLane's numbers.

use super::*;
use crate::ir::{MetricApprox, Schedule};
use crate::source::Span;
use crate::train::run::ModelError;

/// f(a, b) = cos(a) + 2 sin(b) − 0.5: one output, no features.
struct Energy;

impl Energy {
    fn gradient(params: &[f64]) -> Vec<f64> {
        vec![-params[0].sin(), 2.0 * params[1].cos()]
    }
}

impl Model for Energy {
    fn n_params(&self) -> usize {
        2
    }

    fn n_outputs(&self) -> usize {
        1
    }

    fn forward(&self, features: &[f64], params: &[f64], _shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        assert!(features.is_empty(), "an objective is evaluated without features");
        Ok(vec![params[0].cos() + 2.0 * params[1].sin() - 0.5])
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        Ok((self.forward(features, params, shot_seed)?, Energy::gradient(params)))
    }

    fn metric_tensor(&self, _features: &[f64], params: &[f64], _approx: MetricApprox) -> Result<Vec<f64>, ModelError> {
        // A metric given by hand, depending on the params so that each step must fetch it anew.
        Ok(vec![0.25 + 0.1 * params[0].sin().powi(2), 0.05, 0.05, 0.5])
    }
}

fn block(objective: Objective, optimizer: OptimizerConfig, epochs: usize) -> TrainBlock {
    TrainBlock {
        name: None,
        data: None,
        objective: Some(objective),
        test: None,
        features: crate::ir::Features::None,
        split: 1.0,
        shuffle: true,
        loss: crate::ir::Loss::Mse,
        optimizer,
        schedule: None,
        epochs,
        batch: 32,
        gradient: crate::ir::GradientMethod::Auto,
        shots: None,
        seed: 0,
        patience: None,
        span: Span::new(0, 0),
    }
}

/// Trains `model` and returns the params after the run and each epoch's report.
fn run(block: &TrainBlock, model: &dyn Model, start: &[f64]) -> (Vec<f64>, Vec<EpochReport>, TrainSummary) {
    let mut head = Head::new(&[], model.n_outputs(), 0);
    let mut params = start.to_vec();
    let mut reports = Vec::new();
    let stop = AtomicBool::new(false);
    let summary = train_objective(block, model, &mut head, &mut params, &stop, &mut |report| {
        reports.push(report.clone());
        Control::Continue
    })
    .expect("training succeeds");
    (params, reports, summary)
}

fn energy(params: &[f64]) -> f64 {
    params[0].cos() + 2.0 * params[1].sin() - 0.5
}

#[test]
fn minimize_steps_down_the_output_and_reports_it_before_the_step() {
    let start = [0.4, 0.3];
    let (params, reports, summary) =
        run(&block(Objective::Minimize, OptimizerConfig::Sgd { lr: 0.1 }, 2), &Energy, &start);
    let g0 = Energy::gradient(&start);
    let p1 = [start[0] - 0.1 * g0[0], start[1] - 0.1 * g0[1]];
    let g1 = Energy::gradient(&p1);
    let p2 = [p1[0] - 0.1 * g1[0], p1[1] - 0.1 * g1[1]];
    assert!((params[0] - p2[0]).abs() < 1e-15 && (params[1] - p2[1]).abs() < 1e-15);
    assert_eq!(reports.len(), 2);
    assert!((reports[0].train_loss - energy(&start)).abs() < 1e-15);
    assert!((reports[1].train_loss - energy(&p1)).abs() < 1e-15);
    assert_eq!(summary.steps, 2);
}

#[test]
fn maximize_steps_up_and_reports_the_output_as_it_is() {
    let start = [0.4, 0.3];
    let (params, reports, _) = run(&block(Objective::Maximize, OptimizerConfig::Sgd { lr: 0.1 }, 1), &Energy, &start);
    let g0 = Energy::gradient(&start);
    assert!((params[0] - (start[0] + 0.1 * g0[0])).abs() < 1e-15);
    assert!((params[1] - (start[1] + 0.1 * g0[1])).abs() < 1e-15);
    // Not negated.
    assert!((reports[0].train_loss - energy(&start)).abs() < 1e-15);
    assert!(energy(&params) > energy(&start));
}

#[test]
fn qng_preconditions_the_gradient_by_the_pseudo_inverse_of_the_metric() {
    let start = [0.4, 0.3];
    let config = OptimizerConfig::Qng { lr: 0.2, approx: MetricApprox::BlockDiag, lam: 0.01 };
    let (params, _, _) = run(&block(Objective::Minimize, config, 1), &Energy, &start);
    // g + lam·I = [[a, 0.05], [0.05, d]], inverse (1/det)[[d, −0.05], [−0.05, a]].
    let a = 0.25 + 0.1 * start[0].sin().powi(2) + 0.01;
    let d = 0.5 + 0.01;
    let det = a * d - 0.05 * 0.05;
    let g = Energy::gradient(&start);
    let direction = [(d * g[0] - 0.05 * g[1]) / det, (-0.05 * g[0] + a * g[1]) / det];
    assert!((params[0] - (start[0] - 0.2 * direction[0])).abs() < 1e-12, "{params:?}");
    assert!((params[1] - (start[1] - 0.2 * direction[1])).abs() < 1e-12, "{params:?}");
}

#[test]
fn a_schedule_sets_the_rate_of_each_epoch() {
    // f = cos(a) + 2 sin(b) − 0.5 stepped by sgd; with ExponentialLR(0.5) the rates are 0.1, 0.05, 0.025.
    let mut training = block(Objective::Minimize, OptimizerConfig::Sgd { lr: 0.1 }, 3);
    training.schedule = Some(Schedule::Exponential { gamma: 0.5 });
    let start = [0.4, 0.3];
    let (params, _, _) = run(&training, &Energy, &start);
    let mut expected = start.to_vec();
    for rate in [0.1, 0.05, 0.025] {
        let g = Energy::gradient(&expected);
        expected = vec![expected[0] - rate * g[0], expected[1] - rate * g[1]];
    }
    assert!((params[0] - expected[0]).abs() < 1e-15 && (params[1] - expected[1]).abs() < 1e-15);
}

#[test]
fn cobyla_converges_and_says_so() {
    let (params, reports, summary) =
        run(&block(Objective::Minimize, OptimizerConfig::Cobyla { rhobeg: 0.5 }, 500), &Energy, &[0.4, 0.3]);
    assert_eq!(summary.stop_reason, StopReason::Converged);
    assert!(summary.epochs_run < 500 && reports.len() == summary.epochs_run);
    // The minimum: cos(a) = −1, sin(b) = −1, f = −3.5.
    assert!((energy(&params) + 3.5).abs() < 1e-6, "{params:?}");
}

#[test]
fn patience_watches_the_objective() {
    // Rotosolve reaches the minimum in one sweep, so the objective stops improving at once.
    let mut training = block(Objective::Minimize, OptimizerConfig::Rotosolve, 50);
    training.patience = Some(2);
    let (_, reports, summary) = run(&training, &Energy, &[0.4, 0.3]);
    assert_eq!(summary.stop_reason, StopReason::Patience);
    assert!(reports.len() < 6, "{}", reports.len());
}

/// PennyLane's RotosolveOptimizer on the circuit of tests/fixtures/optimizers/rotosolve.qml:
/// the numbers of rotosolve_reference.py beside it.
#[test]
fn rotosolve_matches_pennylane_on_a_circuit() {
    let text = include_str!("../../tests/fixtures/optimizers/rotosolve.qml");
    let output = crate::check::compile(text);
    let circuit = output.circuit.expect("the fixture compiles");
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/fixtures/optimizers/rotosolve_reference.json"))
            .expect("the reference is JSON");
    let model = crate::train::SimModel::new(
        &circuit,
        circuit.train[0].gradient,
        None,
        circuit.n_measured_outputs().expect("expectation values"),
        crate::sim::MemoryBudget::default(),
    );
    let start: Vec<f64> = reference["start"].as_array().expect("start").iter().filter_map(|v| v.as_f64()).collect();
    let (params, reports, _) = run(&circuit.train[0], &model, &start);
    let steps = reference["steps"].as_array().expect("steps");
    for (report, step) in reports.iter().zip(steps) {
        let before = step["cost_before"].as_f64().expect("cost");
        assert!((report.train_loss - before).abs() < 1e-9, "{} vs {before}", report.train_loss);
    }
    let last: Vec<f64> = steps[2]["params"].as_array().expect("params").iter().filter_map(|v| v.as_f64()).collect();
    for (value, expected) in params.iter().zip(&last) {
        assert!((value - expected).abs() < 1e-9, "{params:?} vs {last:?}");
    }
    // And the first step's params.
    let mut first = start.clone();
    let one_epoch = TrainBlock { epochs: 1, ..circuit.train[0].clone() };
    let mut head = Head::new(&[], 1, 0);
    train_objective(&one_epoch, &model, &mut head, &mut first, &AtomicBool::new(false), &mut |_| Control::Continue)
        .expect("training succeeds");
    let expected: Vec<f64> = steps[0]["params"].as_array().expect("params").iter().filter_map(|v| v.as_f64()).collect();
    for (value, expected) in first.iter().zip(&expected) {
        assert!((value - expected).abs() < 1e-9, "{first:?} vs {expected:?}");
    }
}
