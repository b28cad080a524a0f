//! The circuit as PennyLane's `metric_tensor` expands it: one-angle gates with generators, and the rest.
//!
//! `qml.metric_tensor` first decomposes every operation until each trainable one has a generator
//! with a single term (`_expand_metric_tensor` with `_multipar_stopping_fn`). What that gives for
//! qmlc's gates (PennyLane 0.45, checked by listing the expanded tapes):
//! - one-angle gates stay as they are, under any number of `ctrl` controls: `crx` is `CRX`,
//!   `ctrl(c) { rx }` is `CRX`, two controls give `Controlled(RX)`, `ctrl(c) { phase }` is
//!   `ControlledPhaseShift`, `ctrl(c) { isingzz }` is `Controlled(IsingZZ)`; each has one generator term;
//! - `rot(φ, θ, ω)` becomes `RZ(φ) RY(θ) RZ(ω)`;
//! - `u3(θ, φ, δ)` becomes `RZ(δ) RY(θ) RZ(−δ) PhaseShift(δ) PhaseShift(φ)` (so δ enters three
//!   gates, one of them with the factor −1);
//! - under one `ctrl` control c (target t), `rot(φ, θ, ω)` is `CRot`, which becomes
//!   `RZ((φ − ω)/2) t, CNOT c t, RZ(−(φ + ω)/2) t, RY(−θ/2) t, CNOT c t, RY(θ/2) t, RZ(ω) t`, and
//!   `u3(θ, φ, δ)` becomes `CRot(δ, θ, −δ)` so decomposed, then `ControlledPhaseShift(δ)` and
//!   `ControlledPhaseShift(φ)` on (c, t);
//! - `crot(φ, θ, ω)` on (c, t) is `CRot` and expands as `rot` under one control;
//! - under two or more controls, `rot` and `u3` are decomposed numerically (from their matrix into
//!   `RZ RY RZ` products whose angles are no longer functions of the gate's), so they have no metric
//!   here: [`GradError::MetricUnsupportedGate`];
//! - `adj` needs nothing of its own: qmlc inverts a gate into the same kind with negated angles
//!   (`rx(−θ)`), and PennyLane's `Adjoint(RX(θ))` has the negated generator `+X/2`; either way the
//!   covariance in the metric carries the sign squared, so the two agree.
//!
//! A gate none of whose angles depend on a param is not trainable: it is applied whole (its
//! decomposition would change nothing, since which gates are ancestors of which is the same).

use crate::builtins::gates::Generator as GeneratorRule;
use crate::grad::GradError;
use crate::ir::{Circuit, Gate, GateKind, Op, Wire};

/// An angle as a linear combination Σ coefficient · (angle `slot` of the source gate).
pub(super) type AngleTerms = Vec<(usize, f64)>;

/// One operation of the expanded circuit.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Element {
    /// A gate, or one gate of a decomposition.
    Gate(ElementaryGate),
    /// The amplitude embedding at `op_idx`.
    Embedding { op_idx: usize, wires: Vec<Wire> },
}

/// A gate of the expanded circuit, from the gate at `op_idx`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ElementaryGate {
    pub op_idx: usize,
    pub kind: GateKind,
    pub wires: Vec<Wire>,
    pub controls: Vec<Wire>,
    /// `None`: the source gate applied whole with its own angles (it is not trainable).
    /// `Some(terms)`: a gate of one angle, that combination of the source gate's angles.
    pub angle: Option<AngleTerms>,
    /// Whether the angle depends on a param (PennyLane's trainable tape parameters).
    pub trainable: bool,
}

impl Element {
    /// Every wire the element touches, controls included.
    pub(super) fn wires(&self) -> impl Iterator<Item = &Wire> {
        let (first, second): (&[Wire], &[Wire]) = match self {
            Element::Gate(gate) => (&gate.wires, &gate.controls),
            Element::Embedding { wires, .. } => (wires, &[]),
        };
        first.iter().chain(second)
    }

    pub(super) fn trainable(&self) -> bool {
        matches!(self, Element::Gate(ElementaryGate { trainable: true, .. }))
    }
}

/// The circuit's operations expanded as PennyLane's `metric_tensor` expands them (see the module's
/// documentation), in circuit order.
pub(super) fn expand(circuit: &Circuit) -> Result<Vec<Element>, GradError> {
    let mut elements = Vec::with_capacity(circuit.ops.len());
    for (op_idx, op) in circuit.ops.iter().enumerate() {
        match op {
            Op::StatePrep(prep) => {
                if prep.amplitudes.iter().any(|amplitude| !amplitude.params().is_empty()) {
                    return Err(GradError::ParamInEmbedding { op_idx });
                }
                elements.push(Element::Embedding { op_idx, wires: prep.wires.clone() });
            }
            Op::Gate(gate) => expand_gate(op_idx, gate, &mut elements)?,
        }
    }
    Ok(elements)
}

