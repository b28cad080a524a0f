//! `qmlc run` and `qmlc grad`: evaluate a model's outputs for one input, and their Jacobian.

use super::model::{
    check_input_usage, load, load_inputs, load_params, report_run_error, with_measurements, CliError, Model,
};
use super::{Format, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::codes::Code;
use qmlc::grad;
use qmlc::ir::{Circuit, GradientMethod, Measurement};
use qmlc::params::{nest, ParamValues};
use qmlc::sim::{self, BudgetOrigin, MeasurementValues, MemoryBudget, Shots, SimError};
use qmlc::train::{self, Head, LayersTrace};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// The options `run` and `grad` share.
pub struct EvaluateOptions {
    pub file: PathBuf,
    pub params: Option<PathBuf>,
    pub inputs: Vec<String>,
    /// `--data`: evaluate once per row of this CSV file instead (see `predict::evaluate_rows`).
    pub data: Option<PathBuf>,
    /// `--no-header`: the first row of the `--data` file is data.
    pub no_header: bool,
    /// `--measure`: measurements that replace the file's (and its head).
    pub measure: Vec<String>,
    pub shots: Option<usize>,
    pub seed: u64,
    pub format: Format,
}

/// Everything `run` and `grad` need once the files are read.
pub(super) struct Prepared {
    pub model: Model,
    pub values: ParamValues,
    pub head: Head,
    pub inputs: Vec<f64>,
    /// The data row as given (after any scaling), before the encode layers made it into
    /// `inputs`; without encode layers, the same as `inputs`.
    pub features: Vec<f64>,
    pub shots: Option<Shots>,
    /// Notes for stderr in human format, printed with the results (where the params and inputs
    /// came from), so that a run that fails shows only its error.
    pub notes: Vec<String>,
}

pub(super) fn prepare(options: &EvaluateOptions) -> Result<Prepared, u8> {
    let usage = |message: String| {
        eprintln!("error: {message}");
        EXIT_USAGE
    };
    check_input_usage(&options.inputs).map_err(usage)?;
    if options.shots == Some(0) {
        return Err(usage("--shots must be at least 1".to_string()));
    }
    let model = load(&options.file, options.format == Format::Json)?;
    let fail = |error: CliError| {
        error.report();
        EXIT_INPUT
    };
    let (values, mut head) = load_params(&model, options.params.as_deref(), options.seed).map_err(fail)?;
    let model =
        if options.measure.is_empty() { model } else { with_measurements(&model, &mut head, &options.measure)? };
    let mut features = load_inputs(&model, &options.inputs).map_err(fail)?;
    let (inputs, notes) = circuit_inputs(&model, options, &values, &head, &mut features).map_err(fail)?;
    let shots = options.shots.map(|count| Shots { count, seed: options.seed });
    Ok(Prepared { model, values, head, inputs, features, shots, notes })
}

/// The circuit's inputs made of the `--input` values (`features`, scaled in place), as `run` makes
/// them and `export` too: the width the encode layers take checked, the scaling of `--params`'
/// meta applied, then the encode layers; with the notes for stderr.
pub(super) fn circuit_inputs(
    model: &Model,
    options: &EvaluateOptions,
    values: &ParamValues,
    head: &Head,
    features: &mut Vec<f64>,
) -> Result<(Vec<f64>, Vec<String>), CliError> {
    // The encode layers take data rows of their own width (a params file's `encode.0.weight`
    // says it), which need not be the width of the circuit's inputs that `--input` names.
    if let Some(width) = head.n_features().filter(|&width| width != features.len()) {
        return Err(CliError::params(format!(
            "--input: the encode layers take data rows of {width} values, but {} were given (the circuit's inputs); \
             give the rows with --data",
            features.len()
        )));
    }
    let notes = super::predict::prepare_given_inputs(model, options, values, head, features)?;
    // The encode layers make the given values into the circuit's inputs, after any scaling.
    Ok((head.encode_row(features), notes))
}

pub fn run(options: &EvaluateOptions) -> u8 {
    if let Some(data) = &options.data {
        return super::predict::evaluate_rows(options, data, None);
    }
    let budget = match memory_budget() {
        Ok(budget) => budget,
        Err(status) => return status,
    };
    let prepared = match prepare(options) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let circuit = &prepared.model.circuit;
    if let Err(error) = check_result_memory(circuit, prepared.shots, options.format, 0, budget) {
        return report_sim_error(&prepared.model, &error);
    }
    let execution =
        match sim::execute_within(circuit, &prepared.inputs, &prepared.values.circuit, prepared.shots, budget) {
            Ok(e) => e,
            Err(error) => return report_sim_error(&prepared.model, &error),
        };
    let outputs = model_outputs(&prepared.head, &execution.outputs);
    if let Err(error) = finite_head_values(&prepared.head, &outputs, &[]) {
        error.report();
        return EXIT_INPUT;
    }
    match options.format {
        Format::Json => {
            let object = json!({"outputs": outputs, "measurements": measurements_json(&circuit.measurements, &execution.measurements)});
            println!("{object}");
        }
        Format::Human => {
            prepared.notes.iter().for_each(|note| eprintln!("{note}"));
            print!("{}", human_run(&circuit.measurements, &execution.measurements, &outputs, !circuit.head.is_empty()))
        }
    }
    EXIT_OK
}

pub fn grad(options: &EvaluateOptions, method: GradientMethod) -> u8 {
    if let Some(data) = &options.data {
        return super::predict::evaluate_rows(options, data, Some(method));
    }
    let budget = match memory_budget() {
        Ok(budget) => budget,
        Err(status) => return status,
    };
    let prepared = match prepare(options) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let circuit = &prepared.model.circuit;
    let n_all_params = circuit.n_params() + prepared.head.params.len();
    if let Err(error) = check_result_memory(circuit, prepared.shots, options.format, n_all_params, budget) {
        return report_sim_error(&prepared.model, &error);
    }
    let grad_options = grad::GradOptions { memory: budget, ..grad::GradOptions::default() };
    let differentiated = GradCircuit::new(circuit, &prepared.head);
    let jacobian = match differentiated.jacobian(
        &prepared.head,
        &prepared.features,
        &prepared.values.circuit,
        method,
        prepared.shots,
        grad_options,
    ) {
        Ok(j) => j,
        Err(grad::GradError::Sim(error)) => return report_sim_error(&prepared.model, &error),
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_INPUT;
        }
    };
    // The measurements' own values, for the JSON's `measurements`. Exactly, they are the
    // Jacobian's outputs cut by measurement (the forward pass both ran); with shots, the circuit
    // runs again and gives the same estimates the Jacobian's forward pass used, since both draw
    // from the same seed.
    let measurements = match prepared.shots {
        None => measurements_of_outputs(&circuit.measurements, &jacobian.jacobian.outputs),
        Some(_) => {
            match sim::execute_within(circuit, &prepared.inputs, &prepared.values.circuit, prepared.shots, budget) {
                Ok(execution) => execution.measurements,
                Err(error) => return report_sim_error(&prepared.model, &error),
            }
        }
    };
    let (outputs, model_jacobian) = chain_through_head(&prepared.head, &jacobian.jacobian, jacobian.encode.as_ref());
    if let Err(error) = finite_head_values(&prepared.head, &outputs, &model_jacobian) {
        error.report();
        return EXIT_INPUT;
    }
    let n_circuit = circuit.n_params();
    let n_outputs = outputs.len();
    let n_total = n_circuit + prepared.head.params.len();
    // Columns of the model Jacobian for one named tensor, nested as [n_outputs] + shape.
    let tensor = |offset: usize, shape: &[usize]| -> Value {
        let size: usize = shape.iter().product();
        Value::Array(
            (0..n_outputs)
                .map(|o| nest(&model_jacobian[o * n_total + offset..o * n_total + offset + size], shape))
                .collect(),
        )
    };
    let mut by_name = Map::new();
    for param in &circuit.params {
        by_name.insert(param.variable.name.clone(), tensor(param.variable.offset, &param.variable.shape));
    }
    for head_tensor in prepared.head.tensors() {
        by_name.insert(head_tensor.name.clone(), tensor(n_circuit + head_tensor.offset, &head_tensor.shape));
    }
    match options.format {
        Format::Json => {
            let object = json!({
                "outputs": outputs,
                "measurements": measurements_json(&circuit.measurements, &measurements),
                "jacobian": Value::Object(by_name),
            });
            println!("{object}");
        }
        Format::Human => {
            prepared.notes.iter().for_each(|note| eprintln!("{note}"));
            print!("{}", human_run(&circuit.measurements, &measurements, &outputs, !circuit.head.is_empty()));
            println!("jacobian ({}):", method_name(method, differentiated.circuit(), prepared.shots));
            print!("{}", human_jacobian(&by_name));
        }
    }
    EXIT_OK
}

