//! The compiled circuit as a [`Model`] the training loop can train: the bridge from the simulator
//! and the gradients to the trainer.

use crate::grad;
use crate::ir::{Circuit, GradientMethod};
use crate::sim::{self, MemoryBudget, Shots};
use crate::train::run::{CotangentFn, Model, ModelError};

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
}

impl Model for SimModel<'_> {
    fn n_params(&self) -> usize {
        self.circuit.n_params()
    }

    fn n_outputs(&self) -> usize {
        self.n_outputs
    }

    fn forward(&self, features: &[f64], params: &[f64], shot_seed: u64) -> Result<Vec<f64>, ModelError> {
        let shots = self.shots.map(|count| Shots { count, seed: shot_seed });
        sim::execute_within(self.circuit, features, params, shots, self.memory)
            .map(|e| e.outputs)
            .map_err(|e| ModelError { code: Some(e.code()), message: e.to_string(), span: e.span() })
    }

    fn forward_with_jacobian(
        &self,
        features: &[f64],
        params: &[f64],
        shot_seed: u64,
    ) -> Result<(Vec<f64>, Vec<f64>), ModelError> {
        let shots = self.shots.map(|count| Shots { count, seed: shot_seed });
        let jacobian = grad::jacobian_with_options(self.circuit, features, params, self.method, shots, self.options());
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
        grad::vjp(self.circuit, features, params, self.method, shots, self.options(), cotangent).map_err(|error| {
            match error {
                grad::VjpError::Grad(error) => model_error(error),
                grad::VjpError::Cotangent(error) => error,
            }
        })
    }
}

impl SimModel<'_> {
    fn options(&self) -> grad::GradOptions {
        grad::GradOptions { memory: self.memory, ..grad::GradOptions::default() }
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
        let model = SimModel {
            circuit: &circuit,
            method: GradientMethod::Adjoint,
            shots: None,
            n_outputs: 1,
            memory: MemoryBudget::default(),
        };
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
            let model = SimModel { circuit: &circuit, method, shots, n_outputs: 6, memory: MemoryBudget::default() };
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
