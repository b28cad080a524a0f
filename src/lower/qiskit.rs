//! Qiskit's circuit library (2.x), gate for gate: the Z and Pauli feature maps and the n-local ansätze.

use super::PlainGate;
use crate::ir::{BinOp, Expr, GateKind, Wire};

/// How Qiskit's circuit library (2.x) picks the wire tuples a block of an entangling layer acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entanglement {
    /// Every tuple of increasing indices, in lexicographic order.
    Full,
    /// (0, 1, …), (1, 2, …), … along the line.
    Linear,
    /// The linear tuples from the last to the first.
    ReverseLinear,
    /// The tuples that wrap around the end first, then the linear ones.
    Circular,
}

impl Entanglement {
    /// The option's surface names, in the order the documentation lists them.
    pub const NAMES: [&'static str; 4] = ["full", "linear", "reverse_linear", "circular"];

    pub fn from_name(name: &str) -> Option<Entanglement> {
        match name {
            "full" => Some(Entanglement::Full),
            "linear" => Some(Entanglement::Linear),
            "reverse_linear" => Some(Entanglement::ReverseLinear),
            "circular" => Some(Entanglement::Circular),
            _ => None,
        }
    }

    /// The index tuples of size `block` on `n` qubits, in the order Qiskit's
    /// `crates/circuit_library/src/entanglement.rs` yields them.
    pub fn tuples(self, n: usize, block: usize) -> Vec<Vec<usize>> {
        if block == 0 || block > n {
            return Vec::new();
        }
        let linear: Vec<Vec<usize>> = (0..=n - block).map(|start| (start..start + block).collect()).collect();
        match self {
            Entanglement::Linear => linear,
            Entanglement::ReverseLinear => linear.into_iter().rev().collect(),
            // With one qubit per block, or one block over every qubit, there is nothing to wrap.
            Entanglement::Circular if block == 1 || block == n => linear,
            // The tuples that wrap around the end come first, from the one starting at n − block + 1.
            Entanglement::Circular => {
                (n - block + 1..n).map(|start| (0..block).map(|k| (start + k) % n).collect()).chain(linear).collect()
            }
            Entanglement::Full => {
                let mut tuples = Vec::new();
                let mut current: Vec<usize> = (0..block).collect();
                loop {
                    tuples.push(current.clone());
                    // The next combination in lexicographic order: bump the rightmost index that can grow.
                    let Some(position) = (0..block).rev().find(|&i| current[i] < n - block + i) else {
                        return tuples;
                    };
                    current[position] += 1;
                    for i in position + 1..block {
                        current[i] = current[i - 1] + 1;
                    }
                }
            }
        }
    }
}

/// `alpha · x[i]` for one index and `alpha · Π (π − x[j])` for several: Qiskit's default data map.
fn qiskit_feature_angle(features: &[Expr], indices: &[usize], alpha: f64) -> Expr {
    let data = if let [single] = indices {
        features[*single].clone()
    } else {
        indices
            .iter()
            .map(|&j| Expr::binary(BinOp::Sub, Expr::Const(std::f64::consts::PI), features[j].clone()))
            .reduce(|product, factor| Expr::binary(BinOp::Mul, product, factor))
            .unwrap_or(Expr::Const(1.0))
    };
    Expr::binary(BinOp::Mul, Expr::Const(alpha), data)
}

/// Qiskit's Z-string feature maps (`z_feature_map` is `paulis = ["Z"]`, `zz_feature_map` is
/// `["Z", "ZZ"]`): per rep, `h` on every wire, then for each block size in `blocks` and each of its
/// tuples, the evolution of the Z string: a `cnot` chain onto the tuple's last wire, `phase` of the
/// angle there, and the chain undone.
pub fn qiskit_z_feature_map(
    features: &[Expr],
    reps: usize,
    blocks: &[usize],
    entanglement: Entanglement,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for _ in 0..reps {
        gates.extend(wires.iter().map(|&wire| (GateKind::H, vec![wire], vec![])));
        for &block in blocks {
            for tuple in entanglement.tuples(n, block) {
                let chain: Vec<PlainGate> = tuple
                    .windows(2)
                    .map(|pair| (GateKind::CNOT, vec![wires[pair[0]], wires[pair[1]]], vec![]))
                    .collect();
                let last = wires[tuple[tuple.len() - 1]];
                gates.extend(chain.iter().cloned());
                gates.push((GateKind::Phase, vec![last], vec![qiskit_feature_angle(features, &tuple, 2.0)]));
                gates.extend(chain.into_iter().rev());
            }
        }
    }
    gates
}

/// The operations a Z-string feature map expands to, counted without building them.
pub fn qiskit_z_feature_map_size(
    n_wires: usize,
    reps: usize,
    blocks: &[usize],
    entanglement: Entanglement,
) -> (u128, u128) {
    let mut operations = n_wires as u128;
    let mut operands = n_wires as u128;
    for &block in blocks {
        let tuples = entanglement.tuples(n_wires, block).len() as u128;
        let chain = block.saturating_sub(1) as u128;
        operations += tuples * (2 * chain + 1);
        operands += tuples * (4 * chain + 1);
    }
    (operations * reps as u128, operands * reps as u128)
}

/// Qiskit's `pauli_feature_map`: per rep, `h` on every wire, then for each Pauli string (upper
/// case X, Y, Z, I; its last letter acts on a tuple's first wire, as Qiskit reads strings) and each
/// tuple of its length, the string's evolution: a basis change (`h` for X, `sx` for Y), a `cnot`
/// chain over the non-identity wires, `phase(alpha · φ)` on the last, and everything undone.
pub fn qiskit_pauli_feature_map(
    features: &[Expr],
    reps: usize,
    paulis: &[String],
    alpha: f64,
    entanglement: Entanglement,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for _ in 0..reps {
        gates.extend(wires.iter().map(|&wire| (GateKind::H, vec![wire], vec![])));
        for pauli in paulis {
            let letters: Vec<char> = pauli.chars().rev().collect();
            for tuple in entanglement.tuples(n, letters.len()) {
                let active: Vec<(Wire, char)> =
                    tuple.iter().zip(&letters).filter(|(_, &l)| l != 'I').map(|(&i, &l)| (wires[i], l)).collect();
                let Some(&(last, _)) = active.last() else { continue };
                // The basis change into Z (`h` for X, `sx` for Y) and back (`h`, `sxdg`).
                let basis_change = |y_gate: GateKind| -> Vec<PlainGate> {
                    active
                        .iter()
                        .filter_map(|&(wire, letter)| match letter {
                            'X' => Some((GateKind::H, vec![wire], vec![])),
                            'Y' => Some((y_gate, vec![wire], vec![])),
                            _ => None,
                        })
                        .collect()
                };
                let (before, after) = (basis_change(GateKind::SX), basis_change(GateKind::SXdg));
                let chain: Vec<PlainGate> =
                    active.windows(2).map(|pair| (GateKind::CNOT, vec![pair[0].0, pair[1].0], vec![])).collect();
                gates.extend(before);
                gates.extend(chain.iter().cloned());
                gates.push((GateKind::Phase, vec![last], vec![qiskit_feature_angle(features, &tuple, alpha)]));
                gates.extend(chain.into_iter().rev());
                gates.extend(after);
            }
        }
    }
    gates
}

/// The number of tuples `Entanglement::tuples` yields, counted without building them.
fn tuple_count(entanglement: Entanglement, n: usize, block: usize) -> u128 {
    if block == 0 || block > n {
        return 0;
    }
    let linear = (n - block + 1) as u128;
    match entanglement {
        Entanglement::Linear | Entanglement::ReverseLinear => linear,
        Entanglement::Circular if block == 1 || block == n => linear,
        Entanglement::Circular => linear + (block - 1) as u128,
        Entanglement::Full => (0..block as u128).fold(1u128, |c, i| c.saturating_mul(n as u128 - i) / (i + 1)),
    }
}

/// The operations and wire operands a Pauli feature map expands to, counted without building them.
pub fn qiskit_pauli_feature_map_size(
    n_wires: usize,
    reps: usize,
    paulis: &[String],
    entanglement: Entanglement,
) -> (u128, u128) {
    let mut operations = n_wires as u128;
    let mut operands = n_wires as u128;
    for pauli in paulis {
        let tuples = tuple_count(entanglement, n_wires, pauli.chars().count());
        let active = pauli.chars().filter(|&l| l != 'I').count() as u128;
        let basis = pauli.chars().filter(|&l| l == 'X' || l == 'Y').count() as u128;
        let per_tuple = 2 * basis + 2 * active.saturating_sub(1) + 1;
        let per_tuple_operands = 2 * basis + 4 * active.saturating_sub(1) + 1;
        operations = operations.saturating_add(tuples.saturating_mul(per_tuple));
        operands = operands.saturating_add(tuples.saturating_mul(per_tuple_operands));
    }
    (operations.saturating_mul(reps as u128), operands.saturating_mul(reps as u128))
}

/// Qiskit's `real_amplitudes` (`rotations = [RY]`) and `efficient_su2` (`[RY, RZ]`): per rep, one
/// layer of each rotation on every wire, then `cnot` on each entanglement pair; then a last layer of
/// rotations. `weights` is flat in Qiskit's order: layer by layer, rotation by rotation, wire by wire.
pub fn qiskit_n_local(
    weights: &[Expr],
    reps: usize,
    rotations: &[GateKind],
    entanglement: Entanglement,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let pairs = entanglement.tuples(n, 2);
    let mut gates = Vec::new();
    let mut next = weights.iter();
    for rep in 0..=reps {
        for &rotation in rotations {
            for (&wire, weight) in wires.iter().zip(next.by_ref()) {
                gates.push((rotation, vec![wire], vec![weight.clone()]));
            }
        }
        if rep < reps {
            gates.extend(pairs.iter().map(|pair| (GateKind::CNOT, vec![wires[pair[0]], wires[pair[1]]], vec![])));
        }
    }
    gates
}
