//! `qmlc export FILE --to qasm3`: the model's circuit as an OpenQASM 3 program, on stdout or in a file.

use super::evaluate::{circuit_inputs, EvaluateOptions};
use super::files::{refuse_directory, write_output};
use super::model::{check_input_usage, load_as_written, load_inputs, load_params, CliError, Model};
use super::stderr_color;
use super::{Format, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::diagnostic::Diagnostic;
use qmlc::params::ParamValues;
use qmlc::qasm::export::{to_qasm3, ExportError, Values};
use qmlc::render;
use qmlc::train::Head;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// OpenQASM 3 with stdgates.inc.
    #[value(name = "qasm3")]
    Qasm3,
}

pub struct ExportCommand {
    pub file: PathBuf,
    pub to: Target,
    pub params: Option<PathBuf>,
    pub inputs: Vec<String>,
    /// `None` or `-`: standard output.
    pub out: Option<PathBuf>,
}

pub fn run(command: &ExportCommand) -> u8 {
    let Target::Qasm3 = command.to;
    let out = command.out.as_ref().filter(|path| path.as_os_str() != "-");
    if let Some(path) = out {
        if path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("qml")) {
            eprintln!(
                "error: -o `{}` would overwrite a model file (.qml); give a path such as `circuit.qasm`",
                path.display()
            );
            return EXIT_USAGE;
        }
        // The files export reads, compared by identity rather than by name: `./m.txt`, a
        // symbolic link or a hard link to the model is the model.
        let inputs_file = command.inputs.iter().find(|input| !input.contains('=')).map(Path::new);
        let read = [
            ("the model", Some(command.file.as_path())),
            ("the params file", command.params.as_deref()),
            ("the inputs file", inputs_file),
        ];
        for (what, file) in read {
            if file.is_some_and(|file| same_file(path, file)) {
                eprintln!(
                    "error: -o `{}` is {what} (`{}`), which it would overwrite; give another path such as `circuit.qasm`",
                    path.display(),
                    file.map_or_else(String::new, |file| file.display().to_string())
                );
                return EXIT_USAGE;
            }
        }
        if let Err(message) = refuse_directory(path, "-o", "circuit.qasm") {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    }
    if let Err(message) = check_input_usage(&command.inputs) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let model = match load_as_written(&command.file, true) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let loaded = match &command.params {
        Some(path) => match load_params(&model, Some(path), 0) {
            Ok(loaded) => Some(loaded),
            Err(error) => {
                error.report();
                return EXIT_INPUT;
            }
        },
        None => None,
    };
    let (inputs, notes) = if command.inputs.is_empty() {
        (None, Vec::new())
    } else {
        match given_inputs(command, &model, loaded.as_ref()) {
            Ok((inputs, notes)) => (Some(inputs), notes),
            Err(status) => return status,
        }
    };
    let params = loaded.map(|(values, _)| values.circuit);
    let values = Values { params: params.as_deref(), inputs: inputs.as_deref() };
    let program = match to_qasm3(&model.circuit, &values) {
        Ok(program) => program,
        Err(errors) => {
            report_export_errors(&model, &errors);
            return EXIT_INPUT;
        }
    };
    match out {
        Some(path) => {
            if let Err(message) = write_output(path, "-o", program.as_bytes()) {
                eprintln!("error: {message}");
                return EXIT_INPUT;
            }
        }
        None => {
            // A closed or full standard output is an error to report, not a panic of `print!`.
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout.write_all(program.as_bytes()).and_then(|()| stdout.flush()) {
                eprintln!("error: cannot write standard output: {error}");
                return EXIT_INPUT;
            }
        }
    }
    notes.iter().for_each(|note| eprintln!("{note}"));
    EXIT_OK
}

/// The circuit's inputs made of `--input`, exactly as `run --input` makes them (the same
/// function): with a params file, its meta's scaling and the encode layers applied, and the same
/// notes for stderr. Without a params file the values are the circuit's inputs as given, but a
/// model with encode layers needs their trained weights, so that is a usage error.
fn given_inputs(
    command: &ExportCommand,
    model: &Model,
    loaded: Option<&(ParamValues, Head)>,
) -> Result<(Vec<f64>, Vec<String>), u8> {
    let mut features = load_inputs(model, &command.inputs).map_err(|error| {
        error.report();
        EXIT_INPUT
    })?;
    let Some((values, head)) = loaded else {
        if !model.circuit.encode.is_empty() {
            eprintln!(
                "error: the model's `encode` layers make the circuit's inputs of a data row with the weights of a \
                 params file: give --params with --input, as `run` takes them"
            );
            return Err(EXIT_USAGE);
        }
        return Ok((features, Vec::new()));
    };
    let options = EvaluateOptions {
        file: command.file.clone(),
        params: command.params.clone(),
        inputs: command.inputs.clone(),
        data: None,
        no_header: false,
        measure: Vec::new(),
        shots: None,
        seed: 0,
        format: Format::Human,
    };
    circuit_inputs(model, &options, values, head, &mut features).map_err(|error| {
        error.report();
        EXIT_INPUT
    })
}

/// Prints every error of an export in the order met, as `check` prints diagnostics: those of an
/// operation rendered against the model's source with its line underlined, the others (a bit of a
/// basis embedding) on one line each; then how many there were.
fn report_export_errors(model: &Model, errors: &[ExportError]) {
    let renderer = render::Renderer::new(&model.source);
    let color = stderr_color();
    for error in errors {
        match error.span {
            Some(span) => {
                let diagnostic = Diagnostic::error(error.code, error.message.clone(), span, "here");
                eprint!("{}", renderer.human(&diagnostic, color));
            }
            None => eprintln!("{}", CliError::new(error.code, error.message.clone())),
        }
    }
    eprintln!("{}: {}; nothing written", model.source.name, render::summary(errors.len(), 0));
}

/// Whether two paths name the same existing file: the same device and inode (which sees through
/// symbolic links, hard links and `./`), or elsewhere the same canonical path. A path that names
/// no file yet is no file export reads.
fn same_file(first: &Path, second: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(first), Ok(second)) = (std::fs::metadata(first), std::fs::metadata(second)) {
            return first.dev() == second.dev() && first.ino() == second.ino();
        }
    }
    match (std::fs::canonicalize(first), std::fs::canonicalize(second)) {
        (Ok(first), Ok(second)) => first == second,
        _ => false,
    }
}
