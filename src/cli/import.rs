//! `qmlc import FILE.qasm [-o OUT.qml]`: an OpenQASM 2 or 3 file as a qmlc program, printed or
//! written to a file; the diagnostics, with spans into the OpenQASM file, go to stderr.

use super::{stderr_color, with_large_stack, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::diagnostic::Severity;
use qmlc::render;
use qmlc::source::Source;
use std::io::Write;
use std::path::Path;

pub fn run(file: &Path, output: Option<&Path>) -> u8 {
    if let Some(path) = output {
        if let Err(message) = check_output(file, path) {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    }
    let bytes = match super::files::read_regular_file(file, "the OpenQASM file", super::files::SOURCE_LIMIT) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_INPUT;
        }
    };
    let name = file.display().to_string();
    let (source, not_utf8) = Source::from_bytes(name.clone(), &bytes);
    if let Some(diagnostic) = not_utf8 {
        eprint!("{}", render::human(&diagnostic, &source, stderr_color()));
        eprintln!("{name}: {}; nothing written", render::summary(1, 0));
        return EXIT_INPUT;
    }
    let text = source.text.clone();
    let import_name = name.clone();
    let imported = with_large_stack(move || qmlc::qasm::import::import(&import_name, &text));
    let n_errors = imported.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let n_warnings = imported.diagnostics.len() - n_errors;
    if !imported.diagnostics.is_empty() {
        eprint!("{}", render::human_all(&imported.diagnostics, &source, stderr_color()));
    }
    let Some(program) = imported.qml.filter(|_| n_errors == 0) else {
        eprintln!("{name}: {}; nothing written", render::summary(n_errors, n_warnings));
        return EXIT_INPUT;
    };
    match output {
        Some(path) => {
            if let Err(message) = super::files::write_output(path, "the imported program", program.as_bytes()) {
                eprintln!("error: {message}");
                return EXIT_INPUT;
            }
            if n_warnings > 0 {
                eprintln!("{name}: {}; wrote {}", render::summary(0, n_warnings), path.display());
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout.write_all(program.as_bytes()).and_then(|()| stdout.flush()) {
                eprintln!("error: cannot write standard output: {error}");
                return EXIT_INPUT;
            }
            if n_warnings > 0 {
                eprintln!("{name}: {}", render::summary(0, n_warnings));
            }
        }
    }
    EXIT_OK
}

/// Refuses an output path that would replace the OpenQASM file itself (through a symbolic or hard
/// link too) or that names a directory: command-line mistakes, refused before anything is read.
fn check_output(file: &Path, output: &Path) -> Result<(), String> {
    if same_file(file, output) {
        let suggested = match file.with_extension("qml") {
            suggested if suggested != file => suggested,
            _ => file.with_file_name("imported.qml"),
        };
        return Err(format!(
            "-o `{}` is the OpenQASM file being imported; give another path, such as `{}`",
            output.display(),
            suggested.display()
        ));
    }
    super::files::refuse_directory(output, "-o", "circuit.qml")
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
