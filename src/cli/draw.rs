//! `qmlc draw`: the circuit as a text diagram on stdout, or as an SVG picture in a file.

use super::files::{refuse_directory, write_output};
use super::model::{load_as_written, load_params};
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::draw::{self, Charset, DrawOptions};
use std::path::PathBuf;

/// The width a text drawing is cut at when `--width` is not given.
pub use qmlc::draw::DEFAULT_WIDTH;

pub struct DrawCommand {
    pub file: PathBuf,
    pub svg: Option<PathBuf>,
    pub params: Option<PathBuf>,
    pub expand: bool,
    pub ascii: bool,
    /// `0` never cuts the drawing.
    pub width: usize,
}

pub fn run(command: &DrawCommand) -> u8 {
    if let Some(path) = &command.svg {
        let is_model_file = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("qml"))
            || path.as_path() == command.file.as_path();
        if is_model_file {
            eprintln!(
                "error: --svg `{}` would overwrite a model file (.qml); give a path such as `circuit.svg`",
                path.display()
            );
            return EXIT_USAGE;
        }
        if let Err(message) = refuse_directory(path, "--svg", "circuit.svg") {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    }
    let model = match load_as_written(&command.file, false) {
        Ok(model) => model,
        Err(status) => return status,
    };
    // The params file is read only to show its values; the seed does not matter, since without
    // the file the drawing shows the params' names, not initial values.
    let values = match &command.params {
        Some(path) => match load_params(&model, Some(path), 0) {
            Ok((values, _)) => Some(values.circuit),
            Err(error) => {
                error.report();
                return EXIT_INPUT;
            }
        },
        None => None,
    };
    let options = DrawOptions {
        expand: command.expand,
        params: values.as_deref(),
        charset: if command.ascii { Charset::Ascii } else { Charset::Unicode },
        width: (command.width > 0).then_some(command.width),
    };
    match &command.svg {
        Some(path) => {
            let picture = draw::svg(&model.circuit, &options);
            if let Err(message) = write_output(path, "--svg", picture.as_bytes()) {
                eprintln!("error: {message}");
                return EXIT_INPUT;
            }
        }
        None => print!("{}", draw::text(&model.circuit, &options)),
    }
    EXIT_OK
}
