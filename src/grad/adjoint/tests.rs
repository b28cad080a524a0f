//! The adjoint method's generators against the kernels: factor · ΠW applied after the gate is its derivative.

use super::generator;
use crate::builtins::gates::{Generator, GATES};
use crate::ir::Wire;
use crate::sim::kernels::gate_kernel;
use num_complex::Complex64;

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

/// A fixed, unnormalised but generic state on `n` wires.
fn generic_state(n: usize) -> Vec<Complex64> {
    (0..1usize << n).map(|index| Complex64::new(0.3 + index as f64 * 0.17, (index as f64 * 1.3).sin())).collect()
}

const ANGLES: [f64; 1] = [0.37];

fn wires_of(info: &crate::builtins::gates::GateInfo) -> usize {
    info.n_wires.unwrap_or(3)
}

#[test]
fn the_adjoint_generators_are_the_derivatives_of_the_kernels() {
    // On the gate's wires plus one more, with and without that wire as a `ctrl` control:
    // factor · ΠW applied to U(θ)ψ must be dU/dθ ψ.
    let step = 1e-6;
    for info in GATES {
        if matches!(info.generator, Generator::None | Generator::Parts(_)) {
            continue;
        }
        let n = wires_of(info);
        let n_qubits = n + 1;
        let wires: Vec<Wire> = (0..n as u32).map(Wire).collect();
        let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
        for controls in [vec![], vec![Wire(n as u32)]] {
            let apply = |theta: f64| {
                let mut state = generic_state(n_qubits);
                gate_kernel(info.kind, &wires, &controls, &[theta], bit_of).apply(&mut state, false);
                state
            };
            let theta = ANGLES[0];
            let numeric: Vec<Complex64> =
                apply(theta + step).iter().zip(apply(theta - step)).map(|(p, m)| (p - m) / (2.0 * step)).collect();
            let rule = generator(info.kind, &wires, &controls, bit_of);
            let mut exact = vec![c(0.0, 0.0); 1 << n_qubits];
            rule.apply(&apply(theta), &mut exact);
            let distance = numeric.iter().zip(&exact).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
            assert!(distance < 1e-7, "{} (controls {controls:?}): off by {distance}", info.name);
        }
    }
}

#[test]
fn the_batched_product_takes_excitations_as_one_sample_does() {
    // Excitation angles that read inputs (a kernel per sample) and that do not, one under `ctrl`.
    let text = "qubits 4\ninput x[2]\nparam w[4]\ncircuit {\n    ry(x[0]) 0\n    rx(x[1]) 1\n    h 2\n    \
                single_excitation(w[0]) 0, 1\n    double_excitation_plus(w[1] * x[0]) 0, 1, 2, 3\n    \
                ctrl(3) {\n        single_excitation_minus(w[2]) 1, 2\n    }\n    \
                double_excitation(w[3]) 3, 1, 0, 2\n}\nmeasure expval(Z(0) @ X(2)), expval(Y(1) + 0.5 * Z(3))\n";
    let program = crate::check::compile(text).circuit.expect("compiles");
    let plan = crate::sim::Plan::compile(&program).expect("plan");
    let params = [0.7, -0.4, 1.3, 0.25];
    let rows: Vec<Vec<f64>> = vec![vec![0.1, 0.2], vec![-1.1, 0.9], vec![2.3, -0.7]];
    let inputs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let weights = |outputs: &[f64]| -> Result<Vec<f64>, ()> { Ok(vec![0.5 * outputs[0] - 0.3, 1.2]) };
    let results = crate::grad::vjp_batch(&plan, &inputs, &params, |_, outputs| weights(outputs));
    for (row, result) in rows.iter().zip(results) {
        let (want_outputs, want_gradient) = crate::grad::vjp(
            &program,
            row,
            &params,
            crate::ir::GradientMethod::Adjoint,
            None,
            crate::grad::GradOptions::default(),
            weights,
        )
        .expect("one sample's product");
        let crate::grad::batch::BatchSample::Done { outputs, gradient } = result else {
            panic!("row {row:?}: {result:?}");
        };
        crate::sim::testing::assert_close(&outputs, &want_outputs, 1e-12, "outputs");
        crate::sim::testing::assert_close(&gradient, &want_gradient, 1e-12, "gradient");
    }
}
