//! Unit tests of the simulator: kernels against dense reference matrices, embeddings, measurements and shots.

use super::testing::*;
use super::*;
use crate::ir::{GateKind, Pauli};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ALL_KINDS: &[GateKind] = GateKind::ALL;

fn random_state(n_qubits: usize, seed: u64) -> State {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut amplitudes: Vec<Complex64> =
        (0..1 << n_qubits).map(|_| Complex64::new(rng.random::<f64>() - 0.5, rng.random::<f64>() - 0.5)).collect();
    let norm = amplitudes.iter().map(|a| a.norm_sqr()).sum::<f64>().sqrt();
    amplitudes.iter_mut().for_each(|a| *a /= norm);
    State::from_amplitudes(amplitudes).expect("a power-of-two length")
}

fn max_difference(left: &[Complex64], right: &[Complex64]) -> f64 {
    left.iter().zip(right).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max)
}

/// A gate of `kind` on wires picked from `order`, with the given controls.
fn make_gate(kind: GateKind, order: &[u32], controls: &[u32], angles: &[f64]) -> crate::ir::Gate {
    let n_wires = kind.n_wires().unwrap_or(3);
    let angle_exprs = angles[..kind.n_angles()].iter().map(|a| constant(*a)).collect();
    match controlled_gate(kind, &order[..n_wires], controls, angle_exprs) {
        crate::ir::Op::Gate(gate) => gate,
        crate::ir::Op::StatePrep(_) => unreachable!("controlled_gate builds a gate"),
    }
}

#[test]
fn every_kernel_matches_its_dense_reference_matrix() {
    let n_qubits = 5;
    let angles = [0.37, -1.21, 2.45];
    let orders: &[&[u32]] = &[&[0, 1, 2], &[2, 0, 4], &[4, 3, 1], &[1, 4, 0]];
    for kind in ALL_KINDS {
        for (order_idx, order) in orders.iter().enumerate() {
            for controls in [&[][..], &[3][..], &[3, 2][..]] {
                if controls.iter().any(|control| order[..kind.n_wires().unwrap_or(3)].contains(control)) {
                    continue;
                }
                let gate = make_gate(*kind, order, controls, &angles);
                let mut state = random_state(n_qubits, order_idx as u64);
                let mut expected = state.amplitudes().to_vec();
                reference_apply(&mut expected, n_qubits, &gate, &angles);
                apply_gate_angles(&mut state, &gate, &angles);
                let difference = max_difference(state.amplitudes(), &expected);
                assert!(difference < 1e-12, "{kind:?} on {order:?} controlled by {controls:?}: off by {difference}");
            }
        }
    }
}

#[test]
fn parallel_kernels_agree_with_sequential_ones() {
    let n_qubits = PARALLEL_MIN_QUBITS + 1;
    let angles = [0.9, -0.4, 1.3];
    let orders: &[&[u32]] = &[&[0, 1, 2], &[14, 13, 0], &[7, 0, 14], &[1, 0, 5]];
    for kind in ALL_KINDS {
        for order in orders {
            for controls in [&[][..], &[3][..]] {
                let gate = make_gate(*kind, order, controls, &angles);
                let kernel = kernels::gate_kernel(gate.kind, &gate.wires, &gate.controls, &angles, |wire: Wire| {
                    n_qubits - 1 - wire.index()
                });
                let mut parallel = random_state(n_qubits, 3);
                let mut sequential = parallel.clone();
                kernel.apply(parallel.amplitudes_mut(), true);
                kernel.apply(sequential.amplitudes_mut(), false);
                assert_eq!(parallel, sequential, "{kind:?} on {order:?}");
            }
        }
    }
}

#[test]
fn a_kernel_followed_by_its_adjoint_is_the_identity() {
    let n_qubits = 4;
    for kind in ALL_KINDS {
        let gate = make_gate(*kind, &[3, 1, 0], &[2], &[0.7, 1.9, -2.2]);
        let kernel = kernels::gate_kernel(gate.kind, &gate.wires, &gate.controls, &[0.7, 1.9, -2.2], |wire: Wire| {
            n_qubits - 1 - wire.index()
        });
        let original = random_state(n_qubits, 11);
        let mut state = original.clone();
        kernel.apply(state.amplitudes_mut(), false);
        kernel.adjoint().apply(state.amplitudes_mut(), false);
        assert!(max_difference(state.amplitudes(), original.amplitudes()) < 1e-12, "{kind:?}");
    }
}

