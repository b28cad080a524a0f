//! `qmlc train`: run a model's train blocks, show progress, and write the trained params atomically.

use super::files::{check_writable, is_written_through, read_text_file, refuse_directory, write_output, CSV_LIMIT};
use super::model::{load_as_written, load_params, read_json, report_run_error, CliError};
use super::plot::HistoryEntry;
use super::{Format, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE};
use indicatif::{ProgressBar, ProgressStyle};
use qmlc::ir::{DataSource, TrainBlock};
use qmlc::params::{params_to_json, ParamValues};
use qmlc::sim::{self, MemoryBudget, Shots};
use qmlc::train::{self, Control, EpochReport, PreparedData, SimModel, StopReason};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct TrainOptions {
    pub file: PathBuf,
    pub block: Option<String>,
    pub init: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub epochs: Option<usize>,
    pub seed: Option<u64>,
    pub history: Option<PathBuf>,
    /// `--plot`: where to draw the loss and accuracy per epoch as an SVG chart.
    pub plot: Option<PathBuf>,
    pub format: Format,
}

/// What each optional output is and a name it could have, for messages that suggest another path.
fn output_example(option: &str) -> (&'static str, &'static str, &'static str) {
    match option {
        "--history" => ("history", "CSV", "history.csv"),
        _ => ("chart", "SVG", "training.svg"),
    }
}

/// The default output path: `model.qml` → `model.trained.json`.
pub fn default_out_path(file: &Path) -> PathBuf {
    file.with_extension("trained.json")
}

/// Loads a block's data set: a CSV file relative to the model file (a regular file of at most
/// [`CSV_LIMIT`] bytes), or a generator drawing from `seed`. Every problem is error E0907.
pub fn load_dataset(source: &DataSource, seed: u64, model_file: &Path) -> Result<train::Dataset, CliError> {
    match source {
        DataSource::Csv { path, labels, columns } => {
            let resolved = model_file.parent().unwrap_or(Path::new("")).join(path);
            let text = read_text_file(&resolved, "the data file", CSV_LIMIT).map_err(CliError::data)?;
            let name = resolved.display().to_string();
            Ok(train::data::from_csv_columns(&text, &name, labels, columns.as_deref())?)
        }
        other => match train::generate::builtin(other, seed) {
            Some(result) => Ok(result?),
            None => Err(CliError::data("unknown data source".to_string())),
        },
    }
}

/// Loads a block's data and, if it has one, its fixed `test` set (a builtin test set is drawn
/// from a seed of its own, see [`train::generate::builtin_test`]).
pub fn load_block_data(
    block: &TrainBlock,
    model_file: &Path,
) -> Result<(train::Dataset, Option<train::Dataset>), CliError> {
    let Some(source) = &block.data else {
        return Err(CliError::data("this block trains an objective, without data".to_string()));
    };
    let dataset = load_dataset(source, block.seed, model_file)?;
    let test = match &block.test {
        Some(DataSource::Csv { .. }) => {
            block.test.as_ref().map(|test| load_dataset(test, block.seed, model_file)).transpose()?
        }
        Some(other) => match train::generate::builtin_test(other, block.seed) {
            Some(result) => Some(result?),
            None => return Err(CliError::data("unknown data source".to_string())),
        },
        None => None,
    };
    Ok((dataset, test))
}

/// The feature columns a block keeps, by name, when its data source selects them (`columns`):
/// `predict` takes the same columns from a file with a header.
fn selected_columns(block: &TrainBlock, dataset: &train::Dataset) -> Option<Vec<String>> {
    match &block.data {
        Some(DataSource::Csv { columns: Some(_), .. }) | Some(DataSource::Iris { columns: Some(_), .. }) => {
            Some(dataset.feature_names.clone())
        }
        _ => None,
    }
}

