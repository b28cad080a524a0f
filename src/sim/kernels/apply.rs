//! How a kernel walks the amplitudes: only the indices it changes, in contiguous runs, split over
//! threads in blocks when asked.
//!
//! A kernel fixes some bits of the index (its controls at 1, its targets at 0 for the first
//! amplitude of each group it mixes) and leaves the others free. The free bits below the lowest
//! fixed bit make a contiguous run; the free bits above it are a counter into which the fixed bits
//! are inserted. So a CNOT visits the quarter of the indices with control 1 and target 0 (and
//! their partners at target 1), and an uncontrolled kernel checks nothing per amplitude.

use super::simd::{portable, RealMatrix2};
use super::{Kernel, KernelOp, Matrix2, Matrix4};
use num_complex::Complex64;
use rayon::prelude::*;

/// Runs longer than 2^this are cut into pieces of this length, so that a kernel on a high bit
/// still splits into many pieces of work.
const PIECE_BITS: usize = 12;

/// A thread's share of a parallel kernel holds at least 2^this amplitudes of runs.
const BLOCK_BITS: usize = 14;

/// What the kernel does at each run start `base` (the lowest index of its group).
#[derive(Clone, Copy, Debug)]
enum Action {
    /// `matrix` on the runs at `base` and `base + offset`.
    Pair { offset: usize, matrix: Matrix2 },
    /// [`Action::Pair`] with a real matrix.
    PairReal { offset: usize, matrix: RealMatrix2 },
    /// `matrix` on adjacent pairs within the run (the target is bit 0).
    Adjacent { matrix: Matrix2 },
    /// [`Action::Adjacent`] with a real matrix.
    AdjacentReal { matrix: RealMatrix2 },
    /// Exchanges the amplitudes at odd positions of the runs at `base` and `base + offset` (X
    /// controlled by bit 0, among others).
    SwapOdd { offset: usize },
    /// Exchanges adjacent amplitudes within the run (X on bit 0).
    AdjacentSwap,
    /// Exchanges the runs at `base + first` and `base + second`.
    Swap { first: usize, second: usize },
    /// Multiplies the run by `factor`.
    Scale { factor: Complex64 },
    /// Multiplies the run at `base` by `factors[0]` and the one at `base + offset` by `factors[1]`.
    ScalePair { offset: usize, factors: [Complex64; 2] },
    /// Multiplies even positions of the run by `factors[0]`, odd ones by `factors[1]`.
    Alternating { factors: [Complex64; 2] },
    /// Multiplies the run by `even` or `odd` by the parity of `base & mask`; with `alternating`,
    /// bit 0 is in the mask too, and odd positions take the other factor.
    Parity { mask: usize, even: Complex64, odd: Complex64, alternating: bool },
    /// `matrix` on the quadruples of the runs at `base + offsets[k]`.
    Quad { offsets: [usize; 4], matrix: Matrix4 },
    /// `matrix` on the quadruples made of adjacent pairs at `base` and `base + offset`.
    QuadAdjacent { offset: usize, matrix: Matrix4 },
    /// `matrix` on the runs at `base` and `base ^ mask` (a Givens rotation of an excitation).
    XorPair { mask: usize, matrix: Matrix2 },
    /// [`Action::XorPair`] with a real matrix.
    XorPairReal { mask: usize, matrix: RealMatrix2 },
}

/// A kernel ready to run over a state of a given size.
#[derive(Clone, Copy, Debug)]
pub(super) struct Plan {
    action: Action,
    /// The bits not counted: the run starts have these bits equal to `ones`.
    fixed: usize,
    ones: usize,
    /// The run length is 2^run_bits; no fixed bit lies below it.
    run_bits: usize,
    /// Runs are handed out in pieces of 2^piece_bits (at most the run).
    piece_bits: usize,
    n_pieces: usize,
}

/// The raw amplitudes, shared by threads each of which reads and writes only its own indices (the
/// pieces of one kernel here; the groups of one segment in `sim::blocked`; the pair indices of the
/// adjoint sweep's passes).
#[derive(Clone, Copy)]
pub(crate) struct SharedAmplitudes(pub(crate) *mut Complex64);

