//! What several subcommands share: compiling a model file, reading params and inputs, and errors with their codes.

use super::files::{read_text_file, JSON_LIMIT};
use super::{read_source, stderr_color, with_large_stack, EXIT_INPUT};
use qmlc::codes::Code;
use qmlc::diagnostic::Severity;
use qmlc::ir::Circuit;
use qmlc::params::{self, ParamValues};
use qmlc::render;
use qmlc::source::Source;
use qmlc::train::Head;
use std::fmt;
use std::path::Path;

/// The `--const NAME=VALUE` overrides of this process's one command, set once by `main` before
/// the command runs, so that every compile of the command (the model, its data files' check, a
/// second compile for `--measure`) sees the same values without each function passing them on.
static CONST_OVERRIDES: std::sync::OnceLock<Vec<(String, f64)>> = std::sync::OnceLock::new();

/// Records the command's `--const` overrides; called once, before the command runs.
pub fn set_const_overrides(overrides: Vec<(String, f64)>) {
    let _ = CONST_OVERRIDES.set(overrides);
}

/// Compiles a model's text with the command's `--const` overrides. A `--const` that names no
/// const of the file is a usage error (`Err` holds the message; exit status 2).
pub fn compile_source(text: &str) -> Result<qmlc::check::CheckOutput, String> {
    let overrides = CONST_OVERRIDES.get().cloned().unwrap_or_default();
    if !overrides.is_empty() {
        let declared = qmlc::check::declared_consts(text);
        for (name, value) in &overrides {
            if !declared.contains(name) {
                let listed = if declared.is_empty() {
                    "it declares none".to_string()
                } else {
                    format!(
                        "its consts are {}",
                        declared.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                let hint = qmlc::check::did_you_mean(name, declared.iter().map(String::as_str))
                    .map(|hint| format!("; {hint}"))
                    .unwrap_or_default();
                return Err(format!("--const {name}={value}: the model declares no const `{name}` ({listed}){hint}"));
            }
        }
    }
    let text = text.to_string();
    let options = qmlc::check::CompileOptions { const_overrides: overrides };
    Ok(with_large_stack(move || qmlc::check::compile_with(&text, &options)))
}

/// Parses one `--const NAME=VALUE`: a name and a finite number.
pub fn parse_const_override(text: &str) -> Result<(String, f64), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err("expected NAME=VALUE, e.g. `--const n=6`".to_string());
    };
    let name = name.trim();
    let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid_name {
        return Err(format!("`{name}` is not a name"));
    }
    match value.trim().parse::<f64>() {
        Ok(number) if number.is_finite() => Ok((name.to_string(), number)),
        _ => Err(format!("`{}` is not a finite number", value.trim())),
    }
}

/// A compiled model, ready to run.
pub struct Model {
    pub source: Source,
    pub circuit: Circuit,
    /// The measured outputs the head reads (before the head).
    pub n_measured: usize,
}

/// Compiles a file and optimizes its gate list; on errors prints them to stderr and returns the
/// exit status.
pub fn load(path: &Path, quiet_warnings: bool) -> Result<Model, u8> {
    let mut model = load_as_written(path, quiet_warnings)?;
    // The optimized gate list computes the same state with fewer gates.
    model.circuit = qmlc::opt::optimize(&model.circuit).0;
    Ok(model)
}

/// Compiles a file as [`load`] does, but keeps the gate list as the source writes it (for
/// drawings, which show the circuit as written).
pub fn load_as_written(path: &Path, quiet_warnings: bool) -> Result<Model, u8> {
    let source = read_source(path).map_err(|message| {
        eprintln!("{message}");
        EXIT_INPUT
    })?;
    let output = compile_source(&source.text).map_err(|message| {
        eprintln!("error: {message}");
        super::EXIT_USAGE
    })?;
    let color = stderr_color();
    let errors = output.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    for diagnostic in &output.diagnostics {
        if diagnostic.is_error() || !quiet_warnings {
            eprint!("{}", render::human(diagnostic, &source, color));
        }
    }
    let Some(circuit) = output.circuit.filter(|_| errors == 0) else {
        eprintln!("{}: {}", source.name, render::summary(errors, output.diagnostics.len() - errors));
        return Err(EXIT_INPUT);
    };
    let n_measured = circuit.measurements.iter().filter_map(|m| m.n_outputs()).sum();
    Ok(Model { source, circuit, n_measured })
}

