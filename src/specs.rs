//! What a model costs, before it runs: `qmlc specs` and the REPL's `:specs`, like PennyLane's
//! `qml.specs`. Qubits, gates by name before and after optimization, depth, params, the circuit
//! executions each gradient method needs, the state's memory, and each train block's data size.
//!
//! Everything here is counted from the lowered circuit; nothing is simulated. The one figure that
//! needs a clock, the estimated time of an epoch, is measured by the command line, which fills in
//! [`TrainSpecs::seconds_per_epoch`].

use crate::grad::{resolve_auto, shift_rule};
use crate::ir::{Circuit, DataSource, GradientMethod, Measurement, Op, TrainBlock};
use crate::opt::{optimize, OptStats};
use serde::Serialize;
use std::collections::BTreeMap;

/// The figures of one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Specs {
    pub qubits: usize,
    /// The scalar inputs (the size of the model's input vector).
    pub inputs: usize,
    /// The scalar params.
    pub params: usize,
    /// The gate angles (after optimization) that depend on a param: what parameter shift shifts.
    pub trainable_angles: usize,
    /// The circuit as written, after lowering.
    pub before: CircuitSize,
    /// The circuit that runs, after the optimization pass.
    pub after: CircuitSize,
    /// What the optimization pass did.
    pub optimization: Optimization,
    /// Each measurement as the language writes it, e.g. `expval(Z(0))`.
    pub measurements: Vec<String>,
    /// The measured outputs before the head, or `None` when a `sample` or `state` is measured.
    pub outputs: Option<usize>,
    /// One entry per gradient method, in the order adjoint, parameter shift, finite differences.
    pub gradients: Vec<GradientCost>,
    /// The method `auto` picks for this circuit without shots.
    pub auto_method: &'static str,
    /// The bytes of one state vector (16 per amplitude).
    pub state_bytes: u128,
    pub train: Vec<TrainSpecs>,
}

/// The size of a gate list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CircuitSize {
    pub operations: usize,
    /// Layers of operations that touch disjoint wires, placed as early as their wires allow.
    pub depth: usize,
    /// Operations by name (`amplitude_embedding` for a state preparation), sorted by name.
    pub gates: BTreeMap<String, usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Optimization {
    pub dropped: usize,
    pub cancelled: usize,
    pub merged: usize,
}

/// What one gradient (the Jacobian for one input) costs by one method.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradientCost {
    pub method: &'static str,
    /// Runs of the whole circuit from |0…0>.
    pub executions: usize,
    /// Backward sweeps over the gate list (the adjoint method's one per output), 0 for the others.
    pub backward_sweeps: usize,
    /// Why the method cannot differentiate this model, if it cannot (e.g. a `sample` output).
    pub unavailable: Option<String>,
}

/// One train block's data and cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainSpecs {
    pub name: Option<String>,
    /// The data source as written, e.g. `moons(samples = 200, noise = 0.1)`.
    pub data: String,
    /// The rows of the data set, `None` for a CSV file until the caller has read it.
    pub samples: Option<usize>,
    /// The rows that train (the `split` of `samples`).
    pub train_samples: Option<usize>,
    pub batch: usize,
    pub batches_per_epoch: Option<usize>,
    pub epochs: usize,
    /// The gradient method the block uses (`auto` resolved).
    pub gradient: &'static str,
    pub shots: Option<usize>,
    /// Circuit executions of one gradient by the block's method.
    pub executions_per_gradient: usize,
    /// Circuit executions in one epoch: one gradient per training row.
    pub executions_per_epoch: Option<usize>,
    /// The estimated wall time of one epoch, measured by the caller.
    pub seconds_per_epoch: Option<f64>,
    /// `minimize` or `maximize` for a block without data (an epoch is then one optimizer step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<&'static str>,
    /// The optimizer's name, given for a block with an objective (whose epoch cost it sets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<&'static str>,
}

