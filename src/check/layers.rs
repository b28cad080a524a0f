//! The classical layers: `head LAYER, …` after the measured outputs and `encode LAYER, …` before the inputs (LANGUAGE.md §3, §10.2).

use super::builtins;
use super::declarations::format_shape_full;
use super::expr::{Ctx, Value};
use super::Checker;
use crate::ast::{self, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Expr as IrExpr, Layer, Op};
use crate::source::Span;

/// The layers as a help line lists them.
const LAYER_LIST: &str =
    "the layers are `linear(k, bias = true)`, `bias`, `scale(c)`, `map(MATRIX)`, `relu`, `tanh`, `sigmoid` and `softmax`";

/// Which declaration a layer list belongs to, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stack {
    Head,
    Encode,
}

impl Stack {
    fn keyword(self) -> &'static str {
        match self {
            Stack::Head => "head",
            Stack::Encode => "encode",
        }
    }
}

impl<'ast> Checker<'ast> {
    pub(super) fn check_head(&mut self, layers: &'ast [ast::Expr]) {
        if let Some(measurement) = self.measurements.iter().find(|m| m.n_outputs().is_none()) {
            let kind = measurement.kind();
            self.error(Diagnostic::error(
                Code::E0602,
                format!("a head needs numeric outputs, but the model measures `{kind}`"),
                layers[0].span,
                "head on a non-numeric output",
            ));
            return;
        }
        let measured = self.measurements.iter().map(|m| m.n_outputs().map(|n| n as u128)).sum::<Option<u128>>();
        // The layers that are right stand for the head in the checks that follow (the loss's fit).
        let (parsed, _) = self.check_layers(layers, Stack::Head, measured);
        self.head = parsed.into_iter().map(|(layer, _)| layer).collect();
    }

    /// `encode LAYER, …`: the layers, then that their last width is the inputs' total size and
    /// that no input they make reaches an embedding that cannot take computed values.
    pub(super) fn check_encode(&mut self, item_span: Span, layers: &'ast [ast::Expr]) {
        let keyword = Span::new(item_span.start as usize, item_span.start as usize + "encode".len());
        // A data row's width is the data's, known only when it is read: the stack's input width
        // is open until a `linear` or a `map` fixes it.
        let (parsed, all_right) = self.check_layers(layers, Stack::Encode, None);
        if !all_right {
            return;
        }
        let n_inputs: usize = self.inputs.iter().map(ir::Variable::size).sum();
        if self.inputs.is_empty() {
            self.error(
                Diagnostic::error(
                    Code::E0603,
                    "`encode` makes the circuit's inputs, but the model declares none",
                    keyword,
                    "no inputs to encode into",
                )
                .with_help("declare the inputs the layers feed, e.g. `input x[4]`"),
            );
            return;
        }
        let last_fixing =
            parsed.iter().rev().find(|(layer, _)| matches!(layer, Layer::Linear { .. } | Layer::Map { .. }));
        if let Some((layer, span)) = last_fixing {
            let width = layer.output_width(0);
            if width != n_inputs {
                let mut diagnostic = Diagnostic::error(
                    Code::E0603,
                    format!(
                        "`encode` ends with {width} value{}, but the inputs take {n_inputs}",
                        if width == 1 { "" } else { "s" }
                    ),
                    *span,
                    format!("{width} value{}", if width == 1 { "" } else { "s" }),
                );
                for input in &self.inputs {
                    diagnostic = diagnostic
                        .with_label(input.span, format!("`{}` takes {}", input.name, format_shape_full(&input.shape)));
                }
                self.error(diagnostic.with_help(format!(
                    "the last `linear` or `map` of `encode` gives the inputs' total size, {n_inputs}"
                )));
                return;
            }
        }
        self.check_encoded_embeddings();
        self.encode = parsed.into_iter().map(|(layer, _)| layer).collect();
    }

