//! The gate table against itself and against the kernels: every row's matrix, inverse, generator and flags are checked.

use super::*;
use crate::builtins::matrices::{adjoint, kron, max_distance};
use crate::ir::Wire;
use crate::sim::kernels::gate_kernel;
use num_complex::Complex64;

const ANGLES: [f64; 3] = [0.37, -1.21, 2.45];

/// The wire count a row is tested on (3 for a gate that takes any number).
fn wires_of(info: &GateInfo) -> usize {
    info.n_wires.unwrap_or(3)
}

fn matrix_of(info: &GateInfo, angles: &[f64]) -> Dense {
    (info.matrix)(angles, wires_of(info))
}

/// A fixed, unnormalised but generic state on `n` wires.
fn generic_state(n: usize) -> Vec<Complex64> {
    (0..1usize << n).map(|index| Complex64::new(0.3 + index as f64 * 0.17, (index as f64 * 1.3).sin())).collect()
}

fn apply_dense(matrix: &Dense, state: &[Complex64]) -> Vec<Complex64> {
    matrix.iter().map(|row| row.iter().zip(state).map(|(m, a)| m * a).sum()).collect()
}

/// Forces this match to list every variant, so a new `GateKind` cannot be added without its row.
fn row_exists(kind: GateKind) -> bool {
    use GateKind::*;
    match kind {
        Id
        | X
        | Y
        | Z
        | H
        | S
        | Sdg
        | T
        | Tdg
        | SX
        | SXdg
        | RX
        | RY
        | RZ
        | Phase
        | Rot
        | U3
        | CNOT
        | CY
        | CZ
        | Swap
        | CRX
        | CRY
        | CRZ
        | CPhase
        | IsingXX
        | IsingYY
        | IsingZZ
        | Toffoli
        | CSwap
        | MultiRZ
        | SingleExcitation
        | SingleExcitationPlus
        | SingleExcitationMinus
        | DoubleExcitation
        | DoubleExcitationPlus
        | DoubleExcitationMinus
        | CH
        | CCZ
        | ISwap
        | ISwapDg
        | SISwap
        | SISwapDg
        | ECR
        | U1
        | CRot
        | MultiControlledX
        | U2
        | U2Dg
        | IsingXY
        | PSWAP
        | PauliRot
        | OrbitalRotation
        | FermionicSWAP
        | GlobalPhase => GATES.get(kind as usize).is_some_and(|info| info.kind == kind),
    }
}

#[test]
fn every_gate_kind_has_its_row_in_order() {
    for (index, info) in GATES.iter().enumerate() {
        assert_eq!(info.kind as usize, index, "{} is out of order", info.name);
        assert!(row_exists(info.kind));
        assert_eq!(info.kind.info().name, info.name);
    }
    assert_eq!(GateKind::ALL.len(), GATES.len());
    assert!(GateKind::ALL.iter().all(|kind| row_exists(*kind)));
}

#[test]
fn names_are_unique_and_look_up_their_gate() {
    let mut seen = std::collections::HashSet::new();
    for info in GATES {
        for name in info.surface_names() {
            assert!(seen.insert(name), "`{name}` names two gates");
            assert_eq!(GateKind::from_name(name), Some(info.kind));
        }
        assert!(!info.doc.is_empty(), "{} has no doc", info.name);
    }
    assert_eq!(GateKind::from_name("sxdg"), None, "sxdg is not written in programs");
    assert_eq!(SURFACE_NAMES.len(), seen.len());
}

#[test]
fn the_kernels_apply_the_table_matrices() {
    for info in GATES.iter().filter(|info| !info.expands) {
        let n = wires_of(info);
        let matrix = matrix_of(info, &ANGLES[..info.n_angles()]);
        assert_eq!(matrix.len(), 1 << n, "{}: the matrix is not on {n} wires", info.name);
        let wires: Vec<Wire> = (0..n as u32).map(Wire).collect();
        let kernel = gate_kernel(info.kind, &wires, &[], &ANGLES[..info.n_angles()], |wire| n - 1 - wire.index());
        let mut state = generic_state(n);
        let expected = apply_dense(&matrix, &state);
        kernel.apply(&mut state, false);
        let distance = state.iter().zip(&expected).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
        assert!(distance < 1e-12, "{}: the kernel is off the table's matrix by {distance}", info.name);
    }
}

