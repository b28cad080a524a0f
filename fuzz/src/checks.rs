//! What the fuzz targets check: one function per target, taking raw bytes and panicking when an invariant breaks.
//!
//! The same functions are called by the libFuzzer targets in `fuzz/fuzz_targets/` and by the
//! bounded proptest fuzz in `tests/it/fuzz.rs`, so CI checks exactly what the fuzzers check.
//! Each asserts more than "no panic": spans that renderers and the editor server index with lie
//! inside the text, a circuit exists exactly when there are no errors, the optimized circuit
//! computes the same outputs, states stay normalised, the gradient methods agree, readers that
//! succeed return values of the model's shape and readers that fail say why.

use super::generate;
use qmlc::check::CheckOutput;
use qmlc::diagnostic::{Diagnostic, Severity};
use qmlc::grad::{GradError, Jacobian};
use qmlc::ir::{Circuit, GradientMethod, Measurement, Observable, Op};
use qmlc::sim::{Execution, MeasurementValues, Shots, SimError};
use qmlc::source::{Source, Span};
use qmlc::train::data::{DataError, Dataset};
use qmlc::train::Head;

/// The engine target only runs circuits of at most this many qubits...
pub const MAX_ENGINE_QUBITS: usize = 8;
/// ...and at most this many operations, so that one input runs in milliseconds.
pub const MAX_ENGINE_OPS: usize = 2_000;
/// Gradients are taken only when ops × params is at most this (parameter shift runs the circuit
/// twice or four times per param-dependent angle).
pub const MAX_GRADIENT_WORK: usize = 20_000;

/// The number of shots of the sampled runs: small, so that sampling is cheap, and odd, so that a
/// probability that is a multiple of 1/shots cannot be confused with a round number.
const SHOTS: usize = 7;

// ---------------------------------------------------------------------------------------------
// frontend

/// Bytes (read as lossy UTF-8) into the whole front end, the optimizer and both renderers.
pub fn frontend(data: &[u8]) {
    frontend_text(&String::from_utf8_lossy(data));
}

/// [`frontend`] on text; returns what the checker produced so that callers can go on with it.
pub fn frontend_text(text: &str) -> CheckOutput {
    let output = qmlc::check::compile(text);
    let source = Source::new("fuzz.qml", text);
    for diagnostic in &output.diagnostics {
        check_diagnostic(diagnostic, &source);
    }
    for symbol in &output.symbols {
        check_span(symbol.name_span, text, &format!("the name span of symbol `{}`", symbol.name));
        check_span(symbol.span, text, &format!("the declaration span of symbol `{}`", symbol.name));
        for use_span in &symbol.uses {
            check_span(*use_span, text, &format!("a use of symbol `{}`", symbol.name));
        }
    }
    let has_errors = output.diagnostics.iter().any(Diagnostic::is_error);
    assert!(
        !(has_errors && output.circuit.is_some()),
        "a circuit was produced although there are errors: {:?}",
        codes(&output.diagnostics)
    );
    if let Some(circuit) = &output.circuit {
        check_circuit_is_well_formed(circuit, "the checked circuit");
        let (optimized, stats) = qmlc::opt::optimize(circuit);
        assert_eq!(stats.ops_before, circuit.ops.len(), "OptStats::ops_before");
        assert_eq!(stats.ops_after, optimized.ops.len(), "OptStats::ops_after");
        assert!(optimized.ops.len() <= circuit.ops.len(), "the optimizer added operations");
        check_circuit_is_well_formed(&optimized, "the optimized circuit");
        let _ = optimized.listing();
    }
    output
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// A diagnostic's spans lie inside the text on character boundaries, its code fits its severity,
/// and both renderers accept it.
fn check_diagnostic(diagnostic: &Diagnostic, source: &Source) {
    let what = format!("{} ({})", diagnostic.code, diagnostic.message);
    check_span(diagnostic.primary.span, &source.text, &format!("the primary span of {what}"));
    for label in &diagnostic.secondary {
        check_span(label.span, &source.text, &format!("a secondary span of {what}"));
    }
    assert!(!diagnostic.message.is_empty(), "diagnostic {} has an empty message", diagnostic.code);
    let expected_prefix = match diagnostic.severity {
        Severity::Error => 'E',
        Severity::Warning => 'W',
    };
    assert!(
        diagnostic.code.as_str().len() == 5 && diagnostic.code.as_str().starts_with(expected_prefix),
        "diagnostic code {} does not fit its severity {:?}",
        diagnostic.code,
        diagnostic.severity
    );
    let human = qmlc::render::human(diagnostic, source, false);
    assert!(human.contains(diagnostic.code.as_str()), "the rendered text of {what} does not name its code:\n{human}");
    let colored = qmlc::render::human(diagnostic, source, true);
    assert!(!colored.is_empty(), "the coloured rendering of {what} is empty");
    let json = qmlc::render::json(diagnostic, source);
    assert_eq!(json["code"], diagnostic.code.as_str(), "the JSON rendering of {what}");
    let position = source.line_column(diagnostic.primary.span.start as usize);
    assert!(position.line >= 1 && position.column >= 1, "line/column of {what}: {position:?}");
}

/// A span is a range of the text that slicing accepts.
fn check_span(span: Span, text: &str, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end, "{what} is backwards: {start}..{end}");
    assert!(end <= text.len(), "{what} ends at {end}, past the end of the {}-byte text", text.len());
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{what} ({start}..{end}) splits a character");
}

