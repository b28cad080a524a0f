//! The session's `:commands`: help, the state, probabilities, params, gradients, training, undo, save and load.

use super::{
    format, shape_text, vectors, Action, DataReader, DeclarationKind, Outcome, Part, Piece, Place, Session,
    TrainProgress, VALUE_PARAM,
};
use crate::ir::{GradientMethod, Measurement, Wire};
use crate::sim::{self, MeasurementValues};
use crate::source::Source;
use crate::train::{self, Control, Head, SimModel};
use std::sync::atomic::Ordering;

/// Every command with its arguments and what it does, as `:help` lists them.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (":help", "[TOPIC]", "this list, or the reference of a gate, template, command or diagnostic code"),
    (":state", "", "the state's nonzero amplitudes with their basis labels"),
    (":probs", "[WIRES]", "the probability of each basis state, of all wires or of those listed"),
    (":draw", "", "the gates applied so far, as a diagram"),
    (":params", "", "the params and inputs with their values"),
    (":set", "NAME = VALUE", "give a param or input a new value"),
    (
        ":grad",
        "MEASUREMENT [--method M]",
        "the measurement's values and their Jacobian (methods: auto, adjoint, parameter_shift, finite_diff)",
    ),
    (":specs", "", "the session's resources: qubits, gates, depth, params"),
    (":train", "[BLOCK]", "run a train block of the loaded file; the params are updated"),
    (":undo", "", "take back the last statement or declaration"),
    (":save", "FILE.qml", "write the session as a file that `qmlc check` accepts"),
    (":load", "FILE", "load a file: its declarations, and its circuit applied"),
    (":reset", "", "start again from an empty session"),
    (":quit", "", "leave (Ctrl-D too)"),
];

/// Words `:help` explains besides builtins and codes.
pub const HELP_TOPICS: &[&str] = &["commands", "statements"];

/// Runs a `:command` typed as `source`'s text.
pub(super) fn run(session: &mut Session, source: &Source, progress: &mut dyn FnMut(&TrainProgress)) -> Outcome {
    let input = source.text.trim();
    let (name, rest) = input.split_once(char::is_whitespace).unwrap_or((input, ""));
    let rest = rest.trim();
    // Where the argument starts in the input, so a measurement's diagnostics point at it.
    let rest_offset = source.text.len() - source.text.trim_start().len() + input.len() - rest.len();
    match name {
        ":help" | ":h" => help(source, rest),
        ":state" => match &session.current.state {
            Some(state) => Outcome::text(source, format::state(state)),
            None => Outcome::error(source, "there is no register yet: start one with `qubits N`"),
        },
        ":probs" => probs(session, source, rest),
        ":params" => Outcome::text(source, format::values(session.current.circuit.as_ref(), &session.current.values)),
        ":set" => set(session, source, rest, rest_offset),
        ":grad" => grad(session, source, rest, rest_offset),
        ":train" => train_block(session, source, rest, progress),
        ":undo" => match session.history.pop() {
            Some(previous) => {
                session.current = previous;
                Outcome::text(source, "")
            }
            None => Outcome::error(source, "there is nothing to undo"),
        },
        ":save" if rest.is_empty() => Outcome::error(source, "`:save` needs a file name: `:save model.qml`"),
        ":save" => {
            let text = session.file_text();
            let mut outcome = Outcome::text(source, "");
            if crate::diagnostic::has_errors(&crate::check::compile(&text).diagnostics) {
                outcome.output = "note: the saved file does not check on its own (its train blocks or measurements do not fit the session's circuit)\n".to_string();
            }
            outcome.action = Action::Save { path: rest.to_string(), text };
            outcome
        }
        ":load" if rest.is_empty() => Outcome::error(source, "`:load` needs a file name: `:load model.qml`"),
        ":load" => Outcome { action: Action::Load { path: rest.to_string() }, ..Outcome::text(source, "") },
        ":reset" => {
            let previous = std::mem::take(&mut session.current);
            session.history.push(previous);
            Outcome::text(source, "")
        }
        ":quit" | ":q" | ":exit" => Outcome { action: Action::Quit, ..Outcome::text(source, "") },
        ":draw" => draw(session, source),
        ":specs" => specs(session, source),
        _ => {
            let names: Vec<&str> = COMMANDS.iter().map(|(command, _, _)| *command).collect();
            let mut message = format!("unknown command `{name}`");
            if let Some(closest) = crate::diagnostic::closest(name, names.iter().copied()) {
                message.push_str(&format!("; did you mean `{closest}`?"));
            } else {
                message.push_str(" (`:help` lists the commands)");
            }
            Outcome::error(source, message)
        }
    }
}

