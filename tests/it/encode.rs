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
