//! `qmlc check`: compile files and print their diagnostics.

use super::{read_source, stdout_color, with_large_stack, Format, EXIT_INPUT, EXIT_OK};
use crate::diagnostic::Severity;
use crate::render;
use std::path::PathBuf;

pub fn run(files: &[PathBuf], format: Format) -> u8 {
    let mut status = EXIT_OK;
    let mut json_diagnostics = Vec::new();
    let color = stdout_color();
    for path in files {
        let source = match read_source(path) {
            Ok(source) => source,
            Err(message) => {
                eprintln!("{message}");
                status = EXIT_INPUT;
                continue;
            }
        };
        let text = source.text.clone();
        let output = with_large_stack(move || crate::check::compile(&text));
        let n_errors = output.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let n_warnings = output.diagnostics.len() - n_errors;
        if n_errors > 0 {
            status = EXIT_INPUT;
        }
        match format {
            Format::Human => {
                print!("{}", render::human_all(&output.diagnostics, &source, color));
                println!("{}: {}", source.name, render::summary(n_errors, n_warnings));
            }
            Format::Json => json_diagnostics.extend(output.diagnostics.iter().map(|d| render::json(d, &source))),
        }
    }
    if format == Format::Json {
        println!("{}", serde_json::json!({ "diagnostics": json_diagnostics }));
    }
    status
}
