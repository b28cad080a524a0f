//! Conformance tests: hand-built IR of the shared fixtures against PennyLane's outputs and Jacobians, for every method.

use super::*;
use crate::codes::Code;
use crate::ir::{BinOp, Expr, GateKind, Op, Pauli};
use crate::sim::testing::*;

/// The fixture's expected outputs and its Jacobian flattened row-major over the flat param vector
/// (params in `param_names` order).
fn expected(json: &str, param_names: &[&str]) -> (Vec<f64>, Vec<f64>) {
    fn flatten(value: &serde_json::Value, out: &mut Vec<f64>) {
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|item| flatten(item, out)),
            serde_json::Value::Number(number) => out.push(number.as_f64().expect("a finite number")),
            other => panic!("unexpected JSON value {other}"),
        }
    }
    let document: serde_json::Value = serde_json::from_str(json).expect("the fixture is JSON");
    let mut outputs = Vec::new();
    flatten(&document["outputs"], &mut outputs);
    let mut jacobian = Vec::new();
    for output_idx in 0..outputs.len() {
        for name in param_names {
            flatten(&document["jacobian"][name][output_idx], &mut jacobian);
        }
    }
    (outputs, jacobian)
}

fn check_all_methods(
    circuit: &Circuit,
    inputs: &[f64],
    params: &[f64],
    expected_outputs: &[f64],
    expected_jacobian: &[f64],
) {
    let execution = crate::sim::execute(circuit, inputs, params, None).expect("the fixture runs");
    assert_close(&execution.outputs, expected_outputs, 1e-9, "run outputs");
    for (method, tolerance) in [
        (GradientMethod::Adjoint, 1e-8),
        (GradientMethod::ParameterShift, 1e-8),
        (GradientMethod::Auto, 1e-8),
        (GradientMethod::FiniteDiff, 1e-5),
    ] {
        let result = jacobian(circuit, inputs, params, method, None).expect("the fixture differentiates");
        assert_close(&result.outputs, expected_outputs, 1e-9, &format!("{} outputs", method.name()));
        assert_eq!((result.n_outputs, result.n_params), (expected_outputs.len(), params.len()));
        assert_close(&result.values, expected_jacobian, tolerance, &format!("{} jacobian", method.name()));
        check_vjp_against(circuit, inputs, params, method, &result);
    }
}

/// Cotangent weights for `n_outputs` outputs: mixed signs, with zeros among them.
fn sample_weights(n_outputs: usize) -> Vec<f64> {
    (0..n_outputs).map(|output_idx| ((output_idx * 7 % 5) as f64 - 2.0) * 0.37).collect()
}

/// The vector-Jacobian product by `method` against cᵀJ from `jacobian` (the same method's): to
/// 1e-12 for the adjoint method's single cotangent-weighted sweep, bit for bit for the methods
/// that multiply the Jacobian.
fn check_vjp_against(circuit: &Circuit, inputs: &[f64], params: &[f64], method: GradientMethod, jacobian: &Jacobian) {
    let weights = sample_weights(jacobian.n_outputs);
    let expected = vector_jacobian_product(&weights, &jacobian.values, jacobian.n_params);
    let (outputs, gradient) = vjp(circuit, inputs, params, method, None, GradOptions::default(), |outputs| {
        assert_eq!(outputs, &jacobian.outputs[..], "the cotangent function sees the outputs");
        Ok::<_, ()>(weights.clone())
    })
    .expect("the vector-Jacobian product");
    assert_eq!(outputs, jacobian.outputs, "{} vjp outputs", method.name());
    match resolve_vjp_method(method) {
        GradientMethod::Adjoint => assert_close(&gradient, &expected, 1e-12, &format!("{} vjp", method.name())),
        _ => assert_eq!(gradient, expected, "{} vjp", method.name()),
    }
}

/// The method `vjp` runs for `method` without shots.
fn resolve_vjp_method(method: GradientMethod) -> GradientMethod {
    if method == GradientMethod::Auto {
        GradientMethod::Adjoint
    } else {
        method
    }
}

