//! The classical head after the measured outputs: linear layers and activations, forward and backward.
//!
//! The head's trainable numbers live in one flat vector: for each `linear` layer in order, its
//! weight matrix [out, in] row-major, then its bias [out]. In a params file they are named as
//! PyTorch names an `nn.Sequential`'s: `head.K.weight` and `head.K.bias`, K being the layer's
//! position in the `head` list, activations included.

use crate::ir::HeadLayer;
use crate::train::{rng_for, Stream};
use rand::Rng;

/// One named tensor of the head, for reading and writing params files.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadTensor {
    /// `head.K.weight` or `head.K.bias`.
    pub name: String,
    /// [out, in] for a weight, [out] for a bias.
    pub shape: Vec<usize>,
    /// Where the tensor starts in the head's flat param vector.
    pub offset: usize,
}

/// A head: its layers, the size of its input and its current params.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    layers: Vec<HeadLayer>,
    n_inputs: usize,
    /// The flat params (see the module documentation for the layout).
    pub params: Vec<f64>,
}

/// What the forward pass keeps for the backward pass: the input to every layer, and the output.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadTrace {
    /// `activations[layer_idx]` is the input of layer `layer_idx`; the last entry is the output.
    activations: Vec<Vec<f64>>,
}

impl HeadTrace {
    pub fn outputs(&self) -> &[f64] {
        self.activations.last().map_or(&[], Vec::as_slice)
    }
}

impl Head {
    /// A head with PyTorch's `nn.Linear` initialisation: every weight and bias of a layer with
    /// `in` inputs drawn from U(−1/√in, 1/√in), weights row-major before biases, layer by layer,
    /// from the seed's head stream.
    pub fn new(layers: &[HeadLayer], n_inputs: usize, seed: u64) -> Head {
        let mut head = Head { layers: layers.to_vec(), n_inputs, params: Vec::new() };
        let mut rng = rng_for(seed, Stream::Head);
        let mut layer_inputs = n_inputs;
        for layer in layers {
            if let HeadLayer::Linear { out_features } = *layer {
                let bound = if layer_inputs > 0 { 1.0 / (layer_inputs as f64).sqrt() } else { 0.0 };
                for _ in 0..out_features * layer_inputs + out_features {
                    let value = if bound > 0.0 { rng.random_range(-bound..bound) } else { 0.0 };
                    head.params.push(value);
                }
                layer_inputs = out_features;
            }
        }
        head
    }

    /// The head of a model without one: its outputs are its inputs.
    pub fn identity(n_inputs: usize) -> Head {
        Head { layers: Vec::new(), n_inputs, params: Vec::new() }
    }

    pub fn layers(&self) -> &[HeadLayer] {
        &self.layers
    }

    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    pub fn n_outputs(&self) -> usize {
        self.layers.iter().fold(self.n_inputs, |size, layer| match layer {
            HeadLayer::Linear { out_features } => *out_features,
            _ => size,
        })
    }

    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// The named tensors of the flat param vector, in order.
    pub fn tensors(&self) -> Vec<HeadTensor> {
        let mut tensors = Vec::new();
        let mut offset = 0;
        let mut layer_inputs = self.n_inputs;
        for (layer_idx, layer) in self.layers.iter().enumerate() {
            if let HeadLayer::Linear { out_features } = *layer {
                tensors.push(HeadTensor {
                    name: format!("head.{layer_idx}.weight"),
                    shape: vec![out_features, layer_inputs],
                    offset,
                });
                offset += out_features * layer_inputs;
                tensors.push(HeadTensor { name: format!("head.{layer_idx}.bias"), shape: vec![out_features], offset });
                offset += out_features;
                layer_inputs = out_features;
            }
        }
        tensors
    }

    /// The head's outputs for the measured outputs `inputs`, with its own params.
    pub fn forward(&self, inputs: &[f64]) -> Vec<f64> {
        self.trace(&self.params, inputs).activations.pop().unwrap_or_default()
    }

