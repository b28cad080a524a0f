//! What several subcommands share: compiling a model file, reading params and inputs, writing files safely.

use super::{read_source, stderr_color, with_large_stack, EXIT_INPUT};
use crate::diagnostic::Severity;
use crate::ir::Circuit;
use crate::params::{self, ParamValues};
use crate::render;
use crate::source::Source;
use crate::train::Head;
use std::path::Path;

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

/// The model's inputs: from `--input` values (a JSON file or `name=v,…` assignments); none if the
/// model has no inputs.
pub fn load_inputs(model: &Model, inputs: &[String]) -> Result<Vec<f64>, String> {
    let (assignments, files): (Vec<&String>, Vec<&String>) = inputs.iter().partition(|i| i.contains('='));
    match (files.as_slice(), assignments.is_empty()) {
        ([], true) if model.circuit.n_inputs() == 0 => Ok(Vec::new()),
        ([], true) => {
            let names: Vec<String> = model.circuit.inputs.iter().map(|v| format!("`{}`", v.name)).collect();
            Err(format!(
                "the model reads inputs {}: give them with `--input FILE.json` or `--input name=v,v,…`",
                names.join(", ")
            ))
        }
        ([file], true) => {
            let json = read_json(Path::new(file.as_str()))?;
            params::inputs_from_json(&json, &model.circuit).map_err(|e| format!("{file}: {e}"))
        }
        ([], false) => {
            let owned: Vec<String> = assignments.into_iter().cloned().collect();
            params::inputs_from_assignments(&owned, &model.circuit).map_err(|e| format!("--input: {e}"))
        }
        _ => Err("--input takes one JSON file, or `name=v,…` assignments, not both".to_string()),
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
    let directory = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let temporary = directory.join(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).and_then(|()| std::fs::rename(&temporary, path)).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`: {e}", path.display())
    })
}
