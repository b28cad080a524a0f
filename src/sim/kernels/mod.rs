//! Gate kernels: every `ir::GateKind` as an in-place update of the amplitudes, with optional control wires.
//!
//! A gate first becomes a `Kernel` (its matrix reduced to the cheapest form: a diagonal, a
//! permutation, a dense 2x2 or 4x4 block, or the Givens rotation of an excitation's pair of basis
//! states, plus a mask of control bits), which then runs over the
//! amplitudes without allocating. [`Kernel::apply`] visits only the indices a kernel changes, in
//! contiguous runs (`apply`), with AVX2 and FMA loops when the processor has them and portable
//! ones otherwise (`simd`); [`fuse`] merges kernels that one pass can apply together; and
//! `sim::blocked` applies a whole sequence with cache blocking.

use crate::ir::{GateKind, Wire};
use num_complex::Complex64;

mod apply;
mod fuse;
mod simd;
#[cfg(test)]
mod tests;

pub(crate) use apply::SharedAmplitudes;
pub use fuse::fuse;

/// A 2x2 complex matrix, rows first.
pub type Matrix2 = [[Complex64; 2]; 2];
/// A 4x4 complex matrix, rows first.
pub type Matrix4 = [[Complex64; 4]; 4];

/// What a gate does to the amplitudes, bits given as positions in a basis index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KernelOp {
    Identity,
    /// Multiplies amplitudes by `diagonal[b]`, b the value of bit `target`.
    Diagonal1 {
        target: usize,
        diagonal: [Complex64; 2],
    },
    /// Multiplies amplitudes by `even` or `odd` according to the parity of the bits in `mask`.
    ParityPhase {
        mask: usize,
        even: Complex64,
        odd: Complex64,
    },
    /// Multiplies the amplitudes whose bits in `mask` are all 1 by `phase`.
    AllOnesPhase {
        mask: usize,
        phase: Complex64,
    },
    /// Pauli X on bit `target`.
    Flip {
        target: usize,
    },
    /// A dense 2x2 matrix on bit `target`.
    Dense1 {
        target: usize,
        matrix: Matrix2,
    },
    /// Exchanges bits `first` and `second`.
    SwapBits {
        first: usize,
        second: usize,
    },
    /// A dense 4x4 matrix on bits (`first`, `second`), `first` the more significant in the matrix.
    Dense2 {
        first: usize,
        second: usize,
        matrix: Matrix4,
    },
    /// A Givens rotation of the pairs of amplitudes whose bits in `first | second` are exactly
    /// those of `first` (a) and exactly those of `second` (b), the other bits equal:
    /// (a, b) ← (cos·a − sin·b, sin·a + cos·b); every other amplitude is multiplied by `outside`.
    /// The excitation gates: `first` the bits of the last half of the wires, `second` the first.
    Givens {
        first: usize,
        second: usize,
        cos: f64,
        sin: f64,
        outside: Complex64,
    },
}

/// A kernel and the control bits that must all be 1 for it to act.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kernel {
    pub op: KernelOp,
    pub controls: usize,
}

