//! Central finite differences, for checking the other methods: (f(p + h) − f(p − h)) / 2h per param.
//!
//! With shots, both sides of a difference use the run's seed (common random numbers), which keeps
//! the estimate deterministic and its noise as small as sampling allows.

use crate::grad::{zero_jacobian, GradError, Jacobian};
use crate::sim::{MemoryBudget, Plan, Shots, PARALLEL_MIN_QUBITS};
use rayon::prelude::*;

/// The Jacobian by central differences with step `step`.
pub(crate) fn jacobian(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    shots: Option<Shots>,
    step: f64,
    budget: MemoryBudget,
) -> Result<Jacobian, GradError> {
    if !(step.is_finite() && step > 0.0) {
        return Err(GradError::InvalidStep { step });
    }
    let circuit = plan.circuit();
    let base = plan.execute(inputs, params, shots, budget)?;
    let n_params = params.len();
    let column = |param_idx: usize| -> Result<Vec<f64>, GradError> {
        let mut shifted = params.to_vec();
        shifted[param_idx] = params[param_idx] + step;
        let plus = plan.execute(inputs, &shifted, shots, budget)?.outputs;
        shifted[param_idx] = params[param_idx] - step;
        let minus = plan.execute(inputs, &shifted, shots, budget)?.outputs;
        Ok(plus.iter().zip(&minus).map(|(plus, minus)| (plus - minus) / (2.0 * step)).collect())
    };
    let columns: Vec<Vec<f64>> = if circuit.n_qubits < PARALLEL_MIN_QUBITS {
        (0..n_params).into_par_iter().map(column).collect::<Result<_, _>>()?
    } else {
        (0..n_params).map(column).collect::<Result<_, _>>()?
    };
    let mut result = zero_jacobian(base.outputs, n_params);
    for (param_idx, column) in columns.into_iter().enumerate() {
        for (output_idx, derivative) in column.into_iter().enumerate() {
            result.values[output_idx * n_params + param_idx] = derivative;
        }
    }
    Ok(result)
}
