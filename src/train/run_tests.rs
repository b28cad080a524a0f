//! Tests of the training loop against hand-written references, with closed-form stand-ins for the circuit.

use super::*;
use crate::codes::Code;
use crate::ir::{DataSource, Features, GradientMethod, HeadLayer, Optimizer as OptimizerConfig};
use crate::source::Span;

/// outputs[k] = Σ_i params[k · n_features + i] · features[i]: a linear model whose Jacobian is
/// the features, block-diagonal over the outputs.
struct LinearModel {
    n_features: usize,
    n_outputs: usize,
}

impl Model for LinearModel {
    fn n_params(&self) -> usize {
        self.n_features * self.n_outputs
    }

    fn n_outputs(&self) -> usize {
        self.n_outputs
    }

    fn forward(&self, features: &[f64], params: &[f64], _shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        Ok((0..self.n_outputs)
            .map(|output_idx| {
                let row = &params[output_idx * self.n_features..(output_idx + 1) * self.n_features];
                row.iter().zip(features).map(|(p, x)| p * x).sum()
            })
            .collect())
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let outputs = self.forward(features, params, shot_seed)?;
        let mut jacobian = vec![0.0; self.n_outputs * self.n_params()];
        for output_idx in 0..self.n_outputs {
            for feature_idx in 0..self.n_features {
                jacobian[output_idx * self.n_params() + output_idx * self.n_features + feature_idx] =
                    features[feature_idx];
            }
        }
        Ok((outputs, jacobian))
    }
}

/// A nonlinear two-output model, (sin(p0·x0 + p1), cos(p1·x1) · p2), to exercise the chain rule.
struct WavyModel;

impl Model for WavyModel {
    fn n_params(&self) -> usize {
        3
    }

    fn n_outputs(&self) -> usize {
        2
    }

    fn forward(&self, features: &[f64], params: &[f64], _shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        if features[0] > 100.0 {
            return Err(ModelError {
                code: Some(Code::E0901),
                message: "the feature is too large".to_string(),
                span: None,
            });
        }
        Ok(vec![(params[0] * features[0] + params[1]).sin(), (params[1] * features[1]).cos() * params[2]])
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let outputs = self.forward(features, params, shot_seed)?;
        let inner = params[0] * features[0] + params[1];
        let angle = params[1] * features[1];
        let jacobian =
            vec![inner.cos() * features[0], inner.cos(), 0.0, 0.0, -angle.sin() * features[1] * params[2], angle.cos()];
        Ok((outputs, jacobian))
    }
}

fn block(loss: Loss, optimizer: OptimizerConfig, epochs: usize, batch: usize) -> TrainBlock {
    TrainBlock {
        name: None,
        data: Some(DataSource::Iris { classes: None, columns: None }),
        objective: None,
        test: None,
        features: Features::None,
        split: 1.0,
        shuffle: false,
        loss,
        optimizer,
        schedule: None,
        epochs,
        batch,
        gradient: GradientMethod::Auto,
        shots: None,
        seed: 3,
        patience: None,
        span: Span::default(),
    }
}

fn split(features: Vec<Vec<f64>>, targets: Vec<f64>) -> Split {
    let locations = (0..features.len()).map(|row_idx| format!("test data, row {}", row_idx + 1)).collect();
    Split { features, targets: targets.into_iter().map(|target| vec![target]).collect(), locations }
}

fn data(train: Split, test: Split) -> PreparedData {
    PreparedData { source: "test data".to_string(), train, test, scaling: None, classes: None }
}

fn adam() -> OptimizerConfig {
    OptimizerConfig::Adam { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }
}

fn run_collecting(
    block: &TrainBlock,
    model: &dyn Model,
    head: &mut Head,
    params: &mut [f64],
    data: &PreparedData,
) -> (Result<TrainSummary, TrainError>, Vec<EpochReport>) {
    let mut reports = Vec::new();
    let stop = AtomicBool::new(false);
    let result = train(block, model, head, params, data, &stop, &mut |report| {
        reports.push(report.clone());
        Control::Continue
    });
    (result, reports)
}