fn gate_zoo() -> Circuit {
    use GateKind::*;
    let a = param;
    circuit(
        3,
        vec![
            gate(H, &[0], vec![]),
            gate(H, &[1], vec![]),
            gate(SX, &[2], vec![]),
            gate(RX, &[0], vec![a(0)]),
            gate(RY, &[1], vec![a(1)]),
            gate(RZ, &[2], vec![a(2)]),
            gate(Phase, &[0], vec![a(3)]),
            gate(Rot, &[1], vec![a(4), a(5), a(6)]),
            gate(CRX, &[0, 2], vec![a(7)]),
            gate(CRY, &[2, 1], vec![a(8)]),
            gate(CRZ, &[1, 0], vec![a(9)]),
            gate(IsingXX, &[0, 1], vec![a(10)]),
            gate(IsingZZ, &[1, 2], vec![a(11)]),
            gate(CZ, &[0, 2], vec![]),
            gate(Swap, &[0, 1], vec![]),
            gate(S, &[2], vec![]),
            gate(T, &[0], vec![]),
        ],
        vec![
            Measurement::Expval(observable(&[
                (0.5, &[(Pauli::Z, 0), (Pauli::Z, 1)]),
                (-1.2, &[(Pauli::X, 2)]),
                (0.3, &[(Pauli::Y, 0), (Pauli::Y, 1)]),
            ])),
            Measurement::Expval(single(Pauli::Z, 2)),
            Measurement::Probs(wires(&[2])),
        ],
    )
}

const GATE_ZOO_PARAMS: [f64; 12] = [
    -1.437706, -1.500296, -1.128724, -2.944779, -1.832652, -1.000546, -2.07349, 2.2062, 2.036865, -2.737013, -2.411012,
    -1.483561,
];

#[test]
fn gate_zoo_matches_pennylane_for_every_method() {
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/gate_zoo.expected.json"), &["a"]);
    check_all_methods(&gate_zoo(), &[], &GATE_ZOO_PARAMS, &outputs, &jacobian);
}

#[test]
fn bell_matches_pennylane() {
    let bell = bell_circuit(Vec::new());
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/bell.expected.json"), &[]);
    check_all_methods(&bell, &[], &[], &outputs, &jacobian);
}

#[test]
fn def_block_matches_pennylane() {
    // theta[2, 2] is params 0..4 (theta[l, i] = 2l + i), phi is param 4; the def is expanded by hand.
    let mut ops = Vec::new();
    for layer in 0..2 {
        for (first, second) in [(0, 1), (1, 2)] {
            ops.push(gate(GateKind::RY, &[first], vec![param(2 * layer)]));
            ops.push(gate(GateKind::RZ, &[second], vec![param(2 * layer + 1)]));
            ops.push(gate(GateKind::CNOT, &[first, second], vec![]));
        }
    }
    ops.push(gate(GateKind::RX, &[2], vec![Expr::binary(BinOp::Mul, constant(2.0), param(4))]));
    let program = circuit(
        3,
        ops,
        vec![
            Measurement::Expval(single(Pauli::Z, 2)),
            Measurement::Expval(observable(&[(1.0, &[(Pauli::X, 0), (Pauli::Z, 1)])])),
        ],
    );
    let params = [3.054471, -2.458035, 2.38737, 1.32712, 0.3];
    let (outputs, jacobian) =
        expected(include_str!("../../tests/conformance/def_block.expected.json"), &["theta", "phi"]);
    check_all_methods(&program, &[], &params, &outputs, &jacobian);
}

#[test]
fn reupload_matches_pennylane() {
    // w[3, 2, 2] is params 0..12 (w[l, i, k] = 4l + 2i + k); x[2] is inputs 0..2.
    let mut ops = Vec::new();
    for layer in 0..3 {
        for wire in 0..2 {
            let w = |k: usize| param(4 * layer + 2 * wire + k);
            let angle = Expr::binary(BinOp::Add, Expr::binary(BinOp::Mul, w(0), input(wire)), w(1));
            ops.push(gate(GateKind::RY, &[wire as u32], vec![angle]));
        }
        ops.push(gate(GateKind::CZ, &[0, 1], vec![]));
    }
    let program = circuit(
        2,
        ops,
        vec![
            Measurement::Expval(single(Pauli::Z, 0)),
            Measurement::Expval(observable(&[(1.0, &[(Pauli::Z, 0), (Pauli::Z, 1)])])),
        ],
    );
    let params = [
        0.166067, -0.509071, 0.403007, 1.858914, 0.562192, -0.978448, 1.566372, -1.875847, 3.11716, -1.570176,
        -1.807798, 2.496472,
    ];
    let inputs = [3.061234, 2.567723];
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/reupload.expected.json"), &["w"]);
    check_all_methods(&program, &inputs, &params, &outputs, &jacobian);
}

