//! The compiled execution plan: a circuit checked and turned once into steps and angle slots, the one seam between the engine and its users.
//!
//! A [`Plan`] is built once per circuit ([`Plan::compile`]) and then run many times, once per
//! sample or per shifted angle. Compiling does everything that does not depend on the values of
//! the inputs and params:
//! - the structural checks of [`crate::sim::validate`] (wires in range and distinct, arities,
//!   measurement wires), so that a run only checks the lengths of its input and param vectors;
//! - every gate angle becomes a slot with its source: a constant, one input, one param, or an
//!   expression to evaluate; a run fills the slots with one pass over a flat vector of angles
//!   (no tree walk for the common `ry(x[i])` or `rot(w[l, i, 0], …)`, no allocation per gate);
//! - gates whose angles are all constants become kernels at once;
//! - the bit position of every wire, and each gate's control mask, are worked out.
//!
//! Running ([`Plan::apply`]) turns the angle slots into kernels and hands the whole sequence
//! between state preparations to the cache-blocked executor ([`crate::sim::blocked::apply_all`]),
//! which may apply many kernels in one pass over a large state. A state large enough to be blocked
//! also has its kernels fused ([`crate::sim::kernels::fuse`]) first; a small one runs kernel by
//! kernel, unfused, so that its outputs agree bit for bit with the adjoint method's forward pass. Everything that runs a circuit — `sim::execute`, the gradient
//! methods, the trainer, the REPL's `:run` — goes through a plan.

use crate::ir::{Circuit, Expr, GateKind, Op, Wire};
use crate::sim::kernels::{gate_kernel, Kernel};
use crate::sim::{
    blocked, checked_embedding_amplitudes, checked_gate_angles, state, validate_structure, AngleShift, MemoryBudget,
    SimError, State,
};

/// Where the value of one angle slot comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum AngleSource {
    /// A constant (a literal, or an expression the front end folded).
    Const(f64),
    /// One element of the flat input vector, as it is.
    Input(usize),
    /// One element of the flat param vector, as it is (its derivative by that param is 1).
    Param(usize),
    /// Any other expression: angle `angle_slot` of the gate at `op_idx`, evaluated.
    Expr { op_idx: usize, angle_slot: usize },
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    /// Kernels whose angles are constants, built and fused at compile time.
    Fixed(Vec<Kernel>),
    /// A gate whose kernel is built at run time from the angle slots
    /// `first_slot..first_slot + kind.n_angles()`.
    Gate(PlannedGate),
    /// An amplitude embedding (the op at `op_idx`), prepared at run time.
    Embedding { op_idx: usize },
}

/// A gate with angles from slots.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlannedGate {
    pub op_idx: usize,
    pub kind: GateKind,
    pub wires: Vec<Wire>,
    pub controls: Vec<Wire>,
    pub first_slot: usize,
}

/// A circuit compiled for running: see the module's documentation.
#[derive(Clone, Debug)]
pub struct Plan<'c> {
    pub(crate) circuit: &'c Circuit,
    pub(crate) steps: Vec<Step>,
    /// One source per angle of every gate, in op order (a gate's angles are consecutive).
    pub(crate) slots: Vec<AngleSource>,
    /// The first slot of every op (for gates without angles and embeddings, where the next would start).
    pub(crate) first_slot_of_op: Vec<usize>,
    /// The largest input and param index any expression reads, plus one.
    inputs_read: usize,
    params_read: usize,
}