#[test]
fn a_linear_model_with_mse_and_adam_matches_the_steps_written_out() {
    let features = vec![vec![1.0, 2.0], vec![0.5, -1.0], vec![-1.5, 0.3], vec![2.0, 1.0]];
    let targets = vec![1.0, -0.5, 0.2, 2.0];
    let train_data = data(split(features.clone(), targets.clone()), Split::default());
    let model = LinearModel { n_features: 2, n_outputs: 1 };
    let mut params = vec![0.1, -0.2];
    let mut head = Head::identity(1);
    let settings = block(Loss::Mse, adam(), 3, 2);
    let (result, reports) = run_collecting(&settings, &model, &mut head, &mut params, &train_data);
    let summary = result.expect("training succeeds");
    assert_eq!(summary.epochs_run, 3);
    assert_eq!(summary.steps, 6);
    assert_eq!(summary.stop_reason, StopReason::Completed);

    // The same run written out: batches {0, 1} and {2, 3} in order (no shuffle); each batch's loss
    // is mean (p·x − y)², its gradient mean 2 (p·x − y) x, and Adam updates as torch does.
    let mut p = [0.1, -0.2];
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    let mut t = 0;
    for report in &reports {
        let mut batch_losses = Vec::new();
        for batch in [[0, 1], [2, 3]] {
            let mut loss = 0.0;
            let mut grad = [0.0; 2];
            for &row in &batch {
                let error = p[0] * features[row][0] + p[1] * features[row][1] - targets[row];
                loss += error * error / 2.0;
                grad[0] += 2.0 * error * features[row][0] / 2.0;
                grad[1] += 2.0 * error * features[row][1] / 2.0;
            }
            batch_losses.push(loss);
            t += 1;
            for i in 0..2 {
                m[i] = 0.9 * m[i] + 0.1 * grad[i];
                v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
                let m_hat = m[i] / (1.0 - 0.9f64.powi(t));
                let v_hat = v[i] / (1.0 - 0.999f64.powi(t));
                p[i] -= 0.1 * m_hat / (v_hat.sqrt() + 1e-8);
            }
        }
        let expected = (batch_losses[0] + batch_losses[1]) / 2.0;
        assert!(
            (report.train_loss - expected).abs() < 1e-9,
            "epoch {}: {} vs {expected}",
            report.epoch,
            report.train_loss
        );
        assert_eq!(report.test_loss, None);
        assert_eq!(report.train_accuracy, None);
    }
    assert!((params[0] - p[0]).abs() < 1e-9 && (params[1] - p[1]).abs() < 1e-9, "{params:?} vs {p:?}");
}

#[test]
fn the_batch_gradient_through_a_head_matches_finite_differences() {
    let model = WavyModel;
    let head = Head::new(
        &[
            HeadLayer::Linear { out_features: 3, bias: true },
            HeadLayer::Tanh,
            HeadLayer::Linear { out_features: 3, bias: true },
        ],
        2,
        5,
    );
    let rows = split(vec![vec![0.3, -0.4], vec![1.2, 0.7], vec![-0.6, 0.2]], vec![0.0, 2.0, 1.0]);
    let trainer = Trainer { model: &model, head: &head, loss: Loss::CrossEntropy, n_circuit: 3, seed: 0 };
    let all_params: Vec<f64> = [0.4, -0.3, 0.9].iter().chain(&head.params).copied().collect();
    let batch = [0, 1, 2];
    let (loss, gradient) = trainer.batch_gradient(&all_params, &rows, &batch, &[0, 0]).expect("the model succeeds");
    let loss_at = |values: &[f64]| {
        trainer.batch_loss(values, &rows, &batch, Phase::Gradient, &[0, 0]).expect("the model succeeds")
    };
    assert!((loss - loss_at(&all_params)).abs() < 1e-12);
    let step = 1e-6;
    for param_idx in 0..all_params.len() {
        let mut plus = all_params.clone();
        let mut minus = all_params.clone();
        plus[param_idx] += step;
        minus[param_idx] -= step;
        let numeric = (loss_at(&plus) - loss_at(&minus)) / (2.0 * step);
        assert!(
            (numeric - gradient[param_idx]).abs() < 1e-8,
            "param {param_idx}: {numeric} vs {}",
            gradient[param_idx]
        );
    }
}

