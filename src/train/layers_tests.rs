//! Tests of the layer stacks: forward values by hand, backward passes against finite differences, names and initial values.

use super::*;

fn stack(layers: &[Layer], n_inputs: usize) -> Layers {
    Layers::new(Role::Encode, layers, n_inputs)
}

/// A scalar function of the stack's outputs, to check the backward pass against finite differences.
fn weighted_sum(layers: &Layers, params: &[f64], inputs: &[f64], weights: &[f64]) -> f64 {
    layers.trace(params, inputs).outputs().iter().zip(weights).map(|(y, w)| y * w).sum()
}

fn assert_backward_matches_finite_differences(layers: &Layers, params: &[f64], inputs: &[f64]) {
    let n_out = layers.n_outputs();
    let weights: Vec<f64> = (0..n_out).map(|idx| 1.5 - 0.7 * idx as f64).collect();
    let trace = layers.trace(params, inputs);
    let (d_params, d_inputs) = layers.backward(params, &trace, &weights);
    assert_eq!(d_params.len(), params.len());
    assert_eq!(d_inputs.len(), inputs.len());
    let step = 1e-6;
    for param_idx in 0..params.len() {
        let (mut plus, mut minus) = (params.to_vec(), params.to_vec());
        plus[param_idx] += step;
        minus[param_idx] -= step;
        let numeric = (weighted_sum(layers, &plus, inputs, &weights) - weighted_sum(layers, &minus, inputs, &weights))
            / (2.0 * step);
        assert!(
            (numeric - d_params[param_idx]).abs() < 1e-8,
            "{layers:?} param {param_idx}: {numeric} vs {}",
            d_params[param_idx]
        );
    }
    for input_idx in 0..inputs.len() {
        let (mut plus, mut minus) = (inputs.to_vec(), inputs.to_vec());
        plus[input_idx] += step;
        minus[input_idx] -= step;
        let numeric = (weighted_sum(layers, params, &plus, &weights) - weighted_sum(layers, params, &minus, &weights))
            / (2.0 * step);
        assert!(
            (numeric - d_inputs[input_idx]).abs() < 1e-8,
            "{layers:?} input {input_idx}: {numeric} vs {}",
            d_inputs[input_idx]
        );
    }
}

#[test]
fn every_layers_backward_matches_finite_differences() {
    let map = Layer::Map { out_features: 2, matrix: vec![1.0, -2.0, 0.5, 0.25, 3.0, -1.0] };
    let inputs = [0.3, -0.7, 0.2];
    for layers in [
        vec![Layer::Linear { out_features: 4, bias: true }],
        vec![Layer::Linear { out_features: 2, bias: false }],
        vec![Layer::Bias],
        vec![Layer::Scale(std::f64::consts::FRAC_PI_2)],
        vec![map.clone()],
        vec![Layer::Relu],
        vec![Layer::Tanh],
        vec![Layer::Sigmoid],
        vec![Layer::Softmax],
        vec![Layer::Linear { out_features: 2, bias: true }, Layer::Tanh, Layer::Scale(std::f64::consts::FRAC_PI_2)],
        vec![Layer::Bias, Layer::Softmax, map, Layer::Bias, Layer::Sigmoid],
        vec![
            Layer::Linear { out_features: 5, bias: false },
            Layer::Relu,
            Layer::Linear { out_features: 3, bias: true },
            Layer::Softmax,
        ],
    ] {
        let layers = stack(&layers, inputs.len());
        // Zeros would leave a bias untested: spread the params out.
        let params: Vec<f64> = (0..layers.n_params()).map(|idx| 0.4 * ((idx as f64) * 1.3).sin() + 0.05).collect();
        assert_backward_matches_finite_differences(&layers, &params, &inputs);
    }
}

