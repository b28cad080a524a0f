//! The training loop: epochs of shuffled mini-batches, the gradient chained from the loss through
//! the head into the circuit (a vector-Jacobian product), per-epoch reports, early stopping and interruption.
//!
//! The loop is generic over [`Model`], so it runs against the simulator
//! ([`crate::train::SimModel`]) and against small closed-form models in tests. The samples of a
//! batch are evaluated in parallel with rayon and combined in row order, so a run gives
//! bit-identical numbers on any number of threads.

use crate::codes::Code;
use crate::ir::{Loss, TrainBlock};
use crate::train::head::Head;
use crate::train::loss::{is_correct, sample_loss};
use crate::train::optim::{minimize_cobyla, scheduled_learning_rate, CobylaEnd, CobylaStep, Optimizer};
use crate::train::prepare::{PreparedData, Split};
use crate::train::{rng_for, shot_seed, Stream};
use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A differentiable model of the measured outputs: the compiled circuit, or a stand-in in tests.
pub trait Model: Sync {
    /// The number of circuit params.
    fn n_params(&self) -> usize;
    /// The number of measured outputs (before the head).
    fn n_outputs(&self) -> usize;
    /// How many derivatives with respect to the features follow those with respect to the params
    /// in a vector-Jacobian product (and in a Jacobian's rows): the features' count for a model
    /// whose inputs an `encode` stack computes, zero otherwise (the default).
    fn n_input_gradients(&self) -> usize {
        0
    }
    /// The measured outputs for one sample. `shot_seed` seeds shot sampling for this evaluation
    /// alone; an exact model ignores it.
    fn forward(&self, features: &[f64], params: &[f64], shot_seed: u64) -> Result<Vec<f64>, ModelError>;
    /// The measured outputs and their Jacobian with respect to the params, `n_outputs × n_params`
    /// row-major: entry `output_idx * n_params + param_idx`.
    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError>;
    /// The measured outputs y and the vector-Jacobian product cᵀ (dy/dparams) (`n_params`
    /// entries), where `cotangent` gives c (one weight per output) from y: the training loop's
    /// loss gradient carried back through the head. Calls `cotangent` exactly once.
    ///
    /// By default the product is taken from [`Model::forward_with_jacobian`]'s Jacobian, rows in
    /// output order, rows of zero weight skipped; a model that can run the product directly (the
    /// simulator's adjoint method: one forward pass and one backward sweep) overrides it.
    fn forward_with_vjp(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
        cotangent: &mut CotangentFn<'_>,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let (outputs, jacobian) = self.forward_with_jacobian(features, params, shot_seed)?;
        let n_params = self.n_params() + self.n_input_gradients();
        if jacobian.len() != outputs.len() * n_params {
            return Err(ModelError {
                code: Some(Code::E0908),
                message: format!(
                    "the Jacobian's entries: expected {}, found {}",
                    outputs.len() * n_params,
                    jacobian.len()
                ),
                span: None,
            });
        }
        let weights = cotangent(&outputs)?;
        Ok((outputs, crate::grad::vector_jacobian_product(&weights, &jacobian, n_params)))
    }
    /// The metric tensor of the circuit's state with respect to its params at `params`,
    /// `n_params × n_params` row-major, for `qng`. By default the model has none.
    fn metric_tensor(
        &self,
        features: &[f64],
        params: &[f64],
        approx: crate::ir::MetricApprox,
    ) -> Result<Vec<f64>, ModelError> {
        let _ = (features, params, approx);
        Err(ModelError {
            code: None,
            message: "this model has no metric tensor, which `qng` needs".to_string(),
            span: None,
        })
    }

    /// The ranges of params that form one declaration each (PennyLane's QNode arguments, whose
    /// metric tensors `qng` treats apart). One range of every param by default.
    fn param_blocks(&self) -> Vec<Range<usize>> {
        std::iter::once(0..self.n_params()).collect()
    }