fn complex(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

fn zero() -> Complex64 {
    complex(0.0, 0.0)
}

fn one() -> Complex64 {
    complex(1.0, 0.0)
}

/// e^{iφ}.
fn phase_factor(angle: f64) -> Complex64 {
    Complex64::from_polar(1.0, angle)
}

/// The 2x2 matrix of a one-wire gate kind (PennyLane's definitions); `angles` as the gate takes them.
pub fn matrix_1q(kind: GateKind, angles: &[f64]) -> Matrix2 {
    let angle = |slot: usize| angles.get(slot).copied().unwrap_or(0.0);
    let frac = std::f64::consts::FRAC_1_SQRT_2;
    match kind {
        GateKind::X => [[zero(), one()], [one(), zero()]],
        GateKind::Y => [[zero(), complex(0.0, -1.0)], [complex(0.0, 1.0), zero()]],
        GateKind::Z => [[one(), zero()], [zero(), -one()]],
        GateKind::H => [[complex(frac, 0.0), complex(frac, 0.0)], [complex(frac, 0.0), complex(-frac, 0.0)]],
        GateKind::S => [[one(), zero()], [zero(), complex(0.0, 1.0)]],
        GateKind::Sdg => [[one(), zero()], [zero(), complex(0.0, -1.0)]],
        GateKind::T => [[one(), zero()], [zero(), phase_factor(std::f64::consts::FRAC_PI_4)]],
        GateKind::Tdg => [[one(), zero()], [zero(), phase_factor(-std::f64::consts::FRAC_PI_4)]],
        GateKind::SX => [[complex(0.5, 0.5), complex(0.5, -0.5)], [complex(0.5, -0.5), complex(0.5, 0.5)]],
        GateKind::SXdg => [[complex(0.5, -0.5), complex(0.5, 0.5)], [complex(0.5, 0.5), complex(0.5, -0.5)]],
        GateKind::RX | GateKind::CRX => {
            let (sin, cos) = (angle(0) / 2.0).sin_cos();
            [[complex(cos, 0.0), complex(0.0, -sin)], [complex(0.0, -sin), complex(cos, 0.0)]]
        }
        GateKind::RY | GateKind::CRY => {
            let (sin, cos) = (angle(0) / 2.0).sin_cos();
            [[complex(cos, 0.0), complex(-sin, 0.0)], [complex(sin, 0.0), complex(cos, 0.0)]]
        }
        GateKind::RZ | GateKind::CRZ => {
            [[phase_factor(-angle(0) / 2.0), zero()], [zero(), phase_factor(angle(0) / 2.0)]]
        }
        GateKind::Phase | GateKind::U1 => [[one(), zero()], [zero(), phase_factor(angle(0))]],
        GateKind::Rot | GateKind::CRot => {
            // RZ(ω) RY(θ) RZ(φ).
            let rz_first = matrix_1q(GateKind::RZ, &angles[..1]);
            let ry = matrix_1q(GateKind::RY, &angles[1..2]);
            let rz_last = matrix_1q(GateKind::RZ, &angles[2..3]);
            multiply_2(&rz_last, &multiply_2(&ry, &rz_first))
        }
        GateKind::U3 => {
            let (theta, phi, delta) = (angle(0), angle(1), angle(2));
            let (sin, cos) = (theta / 2.0).sin_cos();
            [
                [complex(cos, 0.0), -phase_factor(delta) * sin],
                // The phase of φ + δ as a product: a huge φ would swallow δ in the rounded sum, and
                // the matrix would no longer be unitary.
                [phase_factor(phi) * sin, phase_factor(phi) * phase_factor(delta) * cos],
            ]
        }
        GateKind::U2 | GateKind::U2Dg => {
            // u2dg(a, b) = U2(π + b, π + a); U2(φ, δ) = U3(π/2, φ, δ).
            let pi = std::f64::consts::PI;
            let (phi, delta) = if kind == GateKind::U2 { (angle(0), angle(1)) } else { (pi + angle(1), pi + angle(0)) };
            matrix_1q(GateKind::U3, &[std::f64::consts::FRAC_PI_2, phi, delta])
        }
        _ => [[one(), zero()], [zero(), one()]],
    }
}

pub(crate) fn multiply_2(left: &Matrix2, right: &Matrix2) -> Matrix2 {
    let mut product = [[zero(); 2]; 2];
    for (row, product_row) in product.iter_mut().enumerate() {
        for (column, entry) in product_row.iter_mut().enumerate() {
            *entry = left[row][0] * right[0][column] + left[row][1] * right[1][column];
        }
    }
    product
}

/// exp(-iθ P⊗P/2) for P = X or Y (PennyLane's IsingXX and IsingYY).
fn ising_matrix(kind: GateKind, theta: f64) -> Matrix4 {
    let (sin, cos) = (theta / 2.0).sin_cos();
    let c = complex(cos, 0.0);
    let minus_i_sin = complex(0.0, -sin);
    // P⊗P maps |00> to ±|11> (+ for X, - for Y) and |01> to |10> (for both).
    let corner = if kind == GateKind::IsingYY { -minus_i_sin } else { minus_i_sin };
    let o = zero();
    [[c, o, o, corner], [o, c, minus_i_sin, o], [o, minus_i_sin, c, o], [corner, o, o, c]]
}

/// The fixed two-wire matrices that are neither controlled nor a permutation: the iSWAP family,
/// [[stay, cross], [cross, stay]] on (|01⟩, |10⟩), and ECR (PennyLane's definitions).
fn fixed_matrix_2q(kind: GateKind) -> Matrix4 {
    let frac = std::f64::consts::FRAC_1_SQRT_2;
    let o = zero();
    let (stay, cross) = match kind {
        GateKind::ISwap => (zero(), complex(0.0, 1.0)),
        GateKind::ISwapDg => (zero(), complex(0.0, -1.0)),
        GateKind::SISwap => (complex(frac, 0.0), complex(0.0, frac)),
        GateKind::SISwapDg => (complex(frac, 0.0), complex(0.0, -frac)),
        _ => {
            let (l, i) = (complex(frac, 0.0), complex(0.0, frac));
            return [[o, o, l, i], [o, o, i, l], [l, -i, o, o], [-i, l, o, o]];
        }
    };
    [[one(), o, o, o], [o, stay, cross, o], [o, cross, stay, o], [o, o, o, one()]]
}

/// The one-angle two-wire gates of PennyLane that mix |01⟩ and |10⟩: IsingXY, PSWAP, FermionicSWAP.
fn exchange_matrix(kind: GateKind, phi: f64) -> Matrix4 {
    let o = zero();
    let (sin, cos) = (phi / 2.0).sin_cos();
    let (stay, cross, last) = match kind {
        GateKind::IsingXY => (complex(cos, 0.0), complex(0.0, sin), one()),
        GateKind::PSWAP => (zero(), phase_factor(phi), one()),
        _ => {
            let half = phase_factor(phi / 2.0);
            (half * cos, half * complex(0.0, -sin), phase_factor(phi))
        }
    };
    [[one(), o, o, o], [o, stay, cross, o], [o, cross, stay, o], [o, o, o, last]]
}

/// The kernel of one gate. `bit_of` maps a wire to its bit position; `angles` holds the
/// evaluated angles in the gate's order.
pub fn gate_kernel(
    kind: GateKind,
    wires: &[Wire],
    controls: &[Wire],
    angles: &[f64],
    bit_of: impl Fn(Wire) -> usize,
) -> Kernel {
    let mut control_mask = controls.iter().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire));
    let bit = |slot: usize| bit_of(wires[slot]);
    let angle = |slot: usize| angles.get(slot).copied().unwrap_or(0.0);
    let half_phases = |theta: f64| (phase_factor(-theta / 2.0), phase_factor(theta / 2.0));
    let op = match kind {
        GateKind::Id => KernelOp::Identity,
        GateKind::X => KernelOp::Flip { target: bit(0) },
        GateKind::Z | GateKind::S | GateKind::Sdg | GateKind::T | GateKind::Tdg | GateKind::Phase | GateKind::U1 => {
            KernelOp::AllOnesPhase { mask: 1 << bit(0), phase: matrix_1q(kind, angles)[1][1] }
        }
        GateKind::RZ | GateKind::MultiRZ | GateKind::IsingZZ => {
            let (even, odd) = half_phases(angle(0));
            let mask = wires.iter().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire));
            KernelOp::ParityPhase { mask, even, odd }
        }
        GateKind::Y
        | GateKind::H
        | GateKind::SX
        | GateKind::SXdg
        | GateKind::RX
        | GateKind::RY
        | GateKind::Rot
        | GateKind::U3
        | GateKind::U2
        | GateKind::U2Dg => KernelOp::Dense1 { target: bit(0), matrix: matrix_1q(kind, angles) },
        GateKind::IsingXY | GateKind::PSWAP | GateKind::FermionicSWAP => {
            KernelOp::Dense2 { first: bit(0), second: bit(1), matrix: exchange_matrix(kind, angle(0)) }
        }
        // A phase on every amplitude the controls select, whatever the gate's own wires.
        GateKind::GlobalPhase => KernelOp::AllOnesPhase { mask: 0, phase: phase_factor(-angle(0)) },
        // The checker replaces these by their expansions (`builtins::gates::expansion`).
        GateKind::PauliRot | GateKind::OrbitalRotation => KernelOp::Identity,
        GateKind::CNOT
        | GateKind::CY
        | GateKind::CH
        | GateKind::CRX
        | GateKind::CRY
        | GateKind::CRZ
        | GateKind::CRot => {
            control_mask |= 1 << bit(0);
            match kind {
                GateKind::CNOT => KernelOp::Flip { target: bit(1) },
                GateKind::CH => KernelOp::Dense1 { target: bit(1), matrix: matrix_1q(GateKind::H, &[]) },
                GateKind::CRZ => {
                    let (even, odd) = half_phases(angle(0));
                    KernelOp::Diagonal1 { target: bit(1), diagonal: [even, odd] }
                }
                GateKind::CY => KernelOp::Dense1 { target: bit(1), matrix: matrix_1q(GateKind::Y, &[]) },
                _ => KernelOp::Dense1 { target: bit(1), matrix: matrix_1q(kind, angles) },
            }
        }
        GateKind::CZ => KernelOp::AllOnesPhase { mask: 1 << bit(0) | 1 << bit(1), phase: -one() },
        GateKind::CPhase => KernelOp::AllOnesPhase { mask: 1 << bit(0) | 1 << bit(1), phase: phase_factor(angle(0)) },
        GateKind::Swap => KernelOp::SwapBits { first: bit(0), second: bit(1) },
        GateKind::IsingXX | GateKind::IsingYY => {
            KernelOp::Dense2 { first: bit(0), second: bit(1), matrix: ising_matrix(kind, angle(0)) }
        }
        GateKind::CCZ => KernelOp::AllOnesPhase { mask: 1 << bit(0) | 1 << bit(1) | 1 << bit(2), phase: -one() },
        GateKind::ISwap | GateKind::ISwapDg | GateKind::SISwap | GateKind::SISwapDg | GateKind::ECR => {
            KernelOp::Dense2 { first: bit(0), second: bit(1), matrix: fixed_matrix_2q(kind) }
        }
        GateKind::Toffoli => {
            control_mask |= 1 << bit(0) | 1 << bit(1);
            KernelOp::Flip { target: bit(2) }
        }
        GateKind::MultiControlledX => {
            let (target, controls) = wires.split_last().map_or((Wire(0), &[][..]), |(last, rest)| (*last, rest));
            control_mask |= controls.iter().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire));
            KernelOp::Flip { target: bit_of(target) }
        }
        GateKind::CSwap => {
            control_mask |= 1 << bit(0);
            KernelOp::SwapBits { first: bit(1), second: bit(2) }
        }
        GateKind::SingleExcitation
        | GateKind::SingleExcitationPlus
        | GateKind::SingleExcitationMinus
        | GateKind::DoubleExcitation
        | GateKind::DoubleExcitationPlus
        | GateKind::DoubleExcitationMinus => {
            // The pair is |0…0 1…1⟩ (the last half of the wires set) and |1…1 0…0⟩, as PennyLane's matrices.
            let (leading, trailing) = wires.split_at(wires.len() / 2);
            let mask_of = |wires: &[Wire]| wires.iter().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire));
            let theta = angle(0);
            let outside = match kind.info().generator {
                crate::builtins::gates::Generator::Excitation { outside } => outside,
                _ => 0.0,
            };
            let (sin, cos) = (theta / 2.0).sin_cos();
            KernelOp::Givens {
                first: mask_of(trailing),
                second: mask_of(leading),
                cos,
                sin,
                outside: phase_factor(outside * theta),
            }
        }
    };
    Kernel { op, controls: control_mask }
}

