//! The memory a Jacobian needs by each method, counted before any state is allocated.
//!
//! The adjoint method holds the forward state, a running copy and a batch of cotangent states
//! (one more while a variance's cotangent is built); parameter shift and finite differences run
//! whole executions, side by side on rayon's threads for registers below
//! [`PARALLEL_MIN_QUBITS`] and one at a time above. Both also keep the Jacobian itself.

use crate::grad::shift_rule;
use crate::ir::{Circuit, GradientMethod, Measurement, Op};
use crate::sim::memory::{execution_need, probabilities_bytes};
use crate::sim::{MemoryNeed, Shots, PARALLEL_MIN_QUBITS};

/// The bytes [`crate::grad::jacobian`] needs for `circuit` by `method` with these shots (`Auto`
/// meaning adjoint without shots and parameter shift with them), on the current rayon pool. The
/// tests read it; the methods themselves check [`named_need`] against their budget.
#[cfg(test)]
pub(crate) fn bytes_needed(circuit: &Circuit, method: GradientMethod, shots: Option<Shots>) -> u128 {
    named_need(circuit, method, shots).1.bytes()
}

/// The need and how a message names the work.
pub(crate) fn named_need(
    circuit: &Circuit,
    method: GradientMethod,
    shots: Option<Shots>,
) -> (&'static str, MemoryNeed) {
    match (super::resolve_auto(method, circuit, shots), shots) {
        (GradientMethod::Adjoint | GradientMethod::Auto, None) => ("the adjoint Jacobian", adjoint_need(circuit, 1, 1)),
        (GradientMethod::FiniteDiff, _) => ("the finite-difference Jacobian", finite_diff_need(circuit)),
        _ => ("the parameter-shift Jacobian", shift_need(circuit, shots)),
    }
}

/// The adjoint method with `batch_size` cotangent states at a time, swept by `running_copies`
/// workers with a copy of the state each.
pub(crate) fn adjoint_need(circuit: &Circuit, batch_size: usize, running_copies: usize) -> MemoryNeed {
    let n_qubits = circuit.n_qubits;
    let states = |count: u128| MemoryNeed { n_qubits, state_vectors: count, other_bytes: 0 };
    let bytes = |other_bytes: u128| MemoryNeed { n_qubits, state_vectors: 0, other_bytes };
    // Measuring the outputs: a variance applies its observable to a copy; probs sum into a buffer.
    let mut measuring = states(0);
    let mut any_var = false;
    for measurement in &circuit.measurements {
        match measurement {
            Measurement::Var(_) => {
                any_var = true;
                measuring = measuring.max(states(1));
            }
            Measurement::Probs(wires) => measuring = measuring.max(bytes(probabilities_bytes(n_qubits, wires.len()))),
            _ => {}
        }
    }
    // The sweep: the running copies of the state, the batch, and O|ψ> while a variance's
    // cotangent O²ψ − 2⟨O⟩Oψ is built.
    let sweep = states(running_copies.max(1) as u128 + batch_size as u128 + u128::from(any_var));
    states(1).plus(measuring.max(sweep)).plus(bytes(jacobian_bytes(circuit, batch_size)))
}

/// The bytes of the Jacobian, its rows for one batch and the outputs.
fn jacobian_bytes(circuit: &Circuit, rows_at_once: usize) -> u128 {
    let n_outputs = circuit.n_measured_outputs().unwrap_or(0) as u128;
    let n_params = circuit.n_params() as u128;
    let row_bytes = n_params.saturating_mul(8);
    n_outputs.saturating_add(rows_at_once as u128).saturating_mul(row_bytes).saturating_add(n_outputs * 8)
}

/// How many evaluations run at once: one per thread below [`PARALLEL_MIN_QUBITS`] (at most one
/// per job), one above, where each evaluation's kernels use every thread.
fn side_by_side(n_qubits: usize, n_jobs: usize) -> u128 {
    if n_qubits < PARALLEL_MIN_QUBITS {
        rayon::current_num_threads().min(n_jobs).max(1) as u128
    } else {
        1
    }
}

/// Parameter shift: the unshifted execution, then the shifted ones side by side, and the
/// linear outputs of every shifted circuit until they are combined.
fn shift_need(circuit: &Circuit, shots: Option<Shots>) -> MemoryNeed {
    let mut n_jobs = 0usize;
    for op in &circuit.ops {
        let Op::Gate(gate) = op else { continue };
        for (slot, angle) in gate.angles.iter().enumerate() {
            if angle.params().is_empty() || gate.kind.n_angles() == 0 {
                continue;
            }
            n_jobs += shift_rule(gate, slot).terms().len();
        }
    }
    let evaluation = execution_need(circuit, shots);
    let n_linear = circuit.n_measured_outputs().unwrap_or(0)
        + circuit.measurements.iter().filter(|m| matches!(m, Measurement::Var(_))).count();
    let results = (n_jobs as u128 + 1).saturating_mul(n_linear as u128).saturating_mul(8);
    let linear_jacobian = (n_linear as u128).saturating_mul(circuit.n_params() as u128).saturating_mul(8);
    let buffers = MemoryNeed { n_qubits: circuit.n_qubits, state_vectors: 0, other_bytes: results + linear_jacobian };
    evaluation.times(side_by_side(circuit.n_qubits, n_jobs)).plus(buffers).plus(MemoryNeed {
        n_qubits: circuit.n_qubits,
        state_vectors: 0,
        other_bytes: jacobian_bytes(circuit, 0),
    })
}

/// Finite differences: the unshifted execution, then a column per param side by side.
fn finite_diff_need(circuit: &Circuit) -> MemoryNeed {
    let n_params = circuit.n_params();
    let evaluation = execution_need(circuit, None);
    let per_column = MemoryNeed { n_qubits: circuit.n_qubits, state_vectors: 0, other_bytes: n_params as u128 * 8 };
    let columns = MemoryNeed { n_qubits: circuit.n_qubits, state_vectors: 0, other_bytes: jacobian_bytes(circuit, 0) };
    evaluation.plus(per_column).times(side_by_side(circuit.n_qubits, n_params)).plus(columns).plus(columns)
}
