//! The losses and data control of LANGUAGE.md §10.6 and §10.7 through the binary: a fixed `test`
//! set, `columns` and `classes`, `features standardize` and its round trip through `predict`,
//! vector targets, `nll` and `bce`, each against numbers worked out by hand; and the `--history`
//! and `--plot` of an objective block, which name the objective as its JSON lines do.

use crate::temp::TempDir;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).output().expect("qmlc runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn succeeded(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or_else(|| panic!("a number, not {value}"))
}

fn params(file: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(file).expect("params written")).expect("JSON")
}

/// One qubit turned by ry(x[0]), ry(x[1]) and ry(w): the output is cos(x[0] + x[1] + w).
const TURNS: &str = "qubits 1\ninput x[2]\nparam w = constant(0.3)\ncircuit {\n    ry(x[0]) 0\n    ry(x[1]) 0\n    \
                     ry(w) 0\n}\nmeasure expval(Z(0))\n";

#[test]
fn a_standardized_test_set_with_columns_trains_and_predicts_as_training_prepared_it() {
    let dir = TempDir::new("standardize-test-set");
    // Training rows (a, b) = (1, 0) and (3, 4): means 2 and 2, population deviations 1 and 2.
    // `columns` keeps file order, so the features are [a, b] although the list says b first.
    dir.write("train.csv", "a,note,b,y\n1,first,0,0.5\n3,second,4,-0.25\n");
    dir.write("test.csv", "b,y,a,extra\n2,0.1,2.5,x\n-2,0.7,0,y\n");
    let model = format!(
        "{TURNS}train {{\n    data csv(\"train.csv\", label = \"y\", columns = [\"b\", \"a\"])\n    \
         test csv(\"test.csv\", label = \"y\", columns = [\"a\", \"b\"])\n    features standardize\n    loss mse\n    \
         optimizer sgd(lr = 0.1)\n    epochs 3\n    batch 2\n}}\n"
    );
    let model_file = dir.write("model.qml", model);
    let check = qmlc(&["check", path(&model_file)]);
    succeeded(&check);
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model_file), "--out", path(&out), "--format", "json"]);
    succeeded(&output);
    let lines = json_lines(&output);
    let trained = params(&out);
    let w = number(&trained["w"]);
    let data = &trained["meta"]["data"];
    assert_eq!(data["standardize"], serde_json::json!({"mean": [2.0, 2.0], "std": [1.0, 2.0]}));
    assert_eq!(data["scaling"], Value::Null);
    assert_eq!(data["columns"], serde_json::json!(["a", "b"]));
    assert_eq!(data["labels"], serde_json::json!(["y"]));

    // The test rows, standardized with the training rows' mean and deviation.
    let standardized = |a: f64, b: f64| (a - 2.0) / 1.0 + (b - 2.0) / 2.0;
    let test_rows = [(2.5, 2.0, 0.1), (0.0, -2.0, 0.7)];
    let expected_test_loss: f64 =
        test_rows.iter().map(|(a, b, y)| ((standardized(*a, *b) + w).cos() - y).powi(2)).sum::<f64>() / 2.0;
    let last = &lines[2];
    assert!((number(&last["test_loss"]) - expected_test_loss).abs() < 1e-9, "{last} vs {expected_test_loss}");

    // predict reads the test file, whose columns are in another order and include others, and
    // prepares each row exactly as training did.
    let predicted = qmlc(&[
        "predict",
        path(&model_file),
        "--params",
        path(&out),
        "--data",
        path(&dir.join("test.csv")),
        "--format",
        "json",
    ]);
    succeeded(&predicted);
    let predictions: Value = serde_json::from_slice(&predicted.stdout).expect("JSON");
    for (row, (a, b, _)) in predictions["predictions"].as_array().expect("rows").iter().zip(test_rows) {
        let output = number(&row["outputs"][0]);
        assert!((output - (standardized(a, b) + w).cos()).abs() < 1e-12, "{row}");
    }
    // run --input with the params file standardizes the raw features the same way.
    let run = qmlc(&["run", path(&model_file), "--params", path(&out), "--input", "x=2.5,2", "--format", "json"]);
    succeeded(&run);
    let run: Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert!((number(&run["outputs"][0]) - (standardized(2.5, 2.0) + w).cos()).abs() < 1e-12);
}