/// The simulator's own validation finds nothing the front end should have caught.
fn check_circuit_is_well_formed(circuit: &Circuit, what: &str) {
    let inputs = vec![0.0; circuit.n_inputs()];
    let params = vec![0.0; circuit.n_params()];
    if let Err(SimError::InvalidCircuit { message }) = qmlc::sim::validate(circuit, &inputs, &params) {
        panic!("{what} breaks an invariant of the IR: {message}");
    }
}

// ---------------------------------------------------------------------------------------------
// engine

/// Bytes into the simulator and the gradients. A first byte of 0 builds a valid program from the
/// bytes that follow ([`generate::program`]); otherwise the text runs up to the first 0 byte. The
/// bytes after the program give the input and param values ([`value_of_byte`]).
pub fn engine(data: &[u8]) {
    let (text, value_bytes) = engine_parts(data);
    engine_program(&text, value_bytes);
}

/// The program text and the value bytes that [`engine`] makes of its input.
pub fn engine_parts(data: &[u8]) -> (String, &[u8]) {
    match data.split_first() {
        Some((0, rest)) => {
            let mut choices = generate::Choices::new(rest);
            let text = generate::program(&mut choices);
            (text, choices.remaining())
        }
        _ => match data.iter().position(|&byte| byte == 0) {
            Some(end) => (String::from_utf8_lossy(&data[..end]).into_owned(), &data[end + 1..]),
            None => (String::from_utf8_lossy(data).into_owned(), &[]),
        },
    }
}

/// The value a byte stands for: mostly angles in [-6.25, 6.5], and a few special numbers.
pub fn value_of_byte(byte: u8) -> f64 {
    match byte {
        0 => 0.0,
        1 => 1.0,
        249 => f64::NAN,
        250 => f64::INFINITY,
        251 => f64::NEG_INFINITY,
        252 => 1e300,
        253 => -1e-300,
        254 => f64::MAX,
        255 => 1e6,
        _ => (f64::from(byte) - 125.0) / 20.0,
    }
}

/// `count` values from the bytes, cycling through them (zeros when there are none), starting at `skip`.
fn values_from(bytes: &[u8], skip: usize, count: usize) -> Vec<f64> {
    if bytes.is_empty() {
        return vec![0.0; count];
    }
    (0..count).map(|index| value_of_byte(bytes[(skip + index) % bytes.len()])).collect()
}

