//! The classical parts of a model, trained with the circuit: the head after the measured outputs and the `encode` layers before the inputs.
//!
//! Both are [`Layers`] stacks. Their trainable numbers live in one flat vector, the head's first
//! and then the encode layers', so that the trainer steps them with the circuit's params as one
//! vector and a model without `encode` keeps the layout (and the numbers) it always had. In a
//! params file they are `head.K.weight`, `head.K.bias`, `encode.K.weight` and `encode.K.bias`.

use crate::ir::Layer;
use crate::train::layers::{LayerTensor, Layers, LayersTrace, Role};

/// The head's trace, by its old name.
pub type HeadTrace = LayersTrace;

/// One named tensor of the head or the encode layers, by its old name.
pub type HeadTensor = LayerTensor;

/// A model's head and encode layers, and their current params.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    head: Layers,
    encode: Layers,
    /// The flat params: the head's, then the encode layers' (see the module documentation).
    pub params: Vec<f64>,
}

impl Head {
    /// A head with PyTorch's `nn.Linear` initialisation from the seed's head stream (see
    /// [`Layers::initial_params`]), and no encode layers.
    pub fn new(layers: &[Layer], n_inputs: usize, seed: u64) -> Head {
        let head = Layers::new(Role::Head, layers, n_inputs);
        let params = head.initial_params(seed);
        Head { head, encode: Layers::new(Role::Encode, &[], 0), params }
    }

    /// The head of a model without one: its outputs are its inputs.
    pub fn identity(n_inputs: usize) -> Head {
        Head::new(&[], n_inputs, 0)
    }

    /// The same encode layers, with their params, and no head layers: the outputs are the
    /// `n_inputs` measured values (`run --measure`, which measures the circuit otherwise).
    pub fn encode_only(&self, n_inputs: usize) -> Head {
        let n_head = self.n_head_params();
        Head {
            head: Layers::new(Role::Head, &[], n_inputs),
            encode: self.encode.clone(),
            params: self.params[n_head..].to_vec(),
        }
    }

    /// The same head with the encode layers `layers` on data rows of `n_features` values, their
    /// params drawn from the seed's encode stream (so the head's initial values do not change).
    /// Replaces any encode layers the head had.
    pub fn with_encode(mut self, layers: &[Layer], n_features: usize, seed: u64) -> Head {
        let n_head = self.n_head_params();
        self.params.truncate(n_head);
        self.encode = Layers::new(Role::Encode, layers, n_features);
        self.params.extend(self.encode.initial_params(seed));
        self
    }

    /// The head's layers.
    pub fn layers(&self) -> &[Layer] {
        self.head.layers()
    }

    /// The encode layers' layout.
    pub fn encode(&self) -> &Layers {
        &self.encode
    }

    /// The number of measured outputs the head reads.
    pub fn n_inputs(&self) -> usize {
        self.head.n_inputs()
    }

    pub fn n_outputs(&self) -> usize {
        self.head.n_outputs()
    }

    /// The head's and the encode layers' params together.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// The head's own params, the first of [`Head::params`].
    pub fn n_head_params(&self) -> usize {
        self.head.n_params()
    }

    /// The values a data row has (after any scaling): the encode layers' input width, or `None`
    /// without encode layers (a row is then the circuit's inputs).
    pub fn n_features(&self) -> Option<usize> {
        (!self.encode.is_empty()).then(|| self.encode.n_inputs())
    }

    /// The named tensors of the flat param vector, in order: the head's, then the encode layers'.
    pub fn tensors(&self) -> Vec<HeadTensor> {
        let n_head = self.n_head_params();
        let mut tensors = self.head.tensors();
        tensors.extend(
            self.encode.tensors().into_iter().map(|tensor| LayerTensor { offset: tensor.offset + n_head, ..tensor }),
        );
        tensors
    }

