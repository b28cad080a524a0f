//! `qmlc export --to qasm3`: the text it writes (snapshots), renaming, values from `--params` and
//! `--input`, its errors and output files, and Qiskit's state for every example, conformance
//! program and gate against qmlc's; and round trips: export, then `qmlc import`, gives the same
//! gate list and measurements.

use crate::qiskit::qiskit_python;
use crate::temp::TempDir;
use qmlc::ir::Circuit;
use qmlc::qasm::export::{to_qasm3, Values};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A small model with a template, a loop, a def, `ctrl`, `adj`, gates outside stdgates.inc, a
/// head and a train block, and names that OpenQASM 3 reserves (`t`, `s`, `x`, `q`).
const SMALL: &str = "\
qubits 3
input x[2]
param t
param s[2]
param w[1, 3]
param q = 0.25

def pair(a) {
    isingzz(a) 0, 1
}

circuit {
    angle_embedding(x, rotation = Y) on 0..2
    for i in 0..2 { rx(t * s[i] + 0.5) i }
    pair(q / 2) 1, 2
    ctrl(0) { rot(w[0, 0], w[0, 1], w[0, 2]) 2 }
    adj { sx 1; iswap 1, 2 }
    multirz(t - pi) 0, 1, 2
}

measure expval(Z(0) @ Z(1)), probs(2)
head linear(2)
train {
    data moons(samples = 20)
    loss cross_entropy
    epochs 1
}
";

