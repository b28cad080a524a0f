//! Property tests on random circuits of 1–6 qubits: norm preservation, agreement of the gradient methods, shot statistics.

use super::*;
use crate::ir::{BinOp, Expr, Func, GateKind, Wire};
use crate::sim::testing::{circuit, controlled_gate, random_observable};
use crate::sim::{execute, final_state, Shots};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N_PARAMS: usize = 4;

const KINDS: &[GateKind] = GateKind::ALL;

/// A random angle expression over the params: a param, an affine map of one, a function of one,
/// a product of two, or a constant.
fn random_angle(rng: &mut ChaCha8Rng) -> Expr {
    let choice = rng.random_range(0..6);
    let first = Expr::Param(rng.random_range(0..N_PARAMS));
    let second = Expr::Param(rng.random_range(0..N_PARAMS));
    match choice {
        0 | 1 => first,
        2 => Expr::binary(BinOp::Add, Expr::binary(BinOp::Mul, Expr::Const(1.7), first), Expr::Const(-0.4)),
        3 => Expr::call(Func::Sin, first),
        4 => Expr::binary(BinOp::Mul, first, second),
        _ => Expr::Const(0.9),
    }
}

/// A random circuit with `n_gates` gates (some under extra controls) and one to three
/// differentiable measurements.
fn random_circuit(n_qubits: usize, seed: u64, n_gates: usize) -> (Circuit, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ops = Vec::new();
    while ops.len() < n_gates {
        let kind = KINDS[rng.random_range(0..KINDS.len())];
        let n_wires =
            kind.n_wires().unwrap_or_else(|| rng.random_range(kind.min_wires()..=n_qubits.max(kind.min_wires())));
        if n_wires > n_qubits {
            continue;
        }
        let mut wires: Vec<u32> = (0..n_qubits as u32).collect();
        wires.shuffle(&mut rng);
        let spare = n_qubits - n_wires;
        let n_controls = if spare > 0 && rng.random_bool(0.3) { rng.random_range(1..=spare.min(2)) } else { 0 };
        let angles = (0..kind.n_angles()).map(|_| random_angle(&mut rng)).collect();
        ops.push(controlled_gate(kind, &wires[..n_wires], &wires[n_wires..n_wires + n_controls], angles));
    }
    let n_measurements = rng.random_range(1..=3);
    let measurements = (0..n_measurements)
        .map(|_| match rng.random_range(0..3) {
            0 => Measurement::Expval(random_observable(&mut rng, n_qubits)),
            1 => Measurement::Var(random_observable(&mut rng, n_qubits)),
            _ => {
                let mut wires: Vec<Wire> = (0..n_qubits as u32).map(Wire).collect();
                wires.shuffle(&mut rng);
                let n_wires = rng.random_range(1..=n_qubits.min(3));
                Measurement::Probs(wires[..n_wires].to_vec())
            }
        })
        .collect();
    let params = (0..N_PARAMS).map(|_| rng.random_range(-3.0..3.0)).collect();
    (circuit(n_qubits, ops, measurements), params)
}

