//! Stacks of classical layers: the head after the circuit and the `encode` layers before it, with their forward and backward passes.
//!
//! A [`Layers`] is a layout: the layers, the width of their input and where each trainable tensor
//! sits in a flat param vector (for each layer in order, a `linear`'s weights [out, in] row-major
//! then its bias [out], a `bias` layer's [width]). The values live with the caller, so one layout
//! serves the trainer's candidate params and the model's current ones alike. In a params file the
//! tensors are named as PyTorch names an `nn.Sequential`'s: `head.K.weight`, `encode.K.bias`, K
//! being the layer's position in its list, activations included.

use crate::ir::{sigmoid, Layer};
use crate::train::{rng_for, Stream};
use rand::Rng;

/// Which stack a layout is: it names the tensors and picks the seed stream of their initial values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Head,
    Encode,
}

impl Role {
    /// The prefix of its tensors' names in a params file.
    pub fn prefix(self) -> &'static str {
        match self {
            Role::Head => "head",
            Role::Encode => "encode",
        }
    }

    fn stream(self) -> Stream {
        match self {
            Role::Head => Stream::Head,
            Role::Encode => Stream::Encode,
        }
    }
}

/// One named tensor of a stack, for reading and writing params files.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerTensor {
    /// `head.K.weight`, `encode.K.bias`, …
    pub name: String,
    /// [out, in] for a weight, [out] for a bias.
    pub shape: Vec<usize>,
    /// Where the tensor starts in the stack's flat param vector.
    pub offset: usize,
}

/// A stack of layers and the width of its input (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Layers {
    role: Role,
    layers: Vec<Layer>,
    n_inputs: usize,
}

/// What the forward pass keeps for the backward pass: the input to every layer, and the output.
#[derive(Clone, Debug, PartialEq)]
pub struct LayersTrace {
    /// `activations[layer_idx]` is the input of layer `layer_idx`; the last entry is the output.
    activations: Vec<Vec<f64>>,
}

impl LayersTrace {
    pub fn outputs(&self) -> &[f64] {
        self.activations.last().map_or(&[], Vec::as_slice)
    }
}