fn classification_setup() -> (PreparedData, Head, Vec<f64>) {
    let features: Vec<Vec<f64>> = (0..24).map(|i| vec![(i as f64 * 0.37).sin(), (i as f64 * 0.91).cos()]).collect();
    let targets: Vec<f64> = features.iter().map(|row| if row[0] * row[1] > 0.0 { 1.0 } else { 0.0 }).collect();
    let prepared = data(
        split(features[..18].to_vec(), targets[..18].to_vec()),
        split(features[18..].to_vec(), targets[18..].to_vec()),
    );
    let head = Head::new(
        &[
            HeadLayer::Linear { out_features: 4, bias: true },
            HeadLayer::Relu,
            HeadLayer::Linear { out_features: 2, bias: true },
        ],
        2,
        1,
    );
    (prepared, head, vec![0.5, -0.2, 0.8])
}

#[test]
fn results_are_bit_identical_on_one_and_four_threads() {
    let (prepared, head, params) = classification_setup();
    let mut settings = block(Loss::CrossEntropy, adam(), 4, 5);
    settings.shuffle = true;
    let run_on = |n_threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n_threads).build().expect("a thread pool");
        pool.install(|| {
            let mut head = head.clone();
            let mut params = params.clone();
            let (result, mut reports) = run_collecting(&settings, &WavyModel, &mut head, &mut params, &prepared);
            result.expect("training succeeds");
            for report in &mut reports {
                report.seconds = 0.0;
            }
            (reports, params, head.params)
        })
    };
    let one = run_on(1);
    assert_eq!(one, run_on(4));
    assert_eq!(one.0.len(), 4);
    assert!(one.0.iter().all(|r| r.test_loss.is_some() && r.train_accuracy.is_some() && r.test_accuracy.is_some()));
    assert!(one.0[3].train_loss < one.0[0].train_loss);
}

#[test]
fn spsa_trains_and_repeats_from_the_seed() {
    let (prepared, head, params) = classification_setup();
    let settings = block(Loss::CrossEntropy, OptimizerConfig::Spsa { a: 0.2, c: 0.1 }, 3, 6);
    let run_once = || {
        let mut head = head.clone();
        let mut params = params.clone();
        let (result, reports) = run_collecting(&settings, &WavyModel, &mut head, &mut params, &prepared);
        assert_eq!(result.expect("training succeeds").steps, 9);
        (reports.iter().map(|r| r.train_loss).collect::<Vec<_>>(), params)
    };
    let first = run_once();
    assert_eq!(first, run_once());
    assert_ne!(first.1, params);
}

#[test]
fn patience_stops_when_the_test_loss_stops_improving() {
    // Training pulls the single weight towards 1 while the test row wants −1, so the test loss
    // only rises after the first epoch.
    let prepared = data(split(vec![vec![1.0]], vec![1.0]), split(vec![vec![1.0]], vec![-1.0]));
    let model = LinearModel { n_features: 1, n_outputs: 1 };
    let mut settings = block(Loss::Mse, OptimizerConfig::Sgd { lr: 0.1 }, 20, 1);
    settings.patience = Some(2);
    let mut params = vec![0.0];
    let (result, reports) = run_collecting(&settings, &model, &mut Head::identity(1), &mut params, &prepared);
    let summary = result.expect("training succeeds");
    assert_eq!(summary.stop_reason, StopReason::Patience);
    assert_eq!(summary.epochs_run, 3);
    assert_eq!(reports.len(), 3);
    assert_eq!(summary.last.as_ref(), reports.last());
}

