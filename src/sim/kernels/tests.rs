//! Unit tests of the kernels' loops against a per-index reference, and of fusion against applying in order.

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The kernel applied the plain way: every index checked against the controls.
pub(crate) fn apply_reference(kernel: &Kernel, amplitudes: &mut [Complex64]) {
    let controls = kernel.controls;
    let old = amplitudes.to_vec();
    for (index, amplitude) in amplitudes.iter_mut().enumerate() {
        if index & controls != controls {
            continue;
        }
        let bit = |bit: usize| index >> bit & 1;
        *amplitude = match kernel.op {
            KernelOp::Identity => old[index],
            KernelOp::Diagonal1 { target, diagonal } => old[index] * diagonal[bit(target)],
            KernelOp::ParityPhase { mask, even, odd } => {
                old[index] * if (index & mask).count_ones() % 2 == 0 { even } else { odd }
            }
            KernelOp::AllOnesPhase { mask, phase } => {
                if index & mask == mask {
                    old[index] * phase
                } else {
                    old[index]
                }
            }
            KernelOp::Flip { target } => old[index ^ 1 << target],
            KernelOp::Dense1 { target, matrix } => {
                let row = bit(target);
                let base = index & !(1 << target);
                matrix[row][0] * old[base] + matrix[row][1] * old[base | 1 << target]
            }
            KernelOp::SwapBits { first, second } => {
                if bit(first) != bit(second) {
                    old[index ^ (1 << first | 1 << second)]
                } else {
                    old[index]
                }
            }
            KernelOp::Dense2 { first, second, matrix } => {
                let row = 2 * bit(first) + bit(second);
                let base = index & !(1 << first | 1 << second);
                (0..4)
                    .map(|column| {
                        let source = base | (column >> 1) << first | (column & 1) << second;
                        matrix[row][column] * old[source]
                    })
                    .sum()
            }
            KernelOp::Givens { first, second, cos, sin, outside } => {
                let mask = first | second;
                let partner = old[index ^ mask];
                match index & mask {
                    pattern if pattern == first => old[index] * cos - partner * sin,
                    pattern if pattern == second => partner * sin + old[index] * cos,
                    _ => old[index] * outside,
                }
            }
        };
    }
}

fn random_complex(rng: &mut ChaCha8Rng) -> Complex64 {
    Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
}

/// `len` random amplitudes (not normalised: the kernels do not care).
pub(crate) fn random_amplitudes(rng: &mut ChaCha8Rng, len: usize) -> Vec<Complex64> {
    (0..len).map(|_| random_complex(rng)).collect()
}

/// A random 2x2 matrix, real half of the time (real matrices have loops of their own).
fn random_matrix_2(rng: &mut ChaCha8Rng) -> Matrix2 {
    let matrix = [[random_complex(rng), random_complex(rng)], [random_complex(rng), random_complex(rng)]];
    if rng.random_bool(0.5) {
        matrix.map(|row| row.map(|entry| Complex64::new(entry.re, 0.0)))
    } else {
        matrix
    }
}

/// `count` distinct bits below `n_bits`.
fn distinct_bits(rng: &mut ChaCha8Rng, n_bits: usize, count: usize) -> Vec<usize> {
    let mut bits: Vec<usize> = (0..n_bits).collect();
    for position in 0..count {
        let other = rng.random_range(position..n_bits);
        bits.swap(position, other);
    }
    bits.truncate(count);
    bits
}

/// A random kernel on `n_bits` bits: any op, with up to two controls where bits remain. The
/// matrices need not be unitary: the loops must be right for any entries.
pub(crate) fn random_kernel(rng: &mut ChaCha8Rng, n_bits: usize) -> Kernel {
    let choice = rng.random_range(0..8);
    let n_targets = match choice {
        0 => 0,
        1 | 4 | 5 => 1,
        2 | 3 => rng.random_range(1..=n_bits.min(3)),
        _ => 2,
    };
    if n_targets > n_bits {
        return Kernel { op: KernelOp::Identity, controls: 0 };
    }
    let n_controls = rng.random_range(0..=(n_bits - n_targets).min(2));
    let bits = distinct_bits(rng, n_bits, n_targets + n_controls);
    let mask = bits[..n_targets].iter().fold(0usize, |mask, bit| mask | 1 << bit);
    let controls = bits[n_targets..].iter().fold(0usize, |mask, bit| mask | 1 << bit);
    let op = match choice {
        0 => KernelOp::Identity,
        1 => KernelOp::Diagonal1 { target: bits[0], diagonal: [random_complex(rng), random_complex(rng)] },
        2 => KernelOp::ParityPhase { mask, even: random_complex(rng), odd: random_complex(rng) },
        3 => KernelOp::AllOnesPhase { mask, phase: random_complex(rng) },
        4 => KernelOp::Flip { target: bits[0] },
        5 => KernelOp::Dense1 { target: bits[0], matrix: random_matrix_2(rng) },
        6 => KernelOp::SwapBits { first: bits[0], second: bits[1] },
        _ => {
            let mut matrix = [[Complex64::new(0.0, 0.0); 4]; 4];
            for entry in matrix.iter_mut().flatten() {
                *entry = random_complex(rng);
            }
            KernelOp::Dense2 { first: bits[0], second: bits[1], matrix }
        }
    };
    Kernel { op, controls }
}