#[test]
fn every_matrix_is_unitary_and_its_inverse_is_its_adjoint() {
    for info in GATES {
        let angles = &ANGLES[..info.n_angles()];
        let matrix = matrix_of(info, angles);
        let n = wires_of(info);
        assert!(max_distance(&matmul(&adjoint(&matrix), &matrix), &identity(n)) < 1e-12, "{}", info.name);
        let inverse = info.inverse;
        assert_eq!(inverse.angle_slots.len(), info.n_angles(), "{}: the inverse must use every angle", info.name);
        let inverse_angles: Vec<f64> = inverse.angle_slots.iter().map(|&slot| -angles[slot]).collect();
        let inverse_matrix = (inverse.kind.info().matrix)(&inverse_angles, n);
        assert!(max_distance(&inverse_matrix, &adjoint(&matrix)) < 1e-12, "{}: wrong inverse", info.name);
        assert_eq!(info.is_self_inverse(), info.n_angles() == 0 && max_distance(&matrix, &adjoint(&matrix)) < 1e-12);
    }
}

#[test]
fn the_optimizer_flags_are_true_of_the_matrices() {
    for info in GATES {
        let n = wires_of(info);
        let zero = matrix_of(info, &[0.0; 3][..info.n_angles()]);
        let is_identity = max_distance(&zero, &identity(n)) < 1e-12;
        assert_eq!(
            info.identity_at_zero,
            is_identity && (info.n_angles() > 0 || info.kind == GateKind::Id),
            "{}",
            info.name
        );
        if info.additive {
            assert_eq!(info.n_angles(), 1);
            let product = matmul(&matrix_of(info, &[0.4]), &matrix_of(info, &[-1.1]));
            assert!(max_distance(&product, &matrix_of(info, &[0.4 - 1.1])) < 1e-12, "{} does not add", info.name);
        }
        // Listing the wires in reverse order conjugates the matrix by the bit-reversal permutation.
        let reversed: Vec<usize> = (0..1usize << n)
            .map(|index| (0..n).fold(0, |out, bit| out | (index >> bit & 1) << (n - 1 - bit)))
            .collect();
        let permuted = permutation(&reversed);
        let matrix = matrix_of(info, &ANGLES[..info.n_angles()]);
        let symmetric = max_distance(&matmul(&permuted, &matmul(&matrix, &permuted)), &matrix) < 1e-12;
        assert_eq!(info.symmetric, symmetric && n > 1, "{}: the symmetric flag is wrong", info.name);
    }
}

/// −iG for an excitation on `n` wires, written out from the definition: (|b⟩⟨a| − |a⟩⟨b|)/2 on the
/// pair a = |0…01…1⟩, b = |1…10…0⟩ and i·outside on the other basis states.
fn excitation_derivative(n: usize, outside: f64) -> Dense {
    let a = (1usize << (n / 2)) - 1;
    let b = a << (n - n / 2);
    let mut operator = diagonal(&vec![c(0.0, outside); 1 << n]);
    operator[a][a] = c(0.0, 0.0);
    operator[b][b] = c(0.0, 0.0);
    operator[b][a] = c(0.5, 0.0);
    operator[a][b] = c(-0.5, 0.0);
    operator
}

/// The derivative dU/dθ a one-angle generator stands for, on `n` wires.
fn generator_derivative(generator: Generator, n: usize, u: &Dense) -> Option<Dense> {
    let one = diagonal(&[c(0.0, 0.0), c(1.0, 0.0)]);
    let (operator, factor) = match generator {
        Generator::Pauli { pauli, controls } => {
            let letter = pauli.name().chars().next().unwrap_or('I');
            let factors = (0..n).map(|position| if position < controls { one.clone() } else { pauli_matrix(letter) });
            (factors.reduce(|a, b| kron(&a, &b))?, c(0.0, -0.5))
        }
        Generator::Projector => ((0..n).map(|_| one.clone()).reduce(|a, b| kron(&a, &b))?, c(0.0, 1.0)),
        Generator::Excitation { outside } => (excitation_derivative(n, outside), c(1.0, 0.0)),
        Generator::TwoWire { hermitian, .. } => {
            (hermitian.iter().map(|row| row.iter().map(|x| c(*x, 0.0)).collect()).collect(), c(0.0, 1.0))
        }
        Generator::GlobalPhase => (identity(n), c(0.0, -1.0)),
        Generator::None | Generator::Parts(_) | Generator::Expanded => return None,
    };
    Some(matmul(&operator, u).into_iter().map(|row| row.into_iter().map(|x| x * factor).collect()).collect())
}

