//! Unit tests of the simulator: kernels against dense reference matrices, embeddings, measurements and shots.

use super::testing::*;
use super::*;
use crate::codes::Code;
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
    // Four wires each, for the double excitations; gates on fewer wires take the first ones.
    let orders: &[&[u32]] = &[&[0, 1, 2, 4], &[2, 0, 4, 1], &[4, 3, 1, 0], &[1, 4, 0, 2]];
    // Gates the checker expands never reach a kernel.
    for kind in ALL_KINDS.iter().filter(|kind| !kind.info().expands) {
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
    let orders: &[&[u32]] = &[&[0, 1, 2, 4], &[14, 13, 0, 9], &[7, 0, 14, 10], &[1, 0, 5, 12]];
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
    let n_qubits = 5;
    for kind in ALL_KINDS {
        let gate = make_gate(*kind, &[3, 1, 0, 4], &[2], &[0.7, 1.9, -2.2]);
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
    assert!(matches!(error, SimError::TooLarge { need: MemoryNeed { n_qubits: 40, state_vectors: 1, .. }, .. }));
    assert_eq!(
        error.to_string(),
        "a state vector on 40 qubits needs 16.0 TiB of memory, but the limit is 12.0 GiB (QMLC_MEMORY_LIMIT sets another)"
    );
    assert_eq!(error.code(), Code::E0902);
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

// ---------------------------------------------------------------------------------------------
// One set of shots per execution, drawn as counts
// ---------------------------------------------------------------------------------------------

/// (|00> + |11>)/√2 with the given measurements.
fn bell_pair(measurements: Vec<Measurement>) -> crate::ir::Circuit {
    circuit(2, vec![gate(GateKind::H, &[0], vec![]), gate(GateKind::CNOT, &[0, 1], vec![])], measurements)
}

#[test]
fn samples_of_a_bell_pair_agree_on_every_shot() {
    let bell = bell_pair(vec![Measurement::Sample(single(Pauli::Z, 0)), Measurement::Sample(single(Pauli::Z, 1))]);
    let execution = execute(&bell, &[], &[], Some(Shots { count: 4000, seed: 0 })).expect("runs");
    let first = execution.measurements[0].as_real().expect("samples");
    let second = execution.measurements[1].as_real().expect("samples");
    assert_eq!(first.len(), 4000);
    assert_eq!(first, second, "the two wires of a Bell pair are read from the same shots");
    let ones = first.iter().filter(|value| **value == 1.0).count();
    // Half of the shots are |00>: 2000 ± 5 standard errors of √(4000/4) ≈ 32.
    assert!((2000usize.abs_diff(ones)) < 160, "{ones} of 4000 shots are |00>");
}

#[test]
fn expectation_values_of_a_bell_pair_from_the_same_shots_are_equal() {
    let measurements = vec![
        Measurement::Expval(single(Pauli::Z, 0)),
        Measurement::Expval(single(Pauli::Z, 1)),
        Measurement::Probs(wires(&[1, 0])),
    ];
    let bell = bell_pair(measurements);
    for seed in 0..20 {
        let outputs = execute(&bell, &[], &[], Some(Shots { count: 10, seed })).expect("runs").outputs;
        assert_eq!(outputs[0], outputs[1], "seed {seed}: {outputs:?}");
        // probs(1, 0) is read off the same shots: P(00) − P(11) is ⟨Z0⟩'s (1 + ⟨Z⟩)/2 − (1 − ⟨Z⟩)/2.
        assert!((outputs[2] - outputs[5] - outputs[0]).abs() < 1e-12, "seed {seed}: {outputs:?}");
        assert_eq!((outputs[3], outputs[4]), (0.0, 0.0), "seed {seed}: a Bell pair never gives 01 or 10");
    }
}

#[test]
fn a_sample_its_expval_and_its_var_come_from_the_same_shots() {
    // X(1) and Z(0) commute qubit-wise, so each shot gives one value of X(1) + 0.5 Z(0), and the
    // mean and variance of the samples are the sampled expval and var exactly.
    let program = shot_circuit(3);
    let observable = observable(&[(1.0, &[(Pauli::X, 1)]), (0.5, &[(Pauli::Z, 0)]), (0.25, &[])]);
    let measured = circuit(
        3,
        program.ops.clone(),
        vec![
            Measurement::Sample(observable.clone()),
            Measurement::Expval(observable.clone()),
            Measurement::Var(observable),
            Measurement::Probs(wires(&[0, 1])),
            Measurement::Expval(single(Pauli::Z, 0)),
        ],
    );
    let count = 5000;
    let execution = execute(&measured, &[], &[], Some(Shots { count, seed: 4 })).expect("runs");
    let samples = execution.measurements[0].as_real().expect("samples");
    let mean = samples.iter().sum::<f64>() / count as f64;
    let variance = samples.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / count as f64;
    assert!((execution.outputs[0] - mean).abs() < 1e-12, "{} vs {mean}", execution.outputs[0]);
    assert!((execution.outputs[1] - variance).abs() < 1e-12, "{} vs {variance}", execution.outputs[1]);
    assert!(samples.iter().all(|value| [1.75, 0.75, -0.25, -1.25].contains(value)), "{:?}", &samples[..10]);
    // A lone Z(0) is read in the computational basis with probs(0, 1): P(0·) − P(1·) is its mean.
    let probs = &execution.outputs[2..6];
    let z0_from_probs = probs[0] + probs[1] - probs[2] - probs[3];
    assert!((z0_from_probs - execution.outputs[6]).abs() < 1e-12, "{z0_from_probs} vs {}", execution.outputs[6]);
}

#[test]
fn diagonal_measurements_share_the_computational_basis_group() {
    let plan = shots::plan_groups(&[
        Measurement::Expval(single(Pauli::X, 2)),
        Measurement::Probs(wires(&[0, 1])),
        Measurement::Sample(observable(&[(1.0, &[(Pauli::Z, 0)]), (1.0, &[(Pauli::Z, 2)])])),
        Measurement::Var(observable(&[(1.0, &[(Pauli::Y, 1)]), (1.0, &[(Pauli::X, 2)])])),
        Measurement::Expval(observable(&[(1.0, &[(Pauli::X, 0)]), (1.0, &[(Pauli::Z, 0)])])),
        Measurement::State,
    ]);
    let expected = [
        // Everything diagonal, whatever its place in the list: probs, the sample, Z(0) of the last expval.
        (vec![0, 1, 2], vec![Pauli::Z, Pauli::Z, Pauli::Z]),
        // X(2), then Y(1) + X(2) as a whole, then X(0).
        (vec![2, 1, 0], vec![Pauli::X, Pauli::Y, Pauli::X]),
    ];
    assert_eq!(plan.groups.len(), expected.len(), "{:?}", plan.groups);
    for (group, (wire_indices, bases)) in plan.groups.iter().zip(expected) {
        assert_eq!(group.wires, wire_indices.iter().map(|wire| Wire(*wire)).collect::<Vec<_>>());
        assert_eq!(group.bases, bases);
    }
}

#[test]
fn counts_place_every_shot_even_beyond_two_to_the_fifty_three() {
    let mut rng = shots::stream(7, 0);
    for shot_count in [1u64, 10, 1_000_000, 1_000_000_000_000_000, MAX_SHOTS, u64::MAX] {
        let mut weights = vec![0.1, 0.0, 0.25, 0.05, 0.6, 0.0];
        shots::draw_counts(&mut weights, shot_count, &mut rng);
        let total: u128 = weights.iter().map(|count| *count as u128).sum();
        // Above 2^53 an f64 count is rounded, so the sum is checked to within that rounding.
        let rounding = (shot_count >> 52) as u128 * 6;
        assert!(total.abs_diff(u128::from(shot_count)) <= rounding, "{shot_count}: {weights:?}");
        assert_eq!((weights[1], weights[5]), (0.0, 0.0), "outcomes of weight zero never occur");
    }
}

#[test]
fn a_quadrillion_shots_cost_no_more_memory_than_ten() {
    let program = shot_circuit(3);
    let measured = circuit(3, program.ops.clone(), program.measurements[..4].to_vec());
    let exact = execute(&measured, &[], &[], None).expect("runs").outputs;
    let count = 1_000_000_000_000_000usize;
    let shots = Some(Shots { count, seed: 1 });
    assert_eq!(bytes_needed(&measured, shots), bytes_needed(&measured, Some(Shots { count: 10, seed: 1 })));
    let sampled = execute(&measured, &[], &[], shots).expect("runs").outputs;
    // The standard errors are below 4/√n ≈ 1.3e-7.
    assert_close(&sampled, &exact, 5.0 * 4.0 / (count as f64).sqrt(), "1e15 shots");
    assert_ne!(sampled, exact, "the estimates are sampled, not exact");
}

#[test]
fn more_shots_than_counts_can_hold_are_refused_without_panicking() {
    let bell = bell_pair(vec![Measurement::Expval(single(Pauli::Z, 0))]);
    for count in [usize::MAX, MAX_SHOTS as usize + 1] {
        let error = execute(&bell, &[], &[], Some(Shots { count, seed: 0 })).expect_err("too many shots");
        assert_eq!(error, SimError::TooManyShots { count: count as u128 });
        assert_eq!(error.code(), Code::E0905);
        assert_eq!(
            error.to_string(),
            format!("{count} shots are more than the 9007199254740992 (2^53) whose counts stay exact")
        );
    }
    assert!(execute(&bell, &[], &[], Some(Shots { count: MAX_SHOTS as usize, seed: 0 })).is_ok());
}

#[test]
fn samples_that_would_not_fit_are_refused_before_allocating() {
    let bell = bell_pair(vec![Measurement::Sample(single(Pauli::Z, 0)), Measurement::Sample(single(Pauli::Z, 1))]);
    let budget = MemoryBudget { limit_bytes: 1 << 30, origin: BudgetOrigin::Setting };
    let shots = Some(Shots { count: 100_000_000, seed: 0 });
    // Two sample lists and one list of outcomes of 8 bytes per shot, beside a 64-byte state and
    // the counts of the four outcomes.
    assert_eq!(bytes_needed(&bell, shots), 64 + 8 * 4 + 100_000_000 * 8 * 3);
    let error = execute_within(&bell, &[], &[], shots, budget).expect_err("2.2 GiB of samples");
    assert_eq!(error.code(), Code::E0902);
    assert_eq!(
        error.to_string(),
        "running the circuit on 2 qubits needs 2.2 GiB of memory (1 state vector of 64 B and 2.2 GiB of other \
         buffers), but QMLC_MEMORY_LIMIT allows 1.0 GiB"
    );
    let few = Some(Shots { count: 1000, seed: 0 });
    assert!(execute_within(&bell, &[], &[], few, budget).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

#[test]
fn an_execution_counts_its_state_copies_and_buffers() {
    let state_bytes = 16u128 << 20;
    let program = |measurements| circuit(20, vec![gate(GateKind::H, &[0], vec![])], measurements);
    assert_eq!(bytes_needed(&program(vec![Measurement::Expval(single(Pauli::Z, 0))]), None), state_bytes);
    // A variance applies its observable to a copy; `state` returns one.
    assert_eq!(bytes_needed(&program(vec![Measurement::Var(single(Pauli::X, 0))]), None), 2 * state_bytes);
    assert_eq!(bytes_needed(&program(vec![Measurement::State, Measurement::State]), None), 3 * state_bytes);
    // probs on every wire: 8 bytes an outcome, and as many again for the copy among the outputs.
    let all_wires = wires(&(0..20).collect::<Vec<u32>>());
    assert_eq!(bytes_needed(&program(vec![Measurement::Probs(all_wires.clone())]), None), state_bytes + (16 << 20));
    // With shots: the counts of the outcomes, their frequencies and the copy among the outputs.
    let shots = Some(Shots { count: 100, seed: 0 });
    assert_eq!(bytes_needed(&program(vec![Measurement::Probs(all_wires)]), shots), state_bytes + (24 << 20));
    // With shots, a group in another basis is measured on a rotated copy.
    assert_eq!(
        bytes_needed(&program(vec![Measurement::Expval(single(Pauli::X, 0))]), shots),
        2 * state_bytes + memory::probabilities_bytes(20, 1)
    );
    // Two outcomes, and one partial sum of them per chunk of 4096 amplitudes.
    assert_eq!(memory::probabilities_bytes(20, 1), 16 + 256 * 16);
}

#[test]
fn a_budget_refuses_a_register_before_allocating_and_names_both_amounts() {
    let program = circuit(27, vec![gate(GateKind::H, &[0], vec![])], vec![Measurement::Expval(single(Pauli::Z, 0))]);
    let budget = MemoryBudget { limit_bytes: 1 << 30, origin: BudgetOrigin::Setting };
    let error = execute_within(&program, &[], &[], None, budget).expect_err("2 GiB > 1 GiB");
    assert_eq!(
        error.to_string(),
        "a state vector on 27 qubits needs 2.0 GiB of memory, but QMLC_MEMORY_LIMIT allows 1.0 GiB"
    );
    let available = MemoryBudget { limit_bytes: 3 << 29, origin: BudgetOrigin::Available };
    let error = execute_within(&program, &[], &[], None, available).expect_err("2 GiB > 1.5 GiB");
    assert_eq!(
        error.to_string(),
        "a state vector on 27 qubits needs 2.0 GiB of memory, but only 1.5 GiB of memory is available"
    );
    assert_eq!(memory::human_bytes(1000), "1000 B");
    assert_eq!(memory::human_bytes(1536), "1.5 KiB");
    assert_eq!(memory::human_bytes(16u128 << 40), "16.0 TiB");
}

// ---------------------------------------------------------------------------------------------
// Values that are not finite
// ---------------------------------------------------------------------------------------------

/// A one-qubit circuit reading input `x[2]` and param `w`, with the given angle on `rx`.
fn circuit_with_angle(angle: Expr) -> crate::ir::Circuit {
    use crate::ir::{Init, Param, Variable};
    let mut program =
        circuit(1, vec![gate(GateKind::RX, &[0], vec![angle])], vec![Measurement::Expval(single(Pauli::Z, 0))]);
    if let crate::ir::Op::Gate(gate) = &mut program.ops[0] {
        gate.span = crate::source::Span { start: 3, end: 9 };
    }
    let span = crate::source::Span::default();
    program.inputs = vec![Variable { name: "x".into(), shape: vec![2], offset: 0, span }];
    program.params =
        vec![Param { variable: Variable { name: "w".into(), shape: vec![], offset: 0, span }, init: Init::Zeros }];
    program
}

#[test]
fn an_angle_that_is_not_finite_is_an_error_naming_the_gate_and_its_values() {
    use crate::ir::{BinOp, Func};
    let call = |func: Func, arg: Expr| Expr::Call(func, Box::new(arg));
    let binary = |op: BinOp, left: Expr, right: Expr| Expr::Binary(op, Box::new(left), Box::new(right));
    let cases: Vec<(Expr, [f64; 2], f64, &str)> = vec![
        (call(Func::Exp, input(0)), [1000.0, 0.0], 0.1, "the angle of `rx` is inf, from `exp(x[0])` with x[0] = 1000"),
        (call(Func::Log, input(1)), [1.0, 0.0], 0.1, "the angle of `rx` is -inf, from `log(x[1])` with x[1] = 0"),
        (call(Func::Sqrt, input(0)), [-1.0, 0.0], 0.1, "the angle of `rx` is NaN, from `sqrt(x[0])` with x[0] = -1"),
        (call(Func::Asin, input(0)), [2.0, 0.0], 0.1, "the angle of `rx` is NaN, from `asin(x[0])` with x[0] = 2"),
        (
            binary(BinOp::Rem, input(0), input(1)),
            [1.0, 0.0],
            0.1,
            "the angle of `rx` is NaN, from `mod(x[0], x[1])` with x[0] = 1, x[1] = 0",
        ),
        (param(0), [0.0, 0.0], f64::INFINITY, "the angle of `rx` is inf, from w = inf"),
        (
            binary(BinOp::Mul, param(0), constant(10.0)),
            [0.0, 0.0],
            1e308,
            "the angle of `rx` is inf, from `w * 10` with w = 1e308",
        ),
    ];
    for (angle, inputs, param_value, message) in cases {
        let program = circuit_with_angle(angle);
        for result in [
            execute(&program, &inputs, &[param_value], None).map(|_| ()),
            execute(&program, &inputs, &[param_value], Some(Shots { count: 10, seed: 0 })).map(|_| ()),
            final_state(&program, &inputs, &[param_value]).map(|_| ()),
        ] {
            let error = result.expect_err(message);
            assert_eq!(error.to_string(), message);
            assert_eq!(error.code(), Code::E0901);
            assert_eq!(error.span(), Some(crate::source::Span { start: 3, end: 9 }));
        }
    }
}

#[test]
fn an_amplitude_that_is_not_finite_is_an_error_pointing_at_the_embedding() {
    let mut program = circuit(1, vec![embedding(&[0], vec![input(0), constant(0.5)], true, None)], vec![]);
    if let crate::ir::Op::StatePrep(prep) = &mut program.ops[0] {
        prep.span = crate::source::Span { start: 1, end: 2 };
    }
    let span = crate::source::Span::default();
    program.inputs = vec![crate::ir::Variable { name: "x".into(), shape: vec![1], offset: 0, span }];
    let error = execute(&program, &[f64::NAN], &[], None).expect_err("NaN");
    assert_eq!(error.code(), Code::E0901);
    assert_eq!(error.span(), Some(crate::source::Span { start: 1, end: 2 }));
    assert_eq!(error.to_string(), "amplitude 0 of `amplitude_embedding` is NaN, from x[0] = NaN");
}

#[test]
fn amplitude_embedding_normalizes_huge_and_tiny_amplitudes() {
    let frac = std::f64::consts::FRAC_1_SQRT_2;
    for (values, expected) in [
        ([1e200, 1e200, 0.0, 0.0], [frac, frac, 0.0, 0.0]),
        ([1e-200, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]),
        ([0.0, -1.7e308, 0.0, 1.7e308], [0.0, -frac, 0.0, frac]),
        ([5e-324, 0.0, 0.0, 5e-324], [frac, 0.0, 0.0, frac]),
    ] {
        let amplitudes = state::embedding_amplitudes(&values, 2, true, None).expect("a nonzero vector");
        assert_close(&amplitudes, &expected, 1e-15, &format!("{values:?}"));
    }
    // Without `normalize`, the norm is checked with the same scaling: 1e-200 is not a unit vector.
    let error = state::embedding_amplitudes(&[1e-200, 0.0], 1, false, None).expect_err("norm 1e-200");
    assert_eq!(error, SimError::AmplitudeNorm { norm: 1e-200 });
    let error = state::embedding_amplitudes(&[1e300, 1e300], 1, false, None).expect_err("norm 1.4e300");
    assert_eq!(
        error.to_string(),
        "amplitude_embedding: the amplitudes have norm 1.4142135623730952e300 but `normalize` is false"
    );
    assert!(state::embedding_amplitudes(&[0.6, 0.8], 1, false, None).is_ok());
    assert_eq!(state::embedding_amplitudes(&[0.0, 0.0], 1, true, None), Err(SimError::ZeroNorm));
}

#[test]
fn a_need_just_over_the_limit_names_both_amounts_in_bytes() {
    let need = MemoryNeed { n_qubits: 28, state_vectors: 3, other_bytes: 24 };
    let error = SimError::TooLarge { what: "the adjoint Jacobian", need, budget: MemoryBudget::default() };
    assert_eq!(
        error.to_string(),
        "the adjoint Jacobian on 28 qubits needs 12.0 GiB (12884901912 bytes) of memory (3 state vectors of 4.0 \
         GiB), but the limit is 12.0 GiB (12884901888 bytes) (QMLC_MEMORY_LIMIT sets another)"
    );
}