/// The first gate whose metric this module cannot give (see the module's documentation), by its
/// index among `ops`, for the checker to refuse `qng` on it before training starts.
pub(crate) fn first_unsupported_gate(ops: &[Op]) -> Option<usize> {
    let mut elements = Vec::new();
    ops.iter().enumerate().find_map(|(op_idx, op)| match op {
        Op::Gate(gate) => {
            elements.clear();
            expand_gate(op_idx, gate, &mut elements).err().map(|_| op_idx)
        }
        Op::StatePrep(_) => None,
    })
}

fn expand_gate(op_idx: usize, gate: &Gate, elements: &mut Vec<Element>) -> Result<(), GradError> {
    let depends_on_param = |terms: &AngleTerms| terms.iter().any(|(slot, _)| !gate.angles[*slot].params().is_empty());
    let one = |slot: usize| vec![(slot, 1.0)];
    let mut push = |kind: GateKind, wires: Vec<Wire>, controls: Vec<Wire>, angle: Option<AngleTerms>| {
        let trainable = angle.as_ref().is_some_and(depends_on_param);
        elements.push(Element::Gate(ElementaryGate { op_idx, kind, wires, controls, angle, trainable }));
    };
    if gate.angles.iter().all(|angle| angle.params().is_empty()) {
        push(gate.kind, gate.wires.clone(), gate.controls.clone(), None);
        return Ok(());
    }
    let unsupported =
        || GradError::MetricUnsupportedGate { op_idx, gate: gate.kind.name(), n_controls: gate.controls.len() };
    match gate.kind.info().generator {
        GeneratorRule::Pauli { .. } | GeneratorRule::Projector if gate.kind.n_angles() == 1 => {
            push(gate.kind, gate.wires.clone(), gate.controls.clone(), Some(one(0)));
        }
        GeneratorRule::Parts(_) => {
            // `crot` on (c, t) is `rot` on t under the control c: PennyLane's CRot.
            let (target, controls) = match gate.kind {
                GateKind::CRot => {
                    let controls: Vec<Wire> =
                        gate.controls.iter().copied().chain(gate.wires.first().copied()).collect();
                    (gate.wires[1..].to_vec(), controls)
                }
                _ => (gate.wires.clone(), gate.controls.clone()),
            };
            let (phi, theta, omega) = match gate.kind {
                // rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ).
                GateKind::Rot | GateKind::CRot => (one(0), one(1), one(2)),
                // u3(θ, φ, δ) = Rot(δ, θ, −δ) · PhaseShift(δ) · PhaseShift(φ), as PennyLane decomposes it.
                GateKind::U3 => (one(2), one(0), vec![(2, -1.0)]),
                _ => return Err(unsupported()),
            };
            match controls.as_slice() {
                [] => {
                    push(GateKind::RZ, target.clone(), Vec::new(), Some(phi));
                    push(GateKind::RY, target.clone(), Vec::new(), Some(theta));
                    push(GateKind::RZ, target.clone(), Vec::new(), Some(omega));
                }
                [control] => {
                    // PennyLane's CRot decomposition.
                    let pair = vec![*control, target[0]];
                    push(GateKind::RZ, target.clone(), Vec::new(), Some(sum(scaled(&phi, 0.5), scaled(&omega, -0.5))));
                    push(GateKind::CNOT, pair.clone(), Vec::new(), None);
                    push(GateKind::RZ, target.clone(), Vec::new(), Some(sum(scaled(&phi, -0.5), scaled(&omega, -0.5))));
                    push(GateKind::RY, target.clone(), Vec::new(), Some(scaled(&theta, -0.5)));
                    push(GateKind::CNOT, pair.clone(), Vec::new(), None);
                    push(GateKind::RY, target.clone(), Vec::new(), Some(scaled(&theta, 0.5)));
                    push(GateKind::RZ, target.clone(), Vec::new(), Some(omega));
                }
                _ => return Err(unsupported()),
            }
            if gate.kind == GateKind::U3 {
                // PhaseShift(δ) then PhaseShift(φ), controlled as the gate is.
                let (kind, wires) = match controls.as_slice() {
                    [] => (GateKind::Phase, target),
                    [control] => (GateKind::CPhase, vec![*control, target[0]]),
                    _ => return Err(unsupported()),
                };
                push(kind, wires.clone(), Vec::new(), Some(one(2)));
                push(kind, wires, Vec::new(), Some(one(1)));
            }
        }
        _ => return Err(unsupported()),
    }
    Ok(())
}

/// `terms` times `factor`.
fn scaled(terms: &AngleTerms, factor: f64) -> AngleTerms {
    terms.iter().map(|(slot, coefficient)| (*slot, coefficient * factor)).collect()
}

/// The sum of two combinations. Terms on the same slot are kept apart: an angle such as
/// −(δ + (−δ))/2 stays trainable with a zero derivative, as PennyLane's tape parameter does.
fn sum(first: AngleTerms, second: AngleTerms) -> AngleTerms {
    first.into_iter().chain(second).collect()
}
