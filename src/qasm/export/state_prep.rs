//! An amplitude embedding with known amplitudes as gates: a tree of controlled `ry` rotations that takes |0…0⟩ to the real amplitudes.
//!
//! Wire `wires[j]` is turned by an `ry` for every value of the wires before it (a uniformly
//! controlled rotation): the angle splits the weight of the amplitudes under that prefix between
//! the halves where `wires[j]` is 0 and 1. Above the last wire the weights are norms (never
//! negative); on the last wire the angle is taken from the two signed amplitudes themselves, so
//! the signs come out right and no phase gate is needed. The wires are |0…0⟩ and unentangled when
//! an embedding runs (the checker makes sure of it), so preparing the state from |0…0⟩ is enough.

use super::expr::number;
use crate::ir::Wire;

/// The statements that prepare `amplitudes` (normalized, 2^k of them, `wires[0]` the most
/// significant bit) on `wires` from |0…0⟩.
pub(super) fn gates(wires: &[Wire], amplitudes: &[f64], register: &str) -> String {
    let k = wires.len();
    let mut out = String::new();
    let operand = |wire: Wire| format!("{register}[{}]", wire.0);
    for level in 0..k {
        let block = 1usize << (k - level);
        for prefix in 0..(1usize << level) {
            let amplitudes = &amplitudes[prefix * block..(prefix + 1) * block];
            let (zero, one) = amplitudes.split_at(block / 2);
            let angle = if level + 1 == k { 2.0 * one[0].atan2(zero[0]) } else { 2.0 * norm(one).atan2(norm(zero)) };
            if angle == 0.0 {
                continue;
            }
            // The controls are the wires before this one; those whose bit of the prefix is 0 are
            // flipped around the rotation, so it acts on exactly this prefix.
            let controls = &wires[..level];
            let flipped: Vec<Wire> = controls
                .iter()
                .enumerate()
                .filter(|(position, _)| prefix >> (level - 1 - position) & 1 == 0)
                .map(|(_, &wire)| wire)
                .collect();
            for &wire in &flipped {
                out.push_str(&format!("x {};\n", operand(wire)));
            }
            let modifier = match level {
                0 => String::new(),
                1 => "ctrl @ ".to_string(),
                count => format!("ctrl({count}) @ "),
            };
            let operands: Vec<String> = controls.iter().chain([&wires[level]]).map(|&wire| operand(wire)).collect();
            out.push_str(&format!("{modifier}ry({}) {};\n", number(angle), operands.join(", ")));
            for &wire in &flipped {
                out.push_str(&format!("x {};\n", operand(wire)));
            }
        }
    }
    out
}

/// The Euclidean norm, scaled by the largest magnitude so that neither huge nor tiny amplitudes
/// overflow or vanish.
fn norm(values: &[f64]) -> f64 {
    let largest = values.iter().fold(0.0f64, |largest, value| largest.max(value.abs()));
    if largest == 0.0 {
        return 0.0;
    }
    largest * values.iter().map(|value| (value / largest) * (value / largest)).sum::<f64>().sqrt()
}
