//! The interactive session behind `qmlc repl`: declarations, the live state vector and the statements applied so far.
//!
//! A [`Session`] takes one input at a time (a statement, a declaration, a `measure`, or a
//! `:command`) and returns an [`Outcome`]: the text to print and the diagnostics, which point into
//! the input just typed. It does no input or output of its own: `:save` hands back the file's
//! text and `:load` the path to read, and a front end (the terminal, or a test) does the rest.
//!
//! Every input is checked by compiling the program the session would become (see `program`), so
//! the session accepts what `qmlc check` accepts and computes what `qmlc run` computes. An input
//! with an error changes nothing.

mod commands;
mod format;
mod program;
#[cfg(test)]
mod tests;

pub use commands::{COMMANDS, HELP_TOPICS};

use crate::ast::{self, ItemKind};
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::ir::Circuit;
use crate::sim::{self, State};
use crate::source::{Source, Span};
use program::{Part, Piece, Place, Program};
use std::collections::BTreeMap;

/// The name under which a value being given (`input x[2] = VALUE`, `:set`) is checked: as the
/// initializer of a param of that shape, which is what a literal array already is in a file.
const VALUE_PARAM: &str = "session_value__";

/// The seed of initial param values, as `qmlc run` uses without `--seed`.
const SEED: u64 = 0;

/// What an input did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Results to print on stdout: measured values, tables, help.
    pub output: String,
    /// Problems with the input, pointing into [`Outcome::source`].
    pub diagnostics: Vec<Diagnostic>,
    /// Problems that have no place in the input (an unknown command's argument, a failed run).
    pub errors: Vec<String>,
    /// The text the diagnostics point into: the input, or a loaded file.
    pub source: Source,
    /// What the front end is asked to do.
    pub action: Action,
}

impl Default for Outcome {
    fn default() -> Outcome {
        Outcome {
            output: String::new(),
            diagnostics: Vec::new(),
            errors: Vec::new(),
            source: Source::new("<input>", ""),
            action: Action::None,
        }
    }
}

impl Outcome {
    fn text(source: &Source, output: impl Into<String>) -> Outcome {
        Outcome { output: output.into(), source: source.clone(), ..Outcome::default() }
    }

    fn error(source: &Source, message: impl Into<String>) -> Outcome {
        Outcome { errors: vec![message.into()], source: source.clone(), ..Outcome::default() }
    }

    /// Whether the input had an error (a piped session exits 1 at its end if any had).
    pub fn failed(&self) -> bool {
        !self.errors.is_empty() || crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// What the front end is asked to do after an input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Action {
    #[default]
    None,
    /// Leave the session.
    Quit,
    /// Write `text` to the file `path` (`:save`).
    Save { path: String, text: String },
    /// Read the file `path` and pass its text to [`Session::load`] (`:load`).
    Load { path: String },
}

/// How far a `:train` has got, for a progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainProgress {
    pub block: String,
    pub epoch: usize,
    pub epochs: usize,
    /// The epoch's training loss, or the objective's value for a `minimize`/`maximize` block.
    pub train_loss: f64,
    /// Whether the block trains an objective (`minimize`/`maximize`), so `train_loss` holds the
    /// objective and a front end labels it so.
    pub objective: bool,
}

impl TrainProgress {
    /// The progress bar's message: the value, labelled `objective` for an objective block
    /// (its value is no loss) and `loss` otherwise.
    pub fn message(&self) -> String {
        let what = if self.objective { "objective" } else { "loss" };
        format!("{what} {:.4}", self.train_loss)
    }
}

/// Reads a data file named in a train block (as written, relative to the loaded file); the
/// front end provides it, since the library reads no files.
pub type DataReader = Box<dyn Fn(&str) -> Result<String, String>>;

#[derive(Clone, Debug, PartialEq)]
enum DeclarationKind {
    Input,
    /// A param's text is written from its values, so `:save` keeps what training or `:set` did.
    Param {
        shape: Vec<usize>,
    },
    /// `const`, `def`, and anything else kept as it was typed.
    Verbatim,
    /// `measure`, `head` and `train` of a loaded file: kept for `:train` and `:save`, left out
    /// when a typed `measure` is evaluated.
    Tail,
}

