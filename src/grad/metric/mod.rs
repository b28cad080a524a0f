//! The Fubini–Study metric tensor of a circuit's state with respect to its params, as PennyLane's
//! `qml.metric_tensor(qnode, approx = "block-diag" | "diag")` computes it, for `qng`.
//!
//! What PennyLane 0.45 does (`pennylane/gradients/metric_tensor.py`, `_metric_tensor_cov_matrix`,
//! and `pennylane/circuit_graph.py`), and how this module follows it:
//!
//! 1. **Expansion.** The tape is decomposed until every trainable operation has one parameter and a
//!    one-term generator; see [`expand`] for what that makes of each qmlc gate.
//! 2. **Layers** (`CircuitGraph.parametrized_layers`). The trainable parameters are visited in
//!    circuit order; each joins the current layer unless one of the current layer's operations is
//!    an ancestor of its operation in the circuit's DAG (whose edges join consecutive operations on
//!    a shared wire, controls included), in which case it opens a new layer. Non-trainable
//!    operations never start or join a layer, but carry ancestry. The rule is not greedy (PennyLane's
//!    own FIXME): `a0 b0 c1 d1` (letters on the wires given) layers as `[a0] [b0 c1] [d1]`. The
//!    operations of a layer therefore act on distinct wires, and their generators commute.
//! 3. **The state of a layer** (`iterate_parametrized_layers`): the circuit's operations that are
//!    ancestors of the layer's operations, applied in order to |0…0⟩. This module runs the circuit
//!    once instead: before a layer it applies every pending operation that precedes the layer's last
//!    operation and is neither in the layer nor a descendant of it, and holds back the others
//!    until the next layer. Those applied beyond the ancestors act on wires the layer does not touch
//!    and commute past everything held back, so the state of the layer's wires is the same.
//! 4. **Generators** (`qml.generator(op)` as (observable, prefactor)): G = prefactor · observable with
//!    U(θ) = exp(iθG). `rx ry rz` and their controlled and Ising forms: −½ P⊗…⊗P (with
//!    `Projector([1])` on each control), e.g. `RX` → (X, −0.5), `CRX` → (X ⊗ |1⟩⟨1|, −0.5);
//!    `phase` and `cphase` (and controlled phases): +1 · |1…1⟩⟨1…1|. Here G comes from the adjoint
//!    method's [`adjoint::generator`](super::adjoint::generator): dU/dθ = f Π W U with f imaginary, so
//!    G = −i f Π W, the same operators with the same signs (−½ for Pauli rotations, +1 for phases).
//! 5. **Blocks** (`qml.math.cov_matrix` on the probabilities in the generators' shared eigenbasis):
//!    g_ij = ⟨G_i G_j⟩ − ⟨G_i⟩⟨G_j⟩ for i, j in one layer; with `diag`, only i = j. Across layers, 0.
//!    Here ⟨G_i⟩ = c_i ⟨Π_i W_i⟩, ⟨G_i²⟩ = c_i² ⟨Π_i⟩ (W² = 1) and ⟨G_i G_j⟩ = c_i c_j ⟨Π_i Π_j W_i W_j⟩,
//!    each one pass of [`PauliWord::matrix_element`] over the state, with no matrix built.
//! 6. **Classical Jacobian** (`_contract_metric_tensor_with_cjac`): the metric over the QNode's
//!    arguments is cjacᵀ · g · cjac, cjac[k][p] = d angle_k / d param_p. Here each expanded gate's
//!    angle is a combination of its gate's angle expressions, differentiated by the chain rule
//!    (`checked_partials`), so a param used by several gates, or an angle of several params, sums
//!    correctly, and with `diag` a param used twice still gets off-diagonal entries.
//!
//! One deliberate difference: PennyLane 0.45's `cov_matrix` pairs an observable's eigenvalues, which
//! follow its wires as listed, with `marginal_prob`'s probabilities, which follow sorted wires. For a
//! generator listed out of wire order whose eigenvalues are not symmetric under the reordering —
//! `CRX(θ, wires=[0, 1])`'s is `X(1) @ Projector([1], 0)` — and for the cross term of two such
//! observables, it returns the covariance of the wrong operator (the metric of `crx 0, 1` comes out
//! as that of `crx 1, 0`). This module computes the covariance of the right operator; the fixture
//! (`tests/fixtures/metric/`) shows the patched PennyLane agreeing with finite differences of the
//! state, and keeps PennyLane's unpatched output beside it.
//!
//! Exact execution only: PennyLane estimates the probabilities with shots when the device has them;
//! here the metric is always exact (it preconditions the step; its noise would only add noise).
//! Amplitude embeddings of inputs are applied as in a run; one whose amplitudes depend on a param
//! is refused, as the gradients refuse it.

mod expand;

