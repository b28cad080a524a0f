//! `qmlc grad --check`: the Jacobian by every method, side by side, and the largest disagreement
//! against the adjoint method, with exit status 1 above the tolerances of the language's §7
//! (parameter shift 1e-8, finite differences 1e-5, on exact execution). For a model with encode
//! layers the circuit's inputs are compared too, as the params after the circuit's own: their
//! derivatives are what `grad` carries back to the encode layers' tensors.

use super::evaluate::{memory_budget, prepare, report_sim_error, EvaluateOptions, GradCircuit};
use super::{Format, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use qmlc::grad::{GradError, GradOptions, Jacobian};
use qmlc::ir::{Circuit, GradientMethod};
use serde_json::{json, Value};

/// Each method checked against the adjoint method, with the tolerance it must meet.
const CHECKED: [(GradientMethod, f64); 2] =
    [(GradientMethod::ParameterShift, 1e-8), (GradientMethod::FiniteDiff, 1e-5)];

/// The largest difference of one method from the reference.
struct Disagreement {
    method: GradientMethod,
    tolerance: f64,
    largest: f64,
    output_idx: usize,
    param_idx: usize,
}

pub fn run(options: &EvaluateOptions) -> u8 {
    if options.shots.is_some() || options.data.is_some() {
        eprintln!("error: `grad --check` compares exact Jacobians of one input; it takes neither --shots nor --data");
        return EXIT_USAGE;
    }
    let budget = match memory_budget() {
        Ok(budget) => budget,
        Err(status) => return status,
    };
    let prepared = match prepare(options) {
        Ok(prepared) => prepared,
        Err(status) => return status,
    };
    let differentiated = GradCircuit::new(&prepared.model.circuit, &prepared.head);
    let circuit = differentiated.circuit();
    let grad_options = GradOptions { memory: budget, ..GradOptions::default() };
    let mut jacobians = Vec::new();
    for method in [GradientMethod::Adjoint, GradientMethod::ParameterShift, GradientMethod::FiniteDiff] {
        let jacobian = differentiated.jacobian(
            &prepared.head,
            &prepared.features,
            &prepared.values.circuit,
            method,
            None,
            grad_options,
        );
        match jacobian {
            Ok(jacobian) => jacobians.push((method, jacobian.jacobian)),
            Err(GradError::Sim(error)) => return report_sim_error(&prepared.model, &error),
            Err(error) => {
                eprintln!("error: {error}");
                return EXIT_INPUT;
            }
        }
    }
    let reference = &jacobians[0].1;
    let disagreements: Vec<Disagreement> = CHECKED
        .iter()
        .zip(&jacobians[1..])
        .map(|(&(method, tolerance), (_, jacobian))| largest_difference(method, tolerance, reference, jacobian))
        .collect();
    let agree = disagreements.iter().all(|d| d.largest <= d.tolerance);
    match options.format {
        Format::Json => {
            let methods: serde_json::Map<String, Value> =
                jacobians.iter().map(|(method, jacobian)| (method.name().to_string(), json!(rows(jacobian)))).collect();
            let checks: Vec<Value> = disagreements
                .iter()
                .map(|d| {
                    json!({
                        "method": d.method.name(),
                        "reference": "adjoint",
                        "largest_difference": d.largest,
                        "tolerance": d.tolerance,
                        "output": d.output_idx,
                        "param": param_name(circuit, d.param_idx),
                        "ok": d.largest <= d.tolerance,
                    })
                })
                .collect();
            println!(
                "{}",
                json!({"params": param_names(circuit), "jacobians": methods, "checks": checks, "ok": agree})
            );
        }
        Format::Human => {
            let with_inputs = prepared.head.n_features().is_some();
            print!("{}", human(circuit, &jacobians, &disagreements, agree, with_inputs))
        }
    }
    if agree {
        EXIT_OK
    } else {
        EXIT_INPUT
    }
}

fn largest_difference(method: GradientMethod, tolerance: f64, reference: &Jacobian, other: &Jacobian) -> Disagreement {
    let mut worst = Disagreement { method, tolerance, largest: 0.0, output_idx: 0, param_idx: 0 };
    for output_idx in 0..reference.n_outputs {
        for param_idx in 0..reference.n_params {
            let difference = (reference.get(output_idx, param_idx) - other.get(output_idx, param_idx)).abs();
            // A NaN is the worst disagreement there is.
            if difference > worst.largest || difference.is_nan() {
                worst = Disagreement { largest: difference, output_idx, param_idx, ..worst };
                if difference.is_nan() {
                    return worst;
                }
            }
        }
    }
    worst
}

/// The Jacobian as rows, one per output.
fn rows(jacobian: &Jacobian) -> Vec<Vec<f64>> {
    (0..jacobian.n_outputs).map(|o| (0..jacobian.n_params).map(|p| jacobian.get(o, p)).collect()).collect()
}

/// The source name of each scalar param: `w[1, 0, 2]`, or `b` for a scalar.
fn param_names(circuit: &Circuit) -> Vec<String> {
    let variables: Vec<&qmlc::ir::Variable> = circuit.params.iter().map(|param| &param.variable).collect();
    (0..circuit.n_params()).map(|param_idx| qmlc::ir::element_name(&variables, param_idx, ", ")).collect()
}

fn param_name(circuit: &Circuit, param_idx: usize) -> String {
    let variables: Vec<&qmlc::ir::Variable> = circuit.params.iter().map(|param| &param.variable).collect();
    qmlc::ir::element_name(&variables, param_idx, ", ")
}

fn human(
    circuit: &Circuit,
    jacobians: &[(GradientMethod, Jacobian)],
    disagreements: &[Disagreement],
    agree: bool,
    with_inputs: bool,
) -> String {
    let names = param_names(circuit);
    let name_width = names.iter().map(|name| name.chars().count()).max().unwrap_or(0).max(5);
    let reference = &jacobians[0].1;
    let outputs =
        if reference.n_outputs == 1 { "1 output".to_string() } else { format!("{} outputs", reference.n_outputs) };
    let params = if reference.n_params == 1 { "1 param".to_string() } else { format!("{} params", reference.n_params) };
    let mut out = format!("the Jacobian of {outputs} (before the head) by {params}, by each method:\n");
    if with_inputs {
        out.push_str("(the circuit's inputs follow its params: the encode layers' gradients go through them)\n");
    }
    out.push_str(&format!("  {:<name_width$}  {:>6}", "param", "output"));
    for (method, _) in jacobians {
        out.push_str(&format!("  {:>22}", method.name()));
    }
    out.push('\n');
    for (param_idx, name) in names.iter().enumerate() {
        for output_idx in 0..reference.n_outputs {
            out.push_str(&format!("  {name:<name_width$}  {output_idx:>6}"));
            for (_, jacobian) in jacobians {
                out.push_str(&format!("  {:>22.15e}", jacobian.get(output_idx, param_idx)));
            }
            out.push('\n');
        }
    }
    for d in disagreements {
        let verdict = if d.largest <= d.tolerance { "ok" } else { "TOO LARGE" };
        let at = if reference.n_params == 0 {
            String::new()
        } else {
            format!(" at d output {} / d {}", d.output_idx, names[d.param_idx])
        };
        out.push_str(&format!(
            "{} vs adjoint: largest difference {:.1e}{at} (tolerance {:.0e}): {verdict}\n",
            d.method.name(),
            d.largest,
            d.tolerance
        ));
    }
    out.push_str(if agree { "the methods agree\n" } else { "the methods disagree\n" });
    out
}
