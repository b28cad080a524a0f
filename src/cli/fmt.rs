//! `qmlc fmt`: rewrites files in the canonical layout of `qmlc::fmt`, or with `--check` names the
//! files that are not in it; `qmlc fmt -` formats standard input to standard output (for editors).

use super::{stderr_color, with_large_stack, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::render;
use qmlc::source::Source;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A leading byte order mark, which `Source` drops and `fmt` writes back as it found it.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// What became of one file.
enum Outcome {
    Unchanged,
    /// The formatted text differs from the file's.
    Changed(Vec<u8>),
    /// The file could not be read or formatted; the reason was printed.
    Failed,
}

pub fn run(files: &[PathBuf], check: bool) -> u8 {
    if files.iter().any(|path| path.as_os_str() == "-") {
        if files.len() > 1 {
            eprintln!("error: `qmlc fmt -` formats standard input alone; give `-` or files, not both");
            return EXIT_USAGE;
        }
        return run_stdin(check);
    }
    let mut status = EXIT_OK;
    for path in files {
        match format_file(path) {
            Outcome::Unchanged => {}
            Outcome::Changed(_) if check => {
                println!("{}", path.display());
                status = EXIT_INPUT;
            }
            Outcome::Changed(formatted) => {
                if let Err(message) = super::files::write_output(path, "the formatted file", &formatted) {
                    eprintln!("error: {message}");
                    status = EXIT_INPUT;
                }
            }
            Outcome::Failed => status = EXIT_INPUT,
        }
    }
    status
}

/// Formats standard input to standard output; with `--check`, prints nothing of the text and
/// answers by the exit status (and `<stdin>` when it would change).
fn run_stdin(check: bool) -> u8 {
    let mut bytes = Vec::new();
    let limit = super::files::SOURCE_LIMIT;
    if let Err(error) = std::io::stdin().lock().take(limit + 1).read_to_end(&mut bytes) {
        eprintln!("error: cannot read standard input: {error}");
        return EXIT_INPUT;
    }
    if bytes.len() as u64 > limit {
        eprintln!("error: standard input is larger than {} MiB, the most a model may hold", limit >> 20);
        return EXIT_INPUT;
    }
    let outcome = format_bytes("<stdin>", &bytes);
    let formatted = match outcome {
        Outcome::Failed => return EXIT_INPUT,
        Outcome::Changed(_) if check => {
            println!("<stdin>");
            return EXIT_INPUT;
        }
        Outcome::Unchanged if check => return EXIT_OK,
        Outcome::Unchanged => bytes,
        Outcome::Changed(formatted) => formatted,
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&formatted).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot write standard output: {error}");
            EXIT_INPUT
        }
    }
}

fn format_file(path: &Path) -> Outcome {
    match super::files::read_regular_file(path, "the model", super::files::SOURCE_LIMIT) {
        Ok(bytes) => format_bytes(&path.display().to_string(), &bytes),
        Err(message) => {
            eprintln!("error: {message}");
            Outcome::Failed
        }
    }
}

/// Formats the bytes of a model named `name`. Diagnostics (text that is not UTF-8, syntax errors)
/// are rendered on stderr as `check` renders them, and the text is left alone.
fn format_bytes(name: &str, bytes: &[u8]) -> Outcome {
    let (source, not_utf8) = Source::from_bytes(name, bytes);
    if let Some(diagnostic) = not_utf8 {
        eprint!("{}", render::human(&diagnostic, &source, stderr_color()));
        return Outcome::Failed;
    }
    let text = source.text.clone();
    match with_large_stack(move || qmlc::fmt::format(&text)) {
        Ok(formatted) => {
            let mut formatted_bytes = Vec::with_capacity(formatted.len() + BYTE_ORDER_MARK.len());
            if bytes.starts_with(BYTE_ORDER_MARK) {
                formatted_bytes.extend_from_slice(BYTE_ORDER_MARK);
            }
            formatted_bytes.extend_from_slice(formatted.as_bytes());
            if formatted_bytes == bytes {
                Outcome::Unchanged
            } else {
                Outcome::Changed(formatted_bytes)
            }
        }
        Err(diagnostics) => {
            let n_errors = diagnostics.iter().filter(|d| d.severity == qmlc::diagnostic::Severity::Error).count();
            eprint!("{}", render::human_all(&diagnostics, &source, stderr_color()));
            eprintln!("{name}: {}; not formatted", render::summary(n_errors, diagnostics.len() - n_errors));
            Outcome::Failed
        }
    }
}