#[test]
fn amplitude_embedding_fixture_matches_pennylane() {
    // amplitude_embedding(x, normalize = true, pad = 0.0), then basic_entangler_layers(w[2, 3]) expanded by hand.
    let mut ops = vec![embedding(&[0, 1, 2], (0..6).map(input).collect(), true, Some(0.0))];
    for layer in 0..2 {
        for wire in 0..3u32 {
            ops.push(gate(GateKind::RX, &[wire], vec![param(3 * layer + wire as usize)]));
        }
        for wire in 0..3u32 {
            ops.push(gate(GateKind::CNOT, &[wire, (wire + 1) % 3], vec![]));
        }
    }
    let program = circuit(3, ops, vec![Measurement::Probs(wires(&[0, 1, 2]))]);
    let params = [-1.540492, 1.026572, 0.801064, 1.079617, -1.647624, 2.925838];
    let inputs = [0.922315, 0.013746, -0.757366, 0.313544, -0.782252, 0.197601];
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/amplitude.expected.json"), &["w"]);
    check_all_methods(&program, &inputs, &params, &outputs, &jacobian);
}

#[test]
fn adjoint_with_shots_is_an_error_that_says_why() {
    let error =
        jacobian(&gate_zoo(), &[], &GATE_ZOO_PARAMS, GradientMethod::Adjoint, Some(Shots { count: 100, seed: 1 }))
            .expect_err("adjoint needs exact execution");
    assert_eq!(error, GradError::AdjointWithShots);
    assert!(error.to_string().contains("exact execution"), "{error}");
}

#[test]
fn sample_and_state_are_not_differentiable() {
    for measurement in [Measurement::Sample(single(Pauli::Z, 0)), Measurement::State] {
        let program = circuit(1, vec![gate(GateKind::RX, &[0], vec![param(0)])], vec![measurement]);
        let error = jacobian(&program, &[], &[0.3], GradientMethod::Auto, None).expect_err("not differentiable");
        assert!(matches!(error, GradError::NotDifferentiable { measurement_idx: 0, .. }), "{error}");
    }
}

#[test]
fn amplitudes_that_read_params_are_refused() {
    let program = circuit(
        1,
        vec![embedding(&[0], vec![param(0), constant(0.5)], true, None)],
        vec![Measurement::Probs(wires(&[0]))],
    );
    let error = jacobian(&program, &[], &[0.3], GradientMethod::FiniteDiff, None).expect_err("not differentiable");
    assert_eq!(error, GradError::ParamInEmbedding { op_idx: 0 });
}

#[test]
fn parameter_shift_with_shots_is_reproducible_and_near_the_exact_jacobian() {
    let shots = Some(Shots { count: 40_000, seed: 5 });
    let program = gate_zoo();
    let sampled = jacobian(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::Auto, shots).expect("runs");
    let again = jacobian(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::ParameterShift, shots).expect("runs");
    assert_eq!(sampled, again);
    let run = crate::sim::execute(&program, &[], &GATE_ZOO_PARAMS, shots).expect("runs");
    assert_eq!(sampled.outputs, run.outputs, "grad and run give the same sampled outputs");
    let exact = jacobian(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::Adjoint, None).expect("runs");
    // Each derivative is a combination of at most four estimates with weights ≤ 1/2 of values in [-2, 2].
    let bound = 5.0 * 4.0 * 0.5 * 2.0 / (40_000f64).sqrt();
    assert_close(&sampled.values, &exact.values, bound, "sampled jacobian");
}

#[test]
fn finite_diff_step_is_configurable_and_checked() {
    let program = gate_zoo();
    let options = GradOptions { finite_diff_step: 1e-4, ..GradOptions::default() };
    let coarse = jacobian_with_options(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::FiniteDiff, None, options)
        .expect("runs");
    let exact = jacobian(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::Adjoint, None).expect("runs");
    assert_close(&coarse.values, &exact.values, 1e-7, "h = 1e-4");
    let bad = GradOptions { finite_diff_step: 0.0, ..GradOptions::default() };
    assert!(jacobian_with_options(&program, &[], &GATE_ZOO_PARAMS, GradientMethod::FiniteDiff, None, bad).is_err());
}

