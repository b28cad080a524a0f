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