/// Prints a simulator error with its code (and the operation it points at) and gives the exit status.
pub(super) fn report_sim_error(model: &Model, error: &SimError) -> u8 {
    report_run_error(model, error.code(), &error.to_string(), error.span());
    EXIT_INPUT
}

/// The environment variable that sets the memory `run` and `grad` may use: bytes, or a number
/// with a binary suffix K, M, G or T (`512M`, `2G`, `1.5G`). Without it the limit is the
/// simulator's default (12 GiB); either way it is capped by the memory the machine reports as
/// available, so that a run is refused with a message rather than killed.
pub const MEMORY_LIMIT_VARIABLE: &str = "QMLC_MEMORY_LIMIT";

/// The memory budget of an evaluation, from `QMLC_MEMORY_LIMIT`, the default limit and the
/// machine's available memory; a malformed setting is a usage error.
pub(super) fn memory_budget() -> Result<MemoryBudget, u8> {
    let setting = match std::env::var(MEMORY_LIMIT_VARIABLE) {
        Ok(text) => match parse_memory_size(&text) {
            Some(limit_bytes) => Some(limit_bytes),
            None => {
                eprintln!(
                    "error: {MEMORY_LIMIT_VARIABLE}=`{text}` is not a size: give bytes, or a number with K, M, G or T (such as 512M or 2G)"
                );
                return Err(EXIT_USAGE);
            }
        },
        Err(_) => None,
    };
    Ok(budget_from(setting, available_memory_bytes()))
}

