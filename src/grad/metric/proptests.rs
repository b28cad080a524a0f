//! Property tests of the metric tensor on random circuits: symmetric, positive semi-definite, and
//! equal to the exact Fubini–Study metric wherever PennyLane's block approximation is exact.

use super::*;
use crate::ir::{Circuit, Expr, GateKind, Measurement, Pauli};
use crate::sim::testing::{circuit, controlled_gate, single};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Gates whose every angle is one param: each gate of the expanded circuit then has its own
/// param, and the classical Jacobian is the identity.
const ONE_PARAM_KINDS: &[GateKind] = &[
    GateKind::RX,
    GateKind::RY,
    GateKind::RZ,
    GateKind::Phase,
    GateKind::CRX,
    GateKind::CRY,
    GateKind::CRZ,
    GateKind::CPhase,
    GateKind::IsingXX,
    GateKind::IsingYY,
    GateKind::IsingZZ,
    GateKind::MultiRZ,
    GateKind::Rot,
    GateKind::H,
    GateKind::SX,
    GateKind::CNOT,
    GateKind::CZ,
    GateKind::Swap,
    GateKind::Toffoli,
];

/// A random circuit of `n_gates` gates, a fresh param for every angle (a few angles constant),
/// one-angle gates under up to two `ctrl` controls; with `shared`, also `u3`, `rot` and `u3` under
/// one control, and angles that reuse params through expressions. Returns the circuit and its params.
fn random_circuit(n_qubits: usize, seed: u64, n_gates: usize, shared: bool) -> (Circuit, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ops = Vec::new();
    let mut n_params = 0;
    while ops.len() < n_gates {
        let kind = if shared && rng.random_bool(0.1) {
            GateKind::U3
        } else {
            ONE_PARAM_KINDS[rng.random_range(0..ONE_PARAM_KINDS.len())]
        };
        let n_wires = kind.n_wires().unwrap_or_else(|| rng.random_range(1..=n_qubits));
        if n_wires > n_qubits {
            continue;
        }
        let mut wires: Vec<u32> = (0..n_qubits as u32).collect();
        wires.shuffle(&mut rng);
        let spare = n_qubits - n_wires;
        // A controlled `rot` or `u3` expands into gates that share its angles (see `expand`).
        let most_controls = match (kind.n_angles() > 1, shared) {
            (false, _) => 2,
            (true, true) => 1,
            (true, false) => 0,
        };
        let n_controls = if spare > 0 && most_controls > 0 && rng.random_bool(0.3) {
            rng.random_range(1..=spare.min(most_controls))
        } else {
            0
        };
        let angles = (0..kind.n_angles())
            .map(|_| {
                if rng.random_bool(0.15) {
                    return Expr::Const(rng.random_range(-3.0..3.0));
                }
                if shared && n_params > 0 && rng.random_bool(0.4) {
                    let earlier = Expr::Param(rng.random_range(0..n_params));
                    return Expr::binary(crate::ir::BinOp::Mul, Expr::Const(rng.random_range(-2.0..2.0)), earlier);
                }
                n_params += 1;
                Expr::Param(n_params - 1)
            })
            .collect();
        ops.push(controlled_gate(kind, &wires[..n_wires], &wires[n_wires..n_wires + n_controls], angles));
    }
    let params = (0..n_params).map(|_| rng.random_range(-3.0..3.0)).collect();
    (circuit(n_qubits, ops, vec![Measurement::Expval(single(Pauli::Z, 0))]), params)
}