#[test]
fn iris_classes_and_columns_train_and_record_their_choice() {
    let dir = TempDir::new("iris-selection");
    let model = "qubits 2\ninput x[2]\nparam w[2] = constant(0.1)\ncircuit {\n    ry(x[0]) 0\n    ry(x[1]) 1\n    \
                 ry(w[0]) 0\n    ry(w[1]) 1\n}\nmeasure expval(Z(0)), expval(Z(1))\ntrain {\n    \
                 data iris(classes = [0, 1], columns = [2, 3])\n    test iris(classes = [0, 1], columns = [2, 3])\n    \
                 features scale(0, 1)\n    loss cross_entropy\n    epochs 1\n}\n";
    let model_file = dir.write("iris.qml", model);
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model_file), "--out", path(&out)]);
    succeeded(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("100 training rows, 100 test rows"), "{text}");
    let data = &params(&out)["meta"]["data"];
    assert_eq!(data["classes"], serde_json::json!(["setosa", "versicolor"]));
    assert_eq!(data["columns"], serde_json::json!(["petal_length", "petal_width"]));
    // predict takes the petal columns of a file with the whole table's header.
    dir.write("new.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");
    let predicted = qmlc(&[
        "predict",
        path(&model_file),
        "--params",
        path(&out),
        "--data",
        path(&dir.join("new.csv")),
        "--format",
        "json",
    ]);
    succeeded(&predicted);
    let predictions: Value = serde_json::from_slice(&predicted.stdout).expect("JSON");
    let label = &predictions["predictions"][0]["label"];
    assert!(label == "setosa" || label == "versicolor", "{label}");
}

#[test]
fn vector_targets_give_the_mean_over_every_element() {
    let dir = TempDir::new("vector-targets");
    let rows = [(0.2, 0.9, -0.1), (-0.5, 0.3, 0.6), (1.1, -0.7, 0.2)];
    let csv: String = std::iter::once("x,y1,y2".to_string())
        .chain(rows.iter().map(|(x, y1, y2)| format!("{x},{y1},{y2}")))
        .collect::<Vec<_>>()
        .join("\n");
    dir.write("pairs.csv", csv + "\n");
    let model =
        "qubits 2\ninput x\nparam w[2] = [0.3, -0.4]\ncircuit {\n    ry(x) 0\n    ry(w[0]) 0\n    ry(x) 1\n    \
                 ry(w[1]) 1\n}\nmeasure expval(Z(0)), expval(Z(1))\ntrain {\n    \
                 data csv(\"pairs.csv\", label = [\"y1\", \"y2\"])\n    loss mse\n    optimizer sgd(lr = 0.1)\n    \
                 epochs 2\n    batch 3\n    shuffle false\n}\n";
    let model_file = dir.write("pairs.qml", model);
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model_file), "--out", path(&out), "--format", "json"]);
    succeeded(&output);
    let lines = json_lines(&output);
    // The outputs are cos(x + w0) and cos(x + w1); MSELoss is the mean over the 3 × 2 entries,
    // and its gradient in w_k is the mean over rows of (2 / 2)(cos(x + w_k) − y_k)(−sin(x + w_k)).
    let mut w = [0.3f64, -0.4];
    for line in &lines[..2] {
        let loss: f64 = rows
            .iter()
            .map(|(x, y1, y2)| ((x + w[0]).cos() - y1).powi(2) + ((x + w[1]).cos() - y2).powi(2))
            .sum::<f64>()
            / 6.0;
        assert!((number(&line["train_loss"]) - loss).abs() < 1e-12, "{line} vs {loss}");
        assert_eq!(line["train_accuracy"], Value::Null);
        let targets = |row: &(f64, f64, f64), k: usize| if k == 0 { row.1 } else { row.2 };
        for (k, weight) in w.clone().iter().enumerate() {
            let gradient: f64 = rows
                .iter()
                .map(|row| ((row.0 + weight).cos() - targets(row, k)) * -(row.0 + weight).sin())
                .sum::<f64>()
                / 3.0;
            w[k] -= 0.1 * gradient;
        }
    }
    let trained = params(&out);
    for (k, weight) in w.iter().enumerate() {
        assert!((number(&trained["w"][k]) - weight).abs() < 1e-12);
    }
    assert_eq!(trained["meta"]["data"]["labels"], serde_json::json!(["y1", "y2"]));
}

