//! Wires, the primitive gates, and the operations of a gate list.

use super::Expr;
use crate::source::Span;

/// A qubit index in `0..n_qubits`. Wire 0 is the most significant bit of a basis-state index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wire(pub u32);

impl Wire {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The primitive gates of LANGUAGE.md §4.1, with PennyLane's matrices.
///
/// `SXdg` has no surface name: it is what `adj { sx q }` lowers to.
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
}

impl GateKind {
    /// The number of wires, or `None` for `multirz`, which takes any positive number.
    pub fn n_wires(self) -> Option<usize> {
        use GateKind::*;
        match self {
            Id | X | Y | Z | H | S | Sdg | T | Tdg | SX | SXdg | RX | RY | RZ | Phase | Rot | U3 => Some(1),
            CNOT | CY | CZ | Swap | CRX | CRY | CRZ | CPhase | IsingXX | IsingYY | IsingZZ => Some(2),
            Toffoli | CSwap => Some(3),
            MultiRZ => None,
        }
    }

    pub fn n_angles(self) -> usize {
        use GateKind::*;
        match self {
            RX | RY | RZ | Phase | CRX | CRY | CRZ | CPhase | IsingXX | IsingYY | IsingZZ | MultiRZ => 1,
            Rot | U3 => 3,
            _ => 0,
        }
    }

    /// The canonical surface name (used by `draw`, `export` and the optimizer's reports).
    pub fn name(self) -> &'static str {
        use GateKind::*;
        match self {
            Id => "id",
            X => "x",
            Y => "y",
            Z => "z",
            H => "h",
            S => "s",
            Sdg => "sdg",
            T => "t",
            Tdg => "tdg",
            SX => "sx",
            SXdg => "sxdg",
            RX => "rx",
            RY => "ry",
            RZ => "rz",
            Phase => "phase",
            Rot => "rot",
            U3 => "u3",
            CNOT => "cnot",
            CY => "cy",
            CZ => "cz",
            Swap => "swap",
            CRX => "crx",
            CRY => "cry",
            CRZ => "crz",
            CPhase => "cphase",
            IsingXX => "isingxx",
            IsingYY => "isingyy",
            IsingZZ => "isingzz",
            Toffoli => "toffoli",
            CSwap => "cswap",
            MultiRZ => "multirz",
        }
    }

    /// Looks up a surface gate name or alias.
    pub fn from_name(name: &str) -> Option<GateKind> {
        use GateKind::*;
        Some(match name {
            "id" => Id,
            "x" => X,
            "y" => Y,
            "z" => Z,
            "h" => H,
            "s" => S,
            "sdg" => Sdg,
            "t" => T,
            "tdg" => Tdg,
            "sx" => SX,
            "rx" => RX,
            "ry" => RY,
            "rz" => RZ,
            "phase" | "p" => Phase,
            "rot" => Rot,
            "u3" => U3,
            "cnot" | "cx" => CNOT,
            "cy" => CY,
            "cz" => CZ,
            "swap" => Swap,
            "crx" => CRX,
            "cry" => CRY,
            "crz" => CRZ,
            "cphase" | "cp" => CPhase,
            "isingxx" => IsingXX,
            "isingyy" => IsingYY,
            "isingzz" => IsingZZ,
            "toffoli" | "ccx" => Toffoli,
            "cswap" => CSwap,
            "multirz" => MultiRZ,
            _ => return None,
        })
    }

    /// Every gate kind, `sxdg` included.
    pub const ALL: &'static [GateKind] = &[
        GateKind::Id,
        GateKind::X,
        GateKind::Y,
        GateKind::Z,
        GateKind::H,
        GateKind::S,
        GateKind::Sdg,
        GateKind::T,
        GateKind::Tdg,
        GateKind::SX,
        GateKind::SXdg,
        GateKind::RX,
        GateKind::RY,
        GateKind::RZ,
        GateKind::Phase,
        GateKind::Rot,
        GateKind::U3,
        GateKind::CNOT,
        GateKind::CY,
        GateKind::CZ,
        GateKind::Swap,
        GateKind::CRX,
        GateKind::CRY,
        GateKind::CRZ,
        GateKind::CPhase,
        GateKind::IsingXX,
        GateKind::IsingYY,
        GateKind::IsingZZ,
        GateKind::Toffoli,
        GateKind::CSwap,
        GateKind::MultiRZ,
    ];

    /// Every surface name, aliases included (for completion and did-you-mean).
    pub const SURFACE_NAMES: &'static [&'static str] = &[
        "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "phase", "p", "rot", "u3", "cnot",
        "cx", "cy", "cz", "swap", "crx", "cry", "crz", "cphase", "cp", "isingxx", "isingyy", "isingzz", "toffoli",
        "ccx", "cswap", "multirz",
    ];

    /// Whether the gate is its own inverse (so two in a row on the same wires cancel).
    pub fn is_self_inverse(self) -> bool {
        use GateKind::*;
        matches!(self, Id | X | Y | Z | H | CNOT | CY | CZ | Swap | Toffoli | CSwap)
    }
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
    pub fn all_wires(&self) -> Vec<Wire> {
        match self {
            Op::Gate(g) => g.controls.iter().chain(g.wires.iter()).copied().collect(),
            Op::StatePrep(p) => p.wires.clone(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Op::Gate(g) => g.span,
            Op::StatePrep(p) => p.span,
        }
    }
}
