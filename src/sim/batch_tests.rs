//! The batch engine against one-sample runs: random circuits with `ctrl` gates, angles reading inputs and params.

use super::*;
use crate::ir::{BinOp, Circuit, Expr, Func, GateKind, Variable};
use crate::sim::testing::{circuit, controlled_gate, random_observable};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) const N_INPUTS: usize = 3;
pub(crate) const N_PARAMS: usize = 5;

/// A random angle: an input, a param, a product of two params, a function of an input plus a
/// param, a product of an input and a param, or a constant.
fn random_angle(rng: &mut ChaCha8Rng) -> Expr {
    let input = Expr::Input(rng.random_range(0..N_INPUTS));
    let first = Expr::Param(rng.random_range(0..N_PARAMS));
    let second = Expr::Param(rng.random_range(0..N_PARAMS));
    match rng.random_range(0..7) {
        0 => input,
        1 | 2 => first,
        3 => Expr::binary(BinOp::Mul, first, second),
        4 => Expr::binary(BinOp::Add, Expr::call(Func::Sin, input), first),
        5 => Expr::binary(BinOp::Mul, input, first),
        _ => Expr::Const(0.9),
    }
}

/// A random circuit of every gate kind (some under extra controls) with one to three expectation
/// values, its params, and `n_samples` input rows.
pub(crate) fn random_circuit(
    n_qubits: usize,
    seed: u64,
    n_gates: usize,
    n_samples: usize,
) -> (Circuit, Vec<f64>, Vec<Vec<f64>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ops = Vec::new();
    while ops.len() < n_gates {
        let kind = GateKind::ALL[rng.random_range(0..GateKind::ALL.len())];
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
    let measurements =
        (0..rng.random_range(1..=3)).map(|_| Measurement::Expval(random_observable(&mut rng, n_qubits))).collect();
    let mut program = circuit(n_qubits, ops, measurements);
    program.inputs =
        vec![Variable { name: "x".to_string(), shape: vec![N_INPUTS], offset: 0, span: Default::default() }];
    let params = (0..N_PARAMS).map(|_| rng.random_range(-3.0..3.0)).collect();
    let rows = (0..n_samples).map(|_| (0..N_INPUTS).map(|_| rng.random_range(-3.0..3.0)).collect()).collect();
    (program, params, rows)
}

#[test]
fn the_batch_gives_each_samples_state_and_expectation_values() {
    for seed in 0..120u64 {
        let n_qubits = 1 + (seed % 5) as usize;
        let n_samples = 1 + (seed % 11) as usize;
        let (program, params, rows) = random_circuit(n_qubits, seed, 25, n_samples);
        let plan = Plan::compile(&program).expect("random circuits compile");
        assert!(supports(&plan));
        let inputs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
        let (angles, checks) = batch_angles(&plan, &inputs, &params);
        assert!(checks.iter().all(Result::is_ok));
        let mut scratch = Scratch::default();
        let state = run(&plan, &slots_reading_inputs(&plan), &angles, &mut scratch);
        let values = expvals(&state, &observables(&plan));
        let n_outputs = program.measurements.len();
        for (sample, row) in rows.iter().enumerate() {
            let alone = crate::sim::final_state(&program, row, &params).expect("the sample runs");
            let batched = state.sample(sample);
            for (a, b) in batched.iter().zip(alone.amplitudes()) {
                assert!((a - b).norm() < 1e-12, "seed {seed} sample {sample}: {a} vs {b}");
            }
            let execution = crate::sim::execute(&program, row, &params, None).expect("the sample runs");
            crate::sim::testing::assert_close(
                &values[sample * n_outputs..(sample + 1) * n_outputs],
                &execution.outputs,
                1e-12,
                &format!("seed {seed} sample {sample}"),
            );
        }
    }
}

#[test]
fn a_samples_result_does_not_depend_on_its_batch() {
    let (program, params, rows) = random_circuit(4, 7, 40, 13);
    let plan = Plan::compile(&program).expect("the circuit compiles");
    let reads = slots_reading_inputs(&plan);
    let observables = observables(&plan);
    let all: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let whole =
        expvals(&run(&plan, &reads, &batch_angles(&plan, &all, &params).0, &mut Scratch::default()), &observables);
    let n_outputs = observables.len();
    for split in [1, 3, 8] {
        let mut pieces = Vec::new();
        for chunk in all.chunks(split) {
            let state = run(&plan, &reads, &batch_angles(&plan, chunk, &params).0, &mut Scratch::default());
            pieces.extend(expvals(&state, &observables));
        }
        assert_eq!(pieces.len(), rows.len() * n_outputs);
        assert!(pieces.iter().zip(&whole).all(|(a, b)| a.to_bits() == b.to_bits()), "chunks of {split}");
    }
}

#[test]
fn amplitude_embeddings_and_other_measurements_are_left_to_single_runs() {
    let text =
        "qubits 2\ninput x[4]\ncircuit {\n    amplitude_embedding(x, normalize = true)\n}\nmeasure expval(Z(0))\n";
    let program = crate::check::compile(text).circuit.expect("compiles");
    assert!(!supports(&Plan::compile(&program).expect("plan")));
    let text = "qubits 2\nparam w[1]\ncircuit {\n    ry(w[0]) 0\n}\nmeasure probs(0)\n";
    let program = crate::check::compile(text).circuit.expect("compiles");
    assert!(!supports(&Plan::compile(&program).expect("plan")));
}