/// A random Givens kernel on `n_bits` bits (at least 2): patterns of one or two bits each, up to two
/// controls, any cos and sin, and a phase of modulus one or exactly one on the other amplitudes.
pub(crate) fn random_givens(rng: &mut ChaCha8Rng, n_bits: usize) -> Kernel {
    let per_pattern = if n_bits >= 4 { rng.random_range(1..=2) } else { 1 };
    let n_controls = rng.random_range(0..=(n_bits - 2 * per_pattern).min(2));
    let bits = distinct_bits(rng, n_bits, 2 * per_pattern + n_controls);
    let mask_of = |bits: &[usize]| bits.iter().fold(0usize, |mask, bit| mask | 1 << bit);
    let outside = if rng.random_bool(0.5) {
        Complex64::new(1.0, 0.0)
    } else {
        Complex64::from_polar(1.0, rng.random_range(-3.0..3.0))
    };
    let op = KernelOp::Givens {
        first: mask_of(&bits[..per_pattern]),
        second: mask_of(&bits[per_pattern..2 * per_pattern]),
        cos: rng.random_range(-1.0..1.0),
        sin: rng.random_range(-1.0..1.0),
        outside,
    };
    Kernel { op, controls: mask_of(&bits[2 * per_pattern..]) }
}

pub(crate) fn assert_close(actual: &[Complex64], expected: &[Complex64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len());
    for (index, (actual, expected)) in actual.iter().zip(expected).enumerate() {
        assert!((actual - expected).norm() <= tolerance, "amplitude {index}: {actual} != {expected}");
    }
}

#[test]
fn every_kernel_matches_the_per_index_reference() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for n_bits in 1..=9 {
        for _ in 0..300 {
            let kernel = random_kernel(&mut rng, n_bits);
            let state = random_amplitudes(&mut rng, 1 << n_bits);
            let mut expected = state.clone();
            apply_reference(&kernel, &mut expected);
            for parallel in [false, true] {
                let mut actual = state.clone();
                kernel.apply(&mut actual, parallel);
                assert_close(&actual, &expected, 1e-12);
            }
        }
    }
}

#[test]
fn large_states_split_over_threads_match_the_reference() {
    // 2^16 amplitudes: runs are cut into pieces and handed out in blocks.
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let n_bits = 16;
    let state = random_amplitudes(&mut rng, 1 << n_bits);
    for _ in 0..40 {
        let kernel = random_kernel(&mut rng, n_bits);
        let mut expected = state.clone();
        apply_reference(&kernel, &mut expected);
        let mut actual = state.clone();
        kernel.apply(&mut actual, true);
        assert_close(&actual, &expected, 1e-12);
    }
}

#[test]
fn fused_kernels_equal_the_sequence() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    for n_bits in 1..=6 {
        for _ in 0..200 {
            let length = rng.random_range(0..12);
            // Mostly one- and two-qubit kernels on few bits, so that fusion has work.
            let kernels: Vec<Kernel> = (0..length).map(|_| random_kernel(&mut rng, n_bits)).collect();
            let state = random_amplitudes(&mut rng, 1 << n_bits);
            let mut expected = state.clone();
            for kernel in &kernels {
                apply_reference(kernel, &mut expected);
            }
            let fused = fuse(&kernels);
            assert!(fused.len() <= kernels.len());
            let mut actual = state.clone();
            for kernel in &fused {
                kernel.apply(&mut actual, false);
            }
            // The random matrices are not unitary, so amplitudes grow: compare relative to the norm.
            let scale = expected.iter().map(|a| a.norm()).fold(1.0, f64::max);
            assert_close(&actual, &expected, 1e-12 * scale);
        }
    }
}

