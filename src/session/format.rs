//! The session's results as text: measured values, the state's amplitudes, probabilities, params and Jacobians.
//!
//! Numbers are printed as `qmlc run` and `qmlc grad` print them (ten decimals for values, eight
//! for derivatives), so a session and a command can be compared by eye.

use crate::ir::{Circuit, Measurement};
use crate::sim::{MeasurementValues, State};
use std::collections::BTreeMap;

/// A basis state's label: `index` as `width` bits, wire 0 first (the most significant bit).
pub(super) fn bits(index: usize, width: usize) -> String {
    (0..width).rev().map(|bit| if index >> bit & 1 == 1 { '1' } else { '0' }).collect()
}

/// Each measurement's values, as `qmlc run` prints them.
pub(super) fn measurements(measurements: &[Measurement], values: &[MeasurementValues]) -> String {
    let mut out = String::new();
    for (measurement, values) in measurements.iter().zip(values) {
        match (measurement, values) {
            (Measurement::Probs(wires), MeasurementValues::Real(probabilities)) => {
                out.push_str(&format!("{}:\n", measurement.describe()));
                out.push_str(&probability_table(probabilities, wires.len()));
            }
            (Measurement::State, MeasurementValues::Complex(amplitudes)) => {
                out.push_str("state (nonzero amplitudes):\n");
                out.push_str(&amplitude_table(amplitudes));
            }
            (Measurement::Sample(_), MeasurementValues::Real(samples)) => {
                let shown: Vec<String> = samples.iter().take(20).map(|sample| format!("{sample}")).collect();
                out.push_str(&format!("sample({}): [{}]\n", measurement.describe(), shown.join(", ")));
            }
            (_, MeasurementValues::Real(value)) => out.push_str(&format!(
                "{}({}) = {:.10}\n",
                measurement.kind(),
                measurement.describe(),
                value.first().copied().unwrap_or(f64::NAN)
            )),
            (_, MeasurementValues::Complex(_)) => {}
        }
    }
    out
}

/// `  |01⟩  0.5000000000`, a line per basis state.
pub(super) fn probability_table(probabilities: &[f64], width: usize) -> String {
    probabilities
        .iter()
        .enumerate()
        .map(|(index, probability)| format!("  |{}⟩  {probability:.10}\n", bits(index, width)))
        .collect()
}

/// The nonzero amplitudes with their basis labels.
pub(super) fn amplitude_table(amplitudes: &[num_complex::Complex64]) -> String {
    let width = amplitudes.len().trailing_zeros() as usize;
    amplitudes
        .iter()
        .enumerate()
        .filter(|(_, amplitude)| amplitude.norm() > 1e-12)
        .map(|(index, amplitude)| format!("  |{}⟩  {:+.10} {:+.10}i\n", bits(index, width), amplitude.re, amplitude.im))
        .collect()
}

/// The state's nonzero amplitudes (`:state`).
pub(super) fn state(state: &State) -> String {
    format!("state (nonzero amplitudes):\n{}", amplitude_table(state.amplitudes()))
}

/// Params and inputs with their values (`:params`).
pub(super) fn values(circuit: Option<&Circuit>, values: &BTreeMap<String, Vec<f64>>) -> String {
    let Some(circuit) = circuit else { return "no params or inputs\n".to_string() };
    let mut out = String::new();
    let mut line = |kind: &str, name: &str, shape: &[usize]| {
        let value = values.get(name).map_or_else(|| "?".to_string(), |v| super::program::literal(v, shape));
        out.push_str(&format!("{kind} {name}{} = {value}\n", super::shape_text(shape)));
    };
    for param in &circuit.params {
        line("param", &param.variable.name, &param.variable.shape);
    }
    for input in &circuit.inputs {
        line("input", &input.name, &input.shape);
    }
    if out.is_empty() {
        out.push_str("no params or inputs\n");
    }
    out
}

/// The Jacobian by param, a line per output, as `qmlc grad` prints it.
pub(super) fn jacobian(circuit: &Circuit, jacobian: &crate::grad::Jacobian) -> String {
    let mut out = String::new();
    for param in &circuit.params {
        out.push_str(&format!("  d outputs / d {}:\n", param.variable.name));
        for output in 0..jacobian.n_outputs {
            let row: Vec<String> = (param.variable.offset..param.variable.offset + param.variable.size())
                .map(|index| format!("{:.8}", jacobian.get(output, index)))
                .collect();
            out.push_str(&format!("    output {output}: [{}]\n", row.join(", ")));
        }
    }
    out
}
