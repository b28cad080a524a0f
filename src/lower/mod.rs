//! Lowering helpers: template decompositions (as PennyLane 0.45 and Qiskit 2.x write them) and gate inversion for `adj`.
//!
//! The checker evaluates a template's arguments and resolves its wires; these functions turn the
//! resolved values into primitive gates. They know nothing of names or source text. PennyLane's
//! templates are in `pennylane`, Qiskit's circuit library in `qiskit`.

mod pennylane;
mod qiskit;

pub use pennylane::*;
pub use qiskit::*;

use crate::ir::{Expr, GateKind, Op, Wire};

/// A gate before controls and spans are attached: what a template expands to.
pub type PlainGate = (GateKind, Vec<Wire>, Vec<Expr>);

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