#[derive(Clone, Debug, PartialEq)]
struct Declaration {
    /// The declared name (`head` for the head, `train NAME` for a train block), which a new
    /// declaration of the same name replaces; `None` for what accumulates (`measure`).
    key: Option<String>,
    kind: DeclarationKind,
    text: String,
}

/// Everything `:undo` restores.
#[derive(Clone, Debug, Default)]
struct Snapshot {
    /// The `N` of `qubits N`, as typed.
    qubits: Option<String>,
    declarations: Vec<Declaration>,
    /// The statements applied to the state since `qubits`, as typed.
    statements: Vec<String>,
    /// Values of params and inputs by name, row-major.
    values: BTreeMap<String, Vec<f64>>,
    /// The head's trained params, after a `:train` of a model with a head.
    head_values: Option<Vec<f64>>,
    /// The compiled session (declarations and statements, no measurements).
    circuit: Option<Circuit>,
    /// The live state: the statements applied to |0…0⟩.
    state: Option<State>,
}

/// A live session on one state vector.
pub struct Session {
    current: Snapshot,
    history: Vec<Snapshot>,
    data_reader: Option<DataReader>,
    /// Raised (by a Ctrl-C handler) to stop a `:train` after the batch it is in.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

/// What a source input asks for, once its items are sorted into program pieces.
struct Plan {
    pieces: Vec<Piece>,
    /// Names the input declares, replacing earlier declarations of the same names.
    replaced: Vec<String>,
    /// The input has a `measure` to evaluate and print.
    measures: bool,
    /// The input has a `head` or `train` (checked with the stored ones).
    tails: bool,
    /// The input starts a fresh register.
    qubits: Option<String>,
    /// New declarations, in order, with what their text will be once values are known.
    declarations: Vec<NewDeclaration>,
    statements: Vec<String>,
}

enum NewDeclaration {
    Input { name: String, has_value: bool, text: String },
    Param { name: String },
    Other(Declaration),
}

impl Session {
    pub fn new() -> Session {
        Session { current: Snapshot::default(), history: Vec::new(), data_reader: None, stop: Default::default() }
    }

    /// The flag that stops a running `:train` after its current batch, keeping the params
    /// reached; a front end raises it from its Ctrl-C handler.
    pub fn stop_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        std::sync::Arc::clone(&self.stop)
    }

    /// Sets how `:train` reads a CSV data file named in a train block.
    pub fn set_data_reader(&mut self, reader: DataReader) {
        self.data_reader = Some(reader);
    }

    /// A session started from a file's text: its declarations in scope and its circuit applied.
    pub fn from_file(name: &str, text: &str) -> (Session, Outcome) {
        let mut session = Session::new();
        let outcome = session.load(name, text);
        (session, outcome)
    }

    /// Loads a file's text into the session (`qmlc repl FILE`, `:load FILE`): its declarations
    /// join the session's and its circuit is applied; its `measure`, `head` and `train` are kept
    /// for `:train` and `:save` rather than printed. Diagnostics point into the file.
    pub fn load(&mut self, name: &str, text: &str) -> Outcome {
        let source = Source::new(name, text);
        self.eval_source(&source, true)
    }

    /// Evaluates one input: a statement, a declaration, a `measure`, or a `:command`.
    pub fn eval(&mut self, input: &str) -> Outcome {
        self.eval_with_progress(input, &mut |_| {})
    }

    /// [`Session::eval`], telling `progress` after each epoch of a `:train`.
    pub fn eval_with_progress(&mut self, input: &str, progress: &mut dyn FnMut(&TrainProgress)) -> Outcome {
        let source = Source::new("<input>", input);
        let trimmed = input.trim_start();
        if trimmed.starts_with(':') {
            return commands::run(self, &source, progress);
        }
        if trimmed.is_empty() {
            return Outcome::text(&source, "");
        }
        self.eval_source(&source, false)
    }

