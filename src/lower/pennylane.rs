//! PennyLane's templates (0.45), gate for gate: embeddings, layers, designs, chemistry and tensor networks.

use super::PlainGate;
use crate::ir::{BinOp, Expr, GateKind, Wire};

/// `R(x[i])` on wire i for each feature.
pub fn angle_embedding(features: &[Expr], rotation: GateKind, wires: &[Wire]) -> Vec<PlainGate> {
    features.iter().zip(wires).map(|(x, &w)| (rotation, vec![w], vec![x.clone()])).collect()
}

/// `x` on wire i where b[i] = 1. A bit that is only known at run time becomes `u3(π b, 0, π b)`,
/// which is exactly the identity for 0 and exactly X for 1 (no global phase, so it stays right
/// under `ctrl`).
pub fn basis_embedding(bits: &[Expr], wires: &[Wire]) -> Vec<PlainGate> {
    let mut gates = Vec::new();
    for (bit, &wire) in bits.iter().zip(wires) {
        match bit.constant() {
            Some(1.0) => gates.push((GateKind::X, vec![wire], vec![])),
            Some(_) => {}
            None => {
                let angle = Expr::binary(BinOp::Mul, Expr::Const(std::f64::consts::PI), bit.clone());
                gates.push((GateKind::U3, vec![wire], vec![angle.clone(), Expr::Const(0.0), angle]));
            }
        }
    }
    gates
}

/// Per repeat: `h` and `rz(x[i])` on each wire, then `multirz(x[i] x[j])` on every pair i < j.
pub fn iqp_embedding(features: &[Expr], repeats: usize, wires: &[Wire]) -> Vec<PlainGate> {
    let mut gates = Vec::new();
    for _ in 0..repeats {
        for (x, &wire) in features.iter().zip(wires) {
            gates.push((GateKind::H, vec![wire], vec![]));
            gates.push((GateKind::RZ, vec![wire], vec![x.clone()]));
        }
        for i in 0..wires.len() {
            for j in i + 1..wires.len() {
                let product = Expr::binary(BinOp::Mul, features[i].clone(), features[j].clone());
                gates.push((GateKind::MultiRZ, vec![wires[i], wires[j]], vec![product]));
            }
        }
    }
    gates
}

/// The operations and wire operands `iqp_embedding` on `n_wires` wires with `repeats` repeats
/// expands to, computed without building them.
pub fn iqp_embedding_size(n_wires: usize, repeats: usize) -> (u128, u128) {
    let n = n_wires as u128;
    let pairs = n * n.saturating_sub(1) / 2;
    let repeats = repeats as u128;
    (repeats * (2 * n + pairs), repeats * (2 * n + 2 * pairs))
}

/// `weights` is [L, n, 3] row-major; `ranges` has one entry per layer.
pub fn strongly_entangling_layers(
    weights: &[Expr],
    n_layers: usize,
    ranges: &[usize],
    imprimitive: GateKind,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for (layer, &range) in ranges.iter().enumerate().take(n_layers) {
        for (i, &wire) in wires.iter().enumerate() {
            let base = (layer * n + i) * 3;
            gates.push((GateKind::Rot, vec![wire], weights[base..base + 3].to_vec()));
        }
        if n > 1 {
            for i in 0..n {
                gates.push((imprimitive, vec![wires[i], wires[(i + range) % n]], vec![]));
            }
        }
    }
    gates
}

/// The default entangling ranges of strongly entangling layers: r_l = (l mod (n − 1)) + 1.
pub fn default_ranges(n_layers: usize, n_wires: usize) -> Vec<usize> {
    (0..n_layers).map(|l| if n_wires > 1 { (l % (n_wires - 1)) + 1 } else { 0 }).collect()
}

/// `weights` is [L, n] row-major.
pub fn basic_entangler_layers(weights: &[Expr], n_layers: usize, rotation: GateKind, wires: &[Wire]) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates = Vec::new();
    for layer in 0..n_layers {
        for (i, &wire) in wires.iter().enumerate() {
            gates.push((rotation, vec![wire], vec![weights[layer * n + i].clone()]));
        }
        if n == 2 {
            gates.push((GateKind::CNOT, vec![wires[0], wires[1]], vec![]));
        } else if n > 2 {
            for i in 0..n {
                gates.push((GateKind::CNOT, vec![wires[i], wires[(i + 1) % n]], vec![]));
            }
        }
    }
    gates
}

