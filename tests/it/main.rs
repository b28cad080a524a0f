//! The integration tests, one binary: diagnostics snapshots, lowering, conformance and properties.

mod analysis;
mod conformance;
mod data_control;
mod docs;
mod draw;
mod editors;
mod encode;
mod engine;
mod excitations;
mod files;
mod fixture;
mod fmt;
mod frontend;
mod fuzz;
mod gates;
mod inspect;
mod lowering;
mod lsp;
mod neovim;
mod objectives;
mod properties;
mod qasm_export;
mod qasm_import;
mod qiskit;
mod qiskit_templates;
mod repl;
mod temp;
mod training;
mod ui;

use std::path::Path;

/// Compiles a file's text and renders its diagnostics as `qmlc check` prints them (no colour).
pub fn check_output(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("test files are readable");
    let name = format!(
        "tests/{}/{}",
        path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or(""),
        path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    );
    let source = qmlc::source::Source::new(name, text);
    let output = qmlc::check::compile(&source.text);
    let errors = output.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut rendered = qmlc::render::human_all(&output.diagnostics, &source, false);
    rendered.push_str(&format!(
        "{}: {}\n",
        source.name,
        qmlc::render::summary(errors, output.diagnostics.len() - errors)
    ));
    rendered
}