// SAFETY: every user hands each thread a set of indices disjoint from the other threads' (a
// kernel's pieces, a segment's groups, a sweep pass's pairs), and each thread touches only its own.
unsafe impl Send for SharedAmplitudes {}
unsafe impl Sync for SharedAmplitudes {}

impl SharedAmplitudes {
    pub(crate) fn pointer(self) -> *mut Complex64 {
        self.0
    }
}

/// `matrix` with the order of its two bits exchanged (rows and columns indexed by 2·a + b become 2·b + a).
fn exchange_bits(matrix: &Matrix4) -> Matrix4 {
    const ORDER: [usize; 4] = [0, 2, 1, 3];
    let mut exchanged = *matrix;
    for (row, exchanged_row) in exchanged.iter_mut().enumerate() {
        for (column, entry) in exchanged_row.iter_mut().enumerate() {
            *entry = matrix[ORDER[row]][ORDER[column]];
        }
    }
    exchanged
}

/// The matrix as real numbers, if every entry is real.
fn real_part(matrix: &Matrix2) -> Option<RealMatrix2> {
    matrix.iter().flatten().all(|entry| entry.im == 0.0).then(|| matrix.map(|row| row.map(|entry| entry.re)))
}

/// `index` with a zero inserted at each set bit of `fixed`, lowest first.
#[inline(always)]
fn insert_zeros(mut index: usize, fixed: usize) -> usize {
    let mut rest = fixed;
    while rest != 0 {
        let below = (rest & rest.wrapping_neg()) - 1;
        index = (index & below) | ((index & !below) << 1);
        rest &= rest - 1;
    }
    index
}

impl Plan {
    /// The plan of `kernel` on `len` amplitudes (a power of two), or `None` if it does nothing.
    pub(super) fn new(kernel: &Kernel, len: usize) -> Option<Plan> {
        let n_bits = len.trailing_zeros() as usize;
        let controls = kernel.controls;
        let (action, fixed, ones) = match kernel.op {
            KernelOp::Identity => return None,
            KernelOp::Flip { target: 0 } => (Action::AdjacentSwap, controls, controls),
            KernelOp::Flip { target } if controls & 1 == 1 => {
                // Controlled by bit 0: runs over the bits below the target, every other amplitude.
                let fixed = (controls & !1) | 1 << target;
                let run_bits = (fixed.trailing_zeros() as usize).min(n_bits);
                let action = Action::SwapOdd { offset: 1 << target };
                return Some(Plan::with_runs(action, fixed, controls & !1, run_bits, n_bits));
            }
            KernelOp::Flip { target } => {
                (Action::Swap { first: 0, second: 1 << target }, controls | 1 << target, controls)
            }
            KernelOp::Dense1 { target: 0, matrix } => match real_part(&matrix) {
                Some(matrix) => (Action::AdjacentReal { matrix }, controls, controls),
                None => (Action::Adjacent { matrix }, controls, controls),
            },
            KernelOp::Dense1 { target, matrix } => {
                let offset = 1 << target;
                let action = match real_part(&matrix) {
                    Some(matrix) => Action::PairReal { offset, matrix },
                    None => Action::Pair { offset, matrix },
                };
                (action, controls | 1 << target, controls)
            }
            KernelOp::Diagonal1 { target: 0, diagonal } => {
                (Action::Alternating { factors: diagonal }, controls, controls)
            }
            KernelOp::Diagonal1 { target, diagonal } => {
                (Action::ScalePair { offset: 1 << target, factors: diagonal }, controls | 1 << target, controls)
            }
            KernelOp::AllOnesPhase { mask, phase } => {
                (Action::Scale { factor: phase }, mask | controls, mask | controls)
            }
            KernelOp::ParityPhase { mask, even, odd } => {
                // The runs stop below the lowest mask bit (other than bit 0, which alternates
                // within a run) or control bit, so that the parity is constant along a run.
                let alternating = mask & 1 == 1;
                let boundaries = (mask & !1) | controls;
                let run_bits = if boundaries == 0 { n_bits } else { boundaries.trailing_zeros() as usize };
                let action = Action::Parity { mask, even, odd, alternating };
                return Some(Plan::with_runs(action, controls, controls, run_bits, n_bits));
            }
            KernelOp::SwapBits { first, second } => {
                (Action::Swap { first: 1 << first, second: 1 << second }, controls | 1 << first | 1 << second, controls)
            }
            KernelOp::Dense2 { first, second, matrix } => {
                let (high, low) = (first.max(second), first.min(second));
                let matrix = if first > second { matrix } else { exchange_bits(&matrix) };
                if low == 0 {
                    (Action::QuadAdjacent { offset: 1 << high, matrix }, controls | 1 << high, controls)
                } else {
                    let offsets = [0, 1 << low, 1 << high, 1 << high | 1 << low];
                    (Action::Quad { offsets, matrix }, controls | 1 << high | 1 << low, controls)
                }
            }
            KernelOp::Givens { first, second, cos, sin, outside } => {
                // The runs start where the pattern bits are those of `first` and end before the
                // lowest pattern or control bit; the partner run has the pattern of `second`.
                // `Kernel::apply` has already multiplied every selected amplitude by `outside`,
                // so the pair's rotation divides it out again.
                let mask = first | second;
                let rotation = [[cos, -sin], [sin, cos]];
                let action = if outside == Complex64::new(1.0, 0.0) {
                    Action::XorPairReal { mask, matrix: rotation }
                } else {
                    let undo = outside.conj();
                    Action::XorPair { mask, matrix: rotation.map(|row| row.map(|entry| undo * entry)) }
                };
                (action, mask | controls, first | controls)
            }
        };
        let run_bits = if fixed == 0 { n_bits } else { (fixed.trailing_zeros() as usize).min(n_bits) };
        Some(Plan::with_runs(action, fixed, ones, run_bits, n_bits))
    }