/// The exact metric Re⟨∂_p ψ|∂_q ψ⟩ − ⟨∂_p ψ|ψ⟩⟨ψ|∂_q ψ⟩, with central differences of the state.
fn fubini_study(circuit: &Circuit, params: &[f64]) -> Vec<f64> {
    let state = |params: &[f64]| crate::sim::final_state(circuit, &[], params).expect("runs").into_amplitudes();
    let psi = state(params);
    let step = 1e-5;
    let derivatives: Vec<Vec<num_complex::Complex64>> = (0..params.len())
        .map(|p| {
            let mut plus = params.to_vec();
            let mut minus = params.to_vec();
            plus[p] += step;
            minus[p] -= step;
            state(&plus).iter().zip(state(&minus)).map(|(a, b)| (a - b) / (2.0 * step)).collect()
        })
        .collect();
    let inner = |a: &[num_complex::Complex64], b: &[num_complex::Complex64]| {
        a.iter().zip(b).map(|(x, y)| x.conj() * y).sum::<num_complex::Complex64>()
    };
    let n = params.len();
    let mut metric = vec![0.0; n * n];
    for p in 0..n {
        for q in 0..n {
            let overlap = inner(&derivatives[p], &derivatives[q]);
            let berry = inner(&derivatives[p], &psi) * inner(&psi, &derivatives[q]);
            metric[p * n + q] = (overlap - berry).re;
        }
    }
    metric
}

/// Whether the symmetric `matrix` is positive semi-definite to `tolerance`: a Cholesky
/// factorisation of `matrix + tolerance · I` succeeds.
fn is_positive_semidefinite(matrix: &[f64], n: usize, tolerance: f64) -> bool {
    let mut lower = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = matrix[i * n + j] + if i == j { tolerance } else { 0.0 };
            for k in 0..j {
                sum -= lower[i * n + k] * lower[j * n + k];
            }
            if i == j {
                if sum <= 0.0 {
                    return false;
                }
                lower[i * n + i] = sum.sqrt();
            } else {
                lower[i * n + j] = sum / lower[j * n + j];
            }
        }
    }
    true
}

fn metric_of(circuit: &Circuit, params: &[f64], approx: MetricApprox) -> Vec<f64> {
    let plan = Plan::compile(circuit).expect("random circuits compile");
    metric_tensor(&plan, &[], params, approx).expect("the metric tensor")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_metric_is_symmetric_and_positive_semidefinite(n_qubits in 1usize..=5, seed in any::<u64>()) {
        let (circuit, params) = random_circuit(n_qubits, seed, 14, true);
        let n = params.len();
        for approx in [MetricApprox::BlockDiag, MetricApprox::Diag] {
            let metric = metric_of(&circuit, &params, approx);
            for p in 0..n {
                for q in 0..n {
                    prop_assert_eq!(metric[p * n + q], metric[q * n + p]);
                }
            }
            prop_assert!(is_positive_semidefinite(&metric, n, 1e-10), "{:?}: {:?}", approx, metric);
        }
    }

    /// Within a layer the gates commute and see the same state, so the block-diagonal entries are
    /// entries of the exact metric, and so is every diagonal entry (one param per gate here).
    #[test]
    fn blocks_are_entries_of_the_exact_metric(n_qubits in 1usize..=5, seed in any::<u64>()) {
        let (circuit, params) = random_circuit(n_qubits, seed, 12, false);
        let n = params.len();
        let exact = fubini_study(&circuit, &params);
        let block = metric_of(&circuit, &params, MetricApprox::BlockDiag);
        let diagonal = metric_of(&circuit, &params, MetricApprox::Diag);
        for p in 0..n {
            prop_assert!((block[p * n + p] - exact[p * n + p]).abs() < 1e-6, "({}, {}): {} vs {}", p, p, block[p * n + p], exact[p * n + p]);
            prop_assert_eq!(block[p * n + p], diagonal[p * n + p]);
            for q in 0..n {
                if p != q {
                    prop_assert_eq!(diagonal[p * n + q], 0.0);
                    if block[p * n + q] != 0.0 {
                        prop_assert!((block[p * n + q] - exact[p * n + q]).abs() < 1e-6, "({}, {}): {} vs {}", p, q, block[p * n + q], exact[p * n + q]);
                    }
                }
            }
        }
    }
}