#[test]
fn generators_are_the_derivatives_of_the_matrices() {
    let step = 1e-6;
    for info in GATES {
        let n = wires_of(info);
        match info.generator {
            Generator::None => assert_eq!(info.n_angles(), 0, "{} has angles but no generator", info.name),
            Generator::Expanded => assert!(info.expands, "{}", info.name),
            Generator::Parts(parts) => {
                let mut product = identity(n);
                for (part, slot) in parts {
                    product = matmul(&(part.info().matrix)(&[ANGLES[*slot]], n), &product);
                }
                assert!(max_distance(&product, &matrix_of(info, &ANGLES)) < 1e-12, "{}: wrong parts", info.name);
            }
            generator => {
                assert_eq!(info.n_angles(), 1);
                let theta = ANGLES[0];
                let u = matrix_of(info, &[theta]);
                let (plus, minus) = (matrix_of(info, &[theta + step]), matrix_of(info, &[theta - step]));
                let numeric: Dense = plus
                    .iter()
                    .zip(&minus)
                    .map(|(p, m)| p.iter().zip(m).map(|(a, b)| (a - b) / (2.0 * step)).collect())
                    .collect();
                let exact = generator_derivative(generator, n, &u).expect("a one-angle generator");
                assert!(max_distance(&numeric, &exact) < 1e-8, "{}: wrong generator", info.name);
            }
        }
    }
}

#[test]
fn shift_rules_follow_from_the_generators() {
    assert_eq!(GateKind::RX.info().generator.shift_rule(false), Some(ShiftRule::TwoTerm));
    assert_eq!(GateKind::RX.info().generator.shift_rule(true), Some(ShiftRule::FourTerm));
    assert_eq!(GateKind::CRY.info().generator.shift_rule(false), Some(ShiftRule::FourTerm));
    assert_eq!(GateKind::CPhase.info().generator.shift_rule(true), Some(ShiftRule::TwoTerm));
    assert_eq!(GateKind::H.info().generator.shift_rule(false), None);
    // PennyLane's parameter frequencies: (0.5, 1) for the excitations, (1,) for their plus and
    // minus variants, which gain the eigenvalue 0 under a control.
    for kind in [GateKind::SingleExcitation, GateKind::DoubleExcitation] {
        assert_eq!(kind.info().generator.shift_rule(false), Some(ShiftRule::FourTerm));
    }
    for kind in [
        GateKind::SingleExcitationPlus,
        GateKind::SingleExcitationMinus,
        GateKind::DoubleExcitationPlus,
        GateKind::DoubleExcitationMinus,
    ] {
        assert_eq!(kind.info().generator.shift_rule(false), Some(ShiftRule::TwoTerm));
        assert_eq!(kind.info().generator.shift_rule(true), Some(ShiftRule::FourTerm));
    }
    for rule in [ShiftRule::TwoTerm, ShiftRule::FourTerm] {
        // f(θ) = cos θ has the generator spectrum of both rules; the rule must give −sin θ.
        let derivative: f64 = rule.terms().iter().map(|(shift, weight)| weight * (0.7f64 + shift).cos()).sum();
        assert!((derivative + 0.7f64.sin()).abs() < 1e-12, "{rule:?}");
    }
}

#[test]
fn openqasm_names_are_stdgates_names() {
    const STDGATES: &[&str] = &[
        "p", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "cx", "cy", "cz", "cp", "crx", "cry",
        "crz", "ch", "swap", "ccx", "cswap", "cu", "id", "u1", "u2", "u3",
    ];
    for info in GATES {
        if let Some(name) = info.qasm {
            assert!(STDGATES.contains(&name), "{}: `{name}` is not in stdgates.inc", info.name);
        }
    }
}

/// `matrix` (on `positions.len()` wires) acting on the wires `positions` of `n` wires.
fn embed(matrix: &Dense, positions: &[usize], n: usize) -> Dense {
    let local = |index: usize| positions.iter().fold(0, |out, &wire| out << 1 | (index >> (n - 1 - wire) & 1));
    let mask: usize = positions.iter().map(|&wire| 1 << (n - 1 - wire)).sum();
    (0..1usize << n)
        .map(|row| {
            (0..1usize << n)
                .map(|col| if row & !mask == col & !mask { matrix[local(row)][local(col)] } else { c(0.0, 0.0) })
                .collect()
        })
        .collect()
}

/// The product of an expansion's gates, on `n` wires, at the angle `theta`.
fn expansion_matrix(kind: GateKind, n: usize, word: &str, theta: f64) -> Dense {
    expansion(kind, n, word).iter().fold(identity(n), |product, gate| {
        let angle = match gate.angle {
            Some(ExpansionAngle::Scaled(factor)) => vec![factor * theta],
            Some(ExpansionAngle::Constant(value)) => vec![value],
            None => Vec::new(),
        };
        let matrix = (gate.kind.info().matrix)(&angle, gate.wires.len());
        matmul(&embed(&matrix, &gate.wires, n), &product)
    })
}