#[test]
fn a_small_model_is_written_as_openqasm_3() {
    let dir = TempDir::new("qasm-export-small");
    let model = dir.write("small.qml", SMALL);
    let output = qmlc(&["export", path_text(&model), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("small", stdout(&output));
}

#[test]
fn params_and_inputs_with_values_are_numbers_that_read_back_exactly() {
    let dir = TempDir::new("qasm-export-values");
    let model = dir.write("small.qml", SMALL);
    let params = dir.write(
        "p.json",
        r#"{"t": 0.7, "s": [0.1, -1e-7], "w": [[3.141592653589793, 2.5e300, -0.30000000000000004]], "q": 0.5,
            "head.0.weight": [[1, 0, 1], [0, 1, 1]], "head.0.bias": [0, 0]}"#,
    );
    let output = qmlc(&["export", path_text(&model), "--to", "qasm3", "--params", path_text(&params)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    insta::assert_snapshot!("small_with_params", text);
    // The inputs stay inputs; no param is declared.
    assert!(text.contains("input float[64] x_0;") && text.contains("input float[64] x_1;"), "{text}");
    assert!(!text.contains("input float[64] s_") && !text.contains("input float[64] t"), "{text}");
    assert!(text.contains("ctrl @ rot(3.141592653589793, 2.5e300, -0.30000000000000004) q[0], q[2];"), "{text}");

    let all =
        qmlc(&["export", path_text(&model), "--to", "qasm3", "--params", path_text(&params), "--input", "x=0.1,0.2"]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let text = stdout(&all);
    assert!(!text.contains("input float"), "{text}");
    // rx(t * s[0] + 0.5) with t = 0.7 and s[0] = 0.1, folded as qmlc folds it.
    assert!(text.contains(&format!("rx({:?}) q[0];", 0.7 * 0.1 + 0.5)), "{text}");
}

#[test]
fn names_that_openqasm_reserves_are_renamed_and_the_renaming_is_said() {
    let dir = TempDir::new("qasm-export-names");
    // `t`, `s` and `CX` are OpenQASM 3 gates, `float` and `euler` OpenQASM 3 words, `q` is the
    // register, `rot` a gate this program defines, and `a_0` also an element name of `a`.
    let text = "qubits 2\ninput t\ninput float\nparam s\nparam CX\nparam euler\nparam q\nparam rot_\nparam a_0\n\
                param a[1]\ncircuit {\n    rot(t, float, s) 0\n    rx(CX + euler + q + rot_ + a_0 + a[0]) 1\n}\n\
                measure expval(Z(0))\n";
    let model = dir.write("names.qml", text);
    let output = qmlc(&["export", path_text(&model), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let program = stdout(&output);
    for line in [
        "// input `t` is `t_` here: `t` is an OpenQASM 3 keyword, built-in or stdgates.inc gate.",
        "// input `float` is `float_` here: `float` is an OpenQASM 3 keyword, built-in or stdgates.inc gate.",
        "// param `s` is `s_` here: `s` is an OpenQASM 3 keyword, built-in or stdgates.inc gate.",
        "// param `CX` is `CX_` here: `CX` is an OpenQASM 3 keyword, built-in or stdgates.inc gate.",
        "// param `euler` is `euler_` here: `euler` is an OpenQASM 3 keyword, built-in or stdgates.inc gate.",
        "// param `q` is `q_` here: `q` is the qubit register's name.",
        "// param `a[0]` is `a_0_` here: `a_0` is the name of an earlier input or param element.",
        "input float[64] t_;",
        "rot(t_, float_, s_) q[0];",
        "rx(CX_ + euler_ + q_ + rot_ + a_0 + a_0_) q[1];",
    ] {
        assert!(program.lines().any(|l| l == line), "missing `{line}` in\n{program}");
    }
    // The same model exports the same text every time.
    assert_eq!(stdout(&qmlc(&["export", path_text(&model), "--to", "qasm3"])), program);
    // Qiskit's importer takes the renamed inputs (it refuses `input float[64] t;`).
    if let Some(python) = qiskit_python("names_that_openqasm_reserves_are_renamed_and_the_renaming_is_said") {
        let script = "import sys, qiskit.qasm3\n\
                      text = '\\n'.join(l for l in sys.stdin.read().splitlines() if not l.startswith('pragma'))\n\
                      print(sorted(p.name for p in qiskit.qasm3.loads(text).parameters))\n";
        let mut child = Command::new(python)
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python runs");
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(program.as_bytes()).expect("written");
        let result = child.wait_with_output().expect("python ends");
        assert_eq!(
            stdout(&result).trim(),
            "['CX_', 'a_0', 'a_0_', 'euler_', 'float_', 'q_', 'rot_', 's_', 't_']",
            "{}",
            stderr(&result)
        );
    }
}

#[test]
fn what_openqasm_cannot_say_is_an_error_with_a_code() {
    let dir = TempDir::new("qasm-export-errors");
    let amplitude =
        dir.write("amplitude.qml", "qubits 2\ninput x[4]\ncircuit { amplitude_embedding(x) on 0..2 }\nmeasure probs\n");
    let output = qmlc(&["export", path_text(&amplitude), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[E1020]") && stderr(&output).contains("--input"), "{}", stderr(&output));
    // With the inputs, the embedding is written as gates; amplitudes that are not normalised are E0903 as in `run`.
    let output = qmlc(&["export", path_text(&amplitude), "--to", "qasm3", "--input", "x=0.5,0.5,0.5,-0.5"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("ry("), "{}", stdout(&output));
    let output = qmlc(&["export", path_text(&amplitude), "--to", "qasm3", "--input", "x=1,1,1,1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("E0903"), "{}", stderr(&output));

    let abs = dir.write("abs.qml", "qubits 1\ninput x\ncircuit { rx(abs(x)) 0 }\nmeasure expval(Z(0))\n");
    let output = qmlc(&["export", path_text(&abs), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[E1021]") && stderr(&output).contains("`abs`"), "{}", stderr(&output));
    let output = qmlc(&["export", path_text(&abs), "--to", "qasm3", "--input", "x=-0.5"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("rx(0.5) q[0];"), "{}", stdout(&output));

    // A function OpenQASM 3 has is written as a call, even though Qiskit's importer refuses calls.
    let sin = dir.write("sin.qml", "qubits 1\ninput x\ncircuit { rx(2 * asin(x) - tanh(x)) 0 }\nmeasure state\n");
    let output = qmlc(&["export", path_text(&sin), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("rx(2.0 * arcsin(x_) - (exp(2.0 * (x_)) - 1.0) / (exp(2.0 * (x_)) + 1.0)) q[0];"),
        "{}",
        stdout(&output)
    );

    // Usage mistakes: no --to, an unknown format, -o on the model or on a directory.
    assert_eq!(qmlc(&["export", path_text(&abs)]).status.code(), Some(2));
    assert_eq!(qmlc(&["export", path_text(&abs), "--to", "qasm2"]).status.code(), Some(2));
    let output = qmlc(&["export", path_text(&abs), "--to", "qasm3", "-o", path_text(&abs)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = qmlc(&["export", path_text(&abs), "--to", "qasm3", "-o", path_text(dir.join("").as_path())]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // A params file that does not fit is E0908.
    let params = dir.write("p.json", r#"{"w": 1}"#);
    let output = qmlc(&["export", path_text(&abs), "--to", "qasm3", "--params", path_text(&params)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("E0908"), "{}", stderr(&output));
}

#[test]
fn the_program_goes_to_a_file_with_o_and_to_stdout_with_o_dash() {
    let dir = TempDir::new("qasm-export-out");
    let model = dir.write("m.qml", "qubits 1\nparam t\ncircuit { rx(t) 0 }\nmeasure expval(Z(0))\n");
    let target = dir.write("m.qasm", "old contents");
    let output = qmlc(&["export", path_text(&model), "--to", "qasm3", "-o", path_text(&target)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&target).expect("written");
    assert!(written.starts_with("OPENQASM 3.0;\n") && written.contains("rx(t_) q[0];"), "{written}");
    let dash = qmlc(&["export", path_text(&model), "--to", "qasm3", "-o", "-"]);
    assert_eq!(stdout(&dash), written);
    // No temporary file is left beside it.
    let entries: Vec<String> = std::fs::read_dir(dir.join(""))
        .expect("listed")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
}

/// Programs of the repository that cannot be exported, with the reason; none at present.
const NOT_EXPORTABLE: &[(&str, &str)] = &[];

/// A program to compare: its name, its compiled circuit and the values bound in.
struct Case {
    name: String,
    circuit: Circuit,
    params: Vec<f64>,
    inputs: Vec<f64>,
}

fn compile(path: &Path) -> Circuit {
    let text = std::fs::read_to_string(path).expect("readable");
    let output = qmlc::check::compile(&text);
    let errors: Vec<String> = output.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    output.circuit.expect("a circuit")
}

/// Inputs for a model without an inputs file: 0.1, 0.2, … (alternating 1 and 0 for the bits of
/// a basis embedding).
fn synthetic_inputs(circuit: &Circuit) -> Vec<f64> {
    (0..circuit.n_inputs())
        .map(
            |index| {
                if circuit.binary_inputs.contains(&index) {
                    ((index + 1) % 2) as f64
                } else {
                    0.1 * (index + 1) as f64
                }
            },
        )
        .collect()
}

fn sorted_files(directory: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(directory);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the directory exists")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "qml"))
        .collect();
    files.sort();
    files
}

/// Every example with its seeded initial params (seed 0, as `run` without `--params`) and
/// synthetic inputs; every conformance program with its params and inputs files.
fn repository_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for path in sorted_files("examples") {
        let circuit = compile(&path);
        let params = qmlc::params::initial_values(&circuit, 0);
        let inputs = synthetic_inputs(&circuit);
        cases.push(Case { name: format!("examples/{}", file_name(&path)), circuit, params, inputs });
    }
    for path in sorted_files("tests/conformance") {
        let circuit = compile(&path);
        let read = |extension: &str| -> Value {
            let file = path.with_extension(extension);
            serde_json::from_str(&std::fs::read_to_string(&file).expect("the case's file")).expect("JSON")
        };
        let n_measured = circuit.measurements.iter().filter_map(|m| m.n_outputs()).sum();
        let head = qmlc::train::Head::new(&circuit.head, n_measured, 0);
        let params = qmlc::params::params_from_json(&read("params.json"), &circuit, &head).expect("params").circuit;
        let inputs = qmlc::params::inputs_from_json(&read("input.json"), &circuit).expect("inputs");
        cases.push(Case { name: format!("tests/conformance/{}", file_name(&path)), circuit, params, inputs });
    }
    cases
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|name| name.to_str()).unwrap_or("").to_string()
}

/// One program per surface gate: a generic state on five wires (rotations and entanglers), then
/// the gate, the gate under `ctrl` of the last wire, and `adj` of the gate; the angles are
/// params with values.
fn gate_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for info in qmlc::builtins::gates::GATES.iter().filter(|info| info.surface) {
        let n_wires = info.n_wires.unwrap_or(3);
        let mut angles: Vec<String> = (0..info.angle_names.len()).map(|slot| format!("a[{slot}]")).collect();
        if info.name == "pauli_rot" {
            // Its Pauli word, one letter per wire, follows the angle.
            angles.push("\"XYZ\"".to_string());
        }
        let call =
            if angles.is_empty() { info.name.to_string() } else { format!("{}({})", info.name, angles.join(", ")) };
        let wires: Vec<String> = (0..n_wires).map(|wire| wire.to_string()).collect();
        let wires = wires.join(", ");
        let text = format!(
            "qubits 5\nparam a[3]\ncircuit {{\n    for i in 0..5 {{ ry(0.4 + 0.3 * i) i; rz(0.9 - 0.2 * i) i }}\n    \
             for i in 0..4 {{ cnot i, i + 1 }}\n    for i in 0..5 {{ rx(0.5 * i - 0.7) i }}\n    {call} {wires}\n    \
             ctrl(4) {{ {call} {wires} }}\n    adj {{ {call} {wires} }}\n}}\nmeasure state\n"
        );
        let output = qmlc::check::compile(&text);
        assert!(output.diagnostics.iter().all(|d| !d.is_error()), "{text}\n{:?}", output.diagnostics);
        let circuit = output.circuit.expect("a circuit");
        cases.push(Case {
            name: format!("gate {}", info.name),
            circuit,
            params: vec![0.731, -1.913, 2.417],
            inputs: vec![],
        });
    }
    cases
}

/// Exports every case with its values, has Qiskit simulate them all in one process, and compares
/// each state with qmlc's to 1e-9.
fn compare_with_qiskit(test: &str, cases: &[Case]) {
    let Some(python) = qiskit_python(test) else { return };
    let mut programs = Vec::new();
    for case in cases {
        if NOT_EXPORTABLE.iter().any(|(name, _)| *name == case.name) {
            continue;
        }
        let values = Values { params: Some(&case.params), inputs: Some(&case.inputs) };
        let qasm = to_qasm3(&case.circuit, &values).unwrap_or_else(|error| panic!("{}: {error:?}", case.name));
        assert!(!qasm.contains("input float"), "{}: every value is bound\n{qasm}", case.name);
        programs.push(json!({"name": case.name, "qasm": qasm}));
    }
    let dir = TempDir::new(test);
    let list = dir.write("cases.json", serde_json::to_string(&programs).expect("JSON"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qasm/qiskit_state.py");
    let output = Command::new(python).arg(script).arg(&list).output().expect("python runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON from the script");
    assert_eq!(results.len(), programs.len());
    let mut failures = Vec::new();
    let exported = cases.iter().filter(|case| !NOT_EXPORTABLE.iter().any(|(name, _)| *name == case.name));
    for ((case, result), program) in exported.zip(&results).zip(&programs) {
        if let Some(error) = result["error"].as_str() {
            failures.push(format!("{}: Qiskit: {error}\n{}", case.name, program["qasm"].as_str().unwrap_or("")));
            continue;
        }
        let state = qmlc::sim::final_state(&case.circuit, &case.inputs, &case.params).expect("qmlc runs the case");
        let amplitudes = state.amplitudes();
        let numbers = |key: &str| -> Vec<f64> {
            result[key].as_array().expect("amplitudes").iter().map(|v| v.as_f64().expect("a number")).collect()
        };
        let (re, im) = (numbers("re"), numbers("im"));
        assert_eq!(re.len(), amplitudes.len(), "{}", case.name);
        let worst = amplitudes
            .iter()
            .zip(re.iter().zip(&im))
            .map(|(a, (r, i))| (a.re - r).abs().max((a.im - i).abs()))
            .fold(0.0, f64::max);
        if worst > 1e-9 {
            failures.push(format!(
                "{}: amplitudes differ by {worst:e}\n{}",
                case.name,
                program["qasm"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("{test}: {} programs agree with Qiskit to 1e-9", programs.len());
}

#[test]
fn every_example_and_conformance_program_has_qiskits_state_after_export() {
    let cases = repository_cases();
    assert!(cases.len() >= 23, "every example and conformance program: {}", cases.len());
    for (name, reason) in NOT_EXPORTABLE {
        assert!(cases.iter().any(|case| case.name == *name), "{name} ({reason}) is a program of the repository");
    }
    compare_with_qiskit("every_example_and_conformance_program_has_qiskits_state_after_export", &cases);
}

#[test]
fn every_gate_alone_under_ctrl_and_under_adj_has_qiskits_state_after_export() {
    compare_with_qiskit("every_gate_alone_under_ctrl_and_under_adj_has_qiskits_state_after_export", &gate_cases());
}

#[test]
fn the_command_line_writes_what_the_library_does_for_every_conformance_program() {
    let cases = repository_cases();
    for path in sorted_files("tests/conformance") {
        let params = path.with_extension("params.json");
        let inputs = path.with_extension("input.json");
        let output = qmlc(&[
            "export",
            path_text(&path),
            "--to",
            "qasm3",
            "--params",
            path_text(&params),
            "--input",
            path_text(&inputs),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}: {}", path.display(), stderr(&output));
        let name = format!("tests/conformance/{}", file_name(&path));
        let case = cases.iter().find(|case| case.name == name).expect("a case");
        let values = Values { params: Some(&case.params), inputs: Some(&case.inputs) };
        assert_eq!(stdout(&output), to_qasm3(&case.circuit, &values).expect("exported"), "{}", path.display());
    }
}

/// The gates of a circuit with every angle a number: kind, wires (a global phase's wires do not
/// matter, and OpenQASM's `gphase` has none), controls and angles.
fn gate_list(circuit: &Circuit, params: &[f64], inputs: &[f64]) -> Vec<String> {
    circuit
        .ops
        .iter()
        .map(|op| match op {
            qmlc::ir::Op::Gate(gate) => {
                let angles: Vec<f64> = gate.angles.iter().map(|angle| angle.eval(inputs, params)).collect();
                let wires = if gate.kind == qmlc::ir::GateKind::GlobalPhase { Vec::new() } else { gate.wires.clone() };
                format!("{:?} {wires:?} ctrl {:?} {angles:?}", gate.kind, gate.controls)
            }
            qmlc::ir::Op::StatePrep(prep) => format!("state preparation on {:?}", prep.wires),
        })
        .collect()
}

/// Export with every value given, then import: the same gates, with the same angles to the last
/// bit, and the same measurements. Export's own `gate` definitions are read back as the gates
/// they define, and its `pragma qmlc measure` lines as the measurements. An amplitude embedding
/// is exported as the gates that prepare its state, so those programs are compared by state.
#[test]
fn export_then_import_gives_the_same_gate_list() {
    let mut cases = repository_cases();
    cases.extend(gate_cases());
    let mut by_state = Vec::new();
    for case in &cases {
        let values = Values { params: Some(&case.params), inputs: Some(&case.inputs) };
        let qasm = to_qasm3(&case.circuit, &values).unwrap_or_else(|error| panic!("{}: {error:?}", case.name));
        let imported = qmlc::qasm::import::import("exported.qasm", &qasm);
        assert!(
            imported.diagnostics.iter().all(|d| !d.is_error()),
            "{}: {:?}\n{qasm}",
            case.name,
            imported.diagnostics
        );
        let qml = imported.qml.unwrap_or_else(|| panic!("{}: no program", case.name));
        let output = qmlc::check::compile(&qml);
        let circuit = output.circuit.unwrap_or_else(|| panic!("{}: {:?}\n{qml}", case.name, output.diagnostics));
        assert_eq!(circuit.n_qubits, case.circuit.n_qubits, "{}", case.name);
        assert_eq!(
            format!("{:?}", circuit.measurements),
            format!("{:?}", case.circuit.measurements),
            "{}: measurements\n{qml}",
            case.name
        );
        if case.circuit.ops.iter().any(|op| matches!(op, qmlc::ir::Op::StatePrep(_))) {
            let original = qmlc::sim::execute(&without_measurements(&case.circuit), &case.inputs, &case.params, None);
            let read_back = qmlc::sim::execute(&without_measurements(&circuit), &[], &[], None);
            let (original, read_back) = (state_of(original.expect("runs")), state_of(read_back.expect("runs")));
            let distance = original.iter().zip(&read_back).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
            assert!(distance < 1e-12, "{}: the states differ by {distance}", case.name);
            by_state.push(case.name.clone());
            continue;
        }
        let want = gate_list(&case.circuit, &case.params, &case.inputs);
        let got = gate_list(&circuit, &[], &[]);
        assert_eq!(got, want, "{}\n{qasm}\n{qml}", case.name);
    }
    assert_eq!(by_state, ["tests/conformance/amplitude.qml"], "the programs compared by state");
}

fn without_measurements(circuit: &Circuit) -> Circuit {
    Circuit { measurements: vec![qmlc::ir::Measurement::State], ..circuit.clone() }
}

fn state_of(execution: qmlc::sim::Execution) -> Vec<num_complex::Complex64> {
    match execution.measurements.into_iter().next() {
        Some(qmlc::sim::MeasurementValues::Complex(amplitudes)) => amplitudes,
        other => panic!("not a state: {other:?}"),
    }
}

/// `sqrt(w)`, `log(x)` and `1 / w`: values of `w` and `x` make each angle NaN or infinite.
const NOT_FINITE: &str = "qubits 1\nparam w = 0.3\ninput x\ncircuit {\n    rx(sqrt(w)) 0\n    ry(log(x)) 0\n    \
                          rz(1 / w) 0\n}\nmeasure expval(Z(0))\n";

#[test]
fn an_angle_that_is_not_a_finite_number_is_e0901_as_in_run() {
    let dir = TempDir::new("qasm-export-not-finite");
    let model = dir.write("m.qml", NOT_FINITE);
    let negative = dir.write("negative.json", r#"{"w": -1}"#);
    let zero = dir.write("zero.json", r#"{"w": 0}"#);
    for (params, input, angle) in
        [(&negative, "x=-1", "the angle of `rx` is NaN"), (&zero, "x=0", "the angle of `ry` is -inf")]
    {
        let export =
            qmlc(&["export", path_text(&model), "--to", "qasm3", "--params", path_text(params), "--input", input]);
        assert_eq!(export.status.code(), Some(1), "{}", stdout(&export));
        assert!(export.stdout.is_empty(), "{}", stdout(&export));
        let text = stderr(&export);
        assert!(text.contains("error[E0901]") && text.contains(angle), "{text}");
        // The gate's line of the model is shown, as `run` shows it.
        let run = qmlc(&["run", path_text(&model), "--params", path_text(params), "--input", input]);
        assert_eq!(run.status.code(), Some(1));
        let run_text = stderr(&run);
        let first_error = |text: &str| text.lines().take(4).map(str::to_string).collect::<Vec<_>>();
        assert_eq!(first_error(&text), first_error(&run_text), "export:\n{text}\nrun:\n{run_text}");
    }
    // Only the params given: `1 / w` is infinite whatever `x` is.
    let export = qmlc(&["export", path_text(&model), "--to", "qasm3", "--params", path_text(&zero)]);
    assert_eq!(export.status.code(), Some(1), "{}", stdout(&export));
    assert!(stderr(&export).contains("the angle of `rz` is inf, from `1 / w` with w = 0"), "{}", stderr(&export));

    // The library says the same, with the gate's span.
    let circuit = qmlc::check::compile(NOT_FINITE).circuit.expect("compiles");
    let errors = to_qasm3(&circuit, &Values { params: Some(&[0.0]), inputs: Some(&[1.0]) }).expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.code, qmlc::codes::Code::E0901);
    let span = error.span.expect("a span");
    assert_eq!(&NOT_FINITE[span.start as usize..span.end as usize], "rz(1 / w) 0");
    // An amplitude that is not finite is refused too.
    let amplitude =
        qmlc::check::compile("qubits 1\ninput x[2]\ncircuit { amplitude_embedding(x) on 0 }\nmeasure state\n")
            .circuit
            .expect("compiles");
    let errors =
        to_qasm3(&amplitude, &Values { params: None, inputs: Some(&[f64::INFINITY, 0.0]) }).expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, qmlc::codes::Code::E0901);
    assert!(errors[0].message.contains("amplitude 0 of `amplitude_embedding` is inf"), "{errors:?}");
}

#[test]
fn every_operation_that_cannot_be_written_is_reported_not_only_the_first() {
    let dir = TempDir::new("qasm-export-every-error");
    let text = "qubits 2\ninput x[4]\ninput b\nparam w\ncircuit {\n    amplitude_embedding(x) on 0..2\n    \
                rx(abs(x[0])) 0\n    rot(min(w, 1), 0.5, max(w, x[1])) 1\n    ry(log(w)) 0\n}\n\
                measure expval(Z(0))\n";
    let model = dir.write("m.qml", text);
    let output = qmlc(&["export", path_text(&model), "--to", "qasm3"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    for (code, what, line) in [
        ("E1020", "amplitude_embedding prepares a state", "amplitude_embedding(x) on 0..2"),
        ("E1021", "the angle of `rx` applies `abs`", "rx(abs(x[0])) 0"),
        ("E1021", "angle 1 of `rot` applies `min`", "rot(min(w, 1), 0.5, max(w, x[1])) 1"),
        ("E1021", "angle 3 of `rot` applies `max`", "rot(min(w, 1), 0.5, max(w, x[1])) 1"),
    ] {
        assert!(message.contains(&format!("error[{code}]: {what}")), "no {code} `{what}` in\n{message}");
        // Each is rendered as `check` renders a diagnostic: the model's line, underlined.
        assert!(message.contains(line), "no `{line}` in\n{message}");
    }
    let position = |what: &str| message.find(what).unwrap_or_else(|| panic!("no `{what}` in\n{message}"));
    assert!(position("amplitude_embedding prepares") < position("`abs`") && position("`abs`") < position("`min`"));
    assert!(message.contains("m.qml:6:"), "a span into the model:\n{message}");
    assert!(message.trim_end().ends_with("4 errors; nothing written"), "{message}");

    // The library returns them all, in the order of the operations, each with its span.
    let circuit = qmlc::check::compile(text).circuit.expect("compiles");
    let errors = to_qasm3(&circuit, &Values::default()).expect_err("refused");
    let codes: Vec<String> = errors.iter().map(|error| error.code.to_string()).collect();
    assert_eq!(codes, ["E1020", "E1021", "E1021", "E1021"]);
    assert!(errors.iter().all(|error| error.span.is_some()), "{errors:?}");
    // With `w = -1`, `min(w, 1)` is a number, and `log(w)` is NaN: errors of several kinds come together.
    let errors = to_qasm3(&circuit, &Values { params: Some(&[-1.0]), inputs: None }).expect_err("refused");
    let codes: Vec<String> = errors.iter().map(|error| error.code.to_string()).collect();
    assert_eq!(codes, ["E1020", "E1021", "E1021", "E0901"], "{errors:?}");
}

#[test]
fn a_standard_output_that_cannot_be_written_is_an_error_not_a_panic() {
    let dir = TempDir::new("qasm-export-full");
    let model = dir.write("m.qml", "qubits 1\nparam t\ncircuit { rx(t) 0 }\nmeasure expval(Z(0))\n");
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    for dash in [&[][..], &["-o", "-"][..]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
        let output = Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .args(["export", path_text(&model), "--to", "qasm3"])
            .args(dash)
            .stdout(full)
            .output()
            .expect("qmlc runs");
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(message.starts_with("error: cannot write standard output"), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn o_naming_a_file_export_reads_is_refused_by_identity_not_by_name() {
    let dir = TempDir::new("qasm-export-same-file");
    let text = "qubits 1\nparam t\ninput x\ncircuit { rx(t * x) 0 }\nmeasure expval(Z(0))\n";
    let model = dir.write("m.txt", text);
    let params = dir.write("p.json", r#"{"t": 0.5}"#);
    let inputs = dir.write("i.json", r#"{"x": 0.25}"#);
    let root = dir.join("");
    let relative = |name: &str| format!("{}/./{name}", path_text(&root).trim_end_matches('/'));
    let mut refused = vec![relative("m.txt"), relative("p.json"), relative("i.json")];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&model, dir.join("link.qasm")).expect("a link");
        std::fs::hard_link(&params, dir.join("hard.qasm")).expect("a hard link");
        refused.push(path_text(&dir.join("link.qasm")).to_string());
        refused.push(path_text(&dir.join("hard.qasm")).to_string());
    }
    for out in &refused {
        let output = qmlc(&[
            "export",
            path_text(&model),
            "--to",
            "qasm3",
            "--params",
            path_text(&params),
            "--input",
            path_text(&inputs),
            "-o",
            out,
        ]);
        assert_eq!(output.status.code(), Some(2), "-o {out}: {}", stderr(&output));
        assert!(stderr(&output).contains("which it would overwrite"), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read_to_string(&model).expect("the model"), text);
    assert_eq!(std::fs::read_to_string(&params).expect("the params"), r#"{"t": 0.5}"#);
    assert_eq!(std::fs::read_to_string(&inputs).expect("the inputs"), r#"{"x": 0.25}"#);
    // Another file, existing or not, is written.
    let other = dir.write("other.qasm", "old");
    for out in [other, dir.join("new.qasm")] {
        let output = qmlc(&["export", path_text(&model), "--to", "qasm3", "-o", path_text(&out)]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(std::fs::read_to_string(&out).expect("written").starts_with("OPENQASM 3.0;"));
    }
}

/// The state of an exported program with every value a number: imported back, then simulated.
fn exported_state(qasm: &str) -> Vec<num_complex::Complex64> {
    let imported = qmlc::qasm::import::import("exported.qasm", qasm);
    assert!(imported.diagnostics.iter().all(|d| !d.is_error()), "{:?}\n{qasm}", imported.diagnostics);
    let qml = imported.qml.expect("a program");
    let circuit = qmlc::check::compile(&qml).circuit.expect("compiles");
    state_of(qmlc::sim::execute(&without_measurements(&circuit), &[], &[], None).expect("runs"))
}

/// `run --measure state --format json`'s amplitudes.
fn run_state(args: &[&str]) -> (Vec<num_complex::Complex64>, String) {
    let mut all = vec!["run"];
    all.extend(args);
    all.extend(["--measure", "state", "--format", "json"]);
    let output = qmlc(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let amplitudes = value["measurements"][0]["values"]
        .as_array()
        .expect("amplitudes")
        .iter()
        .map(|pair| num_complex::Complex64::new(pair[0].as_f64().expect("re"), pair[1].as_f64().expect("im")))
        .collect();
    // The notes come only in human format; ask for them there.
    let mut human = vec!["run"];
    human.extend(args);
    (amplitudes, stderr(&qmlc(&human)))
}

fn assert_same_state(export: &Output, run: &[num_complex::Complex64], what: &str) {
    assert_eq!(export.status.code(), Some(0), "{what}: {}", stderr(export));
    let exported = exported_state(&stdout(export));
    assert_eq!(exported.len(), run.len(), "{what}");
    let distance = exported.iter().zip(run).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
    assert!(distance < 1e-12, "{what}: export's state differs from run's by {distance}");
}

#[test]
fn input_with_trained_params_is_scaled_and_encoded_exactly_as_run_does() {
    let dir = TempDir::new("qasm-export-trained");
    let iris = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/iris.qml");
    let trained = dir.join("iris.json");
    let output = qmlc(&["train", path_text(&iris), "--epochs", "2", "--out", path_text(&trained)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let input = "x=5.1,3.5,1.4,0.2";
    let common = [path_text(&iris), "--params", path_text(&trained), "--input", input];
    let (run, run_notes) = run_state(&common);
    let export = qmlc(&["export", common[0], "--to", "qasm3", common[1], common[2], common[3], common[4]]);
    assert_same_state(&export, &run, "iris");
    // The same note as `run`'s says that the values were scaled.
    let note = run_notes.lines().find(|line| line.contains("meta.data.scaling")).expect("run's note").to_string();
    assert!(stderr(&export).lines().any(|line| line == note), "{}", stderr(&export));
    // The raw values would be a different circuit: the scaling matters.
    let raw = qmlc(&["export", common[0], "--to", "qasm3", "--input", input]);
    assert_eq!(raw.status.code(), Some(0), "{}", stderr(&raw));
    assert_ne!(stdout(&raw), stdout(&export), "the raw values give the same circuit");

    // Encode layers: the given row through `linear`, `tanh` with the params file's weights.
    let model = dir.write(
        "encode.qml",
        "qubits 2\ninput a[2]\nparam w[2]\nencode linear(2), tanh\ncircuit {\n    for i in 0..2 { ry(a[i]) i }\n    \
         cnot 0, 1\n    for i in 0..2 { rx(w[i]) i }\n}\nmeasure expval(Z(0)), expval(Z(1))\n",
    );
    let params = dir.write(
        "encode.json",
        r#"{"w": [0.3, -0.7], "encode.0.weight": [[0.5, -1.5], [2.0, 0.25]], "encode.0.bias": [0.1, -0.2]}"#,
    );
    let common = [path_text(&model), "--params", path_text(&params), "--input", "a=0.4,-0.9"];
    let (run, _) = run_state(&common);
    let export = qmlc(&["export", common[0], "--to", "qasm3", common[1], common[2], common[3], common[4]]);
    assert_same_state(&export, &run, "encode");
    // tanh(0.5 * 0.4 - 1.5 * -0.9 + 0.1) is the first angle, by hand.
    let first = (0.5f64 * 0.4 + -1.5 * -0.9 + 0.1).tanh();
    assert!(stdout(&export).contains(&format!("ry({first:?}) q[0];")), "{}", stdout(&export));
    // Without a params file the encode layers have no weights to apply: a usage error.
    let output = qmlc(&["export", common[0], "--to", "qasm3", "--input", "a=0.4,-0.9"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("give --params with --input"), "{}", stderr(&output));
}

#[test]
fn input_of_another_width_than_the_encode_layers_take_is_an_error_in_run_and_export() {
    let dir = TempDir::new("qasm-export-encode-width");
    // Encode layers on rows of 3 values (the params file's `encode.0.weight` is 2 × 3) before a
    // circuit of 2 inputs: `--input a=…` gives 2 values, not a row.
    let model = dir.write(
        "m.qml",
        "qubits 2\ninput a[2]\nencode linear(2)\ncircuit { for i in 0..2 { ry(a[i]) i } }\nmeasure expval(Z(0))\n",
    );
    let params = dir
        .write("p.json", r#"{"encode.0.weight": [[0.5, -1.5, 1.0], [2.0, 0.25, 0.0]], "encode.0.bias": [0.1, -0.2]}"#);
    for command in ["run", "grad", "export"] {
        let mut args = vec![command, path_text(&model), "--params", path_text(&params), "--input", "a=0.4,-0.9"];
        if command == "export" {
            args.extend(["--to", "qasm3"]);
        }
        let output = qmlc(&args);
        assert_eq!(output.status.code(), Some(1), "{command}: {}", stdout(&output));
        let message = stderr(&output);
        assert!(
            message.contains("error[E0908]: --input: the encode layers take data rows of 3 values, but 2 were given"),
            "{command}: {message}"
        );
    }
    // The width the layers take is the circuit's when the file does not say otherwise.
    let square = dir.write("square.json", r#"{"encode.0.weight": [[1, 0], [0, 1]], "encode.0.bias": [0, 0]}"#);
    let output = qmlc(&["run", path_text(&model), "--params", path_text(&square), "--input", "a=0.4,-0.9"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
