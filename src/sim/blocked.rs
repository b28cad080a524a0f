//! Cache-blocked application of a kernel sequence: a state larger than the cache is read and
//! written once per segment of kernels rather than once per kernel.
//!
//! The bits of an index below `low_bits` make contiguous runs of 2^low_bits amplitudes. The
//! kernels are split into segments, each touching at most `max_high_bits` bits at or above
//! `low_bits` (its high bits). Indices that agree on every bit outside (the segment's high bits ∪
//! the low bits) form a group of 2^(low + high) amplitudes that the segment's kernels map onto
//! itself, so each group is gathered into a small buffer (its high bits moved down to positions
//! `low_bits`, `low_bits + 1`, …), run through every kernel of the segment while it sits in the
//! cache, and scattered back. When the segment's highest bit is low enough, a group is a
//! contiguous block of the state and is processed in place, with no copy. Groups are independent,
//! so threads take groups.
//!
//! Kernels go into segments greedily, in order, except that a kernel may move ahead of earlier
//! kernels with which it shares no bit (kernels on disjoint bits commute): so a layer of
//! rotations on every wire followed by a CNOT ring takes a handful of passes, not one per gate.

use crate::sim::kernels::{Kernel, SharedAmplitudes};
use num_complex::Complex64;
use rayon::prelude::*;
use std::cell::RefCell;

/// How the state is cut into groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocking {
    /// The bits of a contiguous run: 2^low_bits amplitudes.
    pub low_bits: usize,
    /// The most bits at or above `low_bits` that one segment's kernels may touch.
    pub max_high_bits: usize,
}

/// Runs of 2^12 amplitudes (64 KiB) and groups of at most 2^16 (1 MiB), which stay in a core's
/// 2 MiB L2 cache while a segment runs over them. Chosen by measurement (`qmlc run` on
/// `benches/models/ring_forward{20,22}.qml`, 1 and 2 threads): against 11/4, 12/3, 10/5, 11/5,
/// 12/5 and 13/3 it was the fastest or within a few per cent everywhere, 7–20% faster than 11/4.
pub const DEFAULT_BLOCKING: Blocking = Blocking { low_bits: 12, max_high_bits: 4 };

/// Applies `kernels` in order to `amplitudes` (a power-of-two length), with cache blocking when
/// the state is larger than a group, splitting the work over threads if `parallel`. The result
/// equals applying each kernel in turn with [`Kernel::apply`], up to rounding.
pub fn apply_all(amplitudes: &mut [Complex64], kernels: &[Kernel], parallel: bool) {
    apply_all_with(amplitudes, kernels, parallel, blocking_for(amplitudes.len().trailing_zeros() as usize))
}

/// The blocking of a state of `n_bits` qubits: [`DEFAULT_BLOCKING`] for states larger than one of
/// its groups; for states of 15 and 16 qubits, which fit in one group, two groups, so that two
/// threads take a segment of kernels each rather than meeting after every kernel. It depends on the
/// size alone, never on the number of threads, so results do not either.
fn blocking_for(n_bits: usize) -> Blocking {
    let blocking = DEFAULT_BLOCKING;
    if n_bits >= SPLIT_MIN_BITS && n_bits <= blocking.low_bits + blocking.max_high_bits {
        Blocking { max_high_bits: n_bits - blocking.low_bits - 1, ..blocking }
    } else {
        blocking
    }
}

/// From this many qubits on, a state that fits in one group is still cut in two.
const SPLIT_MIN_BITS: usize = 15;

/// Whether [`apply_all`] cuts a state of `len` amplitudes into groups (states of 15 qubits and
/// more), rather than applying the kernels one by one in order (smaller states). In order, the results
/// are bit for bit those of [`Kernel::apply`] kernel by kernel; in groups, kernels on disjoint bits
/// may run in another order, which changes the rounding (by about 1e-16).
pub fn is_blocked(len: usize) -> bool {
    let n_bits = len.trailing_zeros() as usize;
    let blocking = blocking_for(n_bits);
    n_bits > blocking.low_bits + blocking.max_high_bits
}

/// [`apply_all`] with a given blocking (tests force small groups to exercise it on small states).
pub fn apply_all_with(amplitudes: &mut [Complex64], kernels: &[Kernel], parallel: bool, blocking: Blocking) {
    let n_bits = amplitudes.len().trailing_zeros() as usize;
    if n_bits <= blocking.low_bits + blocking.max_high_bits {
        // The whole state fits in a group: the cache holds it between kernels anyway.
        for kernel in kernels {
            kernel.apply(amplitudes, parallel);
        }
        return;
    }
    for segment in segments(kernels, blocking) {
        match segment {
            Segment::Direct(position) => kernels[position].apply(amplitudes, parallel),
            Segment::Grouped { kernels: members, high_mask } => {
                let members: Vec<Kernel> = members.iter().map(|&position| kernels[position]).collect();
                run_segment(amplitudes, &members, high_mask, parallel, blocking);
            }
        }
    }
}