/// `:draw`: the gates applied so far, drawn by the code of `qmlc draw` (templates boxed, angles
/// as their expressions).
fn draw(session: &Session, source: &Source) -> Outcome {
    match session_circuit(session, source) {
        Ok(circuit) => {
            let options = crate::draw::DrawOptions { width: Some(crate::draw::DEFAULT_WIDTH), ..Default::default() };
            Outcome::text(source, crate::draw::text(&circuit, &options))
        }
        Err(outcome) => *outcome,
    }
}

/// `:specs`: the session's resources, by the code of `qmlc specs` (without the timed estimate).
fn specs(session: &Session, source: &Source) -> Outcome {
    match session_circuit(session, source) {
        Ok(circuit) => Outcome::text(source, crate::specs::specs(&circuit).human("the session")),
        Err(outcome) => *outcome,
    }
}

/// The session's circuit as a file would compile it: with the loaded file's measurements, head
/// and train blocks where they still fit, and without them otherwise.
fn session_circuit(session: &Session, source: &Source) -> Result<crate::ir::Circuit, Box<Outcome>> {
    if session.current.qubits.is_none() {
        return Err(Box::new(Outcome::error(source, "there is no register yet: start one with `qubits N`")));
    }
    for with_tail in [true, false] {
        let program = session.program(&session.current, &source.text, &[], with_tail);
        if let Some(circuit) = crate::check::compile(&program.text).circuit {
            return Ok(circuit);
        }
    }
    Err(Box::new(Outcome::error(source, "the session's statements do not compile; `:save` a file and `qmlc check` it")))
}

fn help(source: &Source, topic: &str) -> Outcome {
    let topic = topic.trim();
    if topic.is_empty() || topic == "commands" {
        let mut out = String::from(
            "Type a statement (`qubits 2`, `h 0`, `cnot 0, 1`), a declaration (`param w[2] = [0.1, 0.2]`,\n\
             `def f(a) { ry(a) 0 }`) or `measure expval(Z(0))`. Commands:\n",
        );
        for (command, arguments, doc) in COMMANDS {
            let usage = if arguments.is_empty() { command.to_string() } else { format!("{command} {arguments}") };
            out.push_str(&format!("  {usage:<34} {doc}\n"));
        }
        out.push_str("`:help NAME` explains a gate, template, command or code such as E0201.\n");
        return Outcome::text(source, out);
    }
    if topic == "statements" {
        return Outcome::text(
            source,
            "`qubits N` starts a fresh register; a gate, template or def call applies to the state;\n\
             `measure …` prints values; `param`/`input`/`const`/`def` declare (`input x[2] = [0.1, 0.2]`),\n\
             and declaring a name again replaces it.\n",
        );
    }
    let command = if topic.starts_with(':') { topic.to_string() } else { format!(":{topic}") };
    if let Some((name, arguments, doc)) = COMMANDS.iter().find(|(name, _, _)| *name == command) {
        return Outcome::text(source, format!("{name} {arguments}\n  {doc}\n"));
    }
    if let Some(code) = crate::codes::Code::parse(topic) {
        let example: String = code.example().lines().map(|line| format!("    {line}\n")).collect();
        return Outcome::text(source, format!("{code}: {}\n\nFor example:\n{example}", code.meaning()));
    }
    match crate::builtins::describe(topic) {
        Some(entry) => Outcome::text(source, entry),
        None => Outcome::error(
            source,
            format!("no help on `{topic}`: try a gate (`:help ry`), a template, a command (`:help grad`) or a code (`:help E0201`)"),
        ),
    }
}

