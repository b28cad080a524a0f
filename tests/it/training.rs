//! Training end to end through the binary: a run reproduced by hand, reproducibility, the examples'
//! accuracies, bad data, predictions and Ctrl-C.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qmlc-training-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_training_run_reproduces_adam_steps_computed_by_hand() {
    let dir = scratch("by-hand");
    let rows = [(0.1, 0.9), (0.7, 0.2), (-0.4, 0.5), (1.3, -0.3)];
    let csv: String = std::iter::once("x,y".to_string())
        .chain(rows.iter().map(|(x, y)| format!("{x},{y}")))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("tiny.csv"), csv + "\n").expect("write csv");
    let model = "qubits 1\ninput x\nparam w = constant(0.3)\ncircuit {\n    ry(x) 0\n    ry(w) 0\n}\nmeasure expval(Z(0))\n\
                 train {\n    data csv(\"tiny.csv\", label = \"y\")\n    loss mse\n    optimizer adam(lr = 0.1)\n    epochs 5\n    batch 4\n    shuffle false\n}\n";
    std::fs::write(dir.join("tiny.qml"), model).expect("write model");
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&dir.join("tiny.qml")), "--out", path(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = json_lines(&output);

    // The model is <Z> after ry(x + w): cos(x + w). One batch per epoch, so each epoch's loss is
    // the batch loss before its Adam step.
    let (lr, beta1, beta2, eps) = (0.1, 0.9, 0.999, 1e-8);
    let (mut w, mut m, mut v) = (0.3f64, 0.0f64, 0.0f64);
    for epoch in 1..=5 {
        let n = rows.len() as f64;
        let loss: f64 = rows.iter().map(|(x, y)| ((x + w).cos() - y).powi(2)).sum::<f64>() / n;
        let grad: f64 = rows.iter().map(|(x, y)| 2.0 * ((x + w).cos() - y) * -(x + w).sin()).sum::<f64>() / n;
        m = beta1 * m + (1.0 - beta1) * grad;
        v = beta2 * v + (1.0 - beta2) * grad * grad;
        let m_hat = m / (1.0 - beta1.powi(epoch));
        let v_hat = v / (1.0 - beta2.powi(epoch));
        w -= lr * m_hat / (v_hat.sqrt() + eps);
        let reported = lines[epoch as usize - 1]["train_loss"].as_f64().expect("train_loss");
        assert!((reported - loss).abs() < 1e-9, "epoch {epoch}: {reported} vs {loss}");
        assert_eq!(lines[epoch as usize - 1]["test_loss"], Value::Null);
    }
    assert_eq!(lines[5]["done"], Value::Bool(true));
    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("params written")).expect("JSON");
    assert!((params["w"].as_f64().expect("w") - w).abs() < 1e-9);
    assert_eq!(params["meta"]["epochs_run"], 5);
}

#[test]
fn the_same_command_gives_the_same_run_on_one_thread_or_two() {
    let dir = scratch("repro");
    let run = |threads: &str, out: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .args(["train", "examples/hybrid_classifier.qml", "--epochs", "3", "--format", "json", "--out", path(out)])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0));
        let mut lines = json_lines(&output);
        for line in &mut lines {
            if let Value::Object(o) = line {
                o.remove("seconds");
                o.remove("params");
                if let Some(Value::Object(f)) = o.get_mut("final") {
                    f.remove("seconds");
                }
            }
        }
        let mut params: Value = serde_json::from_str(&std::fs::read_to_string(out).expect("written")).expect("JSON");
        params.as_object_mut().expect("object").remove("meta");
        (lines, params)
    };
    let one = run("1", &dir.join("one.json"));
    let two = run("2", &dir.join("two.json"));
    let again = run("2", &dir.join("again.json"));
    assert_eq!(one, two);
    assert_eq!(two, again);
    assert_eq!(one.0.len(), 4);
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-input regression model that trains on `csv_name` (two rows written beside it).
fn tiny_model(dir: &Path, csv_name: &str) -> PathBuf {
    std::fs::write(dir.join(csv_name), "x,y\n0.1,0.5\n0.7,-0.5\n").expect("write csv");
    let model = format!(
        "qubits 1\ninput x\nparam w\ncircuit {{\n    ry(x) 0\n    ry(w) 0\n}}\nmeasure expval(Z(0))\n\
         train {{\n    data csv(\"{csv_name}\", label = \"y\")\n    epochs 2\n}}\n"
    );
    let file = dir.join("tiny.qml");
    std::fs::write(&file, model).expect("write model");
    file
}