pub(crate) use expand::first_unsupported_gate;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use super::adjoint::{generator, GeneratorOperator};
use super::{checked_partials, GradError};
use crate::ir::{MetricApprox, Op, Wire};
use crate::sim::pauli::PauliWord;
use crate::sim::plan::Plan;
use crate::sim::state::{reflect_embedding, State};
use crate::sim::{checked_embedding_amplitudes, MemoryBudget};
use expand::{Element, ElementaryGate};

/// The metric tensor g of the circuit's state at (`inputs`, `params`), `n_params × n_params`
/// row-major (`values[i * n_params + j]`), with the classical Jacobian of the angle expressions
/// applied as PennyLane does (`cjacᵀ · g_gates · cjac`). See the module's documentation.
pub fn metric_tensor(
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
    approx: MetricApprox,
) -> Result<Vec<f64>, GradError> {
    let circuit = plan.circuit();
    plan.check_values(inputs, params)?;
    let elements = expand::expand(circuit)?;
    let mut slot_values = Vec::new();
    plan.angles_into(inputs, params, None, &mut slot_values)?;
    // Every gate's evaluated angles (from its plan slots, or its constants if it has none).
    let gate_angles: Vec<Vec<f64>> = circuit
        .ops
        .iter()
        .enumerate()
        .map(|(op_idx, op)| match op {
            Op::Gate(gate) => (0..gate.angles.len())
                .map(|slot| match plan.slot_of(op_idx, slot) {
                    Some(plan_slot) => slot_values[plan_slot],
                    None => gate.angles[slot].constant().unwrap_or(0.0),
                })
                .collect(),
            Op::StatePrep(_) => Vec::new(),
        })
        .collect();

    let n_qubits = circuit.n_qubits;
    let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
    let masks: Vec<usize> =
        elements.iter().map(|element| element.wires().fold(0usize, |mask, wire| mask | 1 << bit_of(*wire))).collect();
    let layers = parametrized_layers(&elements, &masks);

    let n_params = params.len();
    let mut metric = vec![0.0; n_params * n_params];
    let mut state = State::zero_within(n_qubits, MemoryBudget::default())?;
    let mut pending: Vec<usize> = (0..elements.len()).collect();
    for layer in &layers {
        // The state the layer's generators are measured in (see step 3 of the module's documentation).
        let last = layer.last().copied().unwrap_or(0);
        let mut held_back = 0usize;
        let mut still_pending = Vec::with_capacity(pending.len());
        for &element_idx in &pending {
            let in_layer = layer.binary_search(&element_idx).is_ok();
            if element_idx > last {
                still_pending.push(element_idx);
            } else if in_layer || masks[element_idx] & held_back != 0 {
                held_back |= masks[element_idx];
                still_pending.push(element_idx);
            } else {
                apply_element(&mut state, &elements[element_idx], &gate_angles, plan, inputs, params)?;
            }
        }
        pending = still_pending;

        // Each gate of the layer: its Hermitian generator c Π W, and d angle / d param.
        let mut generators = Vec::with_capacity(layer.len());
        let mut partials = Vec::with_capacity(layer.len());
        for &element_idx in layer {
            let Element::Gate(gate) = &elements[element_idx] else { continue };
            let adjoint_generator = generator(gate.kind, &gate.wires, &gate.controls, bit_of);
            // Only gates generated by a Pauli word (or a projector) reach a layer: `expand` refuses
            // the others, such as the excitation gates, whose generators are sums of words.
            let GeneratorOperator::Word(word) = adjoint_generator.operator else {
                return Err(GradError::MetricUnsupportedGate {
                    op_idx: gate.op_idx,
                    gate: gate.kind.name(),
                    n_controls: gate.controls.len(),
                });
            };
            // dU/dθ = f Π W U with f imaginary, and U = exp(iθG), so G = −i f Π W = Im(f) Π W.
            generators.push(Hermitian {
                coefficient: adjoint_generator.factor.im,
                word,
                projector_mask: adjoint_generator.projector_mask,
            });
            partials.push(angle_partials(gate, plan, &gate_angles, inputs, params)?);
        }
        let block = covariance(&state, &generators, approx);
        let size = generators.len();
        for i in 0..size {
            for j in 0..size {
                let entry = block[i * size + j];
                if entry == 0.0 {
                    continue;
                }
                for &(p, dp) in &partials[i] {
                    for &(q, dq) in &partials[j] {
                        metric[p * n_params + q] += dp * entry * dq;
                    }
                }
            }
        }
    }
    // The sums above add the same products in different orders for (p, q) and (q, p).
    for p in 0..n_params {
        for q in p + 1..n_params {
            let mean = 0.5 * (metric[p * n_params + q] + metric[q * n_params + p]);
            metric[p * n_params + q] = mean;
            metric[q * n_params + p] = mean;
        }
    }
    Ok(metric)
}