/// Counts everything of `circuit` (as lowered, before optimization).
pub fn specs(circuit: &Circuit) -> Specs {
    let (optimized, stats) = optimize(circuit);
    let OptStats { dropped, cancelled, merged, .. } = stats;
    let trainable_angles =
        optimized.gates().map(|gate| gate.angles.iter().filter(|angle| !angle.params().is_empty()).count()).sum();
    let outputs = circuit.n_measured_outputs();
    Specs {
        qubits: circuit.n_qubits,
        inputs: circuit.n_inputs(),
        params: circuit.n_params(),
        trainable_angles,
        before: size(circuit),
        after: size(&optimized),
        optimization: Optimization { dropped, cancelled, merged },
        measurements: circuit.measurements.iter().map(written).collect(),
        outputs,
        gradients: gradient_costs(&optimized),
        auto_method: resolve_auto(GradientMethod::Auto, &optimized, None).name(),
        state_bytes: 16u128 << circuit.n_qubits.min(120),
        train: circuit.train.iter().map(|block| train_specs(&optimized, block)).collect(),
    }
}

impl TrainSpecs {
    /// Fills in the data size once the caller knows it (a CSV file's rows).
    pub fn set_samples(&mut self, samples: usize, split: f64) {
        let train_samples = crate::train::prepare::training_rows(samples, split);
        self.samples = Some(samples);
        self.train_samples = Some(train_samples);
        self.batches_per_epoch = Some(train_samples.div_ceil(self.batch.max(1)));
        self.executions_per_epoch = Some(train_samples * self.executions_per_gradient);
    }
}

