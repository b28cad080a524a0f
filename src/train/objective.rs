//! Training an objective without data (`minimize` / `maximize`, LANGUAGE.md §10.1): an epoch is
//! one optimizer step on the model's single output, evaluated with no features.
//!
//! The output is stepped on as it is for `minimize` and negated for `maximize`; reports carry it
//! as it is (`train_loss` is the objective before the epoch's step). Every evaluation draws its
//! shot seed from its place in the run (epoch and evaluation), so runs repeat on any thread count.

use crate::ir::{Objective, Optimizer as OptimizerConfig, TrainBlock};
use crate::train::head::Head;
use crate::train::optim::{
    minimize_cobyla, rotosolve_sweep, scheduled_learning_rate, CobylaEnd, CobylaStep, Optimizer,
};
use crate::train::run::{
    check_shape, stop_after_epoch, Control, EpochReport, Model, ModelError, PatienceWatch, StopReason, TrainError,
    TrainSummary,
};
use crate::train::shot_seed;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Which evaluation a shot seed is for (numbered apart from the data loop's phases).
#[derive(Clone, Copy)]
enum Phase {
    Gradient = 16,
    SpsaBefore = 17,
    SpsaPlus = 18,
    SpsaMinus = 19,
    Rotosolve = 20,
    Cobyla = 21,
}

/// Trains the circuit params `params` and the head's params on the block's objective. After
/// every epoch the observer receives its report (`train_loss` holding the objective) and may stop
/// the run; `stop` is checked after every epoch. The params hold the trained values when this
/// returns, also after an error or an interruption.
pub fn train_objective(
    block: &TrainBlock,
    model: &dyn Model,
    head: &mut Head,
    params: &mut [f64],
    stop: &AtomicBool,
    observer: &mut dyn FnMut(&EpochReport) -> Control,
) -> Result<TrainSummary, TrainError> {
    check_shape("the circuit params", model.n_params(), params.len())?;
    check_shape("the head's inputs (the measured outputs)", model.n_outputs(), head.n_inputs())?;
    check_shape("the model's outputs (an objective needs one)", 1, head.n_outputs())?;
    let n_circuit = params.len();
    let mut all_params: Vec<f64> = params.iter().chain(&head.params).copied().collect();
    let sign = match block.objective {
        Some(Objective::Maximize) => -1.0,
        _ => 1.0,
    };
    let trainer = ObjectiveTrainer { model, head, n_circuit, seed: block.seed, sign };
    let result = trainer.run(block, &mut all_params, stop, observer);
    params.copy_from_slice(&all_params[..n_circuit]);
    head.params.copy_from_slice(&all_params[n_circuit..]);
    result
}

fn model_error(error: ModelError) -> TrainError {
    TrainError::Model {
        location: "the objective".to_string(),
        code: error.code,
        message: error.message,
        span: error.span,
    }
}

struct ObjectiveTrainer<'a> {
    model: &'a dyn Model,
    head: &'a Head,
    n_circuit: usize,
    seed: u64,
    /// 1 to minimize, −1 to maximize: the optimizers minimize sign · output.
    sign: f64,
}