/// The trainable elements grouped into PennyLane's parametrized layers (step 2 of the module's
/// documentation), each layer's element indices in increasing order.
fn parametrized_layers(elements: &[Element], masks: &[usize]) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = Vec::new();
    // The bits whose latest operation is the current layer's or a descendant of it.
    let mut descendant_bits = 0usize;
    for (element_idx, element) in elements.iter().enumerate() {
        let depends_on_layer = masks[element_idx] & descendant_bits != 0;
        if element.trainable() {
            match layers.last_mut() {
                Some(layer) if !depends_on_layer => layer.push(element_idx),
                _ => {
                    layers.push(vec![element_idx]);
                    descendant_bits = 0;
                }
            }
            descendant_bits |= masks[element_idx];
        } else if depends_on_layer {
            descendant_bits |= masks[element_idx];
        }
    }
    layers
}

/// A Hermitian generator `coefficient · Π W`, Π the projector onto the bits of `projector_mask`
/// being 1 (disjoint from W's bits).
#[derive(Clone, Copy, Debug)]
struct Hermitian {
    coefficient: f64,
    word: PauliWord,
    projector_mask: usize,
}

/// The covariance matrix (row-major, `generators.len()` square) of commuting generators on
/// distinct wires in `state`; with [`MetricApprox::Diag`], its diagonal only.
fn covariance(state: &State, generators: &[Hermitian], approx: MetricApprox) -> Vec<f64> {
    let size = generators.len();
    let expectation = |word: PauliWord, mask: usize| word.matrix_element(state, state, mask).re;
    let means: Vec<f64> = generators
        .iter()
        .map(|generator| generator.coefficient * expectation(generator.word, generator.projector_mask))
        .collect();
    let mut block = vec![0.0; size * size];
    for (i, first) in generators.iter().enumerate() {
        // W² = 1 and Π² = Π, so G² = c² Π.
        let square = first.coefficient * first.coefficient * expectation(PauliWord::default(), first.projector_mask);
        block[i * size + i] = square - means[i] * means[i];
        if approx == MetricApprox::Diag {
            continue;
        }
        for (j, second) in generators.iter().enumerate().skip(i + 1) {
            // On distinct wires the product of the two words is the word of both.
            let product = PauliWord {
                x_mask: first.word.x_mask | second.word.x_mask,
                z_mask: first.word.z_mask | second.word.z_mask,
            };
            let joint = first.coefficient
                * second.coefficient
                * expectation(product, first.projector_mask | second.projector_mask);
            let entry = joint - means[i] * means[j];
            block[i * size + j] = entry;
            block[j * size + i] = entry;
        }
    }
    block
}

/// d angle / d param of an expanded gate, over the params its angle reads, by the chain rule
/// through its gate's angle expressions.
fn angle_partials(
    gate: &ElementaryGate,
    plan: &Plan<'_>,
    gate_angles: &[Vec<f64>],
    inputs: &[f64],
    params: &[f64],
) -> Result<Vec<(usize, f64)>, GradError> {
    let circuit = plan.circuit();
    let Op::Gate(source) = &circuit.ops[gate.op_idx] else { return Ok(Vec::new()) };
    let mut partials: Vec<(usize, f64)> = Vec::new();
    for &(slot, coefficient) in gate.angle.iter().flatten() {
        let angle = gate_angles[gate.op_idx][slot];
        for (param_idx, derivative) in checked_partials(circuit, source, slot, angle, inputs, params)? {
            match partials.iter_mut().find(|(known, _)| *known == param_idx) {
                Some((_, total)) => *total += coefficient * derivative,
                None => partials.push((param_idx, coefficient * derivative)),
            }
        }
    }
    Ok(partials)
}

/// Applies one element of the expanded circuit to `state`.
fn apply_element(
    state: &mut State,
    element: &Element,
    gate_angles: &[Vec<f64>],
    plan: &Plan<'_>,
    inputs: &[f64],
    params: &[f64],
) -> Result<(), GradError> {
    let circuit = plan.circuit();
    let n_qubits = circuit.n_qubits;
    match element {
        Element::Gate(gate) => {
            let source = &gate_angles[gate.op_idx];
            let angles: Vec<f64> = match &gate.angle {
                None => source.clone(),
                Some(terms) => vec![terms.iter().map(|(slot, coefficient)| coefficient * source[*slot]).sum()],
            };
            let kernel = crate::sim::kernels::gate_kernel(gate.kind, &gate.wires, &gate.controls, &angles, |wire| {
                n_qubits - 1 - wire.index()
            });
            let parallel = state.is_parallel();
            kernel.apply(state.amplitudes_mut(), parallel);
        }
        Element::Embedding { op_idx, wires } => {
            if let Op::StatePrep(prep) = &circuit.ops[*op_idx] {
                let amplitudes = checked_embedding_amplitudes(circuit, prep, inputs, params)?;
                reflect_embedding(state, wires, &amplitudes);
            }
        }
    }
    Ok(())
}