#[test]
fn u3_is_phase_ry_phase_and_rot_is_rz_ry_rz() {
    let (theta, phi, delta) = (0.4, -1.3, 2.2);
    let u3 = kernels::matrix_1q(GateKind::U3, &[theta, phi, delta]);
    let mut state = random_state(1, 5);
    let mut decomposed = state.clone();
    let bit_of = |_: Wire| 0;
    kernels::gate_kernel(GateKind::U3, &[Wire(0)], &[], &[theta, phi, delta], bit_of)
        .apply(state.amplitudes_mut(), false);
    for (kind, angle) in [(GateKind::Phase, delta), (GateKind::RY, theta), (GateKind::Phase, phi)] {
        kernels::gate_kernel(kind, &[Wire(0)], &[], &[angle], bit_of).apply(decomposed.amplitudes_mut(), false);
    }
    assert!(max_difference(state.amplitudes(), decomposed.amplitudes()) < 1e-14, "u3 matrix {u3:?}");
}

#[test]
fn bell_state_measurements_match_pennylane() {
    let bell = bell_circuit(vec![Measurement::Var(single(Pauli::Z, 0)), Measurement::State]);
    let execution = execute(&bell, &[], &[], None).expect("the Bell circuit runs");
    assert_close(&execution.outputs, &[0.5, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0], 1e-12, "bell outputs");
    let MeasurementValues::Complex(amplitudes) = &execution.measurements[4] else { panic!("state is complex") };
    let frac = std::f64::consts::FRAC_1_SQRT_2;
    assert!((amplitudes[0].re - frac).abs() < 1e-12 && (amplitudes[3].re - frac).abs() < 1e-12);
}

#[test]
fn probabilities_follow_the_listed_wire_order() {
    // |q0 q1 q2> = |0 0 1>: probs(2, 0) puts wire 2 first, so the outcome is "10" = 2.
    let program = circuit(3, vec![gate(GateKind::X, &[2], vec![])], vec![Measurement::Probs(wires(&[2, 0]))]);
    let execution = execute(&program, &[], &[], None).expect("runs");
    assert_close(&execution.outputs, &[0.0, 0.0, 1.0, 0.0], 0.0, "probs(2, 0)");
}

#[test]
fn hadamard_observable_and_variance_are_exact() {
    // On |0>: <H> = 1/√2, Var(H) = 1 − 1/2.
    let program =
        circuit(1, vec![], vec![Measurement::Expval(single(Pauli::H, 0)), Measurement::Var(single(Pauli::H, 0))]);
    let execution = execute(&program, &[], &[], None).expect("runs");
    assert_close(&execution.outputs, &[std::f64::consts::FRAC_1_SQRT_2, 0.5], 1e-12, "H");
}

#[test]
fn amplitude_embedding_normalizes_pads_and_prepares_a_subset_of_wires() {
    let values = [0.922315, 0.013746, -0.757366, 0.313544, -0.782252, 0.197601];
    let program = circuit(
        4,
        vec![
            gate(GateKind::X, &[0], vec![]),
            embedding(&[1, 2, 3], values.iter().map(|v| constant(*v)).collect(), true, Some(0.0)),
        ],
        vec![Measurement::State],
    );
    let state = final_state(&program, &[], &[]).expect("runs");
    let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    for (local, value) in values.iter().chain(&[0.0, 0.0]).enumerate() {
        let amplitude = state.amplitudes()[8 + local];
        assert!((amplitude.re - value / norm).abs() < 1e-12 && amplitude.im.abs() < 1e-12, "amplitude {local}");
        assert!(state.amplitudes()[local].norm() < 1e-12);
    }
}

#[test]
fn amplitude_embedding_errors_name_the_problem() {
    let run = |amplitudes: &[f64], normalize: bool, pad: Option<f64>| {
        let program = circuit(
            2,
            vec![embedding(&[0, 1], amplitudes.iter().map(|v| constant(*v)).collect(), normalize, pad)],
            vec![],
        );
        execute(&program, &[], &[], None).map(|_| ()).map_err(|error| error.to_string())
    };
    let not_normalized = run(&[1.0, 0.5, 0.3, 0.2], false, None).expect_err("norm ≠ 1");
    assert!(not_normalized.contains("but `normalize` is false"), "{not_normalized}");
    assert!(run(&[0.0, 0.0, 0.0, 0.0], true, None).expect_err("zero norm").contains("all zero"));
    assert!(run(&[1.0, 0.0], true, None).expect_err("too few").contains("pad"));
    assert!(run(&[1.0, 0.0, 0.0, 0.0, 0.0], true, Some(0.0)).is_err());
    assert!(run(&[0.6, 0.8], false, Some(0.0)).is_ok());
}

#[test]
fn registers_too_large_are_refused_before_allocating() {
    let error = State::zero(40).expect_err("2^40 amplitudes do not fit");
    assert!(matches!(error, SimError::TooLarge { n_qubits: 40, .. }));
    assert!(error.to_string().contains("40 qubits"), "{error}");
    assert!(State::zero_with_limit(10, 1 << 14).is_ok());
    assert!(State::zero_with_limit(11, 1 << 14).is_err());
    assert!(State::zero(200).is_err());
}