    /// Encoded inputs are computed, trained values: an amplitude embedding cannot be
    /// differentiated in them and a basis embedding needs bits, so neither may read an input.
    fn check_encoded_embeddings(&mut self) {
        let mut reported: Vec<Span> = Vec::new();
        let mut found: Vec<(&'static str, Span)> = Vec::new();
        for op in &self.ops {
            let (name, span, reads_input) = match op {
                Op::StatePrep(prep) => ("amplitude_embedding", prep.span, prep.amplitudes.iter().any(reads_input)),
                Op::Gate(gate) => match &gate.template {
                    Some(origin) if origin.name == "basis_embedding" => {
                        ("basis_embedding", gate.span, gate.angles.iter().any(reads_input))
                    }
                    _ => continue,
                },
            };
            if reads_input && !reported.contains(&span) {
                reported.push(span);
                found.push((name, span));
            }
        }
        for (name, span) in found {
            let why = if name == "basis_embedding" {
                "it takes bits, and encoded values are not bits"
            } else {
                "it is not differentiable in its amplitudes"
            };
            self.error(
                Diagnostic::error(
                    Code::E0603,
                    format!("`{name}` reads inputs that `encode` computes, but {why}"),
                    span,
                    format!("`{name}` of encoded inputs"),
                )
                .with_help(
                    "encode into an angle embedding (`angle_embedding`, `iqp_embedding`) or gate angles instead",
                ),
            );
        }
    }

    /// Checks a layer list: the layers that are right, each with its span, and whether every
    /// layer was (the others are reported). `width` is the values the first layer takes, if known.
    fn check_layers(
        &mut self,
        layers: &'ast [ast::Expr],
        stack: Stack,
        mut width: Option<u128>,
    ) -> (Vec<(Layer, Span)>, bool) {
        let mut parsed = Vec::with_capacity(layers.len());
        let mut all_right = true;
        let mut weights: u128 = 0;
        for layer in layers {
            match self.check_layer(layer, stack, width, &mut weights) {
                LayerCheck::Layer(checked) => {
                    if let Layer::Linear { out_features, .. } | Layer::Map { out_features, .. } = &checked {
                        width = Some(*out_features as u128);
                    }
                    parsed.push((checked, layer.span));
                }
                LayerCheck::Failed => all_right = false,
                LayerCheck::Stop => return (parsed, false),
            }
        }
        (parsed, all_right)
    }

    fn check_layer(
        &mut self,
        layer: &'ast ast::Expr,
        stack: Stack,
        width: Option<u128>,
        weights: &mut u128,
    ) -> LayerCheck {
        let (name, args): (&ast::Ident, &'ast [ast::Arg]) = match &layer.kind {
            ExprKind::Name(name) => (name, &[]),
            ExprKind::Call { callee, args } => (callee, args),
            _ => {
                self.error(
                    Diagnostic::error(
                        Code::E0601,
                        format!("expected a {} layer", stack.keyword()),
                        layer.span,
                        "not a layer",
                    )
                    .with_help(LAYER_LIST),
                );
                return LayerCheck::Failed;
            }
        };
        let bare = matches!(layer.kind, ExprKind::Name(_));
        match name.name.as_str() {
            "relu" | "tanh" | "sigmoid" | "softmax" | "bias" => {
                if !args.is_empty() || !bare {
                    self.error(Diagnostic::error(
                        Code::E0601,
                        format!("`{}` takes no arguments", name.name),
                        layer.span,
                        "arguments given",
                    ));
                    return LayerCheck::Failed;
                }
                LayerCheck::Layer(match name.name.as_str() {
                    "relu" => Layer::Relu,
                    "tanh" => Layer::Tanh,
                    "sigmoid" => Layer::Sigmoid,
                    "softmax" => Layer::Softmax,
                    _ => {
                        if let Some(width) = width {
                            if !self.layer_fits(stack, (width, width), width, weights, layer.span) {
                                return LayerCheck::Stop;
                            }
                        }
                        Layer::Bias
                    }
                })
            }
            "linear" => self.check_linear(layer, args, bare, stack, width, weights),
            "scale" => {
                let [arg] = args else {
                    return self.needs_one_argument(layer, "scale", "its factor", "scale(pi / 2)");
                };
                if arg.name.is_some() {
                    return self.needs_one_argument(layer, "scale", "its factor", "scale(pi / 2)");
                }
                match self.constant_number(&arg.value) {
                    Some(factor) => LayerCheck::Layer(Layer::Scale(factor)),
                    None => LayerCheck::Failed,
                }
            }
            "map" => {
                let [arg] = args else {
                    return self.needs_one_argument(layer, "map", "its matrix", "map([[1, 0], [0, 1]])");
                };
                if arg.name.is_some() {
                    return self.needs_one_argument(layer, "map", "its matrix", "map([[1, 0], [0, 1]])");
                }
                self.check_map(&arg.value, width)
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        Code::E0601,
                        format!("unknown {} layer `{}`", stack.keyword(), name.name),
                        name.span,
                        "not a layer",
                    )
                    .with_closest(name.span, &name.name, builtins::HEAD_LAYERS.iter().copied())
                    .or_help(|| LAYER_LIST.into()),
                );
                LayerCheck::Failed
            }
        }
    }

    fn needs_one_argument(&mut self, layer: &ast::Expr, name: &str, what: &str, example: &str) -> LayerCheck {
        self.error(
            Diagnostic::error(
                Code::E0601,
                format!("`{name}` takes one argument: {what}"),
                layer.span,
                "a layer needs its argument",
            )
            .with_help(format!("e.g. `{example}`")),
        );
        LayerCheck::Failed
    }

    fn check_linear(
        &mut self,
        layer: &'ast ast::Expr,
        args: &'ast [ast::Arg],
        bare: bool,
        stack: Stack,
        width: Option<u128>,
        weights: &mut u128,
    ) -> LayerCheck {
        if bare {
            self.error(
                Diagnostic::error(Code::E0601, "`linear` needs its number of outputs", layer.span, "missing size")
                    .with_help("e.g. `linear(2)`"),
            );
            return LayerCheck::Failed;
        }
        let positional: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).collect();
        let mut bias = true;
        for arg in args.iter().filter(|a| a.name.is_some()) {
            let key = arg.name.as_ref().map_or("", |n| n.name.as_str());
            match (key, &arg.value.kind) {
                ("bias", ExprKind::Bool(value)) => bias = *value,
                ("bias", _) => {
                    self.error(Diagnostic::error(
                        Code::E0601,
                        "`bias` of `linear` is `true` or `false`",
                        arg.value.span,
                        "not a boolean",
                    ));
                    return LayerCheck::Failed;
                }
                _ => {
                    self.error(
                        Diagnostic::error(
                            Code::E0601,
                            format!("`linear` has no option `{key}`"),
                            arg.span,
                            "unknown option",
                        )
                        .with_help("`linear(k, bias = false)` leaves out the bias"),
                    );
                    return LayerCheck::Failed;
                }
            }
        }
        let [arg] = positional.as_slice() else {
            self.error(
                Diagnostic::error(
                    Code::E0601,
                    "`linear` takes one argument: its number of outputs",
                    layer.span,
                    format!("{} arguments", positional.len()),
                )
                .with_help("e.g. `linear(2)`, or `linear(2, bias = false)`"),
            );
            return LayerCheck::Failed;
        };
        match self.constant_integer(&arg.value, "the number of outputs") {
            Some(k) if k >= 1 => {
                if let Some(width) = width {
                    let k = k as u128;
                    let layer_weights = width * k + if bias { k } else { 0 };
                    if !self.layer_fits(stack, (width, k), layer_weights, weights, layer.span) {
                        return LayerCheck::Stop;
                    }
                }
                LayerCheck::Layer(Layer::Linear { out_features: k as usize, bias })
            }
            Some(k) => {
                self.error(Diagnostic::error(
                    Code::E0601,
                    "`linear` needs at least one output",
                    arg.value.span,
                    format!("this is {k}"),
                ));
                LayerCheck::Failed
            }
            None => LayerCheck::Failed,
        }
    }

    /// `map(MATRIX)`: a constant [out, in] array whose `in` is the width it is applied to.
    fn check_map(&mut self, matrix: &'ast ast::Expr, width: Option<u128>) -> LayerCheck {
        let value = match self.evaluate(matrix, Ctx::Constant) {
            Some(value) => value,
            None => return LayerCheck::Failed,
        };
        let (shape, elements) = match value {
            Value::Array { shape, elements } if shape.len() == 2 => (shape, elements),
            other => {
                self.error(
                    Diagnostic::error(
                        Code::E0601,
                        format!(
                            "`map` takes a matrix [out, in], but this has shape {}",
                            format_shape_full(&other.shape())
                        ),
                        matrix.span,
                        "not a matrix",
                    )
                    .with_help("e.g. `map([[1, 1, 0, 0], [0, 0, 1, 1]])` maps 4 values to 2"),
                );
                return LayerCheck::Failed;
            }
        };
        if let Some(width) = width.filter(|&width| width != shape[1] as u128) {
            self.error(Diagnostic::error(
                Code::E0601,
                format!("`map` takes {} values per row, but the layer before gives {width}", shape[1]),
                matrix.span,
                format!("shape {}", format_shape_full(&shape)),
            ));
            return LayerCheck::Failed;
        }
        let matrix: Option<Vec<f64>> = elements.iter().map(IrExpr::constant).collect();
        match matrix {
            Some(matrix) => LayerCheck::Layer(Layer::Map { out_features: shape[0], matrix }),
            // A constant context only yields constants; anything else was reported.
            None => LayerCheck::Failed,
        }
    }

    /// Whether a layer with `in_features` inputs and `out_features` outputs and `layer_weights`
    /// trainable numbers keeps the stack's within `MAX_HEAD_WEIGHTS`, adding them to `weights`;
    /// reports E0803 otherwise.
    fn layer_fits(
        &mut self,
        stack: Stack,
        (in_features, out_features): (u128, u128),
        layer_weights: u128,
        weights: &mut u128,
        span: Span,
    ) -> bool {
        *weights += layer_weights;
        if *weights <= super::MAX_HEAD_WEIGHTS as u128 {
            return true;
        }
        let limit = super::MAX_HEAD_WEIGHTS;
        let keyword = stack.keyword();
        let message = if layer_weights > limit as u128 {
            format!("this layer has {layer_weights} weights and biases, more than a {keyword} may have ({limit})")
        } else {
            format!(
                "with this layer the {keyword} has {} weights and biases, more than it may have ({limit})",
                *weights
            )
        };
        self.error(
            Diagnostic::error(Code::E0803, message, span, format!("{in_features} inputs × {out_features} outputs"))
                .with_help("measure fewer values (e.g. `probs` on fewer wires) or make the layer narrower"),
        );
        false
    }

    /// The number of values the model outputs (after the head), if it is fixed.
    pub(super) fn model_output_count(&self) -> Option<usize> {
        let measured: usize = self.measurements.iter().map(ir::Measurement::n_outputs).sum::<Option<usize>>()?;
        Some(self.head.iter().fold(measured, |n, layer| layer.output_width(n)))
    }
}

/// What checking one layer gave.
enum LayerCheck {
    Layer(Layer),
    /// The layer was wrong (reported); the rest of the list is still checked.
    Failed,
    /// A limit was crossed (reported): the list is not checked further.
    Stop,
}

fn reads_input(expr: &IrExpr) -> bool {
    let mut inputs = Vec::new();
    crate::sim::collect_inputs(expr, &mut inputs);
    !inputs.is_empty()
}