impl Kernel {
    /// The inverse kernel (every kernel here is unitary).
    pub fn adjoint(self) -> Kernel {
        let op = match self.op {
            KernelOp::Diagonal1 { target, diagonal } => {
                KernelOp::Diagonal1 { target, diagonal: [diagonal[0].conj(), diagonal[1].conj()] }
            }
            KernelOp::ParityPhase { mask, even, odd } => {
                KernelOp::ParityPhase { mask, even: even.conj(), odd: odd.conj() }
            }
            KernelOp::AllOnesPhase { mask, phase } => KernelOp::AllOnesPhase { mask, phase: phase.conj() },
            KernelOp::Dense1 { target, matrix } => {
                let mut adjoint = matrix;
                for (row, adjoint_row) in adjoint.iter_mut().enumerate() {
                    for (column, entry) in adjoint_row.iter_mut().enumerate() {
                        *entry = matrix[column][row].conj();
                    }
                }
                KernelOp::Dense1 { target, matrix: adjoint }
            }
            KernelOp::Dense2 { first, second, matrix } => {
                let mut adjoint = matrix;
                for (row, adjoint_row) in adjoint.iter_mut().enumerate() {
                    for (column, entry) in adjoint_row.iter_mut().enumerate() {
                        *entry = matrix[column][row].conj();
                    }
                }
                KernelOp::Dense2 { first, second, matrix: adjoint }
            }
            KernelOp::Givens { first, second, cos, sin, outside } => {
                KernelOp::Givens { first, second, cos, sin: -sin, outside: outside.conj() }
            }
            KernelOp::Identity | KernelOp::Flip { .. } | KernelOp::SwapBits { .. } => self.op,
        };
        Kernel { op, controls: self.controls }
    }