    /// The head's outputs for the measured outputs `inputs`, with its own params.
    pub fn forward(&self, inputs: &[f64]) -> Vec<f64> {
        self.trace(&self.params, inputs).outputs().to_vec()
    }

    /// The head's forward pass with the params `params` (of this head's layout), keeping what the
    /// backward pass needs.
    pub fn trace(&self, params: &[f64], inputs: &[f64]) -> HeadTrace {
        self.head.trace(&params[..self.n_head_params().min(params.len())], inputs)
    }

    /// The vector-Jacobian product of the head: given d loss / d outputs, returns (d loss / d
    /// params, d loss / d inputs), the first as long as [`Head::params`] (the encode layers' part
    /// zero). The second is what flows into the circuit's Jacobian.
    pub fn backward(&self, params: &[f64], trace: &HeadTrace, d_outputs: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let n_head = self.n_head_params().min(params.len());
        let (mut d_params, d_inputs) = self.head.backward(&params[..n_head], trace, d_outputs);
        d_params.resize(params.len(), 0.0);
        (d_params, d_inputs)
    }

    /// The encode layers' forward pass on a data row with the params `params` (of this head's
    /// layout); its outputs are the circuit's inputs. Without encode layers the row passes through.
    pub fn encode_trace(&self, params: &[f64], features: &[f64]) -> LayersTrace {
        let n_head = self.n_head_params().min(params.len());
        self.encode.trace(&params[n_head..], features)
    }

    /// The vector-Jacobian product of the encode layers: given d loss / d circuit inputs, adds
    /// d loss / d encode params into `d_params` (as long as [`Head::params`]).
    pub fn encode_backward(&self, params: &[f64], trace: &LayersTrace, d_inputs: &[f64], d_params: &mut [f64]) {
        let n_head = self.n_head_params().min(params.len());
        let (d_encode, _) = self.encode.backward(&params[n_head..], trace, d_inputs);
        for (total, value) in d_params[n_head..].iter_mut().zip(d_encode) {
            *total += value;
        }
    }

