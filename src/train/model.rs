//! The compiled circuit as a [`Model`] the training loop can train: the bridge from the simulator
//! and the gradients to the trainer.

use crate::grad;
use crate::ir::{Circuit, Expr, GradientMethod, Init, Op, Param, Variable};
use crate::sim::batch::{self, BatchAngles, Scratch};
use crate::sim::pauli::PauliSum;
use crate::sim::{self, MemoryBudget, Plan, Shots};
use crate::train::run::{BatchCotangentFn, BatchRow, CotangentFn, Model, ModelError, RowVjp};

/// Circuits of up to this many qubits run many rows at once in the batch engine: there, per-row
/// overhead (kernels, angles, allocation) outweighs the work on 2^n amplitudes. Above it a row's
/// state vector is large enough for the one-row engine to run at full speed.
const MAX_BATCH_QUBITS: usize = 10;

/// The amplitudes of all the rows of one chunk together: 2^14 amplitudes (256 KiB per buffer)
/// keep the forward state and the cotangent state of the backward sweep in a core's L2 cache.
const CHUNK_AMPLITUDES: usize = 1 << 14;

/// The most rows one chunk takes, however small the circuit.
const MAX_LANES: usize = 256;

/// The amplitudes worth a thread of their own: at 4 qubits 256 rows, at 8 qubits 16 rows. Below
/// that, waking a thread and handing it the chunk costs about as much as the work.
const THREAD_AMPLITUDES: usize = 1 << 12;

/// The compiled circuit as the training loop sees it: features in, measured outputs and their
/// Jacobian out, by the block's gradient method and shots.
pub struct SimModel<'a> {
    pub circuit: &'a Circuit,
    pub method: GradientMethod,
    pub shots: Option<usize>,
    pub n_outputs: usize,
    /// The memory one row's evaluation may use: the run's budget shared among the threads that
    /// evaluate rows at the same time.
    pub memory: MemoryBudget,
    /// The circuit compiled once for the row-by-row path (`None` if it does not compile, in which
    /// case every evaluation reports why through the uncompiled entry points).
    plan: Option<Plan<'a>>,
    /// The batch engine, where it runs this circuit (see [`SimModel::new`]).
    engine: Option<BatchEngine<'a>>,
    /// For a model with `encode` layers, the circuit with its inputs read as params after its
    /// own (see [`inputs_as_params`]): every gradient method then gives the derivatives with
    /// respect to the inputs too, which the trainer carries back through the encode layers.
    inputs_as_params: Option<Circuit>,
}

/// What the batch engine keeps of a circuit between batches.
struct BatchEngine<'a> {
    plan: Plan<'a>,
    reads_inputs: Vec<bool>,
    observables: Vec<PauliSum>,
    /// The rows one chunk takes.
    lanes: usize,
}

impl<'a> SimModel<'a> {
    /// The model of `circuit`, evaluated by `method` with `shots`. Small circuits run exactly
    /// (without shots), with only expectation values measured and no amplitude embedding, go to
    /// the batch engine ([`crate::sim::batch`]): many rows in one pass per gate. Everything else
    /// runs row by row.
    pub fn new(
        circuit: &'a Circuit,
        method: GradientMethod,
        shots: Option<usize>,
        n_outputs: usize,
        memory: MemoryBudget,
    ) -> SimModel<'a> {
        if !circuit.encode.is_empty() {
            // Each row's inputs are then params of its own, which the batch engine (one param
            // vector for all rows) cannot take: rows run one by one, each compiled as it runs.
            let inputs_as_params = Some(inputs_as_params(circuit));
            return SimModel { circuit, method, shots, n_outputs, memory, plan: None, engine: None, inputs_as_params };
        }
        let plan = Plan::compile(circuit).ok();
        let engine = (shots.is_none() && circuit.n_qubits <= MAX_BATCH_QUBITS)
            .then(|| plan.clone())
            .flatten()
            .filter(batch::supports)
            .and_then(|plan| {
                let lanes = (CHUNK_AMPLITUDES >> circuit.n_qubits).clamp(1, MAX_LANES);
                // The forward state, the cotangent state and a copy, for every row of a chunk.
                let need = 3 * lanes as u64 * (16u64 << circuit.n_qubits);
                (need <= memory.limit_bytes).then(|| BatchEngine {
                    reads_inputs: batch::slots_reading_inputs(&plan),
                    observables: batch::observables(&plan),
                    plan,
                    lanes,
                })
            });
        SimModel { circuit, method, shots, n_outputs, memory, plan, engine, inputs_as_params: None }
    }

    /// The batch engine, if it computes this model's vector-Jacobian products: the adjoint
    /// method, which `auto` is for a product without shots.
    fn vjp_engine(&self) -> Option<&BatchEngine<'a>> {
        self.engine.as_ref().filter(|_| matches!(self.method, GradientMethod::Adjoint | GradientMethod::Auto))
    }
}

