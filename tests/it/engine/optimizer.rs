//! The optimizer keeps the unitary of every conformance program.

use super::*;
use crate::fixture::conformance_programs;

// ---------------------------------------------------------------------------------------------
// The optimizer on the conformance programs
// ---------------------------------------------------------------------------------------------

/// The circuit with X gates in front that prepare basis state `basis` (wire 0 most significant).
fn from_basis_state(circuit: &Circuit, basis: usize) -> Circuit {
    let n_qubits = circuit.n_qubits;
    let mut ops: Vec<Op> = (0..n_qubits)
        .filter(|wire| basis >> (n_qubits - 1 - wire) & 1 == 1)
        .map(|wire| {
            Op::Gate(Gate {
                kind: GateKind::X,
                wires: vec![Wire(wire as u32)],
                angles: Vec::new(),
                controls: Vec::new(),
                span: Span::new(0, 0),
                template: None,
            })
        })
        .collect();
    ops.extend(circuit.ops.iter().cloned());
    Circuit { ops, ..circuit.clone() }
}

/// Each conformance program's unitary, column by column (the final state from every basis state,
/// for three random draws of params and inputs), is the same before and after optimization. A
/// program that starts with an amplitude embedding prepares a state rather than applying a
/// unitary to any input, so for it only the state from |0…0> is compared.
#[test]
fn the_optimizer_keeps_the_unitary_of_every_conformance_program() {
    let programs = conformance_programs();
    for path in programs {
        let circuit =
            qmlc::check::compile(&std::fs::read_to_string(&path).expect("readable")).circuit.expect("compiles");
        let (optimized, _) = qmlc::opt::optimize(&circuit);
        let prepares_a_state = circuit.ops.iter().any(|op| matches!(op, Op::StatePrep(_)));
        let columns = if prepares_a_state { 1 } else { 1 << circuit.n_qubits };
        for draw in 0..3 {
            let (params, inputs) = random_values(&circuit, draw);
            for basis in 0..columns {
                let before = final_amplitudes(&from_basis_state(&circuit, basis), &inputs, &params);
                let after = final_amplitudes(&from_basis_state(&optimized, basis), &inputs, &params);
                let difference = largest_difference(&before, &after);
                assert!(difference < 1e-10, "{}: column {basis} differs by {difference}", path.display());
            }
        }
    }
}
