//! The front end on good programs: the conformance programs check clean, and nothing else is reported.

use crate::fixture::conformance_programs;
use crate::temp::TempDir;

#[test]
fn every_conformance_program_checks_clean() {
    let programs = conformance_programs();
    for path in programs {
        let text = std::fs::read_to_string(&path).expect("readable");
        let output = qmlc::check::compile(&text);
        assert!(output.diagnostics.is_empty(), "{}: {:?}", path.display(), output.diagnostics);
        assert!(output.circuit.is_some(), "{} did not lower", path.display());
    }
}

#[test]
fn every_example_checks_clean() {
    for entry in std::fs::read_dir("examples").expect("examples exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "qml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let output = qmlc::check::compile(&text);
            let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        }
    }
}

#[test]
fn three_independent_syntax_errors_give_three_diagnostics() {
    let text = "qubits 2\ncircuit {\n    h 0 0 0\n    cnot 0,, 1\n    rx(0.1)) 0\n}\nmeasure expval(Z(0))\n";
    let output = qmlc::check::compile(text);
    let codes: Vec<_> = output.diagnostics.iter().map(|d| (d.code.as_str(), d.primary.span.start)).collect();
    assert_eq!(codes, vec![("E0002", 27), ("E0002", 42), ("E0002", 57)]);
}

#[test]
fn a_missing_file_gives_exit_status_one() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["check", "no/such/file.qml"])
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&status.stderr),
        "error: cannot read the model `no/such/file.qml`: No such file or directory (os error 2)\n"
    );
}

#[test]
fn wrong_usage_gives_exit_status_two() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["check", "--format", "yaml", "x.qml"])
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(2));
}

#[test]
fn check_exits_one_on_errors_and_zero_on_warnings_only() {
    let run = |path: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .args(["check", path])
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(run("tests/ui/wire_out_of_range.qml"), Some(1));
    assert_eq!(run("tests/ui/unused_input.qml"), Some(0));
    assert_eq!(run("tests/conformance/bell.qml"), Some(0));
}

// ---------------------------------------------------------------------------------------------
// Limits, big programs and source encodings, through the library and through the binary
// ---------------------------------------------------------------------------------------------

fn qmlc(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).env("NO_COLOR", "1").output().expect("qmlc runs")
}

/// `qmlc check --format json` on a file: its exit status and its diagnostics.
fn check_json(path: &std::path::Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = qmlc(&["check", "--format", "json", path.to_str().expect("a UTF-8 path")]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("check prints JSON");
    let diagnostics = json["diagnostics"].as_array().cloned().unwrap_or_default();
    (output.status.code(), diagnostics)
}

/// Compiles on a thread with the CLI's stack, as `qmlc` does.
fn compile_like_the_cli(text: String) -> qmlc::check::CheckOutput {
    qmlc::stack::with_large_stack(move || qmlc::check::compile(&text))
}

#[test]
fn programs_past_the_limits_are_refused_by_check_with_a_code_and_a_message() {
    let dir = TempDir::new("limits");
    let cases: [(&str, String, &str, &str); 6] = [
        (
            "repeats",
            "qubits 4\ninput x[4]\ncircuit {\n    iqp_embedding(x, repeats = 1000000000)\n}\nmeasure expval(Z(0))\n".into(),
            "E0803",
            "the program unrolls to more than 2000000 operations",
        ),
        (
            "measure_loop",
            "qubits 2\ncircuit { h 0 }\nmeasure for i in 0..1000000000 {\n    expval(Z(0))\n}\n".into(),
            "E0803",
            "the program's loops run more than 4000000 iterations in all",
        ),
        (
            "empty_loops",
            "qubits 1\ncircuit {\n    for i in 0..1000000000 {\n        for j in 0..1000000000 {\n        }\n    }\n}\nmeasure expval(Z(0))\n"
                .into(),
            "E0803",
            "the program's loops run more than 4000000 iterations in all",
        ),
        (
            "refused_register",
            "qubits 1000\ninput x[40]\ncircuit {\n    for i in 0..1000000 {\n        multirz(x[0]) 0..40\n        iqp_embedding(x, repeats = 1000)\n    }\n}\nmeasure expval(Z(0))\n"
                .into(),
            "E0114",
            "1000 qubits is more than qmlc can simulate (at most 40)",
        ),
        (
            "wide_gates",
            "qubits 40\ncircuit {\n    for i in 0..1000000 {\n        multirz(0.1) 0..40\n    }\n}\nmeasure expval(Z(0))\n".into(),
            "E0803",
            "the program's operations act on more than 10000000 wires in all",
        ),
        (
            "wide_head",
            "qubits 20\ncircuit { h 0 }\nmeasure probs\nhead linear(2000)\n".into(),
            "E0803",
            "this layer has 2097154000 weights and biases, more than a head may have (4194304)",
        ),
    ];
    for (name, program, code, message) in cases {
        let path = dir.write(&format!("{name}.qml"), program.as_bytes());
        let (status, diagnostics) = check_json(&path);
        assert_eq!(status, Some(1), "{name}: {diagnostics:?}");
        assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:?}");
        assert_eq!(diagnostics[0]["code"], code, "{name}");
        assert_eq!(diagnostics[0]["message"], message, "{name}");
    }
}