    /// How many rows [`Model::forward_batch`] and [`Model::forward_with_vjp_batch`] take at
    /// once to best effect: the training loop hands them chunks of at most this many rows (and
    /// splits a batch into at least as many chunks as there are threads). One by default: a model
    /// without a batch engine evaluates row by row.
    fn batch_lanes(&self) -> usize {
        1
    }

    /// The fewest rows worth a thread of their own: a batch is split over the threads only into
    /// chunks of at least this many rows (fewer rows than that run on the calling thread), so
    /// that small circuits do not spend more on waking threads than on the work. One by default.
    fn min_chunk_rows(&self) -> usize {
        1
    }

    /// The measured outputs of several rows, one result per row in order. By default row by row
    /// with [`Model::forward`]; a model that runs many rows at once (the simulator's batch
    /// engine) overrides it. A row's result must not depend on the other rows of the call.
    fn forward_batch(&self, rows: &[BatchRow<'_>], params: &[f64]) -> Vec<Result<Vec<f64>, ModelError>> {
        rows.iter().map(|row| self.forward(row.features, params, row.shot_seed)).collect()
    }

    /// [`Model::forward_with_vjp`] for several rows, one result per row in order:
    /// `cotangent(position, outputs)` gives the weights of the row at `position` in `rows`, and
    /// is called exactly once for each row that gets as far as its outputs. By default row by row.
    fn forward_with_vjp_batch(
        &self,
        rows: &[BatchRow<'_>],
        params: &[f64],
        cotangent: &mut BatchCotangentFn<'_>,
    ) -> Vec<RowVjp> {
        rows.iter()
            .enumerate()
            .map(|(position, row)| {
                self.forward_with_vjp(row.features, params, row.shot_seed, &mut |measured| {
                    cotangent(position, measured)
                })
            })
            .collect()
    }
}

/// One row of a batch as a model evaluates it: its features and the seed of its shot sampling.
#[derive(Clone, Copy, Debug)]
pub struct BatchRow<'r> {
    pub features: &'r [f64],
    pub shot_seed: u64,
}

/// One row's measured outputs and vector-Jacobian product, or why the model failed on it.
pub type RowVjp = Result<(Vec<f64>, Vec<f64>), ModelError>;

/// The function [`Model::forward_with_vjp_batch`] asks for a row's cotangent: the row's position
/// in the batch and its outputs in, one weight per output out.
pub type BatchCotangentFn<'a> = dyn FnMut(usize, &[f64]) -> Result<Vec<f64>, ModelError> + 'a;

/// The function [`Model::forward_with_vjp`] asks for the cotangent of the measured outputs: the
/// outputs in, one weight per output out.
pub type CotangentFn<'a> = dyn FnMut(&[f64]) -> Result<Vec<f64>, ModelError> + 'a;

/// Why a model could not be evaluated on a row: the message and the diagnostic code of the
/// run-time series the failure belongs to (E0903 for amplitudes an embedding cannot prepare, …),
/// if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelError {
    pub code: Option<Code>,
    pub message: String,
    /// The operation of the model's source the failure points at (a gate whose angle is not
    /// finite), so the error can be shown on its line.
    pub span: Option<crate::source::Span>,
}

/// What an observer tells the loop after an epoch's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

/// The metrics of one epoch, as `train --format json` prints them a line each.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochReport {
    /// 1-based.
    pub epoch: usize,
    /// The mean of the epoch's batch losses, each taken before that batch's update.
    pub train_loss: f64,
    /// The loss over the test split after the epoch, if there is a test split.
    pub test_loss: Option<f64>,
    /// The share of training rows classified correctly after the epoch (classification losses only).
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
    /// The epoch's wall-clock time.
    pub seconds: f64,
}

/// Why training ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Every epoch ran.
    Completed,
    /// The test loss (the training loss without a test split) did not improve for `patience` epochs.
    Patience,
    /// The observer returned [`Control::Stop`].
    Observer,
    /// The stop flag was raised; the loop stopped after the batch it was in.
    Interrupted,
    /// COBYLA converged: its trust region shrank to its final radius before the last epoch.
    Converged,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSummary {
    /// Epochs completed and reported (an interrupted epoch does not count).
    pub epochs_run: usize,
    /// Optimizer steps taken, one per batch.
    pub steps: u64,
    pub stop_reason: StopReason,
    /// The last epoch's report, if an epoch completed.
    pub last: Option<EpochReport>,
}