#[test]
fn fusion_merges_a_rotation_layer_and_a_cnot() {
    let n_qubits = 3;
    let bit_of = |wire: Wire| n_qubits - 1 - wire.0 as usize;
    let ry = |wire: u32, angle: f64| gate_kernel(GateKind::RY, &[Wire(wire)], &[], &[angle], bit_of);
    let rz = |wire: u32, angle: f64| gate_kernel(GateKind::RZ, &[Wire(wire)], &[], &[angle], bit_of);
    let cnot =
        |control: u32, target: u32| gate_kernel(GateKind::CNOT, &[Wire(control), Wire(target)], &[], &[], bit_of);
    // rz·rz on one wire stays diagonal; ry, ry, cnot on two wires become one 4x4; the ry on
    // wire 2 joins nothing (the CNOT after it takes only one one-qubit kernel).
    let kernels = [rz(0, 0.1), rz(0, 0.2), ry(0, 0.3), ry(1, 0.4), ry(2, 0.5), cnot(0, 1), cnot(1, 2)];
    let fused = fuse(&kernels);
    assert_eq!(fused.len(), 3, "{fused:?}");
    assert!(matches!(fused[0].op, KernelOp::Dense1 { target: 0, .. }));
    assert!(matches!(fused[1].op, KernelOp::Dense2 { .. }));
    assert!(matches!(fused[2].op, KernelOp::Flip { .. }));
    let diagonal = fuse(&[rz(0, 0.1), rz(0, 0.2)]);
    assert!(matches!(diagonal[..], [Kernel { op: KernelOp::Diagonal1 { target: 2, .. }, controls: 0 }]));
}

#[test]
fn givens_kernels_match_the_reference_and_their_adjoints_undo_them() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for n_bits in (2..=9).chain([16]) {
        for _ in 0..if n_bits == 16 { 20 } else { 200 } {
            let kernel = random_givens(&mut rng, n_bits);
            let state = random_amplitudes(&mut rng, 1 << n_bits);
            let mut expected = state.clone();
            apply_reference(&kernel, &mut expected);
            for parallel in [false, true] {
                let mut actual = state.clone();
                kernel.apply(&mut actual, parallel);
                assert_close(&actual, &expected, 1e-12);
            }
            // With cos² + sin² = 1 the kernel is unitary and its adjoint undoes it.
            let KernelOp::Givens { first, second, cos, sin, outside } = kernel.op else { continue };
            let norm = cos.hypot(sin);
            let unitary =
                Kernel { op: KernelOp::Givens { first, second, cos: cos / norm, sin: sin / norm, outside }, ..kernel };
            let mut round_trip = state.clone();
            unitary.apply(&mut round_trip, false);
            unitary.adjoint().apply(&mut round_trip, false);
            assert_close(&round_trip, &state, 1e-12);
            // Moved to other bits, it is the same kernel on the moved state.
            let reversed = |bit: usize| n_bits - 1 - bit;
            let reverse_index =
                |index: usize| (0..n_bits).fold(0, |out, bit| out | (index >> bit & 1) << reversed(bit));
            let moved_state: Vec<Complex64> = (0..1usize << n_bits).map(|index| state[reverse_index(index)]).collect();
            let mut moved = moved_state.clone();
            kernel.map_bits(reversed).apply(&mut moved, false);
            let moved_back: Vec<Complex64> = (0..1usize << n_bits).map(|index| moved[reverse_index(index)]).collect();
            assert_close(&moved_back, &expected, 1e-12);
        }
    }
}

#[test]
fn fusion_keeps_givens_kernels_in_their_place() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    for n_bits in 2..=6 {
        for _ in 0..200 {
            let length = rng.random_range(0..12);
            let kernels: Vec<Kernel> = (0..length)
                .map(|_| {
                    if rng.random_bool(0.3) {
                        random_givens(&mut rng, n_bits)
                    } else {
                        random_kernel(&mut rng, n_bits)
                    }
                })
                .collect();
            let state = random_amplitudes(&mut rng, 1 << n_bits);
            let mut expected = state.clone();
            for kernel in &kernels {
                apply_reference(kernel, &mut expected);
            }
            let mut actual = state.clone();
            for kernel in &fuse(&kernels) {
                kernel.apply(&mut actual, false);
            }
            let scale = expected.iter().map(|a| a.norm()).fold(1.0, f64::max);
            assert_close(&actual, &expected, 1e-12 * scale);
        }
    }
}
