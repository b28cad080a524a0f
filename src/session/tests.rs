//! Sessions driven through the API, without a terminal.

use super::*;
use crate::ir::GradientMethod;

/// Evaluates each input and insists that none fails.
fn run_all(session: &mut Session, inputs: &[&str]) -> Vec<Outcome> {
    inputs
        .iter()
        .map(|input| {
            let outcome = session.eval(input);
            assert!(!outcome.failed(), "{input}: {:?} {:?}", outcome.errors, outcome.diagnostics);
            outcome
        })
        .collect()
}

fn probabilities(session: &Session) -> Vec<f64> {
    session.state().map(|state| state.amplitudes().iter().map(|a| a.norm_sqr()).collect()).unwrap_or_default()
}

#[test]
fn a_bell_pair_has_half_and_half() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 2", "h 0", "cnot 0, 1"]);
    let expected = [0.5, 0.0, 0.0, 0.5];
    let found = probabilities(&session);
    assert_eq!(found.len(), 4);
    for (found, expected) in found.iter().zip(expected) {
        assert!((found - expected).abs() < 1e-12, "{found} vs {expected}");
    }
    let outcome = session.eval(":probs");
    assert_eq!(
        outcome.output,
        "  |00⟩  0.5000000000\n  |01⟩  0.0000000000\n  |10⟩  0.0000000000\n  |11⟩  0.5000000000\n"
    );
    let outcome = session.eval(":probs 1");
    assert_eq!(outcome.output, "  |0⟩  0.5000000000\n  |1⟩  0.5000000000\n");
    let outcome = session.eval("measure expval(Z(0) @ Z(1))");
    assert_eq!(outcome.output, "expval(Z(0) @ Z(1)) = 1.0000000000\n");
    let outcome = session.eval(":state");
    assert_eq!(
        outcome.output,
        "state (nonzero amplitudes):\n  |00⟩  +0.7071067812 +0.0000000000i\n  |11⟩  +0.7071067812 +0.0000000000i\n"
    );
}

#[test]
fn a_def_declared_then_used() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 1", "def flip(a) {\n    ry(a) 0\n}", "flip(pi) 0"]);
    let found = probabilities(&session);
    assert!((found[1] - 1.0).abs() < 1e-12, "{found:?}");
    assert_eq!(session.declared_names(), ["flip"]);
}

#[test]
fn an_error_points_into_the_input_and_changes_nothing() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 2", "h 0"]);
    let before = probabilities(&session);
    let outcome = session.eval("cnot 0, 2");
    assert!(outcome.failed());
    let diagnostic = &outcome.diagnostics[0];
    assert_eq!(diagnostic.code, crate::codes::Code::E0201, "{diagnostic:?}");
    assert_eq!(&outcome.source.text[diagnostic.primary.span.range()], "2");
    assert_eq!(probabilities(&session), before);
    let outcome = session.eval("hadamard 1");
    assert_eq!(outcome.diagnostics[0].code, crate::codes::Code::E0102);
    assert_eq!(&outcome.source.text[outcome.diagnostics[0].primary.span.range()], "hadamard");
    // The session goes on.
    run_all(&mut session, &["cnot 0, 1"]);
    assert!((probabilities(&session)[3] - 0.5).abs() < 1e-12);
}

#[test]
fn a_syntax_error_and_an_unknown_command_are_reported() {
    let mut session = Session::new();
    assert!(session.eval("qubits 2 2 (").failed());
    let outcome = session.eval(":prob");
    assert!(outcome.failed());
    assert!(outcome.errors[0].contains("did you mean `:probs`?"), "{:?}", outcome.errors);
    assert!(session.eval("h 0").errors[0].contains("qubits N"));
}

#[test]
fn undo_takes_back_the_last_statement() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 1", "x 0"]);
    assert!((probabilities(&session)[1] - 1.0).abs() < 1e-12);
    run_all(&mut session, &[":undo"]);
    assert!((probabilities(&session)[0] - 1.0).abs() < 1e-12);
    run_all(&mut session, &[":undo"]);
    assert_eq!(session.state().map(State::n_qubits), None);
    assert!(session.eval(":undo").failed());
}