    fn with_runs(action: Action, fixed: usize, ones: usize, run_bits: usize, n_bits: usize) -> Plan {
        let n_fixed = fixed.count_ones() as usize;
        let counter_bits = n_bits - run_bits - n_fixed.min(n_bits - run_bits);
        let piece_bits = run_bits.min(PIECE_BITS);
        Plan { action, fixed, ones, run_bits, piece_bits, n_pieces: 1 << (counter_bits + run_bits - piece_bits) }
    }

    /// The first index of piece `piece`.
    #[inline(always)]
    fn piece_start(&self, piece: usize) -> usize {
        let pieces_per_run_bits = self.run_bits - self.piece_bits;
        let run = piece >> pieces_per_run_bits;
        let within = piece & ((1 << pieces_per_run_bits) - 1);
        (insert_zeros(run << self.run_bits, self.fixed) | self.ones) + (within << self.piece_bits)
    }

    /// Runs the plan over `amplitudes`, whose length it was made for.
    pub(super) fn run(&self, amplitudes: &mut [Complex64], parallel: bool) {
        let shared = SharedAmplitudes(amplitudes.as_mut_ptr());
        let pieces_per_block = 1usize << BLOCK_BITS.saturating_sub(self.piece_bits);
        if parallel && self.n_pieces > pieces_per_block {
            let n_blocks = self.n_pieces.div_ceil(pieces_per_block);
            (0..n_blocks).into_par_iter().for_each(|block| {
                let start = block * pieces_per_block;
                let end = (start + pieces_per_block).min(self.n_pieces);
                // SAFETY: the pieces of distinct blocks are disjoint sets of indices within the state.
                unsafe { self.run_pieces(shared.pointer(), start..end) }
            });
        } else {
            // SAFETY: every piece lies within the state the plan was made for.
            unsafe { self.run_pieces(shared.pointer(), 0..self.n_pieces) }
        }
    }

