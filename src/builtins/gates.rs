//! The gate table: every fact about each primitive gate (names, wires, angles, matrix, gradient recipe, inverse, OpenQASM name, doc) in one row.
//!
//! The checker, `adj`, the optimizer, the gradient methods, the reference docs and the tests read
//! this table. Adding a gate means adding a `GateKind` variant, its row here, and its kernel in
//! `sim/kernels/`; the tests in this module check that the kernel agrees with the row.

use super::matrices::{
    angle, c, controlled, diagonal, e, ecr, excitation, fermionic_swap, hadamard, identity, iswap_power, matmul,
    orbital_rotation, pauli_matrix, permutation, rotation, u2, Dense,
};
use crate::ir::{GateKind, Pauli};
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_PI_2, FRAC_PI_4, SQRT_2};

/// How the derivative of a gate by its angle is taken (for the adjoint method and parameter shift).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Generator {
    /// The gate has no angle.
    None,
    /// U = exp(-iθ P⊗…⊗P / 2) on the wires after the first `controls`, applied where those control
    /// wires are |1>: dU/dθ = −(i/2) Π P⊗…⊗P U, with Π the projector onto the controls being 1.
    Pauli { pauli: Pauli, controls: usize },
    /// U = diag(1, …, 1, e^{iθ}) on its wires: dU/dθ = i Π U, with Π the projector onto every wire being 1.
    Projector,
    /// Several angles: U is the product of these one-angle gates, in the order they act, each
    /// reading the given angle slot of the gate.
    Parts(&'static [(GateKind, usize)]),
    /// An excitation gate on 2k wires: U = exp(−iθG) with G = Y/2 on the pair of basis states
    /// a = |0…0 1…1⟩ (the first k wires 0, the last k 1) and b = |1…1 0…0⟩, and G = −`outside` on
    /// every other basis state, so U is the Givens rotation [[cos θ/2, −sin θ/2], [sin θ/2, cos θ/2]]
    /// of (a, b) and e^{i·outside·θ} elsewhere: dU/dθ = −iG U, with −iG = (|b⟩⟨a| − |a⟩⟨b|)/2 +
    /// i·outside·(1 − |a⟩⟨a| − |b⟩⟨b|). `outside` is 0 or ±1/2.
    Excitation { outside: f64 },
    /// A two-wire gate U(θ) with dU/dθ = i H U for the real symmetric 4x4 matrix `hermitian` (on the
    /// gate's two wires, the first the more significant bit), differentiated by `rule`, which H's
    /// eigenvalues decide; each H here has the eigenvalue 0, so a control does not change the rule.
    /// IsingXY (H = (X⊗X + Y⊗Y)/4, U = exp(iθH)), PSWAP (H = |01⟩⟨01| + |10⟩⟨10|, with U = exp(iθH)·SWAP)
    /// and FermionicSWAP (U = exp(iθH)).
    TwoWire { hermitian: [[f64; 4]; 4], rule: ShiftRule },
    /// U = e^{−iθ} on the whole state (on the part where the `ctrl` controls are 1): dU/dθ = −i Π U.
    GlobalPhase,
    /// The checker replaces the gate by the gates of [`expansion`] before anything differentiates it.
    Expanded,
}

/// The parameter-shift rule of one angle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShiftRule {
    /// A generator with two eigenvalues one apart (Pauli rotations, phase gates, even controlled phases):
    /// f'(θ) = [f(θ + π/2) − f(θ − π/2)] / 2.
    TwoTerm,
    /// A controlled rotation, whose generator has eigenvalues 0 and ±1/2: PennyLane's four-term rule
    /// f'(θ) = c₊[f(θ + π/2) − f(θ − π/2)] − c₋[f(θ + 3π/2) − f(θ − 3π/2)], c± = (√2 ± 1)/(4√2).
    FourTerm,
}

impl ShiftRule {
    /// The (shift, weight) pairs: f'(θ) = Σ weight · f(θ + shift).
    pub(crate) fn terms(self) -> Vec<(f64, f64)> {
        match self {
            ShiftRule::TwoTerm => vec![(FRAC_PI_2, 0.5), (-FRAC_PI_2, -0.5)],
            ShiftRule::FourTerm => {
                let plus = (SQRT_2 + 1.0) / (4.0 * SQRT_2);
                let minus = (SQRT_2 - 1.0) / (4.0 * SQRT_2);
                let three_halves_pi = 3.0 * FRAC_PI_2;
                vec![(FRAC_PI_2, plus), (-FRAC_PI_2, -plus), (three_halves_pi, -minus), (-three_halves_pi, minus)]
            }
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            ShiftRule::TwoTerm => "two-term shift (±π/2)",
            ShiftRule::FourTerm => "four-term shift (±π/2, ±3π/2)",
        }
    }
}

impl Generator {
    /// The shift rule of a one-angle gate with this generator; `extra_controls` when it sits inside `ctrl`.
    /// A phase gate stays two-term under controls (its generator is still a projector); a rotation becomes four-term.
    /// An excitation's generator has the eigenvalues {0, ±1/2} (PennyLane's parameter frequencies
    /// (0.5, 1)), four-term, except the `_plus`/`_minus` variants' ±1/2 (frequency 1), two-term
    /// until a control adds the eigenvalue 0.
    pub(crate) fn shift_rule(self, extra_controls: bool) -> Option<ShiftRule> {
        match self {
            Generator::Pauli { controls, .. } if controls > 0 || extra_controls => Some(ShiftRule::FourTerm),
            Generator::Excitation { outside } if outside == 0.0 || extra_controls => Some(ShiftRule::FourTerm),
            Generator::Pauli { .. } | Generator::Projector | Generator::Excitation { .. } => Some(ShiftRule::TwoTerm),
            Generator::TwoWire { rule, .. } => Some(rule),
            // e^{−iθ} has the one eigenvalue −1 (the derivative of a measurement vanishes); under
            // a control, the eigenvalues 0 and −1.
            Generator::GlobalPhase => Some(ShiftRule::TwoTerm),
            Generator::None | Generator::Parts(_) | Generator::Expanded => None,
        }
    }
}