impl<'c> Plan<'c> {
    /// Checks the circuit's structure and compiles it.
    pub fn compile(circuit: &'c Circuit) -> Result<Plan<'c>, SimError> {
        validate_structure(circuit)?;
        let n_qubits = circuit.n_qubits;
        let bit_of = |wire: Wire| n_qubits - 1 - wire.index();
        let mut steps: Vec<Step> = Vec::with_capacity(circuit.ops.len());
        let mut slots = Vec::new();
        let mut first_slot_of_op = Vec::with_capacity(circuit.ops.len());
        let (mut inputs_read, mut params_read) = (0, 0);
        for (op_idx, op) in circuit.ops.iter().enumerate() {
            first_slot_of_op.push(slots.len());
            let expressions = match op {
                Op::Gate(gate) => &gate.angles,
                Op::StatePrep(prep) => &prep.amplitudes,
            };
            for expr in expressions {
                let mut inputs = Vec::new();
                crate::sim::collect_inputs(expr, &mut inputs);
                inputs_read = inputs.iter().fold(inputs_read, |read, index| read.max(index + 1));
                params_read = expr.params().iter().fold(params_read, |read, index| read.max(index + 1));
            }
            match op {
                Op::Gate(gate) => {
                    let constant: Option<Vec<f64>> = gate
                        .angles
                        .iter()
                        .map(|expr| match expr {
                            Expr::Const(value) if value.is_finite() => Some(*value),
                            _ => None,
                        })
                        .collect();
                    if let Some(angles) = constant {
                        let kernel = gate_kernel(gate.kind, &gate.wires, &gate.controls, &angles, bit_of);
                        match steps.last_mut() {
                            Some(Step::Fixed(kernels)) => kernels.push(kernel),
                            _ => steps.push(Step::Fixed(vec![kernel])),
                        }
                        continue;
                    }
                    let first_slot = slots.len();
                    for (angle_slot, expr) in gate.angles.iter().enumerate() {
                        slots.push(match expr {
                            Expr::Const(value) => AngleSource::Const(*value),
                            Expr::Input(index) => AngleSource::Input(*index),
                            Expr::Param(index) => AngleSource::Param(*index),
                            _ => AngleSource::Expr { op_idx, angle_slot },
                        });
                    }
                    steps.push(Step::Gate(PlannedGate {
                        op_idx,
                        kind: gate.kind,
                        wires: gate.wires.clone(),
                        controls: gate.controls.clone(),
                        first_slot,
                    }));
                }
                Op::StatePrep(_) => steps.push(Step::Embedding { op_idx }),
            }
        }
        Ok(Plan { circuit, steps, slots, first_slot_of_op, inputs_read, params_read })
    }

    /// The circuit this plan runs.
    pub fn circuit(&self) -> &'c Circuit {
        self.circuit
    }

    /// Checks the input and param vectors as [`crate::sim::validate`] does, for a compiled circuit.
    pub(crate) fn check_values(&self, inputs: &[f64], params: &[f64]) -> Result<(), SimError> {
        let circuit = self.circuit;
        if !circuit.inputs.is_empty() && inputs.len() != circuit.n_inputs() {
            return Err(SimError::InputCount { expected: circuit.n_inputs(), found: inputs.len() });
        }
        if !circuit.params.is_empty() && params.len() != circuit.n_params() {
            return Err(SimError::ParamCount { expected: circuit.n_params(), found: params.len() });
        }
        crate::sim::check_binary_inputs(circuit, inputs)?;
        if self.inputs_read > inputs.len() {
            return Err(SimError::InputCount { expected: self.inputs_read, found: inputs.len() });
        }
        if self.params_read > params.len() {
            return Err(SimError::ParamCount { expected: self.params_read, found: params.len() });
        }
        Ok(())
    }

    /// Every angle slot evaluated into `angles` (cleared first), with `shift` added to its angle,
    /// each checked to be a finite number (the error names the gate and how its angle was computed).
    pub(crate) fn angles_into(
        &self,
        inputs: &[f64],
        params: &[f64],
        shift: Option<AngleShift>,
        angles: &mut Vec<f64>,
    ) -> Result<(), SimError> {
        angles.clear();
        angles.reserve(self.slots.len());
        let mut all_finite = true;
        for source in &self.slots {
            let value = match *source {
                AngleSource::Const(value) => value,
                AngleSource::Input(index) => inputs[index],
                AngleSource::Param(index) => params[index],
                AngleSource::Expr { op_idx, angle_slot } => match &self.circuit.ops[op_idx] {
                    Op::Gate(gate) => gate.angles[angle_slot].eval(inputs, params),
                    Op::StatePrep(_) => 0.0,
                },
            };
            all_finite &= value.is_finite();
            angles.push(value);
        }
        if !all_finite {
            // The slow path finds the first op whose angle (or, before it, an embedding's
            // amplitude) is not finite, in the order a run meets them, and says why.
            for op in &self.circuit.ops {
                match op {
                    Op::Gate(gate) => {
                        checked_gate_angles(self.circuit, gate, inputs, params)?;
                    }
                    Op::StatePrep(prep) => {
                        checked_embedding_amplitudes(self.circuit, prep, inputs, params)?;
                    }
                }
            }
        }
        if let Some(shift) = shift {
            if let Some(slot) = self.slot_of(shift.op_idx, shift.angle_slot) {
                angles[slot] += shift.delta;
            }
        }
        Ok(())
    }

