//! Gate fusion: merges runs of kernels that one pass over the amplitudes can do together.
//!
//! The rules, each exact up to rounding:
//! - consecutive uncontrolled one-qubit kernels on the same bit become one (a diagonal if both are);
//! - an uncontrolled one-qubit kernel after an uncontrolled 4x4 kernel on its bit joins the 4x4;
//! - a two-qubit kernel (a CNOT, a controlled one-qubit gate, a swap, a two-bit phase, a 4x4)
//!   absorbs the one-qubit kernels just before it on both of its bits into one 4x4 (two passes
//!   saved for the cost of a denser one); a 4x4 absorbs one on either bit. An uncontrolled single
//!   excitation counts as a two-qubit kernel; a double excitation (four bits) is left as it is.
//!
//! "Just before" means the latest earlier kernel on that bit: kernels on other bits commute with
//! it, so the order between them does not matter.

use super::{multiply_2, Kernel, KernelOp, Matrix2, Matrix4};
use num_complex::Complex64;

/// An uncontrolled one-qubit kernel as a matrix.
#[derive(Clone, Copy)]
struct OneQubit {
    bit: usize,
    matrix: Matrix2,
    diagonal: bool,
}

/// A two-qubit kernel as a 4x4 matrix, rows indexed by 2·bit(first) + bit(second).
#[derive(Clone, Copy)]
struct TwoQubit {
    first: usize,
    second: usize,
    matrix: Matrix4,
}

fn zero() -> Complex64 {
    Complex64::new(0.0, 0.0)
}

fn one() -> Complex64 {
    Complex64::new(1.0, 0.0)
}

fn one_qubit(kernel: &Kernel) -> Option<OneQubit> {
    if kernel.controls != 0 {
        return None;
    }
    let diagonal = |bit: usize, first: Complex64, second: Complex64| {
        Some(OneQubit { bit, matrix: [[first, zero()], [zero(), second]], diagonal: true })
    };
    match kernel.op {
        KernelOp::Dense1 { target, matrix } => Some(OneQubit { bit: target, matrix, diagonal: false }),
        KernelOp::Flip { target } => {
            Some(OneQubit { bit: target, matrix: [[zero(), one()], [one(), zero()]], diagonal: false })
        }
        KernelOp::Diagonal1 { target, diagonal: [first, second] } => diagonal(target, first, second),
        KernelOp::AllOnesPhase { mask, phase } if mask.count_ones() == 1 => {
            diagonal(mask.trailing_zeros() as usize, one(), phase)
        }
        KernelOp::ParityPhase { mask, even, odd } if mask.count_ones() == 1 => {
            diagonal(mask.trailing_zeros() as usize, even, odd)
        }
        _ => None,
    }
}

fn from_one_qubit(one_qubit: OneQubit) -> Kernel {
    let OneQubit { bit: target, matrix, diagonal } = one_qubit;
    let op = if diagonal {
        KernelOp::Diagonal1 { target, diagonal: [matrix[0][0], matrix[1][1]] }
    } else {
        KernelOp::Dense1 { target, matrix }
    };
    Kernel { op, controls: 0 }
}

