//! `qmlc repl`: the terminal front end of the library's `Session` (rustyline), and its piped mode.
//!
//! On a terminal: prompts, a block continued while brackets are open, completion, hints, colour
//! and history in the user's data directory. With stdin not a terminal: statements read from
//! stdin without prompts or colour, results on stdout, diagnostics on stderr, and exit status 1
//! at the end if any input had an error. All file reading and writing of a session (`:load`,
//! `:save`, a train block's CSV) happens here; the session only hands back text and paths.

mod helper;

use crate::cli::{files, EXIT_INPUT, EXIT_OK};
use indicatif::{ProgressBar, ProgressStyle};
use qmlc::session::{Action, Outcome, Session, TrainProgress};
use rustyline::error::ReadlineError;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Runs the session, first loading `file` if given, and returns the exit status.
pub fn run(file: Option<PathBuf>) -> u8 {
    let mut session = Session::new();
    let interactive = std::io::stdin().is_terminal();
    let color = interactive && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut front = FrontEnd { color, failed: false, interactive, stdin_line: None };
    if interactive {
        println!("qmlc {} — `:help` lists the commands, Ctrl-D leaves", env!("CARGO_PKG_VERSION"));
    }
    if let Some(path) = &file {
        front.load(&mut session, path);
        if front.failed && !interactive {
            // A script that cannot load its model would only pile errors on top.
            return EXIT_INPUT;
        }
    }
    if interactive {
        // Ctrl-C while a `:train` runs stops it after the current batch, keeping the params
        // reached; while a line is typed the line editor reads Ctrl-C as a key instead.
        let stop = session.stop_flag();
        let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst));
        front.interactive(&mut session);
    } else {
        front.piped(&mut session);
    }
    if front.failed && !interactive {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

struct FrontEnd {
    color: bool,
    /// Whether any input had an error.
    failed: bool,
    interactive: bool,
    /// In piped mode, the line of standard input the current input starts on, so that a
    /// diagnostic names the script's line and not only its place in the input.
    stdin_line: Option<usize>,
}

/// Whether the session goes on after an input.
#[derive(PartialEq, Eq)]
enum Next {
    Continue,
    Quit,
}

impl FrontEnd {
    /// Reads a file into the session; relative CSV paths of its train blocks are then read from
    /// the file's folder.
    fn load(&mut self, session: &mut Session, path: &Path) {
        match crate::cli::read_source(path) {
            Ok(source) => {
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                session.set_data_reader(Box::new(move |relative: &str| {
                    files::read_text_file(&folder.join(relative), "the data file", files::CSV_LIMIT)
                }));
                let outcome = session.load(&source.name, &source.text);
                self.show(session, &outcome);
            }
            Err(message) => {
                eprintln!("{message}");
                self.failed = true;
            }
        }
    }

    /// Prints an outcome and carries out its action.
    fn show(&mut self, session: &mut Session, outcome: &Outcome) -> Next {
        if outcome.failed() {
            self.failed = true;
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(outcome.output.as_bytes());
        let _ = stdout.flush();
        drop(stdout);
        if !outcome.diagnostics.is_empty() {
            let color = self.color && std::io::stderr().is_terminal();
            let mut source = outcome.source.clone();
            if let Some(line) = self.stdin_line {
                source.name = format!("<stdin line {line}>");
            }
            eprint!("{}", qmlc::render::human_all(&outcome.diagnostics, &source, color));
        }
        for error in &outcome.errors {
            eprintln!("error: {error}");
        }
        match &outcome.action {
            Action::None => Next::Continue,
            Action::Quit => Next::Quit,
            Action::Save { path, text } => {
                match files::write_output(Path::new(path), ":save", text.as_bytes()) {
                    Ok(()) if self.interactive => println!("saved {path}"),
                    Ok(()) => {}
                    Err(message) => {
                        eprintln!("error: {message}");
                        self.failed = true;
                    }
                }
                Next::Continue
            }
            Action::Load { path } => {
                self.load(session, Path::new(path));
                Next::Continue
            }
        }
    }

    /// Evaluates one input, with a progress bar for `:train` on a terminal.
    fn eval(&mut self, session: &mut Session, input: &str) -> Next {
        let mut bar: Option<(String, ProgressBar)> = None;
        let interactive = self.interactive;
        let mut progress = |report: &TrainProgress| {
            if !interactive {
                return;
            }
            let same_block = bar.as_ref().is_some_and(|(block, _)| *block == report.block);
            if !same_block {
                if let Some((_, old)) = bar.take() {
                    old.finish();
                }
                let new = ProgressBar::new(report.epochs as u64);
                if let Ok(style) = ProgressStyle::with_template("{bar:30.cyan/blue} epoch {pos}/{len} {msg}") {
                    new.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
                }
                bar = Some((report.block.clone(), new));
            }
            if let Some((_, bar)) = &bar {
                bar.set_position(report.epoch as u64);
                bar.set_message(report.message());
            }
        };
        let outcome = session.eval_with_progress(input, &mut progress);
        if let Some((_, bar)) = bar {
            bar.finish_and_clear();
        }
        self.show(session, &outcome)
    }

    /// Reads statements from a pipe: a block goes on while its brackets are open.
    fn piped(&mut self, session: &mut Session) {
        let stdin = std::io::stdin();
        let mut pending = String::new();
        for (index, line) in stdin.lock().lines().enumerate() {
            let Ok(line) = line else { break };
            if pending.is_empty() {
                self.stdin_line = Some(index + 1);
            } else {
                pending.push('\n');
            }
            pending.push_str(&line);
            if !qmlc::session::is_complete(&pending) {
                continue;
            }
            let input = std::mem::take(&mut pending);
            if self.eval(session, &input) == Next::Quit {
                return;
            }
        }
        if !pending.trim().is_empty() {
            self.eval(session, &pending);
        }
    }

    /// The terminal session: rustyline with the helper, until Ctrl-D or `:quit`.
    fn interactive(&mut self, session: &mut Session) {
        let config = rustyline::Config::builder()
            .auto_add_history(false)
            .completion_type(rustyline::CompletionType::List)
            .build();
        let mut editor: rustyline::Editor<helper::Helper, rustyline::history::DefaultHistory> =
            match rustyline::Editor::with_config(config) {
                Ok(editor) => editor,
                Err(error) => {
                    eprintln!("error: cannot start the line editor: {error}");
                    self.failed = true;
                    return;
                }
            };
        let names = helper::Names::default();
        editor.set_helper(Some(helper::Helper::new(names.clone(), self.color)));
        let history = history_path();
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        names.set(session.declared_names());
        loop {
            match editor.readline("qml> ") {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    let next = self.eval(session, &line);
                    names.set(session.declared_names());
                    if next == Next::Quit {
                        break;
                    }
                }
                // Ctrl-C clears the line being typed; the session goes on.
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(error) => {
                    eprintln!("error: {error}");
                    break;
                }
            }
        }
        if let Some(path) = &history {
            if let Some(folder) = path.parent() {
                let _ = std::fs::create_dir_all(folder);
            }
            let _ = editor.save_history(path);
        }
    }
}

/// The history file: `$XDG_DATA_HOME/qmlc/history`, or `~/.local/share/qmlc/history`.
fn history_path() -> Option<PathBuf> {
    let data = match std::env::var_os("XDG_DATA_HOME").filter(|value| !value.is_empty()) {
        Some(data) => PathBuf::from(data),
        None => PathBuf::from(std::env::var_os("HOME").filter(|value| !value.is_empty())?).join(".local/share"),
    };
    Some(data.join("qmlc").join("history"))
}