/// How far the frequency of an outcome of probability `p` may stray from `p` in `count` shots.
/// Bernstein's inequality bounds a binomial count's deviation by √(2npq·t) + 2t/3 except with
/// probability 2e^(−t); t = 25 makes that about 3e-11 per check, so a run of thousands of checks
/// fails by chance with odds far below one in a million. A normal-approximation bound (k standard
/// errors) is not safe: for p ≪ 1/count the count is Poisson-like, and 9 hits where 1.8 were
/// expected happen about once in ten thousand.
fn frequency_margin(count: usize, p: f64) -> f64 {
    let t = 25.0;
    let n = count as f64;
    let p = p.clamp(0.0, 1.0);
    ((2.0 * n * p * (1.0 - p) * t).sqrt() + 2.0 * t / 3.0) / n
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn gates_preserve_the_norm(n_qubits in 1usize..=6, seed in any::<u64>()) {
        let (program, params) = random_circuit(n_qubits, seed, 30);
        let state = final_state(&program, &[], &params).expect("random circuits run");
        prop_assert!((state.norm_squared() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn adjoint_equals_parameter_shift_and_finite_diff_is_close(n_qubits in 1usize..=6, seed in any::<u64>()) {
        let (program, params) = random_circuit(n_qubits, seed, 12);
        let adjoint = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
        let shift = jacobian(&program, &[], &params, GradientMethod::ParameterShift, None).expect("parameter shift");
        let finite = jacobian(&program, &[], &params, GradientMethod::FiniteDiff, None).expect("finite differences");
        prop_assert_eq!(adjoint.outputs.len(), adjoint.n_outputs);
        for (index, ((a, s), f)) in adjoint.values.iter().zip(&shift.values).zip(&finite.values).enumerate() {
            prop_assert!((a - s).abs() < 1e-10, "entry {}: adjoint {} vs shift {}", index, a, s);
            prop_assert!((a - f).abs() < 1e-5, "entry {}: adjoint {} vs finite {}", index, a, f);
        }
    }

    #[test]
    fn the_adjoint_vjp_equals_the_cotangent_times_the_adjoint_jacobian(n_qubits in 1usize..=6, seed in any::<u64>()) {
        let (program, params) = random_circuit(n_qubits, seed, 12);
        let adjoint = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
        // Weights of either sign, a quarter of them zero, as a loss's cotangent may have.
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 2);
        let weights: Vec<f64> = (0..adjoint.n_outputs)
            .map(|_| if rng.random_bool(0.25) { 0.0 } else { rng.random_range(-2.0..2.0) })
            .collect();
        let expected = vector_jacobian_product(&weights, &adjoint.values, adjoint.n_params);
        let (outputs, gradient) =
            vjp(&program, &[], &params, GradientMethod::Adjoint, None, GradOptions::default(), |_| {
                Ok::<_, ()>(weights.clone())
            })
            .expect("the vector-Jacobian product");
        prop_assert_eq!(outputs, adjoint.outputs);
        for (index, (v, e)) in gradient.iter().zip(&expected).enumerate() {
            prop_assert!((v - e).abs() < 1e-12, "param {}: vjp {} vs cᵀJ {}", index, v, e);
        }
    }

    #[test]
    fn shot_estimates_are_within_bernsteins_bound(n_qubits in 1usize..=6, seed in any::<u64>()) {
        let (mut program, params) = random_circuit(n_qubits, seed, 12);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 1);
        let mut word = random_observable(&mut rng, n_qubits);
        word.terms.truncate(1);
        word.terms[0].coefficient = 1.0;
        let mut wires: Vec<Wire> = (0..n_qubits as u32).map(Wire).collect();
        wires.shuffle(&mut rng);
        program.measurements = vec![Measurement::Expval(word), Measurement::Probs(wires)];
        let exact = execute(&program, &[], &params, None).expect("exact");
        let count = 4000;
        let sampled = execute(&program, &[], &params, Some(Shots { count, seed })).expect("sampled");
        let (mean, estimate) = (exact.outputs[0], sampled.outputs[0]);
        // ⟨W⟩ = 1 − 2k/n where k, the count of −1 outcomes, is binomial with q = (1 − ⟨W⟩)/2.
        let margin = 2.0 * frequency_margin(count, (1.0 - mean) / 2.0);
        prop_assert!((estimate - mean).abs() <= margin + 1e-9, "expval {} vs {}", estimate, mean);
        for (p, frequency) in exact.outputs[1..].iter().zip(&sampled.outputs[1..]) {
            let margin = frequency_margin(count, *p);
            prop_assert!((frequency - p).abs() <= margin + 1e-9, "probability {} vs {}", frequency, p);
        }
    }
}

#[test]
fn parameter_shift_differentiates_the_variance_of_a_sum_of_words() {
    // Shrunk from a property-test failure: shifting var itself (rather than ⟨O⟩ and ⟨O²⟩) is wrong.
    let (program, params) = random_circuit(4, 884_052_687_903_849_946, 12);
    let adjoint = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
    let shift = jacobian(&program, &[], &params, GradientMethod::ParameterShift, None).expect("parameter shift");
    crate::sim::testing::assert_close(&shift.values, &adjoint.values, 1e-10, "var jacobian");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The fused sweep over the plan (one-bit runs merged, derivatives from pair sums) gives the
    /// per-gate sweep's numbers to 1e-12: controls, products of params, expval, var and probs.
    #[test]
    fn the_fused_adjoint_sweep_equals_the_per_gate_sweep(n_qubits in 1usize..=6, seed in any::<u64>()) {
        let (program, params) = random_circuit(n_qubits, seed, 30);
        let fused = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("fused sweep");
        let per_gate = adjoint::reference::jacobian(&program, &[], &params, MemoryBudget::default())
            .expect("per-gate sweep");
        for (a, b) in fused.outputs.iter().zip(&per_gate.outputs) {
            prop_assert!((a - b).abs() < 1e-12, "output: fused {} vs per-gate {}", a, b);
        }
        for (index, (a, b)) in fused.values.iter().zip(&per_gate.values).enumerate() {
            prop_assert!((a - b).abs() < 1e-12, "entry {}: fused {} vs per-gate {}", index, a, b);
        }
    }
}
