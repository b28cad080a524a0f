//! The compiled circuit as a [`Model`] the training loop can train: the bridge from the simulator
//! and the gradients to the trainer.

use crate::grad;
use crate::ir::{Circuit, GradientMethod};
use crate::sim::{self, MemoryBudget, Shots};
use crate::train::run::{Model, ModelError};

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
        let options = grad::GradOptions { memory: self.memory, ..grad::GradOptions::default() };
        let jacobian = grad::jacobian_with_options(self.circuit, features, params, self.method, shots, options);
        jacobian.map(|j| (j.outputs, j.values)).map_err(|e| {
            let (code, span) = match &e {
                grad::GradError::Sim(sim_error) => (Some(sim_error.code()), sim_error.span()),
                _ => (None, None),
            };
            ModelError { code, message: e.to_string(), span }
        })
    }
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
}