#[test]
fn the_observer_and_the_stop_flag_end_training() {
    let (prepared, head, params) = classification_setup();
    let settings = block(Loss::CrossEntropy, adam(), 10, 5);
    let stop = AtomicBool::new(false);
    let mut epochs_seen = 0;
    let summary = train(&settings, &WavyModel, &mut head.clone(), &mut params.clone(), &prepared, &stop, &mut |_| {
        epochs_seen += 1;
        if epochs_seen == 2 {
            Control::Stop
        } else {
            Control::Continue
        }
    })
    .expect("training succeeds");
    assert_eq!((summary.epochs_run, summary.stop_reason), (2, StopReason::Observer));

    let stop = AtomicBool::new(true);
    let mut trained_params = params.clone();
    let summary = train(&settings, &WavyModel, &mut head.clone(), &mut trained_params, &prepared, &stop, &mut |_| {
        Control::Continue
    })
    .expect("training succeeds");
    assert_eq!((summary.epochs_run, summary.steps, summary.stop_reason), (0, 1, StopReason::Interrupted));
    assert_ne!(trained_params, params);
}

#[test]
fn a_model_error_names_the_row() {
    let prepared = data(split(vec![vec![0.1, 0.2], vec![500.0, 0.0]], vec![0.0, 1.0]), Split::default());
    let mut head = Head::new(&[HeadLayer::Linear { out_features: 2, bias: true }], 2, 0);
    let (result, _) =
        run_collecting(&block(Loss::CrossEntropy, adam(), 1, 2), &WavyModel, &mut head, &mut [0.0; 3], &prepared);
    assert_eq!(result.expect_err("row 2 fails").to_string(), "test data, row 2: the feature is too large");
}

#[test]
fn params_that_do_not_fit_the_model_are_an_error() {
    let prepared = data(split(vec![vec![0.1, 0.2]], vec![0.0]), Split::default());
    let (result, _) =
        run_collecting(&block(Loss::Mse, adam(), 1, 1), &WavyModel, &mut Head::identity(2), &mut [0.0; 2], &prepared);
    assert_eq!(result.expect_err("too few params").to_string(), "the circuit params: expected 3, found 2");
}

#[test]
fn a_diverging_run_reports_a_non_finite_loss() {
    let prepared = data(split(vec![vec![1e200]], vec![0.0]), Split::default());
    let model = LinearModel { n_features: 1, n_outputs: 1 };
    let (result, _) =
        run_collecting(&block(Loss::Mse, adam(), 1, 1), &model, &mut Head::identity(1), &mut [1e200], &prepared);
    assert_eq!(
        result.expect_err("the loss overflows").to_string(),
        "the loss became inf in epoch 1, batch 1; a smaller learning rate or scaled features may help"
    );
}

#[test]
fn hinge_training_reports_sign_accuracy() {
    let features = vec![vec![1.0], vec![2.0], vec![-1.0], vec![-3.0]];
    let prepared =
        data(split(features.clone(), vec![1.0, 1.0, -1.0, -1.0]), split(features, vec![1.0, 1.0, -1.0, -1.0]));
    let model = LinearModel { n_features: 1, n_outputs: 1 };
    let mut params = vec![-0.5];
    let (result, reports) = run_collecting(
        &block(Loss::Hinge, OptimizerConfig::Sgd { lr: 0.5 }, 5, 4),
        &model,
        &mut Head::identity(1),
        &mut params,
        &prepared,
    );
    result.expect("training succeeds");
    assert_eq!(reports.last().and_then(|r| r.test_accuracy), Some(1.0));
    assert!(params[0] > 0.0);
}