/// What can go wrong while training.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The model failed on a row (for instance, an amplitude embedding of a row whose norm is not 1).
    Model { location: String, code: Option<Code>, message: String, span: Option<crate::source::Span> },
    /// The model returned a vector of the wrong length, or the params do not fit the model.
    Shape { what: String, expected: usize, found: usize },
    /// A batch's loss was NaN or infinite.
    NonFiniteLoss { epoch: usize, batch: usize, value: f64 },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Model { location, message, .. } => write!(f, "{location}: {message}"),
            TrainError::Shape { what, expected, found } => write!(f, "{what}: expected {expected}, found {found}"),
            TrainError::NonFiniteLoss { epoch, batch, value } => write!(
                f,
                "the loss became {value} in epoch {epoch}, batch {batch}; a smaller learning rate or scaled features may help"
            ),
        }
    }
}

impl TrainError {
    /// The diagnostic code of the error: the model's own for a row it failed on (if it has one),
    /// E0908 for params that do not fit the model, E0906 for a loss that is not a finite number.
    pub fn code(&self) -> Option<Code> {
        match self {
            TrainError::Model { code, .. } => *code,
            TrainError::Shape { .. } => Some(Code::E0908),
            TrainError::NonFiniteLoss { .. } => Some(Code::E0906),
        }
    }
}

impl TrainError {
    /// The operation of the model's source the error points at, if any.
    pub fn span(&self) -> Option<crate::source::Span> {
        match self {
            TrainError::Model { span, .. } => *span,
            TrainError::Shape { .. } | TrainError::NonFiniteLoss { .. } => None,
        }
    }
}

impl std::error::Error for TrainError {}

/// What ends a run once an epoch is reported, checked in this order: the observer asking to stop,
/// an interruption (when the caller passes its `stop` flag here rather than checking it per
/// batch), or `patience` epochs without `watched` improving. The data loop, COBYLA and the
/// objectives share it.
pub(crate) fn stop_after_epoch(
    report: &EpochReport,
    observer: &mut dyn FnMut(&EpochReport) -> Control,
    stop: Option<&AtomicBool>,
    patience: Option<usize>,
    watch: &mut PatienceWatch,
    watched: f64,
) -> Option<StopReason> {
    if observer(report) == Control::Stop {
        Some(StopReason::Observer)
    } else if stop.is_some_and(|stop| stop.load(Ordering::Relaxed)) {
        Some(StopReason::Interrupted)
    } else if patience.is_some_and(|patience| watch.run_out(watched, patience)) {
        Some(StopReason::Patience)
    } else {
        None
    }
}

/// Early stopping by `patience`: the best value watched so far (lower is better) and how many
/// epochs have passed since it improved. The data loop, COBYLA and the objectives share it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PatienceWatch {
    best: f64,
    epochs_since_best: usize,
}

impl PatienceWatch {
    pub(crate) fn new() -> PatienceWatch {
        PatienceWatch { best: f64::INFINITY, epochs_since_best: 0 }
    }

    /// Records an epoch's watched value; whether `patience` epochs in a row have now passed
    /// without an improvement.
    pub(crate) fn run_out(&mut self, watched: f64, patience: usize) -> bool {
        if watched < self.best {
            self.best = watched;
            self.epochs_since_best = 0;
            false
        } else {
            self.epochs_since_best += 1;
            self.epochs_since_best >= patience
        }
    }
}

