//! Dense matrices of the gates, written from PennyLane's definitions and independently of the simulator's kernels.
//!
//! These are the reference the kernels are tested against and what the gate table documents, so
//! they favour plainness over speed: every matrix is a full `2^k × 2^k` array of rows.

use num_complex::Complex64;

/// A dense square matrix as rows; on k wires it has 2^k rows, the first wire the most significant bit.
pub(crate) type Dense = Vec<Vec<Complex64>>;

pub(crate) fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

/// e^{iφ}.
pub(crate) fn e(phi: f64) -> Complex64 {
    Complex64::from_polar(1.0, phi)
}

/// The angle in `slot`, or 0 when the caller gave fewer angles.
pub(crate) fn angle(angles: &[f64], slot: usize) -> f64 {
    angles.get(slot).copied().unwrap_or(0.0)
}

pub(crate) fn pauli_matrix(pauli: char) -> Dense {
    let (o, l, i) = (c(0.0, 0.0), c(1.0, 0.0), c(0.0, 1.0));
    match pauli {
        'X' => vec![vec![o, l], vec![l, o]],
        'Y' => vec![vec![o, -i], vec![i, o]],
        'Z' => vec![vec![l, o], vec![o, -l]],
        _ => vec![vec![l, o], vec![o, l]],
    }
}

pub(crate) fn kron(left: &Dense, right: &Dense) -> Dense {
    let (n, m) = (left.len(), right.len());
    let mut out = vec![vec![c(0.0, 0.0); n * m]; n * m];
    for a in 0..n {
        for b in 0..n {
            for x in 0..m {
                for y in 0..m {
                    out[a * m + x][b * m + y] = left[a][b] * right[x][y];
                }
            }
        }
    }
    out
}

pub(crate) fn matmul(left: &Dense, right: &Dense) -> Dense {
    let n = left.len();
    (0..n).map(|row| (0..n).map(|col| (0..n).map(|k| left[row][k] * right[k][col]).sum()).collect()).collect()
}

/// The conjugate transpose.
#[cfg(test)]
pub(crate) fn adjoint(matrix: &Dense) -> Dense {
    let n = matrix.len();
    (0..n).map(|row| (0..n).map(|col| matrix[col][row].conj()).collect()).collect()
}

/// exp(-iθ P/2) = cos(θ/2) I − i sin(θ/2) P for a Pauli word P given as letters.
pub(crate) fn rotation(word: &str, theta: f64) -> Dense {
    let p = word.chars().map(pauli_matrix).reduce(|a, b| kron(&a, &b)).unwrap_or_else(|| pauli_matrix('I'));
    let n = p.len();
    (0..n)
        .map(|row| {
            (0..n)
                .map(|col| {
                    let identity = if row == col { (theta / 2.0).cos() } else { 0.0 };
                    c(identity, 0.0) - c(0.0, (theta / 2.0).sin()) * p[row][col]
                })
                .collect()
        })
        .collect()
}

pub(crate) fn diagonal(values: &[Complex64]) -> Dense {
    let n = values.len();
    (0..n).map(|row| (0..n).map(|col| if row == col { values[row] } else { c(0.0, 0.0) }).collect()).collect()
}

pub(crate) fn identity(n_wires: usize) -> Dense {
    diagonal(&vec![c(1.0, 0.0); 1 << n_wires])
}

/// Block-diagonal (I, U): U acts where the first wire is 1.
pub(crate) fn controlled(u: &Dense) -> Dense {
    let n = u.len();
    let mut out = diagonal(&vec![c(1.0, 0.0); 2 * n]);
    for row in 0..n {
        for col in 0..n {
            out[n + row][n + col] = u[row][col];
        }
    }
    out
}

/// The permutation matrix sending basis state i to `images[i]`.
pub(crate) fn permutation(images: &[usize]) -> Dense {
    let n = images.len();
    let mut out = vec![vec![c(0.0, 0.0); n]; n];
    for (from, to) in images.iter().enumerate() {
        out[*to][from] = c(1.0, 0.0);
    }
    out
}

/// The largest entry-wise distance between two matrices of the same size.
#[cfg(test)]
pub(crate) fn max_distance(left: &Dense, right: &Dense) -> f64 {
    left.iter().flatten().zip(right.iter().flatten()).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max)
}

/// PennyLane's excitation gates on `n_wires` (2 or 4): the Givens rotation
/// [[cos(θ/2), −sin(θ/2)], [sin(θ/2), cos(θ/2)]] of the basis states "first half of the wires 0,
/// second half 1" (|01⟩, |0011⟩) and its complement (|10⟩, |1100⟩), and e^{i·outside·θ} on every
/// other basis state (outside = 0 for `single_excitation`, ±1/2 for the `_plus`/`_minus` variants).
pub(crate) fn excitation(n_wires: usize, theta: f64, outside: f64) -> Dense {
    let half = n_wires / 2;
    let first = (1usize << half) - 1;
    let second = first << (n_wires - half);
    let (sin, cos) = (theta / 2.0).sin_cos();
    let mut out = diagonal(&vec![e(outside * theta); 1 << n_wires]);
    out[first][first] = c(cos, 0.0);
    out[first][second] = c(-sin, 0.0);
    out[second][first] = c(sin, 0.0);
    out[second][second] = c(cos, 0.0);
    out
}

