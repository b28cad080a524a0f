//! `qmlc predict`, and `run`/`grad --data`: the model's outputs for every row of a CSV file, each row made into inputs exactly as training made its rows.

use super::evaluate::{
    chain_through_head, finite_head_values, model_outputs, CircuitJacobian, EvaluateOptions, GradCircuit,
};
use super::files::{read_text_file, CSV_LIMIT};
use super::model::{load, load_params, report_run_error, CliError, Model};
use super::train::{read_preparation, Preparation};
use super::{Format, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::grad;
use qmlc::ir::{DataSource, Features, GradientMethod, Loss};
use qmlc::params::{nest, ParamValues};
use qmlc::sim::{self, Shots};
use qmlc::train::data::ColumnChoice;
use qmlc::train::{self, DataError, Dataset, Head, HeaderFound, HeaderRule, Scaling};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

pub struct PredictOptions {
    pub file: PathBuf,
    pub params: PathBuf,
    pub data: PathBuf,
    /// `--no-header`: the file's first row is data.
    pub no_header: bool,
    pub format: Format,
}

pub fn run(options: &PredictOptions) -> u8 {
    match predict(options) {
        Ok(status) => status,
        Err(error) => {
            error.report();
            EXIT_INPUT
        }
    }
}

/// One row's prediction: its 1-based row number among the data rows, the file line it is on,
/// the model's outputs and the predicted label.
struct Prediction {
    row: usize,
    line: usize,
    outputs: Vec<f64>,
    label: Value,
    /// The label as the human table shows it: class labels as they are (`1`, `setosa`), a
    /// regression output to four decimals.
    label_text: String,
}

/// Reads what training recorded in a params file's `meta.data` and checks it against the model:
/// without the scaling or the classes that training recorded, every prediction would be silently
/// wrong, so a params file that lacks what the model's train block implies is refused (E0908).
pub fn checked_preparation(model: &Model, head: &Head, params_path: &Path) -> Result<Preparation, CliError> {
    let preparation = read_preparation(params_path).map_err(CliError::params)?;
    let block = model.circuit.train.first();
    let params_name = params_path.display();
    // The block's feature map must have been recorded, and as the same kind of map.
    let recorded = match (block.map(|b| b.features), &preparation.scaling) {
        (Some(Features::Scale(..)), Some(Scaling::MinMax(_)))
        | (Some(Features::Standardize), Some(Scaling::Standardize(_))) => Ok(()),
        (Some(Features::Scale(low, high)), _) => Err(("scaling", format!("scale({low}, {high})"))),
        (Some(Features::Standardize), _) => Err(("standardize", "standardize".to_string())),
        _ => Ok(()),
    };
    if let Err((field, written)) = recorded {
        return Err(CliError::params(format!(
            "{params_name} lacks the feature scaling (`meta.data.{field}`) that `qmlc train` writes, and the \
             model's train block scales its features (`features {written}`); predict with the params \
             file `qmlc train` wrote"
        )));
    }
    if let Some(loss) = block.map(|b| b.loss).filter(|loss| loss.uses_classes()) {
        if preparation.classes.is_none() {
            return Err(CliError::params(format!(
                "{params_name} lacks the class labels (`meta.data.classes`) that `qmlc train` writes, and the model's \
                 train block uses `loss {}`; predict with the params file `qmlc train` wrote",
                loss.name()
            )));
        }
    }
    check_scaling_fits(model, head, params_path, preparation.scaling.as_ref())?;
    Ok(preparation)
}

/// Checks that a recorded scaling has a range for every one of the model's input values.
fn check_scaling_fits(
    model: &Model,
    head: &Head,
    params_path: &Path,
    scaling: Option<&Scaling>,
) -> Result<(), CliError> {
    // With encode layers the scaling is of the data rows the layers take.
    let n_inputs = head.n_features().unwrap_or(model.circuit.n_inputs());
    match scaling {
        Some(scaling) if scaling.width() != n_inputs => {
            let (field, what) = match scaling {
                Scaling::MinMax(_) => ("scaling", "ranges"),
                Scaling::Standardize(_) => ("standardize", "means and deviations"),
            };
            Err(CliError::params(format!(
                "{}: meta.data.{field} has {what} for {}, but the model's input has {}",
                params_path.display(),
                plural(scaling.width(), "feature"),
                plural(n_inputs, "value")
            )))
        }
        _ => Ok(()),
    }
}

/// The rows of a data file and the model's inputs made from them.
pub struct DataRows {
    pub dataset: Dataset,
    /// The model's input values for each row, made by [`train::model_inputs`] and the encode
    /// layers.
    pub inputs: Vec<Vec<f64>>,
    /// Each row after [`train::model_inputs`] and before the encode layers: what `grad`
    /// differentiates them at. Without encode layers, the same as `inputs`.
    pub features: Vec<Vec<f64>>,
    pub header: HeaderFound,
}

/// Reads the data file of `predict --data` or `run`/`grad --data` (a regular file of at most
/// [`CSV_LIMIT`] bytes) and makes each row into the model's inputs, scaled as training scaled
/// its rows (`preparation.scaling`). The label columns (see [`label_columns`]) are left out of
/// the features; a file with a header gives the columns training kept (`preparation.columns`),
/// when it kept some. Every problem is error E0907.
pub fn read_data_rows(
    model: &Model,
    head: &Head,
    data_path: &Path,
    preparation: &Preparation,
    rule: HeaderRule,
) -> Result<DataRows, CliError> {
    let scaling = preparation.scaling.as_ref();
    let label_names = label_columns(model, preparation);
    let label_names: Vec<&str> = label_names.iter().map(String::as_str).collect();
    let text = read_text_file(data_path, "the data file", CSV_LIMIT).map_err(CliError::data)?;
    let source = data_path.display().to_string();
    let n_inputs = head.n_features().unwrap_or(model.circuit.n_inputs());
    // The params file records training's columns in training's order; without one, the block's
    // `columns` are taken in the file's order, as training takes them from its own file.
    let block_columns = model_columns(model);
    let choice = match (&preparation.columns, &block_columns) {
        (Some(names), _) => Some(ColumnChoice { names, in_file_order: false }),
        (None, Some(names)) => Some(ColumnChoice { names, in_file_order: true }),
        (None, None) => None,
    };
    let (dataset, header) = train::data::rows_from_csv_columns(&text, &source, &label_names, choice, rule, n_inputs)?;
    if dataset.n_features() != n_inputs {
        return Err(DataError::FeatureCount {
            source,
            header_line: dataset.header_line,
            columns: dataset.feature_names.clone(),
            expected: n_inputs,
        }
        .into());
    }
    let features: Vec<Vec<f64>> =
        dataset.features.iter().map(|features| train::model_inputs(features, scaling)).collect();
    let inputs = features.iter().map(|row| head.encode_row(row)).collect();
    Ok(DataRows { dataset, inputs, features, header })
}

/// The names the label columns of a data file to evaluate may have: the train block's label
/// columns for CSV data (as the params file recorded them, else as the block names them); for
/// the builtin `iris()` data, the column its table names the labels by (`species`, as in
/// src/train/iris.csv) and `label`; else `label`.
fn label_columns(model: &Model, preparation: &Preparation) -> Vec<String> {
    if let Some(labels) = &preparation.labels {
        return labels.clone();
    }
    match model.circuit.train.first().and_then(|b| b.data.as_ref()) {
        Some(DataSource::Csv { labels, .. }) => labels.clone(),
        Some(DataSource::Iris { .. }) => vec!["species".to_string(), "label".to_string()],
        _ => vec!["label".to_string()],
    }
}

/// The feature columns the model's train block keeps by name, when it names them: a CSV file's
/// `columns`, or the iris table's columns of `iris(columns = […])`. A params file's record of
/// them comes first (see [`read_data_rows`]); this serves evaluations without one.
fn model_columns(model: &Model) -> Option<Vec<String>> {
    match model.circuit.train.first().and_then(|b| b.data.as_ref()) {
        Some(DataSource::Csv { columns: Some(columns), .. }) => Some(columns.clone()),
        Some(DataSource::Iris { columns: Some(columns), .. }) => {
            let mut columns = columns.clone();
            columns.sort_unstable();
            Some(columns.iter().filter_map(|&k| train::generate::IRIS_COLUMNS.get(k)).map(|n| n.to_string()).collect())
        }
        _ => None,
    }
}

/// `1 feature`, `4 features`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The note saying how a data file's first row was read: `note: `d.csv` has a header (line 1)`.
pub fn header_note(data_path: &Path, header: &HeaderFound) -> String {
    let name = data_path.display();
    match header {
        HeaderFound::Header { line } => {
            format!("note: `{name}` has a header (line {line}); give --no-header if that line is data")
        }
        HeaderFound::NoHeader { told, n_columns, label_last } => {
            let why = if *told { "--no-header was given" } else { "its first row holds numbers, not column names" };
            let n_inputs = if *label_last { n_columns.saturating_sub(1) } else { *n_columns };
            let columns = match (*label_last, n_inputs) {
                (true, 1) => "its first column is the input, and the last is the label".to_string(),
                (true, n) => format!("its first {n} columns are the inputs in order, and the last is the label"),
                (false, 1) => "its one column is the input".to_string(),
                (false, n) => format!("its {n} columns are the inputs in order"),
            };
            format!("note: `{name}` has no header ({why}): {columns}")
        }
    }
}

fn header_rule(no_header: bool) -> HeaderRule {
    if no_header {
        HeaderRule::Absent
    } else {
        HeaderRule::Detect
    }
}

fn predict(options: &PredictOptions) -> Result<u8, CliError> {
    let model = match load(&options.file, options.format == Format::Json) {
        Ok(model) => model,
        Err(status) => return Ok(status),
    };
    let (values, head) = load_params(&model, Some(&options.params), 0)?;
    let preparation = checked_preparation(&model, &head, &options.params)?;
    let rows = read_data_rows(&model, &head, &options.data, &preparation, header_rule(options.no_header))?;
    let classes = preparation.classes;
    let loss = model.circuit.train.first().map(|b| b.loss);
    let budget = match super::evaluate::memory_budget() {
        Ok(budget) => budget,
        Err(status) => return Ok(status),
    };
    let mut predictions = Vec::with_capacity(rows.inputs.len());
    for (row_idx, inputs) in rows.inputs.iter().enumerate() {
        let execution = match sim::execute_within(&model.circuit, inputs, &values.circuit, None, budget) {
            Ok(execution) => execution,
            Err(error) => {
                let message = format!("{}: {error}", rows.dataset.row_location(row_idx));
                report_run_error(&model, error.code(), &message, error.span());
                return Ok(EXIT_INPUT);
            }
        };
        let outputs = model_outputs(&head, &execution.outputs);
        finite_head_values(&head, &outputs, &[]).map_err(|error| CliError {
            code: error.code,
            message: format!("{}: {}", rows.dataset.row_location(row_idx), error.message),
        })?;
        let (label, label_text) = predicted_label(loss, classes.as_deref(), &outputs);
        let line = rows.dataset.lines.get(row_idx).copied().unwrap_or(row_idx + 1);
        predictions.push(Prediction { row: row_idx + 1, line, outputs, label, label_text });
    }
    match options.format {
        Format::Json => {
            let rows: Vec<Value> = predictions
                .iter()
                .map(|p| json!({"row": p.row, "line": p.line, "outputs": p.outputs, "label": p.label}))
                .collect();
            println!("{}", json!({ "predictions": rows }));
        }
        Format::Human => {
            eprintln!("{}", header_note(&options.data, &rows.header));
            print!("{}", human_table(&predictions));
        }
    }
    Ok(EXIT_OK)
}

/// The label predicted from a row's outputs, as JSON and as the human output shows it: for the
/// losses of classes (`cross_entropy`, `nll`, `mse(onehot)`, `mse(signed)`), the class label of
/// the largest output (`classes`, from the params file; for `mse(signed)` with one output, the
/// second class when the output is positive, else the first); for `bce`, 1 when the output is
/// 0.5 or more, else 0; for `hinge`, the sign; for several outputs otherwise, the index of the
/// largest; for one, the output itself (to four decimals in the text). `predict` and
/// `run`/`grad --data` both label their rows with it.
fn predicted_label(loss: Option<Loss>, classes: Option<&[Value]>, outputs: &[f64]) -> (Value, String) {
    match (loss, classes) {
        (Some(loss), Some(classes)) if loss.uses_classes() => {
            let class_idx = if loss == Loss::MseSigned && outputs.len() == 1 {
                Some(usize::from(outputs[0] > 0.0))
            } else {
                train::loss::argmax(outputs)
            };
            let label = class_idx.and_then(|k| classes.get(k)).map_or(Value::Null, class_label);
            let text = match &label {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (label, text)
        }
        (Some(Loss::Bce), _) => {
            let class = i32::from(outputs.first().copied().unwrap_or(0.0) >= 0.5);
            (json!(class), class.to_string())
        }
        (Some(Loss::Hinge), _) => {
            let sign = if outputs.first().copied().unwrap_or(0.0) > 0.0 { 1 } else { -1 };
            (json!(sign), sign.to_string())
        }
        _ if outputs.len() > 1 => {
            let class_idx = train::loss::argmax(outputs);
            (json!(class_idx), class_idx.map_or_else(|| "null".to_string(), |k| k.to_string()))
        }
        _ => {
            let output = outputs.first().copied();
            (json!(output), output.map_or_else(|| "null".to_string(), |x| format!("{x:.4}")))
        }
    }
}

/// `run --data` (no `method`) and `grad --data` (with the gradient method): the model's outputs,
/// and for `grad` their Jacobian, for every row of a CSV file, each row made into inputs by
/// [`read_data_rows`] as `predict` makes them. With shots, row k samples from its own seed,
/// drawn from `--seed` and k.
pub fn evaluate_rows(options: &EvaluateOptions, data_path: &Path, method: Option<GradientMethod>) -> u8 {
    if let Some(input) = options.inputs.first() {
        eprintln!("error: --data gives the inputs, a row at a time, so --input cannot be given with it (`{input}`)");
        return EXIT_USAGE;
    }
    let model = match load(&options.file, options.format == Format::Json) {
        Ok(model) => model,
        Err(status) => return status,
    };
    match evaluate_model_rows(&model, options, data_path, method) {
        Ok(status) => status,
        Err(error) => {
            error.report();
            EXIT_INPUT
        }
    }
}

fn evaluate_model_rows(
    model: &Model,
    options: &EvaluateOptions,
    data_path: &Path,
    method: Option<GradientMethod>,
) -> Result<u8, CliError> {
    let (values, mut head) = load_params(model, options.params.as_deref(), options.seed)?;
    let measured;
    let model = if options.measure.is_empty() {
        model
    } else {
        match super::model::with_measurements(model, &mut head, &options.measure) {
            Ok(replaced) => {
                measured = replaced;
                &measured
            }
            Err(status) => return Ok(status),
        }
    };
    let mut notes = Vec::new();
    let preparation = match &options.params {
        Some(params_path) => checked_preparation(model, &head, params_path)?,
        None => {
            notes.push(initializers_note(options.seed));
            Preparation::default()
        }
    };
    // Rows are labelled as predict labels them; a model of classes without a trained params
    // file has no class labels to give, so its rows go without.
    let loss = model.circuit.train.first().map(|b| b.loss);
    let labelled =
        !(loss.is_some_and(Loss::uses_classes) && preparation.classes.is_none()) && options.measure.is_empty();
    let rows = read_data_rows(model, &head, data_path, &preparation, header_rule(options.no_header))?;
    let classes = preparation.classes;
    notes.push(header_note(data_path, &rows.header));
    let circuit = &model.circuit;
    let budget = match super::evaluate::memory_budget() {
        Ok(budget) => budget,
        Err(status) => return Ok(status),
    };
    let grad_options = grad::GradOptions { memory: budget, ..grad::GradOptions::default() };
    let differentiated = method.map(|_| GradCircuit::new(circuit, &head));
    let mut json_rows = Vec::with_capacity(rows.inputs.len());
    let mut human = String::new();
    for (row_idx, (inputs, features)) in rows.inputs.iter().zip(&rows.features).enumerate() {
        let shots = options.shots.map(|count| Shots { count, seed: train::shot_seed(options.seed, &[row_idx as u64]) });
        let location = rows.dataset.row_location(row_idx);
        let line = rows.dataset.lines.get(row_idx).copied().unwrap_or(row_idx + 1);
        let (outputs, jacobian) = match method.zip(differentiated.as_ref()) {
            None => match sim::execute_within(circuit, inputs, &values.circuit, shots, budget) {
                Ok(execution) => (model_outputs(&head, &execution.outputs), None),
                Err(error) => {
                    report_run_error(model, error.code(), &format!("{location}: {error}"), error.span());
                    return Ok(EXIT_INPUT);
                }
            },
            Some((method, differentiated)) => {
                match differentiated.jacobian(&head, features, &values.circuit, method, shots, grad_options) {
                    Ok(jacobian) => {
                        let (outputs, by_name) = jacobian_by_name(model, &head, &jacobian);
                        (outputs, Some(by_name))
                    }
                    Err(grad::GradError::Sim(error)) => {
                        report_run_error(model, error.code(), &format!("{location}: {error}"), error.span());
                        return Ok(EXIT_INPUT);
                    }
                    Err(error) => return Err(CliError::from(format!("{location}: {error}"))),
                }
            }
        };
        finite_head_values(&head, &outputs, &[])
            .map_err(|error| CliError { code: error.code, message: format!("{location}: {}", error.message) })?;
        let shown: Vec<String> = outputs.iter().map(|x| format!("{x:.10}")).collect();
        let label = labelled.then(|| predicted_label(loss, classes.as_deref(), &outputs));
        let label_shown = label.as_ref().map_or_else(String::new, |(_, text)| format!(", label {text}"));
        human.push_str(&format!("row {} (line {line}): outputs [{}]{label_shown}\n", row_idx + 1, shown.join(", ")));
        let mut row = json!({"row": row_idx + 1, "line": line, "outputs": outputs});
        if let Some((label, _)) = label {
            row["label"] = label;
        }
        if let Some(by_name) = jacobian {
            for (name, value) in &by_name {
                human.push_str(&format!("  d outputs / d {name}:\n"));
                for (output_idx, per_output) in value.as_array().into_iter().flatten().enumerate() {
                    let flat: Vec<String> = numbers(per_output).iter().map(|x| format!("{x:.8}")).collect();
                    human.push_str(&format!("    output {output_idx}: [{}]\n", flat.join(", ")));
                }
            }
            row["jacobian"] = Value::Object(by_name);
        }
        json_rows.push(row);
    }
    match options.format {
        Format::Json => println!("{}", json!({ "rows": json_rows })),
        Format::Human => {
            notes.iter().for_each(|note| eprintln!("{note}"));
            print!("{human}");
        }
    }
    Ok(EXIT_OK)
}

/// The numbers of nested JSON arrays, row-major; null (which `nest` makes of NaN) reads as NaN.
fn numbers(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        other => vec![other.as_f64().unwrap_or(f64::NAN)],
    }
}

/// The note `run` and `grad` print when no params file is given.
pub fn initializers_note(seed: u64) -> String {
    format!("note: no --params given: params take their initializers drawn from seed {seed}")
}

/// The model's outputs and their Jacobian by param name (the head's and the encode layers'
/// tensors included), each
/// nested as `[n_outputs] + shape`, as `grad` prints it.
fn jacobian_by_name(model: &Model, head: &Head, jacobian: &CircuitJacobian) -> (Vec<f64>, Map<String, Value>) {
    let circuit = &model.circuit;
    let (outputs, model_jacobian) = chain_through_head(head, &jacobian.jacobian, jacobian.encode.as_ref());
    let n_circuit = circuit.n_params();
    let n_outputs = outputs.len();
    let n_total = n_circuit + head.params.len();
    let tensor = |offset: usize, shape: &[usize]| -> Value {
        let size: usize = shape.iter().product();
        let row = |o: usize| &model_jacobian[o * n_total + offset..o * n_total + offset + size];
        Value::Array((0..n_outputs).map(|o| nest(row(o), shape)).collect())
    };
    let mut by_name = Map::new();
    for param in &circuit.params {
        by_name.insert(param.variable.name.clone(), tensor(param.variable.offset, &param.variable.shape));
    }
    for head_tensor in head.tensors() {
        by_name.insert(head_tensor.name.clone(), tensor(n_circuit + head_tensor.offset, &head_tensor.shape));
    }
    (outputs, by_name)
}

/// For `run` and `grad` with `--input`: scales the given inputs as training scaled its rows when
/// `--params` is a trained params file with a recorded scaling (the user gives raw features, as
/// the data file has them), and returns the notes to print with the results: that, and where
/// the params came from without `--params`. The caller passes the scaled row through the encode
/// layers (`grad` differentiates at the row before them).
pub fn prepare_given_inputs(
    model: &Model,
    options: &EvaluateOptions,
    values: &ParamValues,
    head: &Head,
    inputs: &mut Vec<f64>,
) -> Result<Vec<String>, CliError> {
    let mut notes = Vec::new();
    let Some(params_path) = options.params.as_deref() else {
        if !values.circuit.is_empty() || !values.head.is_empty() {
            notes.push(initializers_note(options.seed));
        }
        return Ok(notes);
    };
    let Preparation { scaling, .. } = read_preparation(params_path).map_err(CliError::params)?;
    if let Some(scaling) = scaling {
        check_scaling_fits(model, head, params_path, Some(&scaling))?;
        *inputs = train::model_inputs(inputs, Some(&scaling));
        let field = match scaling {
            Scaling::MinMax(_) => "scaling",
            Scaling::Standardize(_) => "standardize",
        };
        notes.push(format!(
            "note: the inputs were scaled as training scaled its rows (`meta.data.{field}` of `{}`); give them as \
             the data file has them",
            params_path.display()
        ));
    }
    Ok(notes)
}

/// A class label as JSON: a whole number as an integer (`1`, not `1.0`), anything else as it is.
fn class_label(label: &Value) -> Value {
    match label.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(x as i64),
        _ => label.clone(),
    }
}

/// The predictions as a table: row, file line, prediction and outputs.
fn human_table(predictions: &[Prediction]) -> String {
    let mut out = format!("{:>5}  {:>5}  {:<16}  outputs\n", "row", "line", "prediction");
    for prediction in predictions {
        let outputs: Vec<String> = prediction.outputs.iter().map(|x| format!("{x:.4}")).collect();
        out.push_str(&format!(
            "{:>5}  {:>5}  {:<16}  [{}]\n",
            prediction.row,
            prediction.line,
            prediction.label_text,
            outputs.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_number_class_labels_print_without_decimals() {
        assert_eq!(class_label(&json!(1.0)), json!(1));
        assert_eq!(class_label(&json!(-2.0)), json!(-2));
        assert_eq!(class_label(&json!(2.5)), json!(2.5));
        assert_eq!(class_label(&json!("setosa")), json!("setosa"));
        let prediction =
            Prediction { row: 1, line: 2, outputs: vec![0.25, 0.75], label: json!(1), label_text: "1".to_string() };
        assert_eq!(
            human_table(&[prediction]),
            "  row   line  prediction        outputs\n    1      2  1                 [0.2500, 0.7500]\n"
        );
    }
}