impl Model for SimModel<'_> {
    fn n_params(&self) -> usize {
        self.circuit.n_params()
    }

    fn n_outputs(&self) -> usize {
        self.n_outputs
    }

    fn n_input_gradients(&self) -> usize {
        self.inputs_as_params.as_ref().map_or(0, |_| self.circuit.n_inputs())
    }

    fn forward(&self, features: &[f64], params: &[f64], shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        let shots = self.shots.map(|count| Shots { count, seed: shot_seed });
        if let Some(circuit) = &self.inputs_as_params {
            let all: Vec<f64> = params.iter().chain(features).copied().collect();
            return sim::execute_within(circuit, &[], &all, shots, self.memory)
                .map(|e| e.outputs)
                .map_err(|e| ModelError { code: Some(e.code()), message: e.to_string(), span: e.span() });
        }
        let execution = match &self.plan {
            Some(plan) => plan.execute(features, params, shots, self.memory),
            None => sim::execute_within(self.circuit, features, params, shots, self.memory),
        };
        execution.map(|e| e.outputs).map_err(|e| ModelError {
            code: Some(e.code()),
            message: e.to_string(),
            span: e.span(),
        })
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let shots = self.shots.map(|count| Shots { count, seed: shot_seed });
        if let Some(circuit) = &self.inputs_as_params {
            let all: Vec<f64> = params.iter().chain(features).copied().collect();
            let jacobian = grad::jacobian_with_options(circuit, &[], &all, self.method, shots, self.options());
            return jacobian.map(|j| (j.outputs, j.values)).map_err(model_error);
        }
        let jacobian = match &self.plan {
            Some(plan) => grad::jacobian_planned(plan, features, params, self.method, shots, self.options()),
            None => grad::jacobian_with_options(self.circuit, features, params, self.method, shots, self.options()),
        };
        jacobian.map(|j| (j.outputs, j.values)).map_err(model_error)
    }

    /// The product straight from the gradients module: by the adjoint method one forward pass and
    /// one backward sweep with the cotangent-weighted operator, by the others the Jacobian times
    /// the cotangent.
    fn forward_with_vjp(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
        cotangent: &mut CotangentFn<'_>,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let shots = self.shots.map(|count| Shots { count, seed: shot_seed });
        if let Some(circuit) = &self.inputs_as_params {
            let all: Vec<f64> = params.iter().chain(features).copied().collect();
            return grad::vjp(circuit, &[], &all, self.method, shots, self.options(), cotangent).map_err(vjp_error);
        }
        match &self.plan {
            Some(plan) => grad::vjp_planned(plan, features, params, self.method, shots, self.options(), cotangent),
            None => grad::vjp(self.circuit, features, params, self.method, shots, self.options(), cotangent),
        }
        .map_err(vjp_error)
    }

    fn metric_tensor(
        &self,
        features: &[f64],
        params: &[f64],
        approx: crate::ir::MetricApprox,
    ) -> Result<Vec<f64>, ModelError> {
        // A circuit that does not compile has no plan; compiling it again gives the reason.
        let compiled;
        let plan = match &self.plan {
            Some(plan) => plan,
            None => {
                compiled = Plan::compile(self.circuit).map_err(|e| ModelError {
                    code: Some(e.code()),
                    message: e.to_string(),
                    span: e.span(),
                })?;
                &compiled
            }
        };
        grad::metric_tensor(plan, features, params, approx).map_err(model_error)
    }

    fn param_blocks(&self) -> Vec<std::ops::Range<usize>> {
        self.circuit
            .params
            .iter()
            .map(|param| param.variable.offset..param.variable.offset + param.variable.size())
            .collect()
    }

    fn batch_lanes(&self) -> usize {
        self.engine.as_ref().map_or(1, |engine| engine.lanes)
    }

    fn min_chunk_rows(&self) -> usize {
        self.engine.as_ref().map_or(1, |_| (THREAD_AMPLITUDES >> self.circuit.n_qubits).max(1))
    }

    /// The rows in the batch engine where it runs this circuit; rows whose inputs fail its checks
    /// run alone, which reports their errors as a single run does.
    fn forward_batch(&self, rows: &[BatchRow<'_>], params: &[f64]) -> Vec<Result<Vec<f64>, ModelError>> {
        let Some(engine) = &self.engine else {
            return rows.iter().map(|row| self.forward(row.features, params, row.shot_seed)).collect();
        };
        let inputs: Vec<&[f64]> = rows.iter().map(|row| row.features).collect();
        let (angles, checks) = batch::batch_angles(&engine.plan, &inputs, params);
        let outputs = SimModel::batch_outputs(engine, &angles);
        let n_outputs = engine.observables.len();
        let mut batched = outputs.chunks_exact(n_outputs.max(1));
        checks
            .iter()
            .zip(rows)
            .map(|(check, row)| match (check, batched.next()) {
                (Ok(()), Some(values)) if n_outputs > 0 => Ok(values.to_vec()),
                _ => self.forward(row.features, params, row.shot_seed),
            })
            .collect()
    }

    /// One forward pass and one backward sweep for all the rows at once where the batch engine
    /// computes this model's products ([`crate::grad::vjp_batch`]); rows it leaves out run alone.
    fn forward_with_vjp_batch(
        &self,
        rows: &[BatchRow<'_>],
        params: &[f64],
        cotangent: &mut BatchCotangentFn<'_>,
    ) -> Vec<RowVjp> {
        let Some(engine) = self.vjp_engine() else {
            return rows
                .iter()
                .enumerate()
                .map(|(position, row)| {
                    self.forward_with_vjp(row.features, params, row.shot_seed, &mut |measured| {
                        cotangent(position, measured)
                    })
                })
                .collect();
        };
        let inputs: Vec<&[f64]> = rows.iter().map(|row| row.features).collect();
        let results = grad::vjp_batch(&engine.plan, &inputs, params, &mut *cotangent);
        results
            .into_iter()
            .zip(rows)
            .enumerate()
            .map(|(position, (result, row))| match result {
                grad::BatchSample::Done { outputs, gradient } => Ok((outputs, gradient)),
                grad::BatchSample::Failed(error) => Err(vjp_error(error)),
                grad::BatchSample::Unbatched => {
                    self.forward_with_vjp(row.features, params, row.shot_seed, &mut |measured| {
                        cotangent(position, measured)
                    })
                }
            })
            .collect()
    }
}

impl SimModel<'_> {
    /// The measured outputs of the rows the batch engine can run (`angles`), or nothing.
    fn batch_outputs(engine: &BatchEngine<'_>, angles: &BatchAngles) -> Vec<f64> {
        if angles.n_samples == 0 {
            return Vec::new();
        }
        let state = batch::run(&engine.plan, &engine.reads_inputs, angles, &mut Scratch::default());
        batch::expvals(&state, &engine.observables)
    }

    fn options(&self) -> grad::GradOptions {
        grad::GradOptions { memory: self.memory, ..grad::GradOptions::default() }
    }
}