/// How the features were scaled, which label each class index stands for, and which columns
/// are the features and the labels, kept in the params file's `meta` so that `predict` treats
/// new rows exactly as training did.
fn preparation_meta(block: &TrainBlock, data: &PreparedData, columns: Option<&[String]>) -> Value {
    let (scaling, standardize) = match &data.scaling {
        Some(train::Scaling::MinMax(s)) => {
            (json!({"low": s.low, "high": s.high, "min": s.min, "max": s.max}), Value::Null)
        }
        Some(train::Scaling::Standardize(s)) => (Value::Null, json!({"mean": s.mean, "std": s.std})),
        None => (Value::Null, Value::Null),
    };
    let labels = match &block.data {
        Some(DataSource::Csv { labels, .. }) => json!(labels),
        _ => Value::Null,
    };
    let classes = data.classes.as_ref().map(|classes| {
        classes
            .iter()
            .map(|c| match c {
                train::LabelValue::Number(n) => json!(n),
                train::LabelValue::Text(t) => json!(t),
            })
            .collect::<Vec<_>>()
    });
    json!({"scaling": scaling, "standardize": standardize, "classes": classes, "columns": columns, "labels": labels})
}

fn format_metric(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_else(|| "-".to_string())
}

fn format_accuracy(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", 100.0 * v)).unwrap_or_else(|| "-".to_string())
}

pub fn run(options: &TrainOptions) -> u8 {
    if let Err(message) = check_output_paths(options) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    match train_model(options) {
        Ok(status) => status,
        Err(error) => {
            error.report();
            EXIT_INPUT
        }
    }
}

