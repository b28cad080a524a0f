//! What several subcommands share: compiling a model file, reading params and inputs, writing files safely.

use super::{read_source, stderr_color, with_large_stack, EXIT_INPUT};
use crate::diagnostic::Severity;
use crate::ir::Circuit;
use crate::params::{self, ParamValues};
use crate::render;
use crate::source::Source;
use crate::train::Head;
use std::path::{Path, PathBuf};

/// A compiled model, ready to run.
pub struct Model {
    pub source: Source,
    pub circuit: Circuit,
    /// The measured outputs the head reads (before the head).
    pub n_measured: usize,
}

/// Compiles a file; on errors prints them to stderr and returns the exit status.
pub fn load(path: &Path, quiet_warnings: bool) -> Result<Model, u8> {
    let source = read_source(path).map_err(|message| {
        eprintln!("{message}");
        EXIT_INPUT
    })?;
    let text = source.text.clone();
    let output = with_large_stack(move || crate::check::compile(&text));
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
    // The optimized gate list computes the same state with fewer gates.
    let (circuit, _) = crate::opt::optimize(&circuit);
    Ok(Model { source, circuit, n_measured })
}

/// The model's params: from a params file, or drawn from the seed as the initializers say.
pub fn load_params(model: &Model, path: Option<&Path>, seed: u64) -> Result<(ParamValues, Head), String> {
    let mut head = Head::new(&model.circuit.head, model.n_measured, seed);
    let Some(path) = path else {
        let values = ParamValues { circuit: params::initial_values(&model.circuit, seed), head: head.params.clone() };
        return Ok((values, head));
    };
    let json = read_json(path)?;
    let values =
        params::params_from_json(&json, &model.circuit, &head).map_err(|e| format!("{}: {e}", path.display()))?;
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
/// checked by [`check_input_usage`]); none if the model has no inputs.
pub fn load_inputs(model: &Model, inputs: &[String]) -> Result<Vec<f64>, String> {
    check_input_usage(inputs)?;
    let (assignments, files): (Vec<&String>, Vec<&String>) = inputs.iter().partition(|i| i.contains('='));
    match files.first() {
        None if assignments.is_empty() && model.circuit.n_inputs() == 0 => Ok(Vec::new()),
        None if assignments.is_empty() => {
            let names: Vec<String> = model.circuit.inputs.iter().map(|v| format!("`{}`", v.name)).collect();
            Err(format!(
                "the model reads inputs {}: give them with `--input FILE.json` or `--input name=v,v,…`",
                names.join(", ")
            ))
        }
        Some(file) => {
            let json = read_json(Path::new(file.as_str()))?;
            params::inputs_from_json(&json, &model.circuit).map_err(|e| format!("{file}: {e}"))
        }
        None => {
            let owned: Vec<String> = assignments.into_iter().cloned().collect();
            params::inputs_from_assignments(&owned, &model.circuit).map_err(|e| format!("--input: {e}"))
        }
    }
}

/// Reads and parses a JSON file, naming the file, line and column on a syntax error.
pub fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}, line {}, column {}: not valid JSON: {e}", path.display(), e.line(), e.column()))
}

/// Writes a file atomically: to a temporary file beside it, then renamed over it, so a reader
/// (or a crash) never sees half a file.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), String> {
    let temporary = temporary_path(path);
    std::fs::write(&temporary, contents).and_then(|()| std::fs::rename(&temporary, path)).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`: {e}", path.display())
    })
}

/// Checks, before a long computation, that [`write_atomic`] will be able to write `path`, given
/// on the command line as `option`: it is not a directory, its directory exists, and a file can
/// be created there (the temporary file is created and removed again). For a directory, the
/// message suggests `suggested_name` inside it.
pub fn check_writable(path: &Path, option: &str, suggested_name: &str) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{option} `{}` is a directory; give the path of a file, such as `{}`",
            path.display(),
            path.join(suggested_name).display()
        ));
    }
    let directory = directory_of(path);
    if !directory.is_dir() {
        let problem = if directory.exists() { "is not a directory" } else { "does not exist" };
        return Err(format!("cannot write {option} `{}`: `{}` {problem}", path.display(), directory.display()));
    }
    let temporary = temporary_path(path);
    match std::fs::File::create(&temporary) {
        Ok(_) => {
            let _ = std::fs::remove_file(&temporary);
            Ok(())
        }
        Err(e) => Err(format!("cannot write {option} `{}`: {e}", path.display())),
    }
}

/// The directory a file path is in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The temporary file beside `path` that [`write_atomic`] writes first.
fn temporary_path(path: &Path) -> PathBuf {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    directory_of(path).join(format!(".{file_name}.{}.tmp", std::process::id()))
}

/// Prints an error met while the model ran or trained, with its code: rendered against the
/// model's source, underlining the operation, when the error points at one (`span`), else as one
/// line `error[E09xx]: message`. Every run-time failure of `run`, `grad`, `train` and `predict`
/// goes through here, so they look alike.
#[allow(dead_code)] // Used by run, grad, train and predict as their errors gain codes.
pub fn report_run_error(model: &Model, code: &'static str, message: &str, span: Option<crate::source::Span>) {
    match span {
        Some(span) => {
            let diagnostic = crate::diagnostic::Diagnostic::error(code, message, span, "here");
            eprint!("{}", render::human(&diagnostic, &model.source, stderr_color()));
        }
        None => eprintln!("error[{code}]: {message}"),
    }
}