#[test]
fn fixed_layers_compute_their_values_by_hand() {
    let inputs = [1.0, 2.0, 3.0];
    // softmax([1, 2, 3]) = e^i / (e + e² + e³).
    let total = 1f64.exp() + 2f64.exp() + 3f64.exp();
    let softmax = stack(&[Layer::Softmax], 3).trace(&[], &inputs).outputs().to_vec();
    for (value, x) in softmax.iter().zip(inputs) {
        assert!((value - x.exp() / total).abs() < 1e-15, "{softmax:?}");
    }
    assert!((softmax.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    // A softmax of huge values does not overflow.
    let huge = stack(&[Layer::Softmax], 2).trace(&[], &[1000.0, 1000.0]).outputs().to_vec();
    assert_eq!(huge, vec![0.5, 0.5]);
    let bias = stack(&[Layer::Bias], 3);
    assert_eq!(bias.trace(&[0.5, -1.0, 0.25], &inputs).outputs(), &[1.5, 1.0, 3.25]);
    let scale = stack(&[Layer::Scale(0.5)], 3);
    assert_eq!(scale.trace(&[], &inputs).outputs(), &[0.5, 1.0, 1.5]);
    // The parity map of two bits: [[1, 0, 0, 1], [0, 1, 1, 0]] (even, odd).
    let parity = stack(&[Layer::Map { out_features: 2, matrix: vec![1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0] }], 4);
    assert_eq!(parity.trace(&[], &[0.1, 0.2, 0.3, 0.4]).outputs(), &[0.5, 0.5]);
    assert_eq!(parity.trace(&[], &[0.7, 0.1, 0.1, 0.1]).outputs(), &[0.7999999999999999, 0.2]);
    let linear = stack(&[Layer::Linear { out_features: 2, bias: false }], 2);
    assert_eq!(linear.trace(&[1.0, 2.0, 3.0, 4.0], &[1.0, -1.0]).outputs(), &[-1.0, -1.0]);
}

#[test]
fn tensors_are_named_by_position_with_the_stacks_prefix() {
    let layers = Layers::new(
        Role::Encode,
        &[
            Layer::Linear { out_features: 3, bias: true },
            Layer::Tanh,
            Layer::Bias,
            Layer::Linear { out_features: 2, bias: false },
        ],
        5,
    );
    let tensors = layers.tensors();
    let names: Vec<&str> = tensors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["encode.0.weight", "encode.0.bias", "encode.2.bias", "encode.3.weight"]);
    let shapes: Vec<&[usize]> = tensors.iter().map(|t| t.shape.as_slice()).collect();
    assert_eq!(shapes, vec![&[3, 5][..], &[3], &[3], &[2, 3]]);
    assert_eq!(tensors[3].offset, 15 + 3 + 3);
    assert_eq!(layers.n_params(), 15 + 3 + 3 + 6);
    assert_eq!(layers.n_outputs(), 2);
}

#[test]
fn initial_values_follow_pytorch_and_each_stack_has_its_stream() {
    let layers =
        [Layer::Linear { out_features: 3, bias: true }, Layer::Bias, Layer::Linear { out_features: 2, bias: false }];
    let encode = Layers::new(Role::Encode, &layers, 4);
    let head = Layers::new(Role::Head, &layers, 4);
    let values = encode.initial_params(9);
    assert_eq!(values.len(), 15 + 3 + 6);
    assert!(values[..15].iter().all(|v| v.abs() <= 0.5 && *v != 0.0));
    assert!(values[15..18].iter().all(|v| *v == 0.0), "a bias layer starts at zeros");
    let bound = 1.0 / 3f64.sqrt();
    assert!(values[18..].iter().all(|v| v.abs() <= bound && *v != 0.0));
    assert_ne!(values, head.initial_params(9));
    assert_eq!(values, encode.initial_params(9));
}

#[test]
fn the_head_keeps_its_numbers_when_encode_layers_join_it() {
    use crate::train::Head;
    let layers = [Layer::Linear { out_features: 2, bias: true }, Layer::Sigmoid];
    let head = Head::new(&layers, 3, 4);
    let with_encode = head.clone().with_encode(&[Layer::Linear { out_features: 3, bias: true }, Layer::Tanh], 6, 4);
    assert_eq!(with_encode.params[..head.n_params()], head.params[..]);
    assert_eq!(with_encode.n_params(), head.n_params() + 21);
    assert_eq!(with_encode.n_features(), Some(6));
    let names: Vec<String> = with_encode.tensors().into_iter().map(|t| t.name).collect();
    assert_eq!(names, vec!["head.0.weight", "head.0.bias", "encode.0.weight", "encode.0.bias"]);
    assert_eq!(with_encode.tensors()[2].offset, head.n_params());
    // The head's forward and backward are unchanged; the backward's params part is as long as
    // all the params, the encode layers' part zero.
    let measured = [0.1, -0.2, 0.3];
    assert_eq!(with_encode.forward(&measured), head.forward(&measured));
    let trace = with_encode.trace(&with_encode.params, &measured);
    let (d_params, _) = with_encode.backward(&with_encode.params, &trace, &[1.0, 1.0]);
    assert_eq!(d_params.len(), with_encode.n_params());
    assert!(d_params[head.n_params()..].iter().all(|v| *v == 0.0));
    let row = [0.5, 0.1, -0.3, 0.2, 0.9, -1.0];
    assert_eq!(with_encode.encode_row(&row).len(), 3);
    assert_eq!(head.encode_row(&row), row.to_vec());
}

/// The loss of the model `encode linear(2), tanh, scale(pi / 2)` → circuit → `head linear(1),
/// bias`, by its public pieces, for finite differences.
fn full_model_loss(
    model: &crate::train::SimModel<'_>,
    head: &crate::train::Head,
    circuit_params: &[f64],
    rows: &[(Vec<f64>, f64)],
) -> f64 {
    use crate::train::Model;
    let mut total = 0.0;
    for (features, target) in rows {
        let inputs = head.encode_row(features);
        let measured = model.forward(&inputs, circuit_params, 0).expect("the model runs");
        let output = head.forward(&measured)[0];
        total += (output - target) * (output - target);
    }
    total / rows.len() as f64
}

#[test]
fn the_gradient_of_a_model_with_encode_and_head_matches_finite_differences_of_the_loss() {
    use crate::ir::{GradientMethod, Optimizer};
    use crate::sim::MemoryBudget;
    use crate::train::{Head, PreparedData, SimModel, Split};
    let text = "qubits 2\ninput x[2]\nparam w[2] = [0.3, -0.4]\ncircuit {\n    angle_embedding(x, rotation = Y)\n    \
                ry(w[0]) 0\n    cnot 0, 1\n    ry(tanh(w[1]) + max(x[0], x[1]) * sum(x)) 1\n}\n\
                measure expval(Z(0)), expval(Z(1))\nencode linear(2), tanh, scale(pi / 2)\nhead linear(1), bias\n\
                train { data moons() }\n";
    let output = crate::check::compile(text);
    let circuit = output.circuit.unwrap_or_else(|| panic!("the model compiles: {:?}", output.diagnostics));
    assert_eq!(circuit.encode.len(), 3);
    let rows: Vec<(Vec<f64>, f64)> =
        vec![(vec![0.2, -0.5, 0.9], 0.3), (vec![-1.1, 0.4, 0.05], -0.6), (vec![0.7, 0.7, -0.3], 0.1)];
    let mut block = circuit.train[0].clone();
    block.optimizer = Optimizer::Sgd { lr: 1.0 };
    block.epochs = 1;
    block.batch = rows.len();
    block.shuffle = false;
    let split = Split {
        features: rows.iter().map(|(features, _)| features.clone()).collect(),
        targets: rows.iter().map(|(_, target)| vec![*target]).collect(),
        locations: (1..=rows.len()).map(|line| format!("row {line}")).collect(),
    };
    let empty = Split { features: Vec::new(), targets: Vec::new(), locations: Vec::new() };
    let data = PreparedData { source: "rows".into(), train: split, test: empty, scaling: None, classes: None };
    for method in [GradientMethod::Adjoint, GradientMethod::ParameterShift, GradientMethod::FiniteDiff] {
        block.gradient = method;
        let model = SimModel::new(&circuit, method, None, 2, MemoryBudget::default());
        let head = Head::new(&circuit.head, 2, 5).with_encode(&circuit.encode, 3, 5);
        assert_eq!(head.n_params(), 2 + 1 + 1 + 2 * 3 + 2);
        let circuit_params = vec![0.3, -0.4];
        // One SGD step of rate 1 on the whole batch moves the params by minus the gradient.
        let (mut trained_circuit, mut trained_head) = (circuit_params.clone(), head.clone());
        let stop = std::sync::atomic::AtomicBool::new(false);
        crate::train::train(&block, &model, &mut trained_head, &mut trained_circuit, &data, &stop, &mut |_| {
            crate::train::Control::Continue
        })
        .expect("training runs");
        let gradient: Vec<f64> = circuit_params
            .iter()
            .zip(&trained_circuit)
            .chain(head.params.iter().zip(&trained_head.params))
            .map(|(before, after)| before - after)
            .collect();
        let step = 1e-6;
        let tolerance = if method == GradientMethod::FiniteDiff { 1e-5 } else { 1e-6 };
        for idx in 0..gradient.len() {
            let shifted = |delta: f64| {
                let (mut circuit_values, mut moved) = (circuit_params.clone(), head.clone());
                if idx < circuit_values.len() {
                    circuit_values[idx] += delta;
                } else {
                    moved.params[idx - circuit_values.len()] += delta;
                }
                full_model_loss(&model, &moved, &circuit_values, &rows)
            };
            let numeric = (shifted(step) - shifted(-step)) / (2.0 * step);
            assert!(
                (numeric - gradient[idx]).abs() < tolerance,
                "{method:?} entry {idx}: {numeric} vs {}",
                gradient[idx]
            );
        }
        // The encode layers' gradient is not zero: the chain reached them.
        assert!(gradient[2 + 4..].iter().any(|v| v.abs() > 1e-3), "{gradient:?}");
    }
}
