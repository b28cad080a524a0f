//! The optimization pass: removes and fuses gates without changing what the circuit computes.
//!
//! Rules, applied until nothing changes: an `id` gate and a rotation by a constant zero angle are
//! dropped; two adjacent gates on exactly the same wires (and controls) that invert each other
//! (`h h`, `cnot cnot`, `s sdg`, …) cancel; two adjacent rotations about the same axis on the same
//! wires merge into one whose angle is the sum. "Adjacent" means no operation in between touches
//! any of their wires, so the pass also sees through gates on other wires.

use crate::ir::{BinOp, Circuit, Expr, Gate, GateKind, Op};

/// What the pass did, for `qmlc specs` and the tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OptStats {
    pub ops_before: usize,
    pub ops_after: usize,
    pub dropped: usize,
    pub cancelled: usize,
    pub merged: usize,
}

pub fn optimize(circuit: &Circuit) -> (Circuit, OptStats) {
    let mut stats = OptStats { ops_before: circuit.ops.len(), ..OptStats::default() };
    let mut ops = circuit.ops.clone();
    loop {
        let before = ops.len();
        ops = pass(ops, circuit.n_qubits, &mut stats);
        if ops.len() == before {
            break;
        }
    }
    stats.ops_after = ops.len();
    (Circuit { ops, ..circuit.clone() }, stats)
}

enum Combined {
    /// The two gates multiply to the identity.
    Cancel,
    /// The two gates multiply to this one.
    Merge(Gate),
    Keep,
}

fn pass(ops: Vec<Op>, n_qubits: usize, stats: &mut OptStats) -> Vec<Op> {
    let mut kept: Vec<Option<Op>> = Vec::with_capacity(ops.len());
    // For each wire, the indices into `kept` of live operations touching it, most recent last.
    let mut on_wire: Vec<Vec<usize>> = vec![Vec::new(); n_qubits];
    for op in ops {
        if let Op::Gate(gate) = &op {
            if is_identity(gate) {
                stats.dropped += 1;
                continue;
            }
        }
        let wires = op.all_wires();
        let previous = wires.first().and_then(|w| on_wire.get(w.index()).and_then(|s| s.last().copied()));
        let same_neighbour = previous.filter(|&j| {
            wires.iter().all(|w| on_wire[w.index()].last() == Some(&j))
                && kept[j].as_ref().is_some_and(|p| same_wire_set(&p.all_wires(), &wires))
        });
        if let (Some(j), Op::Gate(gate)) = (same_neighbour, &op) {
            if let Some(Op::Gate(previous_gate)) = &kept[j] {
                match combine(previous_gate, gate) {
                    Combined::Cancel => {
                        for w in &wires {
                            on_wire[w.index()].pop();
                        }
                        kept[j] = None;
                        stats.cancelled += 2;
                        continue;
                    }
                    Combined::Merge(merged) => {
                        stats.merged += 1;
                        if is_identity(&merged) {
                            for w in &wires {
                                on_wire[w.index()].pop();
                            }
                            kept[j] = None;
                            stats.dropped += 1;
                        } else {
                            kept[j] = Some(Op::Gate(merged));
                        }
                        continue;
                    }
                    Combined::Keep => {}
                }
            }
        }
        let index = kept.len();
        for w in &wires {
            if let Some(stack) = on_wire.get_mut(w.index()) {
                stack.push(index);
            }
        }
        kept.push(Some(op));
    }
    kept.into_iter().flatten().collect()
}

fn same_wire_set(a: &[crate::ir::Wire], b: &[crate::ir::Wire]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// Whether a gate is the identity whatever the inputs and params are: `id`, or a gate that is the
/// identity at zero angles with every angle a constant zero.
fn is_identity(gate: &Gate) -> bool {
    gate.kind.info().identity_at_zero && gate.angles.iter().all(|a| a.constant() == Some(0.0))
}

/// The kind that cancels a gate without angles (`s` for `sdg`, `h` for `h`); none for gates with angles.
fn inverse_kind(kind: GateKind) -> Option<GateKind> {
    let info = kind.info();
    (info.n_angles() == 0).then_some(info.inverse.kind)
}

fn combine(first: &Gate, second: &Gate) -> Combined {
    if first.controls != second.controls {
        return Combined::Keep;
    }
    // Symmetric gates act the same whichever way their wires are listed.
    let symmetric = first.kind.info().symmetric;
    let same_wires = first.wires == second.wires || (symmetric && same_wire_set(&first.wires, &second.wires));
    if !same_wires {
        return Combined::Keep;
    }
    if inverse_kind(first.kind) == Some(second.kind) {
        return Combined::Cancel;
    }
    if first.kind == second.kind && first.kind.info().additive {
        let angle = Expr::binary(BinOp::Add, first.angles[0].clone(), second.angles[0].clone());
        return Combined::Merge(Gate { angles: vec![angle], span: first.span.to(second.span), ..first.clone() });
    }
    Combined::Keep
}
