//! `qmlc specs`: what a model costs before it runs (the library's `specs`), and the one figure
//! that needs a clock: each train block's estimated time per epoch, from timed gradients.

use super::model::{load_as_written, CliError};
use super::train::load_dataset;
use super::{Format, EXIT_INPUT, EXIT_OK};
use qmlc::grad::{self, GradOptions};
use qmlc::ir::Circuit;
use qmlc::sim::Shots;
use qmlc::specs::{specs, Specs, TrainSpecs};
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
        if train.samples.is_none() {
            match load_dataset(block, file) {
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
        Format::Human => print!("{}", human(&file.display().to_string(), &specs)),
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

/// The human table.
fn human(file: &str, specs: &Specs) -> String {
    let mut out = format!("{file}\n");
    let mut line = |label: &str, value: String| out.push_str(&format!("  {label:<16}{value}\n"));
    line("qubits", specs.qubits.to_string());
    line("inputs", specs.inputs.to_string());
    line("params", format!("{} ({} trainable gate angles)", specs.params, specs.trainable_angles));
    line(
        "operations",
        format!("{} as written, {} after optimization", specs.before.operations, specs.after.operations),
    );
    line("depth", format!("{} as written, {} after optimization", specs.before.depth, specs.after.depth));
    let optimization = specs.optimization;
    if optimization.dropped + optimization.cancelled + optimization.merged > 0 {
        line(
            "optimization",
            format!(
                "{} dropped, {} cancelled, {} merged",
                optimization.dropped, optimization.cancelled, optimization.merged
            ),
        );
    }
    let mut names: Vec<&String> = specs.before.gates.keys().chain(specs.after.gates.keys()).collect();
    names.sort();
    names.dedup();
    let gates: Vec<String> = names
        .iter()
        .map(|name| {
            let before = specs.before.gates.get(*name).copied().unwrap_or(0);
            let after = specs.after.gates.get(*name).copied().unwrap_or(0);
            if before == after {
                format!("{name} {before}")
            } else {
                format!("{name} {before} → {after}")
            }
        })
        .collect();
    line("gates", if gates.is_empty() { "none".to_string() } else { gates.join(", ") });
    let outputs = specs.outputs.map_or("samples".to_string(), |n| plural(n, "output"));
    line("measurements", format!("{} ({outputs})", specs.measurements.join(", ")));
    for (index, cost) in specs.gradients.iter().enumerate() {
        let label = if index == 0 { "per gradient" } else { "" };
        let mut value = match cost.backward_sweeps {
            0 => format!("{:<16}{}", cost.method, plural(cost.executions, "circuit execution")),
            sweeps => format!(
                "{:<16}{} + {}",
                cost.method,
                plural(cost.executions, "circuit execution"),
                plural(sweeps, "backward sweep")
            ),
        };
        if let Some(why) = &cost.unavailable {
            value = format!("{:<16}unavailable: {why}", cost.method);
        } else if cost.method == specs.auto_method {
            value.push_str("  (auto)");
        }
        line(label, value);
    }
    line("state memory", bytes(specs.state_bytes));
    for (index, train) in specs.train.iter().enumerate() {
        let name = train.name.as_ref().map_or(format!("train block {}", index + 1), |name| format!("train {name}"));
        out.push_str(&format!("{name}\n"));
        let mut line = |label: &str, value: String| out.push_str(&format!("  {label:<16}{value}\n"));
        let rows = match (train.samples, train.train_samples) {
            (Some(samples), Some(train_samples)) => format!("{samples} rows, {train_samples} train"),
            _ => "rows unknown".to_string(),
        };
        line("data", format!("{} ({rows})", train.data));
        let batches = train.batches_per_epoch.map_or(String::new(), |n| format!("{n} batches of {}, ", train.batch));
        line("epochs", format!("{}{} epochs", batches, train.epochs));
        let shots = train.shots.map_or(String::new(), |shots| format!(", {shots} shots"));
        let executions =
            train.executions_per_epoch.map_or(String::new(), |n| format!(", {n} circuit executions per epoch"));
        line("gradient", format!("{}{shots}{executions}", train.gradient));
        if let Some(seconds) = train.seconds_per_epoch {
            line(
                "time",
                format!(
                    "about {} per epoch, {} for all epochs (estimated on this machine)",
                    duration(seconds),
                    duration(seconds * train.epochs as f64)
                ),
            );
        }
    }
    out
}

/// `1 output`, `4 outputs`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn bytes(count: u128) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = count as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{count} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn duration(seconds: f64) -> String {
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else {
        format!("{:.1} min", seconds / 60.0)
    }
}
