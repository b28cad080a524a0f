//! The batched adjoint product against one sample at a time (`grad::vjp`).

use super::*;
use crate::ir::GradientMethod;
use crate::sim::batch::tests::random_circuit;

/// A cotangent that depends on the outputs, as a loss's does.
fn weights_of(outputs: &[f64]) -> Vec<f64> {
    outputs.iter().enumerate().map(|(idx, y)| 0.5 * y - 0.3 + idx as f64 * 0.25).collect()
}

#[test]
fn the_batched_product_is_each_samples_product() {
    for seed in 0..120u64 {
        let n_qubits = 1 + (seed % 5) as usize;
        let n_samples = 1 + (seed % 9) as usize;
        let (program, params, rows) = random_circuit(n_qubits, 1000 + seed, 20, n_samples);
        let plan = Plan::compile(&program).expect("random circuits compile");
        let inputs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
        let mut seen = Vec::new();
        let results = vjp(&plan, &inputs, &params, |position, outputs| -> Result<Vec<f64>, ()> {
            seen.push(position);
            Ok(weights_of(outputs))
        });
        assert_eq!(seen, (0..n_samples).collect::<Vec<_>>(), "one cotangent call per sample, in order");
        for (sample, (row, result)) in rows.iter().zip(results).enumerate() {
            let (expected_outputs, expected_gradient) = crate::grad::vjp(
                &program,
                row,
                &params,
                GradientMethod::Adjoint,
                None,
                crate::grad::GradOptions::default(),
                |outputs| -> Result<Vec<f64>, ()> { Ok(weights_of(outputs)) },
            )
            .expect("the sample's product");
            let BatchSample::Done { outputs, gradient } = result else {
                panic!("seed {seed} sample {sample}: {result:?}");
            };
            let what = format!("seed {seed} sample {sample}");
            crate::sim::testing::assert_close(&outputs, &expected_outputs, 1e-12, &what);
            crate::sim::testing::assert_close(&gradient, &expected_gradient, 1e-12, &what);
        }
    }
}

#[test]
fn samples_that_fail_their_checks_or_cotangents_are_reported_apart() {
    let text = "qubits 2\ninput x[2]\nparam w[2]\ncircuit {\n    ry(x[0]) 0\n    rx(sqrt(w[0] - x[1])) 1\n    cnot 0, 1\n    rz(w[1]) 1\n}\nmeasure expval(Z(1))\nmeasure expval(X(0))\n";
    let program = crate::check::compile(text).circuit.expect("compiles");
    let plan = Plan::compile(&program).expect("plan");
    // sqrt(w - x) at x = w has an angle but no derivative by w.
    let params = [0.7, 0.4];
    let rows: Vec<Vec<f64>> = vec![vec![0.1, 0.2], vec![f64::INFINITY, 0.2], vec![0.3, 0.7], vec![0.5, 0.6]];
    let inputs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let results = vjp(
        &plan,
        &inputs,
        &params,
        |position, outputs| {
            if position == 3 {
                Err("no weights")
            } else {
                Ok(weights_of(outputs))
            }
        },
    );
    assert!(matches!(results[0], BatchSample::Done { .. }), "{:?}", results[0]);
    assert!(matches!(results[1], BatchSample::Unbatched), "{:?}", results[1]);
    assert!(matches!(results[2], BatchSample::Unbatched), "{:?}", results[2]);
    assert!(matches!(results[3], BatchSample::Failed(VjpError::Cotangent("no weights"))), "{:?}", results[3]);
    let results =
        vjp(&plan, &inputs, &params, |_, outputs| -> Result<Vec<f64>, ()> { Ok(weights_of(outputs)[..1].to_vec()) });
    assert!(
        matches!(results[0], BatchSample::Failed(VjpError::Grad(GradError::CotangentLength { expected: 2, found: 1 }))),
        "{:?}",
        results[0]
    );
    assert!(matches!(results[1], BatchSample::Unbatched));
}

/// Projector and Hermitian observables, written out as Pauli words for the batch engine, give
/// each sample's outputs and product as the one-sample adjoint method (a direct product) does.
#[test]
fn projector_and_hermitian_observables_batch_as_one_sample_at_a_time() {
    let text = "qubits 3\ninput x[2]\nparam w[3]\nconst m = [[0.5, 0.3, -1, 0.2], [0.3, -1.2, 0.7, 0], [-1, 0.7, 2, 0.4], [0.2, 0, 0.4, 0.1]]\n\
                circuit {\n    ry(x[0]) 0\n    rx(w[0]) 1\n    cnot 0, 1\n    ry(x[1] * w[1]) 2\n    cnot 1, 2\n    rz(w[2]) 0\n    h 1\n}\n\
                measure expval(projector([0, 1, 1], 0, 1, 2)), expval(hermitian(m, 2, 0) @ X(1) - 0.5 * projector([1], 1))\n";
    let program = crate::check::compile(text).circuit.expect("compiles");
    let plan = Plan::compile(&program).expect("plan");
    assert!(crate::sim::batch::supports(&plan), "the observables expand into few words");
    let params = [0.7, -0.4, 1.3];
    let rows: Vec<Vec<f64>> = vec![vec![0.1, 0.2], vec![-0.8, 1.5], vec![2.0, -0.3]];
    let inputs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let results = vjp(&plan, &inputs, &params, |_, outputs| -> Result<Vec<f64>, ()> { Ok(weights_of(outputs)) });
    for (sample, (row, result)) in rows.iter().zip(results).enumerate() {
        let (expected_outputs, expected_gradient) = crate::grad::vjp(
            &program,
            row,
            &params,
            GradientMethod::Adjoint,
            None,
            crate::grad::GradOptions::default(),
            |outputs| -> Result<Vec<f64>, ()> { Ok(weights_of(outputs)) },
        )
        .expect("the sample's product");
        let BatchSample::Done { outputs, gradient } = result else {
            panic!("sample {sample}: {result:?}");
        };
        crate::sim::testing::assert_close(&outputs, &expected_outputs, 1e-12, &format!("sample {sample}"));
        crate::sim::testing::assert_close(&gradient, &expected_gradient, 1e-12, &format!("sample {sample}"));
    }
}