/// The smaller of the setting (or the default limit) and the memory available.
fn budget_from(setting: Option<u64>, available: Option<u64>) -> MemoryBudget {
    let mut budget = match setting {
        Some(limit_bytes) => MemoryBudget { limit_bytes, origin: BudgetOrigin::Setting },
        None => MemoryBudget::default(),
    };
    if let Some(available) = available.filter(|available| *available < budget.limit_bytes) {
        budget = MemoryBudget { limit_bytes: available, origin: BudgetOrigin::Available };
    }
    budget
}

/// `4096`, `512M`, `2G`, `1.5GiB`: bytes, with an optional binary suffix.
fn parse_memory_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits_end);
    let number: f64 = number.parse().ok()?;
    let shift = match suffix.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return None,
    };
    let bytes = number * (1u64 << shift) as f64;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

/// `MemAvailable` from /proc/meminfo, in bytes; `None` where there is no such file.
/// The memory this process can really have: the machine's available memory, and, under an
/// address-space limit (`ulimit -v`), what that limit leaves beyond the address space already in
/// use (the binary, the compiler thread's stack), whichever is less.
fn available_memory_bytes() -> Option<u64> {
    let from_machine = machine_available_bytes();
    match (from_machine, address_space_left_bytes()) {
        (Some(machine), Some(process)) => Some(machine.min(process)),
        (machine, process) => machine.or(process),
    }
}

fn machine_available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|line| line.starts_with("MemAvailable:"))?;
    let kibibytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kibibytes.checked_mul(1024)
}

// `rlim_t` is `u64` on Linux but not on every platform, hence the conversion clippy finds useless here.
#[allow(clippy::useless_conversion)]
fn address_space_left_bytes() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid, writable rlimit for the call to fill in.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmSize:"))?;
    let in_use = line.split_whitespace().nth(1)?.parse::<u64>().ok()?.checked_mul(1024)?;
    Some(u64::try_from(limit.rlim_cur).ok()?.saturating_sub(in_use))
}

fn method_name(method: GradientMethod, circuit: &qmlc::ir::Circuit, shots: Option<Shots>) -> String {
    match (method, grad::resolve_auto(method, circuit, shots)) {
        (GradientMethod::Auto, _) if shots.is_some() => "auto: parameter_shift, since shots are sampled".to_string(),
        (GradientMethod::Auto, GradientMethod::Adjoint) => "auto: adjoint, since execution is exact".to_string(),
        (GradientMethod::Auto, _) => {
            "auto: parameter_shift, since the circuit has more outputs than shifted evaluations".to_string()
        }
        (other, _) => other.name().to_string(),
    }
}