fn probs(session: &Session, source: &Source, rest: &str) -> Outcome {
    let Some(state) = &session.current.state else {
        return Outcome::error(source, "there is no register yet: start one with `qubits N`");
    };
    let n_qubits = state.n_qubits();
    let mut wires = Vec::new();
    for word in rest.split(|c: char| c == ',' || c.is_whitespace()).filter(|word| !word.is_empty()) {
        match word.parse::<u32>() {
            Ok(wire) if (wire as usize) < n_qubits && !wires.contains(&Wire(wire)) => wires.push(Wire(wire)),
            Ok(wire) if (wire as usize) < n_qubits => {
                return Outcome::error(source, format!("wire {wire} is listed twice"));
            }
            _ => {
                return Outcome::error(
                    source,
                    format!("`{word}` is not a wire of the register (0 to {})", n_qubits.saturating_sub(1)),
                )
            }
        }
    }
    if wires.is_empty() {
        wires = (0..n_qubits as u32).map(Wire).collect();
    }
    let width = wires.len();
    match sim::measure(state, &Measurement::Probs(wires), None) {
        Ok(MeasurementValues::Real(probabilities)) => {
            Outcome::text(source, format::probability_table(&probabilities, width))
        }
        Ok(MeasurementValues::Complex(_)) => Outcome::error(source, "probabilities came back complex"),
        Err(error) => Outcome::error(source, error.to_string()),
    }
}

/// `:set NAME = VALUE`: the value is checked as the initializer of a param of the name's shape.
fn set(session: &mut Session, source: &Source, rest: &str, rest_offset: usize) -> Outcome {
    let Some((name, value)) = rest.split_once('=') else {
        return Outcome::error(source, "write `:set NAME = VALUE`, such as `:set w = [0.1, 0.2]`");
    };
    let name = name.trim();
    let Some(circuit) = &session.current.circuit else {
        return Outcome::error(source, format!("there is no param or input `{name}`"));
    };
    let shape = match (
        circuit.params.iter().find(|param| param.variable.name == name),
        circuit.inputs.iter().find(|input| input.name == name),
    ) {
        (Some(param), _) => param.variable.shape.clone(),
        (None, Some(input)) => input.shape.clone(),
        (None, None) => return Outcome::error(source, format!("there is no param or input `{name}`")),
    };
    let value_start = rest_offset + rest.find('=').map_or(0, |index| index + 1);
    let value_start = value_start + leading_space(&source.text[value_start.min(source.text.len())..]);
    let value_end = source.text.trim_end().len().max(value_start);
    let _ = value;
    let piece = Piece {
        place: Place::Declaration,
        parts: std::iter::once(Part::Text(format!("param {VALUE_PARAM}{} = ", shape_text(&shape))))
            .chain(super::value_parts(value_start..value_end, shape.is_empty()))
            .collect(),
    };
    let program = session.program(&session.current, &source.text, &[piece], false);
    let (circuit, errors) = program.compile(super::whole_span(&source.text));
    let Some(compiled) = circuit else {
        return Outcome { diagnostics: errors, source: source.clone(), ..Outcome::default() };
    };
    let initial = crate::params::initial_values(&compiled, super::SEED);
    let Some(param) = compiled.params.iter().find(|param| param.variable.name == VALUE_PARAM) else {
        return Outcome::error(source, "the value could not be read");
    };
    let values = initial.get(param.variable.offset..param.variable.offset + param.variable.size()).unwrap_or_default();
    let mut candidate = session.current.clone();
    candidate.values.insert(name.to_string(), values.to_vec());
    refresh_param_text(&mut candidate);
    if let Err(message) = session.rebuild(&mut candidate) {
        return Outcome::error(source, message);
    }
    session.commit(candidate);
    Outcome::text(source, "")
}

/// The bytes of white space a text starts with.
pub(super) fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// Writes every param's declaration from its current values.
fn refresh_param_text(snapshot: &mut super::Snapshot) {
    for declaration in &mut snapshot.declarations {
        if let (DeclarationKind::Param { shape }, Some(name)) = (&declaration.kind, &declaration.key) {
            if let Some(values) = snapshot.values.get(name) {
                declaration.text = super::param_text(name, shape, values);
            }
        }
    }
}