#[test]
fn sampled_variance_gradients_are_near_the_exact_ones() {
    let program = circuit(
        2,
        vec![
            gate(GateKind::RX, &[0], vec![param(0)]),
            gate(GateKind::RY, &[1], vec![param(1)]),
            gate(GateKind::CNOT, &[0, 1], vec![]),
        ],
        vec![Measurement::Var(observable(&[(1.0, &[(Pauli::Z, 0)]), (0.5, &[(Pauli::Z, 1)])]))],
    );
    let params = [0.8, -0.5];
    let exact = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("exact");
    let sampled = jacobian(&program, &[], &params, GradientMethod::Auto, Some(Shots { count: 100_000, seed: 3 }))
        .expect("sampled");
    assert_close(&sampled.outputs, &exact.outputs, 0.02, "sampled variance");
    assert_close(&sampled.values, &exact.values, 0.05, "sampled variance gradient");
}

#[test]
fn basic_entangler_fixture_with_a_variance_matches_pennylane() {
    // angle_embedding(x) (rx), then basic_entangler_layers(w[2, 3], rotation = Y) expanded by hand.
    let mut ops: Vec<Op> = (0..3u32).map(|wire| gate(GateKind::RX, &[wire], vec![input(wire as usize)])).collect();
    for layer in 0..2 {
        for wire in 0..3u32 {
            ops.push(gate(GateKind::RY, &[wire], vec![param(3 * layer + wire as usize)]));
        }
        for wire in 0..3u32 {
            ops.push(gate(GateKind::CNOT, &[wire, (wire + 1) % 3], vec![]));
        }
    }
    let program = circuit(
        3,
        ops,
        vec![
            Measurement::Expval(single(Pauli::Z, 0)),
            Measurement::Var(single(Pauli::X, 1)),
            Measurement::Expval(single(Pauli::Y, 2)),
        ],
    );
    let params = [2.4849, 0.278965, 1.48818, 0.264654, 2.929504, -2.113958];
    let inputs = [-0.631965, -2.343689, 1.209353];
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/basic_entangler.expected.json"), &["w"]);
    check_all_methods(&program, &inputs, &params, &outputs, &jacobian);
}

#[test]
fn iqp_and_strongly_entangling_fixture_matches_pennylane() {
    // iqp_embedding(x, repeats = 2), then strongly_entangling_layers(w[2, 3, 3], ranges = [1, 2], imprimitive = cz).
    let mut ops = Vec::new();
    for _repeat in 0..2 {
        for wire in 0..3u32 {
            ops.push(gate(GateKind::H, &[wire], vec![]));
            ops.push(gate(GateKind::RZ, &[wire], vec![input(wire as usize)]));
        }
        for (first, second) in [(0u32, 1u32), (0, 2), (1, 2)] {
            let angle = Expr::binary(BinOp::Mul, input(first as usize), input(second as usize));
            ops.push(gate(GateKind::MultiRZ, &[first, second], vec![angle]));
        }
    }
    for (layer, range) in [(0usize, 1u32), (1, 2)] {
        for wire in 0..3u32 {
            let w = |k: usize| param(9 * layer + 3 * wire as usize + k);
            ops.push(gate(GateKind::Rot, &[wire], vec![w(0), w(1), w(2)]));
        }
        for wire in 0..3u32 {
            ops.push(gate(GateKind::CZ, &[wire, (wire + range) % 3], vec![]));
        }
    }
    let program = circuit(
        3,
        ops,
        vec![
            Measurement::Expval(observable(&[(1.0, &[(Pauli::Z, 0), (Pauli::Z, 1), (Pauli::Z, 2)])])),
            Measurement::Probs(wires(&[0, 2])),
        ],
    );
    let params = [
        -0.704151, 1.677377, 1.834035, 2.027089, 1.381698, -2.310526, -2.554495, 2.43486, 0.062375, -2.502688,
        0.679202, -0.429022, 0.2553, 0.299351, 1.157609, 2.145183, 1.635867, -2.081243,
    ];
    let inputs = [0.808471, 0.165316, 0.314741];
    let (outputs, jacobian) = expected(include_str!("../../tests/conformance/iqp_sel.expected.json"), &["w"]);
    check_all_methods(&program, &inputs, &params, &outputs, &jacobian);
}