#[test]
fn nll_on_probabilities_is_minus_the_log_of_the_labels_probability() {
    let dir = TempDir::new("nll");
    let rows = [(0.2, 0), (1.9, 1), (-0.4, 0), (2.4, 1)];
    let csv: String = std::iter::once("x,y".to_string())
        .chain(rows.iter().map(|(x, y)| format!("{x},{y}")))
        .collect::<Vec<_>>()
        .join("\n");
    dir.write("bits.csv", csv + "\n");
    let model = "qubits 1\ninput x\nparam w = constant(0.3)\ncircuit {\n    ry(x) 0\n    ry(w) 0\n}\n\
                 measure probs(0)\ntrain {\n    data csv(\"bits.csv\", label = \"y\")\n    loss nll\n    \
                 optimizer sgd(lr = 0.2)\n    epochs 1\n    batch 4\n}\n";
    let model_file = dir.write("nll.qml", model);
    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model_file), "--out", path(&out), "--format", "json"]);
    succeeded(&output);
    let lines = json_lines(&output);
    // p(0) = cos²((x + w) / 2), p(1) = sin²((x + w) / 2).
    let probability = |x: f64, label: i32, w: f64| {
        let half = (x + w) / 2.0;
        if label == 0 {
            half.cos().powi(2)
        } else {
            half.sin().powi(2)
        }
    };
    let loss: f64 = rows.iter().map(|(x, y)| -probability(*x, *y, 0.3).ln()).sum::<f64>() / 4.0;
    assert!((number(&lines[0]["train_loss"]) - loss).abs() < 1e-12, "{} vs {loss}", lines[0]);
    // d/dw −log cos²(h) = tan(h), d/dw −log sin²(h) = −cot(h), with h = (x + w) / 2.
    let gradient: f64 = rows
        .iter()
        .map(|(x, y)| {
            let half = (x + 0.3) / 2.0;
            if *y == 0 {
                half.tan()
            } else {
                -1.0 / half.tan()
            }
        })
        .sum::<f64>()
        / 4.0;
    assert!((number(&params(&out)["w"]) - (0.3 - 0.2 * gradient)).abs() < 1e-12);
    assert_eq!(params(&out)["meta"]["data"]["classes"], serde_json::json!([0.0, 1.0]));
}