    /// Applies the kernel to `amplitudes` in place, splitting the work over threads if `parallel`
    /// (and the state is large enough for that to pay).
    pub fn apply(&self, amplitudes: &mut [Complex64], parallel: bool) {
        if let KernelOp::Givens { outside, .. } = self.op {
            if outside != one() {
                // The phase goes on every amplitude the controls select, in a pass of its own; the
                // pair's rotation then divides it out again (see `apply::Plan::new`).
                let phase = Kernel { op: KernelOp::AllOnesPhase { mask: 0, phase: outside }, controls: self.controls };
                phase.apply(amplitudes, parallel);
            }
        }
        if let Some(plan) = apply::Plan::new(self, amplitudes.len()) {
            plan.run(amplitudes, parallel);
        }
    }

    /// Every bit the kernel reads or writes: its targets and its controls.
    pub fn bits(&self) -> usize {
        let targets = match self.op {
            KernelOp::Identity => 0,
            KernelOp::Diagonal1 { target, .. } | KernelOp::Flip { target } | KernelOp::Dense1 { target, .. } => {
                1 << target
            }
            KernelOp::ParityPhase { mask, .. } | KernelOp::AllOnesPhase { mask, .. } => mask,
            KernelOp::SwapBits { first, second } | KernelOp::Dense2 { first, second, .. } => 1 << first | 1 << second,
            KernelOp::Givens { first, second, .. } => first | second,
        };
        targets | self.controls
    }