/// A copy of `circuit` whose inputs are params after its own: input element i becomes param
/// `n_params + i`, declared with the input's name and shape, so a gradient with respect to the
/// params of the copy ends with the derivatives with respect to the inputs.
pub fn inputs_as_params(circuit: &Circuit) -> Circuit {
    let n_params = circuit.n_params();
    let substitute = |expr: &Expr| replace_inputs(expr, n_params);
    let mut copy = circuit.clone();
    for op in &mut copy.ops {
        match op {
            Op::Gate(gate) => gate.angles = gate.angles.iter().map(substitute).collect(),
            Op::StatePrep(prep) => prep.amplitudes = prep.amplitudes.iter().map(substitute).collect(),
        }
    }
    for input in std::mem::take(&mut copy.inputs) {
        let variable = Variable { offset: n_params + input.offset, ..input };
        copy.params.push(Param { variable, init: Init::Zeros });
    }
    copy.binary_inputs.clear();
    copy
}

fn replace_inputs(expr: &Expr, n_params: usize) -> Expr {
    match expr {
        Expr::Input(index) => Expr::Param(n_params + index),
        Expr::Const(_) | Expr::Param(_) => expr.clone(),
        Expr::Neg(inner) => Expr::Neg(Box::new(replace_inputs(inner, n_params))),
        Expr::Binary(op, left, right) => {
            Expr::Binary(*op, Box::new(replace_inputs(left, n_params)), Box::new(replace_inputs(right, n_params)))
        }
        Expr::Call(func, inner) => Expr::Call(*func, Box::new(replace_inputs(inner, n_params))),
        Expr::Call2(func, left, right) => {
            Expr::Call2(*func, Box::new(replace_inputs(left, n_params)), Box::new(replace_inputs(right, n_params)))
        }
    }
}