    /// The circuit's inputs for a data row (after any scaling): the row through the encode layers
    /// with the current params, or the row itself without encode layers. `predict`, `run` and
    /// `grad` call this where they call [`crate::train::model_inputs`], as training does.
    pub fn encode_row(&self, features: &[f64]) -> Vec<f64> {
        if self.encode.is_empty() {
            return features.to_vec();
        }
        self.encode_trace(&self.params, features).outputs().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_head() -> Head {
        Head::new(
            &[
                Layer::Linear { out_features: 3, bias: true },
                Layer::Tanh,
                Layer::Linear { out_features: 2, bias: true },
                Layer::Sigmoid,
            ],
            4,
            11,
        )
    }

    #[test]
    fn linear_init_follows_pytorch_bounds_and_the_seed() {
        let head = Head::new(
            &[
                Layer::Linear { out_features: 3, bias: true },
                Layer::Relu,
                Layer::Linear { out_features: 2, bias: true },
            ],
            4,
            5,
        );
        assert_eq!(head.n_params(), 3 * 4 + 3 + 2 * 3 + 2);
        assert_eq!(head.n_outputs(), 2);
        let first_bound = 1.0 / 2.0;
        let second_bound = 1.0 / 3f64.sqrt();
        assert!(head.params[..15].iter().all(|v| v.abs() <= first_bound));
        assert!(head.params[15..].iter().all(|v| v.abs() <= second_bound));
        assert_eq!(head, Head::new(head.layers(), 4, 5));
        assert_ne!(head, Head::new(head.layers(), 4, 6));
    }

    #[test]
    fn tensors_are_named_by_layer_position_as_pytorch_sequential() {
        let head = Head::new(
            &[
                Layer::Linear { out_features: 3, bias: true },
                Layer::Relu,
                Layer::Linear { out_features: 2, bias: true },
            ],
            4,
            5,
        );
        let tensors = head.tensors();
        let names: Vec<&str> = tensors.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias"]);
        assert_eq!(tensors[0].shape, vec![3, 4]);
        assert_eq!(tensors[2].shape, vec![2, 3]);
        assert_eq!(tensors[3].offset, 15 + 6);
    }

    #[test]
    fn a_linear_layer_computes_weights_times_inputs_plus_bias() {
        let mut head = Head::new(&[Layer::Linear { out_features: 2, bias: true }], 2, 0);
        head.params = vec![1.0, 2.0, 3.0, 4.0, 0.5, -0.5];
        assert_eq!(head.forward(&[1.0, -1.0]), vec![1.0 - 2.0 + 0.5, 3.0 - 4.0 - 0.5]);
    }

    #[test]
    fn the_identity_head_passes_outputs_through() {
        let head = Head::identity(3);
        assert_eq!(head.forward(&[0.1, 0.2, 0.3]), vec![0.1, 0.2, 0.3]);
        let trace = head.trace(&[], &[0.1, 0.2, 0.3]);
        assert_eq!(head.backward(&[], &trace, &[1.0, 2.0, 3.0]), (vec![], vec![1.0, 2.0, 3.0]));
    }

    /// A scalar function of the head's outputs, to check the backward pass against finite differences.
    fn weighted_sum(head: &Head, head_params: &[f64], inputs: &[f64], weights: &[f64]) -> f64 {
        head.trace(head_params, inputs).outputs().iter().zip(weights).map(|(y, w)| y * w).sum()
    }

    #[test]
    fn backward_matches_finite_differences() {
        for layers in [
            vec![
                Layer::Linear { out_features: 3, bias: true },
                Layer::Tanh,
                Layer::Linear { out_features: 2, bias: true },
                Layer::Sigmoid,
            ],
            vec![
                Layer::Linear { out_features: 5, bias: true },
                Layer::Relu,
                Layer::Linear { out_features: 2, bias: true },
            ],
            vec![Layer::Sigmoid, Layer::Linear { out_features: 2, bias: true }, Layer::Tanh],
        ] {
            let head = Head::new(&layers, 4, 3);
            let inputs = [0.3, -0.7, 0.2, 0.9];
            let weights = [1.5, -0.8];
            let trace = head.trace(&head.params, &inputs);
            let (d_params, d_inputs) = head.backward(&head.params, &trace, &weights);
            let step = 1e-6;
            for param_idx in 0..head.n_params() {
                let mut plus = head.params.clone();
                let mut minus = head.params.clone();
                plus[param_idx] += step;
                minus[param_idx] -= step;
                let numeric = (weighted_sum(&head, &plus, &inputs, &weights)
                    - weighted_sum(&head, &minus, &inputs, &weights))
                    / (2.0 * step);
                assert!(
                    (numeric - d_params[param_idx]).abs() < 1e-8,
                    "param {param_idx}: {numeric} vs {}",
                    d_params[param_idx]
                );
            }
            for input_idx in 0..inputs.len() {
                let mut plus = inputs;
                let mut minus = inputs;
                plus[input_idx] += step;
                minus[input_idx] -= step;
                let numeric = (weighted_sum(&head, &head.params, &plus, &weights)
                    - weighted_sum(&head, &head.params, &minus, &weights))
                    / (2.0 * step);
                assert!(
                    (numeric - d_inputs[input_idx]).abs() < 1e-8,
                    "input {input_idx}: {numeric} vs {}",
                    d_inputs[input_idx]
                );
            }
        }
    }

    #[test]
    fn sigmoid_does_not_overflow_in_either_tail() {
        let head = sample_head();
        let outputs = head.forward(&[1e6, -1e6, 1e6, -1e6]);
        assert!(outputs.iter().all(|v| v.is_finite()));
        assert_eq!(crate::ir::sigmoid(-1000.0), 0.0);
        assert_eq!(crate::ir::sigmoid(1000.0), 1.0);
    }
}