impl Layers {
    pub fn new(role: Role, layers: &[Layer], n_inputs: usize) -> Layers {
        Layers { role, layers: layers.to_vec(), n_inputs }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    pub fn n_outputs(&self) -> usize {
        self.layers.iter().fold(self.n_inputs, |width, layer| layer.output_width(width))
    }

    pub fn n_params(&self) -> usize {
        let mut width = self.n_inputs;
        let mut count = 0;
        for layer in &self.layers {
            count += layer.n_params(width);
            width = layer.output_width(width);
        }
        count
    }

    /// PyTorch's `nn.Linear` initialisation: every weight and bias of a layer with `in` inputs
    /// drawn from U(−1/√in, 1/√in), weights row-major before biases, layer by layer, from the
    /// seed's stream of this stack; a `bias` layer starts at zeros and draws nothing.
    pub fn initial_params(&self, seed: u64) -> Vec<f64> {
        let mut rng = rng_for(seed, self.role.stream());
        let mut params = Vec::with_capacity(self.n_params());
        let mut width = self.n_inputs;
        for layer in &self.layers {
            match layer {
                Layer::Linear { .. } => {
                    let bound = if width > 0 { 1.0 / (width as f64).sqrt() } else { 0.0 };
                    for _ in 0..layer.n_params(width) {
                        params.push(if bound > 0.0 { rng.random_range(-bound..bound) } else { 0.0 });
                    }
                }
                Layer::Bias => params.extend(std::iter::repeat_n(0.0, width)),
                _ => {}
            }
            width = layer.output_width(width);
        }
        params
    }

    /// The named tensors of the flat param vector, in order.
    pub fn tensors(&self) -> Vec<LayerTensor> {
        let prefix = self.role.prefix();
        let mut tensors = Vec::new();
        let mut offset = 0;
        let mut width = self.n_inputs;
        for (layer_idx, layer) in self.layers.iter().enumerate() {
            match *layer {
                Layer::Linear { out_features, bias } => {
                    tensors.push(LayerTensor {
                        name: format!("{prefix}.{layer_idx}.weight"),
                        shape: vec![out_features, width],
                        offset,
                    });
                    offset += out_features * width;
                    if bias {
                        tensors.push(LayerTensor {
                            name: format!("{prefix}.{layer_idx}.bias"),
                            shape: vec![out_features],
                            offset,
                        });
                        offset += out_features;
                    }
                }
                Layer::Bias => {
                    tensors.push(LayerTensor {
                        name: format!("{prefix}.{layer_idx}.bias"),
                        shape: vec![width],
                        offset,
                    });
                    offset += width;
                }
                _ => {}
            }
            width = layer.output_width(width);
        }
        tensors
    }

    /// The forward pass with the params `params` (of this layout), keeping what the backward pass needs.
    pub fn trace(&self, params: &[f64], inputs: &[f64]) -> LayersTrace {
        let mut activations = Vec::with_capacity(self.layers.len() + 1);
        activations.push(inputs.to_vec());
        let mut offset = 0;
        for layer in &self.layers {
            let input = activations.last().expect("the trace starts with the inputs");
            let n_in = input.len();
            let output: Vec<f64> = match layer {
                Layer::Linear { out_features, bias } => {
                    let weights = &params[offset..offset + out_features * n_in];
                    let biases = if *bias { &params[offset + out_features * n_in..][..*out_features] } else { &[] };
                    offset += layer.n_params(n_in);
                    (0..*out_features)
                        .map(|out_idx| {
                            let row = &weights[out_idx * n_in..(out_idx + 1) * n_in];
                            let sum = row.iter().zip(input).map(|(w, x)| w * x).sum::<f64>();
                            biases.get(out_idx).map_or(sum, |b| b + sum)
                        })
                        .collect()
                }
                Layer::Bias => {
                    let biases = &params[offset..offset + n_in];
                    offset += n_in;
                    input.iter().zip(biases).map(|(x, b)| x + b).collect()
                }
                Layer::Scale(factor) => input.iter().map(|x| factor * x).collect(),
                Layer::Map { out_features, matrix } => (0..*out_features)
                    .map(|out_idx| {
                        matrix[out_idx * n_in..(out_idx + 1) * n_in].iter().zip(input).map(|(m, x)| m * x).sum()
                    })
                    .collect(),
                Layer::Relu => input.iter().map(|&x| x.max(0.0)).collect(),
                Layer::Tanh => input.iter().map(|&x| x.tanh()).collect(),
                Layer::Sigmoid => input.iter().map(|&x| sigmoid(x)).collect(),
                Layer::Softmax => softmax(input),
            };
            activations.push(output);
        }
        LayersTrace { activations }
    }

    /// The vector-Jacobian product of the stack: given d loss / d outputs, returns
    /// (d loss / d params, d loss / d inputs).
    pub fn backward(&self, params: &[f64], trace: &LayersTrace, d_outputs: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut d_params = vec![0.0; params.len()];
        let mut upstream = d_outputs.to_vec();
        let mut offset = self.n_params().min(params.len());
        for (layer_idx, layer) in self.layers.iter().enumerate().rev() {
            let input = &trace.activations[layer_idx];
            let output = &trace.activations[layer_idx + 1];
            let n_in = input.len();
            offset -= layer.n_params(n_in);
            upstream = match layer {
                Layer::Linear { out_features, bias } => {
                    let weights = &params[offset..offset + out_features * n_in];
                    let mut d_input = vec![0.0; n_in];
                    for (out_idx, &d_out) in upstream.iter().enumerate().take(*out_features) {
                        for in_idx in 0..n_in {
                            d_params[offset + out_idx * n_in + in_idx] = d_out * input[in_idx];
                            d_input[in_idx] += weights[out_idx * n_in + in_idx] * d_out;
                        }
                        if *bias {
                            d_params[offset + out_features * n_in + out_idx] = d_out;
                        }
                    }
                    d_input
                }
                Layer::Bias => {
                    d_params[offset..offset + n_in].copy_from_slice(&upstream[..n_in]);
                    upstream
                }
                Layer::Scale(factor) => upstream.iter().map(|d| factor * d).collect(),
                Layer::Map { matrix, .. } => {
                    let mut d_input = vec![0.0; n_in];
                    for (out_idx, d_out) in upstream.iter().enumerate() {
                        for (in_idx, d_in) in d_input.iter_mut().enumerate() {
                            *d_in += matrix[out_idx * n_in + in_idx] * d_out;
                        }
                    }
                    d_input
                }
                // PyTorch takes the derivative of relu at 0 as 0; so do we.
                Layer::Relu => upstream.iter().zip(input).map(|(d, &x)| if x > 0.0 { *d } else { 0.0 }).collect(),
                Layer::Tanh => upstream.iter().zip(output).map(|(d, y)| d * (1.0 - y * y)).collect(),
                Layer::Sigmoid => upstream.iter().zip(output).map(|(d, y)| d * y * (1.0 - y)).collect(),
                Layer::Softmax => {
                    // d input_i = y_i (d_i − Σ_j d_j y_j).
                    let weighted: f64 = upstream.iter().zip(output).map(|(d, y)| d * y).sum();
                    upstream.iter().zip(output).map(|(d, y)| y * (d - weighted)).collect()
                }
            };
        }
        (d_params, upstream)
    }
}

/// The softmax of `values`, with the largest subtracted first so that exp cannot overflow.
fn softmax(values: &[f64]) -> Vec<f64> {
    let largest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = values.iter().map(|v| (v - largest).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| e / total).collect()
}

#[cfg(test)]
#[path = "layers_tests.rs"]
mod tests;