#[test]
fn the_adjoint_method_on_a_register_large_enough_for_parallel_kernels_matches_parameter_shift() {
    // 15 qubits: the forward state's kernels split across threads while the cotangents run one per
    // thread with sequential kernels; both must give the parameter-shift Jacobian.
    let n_qubits = 15u32;
    let mut ops = Vec::new();
    for wire in 0..n_qubits {
        ops.push(gate(GateKind::RY, &[wire], vec![param(wire as usize % 5)]));
    }
    for wire in 0..n_qubits - 1 {
        ops.push(gate(GateKind::CNOT, &[wire, wire + 1], vec![]));
    }
    ops.push(controlled_gate(GateKind::RX, &[3], &[0], vec![param(1)]));
    ops.push(gate(GateKind::Rot, &[7], vec![param(2), param(3), param(4)]));
    let measurements = (0..6).map(|wire| Measurement::Expval(single(Pauli::Z, wire))).collect();
    let circuit = circuit(n_qubits as usize, ops, measurements);
    let params = [0.3, -1.1, 0.7, 2.0, -0.4];
    let adjoint = jacobian(&circuit, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
    let shift = jacobian(&circuit, &[], &params, GradientMethod::ParameterShift, None).expect("parameter shift");
    for (a, s) in adjoint.values.iter().zip(&shift.values) {
        assert!((a - s).abs() < 1e-10, "{a} vs {s}");
    }
    assert!(adjoint.values.iter().any(|v| v.abs() > 1e-3), "the Jacobian is not trivially zero");
}

// ---------------------------------------------------------------------------------------------
// Values that are not finite, and memory
// ---------------------------------------------------------------------------------------------

/// A one-qubit circuit `ry(angle) 0` reading param `w`, measured by ⟨Z⟩.
#[test]
fn the_fused_adjoint_sweep_gives_the_same_bits_on_any_number_of_threads_and_matches_the_per_gate_sweep() {
    // 15 qubits, so that passes split their amplitudes over threads (one output, a VJP) or the
    // cotangents go one group per thread (several outputs); with an embedding-like `ry` layer
    // merged into the `rot`s, controlled parts, a product of params and a var and a probs output.
    let n_qubits = 15u32;
    let mut ops = Vec::new();
    for wire in 0..n_qubits {
        ops.push(gate(GateKind::RY, &[wire], vec![Expr::Const(0.1 * f64::from(wire) + 0.2)]));
    }
    for layer in 0..2u32 {
        for wire in 0..n_qubits {
            let slot = |k: u32| param(((layer * 3 + k + wire) % 7) as usize);
            ops.push(gate(GateKind::Rot, &[wire], vec![slot(0), slot(1), slot(2)]));
        }
        for wire in 0..n_qubits {
            ops.push(gate(GateKind::CNOT, &[wire, (wire + 1 + layer) % n_qubits], vec![]));
        }
    }
    ops.push(controlled_gate(GateKind::RY, &[2], &[9], vec![Expr::binary(BinOp::Mul, param(5), param(6))]));
    ops.push(gate(GateKind::IsingXX, &[4, 11], vec![param(0)]));
    ops.push(gate(GateKind::U3, &[0], vec![param(1), param(2), param(3)]));
    let measurements = vec![
        Measurement::Expval(single(Pauli::Z, 0)),
        Measurement::Var(single(Pauli::X, 3)),
        Measurement::Probs(vec![crate::ir::Wire(1)]),
    ];
    let circuit = circuit(n_qubits as usize, ops, measurements);
    let params = [0.3, -1.1, 0.7, 2.0, -0.4, 0.9, 1.3];
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        pool.install(|| {
            let jacobian = jacobian(&circuit, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
            let weights = [0.5, -1.0, 2.0, 0.25];
            let options = GradOptions::default();
            let (_, gradient) =
                vjp(&circuit, &[], &params, GradientMethod::Adjoint, None, options, |_| Ok::<_, ()>(weights.to_vec()))
                    .expect("vjp");
            (jacobian, gradient)
        })
    };
    let (one_thread, one_thread_vjp) = run(1);
    for threads in [2, 3] {
        let (jacobian, gradient) = run(threads);
        assert_eq!(jacobian, one_thread, "{threads} threads");
        assert_eq!(gradient, one_thread_vjp, "{threads} threads");
    }
    let per_gate = adjoint::reference::jacobian(&circuit, &[], &params, MemoryBudget::default()).expect("per-gate");
    for (a, b) in one_thread.values.iter().zip(&per_gate.values) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    assert!(one_thread.values.iter().any(|v| v.abs() > 1e-3), "the Jacobian is not trivially zero");
}

fn one_param_circuit(angle: Expr) -> Circuit {
    use crate::ir::{Init, Param, Variable};
    let span = crate::source::Span { start: 4, end: 11 };
    let mut program =
        circuit(1, vec![gate(GateKind::RY, &[0], vec![angle])], vec![Measurement::Expval(single(Pauli::Z, 0))]);
    if let Op::Gate(gate) = &mut program.ops[0] {
        gate.span = span;
    }
    program.params =
        vec![Param { variable: Variable { name: "w".into(), shape: vec![], offset: 0, span }, init: Init::Zeros }];
    program
}

#[test]
fn a_jacobian_through_an_angle_that_is_not_finite_is_an_error_by_every_method() {
    let program = one_param_circuit(param(0));
    let shots = Some(Shots { count: 100, seed: 0 });
    for (method, shots) in [
        (GradientMethod::Adjoint, None),
        (GradientMethod::ParameterShift, None),
        (GradientMethod::ParameterShift, shots),
        (GradientMethod::FiniteDiff, None),
    ] {
        let error = jacobian(&program, &[], &[f64::INFINITY], method, shots).expect_err("an infinite angle");
        let GradError::Sim(error) = error else { panic!("{method:?}: {error}") };
        assert_eq!(error.to_string(), "the angle of `ry` is inf, from w = inf", "{method:?}");
        assert_eq!(error.code(), Code::E0901);
        assert_eq!(error.span(), Some(crate::source::Span { start: 4, end: 11 }));
    }
}

#[test]
fn an_angle_without_a_derivative_is_an_error_not_an_infinite_jacobian_entry() {
    let program = one_param_circuit(Expr::Call(crate::ir::Func::Sqrt, Box::new(param(0))));
    for method in [GradientMethod::Adjoint, GradientMethod::ParameterShift] {
        let error = jacobian(&program, &[], &[0.0], method, None).expect_err("d sqrt(w) / dw is inf at 0");
        assert_eq!(
            error.to_string(),
            "the derivative of the angle of `ry` (which is 0) by `w` is inf, from `sqrt(w)` with w = 0",
            "{method:?}"
        );
    }
    // Finite differences step to sqrt(-h), an angle that is NaN.
    let error = jacobian(&program, &[], &[0.0], GradientMethod::FiniteDiff, None).expect_err("sqrt(-1e-6)");
    assert_eq!(error.to_string(), "the angle of `ry` is NaN, from `sqrt(w)` with w = -1e-6");
    // Away from 0 every method gives the derivative −sin(√w) / (2√w).
    let expected = -(0.25f64.sqrt()).sin() / (2.0 * 0.25f64.sqrt());
    for method in [GradientMethod::Adjoint, GradientMethod::ParameterShift, GradientMethod::FiniteDiff] {
        let result = jacobian(&program, &[], &[0.25], method, None).expect("differentiable at 0.25");
        assert!((result.values[0] - expected).abs() < 1e-8, "{method:?}: {}", result.values[0]);
    }
}

#[test]
fn the_adjoint_method_counts_its_states_and_refuses_what_does_not_fit() {
    let state_bytes = 16u128 << 20;
    let measured = |measurements| {
        let mut program = one_param_circuit(param(0));
        program.n_qubits = 20;
        program.measurements = measurements;
        program
    };
    // The forward state, its running copy and one cotangent, and 8 bytes of Jacobian, of output
    // and of the batch's row.
    let expval = measured(vec![Measurement::Expval(single(Pauli::Z, 0))]);
    assert_eq!(bytes_needed(&expval, GradientMethod::Adjoint, None), 3 * state_bytes + 24);
    assert_eq!(bytes_needed(&expval, GradientMethod::Auto, None), 3 * state_bytes + 24);
    // A variance's cotangent needs O|ψ> while it is built.
    let var = measured(vec![Measurement::Var(single(Pauli::X, 0))]);
    assert_eq!(bytes_needed(&var, GradientMethod::Adjoint, None), 4 * state_bytes + 24);
    let budget = MemoryBudget { limit_bytes: 50 << 20, origin: crate::sim::BudgetOrigin::Setting };
    let options = GradOptions { memory: budget, ..GradOptions::default() };
    let error = jacobian_with_options(&var, &[], &[0.3], GradientMethod::Adjoint, None, options).expect_err("64 MiB");
    assert_eq!(
        error.to_string(),
        "the adjoint Jacobian on 20 qubits needs 64.0 MiB of memory (4 state vectors of 16.0 MiB), but \
         QMLC_MEMORY_LIMIT allows 50.0 MiB"
    );
    // Parameter shift on 20 qubits runs one circuit at a time: the state and O|ψ>.
    assert_eq!(
        bytes_needed(&var, GradientMethod::ParameterShift, None),
        2 * state_bytes + (2 + 1) * 2 * 8 + 2 * 8 + 16
    );
    assert!(jacobian_with_options(&var, &[], &[0.3], GradientMethod::ParameterShift, None, options).is_ok());
}

#[test]
fn a_tight_budget_sweeps_fewer_cotangents_at_a_time_with_the_same_result() {
    // probs on 3 of 16 qubits: 8 cotangents, which fit together in the default budget.
    let n_qubits = 16u32;
    let mut ops = Vec::new();
    for wire in 0..n_qubits {
        ops.push(gate(GateKind::RY, &[wire], vec![param(wire as usize % 3)]));
    }
    for wire in 0..n_qubits - 1 {
        ops.push(gate(GateKind::CNOT, &[wire, wire + 1], vec![]));
    }
    let program = circuit(n_qubits as usize, ops, vec![Measurement::Probs(wires(&[0, 7, 15]))]);
    let params = [0.4, -0.9, 1.3];
    let ample = jacobian(&program, &[], &params, GradientMethod::Adjoint, None).expect("fits");
    // Room for the state, its copy and two cotangents (1 MiB each), and the small buffers.
    let budget = MemoryBudget { limit_bytes: (4 << 20) + 4096, origin: crate::sim::BudgetOrigin::Setting };
    let options = GradOptions { memory: budget, ..GradOptions::default() };
    let tight = jacobian_with_options(&program, &[], &params, GradientMethod::Adjoint, None, options).expect("fits");
    assert_eq!(ample, tight);
    assert!(ample.values.iter().any(|value| value.abs() > 1e-3));
}

#[test]
fn any_shot_count_is_answered_without_panicking() {
    let program = one_param_circuit(param(0));
    for count in [usize::MAX, crate::sim::MAX_SHOTS as usize + 1] {
        let shots = Some(Shots { count, seed: 0 });
        let error = jacobian(&program, &[], &[0.3], GradientMethod::Auto, shots).expect_err("too many shots");
        assert_eq!(error, GradError::Sim(SimError::TooManyShots { count: count as u128 }));
        assert!(bytes_needed(&program, GradientMethod::ParameterShift, shots) > 0);
    }
    let shots = Some(Shots { count: crate::sim::MAX_SHOTS as usize, seed: 0 });
    let result = jacobian(&program, &[], &[0.3], GradientMethod::Auto, shots).expect("2^53 shots are counted");
    assert!((result.values[0] + 0.3f64.sin()).abs() < 1e-6, "{}", result.values[0]);
}

#[test]
fn auto_picks_parameter_shift_when_outputs_outnumber_shifted_evaluations() {
    use crate::ir::Measurement;
    let wires_all: Vec<u32> = (0..6).collect();
    let ops: Vec<Op> = wires_all.iter().map(|&wire| gate(GateKind::RY, &[wire], vec![param(0)])).collect();
    let many_outputs = circuit(6, ops.clone(), vec![Measurement::Probs(wires(&wires_all))]);
    let few_outputs = circuit(6, ops, vec![Measurement::Expval(single(Pauli::Z, 0))]);
    // 64 probabilities against 2 × 6 shifted evaluations; one expectation against 12.
    assert_eq!(resolve_auto(GradientMethod::Auto, &many_outputs, None), GradientMethod::ParameterShift);
    assert_eq!(resolve_auto(GradientMethod::Auto, &few_outputs, None), GradientMethod::Adjoint);
    assert_eq!(
        resolve_auto(GradientMethod::Auto, &few_outputs, Some(Shots { count: 10, seed: 0 })),
        GradientMethod::ParameterShift
    );
    assert_eq!(resolve_auto(GradientMethod::FiniteDiff, &many_outputs, None), GradientMethod::FiniteDiff);
}

// ---------------------------------------------------------------------------------------------
// Vector-Jacobian products
// ---------------------------------------------------------------------------------------------

#[test]
fn the_adjoint_vjp_on_a_register_large_enough_for_parallel_kernels_equals_the_cotangent_times_the_jacobian() {
    // 14 qubits: the cotangent-weighted state is built and swept with parallel kernels, from an
    // expval of a sum of words, a variance and the probabilities of two wires.
    let n_qubits = 14u32;
    let mut ops = Vec::new();
    for wire in 0..n_qubits {
        ops.push(gate(GateKind::RY, &[wire], vec![param(wire as usize % 4)]));
    }
    for wire in 0..n_qubits - 1 {
        ops.push(gate(GateKind::CNOT, &[wire, wire + 1], vec![]));
    }
    ops.push(controlled_gate(GateKind::CRX, &[3, 5], &[0], vec![Expr::binary(BinOp::Mul, param(1), param(2))]));
    ops.push(gate(GateKind::Rot, &[7], vec![param(2), param(3), param(0)]));
    let measurements = vec![
        Measurement::Expval(observable(&[(0.7, &[(Pauli::Z, 0), (Pauli::X, 5)]), (-0.4, &[(Pauli::Y, 7)])])),
        Measurement::Var(observable(&[(1.3, &[(Pauli::X, 3)]), (0.5, &[(Pauli::Z, 1), (Pauli::H, 2)])])),
        Measurement::Probs(wires(&[5, 2])),
    ];
    let circuit = circuit(n_qubits as usize, ops, measurements);
    let params = [0.3, -1.1, 0.7, 2.0];
    let jacobian = jacobian(&circuit, &[], &params, GradientMethod::Adjoint, None).expect("adjoint");
    assert!(jacobian.values.iter().any(|v| v.abs() > 1e-3), "the Jacobian is not trivially zero");
    check_vjp_against(&circuit, &[], &params, GradientMethod::Adjoint, &jacobian);
}

#[test]
fn a_vjp_refuses_a_cotangent_of_the_wrong_length_and_passes_on_the_cotangents_own_error() {
    for method in [GradientMethod::Adjoint, GradientMethod::ParameterShift] {
        let too_short =
            vjp(&gate_zoo(), &[], &GATE_ZOO_PARAMS, method, None, GradOptions::default(), |_| Ok::<_, ()>(vec![1.0]));
        assert_eq!(too_short, Err(VjpError::Grad(GradError::CotangentLength { expected: 4, found: 1 })));
        let refused = vjp(&gate_zoo(), &[], &GATE_ZOO_PARAMS, method, None, GradOptions::default(), |_| {
            Err::<Vec<f64>, _>("no cotangent")
        });
        assert_eq!(refused, Err(VjpError::Cotangent("no cotangent")));
    }
    let with_shots = vjp(
        &gate_zoo(),
        &[],
        &GATE_ZOO_PARAMS,
        GradientMethod::Adjoint,
        Some(Shots { count: 100, seed: 1 }),
        GradOptions::default(),
        |outputs| Ok::<_, ()>(vec![1.0; outputs.len()]),
    );
    assert_eq!(with_shots, Err(VjpError::Grad(GradError::AdjointWithShots)));
}

#[test]
fn a_vjp_with_shots_multiplies_the_parameter_shift_jacobian() {
    let shots = Some(Shots { count: 500, seed: 9 });
    let jacobian = jacobian(&gate_zoo(), &[], &GATE_ZOO_PARAMS, GradientMethod::Auto, shots).expect("shift");
    let weights = sample_weights(jacobian.n_outputs);
    let (outputs, gradient) =
        vjp(&gate_zoo(), &[], &GATE_ZOO_PARAMS, GradientMethod::Auto, shots, GradOptions::default(), |_| {
            Ok::<_, ()>(weights.clone())
        })
        .expect("the product");
    assert_eq!(outputs, jacobian.outputs);
    assert_eq!(gradient, vector_jacobian_product(&weights, &jacobian.values, jacobian.n_params));
}
