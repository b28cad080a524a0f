//! `qmlc specs`: what a model costs before it runs (the library's `specs`), and the one figure
//! that needs a clock: each train block's estimated time per epoch, from timed gradients.

use super::model::{load_as_written, CliError};
use super::train::load_dataset;
use super::{Format, EXIT_INPUT, EXIT_OK};
use qmlc::grad::{self, GradOptions};
use qmlc::ir::Circuit;
use qmlc::sim::Shots;
use qmlc::specs::{specs, TrainSpecs};
use std::path::Path;
use std::time::{Duration, Instant};

/// The largest state (in bytes) whose gradient `specs` times; a larger model gets no estimate
/// rather than a long wait.
const TIMED_STATE_LIMIT: u128 = 1 << 28;
/// How long the timing of one block's gradient runs at most.
const TIMING_BUDGET: Duration = Duration::from_millis(200);

pub fn run(file: &Path, format: Format) -> u8 {
    let circuit = match load_as_written(file, true) {
        Ok(model) => model.circuit,
        Err(status) => return status,
    };
    let mut specs = specs(&circuit);
    let (optimized, _) = qmlc::opt::optimize(&circuit);
    for (block, train) in circuit.train.iter().zip(specs.train.iter_mut()) {
        if let (None, Some(source)) = (train.samples, &block.data) {
            match load_dataset(source, block.seed, file) {
                Ok(dataset) => train.set_samples(dataset.n_rows(), block.split),
                Err(error) => {
                    error.report();
                    return EXIT_INPUT;
                }
            }
        }
        if let Err(error) = estimate_epoch(&optimized, block, train, specs.state_bytes) {
            error.report();
            return EXIT_INPUT;
        }
    }
    match format {
        Format::Json => {
            let mut object = serde_json::to_value(&specs).unwrap_or_default();
            object["file"] = serde_json::Value::from(file.display().to_string());
            println!("{object}");
        }
        Format::Human => print!("{}", specs.human(&file.display().to_string())),
    }
    EXIT_OK
}

/// Times gradients of the block's method at the initial params and zero inputs, and multiplies
/// by the training rows. The head's share is left out: it is small beside the circuit's.
fn estimate_epoch(
    circuit: &Circuit,
    block: &qmlc::ir::TrainBlock,
    train: &mut TrainSpecs,
    state_bytes: u128,
) -> Result<(), CliError> {
    let Some(rows) = train.train_samples else { return Ok(()) };
    if state_bytes > TIMED_STATE_LIMIT || circuit.measurements.iter().any(|m| m.n_outputs().is_none()) {
        return Ok(());
    }
    let params = qmlc::params::initial_values(circuit, block.seed);
    let inputs = vec![0.0; circuit.n_inputs()];
    let shots = block.shots.map(|count| Shots { count, seed: block.seed });
    let started = Instant::now();
    let mut runs = 0u32;
    while runs == 0 || (started.elapsed() < TIMING_BUDGET && runs < 1000) {
        grad::jacobian_with_options(circuit, &inputs, &params, block.gradient, shots, GradOptions::default())
            .map_err(|error| CliError::new(qmlc::codes::Code::E0901, error.to_string()))?;
        runs += 1;
    }
    let per_gradient = started.elapsed().as_secs_f64() / f64::from(runs);
    train.seconds_per_epoch = Some(per_gradient * rows as f64);
    Ok(())
}