/// The model with other measurements than its file's (`run --measure M`, repeatable): the same
/// circuit (the same text and consts, so the same gates and params), measured by `measures`
/// instead, without the head (the outputs are the measurements' values). `head` becomes the
/// instead, without the head (the outputs are the measurements' values). `head` keeps its encode layers only; it was loaded with the file's head, so that a trained params
/// file with head weights still reads.
///
/// The measurements are compiled in the file's context: the file's text with its `measure`,
/// `head` and `train` items blanked out (byte offsets kept), followed by one `measure` line per
/// `--measure`. Errors in them are shown against that text, named after the file and the option.
pub fn with_measurements(model: &Model, head: &mut Head, measures: &[String]) -> Result<Model, u8> {
    let text = &model.source.text;
    let (program, _) = qmlc::parser::parse(text);
    let mut blanked = text.clone().into_bytes();
    for item in &program.items {
        let replaced = matches!(
            item.kind,
            qmlc::ast::ItemKind::Measure(_)
                | qmlc::ast::ItemKind::MeasureFor { .. }
                | qmlc::ast::ItemKind::Head(_)
                | qmlc::ast::ItemKind::Train { .. }
        );
        if replaced {
            let end = (item.span.end as usize).min(text.len());
            for byte in &mut blanked[(item.span.start as usize).min(end)..end] {
                // Newlines stay, so every line of the file keeps its number; a multi-byte
                // character becomes as many spaces as it had bytes, which is valid text.
                if *byte != b'\n' {
                    *byte = b' ';
                }
            }
        }
    }
    let mut combined = String::from_utf8(blanked).unwrap_or_default();
    if !combined.ends_with('\n') {
        combined.push('\n');
    }
    for measure in measures {
        combined.push_str("measure ");
        combined.push_str(measure.trim());
        combined.push('\n');
    }
    let output = compile_source(&combined).map_err(|message| {
        eprintln!("error: {message}");
        super::EXIT_USAGE
    })?;
    let errors: Vec<&qmlc::diagnostic::Diagnostic> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    let Some(circuit) = output.circuit.filter(|_| errors.is_empty()) else {
        let source = Source::new(format!("{} --measure", model.source.name), combined.clone());
        let color = stderr_color();
        for diagnostic in &errors {
            eprint!("{}", render::human(diagnostic, &source, color));
        }
        eprintln!("{}: {}", source.name, render::summary(errors.len(), 0));
        return Err(EXIT_INPUT);
    };
    let mut replaced = Model { source: model.source.clone(), circuit: model.circuit.clone(), n_measured: 0 };
    replaced.circuit.measurements = circuit.measurements;
    replaced.circuit.head = Vec::new();
    replaced.n_measured = replaced.circuit.measurements.iter().filter_map(|m| m.n_outputs()).sum();
    *head = head.encode_only(replaced.n_measured);
    Ok(replaced)
}

/// The model's params: from a params file, or drawn from the seed as the initializers say.
///
/// Every problem with the params file is error E0908.
pub fn load_params(model: &Model, path: Option<&Path>, seed: u64) -> Result<(ParamValues, Head), CliError> {
    let head = Head::new(&model.circuit.head, model.n_measured, seed);
    let encode = |head: Head, json: Option<&serde_json::Value>| {
        head.with_encode(&model.circuit.encode, params::encode_features(&model.circuit, json), seed)
    };
    let Some(path) = path else {
        let head = encode(head, None);
        let values = ParamValues { circuit: params::initial_values(&model.circuit, seed), head: head.params.clone() };
        return Ok((values, head));
    };
    let json = read_json(path, "the params file").map_err(CliError::params)?;
    let mut head = encode(head, Some(&json));
    let values = params::params_from_json(&json, &model.circuit, &head)
        .map_err(|e| CliError::params(format!("{}: {e}", path.display())))?;
    head.params = values.head.clone();
    Ok((values, head))
}

/// Checks the form of the `--input` values before anything is read: one JSON file, or
/// `name=v,…` assignments naming each input once, never both. The error is a usage error.
pub fn check_input_usage(inputs: &[String]) -> Result<(), String> {
    let (assignments, files): (Vec<&String>, Vec<&String>) = inputs.iter().partition(|i| i.contains('='));
    if let [first, second, ..] = files.as_slice() {
        return Err(format!("--input takes one JSON file, but two were given (`{first}` and `{second}`)"));
    }
    if let (Some(file), Some(assignment)) = (files.first(), assignments.first()) {
        return Err(format!(
            "--input takes one JSON file or `name=v,…` assignments, not both (`{file}` and `{assignment}`)"
        ));
    }
    for (position, assignment) in assignments.iter().enumerate() {
        let name = assignment.split_once('=').map_or("", |(name, _)| name.trim());
        let earlier = assignments[..position].iter().find(|a| a.split_once('=').map(|(n, _)| n.trim()) == Some(name));
        if let Some(earlier) = earlier {
            return Err(format!("--input gives `{name}` twice (`{earlier}` and `{assignment}`)"));
        }
    }
    Ok(())
}