#[test]
fn check_names_a_missing_column_and_the_header() {
    let dir = TempDir::new("missing-column");
    dir.write("d.csv", "a,b,y\n1,2,0\n");
    let model = format!("{TURNS}train {{\n    data csv(\"d.csv\", label = \"y\", columns = [\"a\", \"c\"])\n}}\n");
    let model_file = dir.write("m.qml", model);
    let output = qmlc(&["check", path(&model_file)]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("`d.csv` has no column `c`; its header (line 1) names `a`, `b`, `y`"), "{text}");
    let output = qmlc(&["train", path(&model_file), "--out", path(&dir.join("out.json"))]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_params_file_from_before_standardize_still_predicts_with_its_scaling() {
    let dir = TempDir::new("old-meta");
    let model = format!("{TURNS}train {{\n    data csv(\"d.csv\", label = \"y\")\n    features scale(0, 1)\n}}\n");
    let model_file = dir.write("m.qml", model);
    dir.write("d.csv", "a,b,y\n1,2,0\n");
    // The meta as `qmlc train` wrote it before `standardize`, `columns` and `labels` existed.
    let old = serde_json::json!({
        "w": 0.5,
        "meta": {"data": {"scaling": {"low": 0.0, "high": 1.0, "min": [0.0, 0.0], "max": [2.0, 4.0]}, "classes": null}}
    });
    let params_file = dir.write("old.json", old.to_string());
    let output = qmlc(&[
        "predict",
        path(&model_file),
        "--params",
        path(&params_file),
        "--data",
        path(&dir.join("d.csv")),
        "--format",
        "json",
    ]);
    succeeded(&output);
    let predictions: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let expected = (1.0 / 2.0 + 2.0 / 4.0 + 0.5f64).cos();
    assert!((number(&predictions["predictions"][0]["outputs"][0]) - expected).abs() < 1e-12, "{predictions}");
}

/// One qubit turned by ry(t): the objective is cos(t).
const ENERGY: &str = "qubits 1\nparam t = constant(0.5)\ncircuit { ry(t) 0 }\nmeasure expval(Z(0))\n";

#[test]
fn an_objective_runs_history_and_plot_name_the_objective_as_the_json_lines_do() {
    let dir = TempDir::new("objective-history");
    let model = format!("{ENERGY}train {{\n    maximize\n    optimizer sgd(lr = 0.2)\n    epochs 3\n}}\n");
    let model_file = dir.write("energy.qml", model);
    let (history, plot) = (dir.join("history.csv"), dir.join("plot.svg"));
    let output = qmlc(&[
        "train",
        path(&model_file),
        "--out",
        path(&dir.join("out.json")),
        "--history",
        path(&history),
        "--plot",
        path(&plot),
    ]);
    succeeded(&output);
    let csv = std::fs::read_to_string(&history).expect("the history is written");
    let rows: Vec<Vec<&str>> = csv.lines().map(|line| line.split(',').collect()).collect();
    // No loss or accuracy columns: an objective block has neither, as its JSON lines show.
    assert_eq!(rows[0], ["block", "epoch", "objective", "seconds"], "{csv}");
    assert_eq!(rows.len(), 4, "{csv}");
    // The first epoch's objective is cos(0.5) before the step, as it is (maximize is not negated);
    // sgd's step is t ← t + 0.2 · d cos(t)/dt = 0.5 − 0.2 sin(0.5).
    let objective = |row: usize| rows[row][2].parse::<f64>().expect("a number");
    assert!((objective(1) - 0.5f64.cos()).abs() < 1e-12, "{csv}");
    assert!((objective(2) - (0.5 - 0.2 * 0.5f64.sin()).cos()).abs() < 1e-12, "{csv}");
    let svg = std::fs::read_to_string(&plot).expect("the plot is written");
    // The SVG writes each text on its own line: the axis's label and the legend's.
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    assert_eq!(texts.iter().filter(|text| **text == "objective").count(), 2, "the axis and legend say objective");
    assert!(!texts.contains(&"loss") && !texts.contains(&"train"), "no loss axis or train legend");

    // An energy minimized from cos(0.5) towards −1 crosses zero: its tick there reads `0.0`.
    let model = format!("{ENERGY}train {{\n    minimize\n    optimizer sgd(lr = 0.2)\n    epochs 20\n}}\n");
    let model_file = dir.write("falling.qml", model);
    let output = qmlc(&["train", path(&model_file), "--out", path(&dir.join("falling.json")), "--plot", path(&plot)]);
    succeeded(&output);
    let svg = std::fs::read_to_string(&plot).expect("the plot is written");
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    assert!(texts.contains(&"0.0") && !texts.contains(&"-0.0"), "a tick at zero reads 0.0");
}

#[test]
fn a_run_with_a_loss_block_and_an_objective_block_has_every_column() {
    let dir = TempDir::new("mixed-history");
    // A CSV of labels only: the circuit without inputs fits a constant, then minimizes.
    dir.write("labels.csv", "y\n0.5\n-0.5\n");
    let model = format!(
        "{ENERGY}train fit {{\n    data csv(\"labels.csv\", label = \"y\")\n    loss mse\n    optimizer sgd(lr = 0.1)\n    \
         epochs 1\n    batch 2\n}}\ntrain energy {{\n    minimize\n    optimizer sgd(lr = 0.1)\n    epochs 1\n}}\n"
    );
    let model_file = dir.write("model.qml", model);
    let history = dir.join("history.csv");
    let output = qmlc(&["train", path(&model_file), "--out", path(&dir.join("out.json")), "--history", path(&history)]);
    succeeded(&output);
    let csv = std::fs::read_to_string(&history).expect("the history is written");
    let rows: Vec<Vec<&str>> = csv.lines().map(|line| line.split(',').collect()).collect();
    let header =
        ["block", "epoch", "objective", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "seconds"];
    assert_eq!(rows[0], header, "{csv}");
    // Each row fills the columns its block has: a loss, or an objective.
    assert_eq!(rows[1][..3], ["fit", "1", ""], "{csv}");
    assert!(rows[1][3].parse::<f64>().is_ok(), "{csv}");
    assert_eq!(rows[2][..2], ["energy", "1"], "{csv}");
    assert!(rows[2][2].parse::<f64>().is_ok() && rows[2][3..7].iter().all(|cell| cell.is_empty()), "{csv}");
}

#[test]
fn bce_is_the_mean_binary_cross_entropy_of_the_sigmoid_heads_output() {
    let dir = TempDir::new("bce");
    let rows: [([f64; 2], f64); 4] = [([0.1, 0.2], 0.0), ([1.5, -0.3], 1.0), ([-0.7, 0.4], 0.0), ([2.2, 0.9], 1.0)];
    let csv: String = std::iter::once("a,b,y".to_string())
        .chain(rows.iter().map(|([a, b], y)| format!("{a},{b},{y}")))
        .collect::<Vec<_>>()
        .join("\n");
    let data = dir.write("bits.csv", csv + "\n");
    let model = format!(
        "{TURNS}head linear(1), sigmoid\ntrain {{\n    data csv(\"bits.csv\", label = \"y\")\n    loss bce\n    \
         optimizer sgd(lr = 0.1)\n    epochs 1\n    batch 4\n}}\n"
    );
    let model_file = dir.write("bce.qml", model);
    // The initial params are given, so that the hand computation knows the head's weight and bias.
    let (w, weight, bias): (f64, f64, f64) = (0.3, 1.7, -0.4);
    let init =
        dir.write("init.json", format!("{{\"w\": {w}, \"head.0.weight\": [[{weight}]], \"head.0.bias\": [{bias}]}}"));

    // `run --data` gives p = sigmoid(weight · cos(a + b + w) + bias) per row.
    let output = qmlc(&["run", path(&model_file), "--params", path(&init), "--data", path(&data), "--format", "json"]);
    succeeded(&output);
    let run: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    let p: Vec<f64> = run["rows"].as_array().expect("rows").iter().map(|row| number(&row["outputs"][0])).collect();
    assert_eq!(p.len(), 4);
    for (([a, b], _), p) in rows.iter().zip(&p) {
        let expected = sigmoid(weight * (a + b + w).cos() + bias);
        assert!((p - expected).abs() < 1e-12, "{p} vs {expected}");
    }

    let out = dir.join("out.json");
    let output = qmlc(&["train", path(&model_file), "--init", path(&init), "--out", path(&out), "--format", "json"]);
    succeeded(&output);
    let lines = json_lines(&output);
    // One batch of every row: the epoch's loss is the mean of −[y log p + (1 − y) log(1 − p)] at
    // the initial params.
    let loss = rows.iter().zip(&p).map(|((_, y), p)| -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())).sum::<f64>() / 4.0;
    assert!((number(&lines[0]["train_loss"]) - loss).abs() < 1e-9, "{} vs {loss}", lines[0]);
    // Through the sigmoid, d loss / d z = p − y with z = weight · cos(s) + bias, s = a + b + w: one
    // sgd step moves each param by −0.1 times the batch mean of its gradient.
    let mean = |term: &dyn Fn(f64, f64) -> f64| {
        rows.iter().zip(&p).map(|(([a, b], y), p)| term(a + b + w, p - y)).sum::<f64>() / 4.0
    };
    let gradient_w = mean(&|s, error| error * -weight * s.sin());
    let gradient_weight = mean(&|s, error| error * s.cos());
    let gradient_bias = mean(&|_, error| error);
    let trained = params(&out);
    assert!((number(&trained["w"]) - (w - 0.1 * gradient_w)).abs() < 1e-9, "{trained}");
    assert!((number(&trained["head.0.weight"][0][0]) - (weight - 0.1 * gradient_weight)).abs() < 1e-9, "{trained}");
    assert!((number(&trained["head.0.bias"][0]) - (bias - 0.1 * gradient_bias)).abs() < 1e-9, "{trained}");
}