/// `:grad MEASUREMENT [--method M]`: the measurement's values and Jacobian, as `qmlc grad` gives them.
fn grad(session: &Session, source: &Source, rest: &str, rest_offset: usize) -> Outcome {
    if session.current.qubits.is_none() {
        return Outcome::error(source, "there is no register yet: start one with `qubits N`");
    }
    let (measurement, method) = match rest.find("--method") {
        Some(index) => {
            let name = rest[index + "--method".len()..].trim().trim_start_matches('=').trim();
            match GradientMethod::from_name(name) {
                Some(method) => (&rest[..index], method),
                None => {
                    return Outcome::error(
                        source,
                        format!("unknown method `{name}`: use auto, adjoint, parameter_shift or finite_diff"),
                    )
                }
            }
        }
        None => (rest, GradientMethod::Auto),
    };
    let measurement = measurement.trim_end();
    if measurement.is_empty() {
        return Outcome::error(source, "`:grad` needs a measurement: `:grad expval(Z(0))`");
    }
    let piece = Piece {
        place: Place::Tail,
        parts: vec![Part::Text("measure ".into()), Part::Input(rest_offset..rest_offset + measurement.len())],
    };
    let program = session.program(&session.current, &source.text, &[piece], false);
    let (circuit, errors) = program.compile(super::whole_span(&source.text));
    let Some(circuit) = circuit else {
        return Outcome { diagnostics: errors, source: source.clone(), ..Outcome::default() };
    };
    let (inputs, params) = vectors(&circuit, &session.current.values);
    let jacobian = match crate::grad::jacobian(&circuit, &inputs, &params, method, None) {
        Ok(jacobian) => jacobian,
        Err(error) => return Outcome::error(source, error.to_string()),
    };
    let execution = match sim::execute(&circuit, &inputs, &params, None) {
        Ok(execution) => execution,
        Err(error) => return Outcome::error(source, error.to_string()),
    };
    let resolved = crate::grad::resolve_auto(method, &circuit, None);
    let method_name =
        if method == GradientMethod::Auto { format!("auto: {}", resolved.name()) } else { method.name().to_string() };
    let mut out = format::measurements(&circuit.measurements, &execution.measurements);
    out.push_str(&format!("jacobian ({method_name}):\n"));
    out.push_str(&format::jacobian(&circuit, &jacobian));
    Outcome::text(source, out)
}