/// The model's inputs: from `--input` values (a JSON file or `name=v,…` assignments, already
/// checked by [`check_input_usage`]); none if the model has no inputs. A problem with an inputs
/// file is error E0908.
pub fn load_inputs(model: &Model, inputs: &[String]) -> Result<Vec<f64>, CliError> {
    check_input_usage(inputs)?;
    let (assignments, files): (Vec<&String>, Vec<&String>) = inputs.iter().partition(|i| i.contains('='));
    match files.first() {
        None if assignments.is_empty() && model.circuit.n_inputs() == 0 => Ok(Vec::new()),
        None if assignments.is_empty() => {
            let names: Vec<String> = model.circuit.inputs.iter().map(|v| format!("`{}`", v.name)).collect();
            Err(CliError::from(format!(
                "the model reads inputs {}: give them with `--input FILE.json` or `--input name=v,v,…`",
                names.join(", ")
            )))
        }
        Some(file) => {
            let json = read_json(Path::new(file.as_str()), "the inputs file").map_err(CliError::params)?;
            params::inputs_from_json(&json, &model.circuit).map_err(|e| CliError::params(format!("{file}: {e}")))
        }
        None => {
            let owned: Vec<String> = assignments.into_iter().cloned().collect();
            params::inputs_from_assignments(&owned, &model.circuit).map_err(|e| CliError::from(format!("--input: {e}")))
        }
    }
}

/// Reads and parses a params or inputs file (`what` names it: `the params file`), naming the
/// file, line and column on a syntax error, a repeated key or a number out of range.
pub fn read_json(path: &Path, what: &str) -> Result<serde_json::Value, String> {
    let text = read_text_file(path, what, JSON_LIMIT)?;
    params::parse_json(&text).map_err(|error| format!("{}, {error}", path.display()))
}

/// Prints an error met while the model ran or trained, with its code: rendered against the
/// model's source, underlining the operation, when the error points at one (`span`), else as one
/// line `error[E09xx]: message`. Every run-time failure of `run`, `grad`, `train` and `predict`
/// goes through here, so they look alike.
pub fn report_run_error(model: &Model, code: Code, message: &str, span: Option<qmlc::source::Span>) {
    match span {
        Some(span) => {
            let diagnostic = qmlc::diagnostic::Diagnostic::error(code, message, span, "here");
            eprint!("{}", render::human(&diagnostic, &model.source, stderr_color()));
        }
        None => eprintln!("{}", CliError::new(code, message)),
    }
}

/// An error a subcommand reports on one line: its message and, when the error is one of the
/// run-time series, its code (`qmlc explain E0907` describes it). It prints as
/// `error[E0907]: message`, or `error: message` without a code (a command line that asks for
/// something impossible, an output path that cannot be written).
#[derive(Clone, Debug, PartialEq)]
pub struct CliError {
    pub code: Option<Code>,
    pub message: String,
}

impl CliError {
    pub fn new(code: Code, message: impl Into<String>) -> CliError {
        CliError { code: Some(code), message: message.into() }
    }

    /// A params or inputs file that cannot be read or does not fit the model: E0908.
    pub fn params(message: String) -> CliError {
        CliError::new(Code::E0908, message)
    }

    /// A data file that cannot be read or used: E0907.
    pub fn data(message: String) -> CliError {
        CliError::new(Code::E0907, message)
    }

    /// Prints the error on stderr.
    pub fn report(&self) {
        eprintln!("{self}");
    }
}

impl From<String> for CliError {
    fn from(message: String) -> CliError {
        CliError { code: None, message }
    }
}

impl From<qmlc::train::DataError> for CliError {
    fn from(error: qmlc::train::DataError) -> CliError {
        CliError::data(error.to_string())
    }
}

impl From<qmlc::train::TrainError> for CliError {
    fn from(error: qmlc::train::TrainError) -> CliError {
        CliError { code: error.code(), message: error.to_string() }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "error[{code}]: {}", self.message),
            None => write!(f, "error: {}", self.message),
        }
    }
}