#[test]
fn invalid_circuits_and_short_vectors_are_errors_not_panics() {
    let out_of_range = circuit(2, vec![gate(GateKind::X, &[2], vec![])], vec![]);
    assert!(matches!(execute(&out_of_range, &[], &[], None), Err(SimError::InvalidCircuit { .. })));
    let repeated = circuit(2, vec![gate(GateKind::CNOT, &[1, 1], vec![])], vec![]);
    assert!(execute(&repeated, &[], &[], None).is_err());
    let reads_param = circuit(1, vec![gate(GateKind::RX, &[0], vec![param(2)])], vec![]);
    assert!(matches!(execute(&reads_param, &[], &[0.1], None), Err(SimError::ParamCount { expected: 3, found: 1 })));
    let reads_input = circuit(1, vec![gate(GateKind::RX, &[0], vec![input(0)])], vec![]);
    assert!(matches!(execute(&reads_input, &[], &[], None), Err(SimError::InputCount { .. })));
    let sample = circuit(1, vec![], vec![Measurement::Sample(single(Pauli::Z, 0))]);
    assert_eq!(execute(&sample, &[], &[], None), Err(SimError::SampleWithoutShots));
}

/// A 3-qubit circuit with every kind of measurement, for the shot tests.
fn shot_circuit(n_qubits: usize) -> crate::ir::Circuit {
    let mut ops = Vec::new();
    for wire in 0..n_qubits as u32 {
        ops.push(gate(GateKind::RY, &[wire], vec![constant(0.3 + 0.2 * f64::from(wire))]));
        ops.push(gate(GateKind::RZ, &[wire], vec![constant(-0.7 + 0.1 * f64::from(wire))]));
    }
    for wire in 0..n_qubits as u32 - 1 {
        ops.push(gate(GateKind::CNOT, &[wire, wire + 1], vec![]));
    }
    ops.push(gate(GateKind::RX, &[0], vec![constant(0.8)]));
    let hamiltonian = observable(&[
        (0.5, &[(Pauli::Z, 0), (Pauli::Z, 1)]),
        (-1.2, &[(Pauli::X, 2)]),
        (0.3, &[(Pauli::Y, 0), (Pauli::Y, 1)]),
        (0.7, &[]),
    ]);
    circuit(
        n_qubits,
        ops,
        vec![
            Measurement::Expval(hamiltonian.clone()),
            Measurement::Expval(single(Pauli::H, 1)),
            Measurement::Var(single(Pauli::Y, 2)),
            Measurement::Probs(wires(&[2, 0])),
            Measurement::Sample(observable(&[(1.0, &[(Pauli::Z, 0)]), (2.0, &[(Pauli::Z, 1)])])),
        ],
    )
}

#[test]
fn shot_estimates_are_within_five_standard_errors() {
    let program = shot_circuit(3);
    let exact_outputs = execute(&circuit(3, program.ops.clone(), program.measurements[..4].to_vec()), &[], &[], None)
        .expect("runs")
        .outputs;
    let count = 20_000;
    let sampled = execute(&program, &[], &[], Some(Shots { count, seed: 42 })).expect("runs");
    // Standard errors: the Hamiltonian's per-shot value has |range| ≤ 2·(0.5 + 1.2 + 0.3); H and Y are ±1;
    // the variance of ±1 samples has standard error ≤ 2/√n; a frequency has ≤ 0.5/√n.
    let root = (count as f64).sqrt();
    let bounds = [4.0 / root, 1.0 / root, 2.0 / root, 0.5 / root, 0.5 / root, 0.5 / root, 0.5 / root];
    for (index, ((estimate, exact), bound)) in sampled.outputs.iter().zip(&exact_outputs).zip(bounds).enumerate() {
        assert!((estimate - exact).abs() < 5.0 * bound, "output {index}: {estimate} vs {exact}");
    }
    let samples = sampled.measurements[4].as_real().expect("real samples");
    assert_eq!(samples.len(), count);
    assert!(samples.iter().all(|value| [-3.0, -1.0, 1.0, 3.0].contains(value)));
}

#[test]
fn shots_give_the_same_numbers_on_any_thread_count() {
    let program = shot_circuit(PARALLEL_MIN_QUBITS + 1);
    let run_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        pool.install(|| execute(&program, &[], &[], Some(Shots { count: 500, seed: 9 })).expect("runs"))
    };
    let one = run_on(1);
    assert_eq!(one, run_on(3));
    assert_eq!(one, run_on(8));
    let different_seed = execute(&program, &[], &[], Some(Shots { count: 500, seed: 10 })).expect("runs");
    assert_ne!(one.outputs, different_seed.outputs);
}
