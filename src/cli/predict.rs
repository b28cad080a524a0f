//! `qmlc predict`: one prediction, and the model's outputs, per row of a CSV file.

use super::evaluate::model_outputs;
use super::model::load;
use super::train::{model_and_head, read_preparation};
use super::{Format, EXIT_INPUT, EXIT_OK};
use crate::ir::{DataSource, Loss};
use crate::sim;
use crate::train;
use serde_json::{json, Value};
use std::path::PathBuf;

pub struct PredictOptions {
    pub file: PathBuf,
    pub params: PathBuf,
    pub data: PathBuf,
    pub format: Format,
}

pub fn run(options: &PredictOptions) -> u8 {
    match predict(options) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_INPUT
        }
    }
}

fn predict(options: &PredictOptions) -> Result<u8, String> {
    let model = match load(&options.file, options.format == Format::Json) {
        Ok(model) => model,
        Err(status) => return Ok(status),
    };
    let (values, head) = model_and_head(&model, &options.params)?;
    let (scaling, classes) = read_preparation(&options.params)?;
    let block = model.circuit.train.first();
    let label_column = match block.map(|b| &b.data) {
        Some(DataSource::Csv { label, .. }) => label.clone(),
        _ => "label".to_string(),
    };
    let loss = block.map(|b| b.loss);
    let text =
        std::fs::read_to_string(&options.data).map_err(|e| format!("cannot read `{}`: {e}", options.data.display()))?;
    let source = options.data.display().to_string();
    let dataset = train::features_from_csv(&text, &source, Some(&label_column)).map_err(|e| e.to_string())?;
    let n_inputs = model.circuit.n_inputs();
    if dataset.n_features() != n_inputs {
        return Err(format!(
            "{source}: the rows have {} feature{} but the model takes {n_inputs} input value{}",
            dataset.n_features(),
            if dataset.n_features() == 1 { "" } else { "s" },
            if n_inputs == 1 { "" } else { "s" }
        ));
    }
    let mut predictions = Vec::with_capacity(dataset.n_rows());
    for (row_idx, features) in dataset.features.iter().enumerate() {
        let mut features = features.clone();
        if let Some(scaling) = &scaling {
            scaling.apply(&mut features);
        }
        let execution = sim::execute(&model.circuit, &features, &values.circuit, None)
            .map_err(|e| format!("{}: {e}", dataset.row_location(row_idx)))?;
        let outputs = model_outputs(&head, &execution.outputs);
        let label = match (loss, &classes) {
            (Some(Loss::CrossEntropy), Some(classes)) => {
                train::loss::argmax(&outputs).and_then(|k| classes.get(k).cloned()).unwrap_or(Value::Null)
            }
            (Some(Loss::Hinge), _) => json!(if outputs.first().copied().unwrap_or(0.0) > 0.0 { 1 } else { -1 }),
            _ if outputs.len() > 1 => json!(train::loss::argmax(&outputs)),
            _ => json!(outputs.first()),
        };
        let row = dataset.lines.get(row_idx).copied().unwrap_or(row_idx + 1);
        predictions.push(json!({"row": row, "outputs": outputs, "label": label}));
    }
    match options.format {
        Format::Json => println!("{}", json!({ "predictions": predictions })),
        Format::Human => {
            println!("{:>6}  {:<16}  outputs", "line", "prediction");
            for prediction in &predictions {
                let label = match &prediction["label"] {
                    Value::String(s) => s.clone(),
                    Value::Number(n) if n.is_f64() => format!("{:.4}", n.as_f64().unwrap_or(f64::NAN)),
                    other => other.to_string(),
                };
                let outputs: Vec<String> = prediction["outputs"]
                    .as_array()
                    .map(|a| a.iter().map(|v| format!("{:.4}", v.as_f64().unwrap_or(f64::NAN))).collect())
                    .unwrap_or_default();
                println!("{:>6}  {:<16}  [{}]", prediction["row"].as_u64().unwrap_or(0), label, outputs.join(", "));
            }
        }
    }
    Ok(EXIT_OK)
}