    /// The forward pass with the params `head_params` (of this head's layout), keeping what the
    /// backward pass needs.
    pub fn trace(&self, head_params: &[f64], inputs: &[f64]) -> HeadTrace {
        let mut activations = Vec::with_capacity(self.layers.len() + 1);
        activations.push(inputs.to_vec());
        let mut offset = 0;
        for layer in &self.layers {
            let input = activations.last().expect("the trace starts with the inputs");
            let output: Vec<f64> = match *layer {
                HeadLayer::Linear { out_features } => {
                    let n_in = input.len();
                    let weights = &head_params[offset..offset + out_features * n_in];
                    let bias = &head_params[offset + out_features * n_in..offset + out_features * (n_in + 1)];
                    offset += out_features * (n_in + 1);
                    (0..out_features)
                        .map(|out_idx| {
                            let row = &weights[out_idx * n_in..(out_idx + 1) * n_in];
                            bias[out_idx] + row.iter().zip(input).map(|(w, x)| w * x).sum::<f64>()
                        })
                        .collect()
                }
                HeadLayer::Relu => input.iter().map(|&x| x.max(0.0)).collect(),
                HeadLayer::Tanh => input.iter().map(|&x| x.tanh()).collect(),
                HeadLayer::Sigmoid => input.iter().map(|&x| sigmoid(x)).collect(),
            };
            activations.push(output);
        }
        HeadTrace { activations }
    }

    /// The vector-Jacobian product of the head: given d loss / d outputs, returns
    /// (d loss / d head params, d loss / d inputs). The second is what flows into the circuit's Jacobian.
    pub fn backward(&self, head_params: &[f64], trace: &HeadTrace, d_outputs: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut d_params = vec![0.0; head_params.len()];
        let mut upstream = d_outputs.to_vec();
        let mut offset = head_params.len();
        for (layer_idx, layer) in self.layers.iter().enumerate().rev() {
            let input = &trace.activations[layer_idx];
            let output = &trace.activations[layer_idx + 1];
            upstream = match *layer {
                HeadLayer::Linear { out_features } => {
                    let n_in = input.len();
                    offset -= out_features * (n_in + 1);
                    let weights = &head_params[offset..offset + out_features * n_in];
                    let mut d_input = vec![0.0; n_in];
                    for out_idx in 0..out_features {
                        let d_out = upstream[out_idx];
                        for in_idx in 0..n_in {
                            d_params[offset + out_idx * n_in + in_idx] = d_out * input[in_idx];
                            d_input[in_idx] += weights[out_idx * n_in + in_idx] * d_out;
                        }
                        d_params[offset + out_features * n_in + out_idx] = d_out;
                    }
                    d_input
                }
                // PyTorch takes the derivative of relu at 0 as 0; so do we.
                HeadLayer::Relu => upstream.iter().zip(input).map(|(d, &x)| if x > 0.0 { *d } else { 0.0 }).collect(),
                HeadLayer::Tanh => upstream.iter().zip(output).map(|(d, y)| d * (1.0 - y * y)).collect(),
                HeadLayer::Sigmoid => upstream.iter().zip(output).map(|(d, y)| d * y * (1.0 - y)).collect(),
            };
        }
        (d_params, upstream)
    }
}

/// The logistic function, written so that neither tail overflows.
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_head() -> Head {
        Head::new(
            &[
                HeadLayer::Linear { out_features: 3 },
                HeadLayer::Tanh,
                HeadLayer::Linear { out_features: 2 },
                HeadLayer::Sigmoid,
            ],
            4,
            11,
        )
    }

    #[test]
    fn linear_init_follows_pytorch_bounds_and_the_seed() {
        let head = Head::new(
            &[HeadLayer::Linear { out_features: 3 }, HeadLayer::Relu, HeadLayer::Linear { out_features: 2 }],
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
            &[HeadLayer::Linear { out_features: 3 }, HeadLayer::Relu, HeadLayer::Linear { out_features: 2 }],
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
        let mut head = Head::identity(2);
        head = Head { layers: vec![HeadLayer::Linear { out_features: 2 }], ..head };
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
                HeadLayer::Linear { out_features: 3 },
                HeadLayer::Tanh,
                HeadLayer::Linear { out_features: 2 },
                HeadLayer::Sigmoid,
            ],
            vec![HeadLayer::Linear { out_features: 5 }, HeadLayer::Relu, HeadLayer::Linear { out_features: 2 }],
            vec![HeadLayer::Sigmoid, HeadLayer::Linear { out_features: 2 }, HeadLayer::Tanh],
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
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
    }
}
