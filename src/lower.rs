//! Lowering helpers: template decompositions (as PennyLane 0.45 writes them) and gate inversion for `adj`.
//!
//! The checker evaluates a template's arguments and resolves its wires; these functions turn the
//! resolved values into primitive gates. They know nothing of names or source text.

use crate::ir::{BinOp, Expr, GateKind, Op, Wire};

/// A gate before controls and spans are attached: what a template expands to.
pub type PlainGate = (GateKind, Vec<Wire>, Vec<Expr>);

/// `R(x[i])` on wire i for each feature.
pub fn angle_embedding(features: &[Expr], rotation: GateKind, wires: &[Wire]) -> Vec<PlainGate> {
    features.iter().zip(wires).map(|(x, &w)| (rotation, vec![w], vec![x.clone()])).collect()
}

/// `x` on wire i where b[i] = 1. A bit that is only known at run time becomes `u3(π b, 0, π b)`,
/// which is exactly the identity for 0 and exactly X for 1 (no global phase, so it stays right
/// under `ctrl`).
pub fn basis_embedding(bits: &[Expr], wires: &[Wire]) -> Vec<PlainGate> {
    let mut gates = Vec::new();
    for (bit, &wire) in bits.iter().zip(wires) {
        match bit.constant() {
            Some(1.0) => gates.push((GateKind::X, vec![wire], vec![])),
            Some(_) => {}
            None => {
                let angle = Expr::binary(BinOp::Mul, Expr::Const(std::f64::consts::PI), bit.clone());
                gates.push((GateKind::U3, vec![wire], vec![angle.clone(), Expr::Const(0.0), angle]));
            }
        }
    }
    gates
}

/// Per repeat: `h` and `rz(x[i])` on each wire, then `multirz(x[i] x[j])` on every pair i < j.
pub fn iqp_embedding(features: &[Expr], repeats: usize, wires: &[Wire]) -> Vec<PlainGate> {
    let mut gates = Vec::new();
    for _ in 0..repeats {
        for (x, &wire) in features.iter().zip(wires) {
            gates.push((GateKind::H, vec![wire], vec![]));
            gates.push((GateKind::RZ, vec![wire], vec![x.clone()]));
        }
        for i in 0..wires.len() {
            for j in i + 1..wires.len() {
                let product = Expr::binary(BinOp::Mul, features[i].clone(), features[j].clone());
                gates.push((GateKind::MultiRZ, vec![wires[i], wires[j]], vec![product]));
            }
        }
    }
    gates
}

/// The operations and wire operands `iqp_embedding` on `n_wires` wires with `repeats` repeats
/// expands to, computed without building them.
pub fn iqp_embedding_size(n_wires: usize, repeats: usize) -> (u128, u128) {
    let n = n_wires as u128;
    let pairs = n * n.saturating_sub(1) / 2;
    let repeats = repeats as u128;
    (repeats * (2 * n + pairs), repeats * (2 * n + 2 * pairs))
}

/// `weights` is [L, n, 3] row-major; `ranges` has one entry per layer.
pub fn strongly_entangling_layers(
    weights: &[Expr],
    n_layers: usize,
    ranges: &[usize],
    imprimitive: GateKind,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for (layer, &range) in ranges.iter().enumerate().take(n_layers) {
        for (i, &wire) in wires.iter().enumerate() {
            let base = (layer * n + i) * 3;
            gates.push((GateKind::Rot, vec![wire], weights[base..base + 3].to_vec()));
        }
        if n > 1 {
            for i in 0..n {
                gates.push((imprimitive, vec![wires[i], wires[(i + range) % n]], vec![]));
            }
        }
    }
    gates
}

/// The default entangling ranges of strongly entangling layers: r_l = (l mod (n − 1)) + 1.
pub fn default_ranges(n_layers: usize, n_wires: usize) -> Vec<usize> {
    (0..n_layers).map(|l| if n_wires > 1 { (l % (n_wires - 1)) + 1 } else { 0 }).collect()
}

/// `weights` is [L, n] row-major.
pub fn basic_entangler_layers(weights: &[Expr], n_layers: usize, rotation: GateKind, wires: &[Wire]) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for layer in 0..n_layers {
        for (i, &wire) in wires.iter().enumerate() {
            gates.push((rotation, vec![wire], vec![weights[layer * n + i].clone()]));
        }
        if n == 2 {
            gates.push((GateKind::CNOT, vec![wires[0], wires[1]], vec![]));
        } else if n > 2 {
            for i in 0..n {
                gates.push((GateKind::CNOT, vec![wires[i], wires[(i + 1) % n]], vec![]));
            }
        }
    }
    gates
}

/// PennyLane's SimplifiedTwoDesign: `initial` is [n], `weights` is [L, n − 1, 2] row-major.
pub fn simplified_two_design(initial: &[Expr], weights: &[Expr], n_layers: usize, wires: &[Wire]) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates: Vec<PlainGate> =
        initial.iter().zip(wires).map(|(a, &w)| (GateKind::RY, vec![w], vec![a.clone()])).collect();
    let weight = |layer: usize, block: usize, k: usize| weights[(layer * (n - 1) + block) * 2 + k].clone();
    for layer in 0..n_layers {
        for i in 0..n / 2 {
            gates.push((GateKind::CZ, vec![wires[2 * i], wires[2 * i + 1]], vec![]));
            gates.push((GateKind::RY, vec![wires[2 * i]], vec![weight(layer, i, 0)]));
            gates.push((GateKind::RY, vec![wires[2 * i + 1]], vec![weight(layer, i, 1)]));
        }
        for i in 0..(n - 1) / 2 {
            gates.push((GateKind::CZ, vec![wires[2 * i + 1], wires[2 * i + 2]], vec![]));
            gates.push((GateKind::RY, vec![wires[2 * i + 1]], vec![weight(layer, n / 2 + i, 0)]));
            gates.push((GateKind::RY, vec![wires[2 * i + 2]], vec![weight(layer, n / 2 + i, 1)]));
        }
    }
    gates
}

/// The inverse of a gate, for `adj { … }`, as the gate table gives it: a gate kind and the
/// original angles, reordered and negated. State preparation has no inverse; the checker refuses
/// it inside `adj`, so it is returned unchanged here.
pub fn invert(op: Op) -> Op {
    let Op::Gate(mut gate) = op else { return op };
    let inverse = gate.kind.info().inverse;
    gate.angles =
        inverse.angle_slots.iter().filter_map(|&slot| gate.angles.get(slot).cloned().map(Expr::negated)).collect();
    gate.kind = inverse.kind;
    Op::Gate(gate)
}
