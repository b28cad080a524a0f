//! `qmlc predict`: one prediction, and the model's outputs, per row of a CSV file.

use super::evaluate::model_outputs;
use super::model::load;
use super::train::{model_and_head, read_preparation, Preparation};
use super::{Format, EXIT_INPUT, EXIT_OK};
use crate::ir::{DataSource, Features, Loss};
use crate::sim;
use crate::train::{self, DataError};
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

/// One row's prediction: its 1-based row number among the data rows, the file line it is on,
/// the model's outputs and the predicted label.
struct Prediction {
    row: usize,
    line: usize,
    outputs: Vec<f64>,
    label: Value,
    /// The label as the human table shows it: class labels as they are (`1`, `setosa`), a
    /// regression output to four decimals.
    label_text: String,
}

fn predict(options: &PredictOptions) -> Result<u8, String> {
    let model = match load(&options.file, options.format == Format::Json) {
        Ok(model) => model,
        Err(status) => return Ok(status),
    };
    let (values, head) = model_and_head(&model, &options.params)?;
    let Preparation { scaling, classes } = read_preparation(&options.params)?;
    let block = model.circuit.train.first();
    let params_name = options.params.display();
    // Without the scaling or the classes that training recorded, every prediction would be
    // silently wrong, so a params file that lacks what the train block implies is refused.
    if let Some(Features::Scale(low, high)) = block.map(|b| b.features) {
        if scaling.is_none() {
            return Err(format!(
                "{params_name} lacks the feature scaling (`meta.data.scaling`) that `qmlc train` writes, and the \
                 model's train block scales its features (`features scale({low}, {high})`); predict with the params \
                 file `qmlc train` wrote"
            ));
        }
    }
    if block.map(|b| b.loss) == Some(Loss::CrossEntropy) && classes.is_none() {
        return Err(format!(
            "{params_name} lacks the class labels (`meta.data.classes`) that `qmlc train` writes, and the model's \
             train block uses `loss cross_entropy`; predict with the params file `qmlc train` wrote"
        ));
    }
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
        return Err(DataError::FeatureCount {
            source,
            header_line: dataset.header_line,
            columns: dataset.feature_names.clone(),
            expected: n_inputs,
        }
        .to_string());
    }
    if let Some(scaling) = &scaling {
        if scaling.min.len() != n_inputs || scaling.max.len() != n_inputs {
            return Err(format!(
                "{params_name}: meta.data.scaling has ranges for {} features, but the model's input has {n_inputs} values",
                scaling.min.len().min(scaling.max.len())
            ));
        }
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
        let (label, label_text) = match (loss, &classes) {
            (Some(Loss::CrossEntropy), Some(classes)) => {
                let label = train::loss::argmax(&outputs).and_then(|k| classes.get(k)).map_or(Value::Null, class_label);
                let text = match &label {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (label, text)
            }
            (Some(Loss::Hinge), _) => {
                let sign = if outputs.first().copied().unwrap_or(0.0) > 0.0 { 1 } else { -1 };
                (json!(sign), sign.to_string())
            }
            _ if outputs.len() > 1 => {
                let class_idx = train::loss::argmax(&outputs);
                (json!(class_idx), class_idx.map_or_else(|| "null".to_string(), |k| k.to_string()))
            }
            _ => {
                let output = outputs.first().copied();
                (json!(output), output.map_or_else(|| "null".to_string(), |x| format!("{x:.4}")))
            }
        };
        let line = dataset.lines.get(row_idx).copied().unwrap_or(row_idx + 1);
        predictions.push(Prediction { row: row_idx + 1, line, outputs, label, label_text });
    }
    match options.format {
        Format::Json => {
            let rows: Vec<Value> = predictions
                .iter()
                .map(|p| json!({"row": p.row, "line": p.line, "outputs": p.outputs, "label": p.label}))
                .collect();
            println!("{}", json!({ "predictions": rows }));
        }
        Format::Human => print!("{}", human_table(&predictions)),
    }
    Ok(EXIT_OK)
}

/// A class label as JSON: a whole number as an integer (`1`, not `1.0`), anything else as it is.
fn class_label(label: &Value) -> Value {
    match label.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(x as i64),
        _ => label.clone(),
    }
}

/// The predictions as a table: row, file line, prediction and outputs.
fn human_table(predictions: &[Prediction]) -> String {
    let mut out = format!("{:>5}  {:>5}  {:<16}  outputs\n", "row", "line", "prediction");
    for prediction in predictions {
        let outputs: Vec<String> = prediction.outputs.iter().map(|x| format!("{x:.4}")).collect();
        out.push_str(&format!(
            "{:>5}  {:>5}  {:<16}  [{}]\n",
            prediction.row,
            prediction.line,
            prediction.label_text,
            outputs.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_number_class_labels_print_without_decimals() {
        assert_eq!(class_label(&json!(1.0)), json!(1));
        assert_eq!(class_label(&json!(-2.0)), json!(-2));
        assert_eq!(class_label(&json!(2.5)), json!(2.5));
        assert_eq!(class_label(&json!("setosa")), json!("setosa"));
        let prediction =
            Prediction { row: 1, line: 2, outputs: vec![0.25, 0.75], label: json!(1), label_text: "1".to_string() };
        assert_eq!(
            human_table(&[prediction]),
            "  row   line  prediction        outputs\n    1      2  1                 [0.2500, 0.7500]\n"
        );
    }
}
