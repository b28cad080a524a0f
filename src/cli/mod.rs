//! The command line: argument parsing (clap), reading files, printing results, exit codes.

mod check;
mod draw;
mod evaluate;
mod export;
pub mod files;
mod fmt;
mod gradcheck;
mod import;
mod model;
mod plot;
mod predict;
mod specs;
mod train;

use clap::{Parser, Subcommand, ValueEnum};
/// The front end runs on a large stack; see the library's `stack` module.
pub use qmlc::stack::with_large_stack;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses of CLI.md: success, the input was wrong, the command line was wrong.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// The status of a training run stopped by Ctrl-C (128 + SIGINT, as shells report it), after the
/// params reached so far were written.
pub const EXIT_INTERRUPTED: u8 = 130;

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
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// Evaluate the model's outputs for one input.
    Run(EvaluateArgs),
    /// The outputs and their Jacobian with respect to every param.
    Grad {
        #[command(flatten)]
        args: EvaluateArgs,
        /// How to differentiate: `auto` is adjoint when exact and parameter shift with shots.
        #[arg(long, value_enum, default_value_t = Method::Auto)]
        method: Method,
        /// Compute the Jacobian by every method and compare them with the adjoint method's;
        /// exit 1 if parameter shift differs by more than 1e-8 or finite differences by more
        /// than 1e-5.
        #[arg(long, conflicts_with_all = ["method", "shots", "data"])]
        check: bool,
    },
    /// Run the model's train blocks and write the trained params.
    Train {
        /// The .qml model.
        file: PathBuf,
        /// Run only the train block with this name.
        #[arg(long, value_name = "NAME")]
        block: Option<String>,
        /// Start from these params instead of the initializers.
        #[arg(long, value_name = "P.json")]
        init: Option<PathBuf>,
        /// Where to write the trained params (default: FILE with `.trained.json`).
        #[arg(long, value_name = "P.json")]
        out: Option<PathBuf>,
        /// Override every block's number of epochs (at least 1).
        #[arg(long, value_name = "N", value_parser = at_least_one)]
        epochs: Option<usize>,
        /// Override every block's seed.
        #[arg(long, value_name = "S")]
        seed: Option<u64>,
        /// Also write the per-epoch metrics as CSV.
        #[arg(long, value_name = "H.csv")]
        history: Option<PathBuf>,
        /// Also draw the training and test loss (and accuracy, for classifiers) per epoch as an
        /// SVG chart.
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<PathBuf>,
        /// `human` (a progress bar on a terminal) or `json` (JSON Lines, one object per epoch).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// One prediction (and the model's outputs) per row of a CSV file.
    Predict {
        /// The .qml model.
        file: PathBuf,
        /// The trained params (the output of `qmlc train`).
        #[arg(long, value_name = "P.json")]
        params: PathBuf,
        /// The rows to predict on; a label column, if present, is ignored. A first row with a cell
        /// that is not a number is taken as a header.
        #[arg(long, value_name = "D.csv")]
        data: PathBuf,
        /// The data file has no header: its first row is data too.
        #[arg(long)]
        no_header: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// Rewrite files in the canonical layout; `-` formats standard input to standard output.
    Fmt {
        /// The .qml files to format, or `-` for standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing: name the files that are not formatted, and exit 1 if there are any.
        #[arg(long)]
        check: bool,
    },
    /// Draw the circuit as written (before optimization): a text diagram on stdout, one line per
    /// wire, or with --svg a picture in a file (and nothing on stdout).
    Draw {
        /// The .qml model.
        file: PathBuf,
        /// Write an SVG picture of the same layout to this file instead of printing the text.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Show the params' values from this params file instead of their names.
        #[arg(long, value_name = "P.json")]
        params: Option<PathBuf>,
        /// Draw the gates of each template instead of one box per template.
        #[arg(long)]
        expand: bool,
        /// Plain ASCII (`- | + *`) instead of box-drawing characters, for terminals that lack them.
        #[arg(long)]
        ascii: bool,
        /// Cut the text drawing into parts at most N characters wide, one below the other; 0 never cuts.
        #[arg(long, value_name = "N", default_value_t = draw::DEFAULT_WIDTH)]
        width: usize,
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// An interactive session on one state vector; with FILE, the file is loaded first.
    Repl {
        /// A .qml file to load first: its declarations in scope and its circuit applied.
        file: Option<PathBuf>,
    },
    /// Serve the Language Server Protocol on stdin and stdout, for editors.
    Lsp,
    /// What the model costs: qubits, gates before and after optimization, depth, params, circuit
    /// executions per gradient for each method, state memory, and each train block's data size and
    /// estimated time per epoch.
    Specs {
        /// The .qml model.
        file: PathBuf,
        /// `human` (a table) or `json` (one object on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// Write the circuit as an OpenQASM 3 program (stdout, or -o FILE).
    ///
    /// The circuit is the lowered one: templates expanded, loops unrolled, defs inlined, `adj`
    /// inverted and `ctrl` blocks as `ctrl @` modifiers. Each param and input element without a
    /// value is an `input float[64] NAME_i_j;` (a scalar keeps its name); a name that OpenQASM 3
    /// reserves (such as `t` or `s`, which are gates) gets a `_` and a comment says so. Gates that
    /// stdgates.inc lacks are `gate` definitions, exact with their global phase. Measurements are
    /// `pragma qmlc measure …` lines. The head, encode layers and train blocks are classical and
    /// left out (a comment says so). An amplitude embedding is written as gates only when its
    /// amplitudes are numbers: give --input (error E1020 otherwise). An angle with `abs`, `min`,
    /// `max` or `atan2` of an input or param without a value is error E1021.
    Export {
        /// The .qml model.
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum)]
        to: export::Target,
        /// Write the params' values from this params file as numbers instead of `input`s.
        #[arg(long, value_name = "P.json")]
        params: Option<PathBuf>,
        /// Write the inputs' values as numbers instead of `input`s: a JSON file (`{"x": [0.1, 0.2]}`)
        /// or `name=v,v,…` (repeat for several inputs).
        #[arg(long, value_name = "I.json | name=v,…")]
        input: Vec<String>,
        /// Write the program to this file (replaced atomically) instead of stdout; `-` is stdout.
        #[arg(short = 'o', long = "out", value_name = "OUT.qasm")]
        out: Option<PathBuf>,
        #[command(flatten)]
        consts: ConstArgs,
    },
    /// Translate an OpenQASM 2 or 3 file into a .qml program.
    ///
    /// Reads OpenQASM 2 (qelib1.inc, with Qiskit's extended gate set) and OpenQASM 3 (every
    /// stdgates.inc gate, `gate` definitions as defs, `input float`/`input angle` as params,
    /// `for` loops unrolled, `ctrl @`/`negctrl @`/`inv @`/`pow(k) @` as ctrl and adj blocks).
    /// Registers become wires in declaration order. Final measurements become the program's
    /// `measure probs(…)` (with a warning each); without any, it measures `state`. Mid-circuit
    /// measurement, reset, classical control and classical code are errors, with the OpenQASM
    /// source underlined; then nothing is written and the exit status is 1.
    Import {
        /// The OpenQASM file.
        file: PathBuf,
        /// Write the program to this file (replaced atomically) instead of standard output.
        #[arg(short = 'o', long = "out", value_name = "OUT.qml")]
        output: Option<PathBuf>,
    },
    /// Explain a diagnostic code, such as E0201; without a code, list every code.
    Explain {
        /// The code.
        code: Option<String>,
    },
}

/// Options shared by `run` and `grad`.
#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// The .qml model.
    pub file: PathBuf,
    /// A params file (JSON, a key per param); without it params take their initializers from --seed.
    #[arg(long, value_name = "P.json")]
    pub params: Option<PathBuf>,
    /// The inputs: a JSON file (`{"x": [0.1, 0.2]}`) or `name=v,v,…` (repeat for several inputs).
    #[arg(long, value_name = "I.json | name=v,…")]
    pub input: Vec<String>,
    /// Evaluate once per row of this CSV file, each row made into inputs as `predict` makes them.
    #[arg(long, value_name = "D.csv")]
    pub data: Option<PathBuf>,
    /// With --data: the data file has no header, its first row is data too.
    #[arg(long, requires = "data")]
    pub no_header: bool,
    /// Estimate expvals, vars and probs from this many samples (1 to 2^53) instead of exactly.
    #[arg(long, value_name = "N", value_parser = shot_count)]
    pub shots: Option<usize>,
    /// The seed for initial params and shot sampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Evaluate this measurement instead of the file's (repeatable, in order; the head is left
    /// out): `--measure probs`, `--measure 'expval(Z(0) @ Z(1))'`, `--measure 'sample(Z(0))'` with --shots.
    #[arg(long, value_name = "M")]
    pub measure: Vec<String>,
    /// `human` or `json` (one object on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub consts: ConstArgs,
}

