//! Which OpenQASM gates the importer knows, and how each is written in qmlc.
//!
//! A gate whose `stdgates.inc` name is in the gate table's `qasm` column (`src/builtins/gates.rs`)
//! is that row, written under its qmlc name: the table is the one place that says `cx` is `cnot`.
//! This file adds only what the table cannot say: other spellings of a row (OpenQASM 2's `CX`,
//! `U`, `cu1`, Qiskit's `rxx`), and the gates of `qelib1.inc` that have no row of their own and are
//! written as a short qmlc sequence instead (`sxdg` as `adj { sx }`, `cu3` as a `ctrl` block).

use crate::builtins::gates::{GateInfo, GATES};

/// The gates of Qiskit's `qelib1.inc` (`qiskit.qasm2.LEGACY_CUSTOM_INSTRUCTIONS`, the set real
/// OpenQASM 2 files use), besides the built-in `U` and `CX`.
pub const QELIB1: &[&str] = &[
    "u3", "u2", "u1", "cx", "id", "u0", "u", "p", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz", "sx",
    "sxdg", "cz", "cy", "swap", "ch", "ccx", "cswap", "crx", "cry", "crz", "cu1", "cp", "cu3", "csx", "cu", "rxx",
    "rzz", "rccx", "rc3x", "c3x", "c3sqrtx", "c4x",
];

/// The gates of OpenQASM 3's `stdgates.inc`, besides the built-in `U` and `gphase`.
pub const STDGATES: &[&str] = &[
    "p", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "cx", "cy", "cz", "cp", "crx", "cry",
    "crz", "ch", "swap", "ccx", "cswap", "cu", "CX", "phase", "cphase", "id", "u1", "u2", "u3",
];

/// Gates every program has without an include: `U` and `CX` in OpenQASM 2, `U` and `gphase` in 3.
pub fn is_builtin(name: &str, version: u32) -> bool {
    match version {
        2 => name == "U" || name == "CX",
        _ => name == "U" || name == "gphase",
    }
}

/// Another name for a gate the table has: the `qasm` name of its row, or failing that its qmlc name.
const ALIASES: &[(&str, &str)] = &[
    ("CX", "cx"),
    ("U", "u3"),
    ("u", "u3"),
    ("phase", "p"),
    ("cphase", "cp"),
    ("cu1", "cp"),
    ("rxx", "isingxx"),
    ("rzz", "isingzz"),
];

/// A gate the table has no row for, written as a sequence of qmlc gates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sequence {
    /// `sxdg q` is `adj { sx q }`.
    SxDg,
    /// `csx c, t` is `ctrl(c) { sx t }`.
    Csx,
    /// `cu3(θ, φ, λ) c, t` is `ctrl(c) { u3(θ, φ, λ) t }`.
    Cu3,
    /// `cu(θ, φ, λ, γ) c, t` is `phase(γ) c` then `ctrl(c) { u3(θ, φ, λ) t }`.
    Cu,
    /// `u0(γ)` is the identity.
    U0,
    /// `c3x` and `c4x` are `multi_controlled_x` on 4 and 5 wires.
    MultiControlledX,
    /// `c3sqrtx a, b, c, d` is `ctrl(a, b, c) { sx d }`.
    C3SqrtX,
    /// `rccx` and `rc3x`: the relative-phase Toffolis, by their `qelib1.inc` bodies.
    Rccx,
    Rc3x,
    /// `gphase(γ)`: the global phase e^{iγ}, `global_phase(−γ)` on no wires.
    GlobalPhase,
}

const SEQUENCES: &[(&str, Sequence, usize, usize)] = &[
    ("sxdg", Sequence::SxDg, 0, 1),
    ("csx", Sequence::Csx, 0, 2),
    ("cu3", Sequence::Cu3, 3, 2),
    ("cu", Sequence::Cu, 4, 2),
    ("u0", Sequence::U0, 1, 1),
    ("c3x", Sequence::MultiControlledX, 0, 4),
    ("c4x", Sequence::MultiControlledX, 0, 5),
    ("c3sqrtx", Sequence::C3SqrtX, 0, 4),
    ("rccx", Sequence::Rccx, 0, 3),
    ("rc3x", Sequence::Rc3x, 0, 4),
    ("gphase", Sequence::GlobalPhase, 1, 0),
];

/// How a known OpenQASM gate is written in qmlc.
#[derive(Clone, Copy, Debug)]
pub enum Builtin {
    /// A row of the gate table, under its qmlc name.
    Table(&'static GateInfo),
    Sequence(Sequence),
}

/// A known gate: how to write it, and how many parameters and qubits OpenQASM gives it.
#[derive(Clone, Copy, Debug)]
pub struct Known {
    pub builtin: Builtin,
    pub n_params: usize,
    pub n_qubits: usize,
}

fn table_row(qasm_name: &str) -> Option<&'static GateInfo> {
    GATES.iter().find(|gate| gate.qasm == Some(qasm_name))
}

fn known_row(gate: &'static GateInfo) -> Option<Known> {
    // A row of any number of wires (`multirz`) has no fixed OpenQASM signature; none has a `qasm` name.
    let n_qubits = gate.n_wires?;
    Some(Known { builtin: Builtin::Table(gate), n_params: gate.angle_names.len(), n_qubits })
}

/// The gate an OpenQASM name stands for, whichever library defines it.
pub fn lookup(name: &str) -> Option<Known> {
    // `gphase` takes no qubits in OpenQASM, whatever wires the table's row may take.
    if let Some(gate) = table_row(name) {
        if name == "gphase" {
            return Some(Known { builtin: Builtin::Table(gate), n_params: 1, n_qubits: 0 });
        }
        return known_row(gate);
    }
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        let row = table_row(target).or_else(|| GATES.iter().find(|gate| gate.name == *target));
        return row.and_then(known_row);
    }
    SEQUENCES.iter().find(|(written, ..)| *written == name).map(|&(_, sequence, n_params, n_qubits)| Known {
        builtin: Builtin::Sequence(sequence),
        n_params,
        n_qubits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_library_gate_is_known_with_its_signature() {
        for name in QELIB1.iter().chain(STDGATES).chain(&["U", "CX", "gphase"]) {
            assert!(lookup(name).is_some(), "`{name}` is not known");
        }
        let cx = lookup("cx").expect("known");
        assert!(matches!(cx.builtin, Builtin::Table(row) if row.name == "cnot"));
        assert_eq!((cx.n_params, cx.n_qubits), (0, 2));
        let u = lookup("U").expect("known");
        assert!(matches!(u.builtin, Builtin::Table(row) if row.name == "u3"));
        assert_eq!(lookup("cu").map(|k| (k.n_params, k.n_qubits)), Some((4, 2)));
        assert!(lookup("hadamard").is_none());
    }
}
