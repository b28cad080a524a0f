//! `qmlc check`: compile files and print their diagnostics, including what training would find
//! wrong with each train block's CSV header.

use super::{stdout_color, Format, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::check::{DataHeader, TrainData};
use qmlc::diagnostic::{self, Diagnostic, Severity};
use qmlc::render;
use qmlc::source::Source;
use std::path::{Path, PathBuf};

/// The most bytes of a CSV data file `check` reads looking for its header line.
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;

pub fn run(files: &[PathBuf], format: Format) -> u8 {
    let mut status = EXIT_OK;
    let mut json_diagnostics = Vec::new();
    let color = stdout_color();
    for path in files {
        let (source, diagnostics) = match check_file(path) {
            Ok(checked) => checked,
            Err(CheckFailure::Unreadable(message)) => {
                eprintln!("{message}");
                status = EXIT_INPUT;
                continue;
            }
            Err(CheckFailure::Usage(message)) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        };
        let n_errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let n_warnings = diagnostics.len() - n_errors;
        if n_errors > 0 {
            status = EXIT_INPUT;
        }
        match format {
            Format::Human => {
                print!("{}", render::human_all(&diagnostics, &source, color));
                println!("{}: {}", source.name, render::summary(n_errors, n_warnings));
            }
            Format::Json => json_diagnostics.extend(diagnostics.iter().map(|d| render::json(d, &source))),
        }
    }
    if format == Format::Json {
        println!("{}", serde_json::json!({ "diagnostics": json_diagnostics }));
    }
    status
}

/// Why a file could not be checked: it could not be read (exit 1, and the other files are still
/// checked), or a `--const` names no const of it (a usage error, exit 2).
enum CheckFailure {
    Unreadable(String),
    Usage(String),
}

/// Reads and compiles one file, then compares the header of each train block's CSV file with the
/// model. A file that is not UTF-8 gets only that diagnostic: its text cannot be trusted.
fn check_file(path: &Path) -> Result<(Source, Vec<Diagnostic>), CheckFailure> {
    // The same reading as `read_source`, keeping the decoding diagnostic instead of refusing.
    let bytes = super::files::read_regular_file(path, "the model", super::files::SOURCE_LIMIT)
        .map_err(|message| CheckFailure::Unreadable(format!("error: {message}")))?;
    let (source, not_utf8) = Source::from_bytes(path.display().to_string(), &bytes);
    if let Some(diagnostic) = not_utf8 {
        return Ok((source, vec![diagnostic]));
    }
    let output = super::model::compile_source(&source.text).map_err(CheckFailure::Usage)?;
    let mut diagnostics = output.diagnostics;
    for data in &output.train_data {
        let header = read_csv_header(path, data);
        diagnostics.extend(qmlc::check::check_csv_header(data, header.as_ref().map_err(String::as_str)));
    }
    diagnostic::sort_and_dedup(&mut diagnostics);
    Ok((source, diagnostics))
}

/// The header of a train block's CSV file, relative to the model file: the first line that is
/// not blank, read from at most `MAX_HEADER_BYTES` of the file (and the number of rows, when
/// that reads the whole file).
fn read_csv_header(model_file: &Path, data: &TrainData) -> Result<DataHeader, String> {
    let resolved = model_file.parent().unwrap_or(Path::new("")).join(&data.path);
    let bytes = super::files::read_regular_prefix(&resolved, "the data file", MAX_HEADER_BYTES)?;
    let mut line_number = 0usize;
    let mut rest: &[u8] = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    loop {
        if rest.is_empty() {
            return Err(if line_number == 0 || bytes.len() < MAX_HEADER_BYTES as usize {
                "the file is empty; it needs a header line naming its columns".to_string()
            } else {
                format!("no header line in its first {MAX_HEADER_BYTES} bytes")
            });
        }
        line_number += 1;
        let end = rest.iter().position(|&b| b == b'\n');
        let Some(end) = end.or((bytes.len() < MAX_HEADER_BYTES as usize).then_some(rest.len())) else {
            return Err(format!("its header line is longer than {MAX_HEADER_BYTES} bytes"));
        };
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or(&[]);
        let Ok(line) = std::str::from_utf8(line) else {
            return Err(format!("line {line_number} is not UTF-8 text"));
        };
        if line.trim().is_empty() {
            continue;
        }
        let records = qmlc::train::data::read_csv_records(line, &data.path).map_err(|error| error.to_string())?;
        let columns = records.into_iter().next().map(|record| record.fields).unwrap_or_default();
        let (n_rows, labels) = match whole_file_rows(&bytes) {
            Some(rows) => {
                let label_idx = columns.iter().position(|column| *column == data.label);
                let labels = label_idx.map(|idx| rows.iter().filter_map(|row| row.get(idx).cloned()).collect());
                (Some(rows.len()), labels)
            }
            None => (None, None),
        };
        // A file read whole goes through training's own reader too, so every cell it would
        // refuse (a word among numbers, `NaN`, `1e400`, a short row) is reported now.
        let rows_problem = match whole_file_text(&bytes) {
            Some(text)
                if data.labels.iter().all(|label| columns.contains(label))
                    && n_rows.is_some_and(|n_rows| n_rows > 0) =>
            {
                let selected =
                    data.columns.as_deref().filter(|selected| selected.iter().all(|column| columns.contains(column)));
                qmlc::train::data::from_csv_columns(text, &data.path, &data.labels, selected)
                    .err()
                    .map(|error| error.to_string())
            }
            _ => None,
        };
        let (n_rows, labels) = if rows_problem.is_some() { (None, None) } else { (n_rows, labels) };
        return Ok(DataHeader { line: line_number, columns, n_rows, labels, rows_problem });
    }
}

/// The text of a CSV file read whole (without its byte order mark), or `None` when it was cut
/// at the cap or is not UTF-8.
fn whole_file_text(bytes: &[u8]) -> Option<&str> {
    if bytes.len() as u64 >= MAX_HEADER_BYTES {
        return None;
    }
    std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()
}

/// The data rows (their fields) of a CSV file read whole, as training's reader splits them;
/// `None` when the file was cut at the cap or its rows do not read (training reports those
/// itself, with their lines).
fn whole_file_rows(bytes: &[u8]) -> Option<Vec<Vec<String>>> {
    if bytes.len() as u64 >= MAX_HEADER_BYTES {
        return None;
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let records = qmlc::train::data::read_csv_records(text, "").ok()?;
    Some(records.into_iter().skip(1).map(|record| record.fields).collect())
}