/// A kernel acting on exactly two bits, as a 4x4 matrix.
fn two_qubit(kernel: &Kernel) -> Option<TwoQubit> {
    let controls = kernel.controls;
    let single_control = controls.count_ones() == 1;
    let control = controls.trailing_zeros() as usize;
    let mut matrix = [[zero(); 4]; 4];
    let identity_block = |matrix: &mut Matrix4| {
        matrix[0][0] = one();
        matrix[1][1] = one();
    };
    let (first, second) = match kernel.op {
        KernelOp::Dense2 { first, second, matrix: dense } if controls == 0 => {
            return Some(TwoQubit { first, second, matrix: dense })
        }
        KernelOp::Flip { target } if single_control => {
            identity_block(&mut matrix);
            matrix[2][3] = one();
            matrix[3][2] = one();
            (control, target)
        }
        KernelOp::Dense1 { target, matrix: block } if single_control => {
            identity_block(&mut matrix);
            for row in 0..2 {
                for column in 0..2 {
                    matrix[2 + row][2 + column] = block[row][column];
                }
            }
            (control, target)
        }
        KernelOp::Diagonal1 { target, diagonal } if single_control => {
            identity_block(&mut matrix);
            matrix[2][2] = diagonal[0];
            matrix[3][3] = diagonal[1];
            (control, target)
        }
        KernelOp::SwapBits { first, second } if controls == 0 => {
            matrix[0][0] = one();
            matrix[1][2] = one();
            matrix[2][1] = one();
            matrix[3][3] = one();
            (first, second)
        }
        KernelOp::AllOnesPhase { mask, phase } if controls == 0 && mask.count_ones() == 2 => {
            identity_block(&mut matrix);
            matrix[2][2] = one();
            matrix[3][3] = phase;
            (mask.trailing_zeros() as usize, (usize::BITS - 1 - mask.leading_zeros()) as usize)
        }
        KernelOp::Givens { first, second, cos, sin, outside }
            if controls == 0 && first.count_ones() == 1 && second.count_ones() == 1 =>
        {
            // A single excitation: rows indexed by 2·bit(second) + bit(first), so the pair is
            // (|01⟩, |10⟩) as in PennyLane's matrix.
            matrix[0][0] = outside;
            matrix[1][1] = Complex64::new(cos, 0.0);
            matrix[1][2] = Complex64::new(-sin, 0.0);
            matrix[2][1] = Complex64::new(sin, 0.0);
            matrix[2][2] = Complex64::new(cos, 0.0);
            matrix[3][3] = outside;
            (second.trailing_zeros() as usize, first.trailing_zeros() as usize)
        }
        KernelOp::ParityPhase { mask, even, odd } if controls == 0 && mask.count_ones() == 2 => {
            matrix[0][0] = even;
            matrix[1][1] = odd;
            matrix[2][2] = odd;
            matrix[3][3] = even;
            (mask.trailing_zeros() as usize, (usize::BITS - 1 - mask.leading_zeros()) as usize)
        }
        _ => return None,
    };
    Some(TwoQubit { first, second, matrix })
}

fn multiply_4(left: &Matrix4, right: &Matrix4) -> Matrix4 {
    let mut product = [[zero(); 4]; 4];
    for (row, product_row) in product.iter_mut().enumerate() {
        for (column, entry) in product_row.iter_mut().enumerate() {
            *entry = (0..4).map(|inner| left[row][inner] * right[inner][column]).sum();
        }
    }
    product
}

/// A one-qubit matrix on the first (`on_first`) or second bit of a 4x4 kernel, as a 4x4 matrix.
fn embed(matrix: &Matrix2, on_first: bool) -> Matrix4 {
    let mut embedded = [[zero(); 4]; 4];
    for (row, embedded_row) in embedded.iter_mut().enumerate() {
        for (column, entry) in embedded_row.iter_mut().enumerate() {
            let (row_first, row_second, column_first, column_second) = (row >> 1, row & 1, column >> 1, column & 1);
            *entry = if on_first && row_second == column_second {
                matrix[row_first][column_first]
            } else if !on_first && row_first == column_first {
                matrix[row_second][column_second]
            } else {
                zero()
            };
        }
    }
    embedded
}

/// `two`'s matrix with its bits in the order (`first`, `second`) (which must be its bits).
fn in_order(two: &TwoQubit, first: usize) -> Matrix4 {
    if two.first == first {
        two.matrix
    } else {
        let order = [0, 2, 1, 3];
        let mut exchanged = two.matrix;
        for (row, exchanged_row) in exchanged.iter_mut().enumerate() {
            for (column, entry) in exchanged_row.iter_mut().enumerate() {
                *entry = two.matrix[order[row]][order[column]];
            }
        }
        exchanged
    }
}