/// The inverse of a gate: a gate of `kind` whose angles are the gate's angles in `angle_slots`, negated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Inverse {
    pub(crate) kind: GateKind,
    pub(crate) angle_slots: &'static [usize],
}

/// The OpenQASM 3 `gate` definition of a gate that `stdgates.inc` lacks.
#[derive(Clone, Copy, Debug)]
pub enum QasmDefinition {
    /// The definition, named as the gate (`gate isingxx(theta) a, b { … }`).
    Gate(&'static str),
    /// For a gate on any number of wires: the definition on the given number of wires, named
    /// `NAME_n` (`gate multirz_3(theta) a0, a1, a2 { … }`).
    OnWires(fn(usize) -> String),
    /// A gate OpenQASM 3 has built in: `U`, written for `u3` instead of the stdgates.inc name
    /// because that one differs by a phase (the spec's stdgates.inc defines `u3` as `U` times
    /// e^{−i(φ+λ)/2}; Qiskit's importer reads it as `U`), while qmlc's `u3` is PennyLane's U3,
    /// which is `U`; and `gphase(γ)` = e^{iγ}, written for `global_phase(φ)` as `gphase(-φ)` on no
    /// wires (its controls only, under `ctrl`).
    Builtin(&'static str),
}

/// Every fact about one gate kind.
#[derive(Clone, Copy, Debug)]
pub struct GateInfo {
    pub kind: GateKind,
    /// The canonical name (used by `draw`, `export` and the optimizer's reports).
    pub name: &'static str,
    /// Other names a program may write for the gate.
    pub aliases: &'static [&'static str],
    /// Whether a program may write the name: `sxdg` is only what `adj { sx q }` lowers to.
    pub surface: bool,
    /// The number of wires, or `None` for any number from `min_wires` up.
    pub n_wires: Option<usize>,
    /// The fewest wires a gate with `n_wires: None` takes.
    pub(crate) min_wires: usize,
    /// The names of the angles, in the order the gate takes them; their count is the gate's angle count.
    pub angle_names: &'static [&'static str],
    /// The matrix on the gate's wires for the given angles and wire count (PennyLane's definition).
    /// Only tests read it: it is the reference the simulator's kernels are checked against.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) matrix: fn(&[f64], usize) -> Dense,
    pub(crate) generator: Generator,
    pub(crate) inverse: Inverse,
    /// Whether the gate is the identity when every angle is 0 (so the optimizer drops it).
    pub(crate) identity_at_zero: bool,
    /// Whether two in a row on the same wires are one gate with the sum of the angles.
    pub(crate) additive: bool,
    /// Whether the gate is the same whichever order its wires are listed in.
    pub(crate) symmetric: bool,
    /// Whether the checker replaces the gate by the gates of [`expansion`] (`pauli_rot`, whose word is
    /// not an angle, and `orbital_rotation`), so that no circuit holds it.
    pub(crate) expands: bool,
    /// The OpenQASM 3 `stdgates.inc` name, when there is one.
    pub qasm: Option<&'static str>,
    /// How `export` writes a gate that `stdgates.inc` lacks: a `gate` definition in terms of
    /// stdgates.inc gates, modifiers and `gphase`, with the row's matrix exactly, global phase
    /// included. Every row has `qasm` or this, or both when this is a `Builtin` (a test checks it,
    /// and checks the matrix). A definition's parameters are named in sorted order (`p1_phi,
    /// p2_theta, p3_omega`), because Qiskit's importer (qiskit-qasm3-import 0.6) binds them by
    /// sorted name rather than by position.
    pub qasm_definition: Option<QasmDefinition>,
    /// What the gate does, in one line.
    pub doc: &'static str,
}

impl GateInfo {
    pub(crate) fn n_angles(&self) -> usize {
        self.angle_names.len()
    }

    /// The name and aliases a program may write (none for `sxdg`).
    pub fn surface_names(&self) -> impl Iterator<Item = &'static str> {
        let surface = self.surface;
        std::iter::once(self.name).chain(self.aliases.iter().copied()).filter(move |_| surface)
    }

    /// Whether two in a row on the same wires cancel: the gate has no angle and is its own inverse.
    pub(crate) fn is_self_inverse(&self) -> bool {
        self.angle_names.is_empty() && self.inverse.kind == self.kind
    }
}

use GateKind as K;

const FIXED: GateInfo = GateInfo {
    kind: K::Id,
    name: "",
    aliases: &[],
    surface: true,
    n_wires: Some(1),
    min_wires: 1,
    angle_names: &[],
    matrix: |_, _| identity(1),
    generator: Generator::None,
    inverse: Inverse { kind: K::Id, angle_slots: &[] },
    identity_at_zero: false,
    additive: false,
    symmetric: false,
    expands: false,
    qasm: None,
    qasm_definition: None,
    doc: "",
};

/// A one-angle rotation about a Pauli word, which adds, is the identity at 0 and inverts by negation.
const ROTATION: GateInfo = GateInfo {
    angle_names: &["θ"],
    identity_at_zero: true,
    additive: true,
    inverse: Inverse { kind: K::RX, angle_slots: &[0] },
    ..FIXED
};

