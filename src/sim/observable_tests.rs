//! Projector and Hermitian observables: the direct product against the Pauli expansion, and shot
//! estimates against the exact values.

use crate::ir::Circuit;
use crate::ir::Measurement;
use crate::sim::measure::pauli_sum;
use crate::sim::{execute, Shots};

/// A three-qubit program whose state has every amplitude nonzero and complex, measuring `measure`.
fn compiled(measure: &str) -> Circuit {
    let text = format!(
        "qubits 3\nconst m1 = [[1, 2], [2, -0.5]]\n\
         const m2 = [[0.5, 0.3, -1, 0.2], [0.3, -1.2, 0.7, 0], [-1, 0.7, 2, 0.4], [0.2, 0, 0.4, 0.1]]\n\
         circuit {{\n ry(0.3) 0\n rx(0.7) 1\n cnot 0, 1\n ry(1.1) 2\n cnot 1, 2\n rz(-0.4) 0\n h 1\n cry(0.9) 2, 0\n rx(0.1) 2\n}}\n\
         measure {measure}\n"
    );
    let output = crate::check::compile(&text);
    output.circuit.unwrap_or_else(|| panic!("compiles: {:?}", output.diagnostics))
}

const OBSERVABLES: [&str; 6] = [
    "projector([0, 1], 0, 1)",
    "projector([1, 0, 1], 2, 0, 1) - 0.5 * Y(0) @ projector([1, 1], 1, 2)",
    "hermitian(m2, 2, 0) @ H(1)",
    "hermitian(m1, 0) @ X(1) @ hermitian(m1, 2) + 0.3 * Z(1)",
    "1.5 * hermitian(m2, 0, 2) @ projector([1], 1) - 0.25 * Z(2)",
    "hermitian([[2, 0], [0, -1]], 1) @ Y(2) + projector([0], 0)",
];

/// The product W ⊗ L applied directly gives what its Pauli expansion gives, for the expectation
/// value and for O|ψ⟩ (which the adjoint method and the variance use).
#[test]
fn the_direct_product_matches_the_pauli_expansion() {
    for observable in OBSERVABLES {
        let circuit = compiled(&format!("expval({observable})"));
        let state = crate::sim::final_state(&circuit, &[], &[]).expect("runs");
        let Measurement::Expval(observable_ir) = &circuit.measurements[0] else { unreachable!() };
        let direct = pauli_sum(&state, observable_ir);
        let expanded = direct.expanded(usize::MAX).expect("small");
        assert!(expanded.matrix_terms.is_empty() && !direct.matrix_terms.is_empty());
        let (direct_value, expanded_value) = (direct.expectation(&state), expanded.expectation(&state));
        assert!((direct_value - expanded_value).abs() < 1e-12, "{observable}: {direct_value} vs {expanded_value}");
        let (direct_applied, expanded_applied) =
            (direct.apply(&state).expect("fits"), expanded.apply(&state).expect("fits"));
        for (left, right) in direct_applied.amplitudes().iter().zip(expanded_applied.amplitudes()) {
            assert!((left - right).norm() < 1e-12, "{observable}: {left} vs {right}");
        }
    }
}

/// With shots, expval and var converge to the exact values: within 4 standard errors at a fixed
/// seed. The standard error of a mean of N shots is σ/√N (σ² the exact variance); of a variance,
/// √((μ4 − σ⁴)/N) ≤ R σ/√N, with R = 8 bounding |O − ⟨O⟩| for every observable here. The variance
/// is checked only where the terms commute qubit-wise (observables 0, 2 and 5): elsewhere it is
/// the documented sum of the groups' variances, biased by the covariances between them.
#[test]
fn shot_estimates_converge_to_the_exact_values() {
    let count = 200_000;
    for (index, observable) in OBSERVABLES.iter().enumerate() {
        let circuit = compiled(&format!("expval({observable}), var({observable})"));
        let exact = execute(&circuit, &[], &[], None).expect("runs").outputs;
        let sampled = execute(&circuit, &[], &[], Some(Shots { count, seed: 11 })).expect("runs").outputs;
        let standard_error = (exact[1] / count as f64).sqrt();
        assert!((sampled[0] - exact[0]).abs() < 4.0 * standard_error, "{observable}: {sampled:?} vs {exact:?}");
        if [0, 2, 5].contains(&index) {
            let variance_error = 8.0 * standard_error;
            assert!((sampled[1] - exact[1]).abs() < 4.0 * variance_error, "{observable}: {sampled:?} vs {exact:?}");
        }
    }
}

/// `sample` of a projector gives 0 and 1; of a Hermitian matrix, its eigenvalues (for m1,
/// 1/4 ± √(73)/4); their mean is the sampled expval, read off the same shots.
#[test]
fn samples_are_eigenvalues() {
    let circuit = compiled("sample(projector([0, 1], 0, 1)), sample(hermitian(m1, 2)), expval(hermitian(m1, 2))");
    let count = 1000;
    let execution = execute(&circuit, &[], &[], Some(Shots { count, seed: 3 })).expect("runs");
    let projector = execution.measurements[0].as_real().expect("samples");
    let hermitian = execution.measurements[1].as_real().expect("samples");
    assert!(projector.iter().all(|value| *value == 0.0 || *value == 1.0), "{projector:?}");
    assert!(projector.contains(&1.0) && projector.contains(&0.0));
    let eigenvalues = [0.25 + 73f64.sqrt() / 4.0, 0.25 - 73f64.sqrt() / 4.0];
    assert!(
        hermitian.iter().all(|value| eigenvalues.iter().any(|eigenvalue| (value - eigenvalue).abs() < 1e-12)),
        "{hermitian:?}"
    );
    let mean = hermitian.iter().sum::<f64>() / count as f64;
    assert!((mean - execution.outputs[0]).abs() < 1e-12, "{mean} vs {}", execution.outputs[0]);
}