/// PennyLane's SimplifiedTwoDesign: `initial` is [n], `weights` is [L, n − 1, 2] row-major.
pub fn simplified_two_design(initial: &[Expr], weights: &[Expr], n_layers: usize, wires: &[Wire]) -> Vec<PlainGate> {
    let n = wires.len();
    let mut gates: Vec<PlainGate> =
        initial.iter().zip(wires).map(|(a, &w)| (GateKind::RY, vec![w], vec![a.clone()])).collect();
    let weight = |layer: usize, block: usize, k: usize| weights[(layer * (n - 1) + block) * 2 + k].clone();
    for layer in 0..n_layers {
        for i in 0..n / 2 {
            gates.push((GateKind::CZ, vec![wires[2 * i], wires[2 * i + 1]], vec![]));
            gates.push((GateKind::RY, vec![wires[2 * i]], vec![weight(layer, i, 0)]));
            gates.push((GateKind::RY, vec![wires[2 * i + 1]], vec![weight(layer, i, 1)]));
        }
        for i in 0..(n - 1) / 2 {
            gates.push((GateKind::CZ, vec![wires[2 * i + 1], wires[2 * i + 2]], vec![]));
            gates.push((GateKind::RY, vec![wires[2 * i + 1]], vec![weight(layer, n / 2 + i, 0)]));
            gates.push((GateKind::RY, vec![wires[2 * i + 2]], vec![weight(layer, n / 2 + i, 1)]));
        }
    }
    gates
}

/// PennyLane's QAOAEmbedding: `weights` is [L, d] row-major with d = 1 on one wire, 3 on two and
/// 2n on more. Per layer, the features (`rx(x[i])` on wire i, `h` on the wires past the last
/// feature), then the weights: on one wire the local field; on two, `multirz` on both and the local
/// field on each; on more, `multirz` on the ring (i, i + 1 mod n) and the local field on each wire.
/// The features once more at the end.
pub fn qaoa_embedding(
    features: &[Expr],
    weights: &[Expr],
    n_layers: usize,
    local_field: GateKind,
    wires: &[Wire],
) -> Vec<PlainGate> {
    let n = wires.len();
    let width = qaoa_weights_width(n);
    let encode = |gates: &mut Vec<PlainGate>| {
        for (i, &wire) in wires.iter().enumerate() {
            match features.get(i) {
                Some(x) => gates.push((GateKind::RX, vec![wire], vec![x.clone()])),
                None => gates.push((GateKind::H, vec![wire], vec![])),
            }
        }
    };
    let mut gates = Vec::new();
    for layer in 0..n_layers {
        encode(&mut gates);
        let weight = |k: usize| weights[layer * width + k].clone();
        match n {
            1 => gates.push((local_field, vec![wires[0]], vec![weight(0)])),
            2 => {
                gates.push((GateKind::MultiRZ, vec![wires[0], wires[1]], vec![weight(0)]));
                gates.push((local_field, vec![wires[0]], vec![weight(1)]));
                gates.push((local_field, vec![wires[1]], vec![weight(2)]));
            }
            _ => {
                for i in 0..n {
                    gates.push((GateKind::MultiRZ, vec![wires[i], wires[(i + 1) % n]], vec![weight(i)]));
                }
                for (i, &wire) in wires.iter().enumerate() {
                    gates.push((local_field, vec![wire], vec![weight(n + i)]));
                }
            }
        }
    }
    encode(&mut gates);
    gates
}

/// The second dimension of QAOAEmbedding's weights on `n_wires` wires: 1, 3, or 2n from 3 wires on.
pub fn qaoa_weights_width(n_wires: usize) -> usize {
    match n_wires {
        0 | 1 => 1,
        2 => 3,
        n => 2 * n,
    }
}