/// A pass over the state.
#[derive(Debug, PartialEq)]
enum Segment {
    /// The kernel at this position, with too many high bits for a group, applied to the whole state.
    Direct(usize),
    /// The kernels at these positions (in an order equivalent to the original), touching the
    /// high bits in `high_mask`.
    Grouped { kernels: Vec<usize>, high_mask: usize },
}

/// Splits `kernels` into passes (see the module's documentation).
fn segments(kernels: &[Kernel], blocking: Blocking) -> Vec<Segment> {
    let low_mask = (1usize << blocking.low_bits) - 1;
    let mut pending: Vec<usize> = (0..kernels.len()).collect();
    let mut segments = Vec::new();
    while let Some(&first) = pending.first() {
        if (kernels[first].bits() & !low_mask).count_ones() as usize > blocking.max_high_bits {
            segments.push(Segment::Direct(first));
            pending.remove(0);
            continue;
        }
        let mut members = Vec::new();
        let mut high_mask = 0usize;
        // The bits of the kernels left for later: a kernel sharing one must stay after them.
        let mut deferred_bits = 0usize;
        let mut rest = Vec::new();
        for position in pending {
            let bits = kernels[position].bits();
            let high = high_mask | (bits & !low_mask);
            if bits & deferred_bits == 0 && high.count_ones() as usize <= blocking.max_high_bits {
                members.push(position);
                high_mask = high;
            } else {
                rest.push(position);
                deferred_bits |= bits;
            }
        }
        segments.push(Segment::Grouped { kernels: members, high_mask });
        pending = rest;
    }
    segments
}

thread_local! {
    /// Each thread's group buffer, kept between segments and calls.
    static GROUP_BUFFER: RefCell<Vec<Complex64>> = const { RefCell::new(Vec::new()) };
}

/// `index` with a zero inserted at each set bit of `mask`, lowest first.
fn insert_zeros(mut index: usize, mask: usize) -> usize {
    let mut rest = mask;
    while rest != 0 {
        let below = (rest & rest.wrapping_neg()) - 1;
        index = (index & below) | ((index & !below) << 1);
        rest &= rest - 1;
    }
    index
}

/// The bits of `value` placed, lowest first, at the set bits of `mask`.
fn spread(value: usize, mask: usize) -> usize {
    let mut spread = 0;
    let mut rest = mask;
    let mut bit = 0;
    while rest != 0 {
        if value >> bit & 1 == 1 {
            spread |= rest & rest.wrapping_neg();
        }
        rest &= rest - 1;
        bit += 1;
    }
    spread
}