/// The Jacobian by param name, a line per output: `    output 0: [0.10000000, NaN]`.
fn human_jacobian(by_name: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (name, value) in by_name {
        out.push_str(&format!("  d outputs / d {name}:\n"));
        if let Value::Array(rows) = value {
            for (output_idx, row) in rows.iter().enumerate() {
                let flat: Vec<String> = flatten(row).iter().map(|x| format!("{x:.8}")).collect();
                out.push_str(&format!("    output {output_idx}: [{}]\n", flat.join(", ")));
            }
        }
    }
    out
}

/// The numbers of nested JSON arrays, row-major. JSON has no NaN, so `nest` turned each into
/// null; null reads back as NaN.
fn flatten(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        Value::Number(n) => vec![n.as_f64().unwrap_or(f64::NAN)],
        _ => vec![f64::NAN],
    }
}

/// The model's outputs: the head's, if there is one.
/// The bytes one printed value may take while the results are formatted: JSON builds a
/// `serde_json::Value` per number (with its share of the array) and then its text; the human
/// format only the text.
/// Measured: 60 million samples in JSON peaked at 8.9 GB, some 150 bytes a value.
const JSON_BYTES_PER_VALUE: u128 = 160;
const HUMAN_BYTES_PER_VALUE: u128 = 48;

/// Refuses, before any work, a run whose results could not be held and printed within the
/// budget: the execution's own need (state vectors, counts, samples) plus every value printed
/// (each sample, probability and amplitude, and `jacobian_columns` entries per output), since a
/// million-shot `sample` or a 24-qubit `probs` in JSON takes far more memory as text than as
/// numbers.
fn check_result_memory(
    circuit: &qmlc::ir::Circuit,
    shots: Option<Shots>,
    format: Format,
    jacobian_columns: usize,
    budget: MemoryBudget,
) -> Result<(), SimError> {
    let shot_count = shots.map_or(0, |shots| shots.count as u128);
    let mut n_values: u128 = 0;
    let mut n_outputs: u128 = 0;
    for measurement in &circuit.measurements {
        let values = match measurement {
            Measurement::Expval(_) | Measurement::Var(_) => 1,
            Measurement::Probs(wires) => 1u128.checked_shl(wires.len() as u32).unwrap_or(u128::MAX),
            Measurement::Sample(_) => shot_count,
            Measurement::State => 2u128.checked_shl(circuit.n_qubits as u32).unwrap_or(u128::MAX),
        };
        if measurement.n_outputs().is_some() {
            n_outputs = n_outputs.saturating_add(values);
        }
        n_values = n_values.saturating_add(values);
    }
    // Outputs appear twice (as `outputs` and in their measurement), and a Jacobian adds a row of
    // columns per output.
    n_values = n_values.saturating_add(n_outputs.saturating_mul(1 + jacobian_columns as u128));
    let per_value = match format {
        Format::Json => JSON_BYTES_PER_VALUE,
        Format::Human => HUMAN_BYTES_PER_VALUE,
    };
    let printed = sim::MemoryNeed {
        n_qubits: circuit.n_qubits,
        state_vectors: 0,
        other_bytes: n_values.saturating_mul(per_value),
    };
    let execution = sim::memory::execution_need(circuit, shots);
    // Work that does not fit even without its printing is refused by the engine itself, with
    // its own words for what does not fit.
    if execution.bytes() > u128::from(budget.limit_bytes) {
        return Ok(());
    }
    budget.check("running the circuit and printing its results", execution.plus(printed))
}

/// Refuses outputs (and Jacobian entries) of the classical head that are not finite numbers
/// (E0901): the circuit's measured values are always finite, so the head's weights or biases
/// overflowed. Without a head there is nothing to check.
pub fn finite_head_values(head: &Head, outputs: &[f64], jacobian: &[f64]) -> Result<(), CliError> {
    if head.layers().is_empty() {
        return Ok(());
    }
    if let Some((output_idx, value)) = outputs.iter().enumerate().find(|(_, value)| !value.is_finite()) {
        return Err(CliError::new(
            Code::E0901,
            format!(
                "output {} of the head is {value}: its weights or biases are too large for the measured values",
                output_idx + 1
            ),
        ));
    }
    if let Some(value) = jacobian.iter().find(|value| !value.is_finite()) {
        return Err(CliError::new(
            Code::E0901,
            format!("a derivative through the head is {value}: its weights or biases are too large"),
        ));
    }
    Ok(())
}