/// `--const NAME=VALUE`, which every command that compiles takes.
#[derive(clap::Args, Debug, Default, Clone, PartialEq)]
pub struct ConstArgs {
    /// Override a `const` of the file (repeatable): `--const n=6` compiles the file as if it
    /// said `const n = 6`, for sweeps without editing it.
    #[arg(long = "const", value_name = "NAME=VALUE", value_parser = model::parse_const_override)]
    pub consts: Vec<(String, f64)>,
}

/// Parses a count that must be positive (`--epochs`, `--shots`); clap reports a refusal as a
/// usage error (exit 2) naming the option.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(count) => Ok(count),
        Err(error) => Err(format!("not a positive whole number ({error})")),
    }
}

/// Parses `--shots`: at least 1, and at most [`qmlc::sim::MAX_SHOTS`] (2^53, the largest count
/// whose every value a float holds exactly, so estimates stay exact fractions of it).
fn shot_count(text: &str) -> Result<usize, String> {
    let count = at_least_one(text).map_err(|problem| match text.trim().parse::<u128>() {
        Ok(_) => format!("at most {} (2^53) shots can be taken", qmlc::sim::MAX_SHOTS),
        Err(_) => problem,
    })?;
    if count as u64 > qmlc::sim::MAX_SHOTS {
        return Err(format!("at most {} (2^53) shots can be taken", qmlc::sim::MAX_SHOTS));
    }
    Ok(count)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Method {
    Auto,
    Adjoint,
    #[value(name = "parameter_shift")]
    ParameterShift,
    #[value(name = "finite_diff")]
    FiniteDiff,
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
    if let Some(consts) = cli.command.consts() {
        model::set_const_overrides(consts.consts.clone());
    }
    let status = match cli.command {
        Command::Check { files, format, .. } => check::run(&files, format),
        Command::Run(args) => evaluate::run(&evaluate_options(args)),
        Command::Grad { args, check: true, .. } => gradcheck::run(&evaluate_options(args)),
        Command::Grad { args, method, check: false } => {
            let method = match method {
                Method::Auto => qmlc::ir::GradientMethod::Auto,
                Method::Adjoint => qmlc::ir::GradientMethod::Adjoint,
                Method::ParameterShift => qmlc::ir::GradientMethod::ParameterShift,
                Method::FiniteDiff => qmlc::ir::GradientMethod::FiniteDiff,
            };
            evaluate::grad(&evaluate_options(args), method)
        }
        Command::Train { file, block, init, out, epochs, seed, history, plot, format, .. } => {
            train::run(&train::TrainOptions { file, block, init, out, epochs, seed, history, plot, format })
        }
        Command::Predict { file, params, data, no_header, format, .. } => {
            predict::run(&predict::PredictOptions { file, params, data, no_header, format })
        }
        Command::Fmt { files, check } => fmt::run(&files, check),
        Command::Draw { file, svg, params, expand, ascii, width, .. } => {
            draw::run(&draw::DrawCommand { file, svg, params, expand, ascii, width })
        }
        Command::Repl { file } => crate::repl::run(file),
        Command::Lsp => crate::lsp::run(),
        Command::Specs { file, format, .. } => specs::run(&file, format),
        Command::Export { file, to, params, input, out, .. } => {
            export::run(&export::ExportCommand { file, to, params, inputs: input, out })
        }
        Command::Import { file, output } => import::run(&file, output.as_deref()),
        Command::Explain { code: Some(code) } => explain(&code),
        Command::Explain { code: None } => {
            print!("{}", code_list());
            EXIT_OK
        }
    };
    ExitCode::from(status)
}

impl Command {
    /// The command's `--const` overrides, if it compiles a file.
    fn consts(&self) -> Option<&ConstArgs> {
        match self {
            Command::Check { consts, .. }
            | Command::Train { consts, .. }
            | Command::Predict { consts, .. }
            | Command::Draw { consts, .. }
            | Command::Specs { consts, .. }
            | Command::Export { consts, .. } => Some(consts),
            Command::Run(args) | Command::Grad { args, .. } => Some(&args.consts),
            Command::Fmt { .. }
            | Command::Repl { .. }
            | Command::Lsp
            | Command::Import { .. }
            | Command::Explain { .. } => None,
        }
    }
}

fn evaluate_options(args: EvaluateArgs) -> evaluate::EvaluateOptions {
    evaluate::EvaluateOptions {
        file: args.file,
        params: args.params,
        inputs: args.input,
        data: args.data,
        no_header: args.no_header,
        measure: args.measure,
        shots: args.shots,
        seed: args.seed,
        format: args.format,
    }
}

fn explain(code: &str) -> u8 {
    match qmlc::codes::Code::parse(code) {
        Some(code) => {
            println!("{code}: {}\n\nFor example:\n", code.meaning());
            for line in code.example().lines() {
                println!("    {line}");
            }
            EXIT_OK
        }
        None => {
            // A builtin's name prints its reference entry (`qmlc explain rx`, `qmlc explain adam`).
            if let Some(entry) = qmlc::builtins::describe(code) {
                print!("{entry}");
                return EXIT_OK;
            }
            let known = qmlc::codes::Code::ALL;
            eprintln!(
                "error: there is no diagnostic code or builtin `{code}`; the codes are {} … {} (`qmlc explain` lists them)",
                known[0],
                known[known.len() - 1]
            );
            EXIT_USAGE
        }
    }
}

/// Every diagnostic code with its one-line meaning, a line each (`qmlc explain` without a code).
fn code_list() -> String {
    let mut out = String::new();
    for code in qmlc::codes::Code::ALL {
        out.push_str(&format!("{code}  {}\n", code.meaning()));
    }
    out.push_str("\n`qmlc explain CODE` shows an example of one.\n");
    out
}

/// Reads a source file, or says why it cannot: a file that is not UTF-8 is refused with its
/// E0005 diagnostic rendered (`check` reads the same way and prints that diagnostic instead).
pub fn read_source(path: &std::path::Path) -> Result<qmlc::source::Source, String> {
    let bytes = files::read_regular_file(path, "the model", files::SOURCE_LIMIT)
        .map_err(|message| format!("error: {message}"))?;
    match qmlc::source::Source::from_bytes(path.display().to_string(), &bytes) {
        (source, None) => Ok(source),
        (source, Some(not_utf8)) => Err(qmlc::render::human(&not_utf8, &source, stderr_color()).trim_end().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("qmlc").chain(args.iter().copied()))
    }

    /// The exit status `main` gives a command line clap refuses.
    fn usage_status(args: &[&str]) -> u8 {
        match parse(args) {
            Ok(cli) => panic!("expected a usage error, parsed {cli:?}"),
            Err(error) if error.use_stderr() => EXIT_USAGE,
            Err(_) => EXIT_OK,
        }
    }

    #[test]
    fn zero_epochs_or_zero_shots_are_usage_errors() {
        assert_eq!(usage_status(&["train", "m.qml", "--epochs", "0"]), EXIT_USAGE);
        assert_eq!(usage_status(&["run", "m.qml", "--shots", "0"]), EXIT_USAGE);
        assert_eq!(usage_status(&["grad", "m.qml", "--shots", "0"]), EXIT_USAGE);
        let message = parse(&["train", "m.qml", "--epochs", "0"]).unwrap_err().to_string();
        assert_eq!(message.lines().next(), Some("error: invalid value '0' for '--epochs <N>': must be at least 1"));
        let message = parse(&["run", "m.qml", "--shots", "many"]).unwrap_err().to_string();
        assert!(
            message.starts_with("error: invalid value 'many' for '--shots <N>': not a positive whole number"),
            "{message}"
        );
        assert!(matches!(
            parse(&["train", "m.qml", "--epochs", "1"]).map(|cli| cli.command),
            Ok(Command::Train { epochs: Some(1), .. })
        ));
        assert!(matches!(
            parse(&["run", "m.qml", "--shots", "5"]).map(|cli| cli.command),
            Ok(Command::Run(EvaluateArgs { shots: Some(5), .. }))
        ));
    }

    #[test]
    fn more_shots_than_the_limit_are_a_usage_error_naming_it() {
        for count in ["9007199254740993", "18446744073709551615", "18446744073709551616", "99999999999999999999999"] {
            assert_eq!(usage_status(&["run", "m.qml", "--shots", count]), EXIT_USAGE, "{count}");
            let message = parse(&["grad", "m.qml", "--shots", count]).unwrap_err().to_string();
            assert_eq!(
                message.lines().next(),
                Some(
                    format!("error: invalid value '{count}' for '--shots <N>': at most 9007199254740992 (2^53) shots can be taken")
                        .as_str()
                )
            );
        }
        assert!(matches!(
            parse(&["run", "m.qml", "--shots", "9007199254740992"]).map(|cli| cli.command),
            Ok(Command::Run(EvaluateArgs { shots: Some(9007199254740992), .. }))
        ));
    }

    #[test]
    fn no_header_needs_data_and_predict_takes_it() {
        assert_eq!(usage_status(&["run", "m.qml", "--no-header"]), EXIT_USAGE);
        assert!(matches!(
            parse(&["run", "m.qml", "--data", "d.csv", "--no-header"]).map(|cli| cli.command),
            Ok(Command::Run(EvaluateArgs { no_header: true, data: Some(_), .. }))
        ));
        assert!(matches!(
            parse(&["predict", "m.qml", "--params", "p.json", "--data", "d.csv", "--no-header"]).map(|cli| cli.command),
            Ok(Command::Predict { no_header: true, .. })
        ));
    }

    #[test]
    fn explain_without_a_code_lists_every_code_with_its_meaning() {
        assert!(matches!(parse(&["explain"]).map(|cli| cli.command), Ok(Command::Explain { code: None })));
        let list = code_list();
        let lines: Vec<&str> = list.lines().collect();
        assert_eq!(lines.len(), qmlc::codes::Code::ALL.len() + 2, "{list}");
        for (code, line) in qmlc::codes::Code::ALL.iter().zip(&lines) {
            let meaning = code.meaning();
            assert_eq!(*line, format!("{code}  {meaning}"));
        }
        assert_eq!(lines[0], "E0001  a character the language does not use");
        assert_eq!(lines[lines.len() - 1], "`qmlc explain CODE` shows an example of one.");
    }
}
