//! `qmlc export FILE --to qasm3`: the model's circuit as an OpenQASM 3 program, on stdout or in a file.

use super::files::{refuse_directory, write_output};
use super::model::{check_input_usage, load_as_written, load_inputs, load_params, CliError, Model};
use super::stderr_color;
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::diagnostic::Diagnostic;
use qmlc::qasm::export::{to_qasm3, ExportError, Values};
use qmlc::render;
use std::io::Write;
use std::path::PathBuf;

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
        let is_model_file = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("qml"))
            || path.as_path() == command.file.as_path();
        if is_model_file {
            eprintln!(
                "error: -o `{}` would overwrite a model file (.qml); give a path such as `circuit.qasm`",
                path.display()
            );
            return EXIT_USAGE;
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
    let params = match &command.params {
        Some(path) => match load_params(&model, Some(path), 0) {
            Ok((values, _)) => Some(values.circuit),
            Err(error) => {
                error.report();
                return EXIT_INPUT;
            }
        },
        None => None,
    };
    let inputs = if command.inputs.is_empty() {
        None
    } else {
        match load_inputs(&model, &command.inputs) {
            Ok(inputs) => Some(inputs),
            Err(error) => {
                error.report();
                return EXIT_INPUT;
            }
        }
    };
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
    EXIT_OK
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