pub fn model_outputs(head: &Head, measured: &[f64]) -> Vec<f64> {
    if head.layers().is_empty() {
        measured.to_vec()
    } else {
        head.trace(&head.params, measured).outputs().to_vec()
    }
}

/// The circuit `grad` differentiates. For a model with encode layers it is the circuit with its
/// inputs read as params after its own (the trainer's [`train::inputs_as_params`]), so that every
/// gradient method gives the derivatives with respect to the inputs too, which
/// [`chain_through_head`] carries back through the encode layers to their params.
pub(super) struct GradCircuit<'a> {
    circuit: &'a Circuit,
    inputs_as_params: Option<Circuit>,
}

/// The circuit's Jacobian at one data row, and the encode layers' forward pass on that row when
/// the model has encode layers (the Jacobian then has a column per input element after the
/// params' columns).
pub(super) struct CircuitJacobian {
    pub jacobian: grad::Jacobian,
    pub encode: Option<LayersTrace>,
}

impl<'a> GradCircuit<'a> {
    pub fn new(circuit: &'a Circuit, head: &Head) -> GradCircuit<'a> {
        let inputs_as_params = head.n_features().map(|_| train::inputs_as_params(circuit));
        GradCircuit { circuit, inputs_as_params }
    }

    /// The circuit whose Jacobian is computed: the copy with inputs as params, or the circuit.
    pub fn circuit(&self) -> &Circuit {
        self.inputs_as_params.as_ref().unwrap_or(self.circuit)
    }

    /// The Jacobian at the data row `features` (after any scaling, before the encode layers; the
    /// circuit's inputs themselves without encode layers).
    pub fn jacobian(
        &self,
        head: &Head,
        features: &[f64],
        params: &[f64],
        method: GradientMethod,
        shots: Option<Shots>,
        options: grad::GradOptions,
    ) -> Result<CircuitJacobian, grad::GradError> {
        let Some(copy) = &self.inputs_as_params else {
            let jacobian = grad::jacobian_with_options(self.circuit, features, params, method, shots, options)?;
            return Ok(CircuitJacobian { jacobian, encode: None });
        };
        let trace = head.encode_trace(&head.params, features);
        let all: Vec<f64> = params.iter().chain(trace.outputs()).copied().collect();
        let jacobian = grad::jacobian_with_options(copy, &[], &all, method, shots, options)?;
        Ok(CircuitJacobian { jacobian, encode: Some(trace) })
    }
}

/// The model outputs and the row-major Jacobian of them with respect to the circuit params followed
/// by the head params (the head's own, then the encode layers'): the circuit Jacobian chained
/// through the head's backward pass, one backward per model output. With `encode` (the encode
/// layers' trace on the row), the circuit Jacobian's last columns are those of the circuit's
/// inputs, and the derivatives with respect to them go back through the encode layers.
pub fn chain_through_head(
    head: &Head,
    jacobian: &grad::Jacobian,
    encode: Option<&LayersTrace>,
) -> (Vec<f64>, Vec<f64>) {
    if head.layers().is_empty() && head.params.is_empty() {
        return (jacobian.outputs.clone(), jacobian.values.clone());
    }
    let trace = head.trace(&head.params, &jacobian.outputs);
    let outputs = trace.outputs().to_vec();
    let n_input_columns = encode.map_or(0, |trace| trace.outputs().len());
    let n_circuit = jacobian.n_params - n_input_columns;
    let n_total = n_circuit + head.params.len();
    let mut values = vec![0.0; outputs.len() * n_total];
    for output_idx in 0..outputs.len() {
        let mut one_hot = vec![0.0; outputs.len()];
        one_hot[output_idx] = 1.0;
        let (mut d_head_params, d_measured) = head.backward(&head.params, &trace, &one_hot);
        let row = &mut values[output_idx * n_total..(output_idx + 1) * n_total];
        let mut d_inputs = vec![0.0; n_input_columns];
        for (measured_idx, &weight) in d_measured.iter().enumerate() {
            if weight != 0.0 {
                for (param_idx, slot) in row[..n_circuit].iter_mut().enumerate() {
                    *slot += weight * jacobian.get(measured_idx, param_idx);
                }
                for (input_idx, slot) in d_inputs.iter_mut().enumerate() {
                    *slot += weight * jacobian.get(measured_idx, n_circuit + input_idx);
                }
            }
        }
        if let Some(encode) = encode {
            head.encode_backward(&head.params, encode, &d_inputs, &mut d_head_params);
        }
        row[n_circuit..].copy_from_slice(&d_head_params);
    }
    (outputs, values)
}

fn measurements_json(measurements: &[Measurement], values: &[MeasurementValues]) -> Vec<Value> {
    measurements
        .iter()
        .zip(values)
        .map(|(measurement, values)| {
            let values_json = match values {
                MeasurementValues::Real(v) => json!(v),
                MeasurementValues::Complex(amplitudes) => json!(amplitudes.iter().map(|a| [a.re, a.im]).collect::<Vec<_>>()),
            };
            match measurement {
                Measurement::Probs(wires) => {
                    json!({"kind": "probs", "wires": wires.iter().map(|w| w.0).collect::<Vec<_>>(), "values": values_json})
                }
                Measurement::State => json!({"kind": "state", "values": values_json}),
                other => json!({"kind": other.kind(), "observable": other.describe(), "values": values_json}),
            }
        })
        .collect()
}

fn human_run(measurements: &[Measurement], values: &[MeasurementValues], outputs: &[f64], has_head: bool) -> String {
    let mut out = String::new();
    for (measurement, values) in measurements.iter().zip(values) {
        match (measurement, values) {
            (Measurement::Probs(wires), MeasurementValues::Real(p)) => {
                out.push_str(&format!("{}:\n", measurement.describe()));
                for (index, probability) in p.iter().enumerate() {
                    let bits: String =
                        (0..wires.len()).rev().map(|b| if index >> b & 1 == 1 { '1' } else { '0' }).collect();
                    out.push_str(&format!("  |{bits}⟩  {probability:.10}\n"));
                }
            }
            (Measurement::State, MeasurementValues::Complex(amplitudes)) => {
                let n = amplitudes.len().trailing_zeros() as usize;
                out.push_str("state (nonzero amplitudes):\n");
                for (index, a) in amplitudes.iter().enumerate().filter(|(_, a)| a.norm() > 1e-12) {
                    let bits: String = (0..n).rev().map(|b| if index >> b & 1 == 1 { '1' } else { '0' }).collect();
                    out.push_str(&format!("  |{bits}⟩  {:+.10} {:+.10}i\n", a.re, a.im));
                }
            }
            (Measurement::Sample(_), MeasurementValues::Real(samples)) => {
                let shown: Vec<String> = samples.iter().take(20).map(|s| format!("{s}")).collect();
                let more = if samples.len() > 20 { format!(", … ({} shots)", samples.len()) } else { String::new() };
                out.push_str(&format!("sample({}): [{}{more}]\n", measurement.describe(), shown.join(", ")));
            }
            (_, MeasurementValues::Real(v)) => {
                out.push_str(&format!(
                    "{}({}) = {:.10}\n",
                    measurement.kind(),
                    measurement.describe(),
                    v.first().copied().unwrap_or(f64::NAN)
                ));
            }
            _ => {}
        }
    }
    if has_head {
        let shown: Vec<String> = outputs.iter().map(|x| format!("{x:.10}")).collect();
        out.push_str(&format!("head outputs: [{}]\n", shown.join(", ")));
    }
    out
}

/// The values of differentiable measurements (expval, var, probs) from their concatenated outputs.
fn measurements_of_outputs(measurements: &[Measurement], outputs: &[f64]) -> Vec<MeasurementValues> {
    let mut offset = 0;
    measurements
        .iter()
        .map(|measurement| {
            let n_outputs = measurement.n_outputs().unwrap_or(0).min(outputs.len() - offset);
            let values = outputs[offset..offset + n_outputs].to_vec();
            offset += n_outputs;
            MeasurementValues::Real(values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nan_jacobian_entry_prints_as_nan() {
        let mut by_name = Map::new();
        by_name.insert("w".to_string(), nest(&[0.1, f64::NAN, -0.5, f64::NAN], &[2, 2]));
        by_name.insert("t".to_string(), json!([nest(&[f64::NAN], &[])]));
        assert_eq!(
            human_jacobian(&by_name),
            "  d outputs / d w:\n    output 0: [0.10000000, NaN]\n    output 1: [-0.50000000, NaN]\n  d outputs / d t:\n    output 0: [NaN]\n"
        );
    }

    /// Runs `grad` on a one-input model written to a fresh directory, with these `--input` values.
    fn grad_status(name: &str, inputs: &[&str], shots: Option<usize>) -> u8 {
        let dir = std::env::temp_dir().join(format!("qmlc-evaluate-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("model.qml");
        std::fs::write(&file, "qubits 1\ninput x\ncircuit { ry(x) 0 }\nmeasure expval(Z(0))\n").expect("write");
        let options = EvaluateOptions {
            file,
            params: None,
            inputs: inputs.iter().map(|i| i.to_string()).collect(),
            data: None,
            no_header: false,
            measure: Vec::new(),
            shots,
            seed: 0,
            format: Format::Json,
        };
        let status = grad(&options, GradientMethod::Auto);
        let _ = std::fs::remove_dir_all(&dir);
        status
    }

    #[test]
    fn memory_sizes_read_bytes_and_binary_suffixes() {
        assert_eq!(parse_memory_size("4096"), Some(4096));
        assert_eq!(parse_memory_size("512M"), Some(512 << 20));
        assert_eq!(parse_memory_size("2G"), Some(2 << 30));
        assert_eq!(parse_memory_size("1.5GiB"), Some(3 << 29));
        assert_eq!(parse_memory_size(" 1k "), Some(1024));
        assert_eq!(parse_memory_size("lots"), None);
        assert_eq!(parse_memory_size("2X"), None);
        assert_eq!(parse_memory_size(""), None);
    }

    #[test]
    fn the_budget_is_the_smaller_of_the_limit_and_the_available_memory() {
        let default = sim::DEFAULT_MEMORY_LIMIT_BYTES;
        assert_eq!(budget_from(None, None), MemoryBudget::default());
        assert_eq!(budget_from(None, Some(default + 1)), MemoryBudget::default());
        assert_eq!(
            budget_from(None, Some(1 << 30)),
            MemoryBudget { limit_bytes: 1 << 30, origin: BudgetOrigin::Available }
        );
        assert_eq!(
            budget_from(Some(1 << 20), Some(1 << 30)),
            MemoryBudget { limit_bytes: 1 << 20, origin: BudgetOrigin::Setting }
        );
        assert_eq!(
            budget_from(Some(1 << 40), Some(1 << 30)),
            MemoryBudget { limit_bytes: 1 << 30, origin: BudgetOrigin::Available }
        );
    }

    #[test]
    fn mixing_an_inputs_file_with_assignments_or_repeating_a_name_is_a_usage_error() {
        assert_eq!(grad_status("fine", &["x=0.5"], None), EXIT_OK);
        assert_eq!(grad_status("mixed", &["in.json", "x=0.5"], None), EXIT_USAGE);
        assert_eq!(grad_status("twice", &["x=0.5", "x=0.6"], None), EXIT_USAGE);
        assert_eq!(grad_status("two-files", &["a.json", "b.json"], None), EXIT_USAGE);
        assert_eq!(grad_status("zero-shots", &["x=0.5"], Some(0)), EXIT_USAGE);
        assert_eq!(
            check_input_usage(&["in.json".into(), "x=0.5".into()]).unwrap_err(),
            "--input takes one JSON file or `name=v,…` assignments, not both (`in.json` and `x=0.5`)"
        );
        assert_eq!(
            check_input_usage(&["x=0.5".into(), "y=1".into(), " x =0.6".into()]).unwrap_err(),
            "--input gives `x` twice (`x=0.5` and ` x =0.6`)"
        );
        assert_eq!(
            check_input_usage(&["a.json".into(), "b.json".into()]).unwrap_err(),
            "--input takes one JSON file, but two were given (`a.json` and `b.json`)"
        );
        assert_eq!(check_input_usage(&["x=0.5".into(), "y=1".into()]), Ok(()));
    }
}