/// A vector-Jacobian product's failure as the training loop reports it: the gradient's, or the
/// cotangent function's own.
fn vjp_error(error: grad::VjpError<ModelError>) -> ModelError {
    match error {
        grad::VjpError::Grad(error) => model_error(error),
        grad::VjpError::Cotangent(error) => error,
    }
}

/// A gradient failure as the training loop reports it, with the simulator's code and span if it has them.
fn model_error(error: grad::GradError) -> ModelError {
    let (code, span) = match &error {
        grad::GradError::Sim(sim_error) => (Some(sim_error.code()), sim_error.span()),
        _ => (None, None),
    };
    ModelError { code, message: error.to_string(), span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_gives_the_simulators_outputs_and_their_jacobian() {
        let text = "qubits 1\ninput x[1]\nparam theta[1]\ncircuit {\n    rx(x[0]) 0\n    ry(theta[0]) 0\n}\nmeasure expval(Z(0))\n";
        let output = crate::check::compile(text);
        let circuit = output.circuit.expect("the model compiles");
        let model = SimModel::new(&circuit, GradientMethod::Adjoint, None, 1, MemoryBudget::default());
        assert_eq!(model.n_params(), 1);
        let (x, theta) = (0.3, 0.7);
        // Rx(x) then Ry(theta) on |0⟩: ⟨Z⟩ = cos x cos θ, and its θ-derivative is -cos x sin θ.
        let outputs = model.forward(&[x], &[theta], 0).expect("the model runs");
        assert!((outputs[0] - x.cos() * theta.cos()).abs() < 1e-12, "{outputs:?}");
        let (outputs, jacobian) = model.forward_with_jacobian(&[x], &[theta], 0).expect("the model runs");
        assert!((outputs[0] - x.cos() * theta.cos()).abs() < 1e-12, "{outputs:?}");
        assert!((jacobian[0] + x.cos() * theta.sin()).abs() < 1e-12, "{jacobian:?}");
    }

    #[test]
    fn the_models_vjp_is_the_cotangent_times_its_jacobian_by_every_method() {
        let text = "qubits 3\ninput x[3]\nparam w[2, 3, 3]\ncircuit {\n    angle_embedding(x, rotation = Y)\n    strongly_entangling_layers(w)\n    ctrl(0) { rx(w[0, 1, 2] * w[1, 0, 1]) 2 }\n}\nmeasure expval(Z(0))\nmeasure var(X(1))\nmeasure probs(1, 2)\n";
        let output = crate::check::compile(text);
        let circuit = output.circuit.expect("the model compiles");
        let params: Vec<f64> = (0..circuit.n_params()).map(|idx| 0.3 + 0.17 * idx as f64).collect();
        let features = [0.4, -1.2, 2.1];
        for (method, shots) in [
            (GradientMethod::Adjoint, None),
            (GradientMethod::Auto, None),
            (GradientMethod::ParameterShift, None),
            (GradientMethod::FiniteDiff, None),
            (GradientMethod::ParameterShift, Some(200)),
        ] {
            let model = SimModel::new(&circuit, method, shots, 6, MemoryBudget::default());
            let (outputs, jacobian) = model.forward_with_jacobian(&features, &params, 5).expect("the Jacobian");
            let mut seen = Vec::new();
            let mut cotangent = |measured: &[f64]| {
                seen = measured.to_vec();
                Ok(measured.iter().enumerate().map(|(idx, y)| if idx == 2 { 0.0 } else { y - 0.5 }).collect())
            };
            let (vjp_outputs, gradient) =
                model.forward_with_vjp(&features, &params, 5, &mut cotangent).expect("the product");
            assert_eq!(seen, outputs, "{method:?}: the cotangent function sees the outputs");
            assert_eq!(vjp_outputs, outputs, "{method:?}");
            let weights: Vec<f64> =
                outputs.iter().enumerate().map(|(idx, y)| if idx == 2 { 0.0 } else { y - 0.5 }).collect();
            let expected = grad::vector_jacobian_product(&weights, &jacobian, params.len());
            assert!(expected.iter().any(|v| v.abs() > 1e-3), "{method:?}: the gradient is not trivially zero");
            if matches!(method, GradientMethod::Adjoint | GradientMethod::Auto) {
                for (v, e) in gradient.iter().zip(&expected) {
                    assert!((v - e).abs() < 1e-12, "{method:?}: {v} vs {e}");
                }
            } else {
                assert_eq!(gradient, expected, "{method:?}");
            }
        }
    }
}