#[test]
fn twenty_thousand_params_check_clean_with_their_offsets_in_order() {
    let mut program = String::from("qubits 2\n");
    for param_idx in 0..20_000 {
        program.push_str(&format!("param p{param_idx}\n"));
    }
    program.push_str("circuit {\n");
    for param_idx in 0..20_000 {
        program.push_str(&format!("    ry(p{param_idx}) {}\n", param_idx % 2));
    }
    program.push_str("}\nmeasure expval(Z(0)), expval(Z(1))\n");
    let output = compile_like_the_cli(program);
    assert!(output.diagnostics.is_empty(), "{:?}", &output.diagnostics[..output.diagnostics.len().min(3)]);
    let circuit = output.circuit.expect("the program lowers");
    assert_eq!(circuit.params.len(), 20_000);
    assert_eq!(circuit.params[19_999].variable.offset, 19_999);
    assert_eq!(circuit.ops.len(), 20_000);
}

#[test]
fn a_hundred_thousand_gates_and_a_five_thousand_item_measure_are_valid_programs() {
    let mut program = String::from("qubits 4\nparam w\ncircuit {\n");
    for gate_idx in 0..100_000 {
        program.push_str(&format!("    ry(w * {gate_idx}) {}\n", gate_idx % 4));
    }
    program.push_str("}\nmeasure ");
    let items: Vec<String> = (0..5_000).map(|item_idx| format!("expval(Z({}))", item_idx % 4)).collect();
    program.push_str(&items.join(", "));
    program.push('\n');
    let output = compile_like_the_cli(program);
    assert!(output.diagnostics.is_empty(), "{:?}", &output.diagnostics[..output.diagnostics.len().min(3)]);
    let circuit = output.circuit.expect("the program lowers");
    assert_eq!(circuit.ops.len(), 100_000);
    assert_eq!(circuit.measurements.len(), 5_000);
}