#[test]
fn a_saved_session_checks_and_reproduces_the_state() {
    let mut session = Session::new();
    run_all(
        &mut session,
        &[
            "qubits 3",
            "param w[2] = [0.3, -1.25]",
            "input x[2] = [0.5, 0.7]",
            "const n = 3",
            "def layer(a[2]) {\n    ry(a[0]) 0\n    rx(a[1]) 1\n}",
            "h 2",
            "layer(w) 0, 1",
            "for i in 0..n - 1 { cnot i, i + 1 }",
            "ry(x[0] * x[1]) 2",
        ],
    );
    let outcome = session.eval(":save out.qml");
    let Action::Save { path, text } = outcome.action else { panic!("{outcome:?}") };
    assert_eq!(path, "out.qml");
    let checked = crate::check::compile(&text);
    assert!(!crate::diagnostic::has_errors(&checked.diagnostics), "{text}\n{:?}", checked.diagnostics);
    let circuit = checked.circuit.expect("the saved file compiles");
    let params = crate::params::initial_values(&circuit, 0);
    assert_eq!(params, [0.3, -1.25]);
    let state = crate::sim::final_state(&circuit, &[0.5, 0.7], &params).expect("it runs");
    let live = session.state().expect("a register");
    for (saved, live) in state.amplitudes().iter().zip(live.amplitudes()) {
        assert!((saved - live).norm() < 1e-12);
    }
}

#[test]
fn grad_gives_what_the_engine_gives() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 2", "param w[2] = [0.1, 0.2]", "ry(w[0]) 0", "rx(w[1]) 1", "cnot 0, 1"]);
    let outcome = session.eval(":grad expval(Z(0))");
    assert!(!outcome.failed(), "{outcome:?}");
    let text = session.file_text() + "measure expval(Z(0))\n";
    let circuit = crate::check::compile(&text).circuit.expect("the session compiles");
    let jacobian = crate::grad::jacobian(&circuit, &[], &[0.1, 0.2], GradientMethod::Auto, None).expect("a Jacobian");
    let expected = format!("    output 0: [{:.8}, {:.8}]\n", jacobian.get(0, 0), jacobian.get(0, 1));
    assert!(outcome.output.contains(&expected), "{}", outcome.output);
    assert!(outcome.output.starts_with(&format!("expval(Z(0)) = {:.10}\n", 0.1f64.cos())), "{}", outcome.output);
    // d <Z0> / d w0 = -sin(w0) exactly.
    assert!((jacobian.get(0, 0) + 0.1f64.sin()).abs() < 1e-10);
    let outcome = session.eval(":grad expval(Z(0)) --method parameter_shift");
    assert!(outcome.output.contains("jacobian (parameter_shift)"), "{}", outcome.output);
    assert!(outcome.output.contains(&expected), "{}", outcome.output);
}

#[test]
fn set_changes_a_value_and_declaring_again_replaces() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 1", "param t = 0.0", "rx(t) 0", ":set t = pi"]);
    assert!((probabilities(&session)[1] - 1.0).abs() < 1e-12);
    let outcome = session.eval(":set t = [1, 2]");
    assert!(outcome.failed());
    assert_eq!(&outcome.source.text[outcome.diagnostics[0].primary.span.range()], "[1, 2]");
    run_all(&mut session, &["param t = pi / 2"]);
    assert!((probabilities(&session)[1] - 0.5).abs() < 1e-12);
    assert_eq!(session.eval(":params").output, format!("param t = {:?}\n", std::f64::consts::FRAC_PI_2));
}

#[test]
fn a_loaded_file_applies_its_circuit_and_trains() {
    let file = "qubits 2\ninput x[2]\nparam t[2] = constant(0.1)\ncircuit {\n    angle_embedding(x)\n    ry(t[0]) 0\n    ry(t[1]) 1\n    cnot 0, 1\n}\n\
                measure expval(Z(1))\ntrain {\n    data moons(samples = 20, noise = 0.1)\n    loss mse\n    optimizer sgd(lr = 0.5)\n    epochs 3\n    batch 10\n}\n";
    let (mut session, outcome) = Session::from_file("model.qml", file);
    assert!(!outcome.failed(), "{outcome:?}");
    assert_eq!(outcome.output, "inputs `x` are zeros: give them values with `:set NAME = VALUE`\n");
    assert_eq!(session.value("t"), Some(&[0.1, 0.1][..]));
    assert_eq!(session.value("x"), Some(&[0.0, 0.0][..]));
    let mut epochs = 0;
    let outcome = session.eval_with_progress(":train", &mut |progress| epochs = progress.epoch);
    assert!(!outcome.failed(), "{outcome:?}");
    assert_eq!(epochs, 3);
    assert_ne!(session.value("t"), Some(&[0.1, 0.1][..]));
    // The saved file holds the trained values and still trains.
    let text = session.file_text();
    assert!(text.contains("train {"), "{text}");
    let circuit = crate::check::compile(&text).circuit.expect("the saved file compiles");
    assert_eq!(crate::params::initial_values(&circuit, 0), session.value("t").unwrap_or_default());
}