/// Compiles `text` and, if it gives a small enough circuit, runs it exactly and with shots,
/// unoptimized and optimized, and differentiates it by every method that applies.
pub fn engine_program(text: &str, value_bytes: &[u8]) {
    let output = qmlc::check::compile(text);
    let Some(circuit) = output.circuit else { return };
    if circuit.n_qubits > MAX_ENGINE_QUBITS || circuit.ops.len() > MAX_ENGINE_OPS {
        return;
    }
    let inputs = values_from(value_bytes, 0, circuit.n_inputs());
    let params = values_from(value_bytes, circuit.n_inputs(), circuit.n_params());
    let finite = all_values_finite(&circuit, &inputs, &params);
    let moderate = finite && all_values_moderate(&circuit, &inputs, &params);

    let exact = qmlc::sim::execute(&circuit, &inputs, &params, None);
    check_execution(&circuit, &exact, None, finite, "exact execution");
    if finite && exact.is_ok() {
        let state = qmlc::sim::final_state(&circuit, &inputs, &params).expect("the circuit ran a moment ago");
        let norm = state.norm_squared();
        assert!((norm - 1.0).abs() < 1e-9, "the final state has squared norm {norm}");
    }

    let (optimized, _) = qmlc::opt::optimize(&circuit);
    let optimized_exact = qmlc::sim::execute(&optimized, &inputs, &params, None);
    // Merged angles are sums, which overflow when each is near f64::MAX, so finiteness is judged
    // on the optimized circuit's own angles.
    let optimized_finite = all_values_finite(&optimized, &inputs, &params);
    check_execution(&optimized, &optimized_exact, None, optimized_finite, "exact execution of the optimized circuit");
    match (&exact, &optimized_exact) {
        // Merging rz(a) rz(b) into rz(a + b) rounds the sum, which is visible in the outputs only
        // when the angles are huge, so the comparison needs moderate ones.
        (Ok(original), Ok(optimized)) if moderate => {
            assert_close(&original.outputs, &optimized.outputs, 1e-9, "outputs before and after optimizing");
            for (before, after) in original.measurements.iter().zip(&optimized.measurements) {
                if let (MeasurementValues::Complex(before), MeasurementValues::Complex(after)) = (before, after) {
                    let distance: f64 = before.iter().zip(after).map(|(a, b)| (a - b).norm_sqr()).sum();
                    assert!(distance < 1e-18, "the state changes by {distance} when the circuit is optimized");
                }
            }
        }
        (Ok(_), Ok(_)) => {}
        // The same kind of failure; its text may differ, since a merged rotation names the merged
        // angle's expression and span.
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "the optimized circuit fails differently: {a:?} vs {b:?}"),
        // Values that are not moderate may overflow in a merged angle (1e308 + 1e308) or vanish
        // with a cancelled pair (rx(a) rx(-a) with a = inf), so only there may one side refuse a
        // value that is not finite while the other runs.
        (Err(SimError::NonFinite { .. }), Ok(_)) | (Ok(_), Err(SimError::NonFinite { .. })) if !moderate => {}
        (a, b) => panic!("optimizing changes whether the circuit runs: {a:?} vs {b:?}"),
    }

    let shots = Shots { count: SHOTS, seed: 1 + value_bytes.len() as u64 };
    let sampled = qmlc::sim::execute(&circuit, &inputs, &params, Some(shots));
    check_execution(&circuit, &sampled, Some(shots), finite, "sampled execution");
    let resampled = qmlc::sim::execute(&circuit, &inputs, &params, Some(shots));
    // Debug text rather than `==`, since the outputs may hold NaNs.
    assert_eq!(format!("{sampled:?}"), format!("{resampled:?}"), "the same seed gives different samples");

    if circuit.ops.len() * circuit.n_params().max(1) <= MAX_GRADIENT_WORK {
        check_gradients(&circuit, &inputs, &params, finite, moderate, exact.as_ref().ok());
    }
}