#[test]
fn deep_nesting_and_long_operator_chains_are_refused_without_overflowing_the_stack() {
    let deep = format!("qubits 1\nconst k = {}1{}\ncircuit {{ h 0 }}\n", "(".repeat(100_000), ")".repeat(100_000));
    let chain = format!("qubits 1\nconst k = {}\ncircuit {{ h 0 }}\n", vec!["1"; 100_000].join(" + "));
    let indices = format!("qubits 1\nparam w[1]\ncircuit {{ ry(w{}) 0 }}\n", "[0]".repeat(100_000));
    let negations = format!("qubits 1\nconst k = {}1\ncircuit {{ h 0 }}\n", "- ".repeat(100_000));
    for (program, message) in [
        (deep, "brackets nest more than 200 deep"),
        (chain.clone(), "a statement chains more than 20000 operators"),
        (indices, "a statement chains more than 20000 operators"),
        (negations, "a statement chains more than 20000 operators"),
    ] {
        let output = compile_like_the_cli(program);
        let errors: Vec<_> = output.diagnostics.iter().map(|d| (d.code.as_str(), d.message.as_str())).collect();
        assert_eq!(errors, [("E0803", message)]);
    }
    // Through the binary too, whose rendering cuts the one huge line around the label.
    let dir = TempDir::new("chain");
    let path = dir.write("chain.qml", chain.as_bytes());
    let output = qmlc(&["check", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("error[E0803]: a statement chains more than 20000 operators"), "{printed}");
    assert!(printed.len() < 2_000, "the long line was echoed: {} bytes", printed.len());
    assert!(printed.contains(" … "), "{printed}");
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_its_byte_in_human_and_json_output() {
    let dir = TempDir::new("utf8");
    let path = dir.write("latin1.qml", b"qubits 1\ncircuit {\n    h 0 // caf\xE9\n}\n");
    let (status, diagnostics) = check_json(&path);
    assert_eq!(status, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "E0005");
    assert_eq!(diagnostics[0]["span"], serde_json::json!({"start": 33, "end": 34, "line": 3, "column": 15}));
    let human = qmlc(&["check", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(human.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&human.stdout);
    assert!(printed.contains("error[E0005]: this file is not UTF-8 text: byte 33 (line 3, column 15)"), "{printed}");
    assert!(printed.contains("latin1.qml:3:15"), "{printed}");
    // The commands that run a model refuse it with the same diagnostic.
    let run = qmlc(&["run", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("error[E0005]"));
}

#[test]
fn a_byte_order_mark_is_skipped_and_offsets_count_from_after_it() {
    let dir = TempDir::new("bom");
    let clean = dir.write("clean.qml", b"\xEF\xBB\xBFqubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n");
    assert_eq!(check_json(&clean), (Some(0), Vec::new()));
    let bad = dir.write("bad.qml", b"\xEF\xBB\xBFqubits 1\ncircuit { h 3 }\nmeasure expval(Z(0))\n");
    let (status, diagnostics) = check_json(&bad);
    assert_eq!(status, Some(1));
    assert_eq!(diagnostics[0]["code"], "E0201");
    assert_eq!(diagnostics[0]["span"], serde_json::json!({"start": 21, "end": 22, "line": 2, "column": 13}));
    let printed = String::from_utf8_lossy(&qmlc(&["check", bad.to_str().expect("a UTF-8 path")]).stdout).into_owned();
    assert!(printed.contains("bad.qml:2:13"), "{printed}");
}

#[test]
fn human_and_json_output_name_the_same_line_whatever_ends_the_lines() {
    let dir = TempDir::new("line_ends");
    for (name, line_end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let program = ["qubits 2", "circuit {", "    h 0", "    h 5", "}", "measure expval(Z(0))", ""].join(line_end);
        let path = dir.write(&format!("{name}.qml"), program.as_bytes());
        let (status, diagnostics) = check_json(&path);
        assert_eq!(status, Some(1), "{name}");
        assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:?}");
        assert_eq!(diagnostics[0]["span"]["line"], 4, "{name}");
        assert_eq!(diagnostics[0]["span"]["column"], 7, "{name}");
        let printed =
            String::from_utf8_lossy(&qmlc(&["check", path.to_str().expect("a UTF-8 path")]).stdout).into_owned();
        assert!(printed.contains(&format!("{name}.qml:4:7")), "{name}: {printed}");
        assert!(printed.contains(" 4 │     h 5"), "{name}: {printed}");
    }
}

#[test]
fn check_compares_each_csv_header_with_the_model_as_training_would() {
    let dir = TempDir::new("csv");
    dir.write("three.csv", b"a,b,c,y\n1,2,3,0\n");
    dir.write("two.csv", b"\n\na,b,label\n1,2,0\n");
    dir.write("header_only.csv", b"a,b,y\n");
    dir.write("named.csv", b"a,b,y\n1,2,cat\n3,4,dog\n5,6,eel\n");
    let model = "qubits 2\ninput x[2]\ncircuit { angle_embedding(x) }\nmeasure expval(Z(0))\n\
                 train wide { data csv(\"three.csv\", label = \"y\") }\n\
                 train misnamed { data csv(\"two.csv\", label = \"lable\") }\n\
                 train missing { data csv(\"absent.csv\", label = \"y\") }\n\
                 train fine { data csv(\"two.csv\", label = \"label\") }\n\
                 train empty { data csv(\"header_only.csv\", label = \"y\") }\n\
                 train short { data csv(\"two.csv\", label = \"label\"); split 0.5 }\n\
                 train names { data csv(\"named.csv\", label = \"y\") }\n";
    let path = dir.write("model.qml", model.as_bytes());
    let (status, diagnostics) = check_json(&path);
    assert_eq!(status, Some(1));
    let found: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap_or("").to_string(), d["span"]["line"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(
        found,
        [
            ("E0707".to_string(), 5),
            ("E0907".to_string(), 6),
            ("E0907".to_string(), 7),
            ("E0907".to_string(), 9),
            ("E0704".to_string(), 10),
            ("E0707".to_string(), 11)
        ]
    );
    assert_eq!(
        diagnostics[5]["message"],
        "`mse` needs numeric labels, but `named.csv` has labels that are not numbers"
    );
    assert_eq!(diagnostics[3]["message"], "`header_only.csv` has no data rows");
    assert_eq!(diagnostics[4]["message"], "split 0.5 of 1 row leaves no rows to train on");
    assert_eq!(diagnostics[0]["message"], "this data has 3 features per row, but the model's inputs take 2 values");
    assert_eq!(
        diagnostics[1]["message"],
        "`two.csv` has no label column `lable`; its header (line 3) names `a`, `b`, `label`"
    );
    assert_eq!(diagnostics[1]["help"], "did you mean `label`?");
    assert!(diagnostics[2]["message"]
        .as_str()
        .unwrap_or("")
        .starts_with("training cannot use the data file `absent.csv`: cannot read"));
    // Cross-entropy needs one output per class of the label column.
    let two_outputs = "qubits 2\ninput x[2]\ncircuit { angle_embedding(x) }\nmeasure expval(Z(0)), expval(Z(1))\n\
                       train { data csv(\"named.csv\", label = \"y\"); loss cross_entropy }\n";
    let path = dir.write("classes.qml", two_outputs.as_bytes());
    let (status, diagnostics) = check_json(&path);
    assert_eq!(status, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["message"], "`named.csv` has 3 classes, but the model has 2 outputs for `cross_entropy`");

    // Rows that training's reader refuses are reported as it reports them, instead of counts and
    // classes read from rows that will never train.
    let one_output = "qubits 2\ninput x[2]\ncircuit { angle_embedding(x) }\nmeasure expval(Z(0))\n\
                      train { data csv(\"rows.csv\", label = \"y\"); loss mse }\n";
    let path = dir.write("rows.qml", one_output.as_bytes());
    for (rows, problem) in [
        ("a,b,y\n1,2,0\n2,NaN,1\n", "rows.csv, line 3, column 2 (`b`): `NaN` is not a finite number"),
        ("a,b,y\n1,2\n2,1,1\n", "rows.csv, line 2: the row has 2 fields, but the header has 3 columns"),
        ("a,b,y\n1,2,0\n2,1e400,1\n", "rows.csv, line 3, column 2 (`b`): `1e400` is not a finite number"),
    ] {
        dir.write("rows.csv", rows.as_bytes());
        let (status, diagnostics) = check_json(&path);
        assert_eq!(status, Some(1));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0]["code"], "E0907");
        assert_eq!(diagnostics[0]["message"], format!("training would refuse the rows of `rows.csv`: {problem}"));
    }
}

/// `hermitian` accepts a matrix PennyLane's `Hermitian` accepts (`numpy.allclose` to its
/// transpose) and measures its symmetric part; a larger asymmetry is E0507.
#[test]
fn hermitian_accepts_pennylanes_tolerance_and_no_more() {
    let program = |entry: &str| {
        format!("qubits 1\ncircuit {{\n    h 0\n}}\nmeasure expval(hermitian([[1, 0.1], [{entry}, 1]], 0))\n")
    };
    let close = qmlc::check::compile(&program("0.1000000001"));
    let circuit = close.circuit.expect("within PennyLane's tolerance");
    let execution = qmlc::sim::execute(&circuit, &[], &[], None).expect("runs");
    assert!((execution.outputs[0] - 1.10000000005).abs() < 1e-12, "{:?}", execution.outputs);
    let far = qmlc::check::compile(&program("0.1001"));
    assert!(far.circuit.is_none());
    assert_eq!(far.diagnostics[0].code, qmlc::codes::Code::E0507);
}