    /// The same kernel with every bit `b` moved to `new_bit(b)` (which must keep distinct bits distinct).
    pub fn map_bits(&self, new_bit: impl Fn(usize) -> usize) -> Kernel {
        let map_mask = |mask: usize| {
            let mut mapped = 0;
            let mut rest = mask;
            while rest != 0 {
                mapped |= 1 << new_bit(rest.trailing_zeros() as usize);
                rest &= rest - 1;
            }
            mapped
        };
        let op = match self.op {
            KernelOp::Identity => KernelOp::Identity,
            KernelOp::Diagonal1 { target, diagonal } => KernelOp::Diagonal1 { target: new_bit(target), diagonal },
            KernelOp::ParityPhase { mask, even, odd } => KernelOp::ParityPhase { mask: map_mask(mask), even, odd },
            KernelOp::AllOnesPhase { mask, phase } => KernelOp::AllOnesPhase { mask: map_mask(mask), phase },
            KernelOp::Flip { target } => KernelOp::Flip { target: new_bit(target) },
            KernelOp::Dense1 { target, matrix } => KernelOp::Dense1 { target: new_bit(target), matrix },
            KernelOp::SwapBits { first, second } => {
                KernelOp::SwapBits { first: new_bit(first), second: new_bit(second) }
            }
            KernelOp::Dense2 { first, second, matrix } => {
                KernelOp::Dense2 { first: new_bit(first), second: new_bit(second), matrix }
            }
            KernelOp::Givens { first, second, cos, sin, outside } => {
                KernelOp::Givens { first: map_mask(first), second: map_mask(second), cos, sin, outside }
            }
        };
        Kernel { op, controls: map_mask(self.controls) }
    }
}