#[test]
fn iris_prepared_and_trained_through_a_head_is_mostly_classified() {
    use crate::train::generate::iris;
    use crate::train::prepare::prepare;
    let mut settings = block(Loss::CrossEntropy, adam(), 40, 16);
    settings.features = Features::Scale(0.0, 1.0);
    settings.split = 0.8;
    settings.shuffle = true;
    let prepared = prepare(iris(), &settings, 4, 3).expect("iris fits a 4-input, 3-output model");
    assert_eq!((prepared.train.len(), prepared.test.len()), (120, 30));
    let model = LinearModel { n_features: 4, n_outputs: 2 };
    let mut head = Head::new(&[HeadLayer::Tanh, HeadLayer::Linear { out_features: 3, bias: true }], 2, settings.seed);
    let mut params = vec![0.1; 8];
    let (result, reports) = run_collecting(&settings, &model, &mut head, &mut params, &prepared);
    assert_eq!(result.expect("training succeeds").epochs_run, 40);
    let last = reports.last().expect("forty reports");
    assert!(last.train_loss < reports[0].train_loss);
    assert!(last.test_accuracy.is_some_and(|accuracy| accuracy >= 0.8), "{last:?}");
}

/// A model that runs row by row: the simulator's model without its batch engine.
struct OneRowAtATime<'m>(&'m crate::train::SimModel<'m>);

impl Model for OneRowAtATime<'_> {
    fn n_params(&self) -> usize {
        self.0.n_params()
    }

    fn n_outputs(&self) -> usize {
        self.0.n_outputs()
    }

    fn forward(&self, features: &[f64], params: &[f64], shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        self.0.forward(features, params, shot_seed)
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        self.0.forward_with_jacobian(features, params, shot_seed)
    }

    fn forward_with_vjp(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
        cotangent: &mut CotangentFn<'_>,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        self.0.forward_with_vjp(features, params, shot_seed, cotangent)
    }
}

#[test]
fn the_simulators_batch_engine_trains_as_row_by_row_and_alike_on_any_thread_count() {
    let text = "qubits 2\ninput x[2]\nparam w[2, 2, 3]\ncircuit {\n    angle_embedding(x, rotation = Y)\n    strongly_entangling_layers(w)\n    ctrl(0) { rx(w[0, 1, 2] * x[1]) 1 }\n}\nmeasure expval(Z(0))\nmeasure expval(Z(1) + 0.5 * X(0) @ Y(1))\n";
    let circuit = crate::check::compile(text).circuit.expect("the model compiles");
    let model =
        crate::train::SimModel::new(&circuit, GradientMethod::Adjoint, None, 2, crate::sim::MemoryBudget::default());
    assert!(model.batch_lanes() > 1, "the batch engine runs this model");
    let (prepared, head, _) = classification_setup();
    let initial: Vec<f64> = (0..circuit.n_params()).map(|idx| 0.3 - 0.07 * idx as f64).collect();
    let mut settings = block(Loss::CrossEntropy, adam(), 3, 7);
    settings.shuffle = true;
    let run_on = |model: &dyn Model, n_threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n_threads).build().expect("a thread pool");
        pool.install(|| {
            let mut head = head.clone();
            let mut params = initial.clone();
            let (result, mut reports) = run_collecting(&settings, model, &mut head, &mut params, &prepared);
            result.expect("training succeeds");
            for report in &mut reports {
                report.seconds = 0.0;
            }
            (reports, params, head.params)
        })
    };
    let batched = run_on(&model, 1);
    assert_eq!(batched, run_on(&model, 3), "bit-identical on 1 and 3 threads");
    let row_by_row = run_on(&OneRowAtATime(&model), 2);
    for (a, b) in batched.0.iter().zip(&row_by_row.0) {
        assert!((a.train_loss - b.train_loss).abs() < 1e-12, "{a:?} vs {b:?}");
        assert!((a.test_loss.unwrap_or(0.0) - b.test_loss.unwrap_or(0.0)).abs() < 1e-12, "{a:?} vs {b:?}");
        assert_eq!(a.train_accuracy, b.train_accuracy);
    }
    for (a, b) in batched.1.iter().chain(&batched.2).zip(row_by_row.1.iter().chain(&row_by_row.2)) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
}