#[test]
fn completeness_follows_open_brackets_outside_comments_and_strings() {
    assert!(is_complete("h 0"));
    assert!(!is_complete("def f(a) {"));
    assert!(!is_complete("def f(a) {\n ry(a) 0"));
    assert!(is_complete("def f(a) {\n ry(a) 0\n}"));
    assert!(is_complete("h 0 // {"));
    assert!(is_complete("ry(0.5 0"));
    assert!(!is_complete("param w[2] = [0.1,"));
    assert!(is_complete("train { data csv(\"a{.csv\", label = \"y\") }"));
}

#[test]
fn help_load_reset_and_quit() {
    let mut session = Session::new();
    let outcome = session.eval(":help E0201");
    assert!(outcome.output.starts_with("E0201: "), "{}", outcome.output);
    assert!(outcome.output.contains("\n    qubits 2\n    circuit { h 2 }\n"), "{}", outcome.output);
    assert!(session.eval(":help rx").output.contains("rx(θ)"));
    assert!(session.eval(":help nothing_here").failed());
    assert!(session.eval(":draw").failed(), "there is no register to draw yet");
    assert_eq!(session.eval(":load model.qml").action, Action::Load { path: "model.qml".to_string() });
    assert_eq!(session.eval(":quit").action, Action::Quit);
    run_all(&mut session, &["qubits 1", "x 0", ":reset"]);
    assert_eq!(session.n_qubits(), None);
    run_all(&mut session, &[":undo"]);
    assert!((probabilities(&session)[1] - 1.0).abs() < 1e-12);
}

#[test]
fn a_bad_value_is_shown_on_the_value_typed() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 1", "param w = 1"]);
    let outcome = session.eval(":set w = 1 +");
    assert_eq!(&outcome.source.text[outcome.diagnostics[0].primary.span.range()], "1 +");
    let outcome = session.eval("input x[2] = [1, 2, 3]");
    assert!(outcome.failed());
    assert_eq!(&outcome.source.text[outcome.diagnostics[0].primary.span.range()], "[1, 2, 3]");
    assert!(outcome.diagnostics[0].notes.is_empty(), "{:?}", outcome.diagnostics[0]);
    assert_eq!(session.value("x"), None);
}

#[test]
fn draw_and_specs_are_the_commands_drawing_and_report_of_the_session() {
    let mut session = Session::new();
    run_all(&mut session, &["qubits 2", "param w = 0.3", "h 0", "cnot 0, 1", "ry(w) 1"]);
    let drawing = session.eval(":draw");
    assert_eq!(drawing.output, "0: ──H─╭●────────┤\n1: ────╰⊕──RY(w)─┤\n");
    let report = session.eval(":specs").output;
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "the session");
    assert_eq!(lines[3], "  params          1 (1 trainable gate angle)");
    assert_eq!(lines[6], "  gates           cnot 1, h 1, ry 1");
    assert_eq!(lines[8], "  per gradient    adjoint         1 circuit execution  (auto)");
}

#[test]
fn an_objective_blocks_progress_is_labelled_objective() {
    let file = "qubits 1\nparam t = constant(0.5)\ncircuit { ry(t) 0 }\nmeasure expval(Z(0))\n\
                train {\n    minimize\n    optimizer sgd(lr = 0.2)\n    epochs 2\n}\n";
    let (mut session, outcome) = Session::from_file("energy.qml", file);
    assert!(!outcome.failed(), "{outcome:?}");
    let mut reports = Vec::new();
    let outcome = session.eval_with_progress(":train", &mut |progress| reports.push(progress.clone()));
    assert!(!outcome.failed(), "{outcome:?}");
    assert_eq!(reports.len(), 2);
    // The first epoch reports the objective before its step: cos(0.5).
    assert!(reports[0].objective);
    assert_eq!(reports[0].message(), format!("objective {:.4}", 0.5f64.cos()));
    assert!(outcome.output.starts_with("block 1: 2 epochs, final objective "), "{}", outcome.output);
    let loss = TrainProgress { block: "1".to_string(), epoch: 1, epochs: 3, train_loss: 0.25, objective: false };
    assert_eq!(loss.message(), "loss 0.2500");
}