/// The Hadamard gate.
pub(crate) fn hadamard() -> Dense {
    let s = std::f64::consts::FRAC_1_SQRT_2;
    vec![vec![c(s, 0.0), c(s, 0.0)], vec![c(s, 0.0), c(-s, 0.0)]]
}

/// The iSWAP family on two wires: |00⟩ and |11⟩ kept, and the block [[stay, cross], [cross, stay]]
/// on (|01⟩, |10⟩): iSWAP is (0, i), √iSWAP (1/√2, i/√2), their inverses with −i (PennyLane's ISWAP, SISWAP).
pub(crate) fn iswap_power(stay: Complex64, cross: Complex64) -> Dense {
    let mut out = identity(2);
    out[1][1] = stay;
    out[2][2] = stay;
    out[1][2] = cross;
    out[2][1] = cross;
    out
}

/// PennyLane's ECR: [[0, 0, 1, i], [0, 0, i, 1], [1, −i, 0, 0], [−i, 1, 0, 0]] / √2.
pub(crate) fn ecr() -> Dense {
    let s = std::f64::consts::FRAC_1_SQRT_2;
    let (o, l, i) = (c(0.0, 0.0), c(s, 0.0), c(0.0, s));
    vec![vec![o, o, l, i], vec![o, o, i, l], vec![l, -i, o, o], vec![-i, l, o, o]]
}

/// PennyLane's U2(φ, δ) = [[1, −e^{iδ}], [e^{iφ}, e^{i(φ+δ)}]] / √2.
pub(crate) fn u2(phi: f64, delta: f64) -> Dense {
    let s = std::f64::consts::FRAC_1_SQRT_2;
    vec![vec![c(s, 0.0), -e(delta) * s], vec![e(phi) * s, e(phi) * e(delta) * s]]
}

/// PennyLane's FermionicSWAP(φ): |00⟩ kept, e^{iφ/2}·[[cos(φ/2), −i sin(φ/2)], [−i sin(φ/2), cos(φ/2)]]
/// on (|01⟩, |10⟩), and e^{iφ} on |11⟩.
pub(crate) fn fermionic_swap(phi: f64) -> Dense {
    let (sin, cos) = (phi / 2.0).sin_cos();
    let half = e(phi / 2.0);
    let mut out = iswap_power(half * cos, half * c(0.0, -sin));
    out[3][3] = e(phi);
    out
}

/// The matrix of a Pauli word given as letters (I, X, Y, Z), the first letter on the first wire.
pub(crate) fn pauli_word(word: &str) -> Dense {
    word.chars().map(pauli_matrix).reduce(|a, b| kron(&a, &b)).unwrap_or_else(|| identity(0))
}

/// exp(iθ H) for a Hermitian H, by its Taylor series after halving θ until θ‖H‖ is below 1/2
/// (then squaring back): plain and slow, for the reference matrices of the tests.
pub(crate) fn exp_i(hermitian: &Dense, theta: f64) -> Dense {
    let n = hermitian.len();
    let norm: f64 = hermitian.iter().map(|row| row.iter().map(|x| x.norm()).sum::<f64>()).fold(0.0, f64::max);
    let mut squarings = 0;
    let mut scaled = theta;
    while (scaled * norm).abs() > 0.5 {
        scaled /= 2.0;
        squarings += 1;
    }
    let step: Dense = hermitian.iter().map(|row| row.iter().map(|x| x * c(0.0, scaled)).collect()).collect();
    let mut sum = identity_of(n);
    let mut term = identity_of(n);
    for k in 1..30 {
        term = matmul(&term, &step).into_iter().map(|row| row.into_iter().map(|x| x / k as f64).collect()).collect();
        for (sum_row, term_row) in sum.iter_mut().zip(&term) {
            for (entry, add) in sum_row.iter_mut().zip(term_row) {
                *entry += add;
            }
        }
    }
    for _ in 0..squarings {
        sum = matmul(&sum, &sum);
    }
    sum
}

fn identity_of(dimension: usize) -> Dense {
    diagonal(&vec![c(1.0, 0.0); dimension])
}

/// The sum of weighted Pauli words (letters), as a matrix.
pub(crate) fn pauli_sum(terms: &[(f64, &str)]) -> Dense {
    let n = terms.first().map_or(1, |(_, word)| 1 << word.len());
    let mut out = vec![vec![c(0.0, 0.0); n]; n];
    for (weight, word) in terms {
        for (out_row, word_row) in out.iter_mut().zip(pauli_word(word)) {
            for (entry, add) in out_row.iter_mut().zip(word_row) {
                *entry += add * *weight;
            }
        }
    }
    out
}

/// PennyLane's OrbitalRotation(φ) on four wires: exp(iφ G) with its generator
/// G = (X₀Z₁Y₂ − Y₀Z₁X₂ + X₁Z₂Y₃ − Y₁Z₂X₃)/4 (`qml.generator`).
pub(crate) fn orbital_rotation(phi: f64) -> Dense {
    let generator = pauli_sum(&[(0.25, "XZYI"), (-0.25, "YZXI"), (0.25, "IXZY"), (-0.25, "IYZX")]);
    exp_i(&generator, phi)
}
