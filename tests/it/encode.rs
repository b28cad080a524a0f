//! Models with `encode` layers end to end through the binary: training, the params file's
//! `encode.K` tensors, predictions from them, and `encode` still free as a user name.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qmlc-encode-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A dressed circuit: 3 features → `linear(2), tanh, scale(pi / 2)` → 2 angles → circuit →
/// `linear(1), bias`, trained on 8 rows whose label is the sign of the first feature.
fn dressed_model(dir: &Path) -> PathBuf {
    let mut csv = String::from("a,b,c,y\n");
    for row in 0..8 {
        let a = (row as f64 * 0.37).sin();
        let b = (row as f64 * 0.91).cos();
        let c = 0.1 * row as f64 - 0.4;
        csv.push_str(&format!("{a},{b},{c},{}\n", if a > 0.0 { 1 } else { -1 }));
    }
    std::fs::write(dir.join("rows.csv"), csv).expect("write csv");
    let model = "qubits 2\ninput x[2]\nparam w[2] = [0.1, -0.2]\ncircuit {\n    angle_embedding(x, rotation = Y)\n    \
                 cnot 0, 1\n    ry(w[0]) 0\n    ry(w[1]) 1\n}\nmeasure expval(Z(0)), expval(Z(1))\n\
                 encode linear(2), tanh, scale(pi / 2)\nhead linear(1), bias\n\
                 train {\n    data csv(\"rows.csv\", label = \"y\")\n    loss mse\n    optimizer adam(lr = 0.1)\n    \
                 epochs 15\n    batch 8\n    seed 3\n}\n";
    let file = dir.join("dressed.qml");
    std::fs::write(&file, model).expect("write model");
    file
}