    /// The number of qubits of the live state, if a register has been started.
    pub fn n_qubits(&self) -> Option<usize> {
        self.current.state.as_ref().map(State::n_qubits)
    }

    /// The live state vector.
    pub fn state(&self) -> Option<&State> {
        self.current.state.as_ref()
    }

    /// The current value of a param or input.
    pub fn value(&self, name: &str) -> Option<&[f64]> {
        self.current.values.get(name).map(Vec::as_slice)
    }

    /// The names declared so far (params, inputs, consts, defs), for completion.
    pub fn declared_names(&self) -> Vec<String> {
        self.current
            .declarations
            .iter()
            .filter(|declaration| declaration.kind != DeclarationKind::Tail)
            .filter_map(|declaration| declaration.key.clone())
            .collect()
    }

    /// The session as a `.qml` file that `qmlc check` accepts: what `:save` writes.
    pub fn file_text(&self) -> String {
        self.program(&self.current, "", &[], true).text
    }

    /// Reads a source input (or a file) and applies it.
    fn eval_source(&mut self, source: &Source, loading: bool) -> Outcome {
        let input = source.text.as_str();
        let whole = whole_span(input);
        let (plan, parse_diagnostics) = plan(input, loading);
        if crate::diagnostic::has_errors(&parse_diagnostics) {
            return Outcome { diagnostics: parse_diagnostics, source: source.clone(), ..Outcome::default() };
        }
        let Some(plan) = plan else {
            return Outcome::text(source, "");
        };
        let mut candidate = self.current.clone();
        candidate.declarations.retain(|declaration| match &declaration.key {
            Some(key) => !plan.replaced.contains(key),
            None => true,
        });
        for name in &plan.replaced {
            candidate.values.remove(name);
        }
        if let Some(qubits) = &plan.qubits {
            candidate.qubits = Some(qubits.clone());
            candidate.statements.clear();
        }
        let needs_register = plan.measures || !plan.statements.is_empty();
        if needs_register && candidate.qubits.is_none() {
            return Outcome::error(source, "there is no register yet: start one with `qubits N`");
        }
        let program = self.program(&candidate, input, &plan.pieces, plan.tails);
        let (circuit, errors) = program.compile(whole);
        let Some(circuit) = circuit else {
            let mut outcome = Outcome { diagnostics: errors, source: source.clone(), ..Outcome::default() };
            if outcome.diagnostics.is_empty() {
                outcome.errors.push("the session could not be compiled".to_string());
            }
            return outcome;
        };

        // The values of what the input declared: a param's from its initializer (as `run` draws
        // them without --params), an input's from the value given with it.
        let initial = crate::params::initial_values(&circuit, SEED);
        for declaration in &plan.declarations {
            match declaration {
                NewDeclaration::Param { name } => {
                    if let Some(param) = circuit.params.iter().find(|param| &param.variable.name == name) {
                        let range = param.variable.offset..param.variable.offset + param.variable.size();
                        candidate.values.insert(name.clone(), initial.get(range).unwrap_or_default().to_vec());
                        let shape = param.variable.shape.clone();
                        let text = param_text(name, &shape, &candidate.values[name]);
                        candidate.declarations.push(Declaration {
                            key: Some(name.clone()),
                            kind: DeclarationKind::Param { shape },
                            text,
                        });
                    }
                }
                NewDeclaration::Input { name, has_value, text } => {
                    let Some(variable) = circuit.inputs.iter().find(|variable| &variable.name == name) else {
                        continue;
                    };
                    let value = match circuit.params.iter().find(|param| param.variable.name == VALUE_PARAM) {
                        Some(param) if *has_value => initial
                            .get(param.variable.offset..param.variable.offset + param.variable.size())
                            .unwrap_or_default()
                            .to_vec(),
                        _ => vec![0.0; variable.size()],
                    };
                    candidate.values.insert(name.clone(), value);
                    candidate.declarations.push(Declaration {
                        key: Some(name.clone()),
                        kind: DeclarationKind::Input,
                        text: text.clone(),
                    });
                }
                NewDeclaration::Other(declaration) => candidate.declarations.push(declaration.clone()),
            }
        }
        candidate.statements.extend(plan.statements.iter().cloned());

        let mut result = Outcome::text(source, "");
        if plan.measures {
            let (inputs, params) = vectors(&circuit, &candidate.values);
            match sim::execute(&circuit, &inputs, &params, None) {
                Ok(execution) => result.output = format::measurements(&circuit.measurements, &execution.measurements),
                Err(error) => return Outcome::error(source, error.to_string()),
            }
        }
        let changed = !plan.declarations.is_empty() || !plan.statements.is_empty() || plan.qubits.is_some();
        if changed {
            if let Err(message) = self.rebuild(&mut candidate) {
                return Outcome::error(source, message);
            }
            self.commit(candidate);
        }
        if loading {
            let unset: Vec<String> = plan
                .declarations
                .iter()
                .filter_map(|declaration| match declaration {
                    NewDeclaration::Input { name, has_value: false, .. } => Some(format!("`{name}`")),
                    _ => None,
                })
                .collect();
            if !unset.is_empty() {
                result.output.push_str(&format!(
                    "inputs {} are zeros: give them values with `:set NAME = VALUE`\n",
                    unset.join(", ")
                ));
            }
        }
        result
    }