/// The table, in `GateKind` order (a test checks it).
pub const GATES: &[GateInfo] = &[
    GateInfo { kind: K::Id, name: "id", identity_at_zero: true, qasm: Some("id"), doc: "the identity", ..FIXED },
    GateInfo {
        kind: K::X,
        name: "x",
        matrix: |_, _| pauli_matrix('X'),
        inverse: Inverse { kind: K::X, angle_slots: &[] },
        qasm: Some("x"),
        doc: "Pauli X (NOT)",
        ..FIXED
    },
    GateInfo {
        kind: K::Y,
        name: "y",
        matrix: |_, _| pauli_matrix('Y'),
        inverse: Inverse { kind: K::Y, angle_slots: &[] },
        qasm: Some("y"),
        doc: "Pauli Y",
        ..FIXED
    },
    GateInfo {
        kind: K::Z,
        name: "z",
        matrix: |_, _| pauli_matrix('Z'),
        inverse: Inverse { kind: K::Z, angle_slots: &[] },
        qasm: Some("z"),
        doc: "Pauli Z",
        ..FIXED
    },
    GateInfo {
        kind: K::H,
        name: "h",
        matrix: |_, _| hadamard(),
        inverse: Inverse { kind: K::H, angle_slots: &[] },
        qasm: Some("h"),
        doc: "Hadamard",
        ..FIXED
    },
    GateInfo {
        kind: K::S,
        name: "s",
        matrix: |_, _| diagonal(&[c(1.0, 0.0), c(0.0, 1.0)]),
        inverse: Inverse { kind: K::Sdg, angle_slots: &[] },
        qasm: Some("s"),
        doc: "S = diag(1, i)",
        ..FIXED
    },
    GateInfo {
        kind: K::Sdg,
        name: "sdg",
        matrix: |_, _| diagonal(&[c(1.0, 0.0), c(0.0, -1.0)]),
        inverse: Inverse { kind: K::S, angle_slots: &[] },
        qasm: Some("sdg"),
        doc: "S† = diag(1, −i)",
        ..FIXED
    },
    GateInfo {
        kind: K::T,
        name: "t",
        matrix: |_, _| diagonal(&[c(1.0, 0.0), e(FRAC_PI_4)]),
        inverse: Inverse { kind: K::Tdg, angle_slots: &[] },
        qasm: Some("t"),
        doc: "T = diag(1, e^{iπ/4})",
        ..FIXED
    },
    GateInfo {
        kind: K::Tdg,
        name: "tdg",
        matrix: |_, _| diagonal(&[c(1.0, 0.0), e(-FRAC_PI_4)]),
        inverse: Inverse { kind: K::T, angle_slots: &[] },
        qasm: Some("tdg"),
        doc: "T† = diag(1, e^{−iπ/4})",
        ..FIXED
    },
    GateInfo {
        kind: K::SX,
        name: "sx",
        matrix: |_, _| vec![vec![c(0.5, 0.5), c(0.5, -0.5)], vec![c(0.5, -0.5), c(0.5, 0.5)]],
        inverse: Inverse { kind: K::SXdg, angle_slots: &[] },
        qasm: Some("sx"),
        doc: "√X",
        ..FIXED
    },
    GateInfo {
        kind: K::SXdg,
        name: "sxdg",
        surface: false,
        matrix: |_, _| vec![vec![c(0.5, -0.5), c(0.5, 0.5)], vec![c(0.5, 0.5), c(0.5, -0.5)]],
        inverse: Inverse { kind: K::SX, angle_slots: &[] },
        qasm_definition: Some(QasmDefinition::Gate("gate sxdg a { h a; sdg a; h a; }")),
        doc: "√X†, what `adj { sx q }` becomes (not written in programs)",
        ..FIXED
    },
    GateInfo {
        kind: K::RX,
        name: "rx",
        matrix: |a, _| rotation("X", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::X, controls: 0 },
        inverse: Inverse { kind: K::RX, angle_slots: &[0] },
        qasm: Some("rx"),
        doc: "rotation about X: exp(−iθX/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::RY,
        name: "ry",
        matrix: |a, _| rotation("Y", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::Y, controls: 0 },
        inverse: Inverse { kind: K::RY, angle_slots: &[0] },
        qasm: Some("ry"),
        doc: "rotation about Y: exp(−iθY/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::RZ,
        name: "rz",
        matrix: |a, _| rotation("Z", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::Z, controls: 0 },
        inverse: Inverse { kind: K::RZ, angle_slots: &[0] },
        qasm: Some("rz"),
        doc: "rotation about Z: exp(−iθZ/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::Phase,
        name: "phase",
        aliases: &["p"],
        angle_names: &["φ"],
        matrix: |a, _| diagonal(&[c(1.0, 0.0), e(angle(a, 0))]),
        generator: Generator::Projector,
        inverse: Inverse { kind: K::Phase, angle_slots: &[0] },
        qasm: Some("p"),
        doc: "phase shift: diag(1, e^{iφ})",
        ..ROTATION
    },
    GateInfo {
        kind: K::Rot,
        name: "rot",
        angle_names: &["φ", "θ", "ω"],
        matrix: |a, _| {
            let (phi, theta, omega) = (angle(a, 0), angle(a, 1), angle(a, 2));
            matmul(&rotation("Z", omega), &matmul(&rotation("Y", theta), &rotation("Z", phi)))
        },
        generator: Generator::Parts(&[(K::RZ, 0), (K::RY, 1), (K::RZ, 2)]),
        // RZ(ω) RY(θ) RZ(φ) inverts to RZ(−φ) RY(−θ) RZ(−ω), which is rot(−ω, −θ, −φ).
        inverse: Inverse { kind: K::Rot, angle_slots: &[2, 1, 0] },
        identity_at_zero: true,
        qasm_definition: Some(QasmDefinition::Gate("gate rot(p1_phi, p2_theta, p3_omega) a { rz(p1_phi) a; ry(p2_theta) a; rz(p3_omega) a; }")),
        doc: "rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ)",
        ..FIXED
    },
    GateInfo {
        kind: K::U3,
        name: "u3",
        angle_names: &["θ", "φ", "δ"],
        matrix: |a, _| {
            let (theta, phi, delta) = (angle(a, 0), angle(a, 1), angle(a, 2));
            let (sin, cos) = (theta / 2.0).sin_cos();
            vec![vec![c(cos, 0.0), -e(delta) * sin], vec![e(phi) * sin, e(phi + delta) * cos]]
        },
        generator: Generator::Parts(&[(K::Phase, 2), (K::RY, 0), (K::Phase, 1)]),
        // P(φ) RY(θ) P(δ) inverts to P(−δ) RY(−θ) P(−φ), which is u3(−θ, −δ, −φ).
        inverse: Inverse { kind: K::U3, angle_slots: &[0, 2, 1] },
        identity_at_zero: true,
        qasm: Some("u3"),
        qasm_definition: Some(QasmDefinition::Builtin("U")),
        doc: "U3(θ, φ, δ) = P(φ) RY(θ) P(δ), PennyLane's U3",
        ..FIXED
    },
    GateInfo {
        kind: K::CNOT,
        name: "cnot",
        aliases: &["cx"],
        n_wires: Some(2),
        matrix: |_, _| controlled(&pauli_matrix('X')),
        inverse: Inverse { kind: K::CNOT, angle_slots: &[] },
        qasm: Some("cx"),
        doc: "controlled X, the first wire controls",
        ..FIXED
    },
    GateInfo {
        kind: K::CY,
        name: "cy",
        n_wires: Some(2),
        matrix: |_, _| controlled(&pauli_matrix('Y')),
        inverse: Inverse { kind: K::CY, angle_slots: &[] },
        qasm: Some("cy"),
        doc: "controlled Y, the first wire controls",
        ..FIXED
    },
    GateInfo {
        kind: K::CZ,
        name: "cz",
        n_wires: Some(2),
        matrix: |_, _| controlled(&pauli_matrix('Z')),
        inverse: Inverse { kind: K::CZ, angle_slots: &[] },
        symmetric: true,
        qasm: Some("cz"),
        doc: "controlled Z: diag(1, 1, 1, −1)",
        ..FIXED
    },
    GateInfo {
        kind: K::Swap,
        name: "swap",
        n_wires: Some(2),
        matrix: |_, _| permutation(&[0, 2, 1, 3]),
        inverse: Inverse { kind: K::Swap, angle_slots: &[] },
        symmetric: true,
        qasm: Some("swap"),
        doc: "exchanges the two wires",
        ..FIXED
    },
    GateInfo {
        kind: K::CRX,
        name: "crx",
        n_wires: Some(2),
        matrix: |a, _| controlled(&rotation("X", angle(a, 0))),
        generator: Generator::Pauli { pauli: Pauli::X, controls: 1 },
        inverse: Inverse { kind: K::CRX, angle_slots: &[0] },
        qasm: Some("crx"),
        doc: "controlled rx, the first wire controls",
        ..ROTATION
    },
    GateInfo {
        kind: K::CRY,
        name: "cry",
        n_wires: Some(2),
        matrix: |a, _| controlled(&rotation("Y", angle(a, 0))),
        generator: Generator::Pauli { pauli: Pauli::Y, controls: 1 },
        inverse: Inverse { kind: K::CRY, angle_slots: &[0] },
        qasm: Some("cry"),
        doc: "controlled ry, the first wire controls",
        ..ROTATION
    },
    GateInfo {
        kind: K::CRZ,
        name: "crz",
        n_wires: Some(2),
        matrix: |a, _| controlled(&rotation("Z", angle(a, 0))),
        generator: Generator::Pauli { pauli: Pauli::Z, controls: 1 },
        inverse: Inverse { kind: K::CRZ, angle_slots: &[0] },
        qasm: Some("crz"),
        doc: "controlled rz, the first wire controls",
        ..ROTATION
    },
    GateInfo {
        kind: K::CPhase,
        name: "cphase",
        aliases: &["cp"],
        n_wires: Some(2),
        angle_names: &["φ"],
        matrix: |a, _| diagonal(&[c(1.0, 0.0), c(1.0, 0.0), c(1.0, 0.0), e(angle(a, 0))]),
        generator: Generator::Projector,
        inverse: Inverse { kind: K::CPhase, angle_slots: &[0] },
        symmetric: true,
        qasm: Some("cp"),
        doc: "controlled phase: diag(1, 1, 1, e^{iφ})",
        ..ROTATION
    },
    GateInfo {
        kind: K::IsingXX,
        name: "isingxx",
        n_wires: Some(2),
        matrix: |a, _| rotation("XX", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::X, controls: 0 },
        inverse: Inverse { kind: K::IsingXX, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate isingxx(theta) a, b { h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; }")),
        doc: "Ising XX coupling: exp(−iθ X⊗X/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::IsingYY,
        name: "isingyy",
        n_wires: Some(2),
        matrix: |a, _| rotation("YY", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::Y, controls: 0 },
        inverse: Inverse { kind: K::IsingYY, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate isingyy(theta) a, b { sdg a; sdg b; h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; s a; s b; }")),
        doc: "Ising YY coupling: exp(−iθ Y⊗Y/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::IsingZZ,
        name: "isingzz",
        n_wires: Some(2),
        matrix: |a, _| rotation("ZZ", angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::Z, controls: 0 },
        inverse: Inverse { kind: K::IsingZZ, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate isingzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }")),
        doc: "Ising ZZ coupling: exp(−iθ Z⊗Z/2)",
        ..ROTATION
    },
    GateInfo {
        kind: K::Toffoli,
        name: "toffoli",
        aliases: &["ccx"],
        n_wires: Some(3),
        matrix: |_, _| controlled(&controlled(&pauli_matrix('X'))),
        inverse: Inverse { kind: K::Toffoli, angle_slots: &[] },
        qasm: Some("ccx"),
        doc: "doubly controlled X, the first two wires control",
        ..FIXED
    },
    GateInfo {
        kind: K::CSwap,
        name: "cswap",
        n_wires: Some(3),
        matrix: |_, _| controlled(&permutation(&[0, 2, 1, 3])),
        inverse: Inverse { kind: K::CSwap, angle_slots: &[] },
        qasm: Some("cswap"),
        doc: "controlled swap (Fredkin), the first wire controls",
        ..FIXED
    },
    GateInfo {
        kind: K::MultiRZ,
        name: "multirz",
        n_wires: None,
        matrix: |a, n_wires| rotation(&"Z".repeat(n_wires.max(1)), angle(a, 0)),
        generator: Generator::Pauli { pauli: Pauli::Z, controls: 0 },
        inverse: Inverse { kind: K::MultiRZ, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::OnWires(multirz_definition)),
        doc: "exp(−iθ Z⊗…⊗Z/2) on any number of wires",
        ..ROTATION
    },
    GateInfo {
        kind: K::SingleExcitation,
        name: "single_excitation",
        n_wires: Some(2),
        matrix: |a, _| excitation(2, angle(a, 0), 0.0),
        generator: Generator::Excitation { outside: 0.0 },
        inverse: Inverse { kind: K::SingleExcitation, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate single_excitation(theta) a, b { cx a, b; cry(theta) b, a; cx a, b; }")),
        doc: "Givens rotation of |01⟩ and |10⟩ by θ/2 (PennyLane's SingleExcitation)",
        ..ROTATION
    },
    GateInfo {
        kind: K::SingleExcitationPlus,
        name: "single_excitation_plus",
        n_wires: Some(2),
        matrix: |a, _| excitation(2, angle(a, 0), 0.5),
        generator: Generator::Excitation { outside: 0.5 },
        inverse: Inverse { kind: K::SingleExcitationPlus, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate single_excitation_plus(theta) a, b { cx a, b; cry(theta) b, a; p(-theta / 2) b; gphase(theta / 2); cx a, b; }")),
        doc: "single_excitation, with e^{iθ/2} on |00⟩ and |11⟩ (PennyLane's SingleExcitationPlus)",
        ..ROTATION
    },
    GateInfo {
        kind: K::SingleExcitationMinus,
        name: "single_excitation_minus",
        n_wires: Some(2),
        matrix: |a, _| excitation(2, angle(a, 0), -0.5),
        generator: Generator::Excitation { outside: -0.5 },
        inverse: Inverse { kind: K::SingleExcitationMinus, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate single_excitation_minus(theta) a, b { cx a, b; cry(theta) b, a; p(theta / 2) b; gphase(-theta / 2); cx a, b; }")),
        doc: "single_excitation, with e^{−iθ/2} on |00⟩ and |11⟩ (PennyLane's SingleExcitationMinus)",
        ..ROTATION
    },
    GateInfo {
        kind: K::DoubleExcitation,
        name: "double_excitation",
        n_wires: Some(4),
        matrix: |a, _| excitation(4, angle(a, 0), 0.0),
        generator: Generator::Excitation { outside: 0.0 },
        inverse: Inverse { kind: K::DoubleExcitation, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate double_excitation(theta) a, b, c, d { cx c, d; cx a, b; cx a, c; x b; x d; ctrl(3) @ ry(theta) b, c, d, a; x b; x d; cx a, c; cx a, b; cx c, d; }")),
        doc: "Givens rotation of |0011⟩ and |1100⟩ by θ/2 (PennyLane's DoubleExcitation)",
        ..ROTATION
    },
    GateInfo {
        kind: K::DoubleExcitationPlus,
        name: "double_excitation_plus",
        n_wires: Some(4),
        matrix: |a, _| excitation(4, angle(a, 0), 0.5),
        generator: Generator::Excitation { outside: 0.5 },
        inverse: Inverse { kind: K::DoubleExcitationPlus, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate double_excitation_plus(theta) a, b, c, d { cx c, d; cx a, b; cx a, c; x b; x d; ctrl(3) @ ry(theta) b, c, d, a; ctrl(2) @ p(-theta / 2) b, c, d; gphase(theta / 2); x b; x d; cx a, c; cx a, b; cx c, d; }")),
        doc: "double_excitation, with e^{iθ/2} on the other 14 basis states (PennyLane's DoubleExcitationPlus)",
        ..ROTATION
    },
    GateInfo {
        kind: K::DoubleExcitationMinus,
        name: "double_excitation_minus",
        n_wires: Some(4),
        matrix: |a, _| excitation(4, angle(a, 0), -0.5),
        generator: Generator::Excitation { outside: -0.5 },
        inverse: Inverse { kind: K::DoubleExcitationMinus, angle_slots: &[0] },
        qasm_definition: Some(QasmDefinition::Gate("gate double_excitation_minus(theta) a, b, c, d { cx c, d; cx a, b; cx a, c; x b; x d; ctrl(3) @ ry(theta) b, c, d, a; ctrl(2) @ p(theta / 2) b, c, d; gphase(-theta / 2); x b; x d; cx a, c; cx a, b; cx c, d; }")),
        doc: "double_excitation, with e^{−iθ/2} on the other 14 basis states (PennyLane's DoubleExcitationMinus)",
        ..ROTATION
    },
    GateInfo {
        kind: K::CH,
        name: "ch",
        n_wires: Some(2),
        matrix: |_, _| controlled(&hadamard()),
        inverse: Inverse { kind: K::CH, angle_slots: &[] },
        qasm: Some("ch"),
        doc: "controlled Hadamard, the first wire controls",
        ..FIXED
    },
    GateInfo {
        kind: K::CCZ,
        name: "ccz",
        n_wires: Some(3),
        matrix: |_, _| controlled(&controlled(&pauli_matrix('Z'))),
        inverse: Inverse { kind: K::CCZ, angle_slots: &[] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate ccz a, b, c { h c; ccx a, b, c; h c; }")),
        doc: "doubly controlled Z: diag(1, …, 1, −1) on three wires",
        ..FIXED
    },
    GateInfo {
        kind: K::ISwap,
        name: "iswap",
        n_wires: Some(2),
        matrix: |_, _| iswap_power(c(0.0, 0.0), c(0.0, 1.0)),
        inverse: Inverse { kind: K::ISwapDg, angle_slots: &[] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate iswap a, b { s a; s b; h a; cx a, b; cx b, a; h b; }")),
        doc: "iSWAP: exchanges |01⟩ and |10⟩ with the phase i",
        ..FIXED
    },
    GateInfo {
        kind: K::ISwapDg,
        name: "iswapdg",
        surface: false,
        n_wires: Some(2),
        matrix: |_, _| iswap_power(c(0.0, 0.0), c(0.0, -1.0)),
        inverse: Inverse { kind: K::ISwap, angle_slots: &[] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate iswapdg a, b { h b; cx b, a; cx a, b; h a; sdg b; sdg a; }")),
        doc: "iSWAP†, what `adj { iswap q }` becomes (not written in programs)",
        ..FIXED
    },
    GateInfo {
        kind: K::SISwap,
        name: "siswap",
        aliases: &["sqisw"],
        n_wires: Some(2),
        matrix: |_, _| iswap_power(c(FRAC_1_SQRT_2, 0.0), c(0.0, FRAC_1_SQRT_2)),
        inverse: Inverse { kind: K::SISwapDg, angle_slots: &[] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate siswap a, b { h a; h b; cx a, b; rz(-pi / 4) b; cx a, b; h a; h b; sdg a; sdg b; h a; h b; cx a, b; rz(-pi / 4) b; cx a, b; h a; h b; s a; s b; }")),
        doc: "√iSWAP, half an iswap",
        ..FIXED
    },
    GateInfo {
        kind: K::SISwapDg,
        name: "siswapdg",
        surface: false,
        n_wires: Some(2),
        matrix: |_, _| iswap_power(c(FRAC_1_SQRT_2, 0.0), c(0.0, -FRAC_1_SQRT_2)),
        inverse: Inverse { kind: K::SISwap, angle_slots: &[] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate siswapdg a, b { h a; h b; cx a, b; rz(pi / 4) b; cx a, b; h a; h b; sdg a; sdg b; h a; h b; cx a, b; rz(pi / 4) b; cx a, b; h a; h b; s a; s b; }")),
        doc: "√iSWAP†, what `adj { siswap q }` becomes (not written in programs)",
        ..FIXED
    },
    GateInfo {
        kind: K::ECR,
        name: "ecr",
        n_wires: Some(2),
        matrix: |_, _| ecr(),
        inverse: Inverse { kind: K::ECR, angle_slots: &[] },
        qasm_definition: Some(QasmDefinition::Gate("gate ecr a, b { z a; cx a, b; sx b; rx(pi / 2) a; ry(pi / 2) a; rx(pi / 2) a; }")),
        doc: "echoed cross-resonance: (X⊗I − Y⊗X)/√2",
        ..FIXED
    },
    GateInfo {
        kind: K::U1,
        name: "u1",
        angle_names: &["φ"],
        matrix: |a, _| diagonal(&[c(1.0, 0.0), e(angle(a, 0))]),
        generator: Generator::Projector,
        inverse: Inverse { kind: K::U1, angle_slots: &[0] },
        qasm: Some("u1"),
        doc: "U1(φ) = diag(1, e^{iφ}), the phase gate under OpenQASM 2's name",
        ..ROTATION
    },
    GateInfo {
        kind: K::CRot,
        name: "crot",
        n_wires: Some(2),
        angle_names: &["φ", "θ", "ω"],
        matrix: |a, _| {
            let (phi, theta, omega) = (angle(a, 0), angle(a, 1), angle(a, 2));
            controlled(&matmul(&rotation("Z", omega), &matmul(&rotation("Y", theta), &rotation("Z", phi))))
        },
        generator: Generator::Parts(&[(K::CRZ, 0), (K::CRY, 1), (K::CRZ, 2)]),
        // As `rot`: CRZ(ω) CRY(θ) CRZ(φ) inverts to crot(−ω, −θ, −φ).
        inverse: Inverse { kind: K::CRot, angle_slots: &[2, 1, 0] },
        identity_at_zero: true,
        qasm_definition: Some(QasmDefinition::Gate("gate crot(p1_phi, p2_theta, p3_omega) a, b { crz(p1_phi) a, b; cry(p2_theta) a, b; crz(p3_omega) a, b; }")),
        doc: "controlled rot(φ, θ, ω), the first wire controls",
        ..FIXED
    },
    GateInfo {
        kind: K::MultiControlledX,
        name: "multi_controlled_x",
        n_wires: None,
        min_wires: 2,
        matrix: |_, n_wires| (1..n_wires.max(1)).fold(pauli_matrix('X'), |controlled_x, _| controlled(&controlled_x)),
        inverse: Inverse { kind: K::MultiControlledX, angle_slots: &[] },
        qasm_definition: Some(QasmDefinition::OnWires(multi_controlled_x_definition)),
        doc: "X on the last wire where every other wire is |1⟩ (PennyLane's MultiControlledX)",
        ..FIXED
    },
    GateInfo {
        kind: K::U2,
        name: "u2",
        angle_names: &["φ", "δ"],
        matrix: |a, _| u2(angle(a, 0), angle(a, 1)),
        // U2(φ, δ) = P(φ) RY(π/2) P(δ) and RY(π/2) = H Z, so the parts are P(δ), Z, H, P(φ). The
        // fixed parts name slot 1, whose first part is P(δ), as every lookup of a slot's part
        // takes the first part that reads it.
        generator: Generator::Parts(&[(K::Phase, 1), (K::Z, 1), (K::H, 1), (K::Phase, 0)]),
        // U2(φ, δ)† = U2(π − δ, π − φ), which is not a negation of the angles: u2dg(−φ, −δ).
        inverse: Inverse { kind: K::U2Dg, angle_slots: &[0, 1] },
        qasm: Some("u2"),
        doc: "U2(φ, δ) = U3(π/2, φ, δ), PennyLane's U2",
        ..FIXED
    },
    GateInfo {
        kind: K::U2Dg,
        name: "u2dg",
        surface: false,
        angle_names: &["a", "b"],
        matrix: |a, _| u2(std::f64::consts::PI + angle(a, 1), std::f64::consts::PI + angle(a, 0)),
        // U2(π + b, π + a) = Z P(b) H P(a): the parts P(a), H, P(b), Z (fixed parts as in `u2`).
        generator: Generator::Parts(&[(K::Phase, 0), (K::H, 0), (K::Phase, 1), (K::Z, 1)]),
        inverse: Inverse { kind: K::U2, angle_slots: &[0, 1] },
        qasm_definition: Some(QasmDefinition::Gate("gate u2dg(p1_a, p2_b) a { U(pi / 2, pi + p2_b, pi + p1_a) a; }")),
        doc: "U2(π + b, π + a), what `adj { u2(φ, δ) q }` becomes as u2dg(−φ, −δ) (not written in programs)",
        ..FIXED
    },
    GateInfo {
        kind: K::IsingXY,
        name: "isingxy",
        n_wires: Some(2),
        angle_names: &["φ"],
        matrix: |a, _| {
            let (sin, cos) = (angle(a, 0) / 2.0).sin_cos();
            iswap_power(c(cos, 0.0), c(0.0, sin))
        },
        // PennyLane's generator (X⊗X + Y⊗Y)/4 has the eigenvalues 0, 0, ±1/2: frequencies (0.5, 1).
        generator: Generator::TwoWire {
            hermitian: [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0], [0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]],
            rule: ShiftRule::FourTerm,
        },
        inverse: Inverse { kind: K::IsingXY, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate isingxy(theta) a, b { h a; cy a, b; ry(theta / 2) a; rx(-theta / 2) b; cy a, b; h a; }")),
        doc: "Ising XY coupling: exp(iφ (X⊗X + Y⊗Y)/4), PennyLane's IsingXY",
        ..ROTATION
    },
    GateInfo {
        kind: K::PSWAP,
        name: "pswap",
        n_wires: Some(2),
        angle_names: &["φ"],
        matrix: |a, _| iswap_power(c(0.0, 0.0), e(angle(a, 0))),
        // PennyLane's two-term recipe (±π/2): the phase on |01⟩ and |10⟩ has the eigenvalues 0 and 1.
        generator: Generator::TwoWire {
            hermitian: [[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]],
            rule: ShiftRule::TwoTerm,
        },
        inverse: Inverse { kind: K::PSWAP, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate pswap(theta) a, b { swap a, b; cx a, b; p(theta) b; cx a, b; }")),
        doc: "phase swap: exchanges the wires with the phase e^{iφ} on |01⟩ and |10⟩, PennyLane's PSWAP",
        ..FIXED
    },
    GateInfo {
        kind: K::PauliRot,
        name: "pauli_rot",
        n_wires: None,
        angle_names: &["θ"],
        // The word is not an angle; the tests check the expansion of several words, and the row's
        // matrix is the rotation about X⊗Y⊗Z⊗X… on the given wires.
        matrix: |a, n_wires| rotation(&"XYZ".chars().cycle().take(n_wires.max(1)).collect::<String>(), angle(a, 0)),
        generator: Generator::Expanded,
        inverse: Inverse { kind: K::PauliRot, angle_slots: &[0] },
        expands: true,
        doc: "pauli_rot(θ, \"XYZ\"): exp(−iθ P/2) for the Pauli word P (one letter of I, X, Y, Z per wire), PennyLane's PauliRot",
        ..ROTATION
    },
    GateInfo {
        kind: K::OrbitalRotation,
        name: "orbital_rotation",
        n_wires: Some(4),
        angle_names: &["φ"],
        matrix: |a, _| orbital_rotation(angle(a, 0)),
        generator: Generator::Expanded,
        inverse: Inverse { kind: K::OrbitalRotation, angle_slots: &[0] },
        expands: true,
        doc: "spin-adapted rotation of two spatial orbitals (wires: α₁ β₁ α₂ β₂), PennyLane's OrbitalRotation",
        ..ROTATION
    },
    GateInfo {
        kind: K::FermionicSWAP,
        name: "fermionic_swap",
        n_wires: Some(2),
        angle_names: &["φ"],
        matrix: |a, _| fermionic_swap(angle(a, 0)),
        // PennyLane's generator I/2 − (Z⊗I + I⊗Z + X⊗X + Y⊗Y)/4, eigenvalues 0 and 1: frequency 1.
        generator: Generator::TwoWire {
            hermitian: [[0.0, 0.0, 0.0, 0.0], [0.0, 0.5, -0.5, 0.0], [0.0, -0.5, 0.5, 0.0], [0.0, 0.0, 0.0, 1.0]],
            rule: ShiftRule::TwoTerm,
        },
        inverse: Inverse { kind: K::FermionicSWAP, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Gate("gate fermionic_swap(theta) a, b { h a; h b; cx a, b; rz(theta / 2) b; cx a, b; h a; h b; rx(pi / 2) a; rx(pi / 2) b; cx a, b; rz(theta / 2) b; cx a, b; rx(-pi / 2) a; rx(-pi / 2) b; rz(theta / 2) a; rz(theta / 2) b; gphase(theta / 2); }")),
        doc: "fermionic swap: exp(iφ (I − (Z⊗I + I⊗Z + X⊗X + Y⊗Y)/2)/2), a swap of two fermionic modes at φ = π",
        ..ROTATION
    },
    GateInfo {
        kind: K::GlobalPhase,
        name: "global_phase",
        n_wires: None,
        min_wires: 0,
        angle_names: &["φ"],
        matrix: |a, n_wires| diagonal(&vec![e(-angle(a, 0)); 1 << n_wires]),
        generator: Generator::GlobalPhase,
        inverse: Inverse { kind: K::GlobalPhase, angle_slots: &[0] },
        symmetric: true,
        qasm_definition: Some(QasmDefinition::Builtin("gphase")),
        doc: "e^{−iφ} on the state, whatever wires are listed (none may be); under `ctrl`, on the part where the controls are |1⟩",
        ..ROTATION
    },
];

/// The angle of one gate of an expansion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ExpansionAngle {
    /// The expanded gate's angle times this factor.
    Scaled(f64),
    /// A fixed angle.
    Constant(f64),
}

/// One gate of an expansion: its kind, its wires as positions among the expanded gate's wires, and its angle.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExpansionGate {
    pub(crate) kind: GateKind,
    pub(crate) wires: Vec<usize>,
    pub(crate) angle: Option<ExpansionAngle>,
}

/// The gates, in the order they act, that the checker puts in place of a gate whose row `expands`
/// (PennyLane's decompositions). `word` is `pauli_rot`'s Pauli word, already checked to hold one
/// letter of I, X, Y, Z per wire; other gates ignore it.
///
/// `pauli_rot(θ, P)` is V† multirz(θ) V on the wires whose letter is not I, with V = H for X and
/// RX(π/2) for Y; on a word of I only it is the phase e^{−iθ/2}, `global_phase(θ/2)`, which
/// matters under `ctrl`. `orbital_rotation(φ) a b c d` is fermionic_swap(π) b c,
/// single_excitation(φ) a b, single_excitation(φ) c d, fermionic_swap(π) b c.
pub(crate) fn expansion(kind: GateKind, n_wires: usize, word: &str) -> Vec<ExpansionGate> {
    let gate = |kind: GateKind, wires: Vec<usize>, angle: Option<ExpansionAngle>| ExpansionGate { kind, wires, angle };
    match kind {
        GateKind::PauliRot => {
            let letters: Vec<(usize, char)> = word.chars().enumerate().filter(|(_, letter)| *letter != 'I').collect();
            if letters.is_empty() {
                return vec![gate(GateKind::GlobalPhase, (0..n_wires).collect(), Some(ExpansionAngle::Scaled(0.5)))];
            }
            let change = |inverse: bool| {
                letters.iter().filter_map(move |&(wire, letter)| match letter {
                    'X' => Some(gate(GateKind::H, vec![wire], None)),
                    'Y' => {
                        let quarter = if inverse { -FRAC_PI_2 } else { FRAC_PI_2 };
                        Some(gate(GateKind::RX, vec![wire], Some(ExpansionAngle::Constant(quarter))))
                    }
                    _ => None,
                })
            };
            let active = letters.iter().map(|(wire, _)| *wire).collect();
            let mut gates: Vec<ExpansionGate> = change(false).collect();
            gates.push(gate(GateKind::MultiRZ, active, Some(ExpansionAngle::Scaled(1.0))));
            gates.extend(change(true));
            gates
        }
        GateKind::OrbitalRotation => {
            let swap =
                || gate(GateKind::FermionicSWAP, vec![1, 2], Some(ExpansionAngle::Constant(std::f64::consts::PI)));
            vec![
                swap(),
                gate(GateKind::SingleExcitation, vec![0, 1], Some(ExpansionAngle::Scaled(1.0))),
                gate(GateKind::SingleExcitation, vec![2, 3], Some(ExpansionAngle::Scaled(1.0))),
                swap(),
            ]
        }
        _ => Vec::new(),
    }
}

/// The wires of a definition on `n_wires` wires: `a0, a1, …`.
fn definition_wires(n_wires: usize) -> Vec<String> {
    (0..n_wires.max(1)).map(|wire| format!("a{wire}")).collect()
}

/// `multirz` on n wires: a `cx` ladder gathers the parity of the wires on the last, `rz` turns it,
/// and the ladder is undone.
fn multirz_definition(n_wires: usize) -> String {
    let wires = definition_wires(n_wires);
    let ladder: Vec<String> = wires.windows(2).map(|pair| format!("cx {}, {};", pair[0], pair[1])).collect();
    let mut body = ladder.clone();
    body.push(format!("rz(theta) {};", wires[wires.len() - 1]));
    body.extend(ladder.into_iter().rev());
    format!("gate multirz_{}(theta) {} {{ {} }}", wires.len(), wires.join(", "), body.join(" "))
}

/// `multi_controlled_x` on n wires: `x` on the last wire under `ctrl(n − 1)`.
fn multi_controlled_x_definition(n_wires: usize) -> String {
    let wires = definition_wires(n_wires.max(2));
    format!(
        "gate multi_controlled_x_{} {} {{ ctrl({}) @ x {}; }}",
        wires.len(),
        wires.join(", "),
        wires.len() - 1,
        wires.join(", ")
    )
}

impl GateKind {
    /// The gate's row in the table.
    pub(crate) fn info(self) -> &'static GateInfo {
        &GATES[self as usize]
    }
}

/// The number of names a program may write for gates, aliases included.
const fn count_surface_names() -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < GATES.len() {
        if GATES[index].surface {
            count += 1 + GATES[index].aliases.len();
        }
        index += 1;
    }
    count
}

const fn surface_names<const N: usize>() -> [&'static str; N] {
    let mut names = [""; N];
    let mut position = 0;
    let mut index = 0;
    while index < GATES.len() {
        let gate = &GATES[index];
        if gate.surface {
            names[position] = gate.name;
            position += 1;
            let mut alias = 0;
            while alias < gate.aliases.len() {
                names[position] = gate.aliases[alias];
                position += 1;
                alias += 1;
            }
        }
        index += 1;
    }
    names
}

#[cfg(test)]
const fn kinds<const N: usize>() -> [GateKind; N] {
    let mut kinds = [GateKind::Id; N];
    let mut index = 0;
    while index < N {
        kinds[index] = GATES[index].kind;
        index += 1;
    }
    kinds
}

/// Every surface name, aliases included, in table order.
pub(crate) const SURFACE_NAMES: &[&str] = &surface_names::<{ count_surface_names() }>();

/// Every gate kind, in table order.
#[cfg(test)]
pub(crate) const ALL_KINDS: &[GateKind] = &kinds::<{ GATES.len() }>();

#[cfg(test)]
mod tests;