    /// The slot of angle `angle_slot` of the op at `op_idx`, if that angle has one (a gate with
    /// constant angles has none: it was compiled into a fixed kernel).
    pub(crate) fn slot_of(&self, op_idx: usize, angle_slot: usize) -> Option<usize> {
        let first = *self.first_slot_of_op.get(op_idx)?;
        let end = self.first_slot_of_op.get(op_idx + 1).copied().unwrap_or(self.slots.len());
        (first + angle_slot < end).then_some(first + angle_slot)
    }

    /// The kernel of a planned gate with the evaluated `angles` (all slots).
    pub(crate) fn gate_kernel(&self, gate: &PlannedGate, angles: &[f64]) -> Kernel {
        let n_qubits = self.circuit.n_qubits;
        let n_angles = gate.kind.n_angles();
        gate_kernel(
            gate.kind,
            &gate.wires,
            &gate.controls,
            &angles[gate.first_slot..gate.first_slot + n_angles],
            |wire: Wire| n_qubits - 1 - wire.index(),
        )
    }

    /// Applies every step to `state` with the evaluated `angles`. `kernels` is a buffer the caller
    /// may reuse between runs.
    pub(crate) fn apply(
        &self,
        state: &mut State,
        inputs: &[f64],
        params: &[f64],
        angles: &[f64],
        kernels: &mut Vec<Kernel>,
    ) -> Result<(), SimError> {
        kernels.clear();
        let parallel = state.is_parallel();
        for step in &self.steps {
            match step {
                Step::Fixed(fixed) => kernels.extend_from_slice(fixed),
                Step::Gate(gate) => kernels.push(self.gate_kernel(gate, angles)),
                Step::Embedding { op_idx } => {
                    flush(state, kernels, parallel);
                    if let Op::StatePrep(prep) = &self.circuit.ops[*op_idx] {
                        let amplitudes = checked_embedding_amplitudes(self.circuit, prep, inputs, params)?;
                        state::reflect_embedding(state, &prep.wires, &amplitudes);
                    }
                }
            }
        }
        flush(state, kernels, parallel);
        Ok(())
    }

    /// The state after every op, from |0…0⟩ within `budget`, with `shift` applied to one angle.
    pub(crate) fn final_state(
        &self,
        inputs: &[f64],
        params: &[f64],
        shift: Option<AngleShift>,
        budget: MemoryBudget,
    ) -> Result<State, SimError> {
        self.check_values(inputs, params)?;
        let mut angles = Vec::new();
        self.angles_into(inputs, params, shift, &mut angles)?;
        let mut state = State::zero_within(self.circuit.n_qubits, budget)?;
        let mut kernels = Vec::new();
        self.apply(&mut state, inputs, params, &angles, &mut kernels)?;
        Ok(state)
    }
}

/// Applies the pending kernels (fused first if the state is large enough to be blocked) and clears them.
fn flush(state: &mut State, kernels: &mut Vec<Kernel>, parallel: bool) {
    if blocked::is_blocked(state.amplitudes().len()) {
        *kernels = crate::sim::kernels::fuse(kernels);
    }
    blocked::apply_all(state.amplitudes_mut(), kernels, parallel);
    kernels.clear();
}