/// The choices that fix a `random_layers` circuit.
#[derive(Clone, Debug, PartialEq)]
pub struct RandomLayersOptions {
    pub seed: u64,
    /// The probability of drawing an entangler instead of a rotation, in [0, 1).
    pub ratio_imprimitive: f64,
    pub imprimitive: GateKind,
    /// The rotations drawn from, with equal probability.
    pub rotations: Vec<GateKind>,
}

/// A uniform number in [0, 1) from the top 53 bits of one 64-bit draw.
fn uniform(rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index below `count` (≥ 1): ⌊u · count⌋ of one uniform draw u.
fn index_below(rng: &mut rand_chacha::ChaCha8Rng, count: usize) -> usize {
    ((uniform(rng) * count as f64) as usize).min(count - 1)
}

/// PennyLane's RandomLayers with qmlc's own generator (the circuit is not PennyLane's for the same
/// seed): one ChaCha8 stream (`rand_chacha` 0.9, `ChaCha8Rng::seed_from_u64(seed)`) for the whole
/// template, and per layer, until the layer's `k` weights are placed, one uniform draw u (the top 53
/// bits of a 64-bit output, times 2⁻⁵³): if u > ratio, a rotation (a second draw picks it from
/// `rotations` as ⌊u · count⌋, a third its wire as ⌊u · n⌋) takes the next weight; otherwise, on two
/// wires or more, the entangler on two distinct wires (the first ⌊u · n⌋, the second ⌊u · (n − 1)⌋,
/// moved one up when it is not below the first). `weights` is [L, k] row-major. `None` when the
/// expansion would pass `max_gates` gates (a ratio close to 1 draws many entanglers).
pub fn random_layers(
    weights: &[Expr],
    n_layers: usize,
    options: &RandomLayersOptions,
    wires: &[Wire],
    max_gates: usize,
) -> Option<Vec<PlainGate>> {
    use rand::SeedableRng;
    let n = wires.len();
    let per_layer = weights.len().checked_div(n_layers).unwrap_or(0);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(options.seed);
    let mut gates = Vec::new();
    for layer in 0..n_layers {
        let mut placed = 0;
        while placed < per_layer {
            if gates.len() >= max_gates {
                return None;
            }
            if uniform(&mut rng) > options.ratio_imprimitive {
                let rotation = options.rotations[index_below(&mut rng, options.rotations.len())];
                let wire = wires[index_below(&mut rng, n)];
                gates.push((rotation, vec![wire], vec![weights[layer * per_layer + placed].clone()]));
                placed += 1;
            } else if n > 1 {
                let first = index_below(&mut rng, n);
                let mut second = index_below(&mut rng, n - 1);
                if second >= first {
                    second += 1;
                }
                gates.push((options.imprimitive, vec![wires[first], wires[second]], vec![]));
            }
        }
    }
    Some(gates)
}

/// PennyLane's AllSinglesDoubles: the basis state `hf` (`x` where a bit is 1), then
/// `double_excitation(w[s + j])` on each `doubles[j]`, then `single_excitation(w[i])` on each
/// `singles[i]` (s = the number of singles): the weights list the singles first, the gates the
/// doubles first. Excitation wires are indices into `wires`.
pub fn all_singles_doubles(
    weights: &[Expr],
    hf: &[Expr],
    singles: &[[usize; 2]],
    doubles: &[[usize; 4]],
    wires: &[Wire],
) -> Vec<PlainGate> {
    let mut gates = basis_embedding(hf, wires);
    for (j, double) in doubles.iter().enumerate() {
        let targets = double.iter().map(|&i| wires[i]).collect();
        gates.push((GateKind::DoubleExcitation, targets, vec![weights[singles.len() + j].clone()]));
    }
    for (i, single) in singles.iter().enumerate() {
        let targets = single.iter().map(|&k| wires[k]).collect();
        gates.push((GateKind::SingleExcitation, targets, vec![weights[i].clone()]));
    }
    gates
}

/// The wire indices of each block of PennyLane's MPS (`compute_indices_MPS`): blocks of
/// `block_wires` consecutive wires starting at 0, `offset` apart, over the first
/// n − (n mod ⌊block_wires / 2⌋) − offset starting points, each wholly inside the n wires.
/// The caller checks 2 ≤ block_wires ≤ n and 1 ≤ offset < block_wires.
pub fn mps_blocks(n_wires: usize, block_wires: usize, offset: usize) -> Vec<Vec<usize>> {
    let half = (block_wires / 2).max(1);
    let starts_below = (n_wires - n_wires % half).saturating_sub(offset);
    (0..starts_below)
        .step_by(offset.max(1))
        .filter(|&start| start + block_wires <= n_wires)
        .map(|start| (start..start + block_wires).collect())
        .collect()
}

/// The wire indices of each block of PennyLane's TTN (`compute_indices`), leaves first: on the
/// first m = b · 2^⌊log2(n / b)⌋ wires (b = `block_wires`, even), layer k pairs a half block with
/// the half block (2^k)·b/2 wires further, every 2^k·b wires. The caller checks 2 ≤ b ≤ n, b even.
pub fn ttn_blocks(n_wires: usize, block_wires: usize) -> Vec<Vec<usize>> {
    let ratio = n_wires / block_wires;
    let levels = usize::BITS - 1 - ratio.max(1).leading_zeros();
    let used = block_wires << levels;
    let half = block_wires / 2;
    let mut blocks = Vec::new();
    for layer in 0..=levels {
        let lower_shift = ((1usize << layer) - 1) * half;
        let upper_shift = ((1usize << (layer + 1)) - 1) * half;
        let step = (1usize << layer) * block_wires;
        for start in (0..used - half).step_by(step) {
            let mut block: Vec<usize> = (0..half).map(|i| start + lower_shift + i).collect();
            block.extend((0..half).map(|i| start + upper_shift + i));
            blocks.push(block);
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers(seed: u64) -> Vec<PlainGate> {
        let weights: Vec<Expr> = (0..12).map(|k| Expr::Const(k as f64)).collect();
        let options = RandomLayersOptions {
            seed,
            ratio_imprimitive: 0.3,
            imprimitive: GateKind::CNOT,
            rotations: vec![GateKind::RX, GateKind::RY, GateKind::RZ],
        };
        let wires: Vec<Wire> = (0..4).map(Wire).collect();
        random_layers(&weights, 3, &options, &wires, 10_000).expect("small")
    }

    #[test]
    fn random_layers_are_fixed_by_their_seed() {
        assert_eq!(layers(42), layers(42));
        assert_ne!(layers(42), layers(43));
        // Every weight is placed once, in order, on a rotation; the rest are distinct-wire entanglers.
        let gates = layers(7);
        let angles: Vec<Expr> = gates.iter().flat_map(|(_, _, angles)| angles.clone()).collect();
        assert_eq!(angles, (0..12).map(|k| Expr::Const(k as f64)).collect::<Vec<_>>());
        for (kind, wires, _) in &gates {
            if *kind == GateKind::CNOT {
                assert_ne!(wires[0], wires[1]);
            }
        }
    }

    #[test]
    fn a_ratio_near_one_stops_at_the_limit() {
        let options = RandomLayersOptions {
            seed: 1,
            ratio_imprimitive: 0.999_999,
            imprimitive: GateKind::CZ,
            rotations: vec![GateKind::RY],
        };
        let weights = vec![Expr::Const(0.5); 4];
        let wires: Vec<Wire> = (0..2).map(Wire).collect();
        assert_eq!(random_layers(&weights, 1, &options, &wires, 1000), None);
    }

    #[test]
    fn tensor_network_blocks_are_pennylanes() {
        // From `compute_indices_MPS` and `compute_indices` in PennyLane 0.45.
        assert_eq!(mps_blocks(4, 2, 1), vec![vec![0, 1], vec![1, 2], vec![2, 3]]);
        assert_eq!(mps_blocks(8, 4, 3), vec![vec![0, 1, 2, 3], vec![3, 4, 5, 6]]);
        assert_eq!(mps_blocks(8, 4, 2), vec![vec![0, 1, 2, 3], vec![2, 3, 4, 5], vec![4, 5, 6, 7]]);
        assert_eq!(ttn_blocks(4, 2), vec![vec![0, 1], vec![2, 3], vec![1, 3]]);
        assert_eq!(ttn_blocks(8, 4), vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7], vec![2, 3, 6, 7]]);
        assert_eq!(ttn_blocks(8, 2).len(), 7);
    }
}
