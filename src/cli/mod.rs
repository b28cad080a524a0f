//! The command line: argument parsing (clap), reading files, printing results, exit codes.

mod check;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses of CLI.md: success, the input was wrong, the command line was wrong.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "qmlc",
    version,
    about = "Compile, check, run, differentiate and train variational quantum circuit models written in .qml",
    long_about = "qmlc compiles .qml models of quantum machine learning: it checks them before anything runs \
                  (with the source underlined), simulates them exactly or with shots, differentiates them by \
                  the adjoint method, parameter shift or finite differences, and trains their train blocks."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile only and print every error and warning.
    Check {
        /// The .qml files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `human` (rendered with the source) or `json` (one object on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Whether to colour output written to stdout: only on a terminal, and never with NO_COLOR set.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Runs the command line and returns the process exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let status = if error.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = error.print();
            return ExitCode::from(status);
        }
    };
    let status = match cli.command {
        Command::Check { files, format } => check::run(&files, format),
    };
    ExitCode::from(status)
}

/// Runs `work` on a thread with a large stack: the front end walks syntax trees recursively, and
/// the lexer's nesting limits are sized for this stack rather than the main thread's.
pub fn with_large_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(work)
        .expect("spawning the compiler thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Reads a source file, or says why it cannot.
pub fn read_source(path: &std::path::Path) -> Result<crate::source::Source, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(crate::source::Source::new(path.display().to_string(), text)),
        Err(error) => Err(format!("error: cannot read `{}`: {error}", path.display())),
    }
}