    /// Runs pieces `pieces` with the fastest loops the processor has.
    unsafe fn run_pieces(&self, amplitudes: *mut Complex64, pieces: std::ops::Range<usize>) {
        #[cfg(target_arch = "x86_64")]
        if has_avx2_fma() {
            return self.run_pieces_avx2(amplitudes, pieces);
        }
        self.run_pieces_with::<false>(amplitudes, pieces)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn run_pieces_avx2(&self, amplitudes: *mut Complex64, pieces: std::ops::Range<usize>) {
        self.run_pieces_with::<true>(amplitudes, pieces)
    }

    /// The loops over pieces, each arm calling the vector loops when `VECTOR` (compiled inside a
    /// function with AVX2 and FMA enabled) and the portable ones otherwise.
    #[inline(always)]
    unsafe fn run_pieces_with<const VECTOR: bool>(&self, amplitudes: *mut Complex64, pieces: std::ops::Range<usize>) {
        let len = 1usize << self.piece_bits;
        let starts = pieces.map(|piece| amplitudes.add(self.piece_start(piece)));
        macro_rules! vector_or_portable {
            ($function:ident($($argument:expr),*)) => {{
                #[cfg(target_arch = "x86_64")]
                {
                    if VECTOR {
                        super::simd::avx2::$function($($argument),*)
                    } else {
                        portable::$function($($argument),*)
                    }
                }
                #[cfg(not(target_arch = "x86_64"))]
                {
                    portable::$function($($argument),*)
                }
            }};
        }
        match self.action {
            Action::Pair { offset, matrix } => {
                for run in starts {
                    vector_or_portable!(pair_runs(run, run.add(offset), len, &matrix));
                }
            }
            Action::PairReal { offset, matrix } => {
                for run in starts {
                    vector_or_portable!(pair_runs_real(run, run.add(offset), len, &matrix));
                }
            }
            Action::AdjacentReal { matrix } => {
                for run in starts {
                    vector_or_portable!(adjacent_pairs_real(run, len, &matrix));
                }
            }
            Action::SwapOdd { offset } => {
                for run in starts {
                    for position in (1..len).step_by(2) {
                        std::ptr::swap(run.add(position), run.add(offset + position));
                    }
                }
            }
            Action::Adjacent { matrix } => {
                for run in starts {
                    vector_or_portable!(adjacent_pairs(run, len, &matrix));
                }
            }
            Action::AdjacentSwap => {
                for run in starts {
                    for offset in (0..len).step_by(2) {
                        std::ptr::swap(run.add(offset), run.add(offset + 1));
                    }
                }
            }
            Action::Swap { first, second } => {
                for run in starts {
                    std::ptr::swap_nonoverlapping(run.add(first), run.add(second), len);
                }
            }
            Action::Scale { factor } => {
                for run in starts {
                    vector_or_portable!(scale_run(run, len, factor));
                }
            }
            Action::ScalePair { offset, factors } => {
                for run in starts {
                    vector_or_portable!(scale_run(run, len, factors[0]));
                    vector_or_portable!(scale_run(run.add(offset), len, factors[1]));
                }
            }
            Action::Alternating { factors } => {
                for run in starts {
                    vector_or_portable!(scale_alternating(run, len, factors));
                }
            }
            Action::Parity { mask, even, odd, alternating } => {
                for run in starts {
                    let index = run.offset_from(amplitudes) as usize;
                    let is_odd = (index & mask).count_ones() % 2 == 1;
                    let (this, other) = if is_odd { (odd, even) } else { (even, odd) };
                    if alternating {
                        vector_or_portable!(scale_alternating(run, len, [this, other]));
                    } else {
                        vector_or_portable!(scale_run(run, len, this));
                    }
                }
            }
            Action::Quad { offsets, matrix } => {
                for run in starts {
                    vector_or_portable!(quad_runs(offsets.map(|offset| run.add(offset)), len, &matrix));
                }
            }
            Action::QuadAdjacent { offset, matrix } => {
                for run in starts {
                    vector_or_portable!(quad_adjacent(run, run.add(offset), len, &matrix));
                }
            }
            Action::XorPair { mask, matrix } => {
                for run in starts {
                    let partner = amplitudes.add(run.offset_from(amplitudes) as usize ^ mask);
                    vector_or_portable!(pair_runs(run, partner, len, &matrix));
                }
            }
            Action::XorPairReal { mask, matrix } => {
                for run in starts {
                    let partner = amplitudes.add(run.offset_from(amplitudes) as usize ^ mask);
                    vector_or_portable!(pair_runs_real(run, partner, len, &matrix));
                }
            }
        }
    }
}

/// Whether the processor has AVX2 and FMA (the standard library caches the answer).
#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}