/// Trains the circuit params `params` and the head's params together, as the block says.
///
/// The optimizer steps on the circuit params followed by the head's. After every epoch the
/// observer receives its report and may stop the run; `stop` is checked after every batch (set it
/// from a Ctrl-C handler). `params` and `head.params` hold the trained values when this returns,
/// also after an error or an interruption.
pub fn train(
    block: &TrainBlock,
    model: &dyn Model,
    head: &mut Head,
    params: &mut [f64],
    data: &PreparedData,
    stop: &AtomicBool,
    observer: &mut dyn FnMut(&EpochReport) -> Control,
) -> Result<TrainSummary, TrainError> {
    check_shape("the circuit params", model.n_params(), params.len())?;
    check_shape("the head's inputs (the measured outputs)", model.n_outputs(), head.n_inputs())?;
    let n_circuit = params.len();
    let mut all_params: Vec<f64> = params.iter().chain(&head.params).copied().collect();
    let trainer = Trainer { model, head, loss: block.loss, n_circuit, seed: block.seed };
    let result = trainer.run(block, &mut all_params, data, stop, observer);
    params.copy_from_slice(&all_params[..n_circuit]);
    head.params.copy_from_slice(&all_params[n_circuit..]);
    result
}

pub(crate) fn check_shape(what: &str, expected: usize, found: usize) -> Result<(), TrainError> {
    if expected == found {
        Ok(())
    } else {
        Err(TrainError::Shape { what: what.to_string(), expected, found })
    }
}

/// Which evaluation a shot seed is for, so no two evaluations of a run share one.
#[derive(Clone, Copy)]
enum Phase {
    Gradient = 0,
    SpsaPlus = 1,
    SpsaMinus = 2,
    SpsaBefore = 3,
    EvaluateTrain = 4,
    EvaluateTest = 5,
}

/// Everything a batch evaluation needs, shared read-only between rayon's threads.
struct Trainer<'a> {
    model: &'a dyn Model,
    /// The head's layout; its params are the tail of the params being trained.
    head: &'a Head,
    loss: Loss,
    n_circuit: usize,
    seed: u64,
}

/// One sample's share of a batch.
struct SampleResult {
    loss: f64,
    gradient: Vec<f64>,
}

