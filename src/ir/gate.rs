//! Wires, the primitive gates, and the operations of a gate list.

use super::Expr;
use crate::source::Span;
use std::sync::Arc;

/// A qubit index in `0..n_qubits`. Wire 0 is the most significant bit of a basis-state index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wire(pub u32);

impl Wire {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The primitive gates of LANGUAGE.md §4.1 and §10.4, with PennyLane's matrices.
///
/// `SXdg`, `ISwapDg`, `SISwapDg` and `U2Dg` have no surface name: they are what `adj` of `sx`,
/// `iswap`, `siswap` and `u2` lowers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GateKind {
    Id,
    X,
    Y,
    Z,
    H,
    S,
    Sdg,
    T,
    Tdg,
    SX,
    SXdg,
    RX,
    RY,
    RZ,
    Phase,
    Rot,
    U3,
    CNOT,
    CY,
    CZ,
    Swap,
    CRX,
    CRY,
    CRZ,
    CPhase,
    IsingXX,
    IsingYY,
    IsingZZ,
    Toffoli,
    CSwap,
    /// Acts on any number (≥ 1) of wires.
    MultiRZ,
    /// The quantum-chemistry excitations: a Givens rotation of |01⟩ and |10⟩ (single, 2 wires) or
    /// of |0011⟩ and |1100⟩ (double, 4 wires); the `Plus`/`Minus` variants put the phase
    /// e^{±iθ/2} on every other basis state.
    SingleExcitation,
    SingleExcitationPlus,
    SingleExcitationMinus,
    DoubleExcitation,
    DoubleExcitationPlus,
    DoubleExcitationMinus,
    /// Controlled Hadamard, the first wire controls.
    CH,
    /// Doubly controlled Z: diag(1, …, 1, −1) on three wires.
    CCZ,
    ISwap,
    /// iSWAP†, what `adj { iswap q }` becomes (not written in programs).
    ISwapDg,
    SISwap,
    /// √iSWAP†, what `adj { siswap q }` becomes (not written in programs).
    SISwapDg,
    ECR,
    U1,
    /// Controlled `rot`, the first wire controls.
    CRot,
    /// X on the last wire, controlled by every other: any number (≥ 2) of wires.
    MultiControlledX,
    /// PennyLane's U2(φ, δ) = U3(π/2, φ, δ).
    U2,
    /// What `adj { u2(φ, δ) q }` becomes: u2dg(a, b) = U2(π + b, π + a), so that u2dg(−φ, −δ) is
    /// U2(φ, δ)† (not written in programs).
    U2Dg,
    /// PennyLane's IsingXY: exp(iφ (X⊗X + Y⊗Y)/4).
    IsingXY,
    /// PennyLane's PSWAP: SWAP with the phase e^{iφ} on the exchanged |01⟩ and |10⟩.
    PSWAP,
    /// PennyLane's PauliRot: exp(−iθ P/2) for a Pauli word P. The checker replaces it by basis
    /// changes around a `multirz` (see `builtins::gates::expansion`), so it never reaches a circuit.
    PauliRot,
    /// PennyLane's OrbitalRotation on four wires; replaced by the checker as `PauliRot` is.
    OrbitalRotation,
    /// PennyLane's FermionicSWAP.
    FermionicSWAP,
    /// e^{−iφ} on the whole state, or, under `ctrl`, on the part where the controls are |1⟩.
    /// Any number (≥ 0) of wires, which do not change what it does.
    GlobalPhase,
}

// Every fact about a gate kind lives in its row of the gate table, `crate::builtins::gates`.
impl GateKind {
    /// The number of wires, or `None` for a gate that takes any number (`multirz`, `global_phase`, …).
    pub(crate) fn n_wires(self) -> Option<usize> {
        self.info().n_wires
    }

    /// The fewest wires the gate takes: its wire count, or for a gate that takes any number, 2 for
    /// `multi_controlled_x` (a control and a target), 1 for `multirz` and 0 for `global_phase`.
    pub(crate) fn min_wires(self) -> usize {
        self.info().n_wires.unwrap_or(self.info().min_wires)
    }

    pub(crate) fn n_angles(self) -> usize {
        self.info().n_angles()
    }

    /// The canonical surface name (used by `draw`, `export` and the optimizer's reports).
    pub(crate) fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks up a surface gate name or alias.
    pub fn from_name(name: &str) -> Option<GateKind> {
        crate::builtins::gates::GATES.iter().find(|gate| gate.surface_names().any(|n| n == name)).map(|gate| gate.kind)
    }

    /// Every gate kind, `sxdg` included.
    #[cfg(test)]
    pub(crate) const ALL: &'static [GateKind] = crate::builtins::gates::ALL_KINDS;

    /// Every surface name, aliases included (for completion and did-you-mean).
    pub const SURFACE_NAMES: &'static [&'static str] = crate::builtins::gates::SURFACE_NAMES;
}

/// One gate application. `controls` are extra control wires added by `ctrl { }` blocks: the gate
/// acts on `wires` only where every control wire is |1>.
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    pub kind: GateKind,
    pub wires: Vec<Wire>,
    pub angles: Vec<Expr>,
    pub controls: Vec<Wire>,
    /// The source statement this gate came from.
    pub span: Span,
    /// The template application this gate was expanded from, if any. Only drawings read it: the
    /// simulator, the gradients and the optimizer treat the gate as any other.
    pub template: Option<Arc<TemplateOrigin>>,
}

/// One application of a template in the source, as drawings box it: the template's name, the
/// wires it was placed on (through any def's wire map), and a number that tells one application
/// from the next, since the same statement in a loop applies the template once per iteration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateOrigin {
    pub name: String,
    pub wires: Vec<Wire>,
    pub application: u32,
}

/// Amplitude embedding: prepares `wires`, which are still |0…0> and unentangled when it runs,
/// in the state whose amplitudes are `amplitudes` padded with `pad` to 2^k and, if `normalize`,
/// divided by their norm. Without `normalize` a norm that is not 1 (to 1e-9) is a run-time error.
#[derive(Clone, Debug, PartialEq)]
pub struct StatePrep {
    pub wires: Vec<Wire>,
    pub amplitudes: Vec<Expr>,
    pub normalize: bool,
    pub pad: Option<f64>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Gate(Gate),
    StatePrep(StatePrep),
}

impl Op {
    /// Every wire the operation touches, controls included.
    pub(crate) fn all_wires(&self) -> Vec<Wire> {
        match self {
            Op::Gate(g) => g.controls.iter().chain(g.wires.iter()).copied().collect(),
            Op::StatePrep(p) => p.wires.clone(),
        }
    }
}