#[test]
fn an_out_path_that_is_a_model_file_is_refused_before_training() {
    let dir = scratch("out-qml");
    let model = tiny_model(&dir, "tiny.csv");
    let before = std::fs::read_to_string(&model).expect("model");
    let output = qmlc(&["train", path(&model), "--out", path(&model)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "error: --out `{}` would overwrite a model file (.qml); the trained params are JSON, written by default to `{}`\n",
            model.display(),
            dir.join("tiny.trained.json").display()
        )
    );
    assert!(output.stdout.is_empty(), "nothing trained");
    assert_eq!(std::fs::read_to_string(&model).expect("model"), before, "the model is untouched");
    let other = dir.join("other.QML");
    let output = qmlc(&["train", path(&model), "--out", path(&other)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!other.exists());
    let output = qmlc(&["train", path(&model), "--history", path(&model)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("error: --history"), "{}", stderr(&output));
}

#[test]
fn an_out_path_that_cannot_be_written_is_refused_before_training() {
    let dir = scratch("out-unwritable");
    let model = tiny_model(&dir, "tiny.csv");
    let missing = dir.join("no-such-dir").join("out.json");
    let output = qmlc(&["train", path(&model), "--out", path(&missing)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: cannot write --out `{}`: `{}` does not exist\n",
            missing.display(),
            dir.join("no-such-dir").display()
        )
    );
    assert!(output.stdout.is_empty(), "nothing trained: {}", String::from_utf8_lossy(&output.stdout));

    // A directory is a mistake of the command line, refused with the usage status.
    let output = qmlc(&["train", path(&model), "--out", path(&dir)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: --out `{}` is a directory; give the path of a file, such as `{}`\n",
            dir.display(),
            dir.join("tiny.trained.json").display()
        )
    );
    assert!(output.stdout.is_empty());

    let output = qmlc(&["train", path(&model), "--out", path(&dir.join("p.json")), "--history", path(&missing)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error: cannot write --history"), "{}", stderr(&output));
    assert!(!dir.join("p.json").exists(), "no params are written");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "the probe file is removed: {leftovers:?}");
}

#[test]
fn a_missing_data_file_in_a_later_block_fails_before_the_first_block_trains() {
    let dir = scratch("later-block");
    let model = tiny_model(&dir, "tiny.csv");
    let text = std::fs::read_to_string(&model).expect("model")
        + "train second {\n    data csv(\"absent.csv\", label = \"y\")\n    epochs 2\n}\n";
    std::fs::write(&model, text).expect("write model");
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model), "--out", path(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot read") && stderr(&output).contains("absent.csv"), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "block 1 did not train: {}", String::from_utf8_lossy(&output.stdout));
    assert!(!out.exists());
}

#[test]
fn zero_epochs_is_a_usage_error() {
    let dir = scratch("zero-epochs");
    let model = tiny_model(&dir, "tiny.csv");
    let output = qmlc(&["train", path(&model), "--epochs", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: invalid value '0' for '--epochs <N>'"), "{}", stderr(&output));
}

#[test]
fn predict_refuses_params_without_the_scaling_or_classes_training_wrote() {
    let dir = scratch("predict-meta");
    let params = dir.join("iris.json");
    let output = qmlc(&["train", "examples/iris.qml", "--epochs", "1", "--out", path(&params)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&params).expect("written")).expect("JSON");
    json.as_object_mut().expect("object").remove("meta");
    let bare = dir.join("bare.json");
    std::fs::write(&bare, json.to_string()).expect("write");
    let predict = |params: &Path| {
        qmlc(&["predict", "examples/iris.qml", "--params", path(params), "--data", "examples/data/iris_new.csv"])
    };
    let output = predict(&bare);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.starts_with(&format!("error[E0908]: {} lacks the feature scaling", bare.display())), "{message}");
    assert!(message.contains("that `qmlc train` writes"), "{message}");
    assert!(output.stdout.is_empty());

    // The scaling alone is not enough for cross_entropy: the class labels are needed too.
    let mut scaled_only: Value = serde_json::from_str(&std::fs::read_to_string(&params).expect("read")).expect("JSON");
    scaled_only["meta"]["data"]["classes"] = Value::Null;
    std::fs::write(&bare, scaled_only.to_string()).expect("write");
    let output = predict(&bare);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: {} lacks the class labels (`meta.data.classes`) that `qmlc train` writes, and the model's train \
             block uses `loss cross_entropy`; predict with the params file `qmlc train` wrote\n",
            bare.display()
        )
    );
    assert_eq!(predict(&params).status.code(), Some(0));
}

#[test]
fn predict_prints_numeric_classes_as_they_are_in_the_data() {
    let dir = scratch("predict-numeric");
    std::fs::write(dir.join("two.csv"), "a,b,label\n0.1,0.2,0\n0.3,0.1,1\n0.9,0.8,1\n").expect("write csv");
    let model = model_reading(&dir, "two.csv", 2, "cross_entropy", "");
    let params = dir.join("two.json");
    let output = qmlc(&["train", path(&model), "--out", path(&params)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = qmlc(&["predict", path(&model), "--params", path(&params), "--data", path(&dir.join("two.csv"))]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "  row   line  prediction        outputs");
    assert_eq!(lines.len(), 4, "{stdout}");
    for (row, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], (row + 1).to_string(), "{line}");
        assert_eq!(cells[1], (row + 2).to_string(), "{line}");
        assert!(cells[2] == "0" || cells[2] == "1", "a class label as in the data, not 1.0000: {line}");
    }
    let output = qmlc(&[
        "predict",
        path(&model),
        "--params",
        path(&params),
        "--data",
        path(&dir.join("two.csv")),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let label = &json["predictions"][0]["label"];
    assert!(label == &Value::from(0) || label == &Value::from(1), "{label}");
}

/// The test accuracy (or test loss) README.md states for each example.
#[test]
fn every_example_reaches_the_result_the_readme_states() {
    let dir = scratch("examples");
    let readme = std::fs::read_to_string("README.md").expect("README");
    let cases: [(&str, &str, f64); 9] = [
        ("hybrid_classifier", "test_accuracy", 0.88),
        ("reupload_classifier", "test_accuracy", 0.989),
        ("iris", "test_accuracy", 1.0),
        ("sine_regression", "test_loss", 0.0026),
        ("parity_classifier", "train_accuracy", 1.0),
        ("transfer_learning", "test_accuracy", 1.0),
        ("vqc_qiskit", "test_accuracy", 0.733),
        // The FCI energy of H2 at the demo's geometry, within 1e-5 Ha.
        ("vqe_h2", "objective", -1.136189),
        // Within 1e-3 of the maximum cut of the 4-node ring, 4.
        ("qaoa_maxcut", "objective", 3.9999),
    ];
    for (name, metric, stated) in cases {
        let shown = if metric.ends_with("accuracy") {
            format!("{:.1}%", stated * 100.0)
        } else {
            // The README writes a minus sign, not a hyphen.
            format!("{stated}").replace('-', "−")
        };
        // The figure must be on the example's own row of the table, not anywhere in the README.
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}.qml` |")))
            .unwrap_or_else(|| panic!("README's table has no row for {name}.qml"));
        let result = row.trim_end_matches('|').rsplit('|').next().unwrap_or("");
        assert!(result.contains(&shown), "README states {shown} for {name}, its row says: {result}");
        let out = dir.join(format!("{name}.json"));
        let output = qmlc(&["train", &format!("examples/{name}.qml"), "--format", "json", "--out", path(&out)]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let lines = json_lines(&output);
        let last = &lines[lines.len() - 2];
        let value = last[metric].as_f64().expect("metric");
        if metric.ends_with("accuracy") {
            assert!(value >= stated - 0.0005, "{name}: {metric} {value} is below the stated {shown}");
        } else if name == "vqe_h2" {
            assert!((value - stated).abs() < 1e-5, "{name}: the energy {value} is not within 1e-5 of {stated}");
        } else if name == "qaoa_maxcut" {
            assert!((value - stated).abs() < 1e-3, "{name}: the cut {value} is not within 1e-3 of {stated}");
        } else {
            assert!(value <= stated + 5e-5, "{name}: test loss {value} > {stated}");
        }
    }
}

/// After training, `run --measure probs` shows the two optimal cuts of the ring, 0101 and 1010,
/// as the most likely bitstrings (README.md and the example's comment say so).
#[test]
fn trained_qaoa_shows_the_two_optimal_cuts_as_the_most_likely_bitstrings() {
    let dir = scratch("qaoa-probs");
    let params = dir.join("qaoa.json");
    let trained = qmlc(&["train", "examples/qaoa_maxcut.qml", "--out", path(&params), "--format", "json"]);
    assert_eq!(trained.status.code(), Some(0), "{}", String::from_utf8_lossy(&trained.stderr));
    let output =
        qmlc(&["run", "examples/qaoa_maxcut.qml", "--params", path(&params), "--measure", "probs", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let probs: Vec<f64> =
        json["outputs"].as_array().expect("outputs").iter().map(|p| p.as_f64().expect("a number")).collect();
    assert_eq!(probs.len(), 16);
    let mut order: Vec<usize> = (0..16).collect();
    order.sort_by(|a, b| probs[*b].total_cmp(&probs[*a]));
    let mut top_two = [order[0], order[1]];
    top_two.sort();
    assert_eq!(top_two, [0b0101, 0b1010], "{probs:?}");
    assert!(probs[0b0101] > 0.45 && probs[0b1010] > 0.45, "{probs:?}");
}

/// Writes a model reading `csv_name` with `n_inputs` inputs and `loss`, and returns its path.
fn model_reading(dir: &Path, csv_name: &str, n_inputs: usize, loss: &str, head: &str) -> PathBuf {
    let model = format!(
        "qubits 2\ninput x[{n_inputs}]\nparam w[1, 2, 3]\ncircuit {{\n    angle_embedding(x) on 0..{}\n    strongly_entangling_layers(w)\n}}\nmeasure expval(Z(0)), expval(Z(1))\n{head}\ntrain {{\n    data csv(\"{csv_name}\", label = \"label\")\n    loss {loss}\n    epochs 1\n}}\n",
        n_inputs.min(2)
    );
    let file = dir.join(format!("{}.qml", csv_name.trim_end_matches(".csv")));
    std::fs::write(&file, model).expect("write model");
    file
}

#[test]
fn bad_data_files_are_errors_naming_file_line_and_column() {
    let dir = scratch("bad-data");
    let cases: [(&str, &str, usize, &str, &str); 5] = [
        (
            "no_label.csv",
            "a,b\n0.1,0.2\n",
            2,
            "cross_entropy",
            "there is no label column `label`; the columns are `a`, `b`",
        ),
        (
            "three_features.csv",
            "a,b,c,label\n0.1,0.2,0.3,0\n0.2,0.1,0.0,1\n",
            2,
            "cross_entropy",
            "three_features.csv, line 1: the header names 3 features (`a`, `b` and `c`), but the model's input has 2 values",
        ),
        ("empty.csv", "", 2, "cross_entropy", "empty"),
        ("not_a_number.csv", "a,b,label\n0.1,0.2,0\n0.3,abc,1\n", 2, "cross_entropy", "line 3, column 2"),
        (
            "three_classes.csv",
            "a,b,label\n0.1,0.2,0\n0.3,0.1,1\n0.5,0.5,2\n",
            2,
            "cross_entropy",
            "the labels have 3 distinct values (0, 1, 2), so cross_entropy needs 3 outputs, but the model has 2",
        ),
    ];
    for (csv_name, contents, n_inputs, loss, expected) in cases {
        std::fs::write(dir.join(csv_name), contents).expect("write csv");
        let model = model_reading(&dir, csv_name, n_inputs, loss, "");
        let output = qmlc(&["train", path(&model), "--out", path(&dir.join("out.json"))]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{csv_name}: {stderr}");
        assert!(stderr.starts_with("error[E0907]: "), "{csv_name}: a data error has its code: {stderr}");
        assert!(stderr.contains(csv_name), "{csv_name}: the error names the file: {stderr}");
        assert!(stderr.contains(expected), "{csv_name}: expected `{expected}` in: {stderr}");
    }
    assert!(!dir.join("out.json").exists(), "no params are written when the data is wrong");
}

#[test]
fn a_missing_data_file_is_an_error_naming_it() {
    let dir = scratch("missing-data");
    let model = model_reading(&dir, "nowhere.csv", 2, "cross_entropy", "");
    let output = qmlc(&["train", path(&model)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0907]: cannot read the data file `{}`: No such file or directory (os error 2)\n",
            dir.join("nowhere.csv").display()
        )
    );
}

#[test]
fn a_loss_that_is_not_finite_and_a_row_the_circuit_cannot_take_have_their_codes() {
    let dir = scratch("train-codes");
    std::fs::write(dir.join("tiny.csv"), "x,y\n0.1,0.5\n0.7,-0.5\n").expect("write csv");
    // A linear head stepped with an enormous learning rate sends the loss to infinity.
    let model = dir.join("diverging.qml");
    std::fs::write(
        &model,
        "qubits 1\ninput x\nparam w\ncircuit {\n    ry(x) 0\n    ry(w) 0\n}\nmeasure expval(Z(0))\nhead linear(1)\n\
         train {\n    data csv(\"tiny.csv\", label = \"y\")\n    optimizer sgd(lr = 1e300)\n    epochs 5\n}\n",
    )
    .expect("write model");
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model), "--out", path(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error[E0906]: the loss became inf in epoch 2, batch 1; a smaller learning rate or scaled features may help\n"
    );
    assert!(!out.exists(), "no params are written after a failed run");

    // An amplitude embedding of a row whose norm is not 1 fails with the simulator's code.
    std::fs::write(dir.join("amp.csv"), "x1,x2,y\n1,1,0.5\n0,0,-0.5\n").expect("write csv");
    let model = dir.join("amp.qml");
    std::fs::write(
        &model,
        "qubits 1\ninput x[2]\nparam w\ncircuit {\n    amplitude_embedding(x)\n    ry(w) 0\n}\nmeasure expval(Z(0))\n\
         train {\n    data csv(\"amp.csv\", label = \"y\")\n    epochs 2\n}\n",
    )
    .expect("write model");
    let output = qmlc(&["train", path(&model), "--out", path(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0903]: {}, line 2: amplitude_embedding: the amplitudes have norm 1.4142135623730951 but `normalize` is false\n",
            dir.join("amp.csv").display()
        )
    );
}

#[test]
fn predict_gives_the_iris_classes_of_new_rows() {
    let dir = scratch("predict");
    let params = dir.join("iris.json");
    assert_eq!(
        qmlc(&["train", "examples/iris.qml", "--out", path(&params), "--format", "json"]).status.code(),
        Some(0)
    );
    let output = qmlc(&[
        "predict",
        "examples/iris.qml",
        "--params",
        path(&params),
        "--data",
        "examples/data/iris_new.csv",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let labels: Vec<&str> =
        json["predictions"].as_array().expect("array").iter().map(|p| p["label"].as_str().expect("label")).collect();
    assert_eq!(labels, ["setosa", "virginica", "versicolor"]);
    // `row` counts the data rows from 1; `line` is where the row is in the file, after the header.
    assert_eq!(json["predictions"][0]["row"], 1);
    assert_eq!(json["predictions"][0]["line"], 2);
    assert_eq!(json["predictions"][2]["row"], 3);
    assert_eq!(json["predictions"][0]["outputs"].as_array().expect("outputs").len(), 3);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_after_the_current_batch_and_still_writes_the_params() {
    use std::io::{BufRead, BufReader};
    let dir = scratch("interrupt");
    let out = dir.join("partial.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args([
            "train",
            "examples/hybrid_classifier.qml",
            "--epochs",
            "100000",
            "--format",
            "json",
            "--out",
            path(&out),
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("an epoch line").expect("readable");
    assert!(first.contains("\"epoch\":1"));
    // SAFETY: sending SIGINT to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let rest: Vec<String> = lines.map(|l| l.expect("readable")).collect();
    let status = child.wait().expect("exits");
    // 130 (128 + SIGINT) says the run was cut short, although the params were written.
    assert_eq!(status.code(), Some(130));
    let done: Value = serde_json::from_str(rest.last().expect("a final line")).expect("JSON");
    assert_eq!(done["done"], true);
    assert_eq!(done["interrupted"], true);
    let params: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("params written")).expect("JSON");
    assert_eq!(params["meta"]["interrupted"], true);
    assert!(params["w"].is_array());
}

#[test]
fn train_plot_draws_loss_and_accuracy_per_epoch_as_svg() {
    let dir = crate::temp::TempDir::new("train-plot");
    let (out, plot, history) = (dir.join("p.json"), dir.join("chart.svg"), dir.join("h.csv"));
    let output = qmlc(&[
        "train",
        "examples/iris.qml",
        "--epochs",
        "3",
        "--out",
        path(&out),
        "--plot",
        path(&plot),
        "--history",
        path(&history),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&plot).expect("the chart was written");
    assert!(svg.starts_with("<svg width=\"800\" height=\"600\""), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.trim_end().ends_with("</svg>"));
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|element| element.split_once('>').and_then(|(_, rest)| rest.split("</text>").next()))
        .map(str::trim)
        .collect();
    for label in ["training iris.qml", "epoch", "loss", "accuracy", "train", "test"] {
        assert!(texts.contains(&label), "the chart shows `{label}`: {texts:?}");
    }
    // The four series (train and test, loss and accuracy) are polylines through one point per
    // epoch, at the losses the history file holds.
    let series: Vec<&str> = svg.split("<polyline").skip(1).filter(|line| line.contains("stroke-width=\"2\"")).collect();
    let data_series: Vec<&&str> = series.iter().filter(|line| points(line) == 3).collect();
    assert_eq!(data_series.len(), 4, "{series:?}");
    // Rendered to pixels (without fonts: resvg leaves text out), the chart is 800 × 600 and the
    // two panels' series are drawn: pixels of the train and test colours.
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("the SVG parses");
    let size = tree.size().to_int_size();
    assert_eq!((size.width(), size.height()), (800, 600));
    let mut pixmap = resvg::tiny_skia::Pixmap::new(800, 600).expect("a picture");
    resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    let count = |rgb: (u8, u8, u8)| {
        pixmap.pixels().iter().filter(|p| (p.red(), p.green(), p.blue()) == rgb && p.alpha() == 255).count()
    };
    assert!(count((31, 119, 180)) > 200, "the train series is drawn");
    assert!(count((255, 127, 14)) > 200, "the test series is drawn");
    let rows = std::fs::read_to_string(&history).expect("the history was written");
    assert_eq!(rows.lines().count(), 4, "{rows}");
    // A plot path that is the model is refused before training.
    let output = qmlc(&["train", "examples/iris.qml", "--plot", "examples/iris.qml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--plot `examples/iris.qml` would overwrite a model file"), "{}", stderr(&output));
}

/// The number of points of an SVG polyline element's text.
fn points(element: &str) -> usize {
    element
        .split("points=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map_or(0, |points| points.split_whitespace().count())
}

/// examples/vqc_qiskit.qml writes Qiskit's ZZFeatureMap and RealAmplitudes out gate for gate: its
/// state equals the state Qiskit 2.x builds from `zz_feature_map` and `real_amplitudes` at the
/// same features and angles, to 1e-9 (tests/fixtures/qiskit/vqc_state.py).
#[test]
fn the_qiskit_vqc_example_prepares_qiskits_state() {
    let reference: Value =
        serde_json::from_str(include_str!("../fixtures/qiskit/vqc_state.json")).expect("the reference");
    let numbers = |key: &str| -> Vec<f64> {
        reference[key].as_array().expect("an array").iter().map(|v| v.as_f64().expect("a number")).collect()
    };
    let dir = scratch("vqc-qiskit-state");
    let params = dir.join("params.json");
    std::fs::write(&params, serde_json::json!({ "theta": numbers("theta") }).to_string()).expect("write params");
    let x: Vec<String> = numbers("x").iter().map(|v| v.to_string()).collect();
    let input = format!("x={}", x.join(","));
    let output = qmlc(&[
        "run",
        "examples/vqc_qiskit.qml",
        "--params",
        path(&params),
        "--input",
        &input,
        "--measure",
        "state",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let amplitudes = json["measurements"][0]["values"].as_array().expect("amplitudes");
    let (re, im) = (numbers("state_re"), numbers("state_im"));
    assert_eq!(amplitudes.len(), 16);
    for (idx, amplitude) in amplitudes.iter().enumerate() {
        let (found_re, found_im) = (amplitude[0].as_f64().expect("re"), amplitude[1].as_f64().expect("im"));
        assert!(
            (found_re - re[idx]).abs() < 1e-9 && (found_im - im[idx]).abs() < 1e-9,
            "amplitude {idx}: ({found_re}, {found_im}) against Qiskit's ({}, {})",
            re[idx],
            im[idx]
        );
    }
}