/// Refuses, as usage errors, output paths that would overwrite the model (`--out model.qml`), a
/// train block's data file, or each other, and output paths that are directories.
fn check_output_paths(options: &TrainOptions) -> Result<(), String> {
    let out_path = options.out.clone().unwrap_or_else(|| default_out_path(&options.file));
    let suggestion = default_out_path(&options.file);
    let outputs =
        [("--out", Some(&out_path)), ("--history", options.history.as_ref()), ("--plot", options.plot.as_ref())];
    for (option, path) in outputs {
        let Some(path) = path else { continue };
        let is_model_file = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("qml"))
            || same_file(path, &options.file);
        if is_model_file {
            let instead = if option == "--out" {
                format!("the trained params are JSON, written by default to `{}`", suggestion.display())
            } else {
                let (what, format, example) = output_example(option);
                format!("the {what} is {format}, such as `{example}`")
            };
            return Err(format!("{option} `{}` would overwrite a model file (.qml); {instead}", path.display()));
        }
    }
    // A directory is a slip of the command line (a file inside it was meant), not a fault of
    // the input, so it is refused here with the usage status.
    let out_name = suggestion.file_name().and_then(|name| name.to_str()).unwrap_or("params.json");
    refuse_directory(&out_path, "--out", out_name)?;
    if let Some(history) = &options.history {
        refuse_directory(history, "--history", "history.csv")?;
    }
    if let Some(plot) = &options.plot {
        refuse_directory(plot, "--plot", "training.svg")?;
    }
    // Training reads its data before it writes, so an output over a data file would replace the
    // data with params or history, losing it.
    let data_files = block_data_files(&options.file);
    for (option, path) in outputs {
        let Some(path) = path else { continue };
        if let Some(data_file) = data_files.iter().find(|data_file| same_file(path, data_file)) {
            let instead = if option == "--out" {
                format!("write the params elsewhere, such as `{}`", suggestion.display())
            } else {
                let (what, _, example) = output_example(option);
                format!("write the {what} elsewhere, such as `{example}`")
            };
            return Err(format!(
                "{option} `{}` is the data file `{}` a train block reads; {instead}",
                path.display(),
                data_file.display()
            ));
        }
    }
    // Two outputs may go to one device such as /dev/null, which takes each write as it comes,
    // but not to one file, which would keep only the last.
    for (index, (option, path)) in outputs.iter().enumerate() {
        let Some(path) = path else { continue };
        for (earlier, earlier_path) in outputs[..index].iter() {
            let Some(earlier_path) = earlier_path else { continue };
            let one_file = path == earlier_path || same_file(path, earlier_path);
            if one_file && !is_written_through(path) {
                return Err(format!(
                    "{option} `{}` is the file {earlier} writes; give each output a path of its own",
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

/// The CSV files the model's train blocks read, resolved against the model's directory as
/// [`load_dataset`] resolves them. A model that cannot be read or compiled gives none: training
/// reports its errors itself, before anything is written.
fn block_data_files(model_file: &Path) -> Vec<PathBuf> {
    let Ok(source) = super::read_source(model_file) else { return Vec::new() };
    let Ok(output) = super::model::compile_source(&source.text) else { return Vec::new() };
    let Some(circuit) = output.circuit else { return Vec::new() };
    let directory = model_file.parent().unwrap_or(Path::new(""));
    circuit
        .train
        .iter()
        .filter_map(|block| match &block.data {
            Some(DataSource::Csv { path, .. }) => Some(directory.join(path)),
            _ => None,
        })
        .collect()
}

/// Whether two paths name one existing file: the same device and inode, so a symbolic or hard
/// link to a file is that file.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn train_model(options: &TrainOptions) -> Result<u8, CliError> {
    let mut model = match load_as_written(&options.file, options.format == Format::Json) {
        Ok(model) => model,
        Err(status) => return Ok(status),
    };
    // The optimized gate list computes the same state with fewer gates, but `qng` measures the
    // metric tensor gate by gate, layer by layer, as PennyLane does on the circuit as written:
    // merged rotations would change its layers (and so its steps).
    if !model.circuit.train.iter().any(|block| matches!(block.optimizer, qmlc::ir::Optimizer::Qng { .. })) {
        model.circuit = qmlc::opt::optimize(&model.circuit).0;
    }
    // A long run must not end unable to write its result, so the output paths are tried first.
    let out_path = options.out.clone().unwrap_or_else(|| default_out_path(&options.file));
    let out_name = default_out_path(&options.file);
    let out_name = out_name.file_name().and_then(|n| n.to_str()).unwrap_or("params.json");
    check_writable(&out_path, "--out", out_name)?;
    if let Some(history_path) = &options.history {
        check_writable(history_path, "--history", "history.csv")?;
    }
    if let Some(plot_path) = &options.plot {
        check_writable(plot_path, "--plot", "training.svg")?;
    }
    let mut blocks: Vec<TrainBlock> = model.circuit.train.clone();
    if blocks.is_empty() {
        return Err(
            format!("{} has no train block: add `train {{ data …; loss …; … }}`", options.file.display()).into()
        );
    }
    if let Some(name) = &options.block {
        let names: Vec<String> = blocks.iter().filter_map(|b| b.name.clone()).map(|n| format!("`{n}`")).collect();
        blocks.retain(|b| b.name.as_deref() == Some(name.as_str()));
        if blocks.is_empty() {
            let known = if names.is_empty() { "none is named".to_string() } else { names.join(", ") };
            return Err(format!("there is no train block named `{name}` (train blocks: {known})").into());
        }
    }
    for block in &mut blocks {
        if let Some(epochs) = options.epochs {
            block.epochs = epochs;
        }
        if let Some(seed) = options.seed {
            block.seed = seed;
        }
    }
    let seed = blocks[0].seed;
    let (values, mut head) = load_params(&model, options.init.as_deref(), seed)?;
    let mut params = values.circuit;

    // Every block's data is read and fitted before the first block trains, so a mistake in the
    // data of a later block does not surface only after the earlier ones have run.
    // A block with an objective (`minimize`/`maximize`) has no data: `None`.
    let mut prepared_data: Vec<Option<(PreparedData, Option<Vec<String>>)>> = Vec::with_capacity(blocks.len());
    for block in &blocks {
        if block.data.is_none() {
            prepared_data.push(None);
            continue;
        }
        let (dataset, test) = load_block_data(block, &options.file)?;
        // The encode layers take rows as wide as the data's, unless `--init` fixed their width.
        if options.init.is_none() && head.n_features().is_some_and(|n| n != dataset.n_features()) {
            head = head.with_encode(&model.circuit.encode, dataset.n_features(), seed);
        }
        let n_features = head.n_features().unwrap_or(model.circuit.n_inputs());
        let columns = selected_columns(block, &dataset);
        let data = train::prepare_with_test(dataset, test, block, n_features, head.n_outputs())?;
        prepared_data.push(Some((data, columns)));
    }

    // Rows are evaluated on every thread at once, each with its own state vectors: the memory
    // budget is shared among them, and one state per thread is checked before the first epoch,
    // so a register too large for the machine is refused instead of failing to allocate.
    let budget = match super::evaluate::memory_budget() {
        Ok(budget) => budget,
        Err(status) => return Ok(status),
    };
    let n_threads = rayon::current_num_threads().max(1);
    let row_budget = MemoryBudget { limit_bytes: budget.limit_bytes / n_threads as u64, origin: budget.origin };
    for block in &blocks {
        let shots = block.shots.map(|count| Shots { count, seed: block.seed });
        let need = sim::memory::execution_need(&model.circuit, shots).times(n_threads as u128);
        if let Err(error) = budget.check("training on every thread", need) {
            return Err(CliError::new(error.code(), error.to_string()));
        }
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // A second Ctrl-C while the first is being honoured ends the process at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }

    let mut history: Vec<HistoryEntry> = Vec::new();
    let mut block_summaries = Vec::new();
    let mut last_preparation = Value::Null;
    let mut interrupted = false;
    // Whether the last block trained ran an objective, which the final report names as such.
    let mut final_is_objective = false;
    let show_bar = options.format == Format::Human && std::io::stderr().is_terminal();
    for (block_idx, (block, prepared)) in blocks.iter().zip(&prepared_data).enumerate() {
        let block_name = block.name.clone().unwrap_or_else(|| format!("{}", block_idx + 1));
        let (data, columns) = match prepared {
            Some((data, columns)) => (Some(data), columns.as_deref()),
            None => (None, None),
        };
        if let Some(data) = data {
            last_preparation = preparation_meta(block, data, columns);
        }
        let sim_model = SimModel::new(&model.circuit, block.gradient, block.shots, model.n_measured, row_budget);
        let objective = block.objective.map(objective_name);
        if options.format == Format::Human {
            match (data, objective) {
                (Some(data), _) => println!(
                    "training block {block_name}: {} training rows, {} test rows, {} epochs, batch {}",
                    data.train.len(),
                    data.test.len(),
                    block.epochs,
                    block.batch
                ),
                (None, name) => println!(
                    "training block {block_name}: {} the model's output, {} epochs, optimizer {}",
                    name.unwrap_or("minimize"),
                    block.epochs,
                    block.optimizer.name()
                ),
            }
        }
        let bar = show_bar.then(|| {
            let bar = ProgressBar::new(block.epochs as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30.cyan/blue} epoch {pos}/{len} {msg} [{elapsed_precise}, eta {eta}]",
                )
                .expect("the template is valid")
                .progress_chars("█▉▊▋▌▍▎▏ "),
            );
            bar
        });
        let mut observer = |report: &EpochReport| {
            match options.format {
                Format::Json => {
                    let mut line = report_json(report, objective.is_some());
                    if let Value::Object(object) = &mut line {
                        object.insert("block".to_string(), json!(block_name));
                    }
                    println!("{line}");
                }
                Format::Human => {
                    let text = match objective {
                        Some(_) => format!("objective {:.6}", report.train_loss),
                        None => format!(
                            "loss {:.4}  test loss {}  accuracy {}  test accuracy {}",
                            report.train_loss,
                            format_metric(report.test_loss),
                            format_accuracy(report.train_accuracy),
                            format_accuracy(report.test_accuracy)
                        ),
                    };
                    match &bar {
                        Some(bar) => {
                            bar.set_position(report.epoch as u64);
                            bar.set_message(text);
                        }
                        None => println!("epoch {:>4}  {text}", report.epoch),
                    }
                }
            }
            history.push(HistoryEntry {
                block: block_name.clone(),
                objective: objective.is_some(),
                report: report.clone(),
            });
            Control::Continue
        };
        let result = match data {
            Some(data) => train::train(block, &sim_model, &mut head, &mut params, data, &stop, &mut observer),
            None => train::train_objective(block, &sim_model, &mut head, &mut params, &stop, &mut observer),
        };
        if let Some(bar) = &bar {
            bar.finish();
        }
        let summary = match result {
            Ok(summary) => summary,
            // An error that points at an operation is shown on its line of the model, as `run`
            // shows it; the others are one line with their code.
            Err(error) => match (error.code(), error.span()) {
                (Some(code), Some(span)) => {
                    report_run_error(&model, code, &error.to_string(), Some(span));
                    return Ok(EXIT_INPUT);
                }
                _ => return Err(error.into()),
            },
        };
        block_summaries.push(json!({
            "block": block_name,
            "epochs_run": summary.epochs_run,
            "steps": summary.steps,
            "stop_reason": summary.stop_reason,
            "final": summary.last.as_ref().map(|report| report_json(report, objective.is_some())),
        }));
        if options.format == Format::Human && summary.stop_reason == StopReason::Patience {
            let what = if objective.is_some() { "objective" } else { "loss" };
            println!("stopped early: the {what} has not improved for {} epochs", block.patience.unwrap_or(0));
        }
        if options.format == Format::Human && summary.stop_reason == StopReason::Converged {
            println!("stopped: cobyla converged after {} epochs", summary.epochs_run);
        }
        final_is_objective = objective.is_some();
        if summary.stop_reason == StopReason::Interrupted {
            interrupted = true;
            break;
        }
    }

    let final_report = history.last().map(|entry| report_json(&entry.report, final_is_objective));
    let meta = json!({
        "source_sha256": format!("{:x}", Sha256::digest(model.source.text.as_bytes())),
        "source": options.file.display().to_string(),
        "seed": seed,
        "epochs_run": history.len(),
        "interrupted": interrupted,
        "final": final_report,
        "blocks": block_summaries,
        "data": last_preparation,
    });
    let values = ParamValues { circuit: params, head: head.params.clone() };
    let json = params_to_json(&model.circuit, &head, &values, Some(meta));
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n";
    write_output(&out_path, "--out", text.as_bytes())?;
    if let Some(history_path) = &options.history {
        write_output(history_path, "--history", history_csv(&history).as_bytes())?;
    }
    if let Some(plot_path) = &options.plot {
        let name =
            options.file.file_name().map_or(options.file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let title = format!("training {name}");
        let svg = super::plot::chart(&title, &history).map_err(CliError::data)?;
        write_output(plot_path, "--plot", svg.as_bytes())?;
    }
    match options.format {
        Format::Json => {
            let done = json!({
                "done": true,
                "params": out_path.display().to_string(),
                "epochs": history.len(),
                "interrupted": interrupted,
                "final": final_report,
            });
            println!("{done}");
        }
        Format::Human => {
            let last = history.last().map(|entry| &entry.report);
            if let (Some(report), true) = (last, final_is_objective) {
                println!("final: objective {:.6}", report.train_loss);
            } else if let Some(report) = last {
                println!(
                    "final: loss {:.4}, test loss {}, accuracy {}, test accuracy {}",
                    report.train_loss,
                    format_metric(report.test_loss),
                    format_accuracy(report.train_accuracy),
                    format_accuracy(report.test_accuracy)
                );
            }
            if interrupted {
                println!("interrupted: wrote the params reached so far");
            }
            println!("wrote {}", out_path.display());
        }
    }
    Ok(if interrupted { EXIT_INTERRUPTED } else { EXIT_OK })
}

/// `minimize` or `maximize`, as the train block writes it.
fn objective_name(objective: qmlc::ir::Objective) -> &'static str {
    match objective {
        qmlc::ir::Objective::Minimize => "minimize",
        qmlc::ir::Objective::Maximize => "maximize",
    }
}

/// An epoch's report as JSON: for a block with an objective, `{"epoch", "objective", "seconds"}`
/// (the output as it is, LANGUAGE.md §10.1), else every metric.
fn report_json(report: &EpochReport, objective: bool) -> Value {
    if objective {
        json!({"epoch": report.epoch, "objective": report.train_loss, "seconds": report.seconds})
    } else {
        serde_json::to_value(report).unwrap_or(Value::Null)
    }
}

/// The history as CSV: a row per epoch of every block. As the JSON lines do, an objective block
/// (`minimize`/`maximize`) reports `objective` and no loss or accuracy: a run of objectives only
/// has the columns `block,epoch,objective,seconds`; a run with both kinds of block has every
/// column, each row filling those its block has.
fn history_csv(history: &[HistoryEntry]) -> String {
    let objectives = history.iter().filter(|entry| entry.objective).count();
    let (with_objective, with_losses) = (objectives > 0, objectives < history.len() || history.is_empty());
    let mut columns = vec!["block", "epoch"];
    if with_objective {
        columns.push("objective");
    }
    if with_losses {
        columns.extend(["train_loss", "test_loss", "train_accuracy", "test_accuracy"]);
    }
    columns.push("seconds");
    let mut out = columns.join(",") + "\n";
    let cell = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for entry in history {
        let report = &entry.report;
        let mut row = vec![entry.block.clone(), report.epoch.to_string()];
        if with_objective {
            row.push(cell(entry.objective.then_some(report.train_loss)));
        }
        if with_losses {
            row.push(cell((!entry.objective).then_some(report.train_loss)));
            row.extend([report.test_loss, report.train_accuracy, report.test_accuracy].map(cell));
        }
        row.push(report.seconds.to_string());
        out.push_str(&(row.join(",") + "\n"));
    }
    out
}

/// What a training run recorded in a params file's `meta.data` about its data: how the features
/// were scaled (min-max or standardized), the label of each class index, and the feature and
/// label columns when the block named them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preparation {
    pub scaling: Option<train::Scaling>,
    pub classes: Option<Vec<Value>>,
    /// The feature columns training kept (`columns`), by name.
    pub columns: Option<Vec<String>>,
    /// The label columns of the training data.
    pub labels: Option<Vec<String>>,
}

/// Reads the `meta.data` a training run left in a params file (scaling, class labels, columns).
/// A file without one (written by hand, or by a `run`) gives none; a file written before
/// `standardize`, `columns` and `labels` existed gives its scaling and classes.
pub fn read_preparation(params_path: &Path) -> Result<Preparation, String> {
    let json = read_json(params_path, "the params file")?;
    let data = &json["meta"]["data"];
    let numbers = |v: &Value| -> Option<Vec<f64>> { v.as_array()?.iter().map(Value::as_f64).collect() };
    let names =
        |v: &Value| -> Option<Vec<String>> { v.as_array()?.iter().map(|n| n.as_str().map(str::to_string)).collect() };
    let missing = |field: &str| format!("{}: meta.data.{field} is missing", params_path.display());
    let scaling = match (&data["scaling"], &data["standardize"]) {
        (Value::Object(s), _) => Some(train::Scaling::MinMax(train::MinMax {
            low: s.get("low").and_then(Value::as_f64).ok_or_else(|| missing("scaling.low"))?,
            high: s.get("high").and_then(Value::as_f64).ok_or_else(|| missing("scaling.high"))?,
            min: s.get("min").and_then(numbers).ok_or_else(|| missing("scaling.min"))?,
            max: s.get("max").and_then(numbers).ok_or_else(|| missing("scaling.max"))?,
        })),
        (_, Value::Object(s)) => Some(train::Scaling::Standardize(train::Standardization {
            mean: s.get("mean").and_then(numbers).ok_or_else(|| missing("standardize.mean"))?,
            std: s.get("std").and_then(numbers).ok_or_else(|| missing("standardize.std"))?,
        })),
        _ => None,
    };
    let classes = data["classes"].as_array().cloned();
    let columns = names(&data["columns"]);
    let labels = names(&data["labels"]);
    Ok(Preparation { scaling, classes, columns, labels })
}
