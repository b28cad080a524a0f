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
    Op::Gate(Gate { kind, wires: wires(wire_indices), angles, controls: wires(control_indices), span: Span::default() })
}

pub fn embedding(wire_indices: &[u32], amplitudes: Vec<Expr>, normalize: bool, pad: Option<f64>) -> Op {
    Op::StatePrep(StatePrep { wires: wires(wire_indices), amplitudes, normalize, pad, span: Span::default() })
}

/// An observable from (coefficient, [(pauli, wire)]) terms.
pub fn observable(terms: &[(f64, &[(Pauli, u32)])]) -> Observable {
    Observable {
        terms: terms
            .iter()
            .map(|(coefficient, factors)| Term {
                coefficient: *coefficient,
                factors: factors.iter().map(|(pauli, wire)| (*pauli, Wire(*wire))).collect(),
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

// The dense reference: a gate's full local matrix on (controls, wires), applied by index arithmetic.

type Dense = Vec<Vec<Complex64>>;

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

fn pauli_matrix(pauli: char) -> Dense {
    let (o, l, i) = (c(0.0, 0.0), c(1.0, 0.0), c(0.0, 1.0));
    match pauli {
        'X' => vec![vec![o, l], vec![l, o]],
        'Y' => vec![vec![o, -i], vec![i, o]],
        'Z' => vec![vec![l, o], vec![o, -l]],
        _ => vec![vec![l, o], vec![o, l]],
    }
}

fn kron(left: &Dense, right: &Dense) -> Dense {
    let (n, m) = (left.len(), right.len());
    let mut out = vec![vec![c(0.0, 0.0); n * m]; n * m];
    for a in 0..n {
        for b in 0..n {
            for x in 0..m {
                for y in 0..m {
                    out[a * m + x][b * m + y] = left[a][b] * right[x][y];
                }
            }
        }
    }
    out
}

fn matmul(left: &Dense, right: &Dense) -> Dense {
    let n = left.len();
    (0..n).map(|row| (0..n).map(|col| (0..n).map(|k| left[row][k] * right[k][col]).sum()).collect()).collect()
}

/// exp(-iθ P/2) = cos(θ/2) I − i sin(θ/2) P for a Pauli word P given as letters.
fn rotation(word: &str, theta: f64) -> Dense {
    let p = word.chars().map(pauli_matrix).reduce(|a, b| kron(&a, &b)).expect("a non-empty word");
    let n = p.len();
    (0..n)
        .map(|row| {
            (0..n)
                .map(|col| {
                    let identity = if row == col { (theta / 2.0).cos() } else { 0.0 };
                    c(identity, 0.0) - c(0.0, (theta / 2.0).sin()) * p[row][col]
                })
                .collect()
        })
        .collect()
}

fn diagonal(values: &[Complex64]) -> Dense {
    let n = values.len();
    (0..n).map(|row| (0..n).map(|col| if row == col { values[row] } else { c(0.0, 0.0) }).collect()).collect()
}

/// Block-diagonal (I, U): U acts where the first wire is 1.
fn controlled(u: &Dense) -> Dense {
    let n = u.len();
    let mut out = diagonal(&vec![c(1.0, 0.0); 2 * n]);
    for row in 0..n {
        for col in 0..n {
            out[n + row][n + col] = u[row][col];
        }
    }
    out
}

fn permutation(images: &[usize]) -> Dense {
    let n = images.len();
    let mut out = vec![vec![c(0.0, 0.0); n]; n];
    for (from, to) in images.iter().enumerate() {
        out[*to][from] = c(1.0, 0.0);
    }
    out
}

/// The reference matrix of a gate on its own wires (first wire most significant).
pub fn reference_matrix(kind: GateKind, n_wires: usize, angles: &[f64]) -> Dense {
    use GateKind::*;
    let a = |slot: usize| angles[slot];
    let e = |phi: f64| Complex64::from_polar(1.0, phi);
    let s = std::f64::consts::FRAC_1_SQRT_2;
    match kind {
        Id => diagonal(&[c(1.0, 0.0); 2]),
        X => pauli_matrix('X'),
        Y => pauli_matrix('Y'),
        Z => pauli_matrix('Z'),
        H => vec![vec![c(s, 0.0), c(s, 0.0)], vec![c(s, 0.0), c(-s, 0.0)]],
        S => diagonal(&[c(1.0, 0.0), c(0.0, 1.0)]),
        Sdg => diagonal(&[c(1.0, 0.0), c(0.0, -1.0)]),
        T => diagonal(&[c(1.0, 0.0), e(std::f64::consts::FRAC_PI_4)]),
        Tdg => diagonal(&[c(1.0, 0.0), e(-std::f64::consts::FRAC_PI_4)]),
        SX => vec![vec![c(0.5, 0.5), c(0.5, -0.5)], vec![c(0.5, -0.5), c(0.5, 0.5)]],
        SXdg => vec![vec![c(0.5, -0.5), c(0.5, 0.5)], vec![c(0.5, 0.5), c(0.5, -0.5)]],
        RX => rotation("X", a(0)),
        RY => rotation("Y", a(0)),
        RZ => rotation("Z", a(0)),
        Phase => diagonal(&[c(1.0, 0.0), e(a(0))]),
        Rot => matmul(&rotation("Z", a(2)), &matmul(&rotation("Y", a(1)), &rotation("Z", a(0)))),
        U3 => {
            let (theta, phi, delta) = (a(0), a(1), a(2));
            let (sin, cos) = ((theta / 2.0).sin(), (theta / 2.0).cos());
            vec![vec![c(cos, 0.0), -e(delta) * sin], vec![e(phi) * sin, e(phi + delta) * cos]]
        }
        CNOT => controlled(&pauli_matrix('X')),
        CY => controlled(&pauli_matrix('Y')),
        CZ => controlled(&pauli_matrix('Z')),
        Swap => permutation(&[0, 2, 1, 3]),
        CRX => controlled(&rotation("X", a(0))),
        CRY => controlled(&rotation("Y", a(0))),
        CRZ => controlled(&rotation("Z", a(0))),
        CPhase => diagonal(&[c(1.0, 0.0), c(1.0, 0.0), c(1.0, 0.0), e(a(0))]),
        IsingXX => rotation("XX", a(0)),
        IsingYY => rotation("YY", a(0)),
        IsingZZ => rotation("ZZ", a(0)),
        Toffoli => controlled(&controlled(&pauli_matrix('X'))),
        CSwap => controlled(&permutation(&[0, 2, 1, 3])),
        MultiRZ => rotation(&"Z".repeat(n_wires), a(0)),
    }
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