impl Trainer<'_> {
    fn run(
        &self,
        block: &TrainBlock,
        all_params: &mut [f64],
        data: &PreparedData,
        stop: &AtomicBool,
        observer: &mut dyn FnMut(&EpochReport) -> Control,
    ) -> Result<TrainSummary, TrainError> {
        if let crate::ir::Optimizer::Cobyla { rhobeg } = block.optimizer {
            return self.run_cobyla(block, rhobeg, all_params, data, stop, observer);
        }
        let batch_size = block.batch.max(1);
        let n_train = data.train.len();
        let batches_per_epoch = n_train.div_ceil(batch_size);
        let mut optimizer =
            Optimizer::new(block.optimizer, all_params.len(), block.seed, block.epochs * batches_per_epoch);
        let base_rate = optimizer.learning_rate();
        let mut shuffle_rng = rng_for(block.seed, Stream::Shuffle);
        let mut order: Vec<usize> = (0..n_train).collect();
        let mut watch = PatienceWatch::new();
        let mut summary = TrainSummary { epochs_run: 0, steps: 0, stop_reason: StopReason::Completed, last: None };

        for epoch in 1..=block.epochs {
            let started = Instant::now();
            if block.shuffle {
                order.shuffle(&mut shuffle_rng);
            }
            let mut loss_sum = 0.0;
            for (batch_idx, rows) in order.chunks(batch_size).enumerate() {
                let coordinates = [epoch as u64, batch_idx as u64];
                let batch_loss = if optimizer.is_gradient_free() {
                    let before = self.batch_loss(all_params, &data.train, rows, Phase::SpsaBefore, &coordinates)?;
                    let mut evaluation = 0;
                    optimizer.spsa_step(all_params, |trial| {
                        let phase = if evaluation == 0 { Phase::SpsaPlus } else { Phase::SpsaMinus };
                        evaluation += 1;
                        self.batch_loss(trial, &data.train, rows, phase, &coordinates)
                    })?;
                    before
                } else {
                    let (loss, gradient) = self.batch_gradient(all_params, &data.train, rows, &coordinates)?;
                    if loss.is_finite() {
                        optimizer.step(all_params, &gradient);
                    }
                    loss
                };
                if !batch_loss.is_finite() {
                    return Err(TrainError::NonFiniteLoss { epoch, batch: batch_idx + 1, value: batch_loss });
                }
                summary.steps += 1;
                loss_sum += batch_loss;
                if stop.load(Ordering::Relaxed) {
                    summary.stop_reason = StopReason::Interrupted;
                    return Ok(summary);
                }
            }

            if let (Some(schedule), Some(base)) = (block.schedule, base_rate) {
                optimizer.set_learning_rate(scheduled_learning_rate(schedule, base, epoch, block.epochs));
            }
            let classifies = self.loss.classifies();
            let train_accuracy =
                if classifies { self.evaluate(all_params, &data.train, Phase::EvaluateTrain, epoch)?.1 } else { None };
            let (test_loss, test_accuracy) = if data.test.is_empty() {
                (None, None)
            } else {
                let (loss, accuracy) = self.evaluate(all_params, &data.test, Phase::EvaluateTest, epoch)?;
                (Some(loss), accuracy)
            };
            let report = EpochReport {
                epoch,
                train_loss: if batches_per_epoch > 0 { loss_sum / batches_per_epoch as f64 } else { 0.0 },
                test_loss,
                train_accuracy,
                test_accuracy,
                seconds: started.elapsed().as_secs_f64(),
            };
            summary.epochs_run = epoch;
            summary.last = Some(report.clone());
            // `stop` is checked after every batch above.
            let watched = test_loss.unwrap_or(report.train_loss);
            if let Some(reason) = stop_after_epoch(&report, observer, None, block.patience, &mut watch, watched) {
                summary.stop_reason = reason;
                return Ok(summary);
            }
        }
        Ok(summary)
    }

    /// COBYLA on a data block: each epoch is one evaluation of the mean loss over every training
    /// row (a deterministic function, as COBYLA needs), with the test metrics at that point; the
    /// params end at the best point evaluated.
    fn run_cobyla(
        &self,
        block: &TrainBlock,
        rhobeg: f64,
        all_params: &mut [f64],
        data: &PreparedData,
        stop: &AtomicBool,
        observer: &mut dyn FnMut(&EpochReport) -> Control,
    ) -> Result<TrainSummary, TrainError> {
        let mut summary = TrainSummary { epochs_run: 0, steps: 0, stop_reason: StopReason::Completed, last: None };
        let rows: Vec<usize> = (0..data.train.len()).collect();
        let mut failure = None;
        let mut stop_reason = None;
        let mut watch = PatienceWatch::new();
        let start = all_params.to_vec();
        let evaluate = |point: &[f64], epoch: usize| -> Result<EpochReport, TrainError> {
            let started = Instant::now();
            let coordinates = [epoch as u64, 0];
            let loss = self.batch_loss(point, &data.train, &rows, Phase::Gradient, &coordinates)?;
            if !loss.is_finite() {
                return Err(TrainError::NonFiniteLoss { epoch, batch: 1, value: loss });
            }
            let train_accuracy = if self.loss != Loss::Mse {
                self.evaluate(point, &data.train, Phase::EvaluateTrain, epoch)?.1
            } else {
                None
            };
            let (test_loss, test_accuracy) = if data.test.is_empty() {
                (None, None)
            } else {
                let (loss, accuracy) = self.evaluate(point, &data.test, Phase::EvaluateTest, epoch)?;
                (Some(loss), accuracy)
            };
            Ok(EpochReport {
                epoch,
                train_loss: loss,
                test_loss,
                train_accuracy,
                test_accuracy,
                seconds: started.elapsed().as_secs_f64(),
            })
        };
        let (best, end) = minimize_cobyla(&start, rhobeg, block.epochs, |point| {
            let epoch = summary.epochs_run + 1;
            let report = match evaluate(point, epoch) {
                Ok(report) => report,
                Err(error) => {
                    failure = Some(error);
                    return (f64::INFINITY, CobylaStep::Stop);
                }
            };
            summary.steps += 1;
            summary.epochs_run = epoch;
            summary.last = Some(report.clone());
            let watched = report.test_loss.unwrap_or(report.train_loss);
            stop_reason = stop_after_epoch(&report, observer, Some(stop), block.patience, &mut watch, watched);
            (report.train_loss, if stop_reason.is_some() { CobylaStep::Stop } else { CobylaStep::Continue })
        });
        all_params.copy_from_slice(&best);
        if let Some(error) = failure {
            return Err(error);
        }
        summary.stop_reason = match (stop_reason, end) {
            (Some(reason), _) => reason,
            (None, CobylaEnd::Converged) => StopReason::Converged,
            (None, _) => StopReason::Completed,
        };
        Ok(summary)
    }

    /// How many rows one chunk of a batch of `n_rows` takes: enough chunks for every thread (of
    /// at least the rows worth a thread), none longer than the model evaluates at once to best effect. Each row's result does not depend
    /// on the chunk it falls in, so the numbers do not depend on the thread count.
    fn chunk_len(&self, n_rows: usize) -> usize {
        let per_thread = n_rows.div_ceil(rayon::current_num_threads()).max(self.model.min_chunk_rows());
        per_thread.clamp(1, self.model.batch_lanes().max(1))
    }

    /// `evaluate(range)` on consecutive chunks of `0..n_rows` in parallel, the results in row order.
    fn in_chunks<T: Send>(&self, n_rows: usize, evaluate: impl Fn(Range<usize>) -> Vec<T> + Sync) -> Vec<T> {
        let chunk_len = self.chunk_len(n_rows);
        if n_rows <= chunk_len {
            // One chunk runs on this thread: handing it to the pool would only add a wake-up.
            return evaluate(0..n_rows);
        }
        let starts: Vec<usize> = (0..n_rows).step_by(chunk_len).collect();
        let parts: Vec<Vec<T>> =
            starts.par_iter().map(|&start| evaluate(start..(start + chunk_len).min(n_rows))).collect();
        parts.into_iter().flatten().collect()
    }

    /// The outputs of the whole model (circuit, then head) for the rows `rows` of `split`, each
    /// with its shot seed, without gradients.
    fn outputs(
        &self,
        all_params: &[f64],
        split: &Split,
        rows: &[usize],
        seeds: &[u64],
    ) -> Vec<Result<Vec<f64>, TrainError>> {
        let (circuit_params, head_params) = all_params.split_at(self.n_circuit);
        self.in_chunks(rows.len(), |range| {
            // The encode layers make each row into the circuit's inputs (a row passes as it is without them).
            let encoded: Vec<Option<Vec<f64>>> =
                range.clone().map(|position| self.encoded_row(head_params, &split.features[rows[position]])).collect();
            let batch: Vec<BatchRow<'_>> = range
                .clone()
                .zip(&encoded)
                .map(|(position, encoded)| BatchRow {
                    features: encoded.as_deref().unwrap_or(&split.features[rows[position]]),
                    shot_seed: seeds[position],
                })
                .collect();
            let mut results = self.model.forward_batch(&batch, circuit_params);
            if results.len() != batch.len() {
                let error = TrainError::Shape {
                    what: "the model's results for a batch".to_string(),
                    expected: batch.len(),
                    found: results.len(),
                };
                return vec![Err(error); batch.len()];
            }
            results
                .drain(..)
                .zip(range)
                .map(|(measured, position)| {
                    let measured = measured.map_err(|error| model_error(&split.locations[rows[position]], error))?;
                    check_shape("the measured outputs", self.model.n_outputs(), measured.len())?;
                    Ok(self.head.trace(head_params, &measured).outputs().to_vec())
                })
                .collect()
        })
    }

    /// A row made into the circuit's inputs by the encode layers, or `None` without them (the row
    /// is the inputs).
    fn encoded_row(&self, head_params: &[f64], features: &[f64]) -> Option<Vec<f64>> {
        (!self.head.encode().is_empty()).then(|| self.head.encode_trace(head_params, features).outputs().to_vec())
    }

    /// The mean loss of the rows `rows` of `split`, without gradients.
    fn batch_loss(
        &self,
        all_params: &[f64],
        split: &Split,
        rows: &[usize],
        phase: Phase,
        coordinates: &[u64; 2],
    ) -> Result<f64, TrainError> {
        let seeds: Vec<u64> = (0..rows.len())
            .map(|position| shot_seed(self.seed, &[phase as u64, coordinates[0], coordinates[1], position as u64]))
            .collect();
        let outputs = self.outputs(all_params, split, rows, &seeds);
        let mut sum = 0.0;
        for (outputs, &row_idx) in outputs.into_iter().zip(rows) {
            sum += sample_loss(self.loss, &outputs?, &split.targets[row_idx]).0;
        }
        Ok(sum / rows.len().max(1) as f64)
    }

    /// The mean loss of a batch and its gradient with respect to every param (circuit, then head).
    fn batch_gradient(
        &self,
        all_params: &[f64],
        split: &Split,
        rows: &[usize],
        coordinates: &[u64; 2],
    ) -> Result<(f64, Vec<f64>), TrainError> {
        let samples = self.in_chunks(rows.len(), |range| {
            self.chunk_gradient(all_params, split, &rows[range.clone()], range.start, coordinates)
        });
        // Summing in row order, whatever thread computed each sample, keeps results bit-identical.
        let mut loss_sum = 0.0;
        let mut gradient = vec![0.0; all_params.len()];
        for sample in samples {
            let sample = sample?;
            loss_sum += sample.loss;
            for (total, value) in gradient.iter_mut().zip(&sample.gradient) {
                *total += value;
            }
        }
        let scale = 1.0 / rows.len().max(1) as f64;
        for value in &mut gradient {
            *value *= scale;
        }
        Ok((loss_sum * scale, gradient))
    }

    /// The losses and gradients of the consecutive rows `chunk` of a batch (the first at
    /// `first_position` in the batch): the model runs forward, each row's loss gradient is carried
    /// back through the head to the measured outputs, and the model takes the vector-Jacobian
    /// products of those cotangents (without building Jacobians where its method allows).
    fn chunk_gradient(
        &self,
        all_params: &[f64],
        split: &Split,
        chunk: &[usize],
        first_position: usize,
        coordinates: &[u64; 2],
    ) -> Vec<Result<SampleResult, TrainError>> {
        let (circuit_params, head_params) = all_params.split_at(self.n_circuit);
        let n_measured = self.model.n_outputs();
        // With encode layers the model also gives the derivatives with respect to its inputs,
        // which are carried back through the layers' trace of each row.
        let encoding = !self.head.encode().is_empty();
        let n_input_gradients = if encoding { self.head.encode().n_outputs() } else { 0 };
        if self.model.n_input_gradients() != n_input_gradients {
            let error = TrainError::Shape {
                what: "the model's derivatives with respect to the encoded inputs".to_string(),
                expected: n_input_gradients,
                found: self.model.n_input_gradients(),
            };
            return (0..chunk.len()).map(|_| Err(error.clone())).collect();
        }
        let traces: Vec<Option<crate::train::LayersTrace>> = chunk
            .iter()
            .map(|&row_idx| encoding.then(|| self.head.encode_trace(head_params, &split.features[row_idx])))
            .collect();
        let batch: Vec<BatchRow<'_>> = chunk
            .iter()
            .zip(&traces)
            .enumerate()
            .map(|(offset, (&row_idx, trace))| {
                let position = (first_position + offset) as u64;
                let seed = shot_seed(self.seed, &[Phase::Gradient as u64, coordinates[0], coordinates[1], position]);
                let features = trace.as_ref().map_or(&split.features[row_idx][..], |trace| trace.outputs());
                BatchRow { features, shot_seed: seed }
            })
            .collect();
        // The cotangent function reports its own failures (a wrong number of measured outputs)
        // here, as the training errors they are, rather than as the model's.
        let mut shape_errors: Vec<Option<TrainError>> = vec![None; chunk.len()];
        let mut head_parts: Vec<Option<(f64, Vec<f64>)>> = vec![None; chunk.len()];
        let mut cotangent = |position: usize, measured: &[f64]| -> Result<Vec<f64>, ModelError> {
            let unknown = || ModelError {
                code: Some(Code::E0908),
                message: format!("the model asked for the cotangent of row {position} of a chunk of {}", chunk.len()),
                span: None,
            };
            let (Some(shape_error), Some(head_part)) = (shape_errors.get_mut(position), head_parts.get_mut(position))
            else {
                return Err(unknown());
            };
            if let Err(error) = check_shape("the measured outputs", n_measured, measured.len()) {
                let message = error.to_string();
                *shape_error = Some(error);
                return Err(ModelError { code: Some(Code::E0908), message, span: None });
            }
            let trace = self.head.trace(head_params, measured);
            let (loss, d_outputs) = sample_loss(self.loss, trace.outputs(), &split.targets[chunk[position]]);
            let (d_head, d_measured) = self.head.backward(head_params, &trace, &d_outputs);
            *head_part = Some((loss, d_head));
            Ok(d_measured)
        };
        let results = self.model.forward_with_vjp_batch(&batch, circuit_params, &mut cotangent);
        if results.len() != chunk.len() {
            let error = TrainError::Shape {
                what: "the model's results for a batch".to_string(),
                expected: chunk.len(),
                found: results.len(),
            };
            return (0..chunk.len()).map(|_| Err(error.clone())).collect();
        }
        results
            .into_iter()
            .zip(shape_errors)
            .zip(head_parts)
            .zip(chunk)
            .zip(&traces)
            .map(|((((result, shape_error), head_part), &row_idx), trace)| {
                let location = &split.locations[row_idx];
                if let Some(error) = shape_error {
                    return Err(error);
                }
                let (_, mut circuit_gradient) = result.map_err(|error| model_error(location, error))?;
                check_shape(
                    "the circuit gradient's entries",
                    self.n_circuit + n_input_gradients,
                    circuit_gradient.len(),
                )?;
                let d_inputs = circuit_gradient.split_off(self.n_circuit);
                let Some((loss, mut d_head)) = head_part else {
                    return Err(TrainError::Model {
                        location: location.to_string(),
                        code: None,
                        message: "the model gave a gradient without asking for the loss's cotangent".to_string(),
                        span: None,
                    });
                };
                if let Some(trace) = trace {
                    self.head.encode_backward(head_params, trace, &d_inputs, &mut d_head);
                }
                let mut gradient = circuit_gradient;
                gradient.extend_from_slice(&d_head);
                Ok(SampleResult { loss, gradient })
            })
            .collect()
    }

    /// The mean loss over a whole split and, for classification losses, its accuracy.
    fn evaluate(
        &self,
        all_params: &[f64],
        split: &Split,
        phase: Phase,
        epoch: usize,
    ) -> Result<(f64, Option<f64>), TrainError> {
        let rows: Vec<usize> = (0..split.len()).collect();
        let seeds: Vec<u64> =
            rows.iter().map(|&row_idx| shot_seed(self.seed, &[phase as u64, epoch as u64, row_idx as u64])).collect();
        let outputs = self.outputs(all_params, split, &rows, &seeds);
        let mut loss_sum = 0.0;
        let mut n_correct = 0usize;
        let mut classifies = false;
        for (outputs, row_idx) in outputs.into_iter().zip(rows) {
            let outputs = outputs?;
            let target = &split.targets[row_idx];
            loss_sum += sample_loss(self.loss, &outputs, target).0;
            if let Some(correct) = is_correct(self.loss, &outputs, target) {
                classifies = true;
                n_correct += usize::from(correct);
            }
        }
        let n_rows = split.len().max(1) as f64;
        Ok((loss_sum / n_rows, classifies.then(|| n_correct as f64 / n_rows)))
    }
}

/// A model's failure on a row as the training loop reports it.
fn model_error(location: &str, error: ModelError) -> TrainError {
    TrainError::Model { location: location.to_string(), code: error.code, message: error.message, span: error.span }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