fn dense_2(two: TwoQubit) -> Kernel {
    Kernel { op: KernelOp::Dense2 { first: two.first, second: two.second, matrix: two.matrix }, controls: 0 }
}

/// The position of the latest kernel in `fused` touching any bit of `bits`.
fn latest_on(fused: &[Kernel], bits: usize) -> Option<usize> {
    fused.iter().rposition(|kernel| kernel.bits() & bits != 0)
}

/// Merges kernels that one pass can apply together (see the module's rules). Applying the result
/// in order equals applying `kernels` in order, up to rounding; identity kernels are dropped.
pub fn fuse(kernels: &[Kernel]) -> Vec<Kernel> {
    let mut fused: Vec<Kernel> = Vec::with_capacity(kernels.len());
    for kernel in kernels {
        if kernel.op == KernelOp::Identity {
            continue;
        }
        if let Some(incoming) = one_qubit(kernel) {
            if let Some(position) = latest_on(&fused, 1 << incoming.bit) {
                if let Some(previous) = one_qubit(&fused[position]) {
                    let matrix = multiply_2(&incoming.matrix, &previous.matrix);
                    let diagonal = incoming.diagonal && previous.diagonal;
                    fused[position] = from_one_qubit(OneQubit { bit: incoming.bit, matrix, diagonal });
                    continue;
                }
                if let KernelOp::Dense2 { first, second, matrix } = fused[position].op {
                    if fused[position].controls == 0 {
                        let embedded = embed(&incoming.matrix, incoming.bit == first);
                        let matrix = multiply_4(&embedded, &matrix);
                        fused[position].op = KernelOp::Dense2 { first, second, matrix };
                        continue;
                    }
                }
            }
            fused.push(*kernel);
            continue;
        }
        let Some(incoming) = two_qubit(kernel) else {
            fused.push(*kernel);
            continue;
        };
        let is_dense = matches!(kernel.op, KernelOp::Dense2 { .. });
        let on_first = latest_on(&fused, 1 << incoming.first);
        let on_second = latest_on(&fused, 1 << incoming.second);
        // A 4x4 on the same two bits just before: one product.
        if let (Some(first_position), Some(second_position)) = (on_first, on_second) {
            if first_position == second_position {
                if let Some(previous) = two_qubit(&fused[first_position]) {
                    if matches!(fused[first_position].op, KernelOp::Dense2 { .. }) || is_dense {
                        let previous_matrix = in_order(&previous, incoming.first);
                        let matrix = multiply_4(&incoming.matrix, &previous_matrix);
                        fused[first_position] = dense_2(TwoQubit { matrix, ..incoming });
                        continue;
                    }
                }
            }
        }
        let before_first = on_first.and_then(|position| one_qubit(&fused[position]).map(|one| (position, one)));
        let before_second = on_second.and_then(|position| one_qubit(&fused[position]).map(|one| (position, one)));
        let absorbed: Vec<(usize, OneQubit)> = match (before_first, before_second) {
            (Some(first), Some(second)) => vec![first, second],
            (Some(one), None) | (None, Some(one)) if is_dense => vec![one],
            _ => {
                fused.push(*kernel);
                continue;
            }
        };
        let mut matrix = incoming.matrix;
        for (_, one) in &absorbed {
            matrix = multiply_4(&matrix, &embed(&one.matrix, one.bit == incoming.first));
        }
        // Remove the absorbed kernels, the later position first so the earlier stays valid.
        let mut positions: Vec<usize> = absorbed.iter().map(|(position, _)| *position).collect();
        positions.sort_unstable_by(|a, b| b.cmp(a));
        for position in positions {
            fused.remove(position);
        }
        fused.push(dense_2(TwoQubit { matrix, ..incoming }));
    }
    fused
}