/// Whether every input, param, gate angle and amplitude the run will use is finite: only then do
/// the numeric invariants hold (a NaN angle rightly gives a NaN state).
fn all_values_finite(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> bool {
    if !inputs.iter().chain(params).all(|value| value.is_finite()) {
        return false;
    }
    circuit.ops.iter().all(|op| match op {
        Op::Gate(gate) => gate.angles.iter().all(|angle| angle.eval(inputs, params).is_finite()),
        Op::StatePrep(prep) => prep.amplitudes.iter().all(|amplitude| amplitude.eval(inputs, params).is_finite()),
    })
}

/// Whether every value and angle is at most [`MODERATE`] in size. Beyond that, sums of angles
/// lose digits: a shift by π/2 vanishes (1e300 + π/2 == 1e300), so parameter shift rightly finds
/// no slope where the adjoint method finds one, and a merged rotation rz(a + b) differs from
/// rz(a) rz(b) by more than rounding of the state.
fn all_values_moderate(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> bool {
    const MODERATE: f64 = 1e4;
    // An angle's partial derivatives must be moderate too: `sin(exp(w))` stays within ±1 while its
    // slope reaches 1e130, and then the terms the chain rule adds up cancel to rounding noise
    // whose value differs from one gradient method to the next.
    inputs.iter().chain(params).all(|value| value.abs() <= MODERATE)
        && circuit.gates().all(|gate| {
            gate.angles.iter().all(|angle| {
                angle.eval(inputs, params).abs() <= MODERATE
                    && angle.param_partials(inputs, params).iter().all(|(_, slope)| slope.abs() <= MODERATE)
            })
        })
}

/// Run-time errors are about the values (bits, amplitudes, angles that are not finite) or about `sample` without shots;
/// anything else is a bug of the front end or the simulator, since the vectors have the right
/// length and the register is small.
fn check_sim_error(error: &SimError, circuit: &Circuit, shots: Option<Shots>, what: &str) {
    match error {
        SimError::NotABit { .. }
        | SimError::AmplitudeCount { .. }
        | SimError::NonFinite { .. }
        | SimError::AmplitudeNorm { .. }
        | SimError::ZeroNorm => {}
        SimError::SampleWithoutShots => {
            assert!(shots.is_none(), "{what}: `sample` was refused although there are shots");
            assert!(
                circuit.measurements.iter().any(|m| matches!(m, Measurement::Sample(_))),
                "{what}: SampleWithoutShots without a `sample` measurement"
            );
        }
        other => panic!("{what} failed with an error that valid vectors should not give: {other:?} ({other})"),
    }
    assert!(!error.to_string().is_empty(), "{what}: the error {error:?} has an empty message");
}

/// The values of every measurement are consistent with its kind.
fn check_execution(
    circuit: &Circuit,
    result: &Result<Execution, SimError>,
    shots: Option<Shots>,
    finite: bool,
    what: &str,
) {
    let execution = match result {
        Ok(execution) => execution,
        Err(error) => return check_sim_error(error, circuit, shots, what),
    };
    assert_eq!(execution.measurements.len(), circuit.measurements.len(), "{what}: one value list per measurement");
    let expected_outputs: usize = circuit.measurements.iter().filter_map(Measurement::n_outputs).sum();
    assert_eq!(execution.outputs.len(), expected_outputs, "{what}: the number of outputs");
    if !finite {
        return;
    }
    assert!(execution.outputs.iter().all(|v| v.is_finite()), "{what}: outputs {:?} are not finite", execution.outputs);
    const TOLERANCE: f64 = 1e-9;
    for (measurement, values) in circuit.measurements.iter().zip(&execution.measurements) {
        let name = format!("{what}, `{}`", measurement.describe());
        match (measurement, values) {
            (Measurement::State, MeasurementValues::Complex(amplitudes)) => {
                assert_eq!(amplitudes.len(), 1 << circuit.n_qubits, "{name}: the number of amplitudes");
                let norm: f64 = amplitudes.iter().map(|a| a.norm_sqr()).sum();
                assert!((norm - 1.0).abs() < TOLERANCE, "{name}: squared norm {norm}");
            }
            (Measurement::Probs(wires), MeasurementValues::Real(probabilities)) => {
                assert_eq!(probabilities.len(), 1 << wires.len(), "{name}: the number of probabilities");
                let total: f64 = probabilities.iter().sum();
                assert!((total - 1.0).abs() < TOLERANCE, "{name}: probabilities sum to {total}");
                for &p in probabilities {
                    assert!((-TOLERANCE..=1.0 + TOLERANCE).contains(&p), "{name}: probability {p}");
                    if let Some(shots) = shots {
                        let count = p * shots.count as f64;
                        assert!(
                            (count - count.round()).abs() < 1e-6,
                            "{name}: {p} is not a count over {} shots",
                            shots.count
                        );
                    }
                }
            }
            (Measurement::Expval(observable), MeasurementValues::Real(values)) => {
                assert_eq!(values.len(), 1, "{name}: one value");
                let bound = spectral_bound(observable);
                assert!(values[0].abs() <= bound + TOLERANCE, "{name}: {} is outside ±{bound}", values[0]);
            }
            (Measurement::Var(observable), MeasurementValues::Real(values)) => {
                assert_eq!(values.len(), 1, "{name}: one value");
                let bound = spectral_bound(observable);
                assert!(
                    (-TOLERANCE * (1.0 + bound * bound)..=bound * bound * (1.0 + TOLERANCE) + TOLERANCE)
                        .contains(&values[0]),
                    "{name}: variance {} is outside [0, {}]",
                    values[0],
                    bound * bound
                );
            }
            (Measurement::Sample(observable), MeasurementValues::Real(values)) => {
                let shots = shots.expect("a sample was produced, so there are shots");
                assert_eq!(values.len(), shots.count, "{name}: one value per shot");
                let bound = spectral_bound(observable);
                for &value in values {
                    assert!(value.abs() <= bound + TOLERANCE, "{name}: sample {value} is outside ±{bound}");
                }
            }
            (measurement, values) => panic!("{what}: `{}` gave {values:?}", measurement.describe()),
        }
    }
}

/// Σ|coefficient|: every word of X, Y, Z, H and I has eigenvalues ±1, so |⟨O⟩| is at most this.
fn spectral_bound(observable: &Observable) -> f64 {
    // A Pauli word and a projector have norm 1; a symmetric matrix's norm is at most its largest
    // absolute row sum.
    let matrix_bound = |matrix: &qmlc::ir::MatrixFactor| match &matrix.kind {
        qmlc::ir::MatrixKind::Projector { .. } => 1.0,
        qmlc::ir::MatrixKind::Hermitian { matrix: entries } => {
            let dimension = 1usize << matrix.wires.len();
            entries.chunks(dimension).map(|row| row.iter().map(|x| x.abs()).sum::<f64>()).fold(0.0, f64::max)
        }
    };
    observable
        .terms
        .iter()
        .map(|term| term.coefficient.abs() * term.matrices.iter().map(matrix_bound).product::<f64>())
        .sum()
}

/// The adjoint method and parameter shift agree on exact execution; parameter shift also runs with
/// shots; finite differences give a Jacobian of the right shape.
fn check_gradients(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    finite: bool,
    moderate: bool,
    exact: Option<&Execution>,
) {
    let run = |method: GradientMethod, shots: Option<Shots>| {
        let result = qmlc::grad::jacobian(circuit, inputs, params, method, shots);
        let what = format!("the {} Jacobian{}", method.name(), if shots.is_some() { " with shots" } else { "" });
        match &result {
            Ok(jacobian) => check_jacobian_shape(circuit, jacobian, params, finite, &what),
            Err(error) => check_grad_error(error, circuit, shots, &what),
        }
        result.ok()
    };
    let adjoint = run(GradientMethod::Adjoint, None);
    let shift = run(GradientMethod::ParameterShift, None);
    let _ = run(GradientMethod::FiniteDiff, None);
    let _ = run(GradientMethod::ParameterShift, Some(Shots { count: SHOTS, seed: 3 }));
    assert_eq!(adjoint.is_some(), shift.is_some(), "the adjoint method and parameter shift disagree on whether to run");
    let (Some(adjoint), Some(shift)) = (adjoint, shift) else { return };
    if let Some(exact) = exact.filter(|_| finite) {
        assert_close(&adjoint.outputs, &exact.outputs, 1e-9, "the adjoint method's outputs against execute");
    }
    if moderate && adjoint.values.iter().chain(&shift.values).all(|v| v.is_finite()) {
        assert_close(&adjoint.values, &shift.values, 1e-7, "the adjoint Jacobian against parameter shift");
    }
}

fn check_jacobian_shape(circuit: &Circuit, jacobian: &Jacobian, params: &[f64], finite: bool, what: &str) {
    let n_outputs: usize = circuit.measurements.iter().filter_map(Measurement::n_outputs).sum();
    assert_eq!(jacobian.n_outputs, n_outputs, "{what}: n_outputs");
    assert_eq!(jacobian.n_params, params.len(), "{what}: n_params");
    assert_eq!(jacobian.outputs.len(), n_outputs, "{what}: outputs");
    assert_eq!(jacobian.values.len(), n_outputs * params.len(), "{what}: values");
    if finite {
        assert!(jacobian.outputs.iter().all(|v| v.is_finite()), "{what}: outputs {:?}", jacobian.outputs);
    }
}

fn check_grad_error(error: &GradError, circuit: &Circuit, shots: Option<Shots>, what: &str) {
    match error {
        GradError::Sim(error) => check_sim_error(error, circuit, shots, what),
        GradError::NotDifferentiable { measurement_idx, .. } => assert!(
            matches!(circuit.measurements.get(*measurement_idx), Some(Measurement::Sample(_) | Measurement::State)),
            "{what}: measurement {measurement_idx} called not differentiable"
        ),
        GradError::ParamInEmbedding { op_idx } => assert!(
            matches!(circuit.ops.get(*op_idx), Some(Op::StatePrep(_))),
            "{what}: op {op_idx} called an embedding"
        ),
        other => panic!("{what} failed with {other:?} ({other})"),
    }
}

/// Equal lengths and every pair within `tolerance` × (1 + |a| + |b|); NaNs must match NaNs.
fn assert_close(a: &[f64], b: &[f64], tolerance: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    for (index, (x, y)) in a.iter().zip(b).enumerate() {
        let close = (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= tolerance * (1.0 + x.abs() + y.abs());
        assert!(close, "{what}: entry {index} is {x} against {y}");
    }
}

// ---------------------------------------------------------------------------------------------
// params

/// Small models whose params and inputs files the `params` target reads: arrays of one and two
/// dimensions, scalars, a head with two linear layers, and a model with no inputs and no head.
pub const PARAMS_MODELS: &[&str] = &[
    "qubits 2\ninput x[2, 2]\ninput s\nparam w[2, 3]\nparam t = 0.5\ncircuit {\n    angle_embedding(x[0])\n    \
     ry(s * t) 0\n    rot(w[0, 0], w[0, 1], w[0, 2]) 1\n    rot(w[1, 0], w[1, 1], w[1, 2]) 0\n    rx(x[1, 1] + x[1, 0]) 1\n}\n\
     measure expval(Z(0)), probs(0, 1)\nhead linear(3), relu, linear(2)\n",
    "qubits 1\nparam t\ncircuit {\n    rx(t) 0\n}\nmeasure expval(Z(0))\n",
];

/// One compiled model with its head, as `qmlc run --params` builds them.
pub struct ParamsModel {
    pub circuit: Circuit,
    pub head: Head,
}

/// The models of [`PARAMS_MODELS`], compiled.
pub fn params_models() -> Vec<ParamsModel> {
    PARAMS_MODELS
        .iter()
        .map(|text| {
            let circuit = qmlc::check::compile(text).circuit.expect("the params target's models compile");
            let n_measured = circuit.measurements.iter().filter_map(Measurement::n_outputs).sum();
            let head = Head::new(&circuit.head, n_measured, 0);
            ParamsModel { circuit, head }
        })
        .collect()
}

/// Bytes as a params file, an inputs file and `--input name=v,…` lines for each model.
pub fn params(data: &[u8], models: &[ParamsModel]) {
    let text = String::from_utf8_lossy(data);
    let assignments: Vec<String> = text.lines().filter(|line| !line.is_empty()).map(str::to_string).collect();
    let json = serde_json::from_slice::<serde_json::Value>(data).ok();
    for model in models {
        if let Some(json) = &json {
            params_json(json, model);
        }
        match qmlc::params::inputs_from_assignments(&assignments, &model.circuit) {
            Ok(values) => check_inputs(&values, model, "inputs_from_assignments"),
            Err(message) => assert!(!message.is_empty(), "inputs_from_assignments gave an empty error"),
        }
    }
}

/// A parsed JSON value into both readers of one model; what is read must write back the same.
pub fn params_json(json: &serde_json::Value, model: &ParamsModel) {
    let (circuit, head) = (&model.circuit, &model.head);
    match qmlc::params::params_from_json(json, circuit, head) {
        Ok(values) => {
            assert_eq!(values.circuit.len(), circuit.n_params(), "params_from_json: the number of circuit params");
            assert_eq!(values.head.len(), head.n_params(), "params_from_json: the number of head params");
            assert!(
                values.circuit.iter().chain(&values.head).all(|v| v.is_finite()),
                "params_from_json accepted a non-finite value: {values:?}"
            );
            let written = qmlc::params::params_to_json(circuit, head, &values, None);
            let read_back = qmlc::params::params_from_json(&written, circuit, head);
            assert_eq!(read_back.as_ref(), Ok(&values), "params do not survive writing and reading back");
        }
        Err(message) => assert!(!message.is_empty(), "params_from_json gave an empty error for {json}"),
    }
    match qmlc::params::inputs_from_json(json, circuit) {
        Ok(values) => check_inputs(&values, model, "inputs_from_json"),
        Err(message) => assert!(!message.is_empty(), "inputs_from_json gave an empty error for {json}"),
    }
}

fn check_inputs(values: &[f64], model: &ParamsModel, what: &str) {
    assert_eq!(values.len(), model.circuit.n_inputs(), "{what}: the number of inputs");
    assert!(values.iter().all(|v| v.is_finite()), "{what} accepted a non-finite value: {values:?}");
}

// ---------------------------------------------------------------------------------------------
// csv

/// The label column names the `csv` target tries, besides the header's own first and last names.
const LABELS: &[&str] = &["y", "label", ""];

/// Bytes (lossy UTF-8) as a data file for training (`from_csv`) and for prediction (`features_from_csv`).
pub fn csv(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let header = qmlc::train::data::read_csv_records(&text, "fuzz.csv")
        .ok()
        .and_then(|records| records.into_iter().next())
        .map(|record| record.fields)
        .unwrap_or_default();
    let mut labels: Vec<&str> = LABELS.to_vec();
    labels.extend(header.first().map(String::as_str));
    labels.extend(header.last().map(String::as_str));
    for label in labels {
        let training = qmlc::train::data::from_csv(&text, "fuzz.csv", label);
        check_dataset(&training, &text, true, &format!("from_csv with label `{label}`"));
        let prediction = qmlc::train::data::features_from_csv(&text, "fuzz.csv", Some(label));
        let has_label = header.iter().any(|name| name == label);
        check_dataset(&prediction, &text, has_label, &format!("features_from_csv with label `{label}`"));
    }
    let unlabelled = qmlc::train::data::features_from_csv(&text, "fuzz.csv", None);
    check_dataset(&unlabelled, &text, false, "features_from_csv without a label");
}

/// A data set read from `text` is rectangular, finite and located in the file.
fn check_dataset(result: &Result<Dataset, DataError>, text: &str, labelled: bool, what: &str) {
    let dataset = match result {
        Ok(dataset) => dataset,
        Err(error) => {
            assert!(!error.to_string().is_empty(), "{what}: the error {error:?} has an empty message");
            return;
        }
    };
    let n_rows = dataset.n_rows();
    assert!(n_rows >= 1, "{what}: a data set without rows was accepted");
    assert_eq!(dataset.lines.len(), n_rows, "{what}: one line number per row");
    assert_eq!(dataset.labels.len(), if labelled { n_rows } else { 0 }, "{what}: the number of labels");
    // A line ends at '\n', "\r\n" or a lone '\r', as the CSV reader ends its records.
    let n_lines = 1 + text.replace("\r\n", "\n").chars().filter(|c| *c == '\n' || *c == '\r').count();
    let header_line = dataset.header_line.expect("a file's data set knows its header line");
    let mut previous = header_line;
    for (row_idx, (row, &line)) in dataset.features.iter().zip(&dataset.lines).enumerate() {
        assert_eq!(row.len(), dataset.n_features(), "{what}: row {row_idx} has the wrong width");
        assert!(row.iter().all(|v| v.is_finite()), "{what}: row {row_idx} has a non-finite feature: {row:?}");
        assert!(
            line > previous && line <= n_lines,
            "{what}: row {row_idx} is on line {line} (previous {previous}, {n_lines} lines)"
        );
        previous = line;
        assert!(!dataset.row_location(row_idx).is_empty(), "{what}: an empty row location");
    }
}