    /// Compiles the session's own program and runs its circuit to give the live state.
    fn rebuild(&self, snapshot: &mut Snapshot) -> Result<(), String> {
        let program = self.program(snapshot, "", &[], false);
        let output = check::compile(&program.text);
        let Some(circuit) = output.circuit else {
            let first = output.diagnostics.iter().find(|d| d.is_error()).map(|d| d.message.clone());
            return Err(format!(
                "the session no longer compiles: {}",
                first.unwrap_or_else(|| "an unknown error".to_string())
            ));
        };
        snapshot.state = match &snapshot.qubits {
            Some(_) => {
                let (inputs, params) = vectors(&circuit, &snapshot.values);
                Some(sim::final_state(&circuit, &inputs, &params).map_err(|error| error.to_string())?)
            }
            None => None,
        };
        snapshot.circuit = Some(circuit);
        Ok(())
    }

    /// Makes a snapshot current, keeping the one before it for `:undo`.
    fn commit(&mut self, snapshot: Snapshot) {
        let previous = std::mem::replace(&mut self.current, snapshot);
        self.history.push(previous);
    }

    /// The program a snapshot makes, with the input's pieces in their places. Without a
    /// register the declarations are checked against one qubit, which is all they need.
    fn program(&self, snapshot: &Snapshot, input: &str, pieces: &[Piece], with_tail: bool) -> Program {
        let mut program = Program::default();
        if pieces.iter().any(|piece| piece.place == Place::Qubits) {
            program.push_pieces(input, pieces, Place::Qubits, "");
        } else {
            program.push(&format!("qubits {}\n", snapshot.qubits.as_deref().unwrap_or("1")));
        }
        for declaration in snapshot.declarations.iter().filter(|d| d.kind != DeclarationKind::Tail) {
            program.push(&declaration.text);
            program.push("\n");
        }
        program.push_pieces(input, pieces, Place::Declaration, "");
        program.push("\ncircuit {\n");
        for statement in &snapshot.statements {
            program.push("    ");
            program.push(statement);
            program.push("\n");
        }
        program.push_pieces(input, pieces, Place::Statement, "    ");
        program.push("}\n");
        if with_tail {
            for declaration in snapshot.declarations.iter().filter(|d| d.kind == DeclarationKind::Tail) {
                program.push("\n");
                program.push(&declaration.text);
                program.push("\n");
            }
        }
        program.push_pieces(input, pieces, Place::Tail, "");
        program
    }
}