#[test]
fn a_model_with_encode_layers_trains_and_predicts_from_its_params_file() {
    let dir = scratch("train");
    let model = dressed_model(&dir);
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model), "--out", path(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    let first = lines[0]["train_loss"].as_f64().expect("a loss");
    let last = lines[14]["train_loss"].as_f64().expect("a loss");
    assert!(last < 0.7 * first, "the loss falls: {first} → {last}");

    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    let shape = |key: &str| -> Vec<usize> {
        let mut shape = Vec::new();
        let mut value = &params[key];
        while let Value::Array(items) = value {
            shape.push(items.len());
            value = &items[0];
        }
        shape
    };
    assert_eq!(shape("encode.0.weight"), vec![2, 3], "{params}");
    assert_eq!(shape("encode.0.bias"), vec![2]);
    assert_eq!(shape("head.0.weight"), vec![1, 2]);
    assert_eq!(shape("head.1.bias"), vec![1]);
    assert!(params.get("encode.1.weight").is_none() && params.get("encode.2.bias").is_none());

    // The params file starts another run (its encode width read from `encode.0.weight`), and
    // written back it is the same file.
    let again = dir.join("again.json");
    let output = qmlc(&["train", path(&model), "--init", path(&out), "--out", path(&again), "--epochs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // predict and run --data apply the encode layers alike.
    let data = dir.join("rows.csv");
    let predicted = qmlc(&["predict", path(&model), "--params", path(&out), "--data", path(&data), "--format", "json"]);
    assert_eq!(predicted.status.code(), Some(0), "{}", stderr(&predicted));
    let predicted: Value = serde_json::from_slice(&predicted.stdout).expect("JSON");
    let run = qmlc(&["run", path(&model), "--params", path(&out), "--data", path(&data), "--format", "json"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run: Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let predictions = predicted["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), 8);
    for (prediction, row) in predictions.iter().zip(run["rows"].as_array().expect("rows")) {
        assert_eq!(prediction["outputs"], row["outputs"]);
    }
    // A trained model tells the signs apart on most rows.
    let right = predictions
        .iter()
        .zip(std::fs::read_to_string(&data).expect("csv").lines().skip(1))
        .filter(|(prediction, line)| {
            let label: f64 = line.rsplit(',').next().expect("label").parse().expect("a number");
            prediction["outputs"][0].as_f64().expect("output") * label > 0.0
        })
        .count();
    assert!(right >= 6, "{right} of 8 rows right");
}

#[test]
fn encode_stays_a_name_a_file_may_use() {
    let dir = scratch("name");
    let file = dir.join("names.qml");
    std::fs::write(
        &file,
        "qubits 1\nparam encode\ndef rotate(t) { ry(t) 0 }\ncircuit { rotate(encode) 0 }\nmeasure expval(Z(0))\n",
    )
    .expect("write");
    let output = qmlc(&["check", path(&file)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let wrong = dir.join("wrong.qml");
    std::fs::write(
        &wrong,
        "qubits 1\ninput x[2]\ncircuit { ry(x[0]) 0; ry(x[1]) 0 }\nmeasure expval(Z(0))\nencode linear(3)\n",
    )
    .expect("write");
    let output = qmlc(&["check", path(&wrong)]);
    assert_eq!(output.status.code(), Some(1));
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert!(printed.contains("E0603") && printed.contains("`x` takes [2]"), "{printed}");
}

/// The dressed circuit's file without a train block, with or without its encode layers.
const GRAD_CIRCUIT: &str = "qubits 2\ninput x[2]\nparam w[2]\ncircuit {\n    angle_embedding(x, rotation = Y)\n    \
                            cnot 0, 1\n    ry(w[0]) 0\n    ry(w[1]) 1\n}\nmeasure expval(Z(0)), expval(Z(1))\n";

/// The params of [`GRAD_CIRCUIT`] with `encode linear(2), tanh, scale(pi / 2)` and `head linear(1)`.
fn grad_params() -> Value {
    serde_json::json!({
        "w": [0.4, -0.7],
        "head.0.weight": [[0.8, -0.6]],
        "head.0.bias": [0.15],
        "encode.0.weight": [[0.5, -0.3], [0.9, 0.2]],
        "encode.0.bias": [0.1, -0.25],
    })
}

/// The numbers of nested JSON arrays, row-major.
fn numbers(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        other => vec![other.as_f64().expect("a number")],
    }
}

/// `qmlc ARGS --format json`, which must succeed, as JSON.
fn json_of(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = qmlc(&all);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn grad_reports_the_encode_layers_tensors_as_finite_differences_of_run_give_them() {
    let dir = scratch("grad");
    let model = dir.join("dressed.qml");
    std::fs::write(&model, format!("{GRAD_CIRCUIT}encode linear(2), tanh, scale(pi / 2)\nhead linear(1)\n"))
        .expect("write model");
    let params = grad_params();
    let params_path = dir.join("params.json");
    std::fs::write(&params_path, params.to_string()).expect("write params");
    let row = [0.3, -0.5];
    let input = format!("x={},{}", row[0], row[1]);

    for method in ["adjoint", "parameter_shift", "finite_diff"] {
        let graded =
            json_of(&["grad", path(&model), "--params", path(&params_path), "--input", &input, "--method", method]);
        let jacobian = &graded["jacobian"];
        let names: Vec<&String> = jacobian.as_object().expect("an object").keys().collect();
        assert_eq!(names.len(), 5, "{method}: {names:?}");
        assert_eq!(numbers(&graded["outputs"]).len(), 1);
        // Each entry of the encode layers' tensors against a central difference of `run`'s output
        // with that entry of the params file moved by ±1e-6.
        let tolerance = if method == "finite_diff" { 1e-5 } else { 1e-6 };
        for (name, shape) in [("encode.0.weight", vec![2, 2]), ("encode.0.bias", vec![2])] {
            let reported = numbers(&jacobian[name]);
            assert_eq!(reported.len(), shape.iter().product::<usize>(), "{method}: {name}");
            for (entry_idx, &derivative) in reported.iter().enumerate() {
                let step = 1e-6;
                let output_at = |delta: f64| {
                    let mut moved = params.clone();
                    let slot = match shape.len() {
                        1 => &mut moved[name][entry_idx],
                        _ => &mut moved[name][entry_idx / shape[1]][entry_idx % shape[1]],
                    };
                    *slot = Value::from(slot.as_f64().expect("a number") + delta);
                    let moved_path = dir.join("moved.json");
                    std::fs::write(&moved_path, moved.to_string()).expect("write params");
                    let ran = json_of(&["run", path(&model), "--params", path(&moved_path), "--input", &input]);
                    ran["outputs"][0].as_f64().expect("an output")
                };
                let numeric = (output_at(step) - output_at(-step)) / (2.0 * step);
                assert!(
                    (numeric - derivative).abs() < tolerance,
                    "{method}: d output / d {name}[{entry_idx}]: {derivative} reported, {numeric} by finite differences"
                );
            }
        }
    }

    // The circuit params' and the head's columns are those of the same model without encode
    // layers given the encoded inputs: pi/2 · tanh(W x + b), by hand.
    let graded =
        json_of(&["grad", path(&model), "--params", path(&params_path), "--input", &input, "--method", "adjoint"]);
    let weight = numbers(&params["encode.0.weight"]);
    let bias = numbers(&params["encode.0.bias"]);
    let tanh: Vec<f64> =
        (0..2).map(|i| (weight[2 * i] * row[0] + weight[2 * i + 1] * row[1] + bias[i]).tanh()).collect();
    let encoded: Vec<f64> = tanh.iter().map(|t| std::f64::consts::FRAC_PI_2 * t).collect();
    let plain = dir.join("plain.qml");
    std::fs::write(&plain, format!("{GRAD_CIRCUIT}head linear(1)\n")).expect("write model");
    let mut plain_params = params.clone();
    let plain_object = plain_params.as_object_mut().expect("an object");
    plain_object.remove("encode.0.weight");
    plain_object.remove("encode.0.bias");
    let plain_params_path = dir.join("plain.json");
    std::fs::write(&plain_params_path, plain_params.to_string()).expect("write params");
    let encoded_input = format!("x={:?},{:?}", encoded[0], encoded[1]);
    let plain_graded = json_of(&[
        "grad",
        path(&plain),
        "--params",
        path(&plain_params_path),
        "--input",
        &encoded_input,
        "--method",
        "adjoint",
    ]);
    let close = |a: &Value, b: &Value, what: &str| {
        let (a, b) = (numbers(a), numbers(b));
        assert_eq!(a.len(), b.len(), "{what}");
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-12, "{what}: {a:?} vs {b:?}");
        }
    };
    close(&graded["outputs"], &plain_graded["outputs"], "outputs");
    for name in ["w", "head.0.weight", "head.0.bias"] {
        close(&graded["jacobian"][name], &plain_graded["jacobian"][name], name);
    }

    // And the encode layers' columns by hand. After ry(z0), ry(z1), cnot 0, 1, ry(w0), ry(w1):
    // ⟨Z0⟩ = cos z0 cos w0 − sin z0 sin z1 sin w0 and ⟨Z1⟩ = cos z0 cos z1 cos w1 − sin z1 sin w1
    // (the cnot takes X0 to X0 X1 and Z1 to Z0 Z1); the output is h · ⟨Z⟩ + c, and
    // d z_i / d (W x + b)_i = pi/2 · (1 − tanh²).
    let (z0, z1) = (encoded[0], encoded[1]);
    let w = numbers(&params["w"]);
    let h = numbers(&params["head.0.weight"]);
    let expvals = [
        z0.cos() * w[0].cos() - z0.sin() * z1.sin() * w[0].sin(),
        z0.cos() * z1.cos() * w[1].cos() - z1.sin() * w[1].sin(),
    ];
    let output = h[0] * expvals[0] + h[1] * expvals[1] + numbers(&params["head.0.bias"])[0];
    assert!((graded["outputs"][0].as_f64().expect("an output") - output).abs() < 1e-12, "{graded}");
    let d_output_d_z = [
        h[0] * (-z0.sin() * w[0].cos() - z0.cos() * z1.sin() * w[0].sin()) + h[1] * (-z0.sin() * z1.cos() * w[1].cos()),
        h[0] * (-z0.sin() * z1.cos() * w[0].sin()) + h[1] * (-z0.cos() * z1.sin() * w[1].cos() - z1.cos() * w[1].sin()),
    ];
    let d_output_d_bias: Vec<f64> =
        (0..2).map(|i| d_output_d_z[i] * std::f64::consts::FRAC_PI_2 * (1.0 - tanh[i] * tanh[i])).collect();
    let d_output_d_weight: Vec<f64> = (0..4).map(|k| d_output_d_bias[k / 2] * row[k % 2]).collect();
    close(&graded["jacobian"]["encode.0.bias"], &serde_json::json!([d_output_d_bias]), "encode.0.bias by hand");
    close(&graded["jacobian"]["encode.0.weight"], &serde_json::json!([d_output_d_weight]), "encode.0.weight by hand");

    // The human format names the encode layers' tensors too.
    let human = qmlc(&["grad", path(&model), "--params", path(&params_path), "--input", &input]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("d outputs / d encode.0.weight:") && text.contains("d outputs / d encode.0.bias:"), "{text}");
}

#[test]
fn grad_data_rows_agree_with_grad_input_row_for_row() {
    let dir = scratch("grad-data");
    let model = dir.join("dressed.qml");
    std::fs::write(&model, format!("{GRAD_CIRCUIT}encode linear(2), tanh, scale(pi / 2)\nhead linear(1)\n"))
        .expect("write model");
    let params_path = dir.join("params.json");
    std::fs::write(&params_path, grad_params().to_string()).expect("write params");
    let rows = [[0.3, -0.5], [-1.2, 0.8], [0.05, 2.0]];
    let mut csv = String::from("a,b\n");
    for row in &rows {
        csv.push_str(&format!("{},{}\n", row[0], row[1]));
    }
    let data = dir.join("rows.csv");
    std::fs::write(&data, csv).expect("write csv");
    for method in ["adjoint", "parameter_shift"] {
        let by_data =
            json_of(&["grad", path(&model), "--params", path(&params_path), "--data", path(&data), "--method", method]);
        let data_rows = by_data["rows"].as_array().expect("rows");
        assert_eq!(data_rows.len(), rows.len());
        for (row, by_row) in rows.iter().zip(data_rows) {
            let input = format!("x={},{}", row[0], row[1]);
            let by_input =
                json_of(&["grad", path(&model), "--params", path(&params_path), "--input", &input, "--method", method]);
            assert_eq!(by_row["outputs"], by_input["outputs"], "{method}: {row:?}");
            assert_eq!(by_row["jacobian"], by_input["jacobian"], "{method}: {row:?}");
            assert!(by_row["jacobian"].get("encode.0.weight").is_some(), "{by_row}");
        }
    }
}

#[test]
fn grad_check_compares_the_inputs_columns_the_encode_layers_take() {
    let dir = scratch("grad-check");
    let model = dir.join("dressed.qml");
    std::fs::write(&model, format!("{GRAD_CIRCUIT}encode linear(2), tanh, scale(pi / 2)\nhead linear(1)\n"))
        .expect("write model");
    let params_path = dir.join("params.json");
    std::fs::write(&params_path, grad_params().to_string()).expect("write params");
    let report = json_of(&["grad", "--check", path(&model), "--params", path(&params_path), "--input", "x=0.3,-0.5"]);
    assert_eq!(report["params"], serde_json::json!(["w[0]", "w[1]", "x[0]", "x[1]"]), "{report}");
    assert_eq!(report["ok"], true, "{report}");
    let adjoint = &report["jacobians"]["adjoint"];
    assert_eq!(numbers(adjoint).len(), 2 * 4, "{report}");
}
