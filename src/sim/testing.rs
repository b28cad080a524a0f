//! Test helpers: building IR by hand, and a dense reference simulator written independently of the kernels.

use crate::ir::{Circuit, Expr, Gate, GateKind, Measurement, Observable, Op, Pauli, StatePrep, Term, Wire};
use crate::source::Span;
use num_complex::Complex64;

pub fn param(index: usize) -> Expr {
    Expr::Param(index)
}

pub fn input(index: usize) -> Expr {
    Expr::Input(index)
}

pub fn constant(value: f64) -> Expr {
    Expr::Const(value)
}

pub fn wires(indices: &[u32]) -> Vec<Wire> {
    indices.iter().map(|index| Wire(*index)).collect()
}

pub fn gate(kind: GateKind, wire_indices: &[u32], angles: Vec<Expr>) -> Op {
    controlled_gate(kind, wire_indices, &[], angles)
}

pub fn controlled_gate(kind: GateKind, wire_indices: &[u32], control_indices: &[u32], angles: Vec<Expr>) -> Op {
    Op::Gate(Gate {
        kind,
        wires: wires(wire_indices),
        angles,
        controls: wires(control_indices),
        span: Span::default(),
        template: None,
    })
}

pub fn embedding(wire_indices: &[u32], amplitudes: Vec<Expr>, normalize: bool, pad: Option<f64>) -> Op {
    Op::StatePrep(StatePrep { wires: wires(wire_indices), amplitudes, normalize, pad, span: Span::default() })
}

/// An observable from (coefficient, [(pauli, wire)]) terms.
pub fn observable(terms: &[(f64, &[(Pauli, u32)])]) -> Observable {
    Observable {
        terms: terms
            .iter()
            .map(|(coefficient, factors)| {
                Term::pauli(*coefficient, factors.iter().map(|(pauli, wire)| (*pauli, Wire(*wire))).collect())
            })
            .collect(),
    }
}

pub fn single(pauli: Pauli, wire: u32) -> Observable {
    observable(&[(1.0, &[(pauli, wire)])])
}

pub fn circuit(n_qubits: usize, ops: Vec<Op>, measurements: Vec<Measurement>) -> Circuit {
    Circuit {
        n_qubits,
        inputs: Vec::new(),
        params: Vec::new(),
        ops,
        measurements,
        head: Vec::new(),
        encode: Vec::new(),
        train: Vec::new(),
        binary_inputs: Vec::new(),
    }
}

pub fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths differ");
    for (index, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!((a - e).abs() <= tolerance, "{what}[{index}]: {a} vs {e} (tolerance {tolerance})");
    }
}

// The dense reference: a gate's full local matrix on (controls, wires), from the gate table,
// applied by index arithmetic.

use crate::builtins::matrices::{controlled, Dense};

/// The reference matrix of a gate on its own wires (first wire most significant).
pub fn reference_matrix(kind: GateKind, n_wires: usize, angles: &[f64]) -> Dense {
    (kind.info().matrix)(angles, n_wires)
}

/// Applies a gate by its dense reference matrix, with controls as extra leading wires.
pub fn reference_apply(amplitudes: &mut [Complex64], n_qubits: usize, gate: &Gate, angles: &[f64]) {
    let mut matrix = reference_matrix(gate.kind, gate.wires.len(), angles);
    for _ in &gate.controls {
        matrix = controlled(&matrix);
    }
    let all_wires: Vec<Wire> = gate.controls.iter().chain(&gate.wires).copied().collect();
    let k = all_wires.len();
    let bits: Vec<usize> = all_wires.iter().map(|wire| n_qubits - 1 - wire.index()).collect();
    let mask: usize = bits.iter().map(|bit| 1 << bit).sum();
    let offset = |local: usize| -> usize {
        (0..k).filter(|position| local >> (k - 1 - position) & 1 == 1).map(|position| 1 << bits[position]).sum()
    };
    for base in (0..amplitudes.len()).filter(|index| index & mask == 0) {
        let old: Vec<Complex64> = (0..1 << k).map(|local| amplitudes[base + offset(local)]).collect();
        for row in 0..1 << k {
            amplitudes[base + offset(row)] = (0..1 << k).map(|col| matrix[row][col] * old[col]).sum();
        }
    }
}

/// The Bell circuit of the `bell` conformance fixture, with extra measurements appended.
pub fn bell_circuit(extra_measurements: Vec<Measurement>) -> Circuit {
    let mut measurements = vec![
        Measurement::Probs(wires(&[0, 1])),
        Measurement::Expval(observable(&[(1.0, &[(Pauli::Z, 0), (Pauli::Z, 1)])])),
        Measurement::Expval(observable(&[(1.0, &[(Pauli::X, 0), (Pauli::X, 1)])])),
    ];
    measurements.extend(extra_measurements);
    circuit(2, vec![gate(GateKind::H, &[0], vec![]), gate(GateKind::CNOT, &[0, 1], vec![])], measurements)
}

/// A random observable: one to three words of I, X, Y, Z and H factors with real coefficients.
pub fn random_observable(rng: &mut rand_chacha::ChaCha8Rng, n_qubits: usize) -> Observable {
    use rand::seq::SliceRandom;
    use rand::Rng;
    let paulis = [Pauli::I, Pauli::X, Pauli::Y, Pauli::Z, Pauli::H];
    let n_terms = rng.random_range(1..=3);
    let terms = (0..n_terms)
        .map(|_| {
            let mut wires: Vec<u32> = (0..n_qubits as u32).collect();
            wires.shuffle(rng);
            let n_factors = rng.random_range(1..=n_qubits.min(3));
            let factors = wires[..n_factors]
                .iter()
                .map(|wire| (paulis[rng.random_range(0..paulis.len())], Wire(*wire)))
                .collect();
            Term::pauli(rng.random_range(-1.5..1.5), factors)
        })
        .collect();
    Observable { terms }
}