/// One pass: every group of the segment's high bits through `members`.
fn run_segment(amplitudes: &mut [Complex64], members: &[Kernel], high_mask: usize, parallel: bool, blocking: Blocking) {
    let low_bits = blocking.low_bits;
    let highest = usize::BITS as usize - high_mask.leading_zeros() as usize;
    let block_bits = highest.max(low_bits);
    if block_bits <= low_bits + blocking.max_high_bits {
        // A group is a contiguous block: run the kernels on it in place.
        let run_block = |block: &mut [Complex64]| {
            for kernel in members {
                kernel.apply(block, false);
            }
        };
        if parallel {
            amplitudes.par_chunks_mut(1 << block_bits).for_each(run_block);
        } else {
            amplitudes.chunks_mut(1 << block_bits).for_each(run_block);
        }
        return;
    }
    // Gather: bit high_bits[j] of the state is bit low_bits + j of the buffer.
    let high_bits: Vec<usize> = (0..usize::BITS as usize).filter(|bit| high_mask >> bit & 1 == 1).collect();
    let mapped: Vec<Kernel> = members
        .iter()
        .map(|kernel| {
            kernel.map_bits(|bit| match high_bits.iter().position(|high| *high == bit) {
                Some(position) => low_bits + position,
                None => bit,
            })
        })
        .collect();
    let n_bits = amplitudes.len().trailing_zeros() as usize;
    let n_high = high_bits.len();
    let run_len = 1usize << low_bits;
    let n_groups = 1usize << (n_bits - low_bits - n_high);
    let offsets: Vec<usize> = (0..1usize << n_high).map(|combination| spread(combination, high_mask)).collect();
    let shared = SharedAmplitudes(amplitudes.as_mut_ptr());
    let run_group = |group: usize| {
        let base = insert_zeros(group << low_bits, high_mask);
        GROUP_BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            buffer.resize(run_len << n_high, Complex64::new(0.0, 0.0));
            let state = shared.pointer();
            for (run, offset) in buffer.chunks_exact_mut(run_len).zip(&offsets) {
                // SAFETY: the run lies inside the state (base and offset only set bits below
                // n_bits) and belongs to this group alone.
                unsafe { std::ptr::copy_nonoverlapping(state.add(base | offset), run.as_mut_ptr(), run_len) };
            }
            for kernel in &mapped {
                kernel.apply(&mut buffer, false);
            }
            for (run, offset) in buffer.chunks_exact(run_len).zip(&offsets) {
                // SAFETY: as for the gather.
                unsafe { std::ptr::copy_nonoverlapping(run.as_ptr(), state.add(base | offset), run_len) };
            }
        });
    };
    if parallel {
        (0..n_groups).into_par_iter().for_each(run_group);
    } else {
        (0..n_groups).for_each(run_group);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernels::{Kernel, KernelOp};
    use num_complex::Complex64;
    use proptest::prelude::*;

    fn kernel_strategy(n_bits: usize) -> impl Strategy<Value = Kernel> {
        let angle = -3.2f64..3.2;
        let bit = 0..n_bits;
        (0..6usize, bit.clone(), bit.clone(), bit, angle.clone(), angle).prop_map(
            move |(choice, target, other, control, theta, phi)| {
                let rotation = [
                    [Complex64::new(theta.cos(), 0.0), Complex64::from_polar(theta.sin(), phi)],
                    [Complex64::from_polar(-theta.sin(), -phi), Complex64::new(theta.cos(), 0.0)],
                ];
                let controls = if control != target && control != other { 1 << control } else { 0 };
                let op = match choice {
                    0 => KernelOp::Dense1 { target, matrix: rotation },
                    1 => KernelOp::Flip { target },
                    2 => KernelOp::ParityPhase {
                        mask: 1 << target | 1 << other,
                        even: Complex64::from_polar(1.0, theta),
                        odd: Complex64::from_polar(1.0, phi),
                    },
                    3 if other != target => KernelOp::SwapBits { first: target, second: other },
                    4 if other != target => {
                        let mut matrix = [[Complex64::new(0.0, 0.0); 4]; 4];
                        for (row, matrix_row) in matrix.iter_mut().enumerate() {
                            for (column, entry) in matrix_row.iter_mut().enumerate() {
                                *entry = Complex64::from_polar(0.5, theta * row as f64 + phi * column as f64);
                            }
                        }
                        KernelOp::Dense2 { first: target, second: other, matrix }
                    }
                    _ => KernelOp::Diagonal1 { target, diagonal: [Complex64::from_polar(1.0, theta), Complex64::i()] },
                };
                Kernel { op, controls }
            },
        )
    }

    fn case_strategy() -> impl Strategy<Value = (usize, Vec<Kernel>, usize, usize)> {
        (1usize..=14).prop_flat_map(|n_bits| {
            (Just(n_bits), prop::collection::vec(kernel_strategy(n_bits), 0..40), 0..=n_bits.min(4), 0usize..=3)
        })
    }

    fn state(n_bits: usize) -> Vec<Complex64> {
        (0..1usize << n_bits)
            .map(|index| Complex64::new((index as f64 * 0.37).sin(), (index as f64 * 0.11).cos()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn blocked_application_equals_applying_in_order((n_bits, kernels, low_bits, max_high_bits) in case_strategy()) {
            let mut expected = state(n_bits);
            for kernel in &kernels {
                kernel.apply(&mut expected, false);
            }
            let blocking = Blocking { low_bits, max_high_bits };
            for parallel in [false, true] {
                let mut actual = state(n_bits);
                apply_all_with(&mut actual, &kernels, parallel, blocking);
                for (index, (actual, expected)) in actual.iter().zip(&expected).enumerate() {
                    prop_assert!((actual - expected).norm() <= 1e-12 * (1.0 + expected.norm()), "amplitude {}: {} != {}", index, actual, expected);
                }
            }
        }
    }

    #[test]
    fn a_rotation_layer_and_a_cnot_ring_take_few_passes() {
        use crate::ir::{GateKind, Wire};
        use crate::sim::kernels::gate_kernel;
        let n_qubits = 22usize;
        let bit_of = |wire: Wire| n_qubits - 1 - wire.0 as usize;
        let mut kernels = Vec::new();
        for layer in 0..5 {
            for wire in 0..n_qubits as u32 {
                kernels.push(gate_kernel(GateKind::RY, &[Wire(wire)], &[], &[0.1 * f64::from(layer)], bit_of));
            }
            for wire in 0..n_qubits as u32 {
                let next = (wire + 1) % n_qubits as u32;
                kernels.push(gate_kernel(GateKind::CNOT, &[Wire(wire), Wire(next)], &[], &[], bit_of));
            }
        }
        let passes = segments(&kernels, DEFAULT_BLOCKING).len();
        assert!(passes <= 5 * 4, "{passes} passes for 5 layers");
    }
}