/// The input and param vectors of a compiled program from the session's values by name; a value
/// the session does not have (or of another size) is the initializer's, or zeros for an input.
fn vectors(circuit: &Circuit, values: &BTreeMap<String, Vec<f64>>) -> (Vec<f64>, Vec<f64>) {
    let mut params = crate::params::initial_values(circuit, SEED);
    for param in &circuit.params {
        let variable = &param.variable;
        if let Some(value) = values.get(&variable.name).filter(|value| value.len() == variable.size()) {
            params[variable.offset..variable.offset + variable.size()].copy_from_slice(value);
        }
    }
    let mut inputs = vec![0.0; circuit.n_inputs()];
    for variable in &circuit.inputs {
        if let Some(value) = values.get(&variable.name).filter(|value| value.len() == variable.size()) {
            inputs[variable.offset..variable.offset + variable.size()].copy_from_slice(value);
        }
    }
    (inputs, params)
}

/// `param w[2, 2] = [[…], […]]`: a param declared with its current values.
fn param_text(name: &str, shape: &[usize], values: &[f64]) -> String {
    format!("param {name}{} = {}", shape_text(shape), program::literal(values, shape))
}

/// A value given for a param or input, as an initializer: a scalar inside `constant(…)`, so
/// that any constant expression (`pi / 2`) is one.
fn value_parts(range: std::ops::Range<usize>, scalar: bool) -> Vec<Part> {
    if scalar {
        vec![Part::Text("constant(".into()), Part::Input(range), Part::Text(")".into())]
    } else {
        vec![Part::Input(range)]
    }
}

/// `[2, 3]`, or nothing for a scalar.
fn shape_text(shape: &[usize]) -> String {
    if shape.is_empty() {
        String::new()
    } else {
        let dimensions: Vec<String> = shape.iter().map(usize::to_string).collect();
        format!("[{}]", dimensions.join(", "))
    }
}

/// The span of an input without its surrounding white space, where a diagnostic with no place
/// of its own is shown.
fn whole_span(input: &str) -> Span {
    let start = input.len() - input.trim_start().len();
    let end = input.trim_end().len().max(start);
    Span::new(start, end)
}