impl Specs {
    /// The report as a table under `title` (the file's name), as `qmlc specs` and the REPL's
    /// `:specs` print it; a train block's time appears only where it was measured.
    pub fn human(&self, title: &str) -> String {
        let specs = self;
        let mut out = format!("{title}\n");
        let mut line = |label: &str, value: String| out.push_str(&format!("  {label:<16}{value}\n"));
        line("qubits", specs.qubits.to_string());
        line("inputs", specs.inputs.to_string());
        line("params", format!("{} ({})", specs.params, plural(specs.trainable_angles, "trainable gate angle")));
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
        if specs.measurements.is_empty() {
            line("measurements", "none".to_string());
        } else {
            line("measurements", format!("{} ({outputs})", specs.measurements.join(", ")));
        }
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
            match train.objective {
                Some(objective) => line(
                    "objective",
                    format!("{objective} the output, without data ({})", train.optimizer.unwrap_or("adam")),
                ),
                None => line("data", format!("{} ({rows})", train.data)),
            }
            let batches =
                train.batches_per_epoch.map_or(String::new(), |n| format!("{n} batches of {}, ", train.batch));
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

fn size(circuit: &Circuit) -> CircuitSize {
    let mut gates = BTreeMap::new();
    // The layer each wire is free from; an operation goes one past the latest of its wires.
    let mut free_from = vec![0usize; circuit.n_qubits];
    let mut depth = 0;
    for op in &circuit.ops {
        let name = match op {
            Op::Gate(gate) => gate.kind.name().to_string(),
            Op::StatePrep(_) => "amplitude_embedding".to_string(),
        };
        *gates.entry(name).or_insert(0) += 1;
        let wires = op.all_wires();
        let layer = wires.iter().filter_map(|wire| free_from.get(wire.0 as usize)).max().copied().unwrap_or(0) + 1;
        for wire in wires {
            if let Some(free) = free_from.get_mut(wire.0 as usize) {
                *free = layer;
            }
        }
        depth = depth.max(layer);
    }
    CircuitSize { operations: circuit.ops.len(), depth, gates }
}

fn gradient_costs(circuit: &Circuit) -> Vec<GradientCost> {
    let not_differentiable = circuit
        .measurements
        .iter()
        .find(|m| m.n_outputs().is_none())
        .map(|m| format!("`{}` has no derivative", m.kind()));
    let outputs = circuit.n_measured_outputs().unwrap_or(0);
    let shifted_runs: usize = circuit
        .gates()
        .flat_map(|gate| {
            gate.angles
                .iter()
                .enumerate()
                .filter(|(_, angle)| !angle.params().is_empty())
                .map(move |(slot, _)| shift_rule(gate, slot).terms().len())
        })
        .sum();
    vec![
        GradientCost {
            method: GradientMethod::Adjoint.name(),
            executions: 1,
            backward_sweeps: outputs,
            unavailable: not_differentiable.clone(),
        },
        GradientCost {
            method: GradientMethod::ParameterShift.name(),
            executions: 1 + shifted_runs,
            backward_sweeps: 0,
            unavailable: not_differentiable.clone(),
        },
        GradientCost {
            method: GradientMethod::FiniteDiff.name(),
            executions: 1 + 2 * circuit.n_params(),
            backward_sweeps: 0,
            unavailable: not_differentiable,
        },
    ]
}

fn train_specs(circuit: &Circuit, block: &TrainBlock) -> TrainSpecs {
    let shots = block.shots;
    let method = resolve_auto(block.gradient, circuit, shots.map(|shots| crate::sim::Shots { count: shots, seed: 0 }));
    let executions =
        gradient_costs(circuit).into_iter().find(|cost| cost.method == method.name()).map_or(1, |cost| cost.executions);
    let mut specs = TrainSpecs {
        name: block.name.clone(),
        data: block.data.as_ref().map_or_else(|| "none (an objective)".to_string(), data_text),
        samples: None,
        train_samples: None,
        batch: block.batch,
        batches_per_epoch: None,
        epochs: block.epochs,
        gradient: method.name(),
        shots,
        executions_per_gradient: executions,
        executions_per_epoch: None,
        seconds_per_epoch: None,
        objective: block.objective.map(|objective| match objective {
            crate::ir::Objective::Minimize => "minimize",
            crate::ir::Objective::Maximize => "maximize",
        }),
        optimizer: block.objective.map(|_| block.optimizer.name()),
    };
    if let Some(samples) = block.data.as_ref().and_then(builtin_rows) {
        specs.set_samples(samples, block.split);
    }
    if block.objective.is_some() {
        // One step an epoch: a gradient, or the evaluations of a gradient-free optimizer.
        specs.train_samples = Some(1);
        specs.executions_per_epoch = Some(match block.optimizer {
            crate::ir::Optimizer::Spsa { .. } => 3,
            crate::ir::Optimizer::Rotosolve => 3 * circuit.n_params().max(1),
            crate::ir::Optimizer::Cobyla { .. } => 1,
            _ => executions,
        });
    }
    specs
}

/// A measurement as the language writes it: `expval(Z(0) @ Z(1))`, `probs(0, 1)`, `state`.
fn written(measurement: &Measurement) -> String {
    match measurement {
        Measurement::Expval(_) | Measurement::Var(_) | Measurement::Sample(_) => {
            format!("{}({})", measurement.kind(), measurement.describe())
        }
        Measurement::Probs(_) | Measurement::State => measurement.describe(),
    }
}

/// The rows of a builtin data set, known without building it.
fn builtin_rows(source: &DataSource) -> Option<usize> {
    match source {
        DataSource::Csv { .. } => None,
        DataSource::Moons { samples, .. } | DataSource::Circles { samples, .. } | DataSource::Xor { samples } => {
            Some(*samples)
        }
        DataSource::Iris { classes, .. } => Some(50 * classes.as_ref().map_or(3, Vec::len)),
        DataSource::Parity { bits } => 1usize.checked_shl(*bits as u32),
    }
}

fn data_text(source: &DataSource) -> String {
    match source {
        DataSource::Csv { .. } | DataSource::Iris { .. } => crate::train::generate::written(source),
        DataSource::Moons { samples, noise } => format!("moons(samples = {samples}, noise = {noise})"),
        DataSource::Circles { samples, noise, factor } => {
            format!("circles(samples = {samples}, noise = {noise}, factor = {factor})")
        }
        DataSource::Parity { bits } => format!("parity(bits = {bits})"),
        DataSource::Xor { samples } => format!("xor(samples = {samples})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs_of(text: &str) -> Specs {
        let output = crate::check::compile(text);
        let circuit = output.circuit.unwrap_or_else(|| panic!("compiles: {:?}", output.diagnostics));
        specs(&circuit)
    }

    #[test]
    fn a_bell_pair_has_two_gates_depth_two_and_no_params() {
        let specs = specs_of("qubits 2\ncircuit {\n    h 0\n    cnot 0, 1\n}\nmeasure probs(0, 1)\n");
        assert_eq!(specs.qubits, 2);
        assert_eq!(specs.before.depth, 2);
        assert_eq!(specs.before.gates, BTreeMap::from([("cnot".to_string(), 1), ("h".to_string(), 1)]));
        assert_eq!(specs.params, 0);
        assert_eq!(specs.outputs, Some(4));
        assert_eq!(specs.state_bytes, 64);
        assert_eq!(specs.measurements, vec!["probs(0, 1)".to_string()]);
    }

    #[test]
    fn parameter_shift_counts_two_runs_per_angle_and_four_under_a_control() {
        let specs = specs_of(
            "qubits 2\nparam w[2] = [0.1, 0.2]\ncircuit {\n    rx(w[0]) 0\n    crx(w[1]) 0, 1\n    ry(0.3) 1\n}\n\
             measure expval(Z(0)), expval(Z(1))\n",
        );
        assert_eq!(specs.trainable_angles, 2);
        let executions: Vec<(&str, usize, usize)> =
            specs.gradients.iter().map(|cost| (cost.method, cost.executions, cost.backward_sweeps)).collect();
        assert_eq!(executions, vec![("adjoint", 1, 2), ("parameter_shift", 7, 0), ("finite_diff", 5, 0)]);
        assert_eq!(specs.auto_method, "adjoint");
    }

    #[test]
    fn the_optimizer_shows_in_the_counts_after_it() {
        let specs =
            specs_of("qubits 1\ncircuit {\n    h 0\n    h 0\n    rz(0.1) 0\n    rz(0.2) 0\n}\nmeasure expval(Z(0))\n");
        assert_eq!(specs.before.operations, 4);
        assert_eq!(specs.after.operations, 1);
        assert_eq!(specs.after.gates, BTreeMap::from([("rz".to_string(), 1)]));
        assert_eq!(specs.optimization, Optimization { dropped: 0, cancelled: 2, merged: 1 });
        assert_eq!((specs.before.depth, specs.after.depth), (4, 1));
    }

    #[test]
    fn a_sample_output_has_no_gradient_and_a_train_block_counts_its_rows() {
        let specs = specs_of("qubits 1\ncircuit {\n    h 0\n}\nmeasure sample(Z(0))\n");
        assert!(specs.gradients.iter().all(|cost| cost.unavailable.as_deref() == Some("`sample` has no derivative")));
        let specs = specs_of(
            "qubits 2\ninput x[2]\nparam w[2] = [0.1, 0.2]\ncircuit {\n    ry(x[0] * w[0]) 0\n    ry(x[1] * w[1]) 1\n}\n\
             measure expval(Z(0))\ntrain {\n    data moons(samples = 100, noise = 0.1)\n    split 0.75\n    batch 10\n    loss mse\n}\n",
        );
        let train = &specs.train[0];
        assert_eq!((train.samples, train.train_samples, train.batches_per_epoch), (Some(100), Some(75), Some(8)));
        assert_eq!(train.gradient, "adjoint");
        assert_eq!(train.executions_per_epoch, Some(75));
    }
}