#[test]
fn expansions_are_the_gates_they_replace() {
    for word in ["X", "Y", "Z", "I", "XY", "YZ", "IZ", "XIY", "ZZZ", "III", "YXZI"] {
        let n = word.len();
        let expanded = expansion_matrix(GateKind::PauliRot, n, word, 0.83);
        assert!(max_distance(&expanded, &rotation(word, 0.83)) < 1e-12, "pauli_rot {word}");
    }
    let expanded = expansion_matrix(GateKind::OrbitalRotation, 4, "", -1.21);
    assert!(max_distance(&expanded, &matrix_of(GateKind::OrbitalRotation.info(), &[-1.21])) < 1e-12);
    // The exponential of the tests is right: orbital_rotation(π) swaps the spatial orbitals.
    let rotated = matrix_of(GateKind::OrbitalRotation.info(), &[0.0]);
    assert!(max_distance(&rotated, &identity(4)) < 1e-12);
    for info in GATES {
        assert_eq!(info.expands, !expansion(info.kind, wires_of(info), "XYZ").is_empty(), "{}", info.name);
    }
}

/// Spot values of the new rows, from PennyLane 0.45.1 (`qml.matrix`, printed to 4 places in
/// tests/conformance/gen/gates_more.py's notes): entries at φ = 0.3 (and δ = 0.5 for u2).
#[test]
fn new_rows_match_pennylane_entries() {
    let close = |a: Complex64, re: f64, im: f64| (a - c(re, im)).norm() < 1e-4;
    let u2 = matrix_of(GateKind::U2.info(), &[0.3, 0.5]);
    assert!(close(u2[0][1], -0.6205, -0.339) && close(u2[1][0], 0.6755, 0.209) && close(u2[1][1], 0.4926, 0.5072));
    let fswap = matrix_of(GateKind::FermionicSWAP.info(), &[0.3]);
    assert!(close(fswap[1][1], 0.9777, 0.1478) && close(fswap[1][2], 0.0223, -0.1478));
    assert!(close(fswap[3][3], 0.9553, 0.2955));
    let pswap = matrix_of(GateKind::PSWAP.info(), &[0.3]);
    assert!(close(pswap[1][2], 0.9553, 0.2955) && close(pswap[3][3], 1.0, 0.0));
    let isingxy = matrix_of(GateKind::IsingXY.info(), &[0.3]);
    assert!(close(isingxy[1][1], 0.9888, 0.0) && close(isingxy[1][2], 0.0, 0.1494));
    let orbital = matrix_of(GateKind::OrbitalRotation.info(), &[0.3]);
    // Rows and columns 3, 5, 6, 9, 10, 12 (the states with two electrons).
    assert!(
        close(orbital[3][3], 0.9777, 0.0) && close(orbital[3][6], 0.1478, 0.0) && close(orbital[3][9], -0.1478, 0.0)
    );
    assert!(close(orbital[3][12], 0.0223, 0.0) && close(orbital[6][3], -0.1478, 0.0) && close(orbital[5][5], 1.0, 0.0));
    let phase = matrix_of(GateKind::GlobalPhase.info(), &[0.3]);
    assert!(close(phase[5][5], 0.9553, -0.2955));
}

#[test]
fn shift_rules_of_the_new_rows_are_pennylanes() {
    // IsingXY: frequencies (0.5, 1); PSWAP: its two-term recipe; FermionicSWAP: frequency 1.
    assert_eq!(GateKind::IsingXY.info().generator.shift_rule(false), Some(ShiftRule::FourTerm));
    for kind in [GateKind::PSWAP, GateKind::FermionicSWAP, GateKind::GlobalPhase] {
        assert_eq!(kind.info().generator.shift_rule(false), Some(ShiftRule::TwoTerm), "{kind:?}");
        assert_eq!(kind.info().generator.shift_rule(true), Some(ShiftRule::TwoTerm), "{kind:?}");
    }
    // u2's angles are phase gates: two-term each, the fixed parts never picked for a slot.
    for (slot, part) in [(0, GateKind::Phase), (1, GateKind::Phase)] {
        for kind in [GateKind::U2, GateKind::U2Dg] {
            let Generator::Parts(parts) = kind.info().generator else { panic!("{kind:?} has parts") };
            assert_eq!(parts.iter().find(|(_, part_slot)| *part_slot == slot).map(|(kind, _)| *kind), Some(part));
        }
    }
}