/// Where the first `=` outside brackets is in an `input` declaration typed with its value
/// (`input x[2] = [0.1, 0.2]`), which the language's grammar does not have.
fn input_value_split(input: &str) -> Option<usize> {
    let trimmed = input.trim_start();
    let rest = trimmed.strip_prefix("input")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut depth = 0i32;
    for (index, character) in input.char_indices() {
        match character {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '=' if depth == 0 => return Some(index),
            '\n' | ';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The text of an expression list's span (a shape's dimensions), for `[…]`.
fn span_of_exprs(exprs: &[ast::Expr]) -> Option<std::ops::Range<usize>> {
    Some(exprs.first()?.span.range().start..exprs.last()?.span.range().end)
}

/// Parses an input and sorts its items into pieces of the program. `None` when there is
/// nothing to do (a comment).
fn plan(input: &str, loading: bool) -> (Option<Plan>, Vec<Diagnostic>) {
    let split = if loading { None } else { input_value_split(input) };
    let declaration_text = &input[..split.unwrap_or(input.len())];
    let (program, diagnostics) = crate::parser::parse(declaration_text);
    if crate::diagnostic::has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    let mut plan = Plan {
        pieces: Vec::new(),
        replaced: Vec::new(),
        measures: false,
        tails: false,
        qubits: None,
        declarations: Vec::new(),
        statements: Vec::new(),
    };
    let text = |span: Span| input[span.range()].to_string();
    for item in &program.items {
        let range = item.span.range();
        match &item.kind {
            ItemKind::Qubits(count) => {
                plan.qubits = Some(text(count.span));
                plan.pieces.push(Piece::input(Place::Qubits, range));
            }
            ItemKind::Input { name, shape } => {
                plan.replaced.push(name.name.clone());
                plan.pieces.push(Piece::input(Place::Declaration, range));
                if let Some(equals) = split {
                    let mut parts = vec![Part::Text(format!("param {VALUE_PARAM}"))];
                    let dimensions = shape.as_deref().and_then(span_of_exprs);
                    let scalar = dimensions.is_none();
                    if let Some(dimensions) = dimensions {
                        parts.extend([Part::Text("[".into()), Part::Input(dimensions), Part::Text("]".into())]);
                    }
                    parts.push(Part::Text(" = ".into()));
                    let value_start = equals + 1 + commands::leading_space(&input[equals + 1..]);
                    parts.extend(value_parts(value_start..input.trim_end().len().max(value_start), scalar));
                    plan.pieces.push(Piece { place: Place::Declaration, parts });
                }
                plan.declarations.push(NewDeclaration::Input {
                    name: name.name.clone(),
                    has_value: split.is_some(),
                    text: text(item.span),
                });
            }
            ItemKind::Param { name, .. } => {
                plan.replaced.push(name.name.clone());
                plan.pieces.push(Piece::input(Place::Declaration, range));
                plan.declarations.push(NewDeclaration::Param { name: name.name.clone() });
            }
            ItemKind::Const { name, .. } | ItemKind::Def { name, .. } => {
                plan.replaced.push(name.name.clone());
                plan.pieces.push(Piece::input(Place::Declaration, range));
                plan.declarations.push(NewDeclaration::Other(Declaration {
                    key: Some(name.name.clone()),
                    kind: DeclarationKind::Verbatim,
                    text: text(item.span),
                }));
            }
            ItemKind::Circuit { body, .. } => {
                for statement in &body.stmts {
                    plan.pieces.push(Piece::input(Place::Statement, statement.span.range()));
                    plan.statements.push(text(statement.span));
                }
            }
            ItemKind::Stmt(statement) => {
                plan.pieces.push(Piece::input(Place::Statement, range));
                plan.statements.push(text(statement.span));
            }
            ItemKind::Measure(_) | ItemKind::MeasureFor { .. } if !loading => {
                plan.measures = true;
                plan.pieces.push(Piece::input(Place::Tail, range));
            }
            ItemKind::Measure(_)
            | ItemKind::MeasureFor { .. }
            | ItemKind::Head(_)
            | ItemKind::Encode(_)
            | ItemKind::Train { .. } => {
                let key = match &item.kind {
                    ItemKind::Head(_) => Some("head".to_string()),
                    ItemKind::Encode(_) => Some("encode".to_string()),
                    ItemKind::Train { name, .. } => {
                        Some(format!("train {}", name.as_ref().map_or("", |name| name.name.as_str())))
                    }
                    _ => None,
                };
                if let Some(key) = &key {
                    plan.replaced.push(key.clone());
                }
                plan.tails = true;
                plan.pieces.push(Piece::input(Place::Tail, range));
                plan.declarations.push(NewDeclaration::Other(Declaration {
                    key,
                    kind: DeclarationKind::Tail,
                    text: text(item.span),
                }));
            }
            ItemKind::UnknownBlock { .. } => plan.pieces.push(Piece::input(Place::Declaration, range)),
            ItemKind::Error => {}
        }
    }
    if plan.pieces.is_empty() {
        return (None, diagnostics);
    }
    (Some(plan), diagnostics)
}

/// Whether an input is complete: every brace and bracket it opens is closed (outside comments
/// and strings). The terminal keeps reading lines until it is. An open parenthesis does not
/// hold the input back, so a call left open by mistake is reported at once rather than
/// swallowing the lines after it.
pub fn is_complete(input: &str) -> bool {
    let mut depth = 0i64;
    let mut characters = input.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '/' if characters.peek() == Some(&'/') => {
                for next in characters.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            '/' if characters.peek() == Some(&'*') => {
                characters.next();
                let mut previous = ' ';
                let mut closed = false;
                for next in characters.by_ref() {
                    if previous == '*' && next == '/' {
                        closed = true;
                        break;
                    }
                    previous = next;
                }
                if !closed {
                    return false;
                }
            }
            '"' => {
                let mut closed = false;
                while let Some(next) = characters.next() {
                    match next {
                        '\\' => {
                            characters.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if !closed {
                    return false;
                }
            }
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    depth <= 0
}