impl ObjectiveTrainer<'_> {
    /// The objective (the model's single output, as it is) at `all_params`.
    fn value(&self, all_params: &[f64], shot_seed: u64) -> Result<f64, TrainError> {
        let (circuit_params, head_params) = all_params.split_at(self.n_circuit);
        let measured = self.model.forward(&[], circuit_params, shot_seed).map_err(model_error)?;
        check_shape("the measured outputs", self.model.n_outputs(), measured.len())?;
        Ok(self.head.trace(head_params, &measured).outputs()[0])
    }

    /// The objective and its gradient with respect to every param (circuit, then head).
    fn value_and_gradient(&self, all_params: &[f64], shot_seed: u64) -> Result<(f64, Vec<f64>), TrainError> {
        let (circuit_params, head_params) = all_params.split_at(self.n_circuit);
        let n_measured = self.model.n_outputs();
        let mut head_part: Option<(f64, Vec<f64>)> = None;
        let mut cotangent = |measured: &[f64]| -> Result<Vec<f64>, ModelError> {
            if measured.len() != n_measured {
                return Err(ModelError {
                    code: Some(crate::codes::Code::E0908),
                    message: format!("the measured outputs: expected {n_measured}, found {}", measured.len()),
                    span: None,
                });
            }
            let trace = self.head.trace(head_params, measured);
            let (d_head, d_measured) = self.head.backward(head_params, &trace, &[1.0]);
            head_part = Some((trace.outputs()[0], d_head));
            Ok(d_measured)
        };
        let (_, circuit_gradient) =
            self.model.forward_with_vjp(&[], circuit_params, shot_seed, &mut cotangent).map_err(model_error)?;
        check_shape("the circuit gradient's entries", self.n_circuit, circuit_gradient.len())?;
        let Some((value, d_head)) = head_part else {
            return Err(TrainError::Model {
                location: "the objective".to_string(),
                code: None,
                message: "the model gave a gradient without asking for the objective's cotangent".to_string(),
                span: None,
            });
        };
        let mut gradient = circuit_gradient;
        gradient.extend_from_slice(&d_head);
        Ok((value, gradient))
    }

    fn seed_for(&self, phase: Phase, epoch: usize, evaluation: usize) -> u64 {
        shot_seed(self.seed, &[phase as u64, epoch as u64, evaluation as u64])
    }

    fn run(
        &self,
        block: &TrainBlock,
        all_params: &mut [f64],
        stop: &AtomicBool,
        observer: &mut dyn FnMut(&EpochReport) -> Control,
    ) -> Result<TrainSummary, TrainError> {
        if let OptimizerConfig::Cobyla { rhobeg } = block.optimizer {
            return self.run_cobyla(block, rhobeg, all_params, stop, observer);
        }
        let mut optimizer = Optimizer::new(block.optimizer, all_params.len(), block.seed, block.epochs);
        let base_rate = optimizer.learning_rate();
        let mut summary = TrainSummary { epochs_run: 0, steps: 0, stop_reason: StopReason::Completed, last: None };
        let mut watch = PatienceWatch::new();
        for epoch in 1..=block.epochs {
            let started = Instant::now();
            let value = self.step(&mut optimizer, block, all_params, epoch)?;
            if !value.is_finite() {
                return Err(TrainError::NonFiniteLoss { epoch, batch: 1, value });
            }
            summary.steps += 1;
            if let (Some(schedule), Some(base)) = (block.schedule, base_rate) {
                optimizer.set_learning_rate(scheduled_learning_rate(schedule, base, epoch, block.epochs));
            }
            let report = EpochReport {
                epoch,
                train_loss: value,
                test_loss: None,
                train_accuracy: None,
                test_accuracy: None,
                seconds: started.elapsed().as_secs_f64(),
            };
            summary.epochs_run = epoch;
            summary.last = Some(report.clone());
            // The objective improves downwards for `minimize`, upwards for `maximize`.
            let watched = self.sign * value;
            if let Some(reason) = stop_after_epoch(&report, observer, Some(stop), block.patience, &mut watch, watched) {
                summary.stop_reason = reason;
                return Ok(summary);
            }
        }
        Ok(summary)
    }

    /// One epoch's step; returns the objective before it.
    fn step(
        &self,
        optimizer: &mut Optimizer,
        block: &TrainBlock,
        all_params: &mut [f64],
        epoch: usize,
    ) -> Result<f64, TrainError> {
        let sign = self.sign;
        match block.optimizer {
            OptimizerConfig::Spsa { .. } => {
                let before = self.value(all_params, self.seed_for(Phase::SpsaBefore, epoch, 0))?;
                let mut evaluation = 0;
                optimizer.spsa_step(all_params, |trial| {
                    let phase = if evaluation == 0 { Phase::SpsaPlus } else { Phase::SpsaMinus };
                    evaluation += 1;
                    Ok::<f64, TrainError>(sign * self.value(trial, self.seed_for(phase, epoch, 0))?)
                })?;
                Ok(before)
            }
            OptimizerConfig::Rotosolve => {
                let mut evaluation = 0;
                let before = rotosolve_sweep(all_params, self.n_circuit, |trial| {
                    evaluation += 1;
                    Ok::<f64, TrainError>(sign * self.value(trial, self.seed_for(Phase::Rotosolve, epoch, evaluation))?)
                })?;
                Ok(sign * before)
            }
            OptimizerConfig::Qng { approx, .. } => {
                let (value, gradient) =
                    self.value_and_gradient(all_params, self.seed_for(Phase::Gradient, epoch, 0))?;
                if value.is_finite() {
                    let metric =
                        self.model.metric_tensor(&[], &all_params[..self.n_circuit], approx).map_err(model_error)?;
                    check_shape("the metric tensor's entries", self.n_circuit * self.n_circuit, metric.len())?;
                    let gradient: Vec<f64> = gradient.iter().map(|g| sign * g).collect();
                    let blocks = self.model.param_blocks();
                    optimizer.qng_step(
                        &mut all_params[..self.n_circuit],
                        &gradient[..self.n_circuit],
                        &metric,
                        &blocks,
                    );
                }
                Ok(value)
            }
            _ => {
                let (value, gradient) =
                    self.value_and_gradient(all_params, self.seed_for(Phase::Gradient, epoch, 0))?;
                if value.is_finite() {
                    let gradient: Vec<f64> = gradient.iter().map(|g| sign * g).collect();
                    optimizer.step(all_params, &gradient);
                }
                Ok(value)
            }
        }
    }

    /// COBYLA: each evaluation is an epoch, reported as it is made; the params end at the best
    /// point evaluated. The run ends early when COBYLA converges ([`StopReason::Converged`]).
    fn run_cobyla(
        &self,
        block: &TrainBlock,
        rhobeg: f64,
        all_params: &mut [f64],
        stop: &AtomicBool,
        observer: &mut dyn FnMut(&EpochReport) -> Control,
    ) -> Result<TrainSummary, TrainError> {
        let mut summary = TrainSummary { epochs_run: 0, steps: 0, stop_reason: StopReason::Completed, last: None };
        let mut failure: Option<TrainError> = None;
        let mut stop_reason = None;
        let mut watch = PatienceWatch::new();
        let start = all_params.to_vec();
        let (best_params, end) = minimize_cobyla(&start, rhobeg, block.epochs, |point| {
            let epoch = summary.epochs_run + 1;
            let started = Instant::now();
            let value = match self.value(point, self.seed_for(Phase::Cobyla, epoch, 0)) {
                Ok(value) if value.is_finite() => value,
                Ok(value) => {
                    failure = Some(TrainError::NonFiniteLoss { epoch, batch: 1, value });
                    return (f64::INFINITY, CobylaStep::Stop);
                }
                Err(error) => {
                    failure = Some(error);
                    return (f64::INFINITY, CobylaStep::Stop);
                }
            };
            summary.steps += 1;
            let report = EpochReport {
                epoch,
                train_loss: value,
                test_loss: None,
                train_accuracy: None,
                test_accuracy: None,
                seconds: started.elapsed().as_secs_f64(),
            };
            summary.epochs_run = epoch;
            summary.last = Some(report.clone());
            stop_reason =
                stop_after_epoch(&report, observer, Some(stop), block.patience, &mut watch, self.sign * value);
            let step = if stop_reason.is_some() { CobylaStep::Stop } else { CobylaStep::Continue };
            (self.sign * value, step)
        });
        all_params.copy_from_slice(&best_params);
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
}

#[cfg(test)]
#[path = "objective_tests.rs"]
mod tests;