/// `:train [BLOCK]`: runs a train block of the session (a loaded file's, or one typed), from the
/// session's params, and keeps the trained values.
fn train_block(
    session: &mut Session,
    source: &Source,
    block_name: &str,
    progress: &mut dyn FnMut(&TrainProgress),
) -> Outcome {
    let program = session.program(&session.current, "", &[], true);
    let output = crate::check::compile(&program.text);
    let Some(circuit) = output.circuit else {
        let first = output.diagnostics.iter().find(|d| d.is_error()).map_or(String::new(), |d| d.message.clone());
        return Outcome::error(source, format!("the session's model does not compile: {first}"));
    };
    let blocks: Vec<&crate::ir::TrainBlock> = if block_name.is_empty() {
        circuit.train.iter().collect()
    } else {
        circuit.train.iter().filter(|block| block.name.as_deref() == Some(block_name)).collect()
    };
    if blocks.is_empty() {
        return Outcome::error(
            source,
            if block_name.is_empty() {
                "the session has no train block: load a file with one, or type `train { … }`".to_string()
            } else {
                format!("there is no train block named `{block_name}`")
            },
        );
    }
    let (_, mut params) = vectors(&circuit, &session.current.values);
    let n_measured: usize = circuit.measurements.iter().filter_map(Measurement::n_outputs).sum();
    let encode_width = crate::params::encode_features(&circuit, None);
    let mut head =
        Head::new(&circuit.head, n_measured, blocks[0].seed).with_encode(&circuit.encode, encode_width, blocks[0].seed);
    if let Some(values) = session.current.head_values.as_ref().filter(|values| values.len() == head.params.len()) {
        head.params.clone_from(values);
    }
    let stop = std::sync::Arc::clone(&session.stop);
    stop.store(false, Ordering::SeqCst);
    let mut out = String::new();
    for (index, block) in blocks.iter().enumerate() {
        let name = block.name.clone().unwrap_or_else(|| format!("{}", index + 1));
        // A block with an objective (`minimize`/`maximize`) has no data.
        let data = if block.objective.is_some() {
            None
        } else {
            let (dataset, test) = match load_dataset(block, session.data_reader.as_ref()) {
                Ok(datasets) => datasets,
                Err(message) => return Outcome::error(source, message),
            };
            // The encode layers take rows as wide as the data's (their values kept while that holds).
            if head.n_features().is_some_and(|n| n != dataset.n_features()) {
                head = head.with_encode(&circuit.encode, dataset.n_features(), block.seed);
            }
            let n_features = head.n_features().unwrap_or(circuit.n_inputs());
            match train::prepare_with_test(dataset, test, block, n_features, head.n_outputs()) {
                Ok(data) => Some(data),
                Err(error) => return Outcome::error(source, error.to_string()),
            }
        };
        let model = SimModel::new(&circuit, block.gradient, block.shots, n_measured, sim::MemoryBudget::default());
        let epochs = block.epochs;
        let objective = block.objective.is_some();
        let mut observer = |report: &train::EpochReport| {
            progress(&TrainProgress {
                block: name.clone(),
                epoch: report.epoch,
                epochs,
                train_loss: report.train_loss,
                objective,
            });
            Control::Continue
        };
        let result = match &data {
            Some(data) => train::train(block, &model, &mut head, &mut params, data, &stop, &mut observer),
            None => train::train_objective(block, &model, &mut head, &mut params, &stop, &mut observer),
        };
        let what = if block.objective.is_some() { "objective" } else { "loss" };
        match result {
            Ok(summary) => {
                if summary.stop_reason == train::StopReason::Interrupted {
                    out.push_str(&format!("block {name}: stopped after {} epochs\n", summary.epochs_run));
                    break;
                }
                let last = summary.last.as_ref();
                out.push_str(&format!(
                    "block {name}: {} epochs, final {what} {}{}\n",
                    summary.epochs_run,
                    last.map_or_else(|| "-".to_string(), |report| format!("{:.6}", report.train_loss)),
                    if summary.stop_reason == train::StopReason::Converged { " (cobyla converged)" } else { "" }
                ));
            }
            Err(error) => return Outcome::error(source, error.to_string()),
        }
    }
    let mut candidate = session.current.clone();
    for param in &circuit.params {
        let variable = &param.variable;
        candidate
            .values
            .insert(variable.name.clone(), params[variable.offset..variable.offset + variable.size()].to_vec());
    }
    if !head.params.is_empty() {
        candidate.head_values = Some(head.params.clone());
    }
    refresh_param_text(&mut candidate);
    if let Err(message) = session.rebuild(&mut candidate) {
        return Outcome::error(source, message);
    }
    session.commit(candidate);
    out.push_str("the params are updated (`:params` shows them)\n");
    Outcome::text(source, out)
}

/// The block's data set and, if it has one, its fixed test set.
fn load_dataset(
    block: &crate::ir::TrainBlock,
    reader: Option<&DataReader>,
) -> Result<(train::Dataset, Option<train::Dataset>), String> {
    let Some(data) = &block.data else {
        return Err("this block trains an objective, without data".to_string());
    };
    let load = |source: &crate::ir::DataSource| match source {
        crate::ir::DataSource::Csv { path, labels, columns } => {
            let reader = reader.ok_or_else(|| format!("cannot read `{path}`: this session reads no files"))?;
            let text = reader(path)?;
            train::data::from_csv_columns(&text, path, labels, columns.as_deref()).map_err(|error| error.to_string())
        }
        other => match train::generate::builtin(other, block.seed) {
            Some(result) => result.map_err(|error| error.to_string()),
            None => Err("unknown data source".to_string()),
        },
    };
    Ok((load(data)?, block.test.as_ref().map(load).transpose()?))
}
