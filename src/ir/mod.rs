//! The lowered program: a flat gate list on numbered wires, angles as small expressions over inputs and params.
//!
//! Everything here is plain data. Lowering resolves every name, unrolls every loop and expands
//! every template, `def`, `adj` and `ctrl`, so the simulator never sees a name or a span of source
//! it would have to interpret. Spans are carried only so that later diagnostics can point back.

mod expr;
mod gate;
mod listing;
mod measurement;

pub use expr::{sigmoid, BinOp, Expr, Func, Func2};
pub use gate::{Gate, GateKind, Op, StatePrep, TemplateOrigin, Wire};
pub use listing::element_name;
pub(crate) use listing::format_number;
pub use measurement::{MatrixFactor, MatrixKind, Measurement, Observable, Pauli, Term};

use crate::source::Span;

/// How a param is initialised when no params file gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum Init {
    Zeros,
    Ones,
    Constant(f64),
    Uniform(f64, f64),
    Normal(f64, f64),
    /// A literal array (or scalar), row-major, already checked against the shape.
    Values(Vec<f64>),
}

/// A declared array (input or param): its name, shape and place in the flat vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    pub shape: Vec<usize>,
    /// Where its first element sits in the flat input or param vector.
    pub offset: usize,
    pub span: Span,
}

impl Variable {
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub variable: Variable,
    pub init: Init,
}

/// A classical layer of a `head` or of `encode` (LANGUAGE.md §3 and §10.2).
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// A dense layer to `out_features` values: trainable weights [out, in] and, with `bias`, a
    /// trainable bias [out], initialised as PyTorch's `nn.Linear`.
    Linear {
        out_features: usize,
        bias: bool,
    },
    /// A trainable bias of the current width, starting at zeros.
    Bias,
    /// Every value times a fixed factor.
    Scale(f64),
    /// A fixed linear map: `matrix` is [out_features, in] row-major.
    Map {
        out_features: usize,
        matrix: Vec<f64>,
    },
    Relu,
    Tanh,
    Sigmoid,
    Softmax,
}

/// The width of the data rows `encode` layers take before they make `n_inputs` values: `None`
/// when a `linear` comes first (it takes any width), the first `map`'s columns, or `n_inputs`
/// when every layer keeps its width (and when there are no layers).
pub fn encode_input_width(encode: &[Layer], n_inputs: usize) -> Option<usize> {
    for layer in encode {
        if matches!(layer, Layer::Linear { .. }) {
            return None;
        }
        if let Some(width) = layer.fixed_input_width() {
            return Some(width);
        }
    }
    Some(n_inputs)
}

impl Layer {
    /// The layer's output width for an input of `width` values.
    pub fn output_width(&self, width: usize) -> usize {
        match self {
            Layer::Linear { out_features, .. } | Layer::Map { out_features, .. } => *out_features,
            _ => width,
        }
    }

    /// The input width the layer fixes, if it fixes one: a `map` takes the columns of its matrix;
    /// a `linear` takes any width (its weights are sized from the data), and the others keep
    /// the width they are given.
    pub fn fixed_input_width(&self) -> Option<usize> {
        match self {
            Layer::Map { out_features, matrix } if *out_features > 0 => Some(matrix.len() / out_features),
            _ => None,
        }
    }

    /// How many trainable numbers the layer has for an input of `width` values.
    pub fn n_params(&self, width: usize) -> usize {
        match self {
            Layer::Linear { out_features, bias } => out_features * width + if *bias { *out_features } else { 0 },
            Layer::Bias => width,
            _ => 0,
        }
    }
}

/// The name the layers had when only the head had them.
pub type HeadLayer = Layer;

#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// The path as written (relative to the .qml file), the label column (several for vector
    /// targets: `label = ["y1", "y2"]`) and, if given, the feature columns to keep (`columns`;
    /// kept in file order).
    Csv {
        path: String,
        labels: Vec<String>,
        columns: Option<Vec<String>>,
    },
    Moons {
        samples: usize,
        noise: f64,
    },
    Circles {
        samples: usize,
        noise: f64,
        factor: f64,
    },
    /// Fisher's iris table; `classes` keeps the rows of those classes (indices into the sorted
    /// species), `columns` those features (indices, kept in table order).
    Iris {
        classes: Option<Vec<usize>>,
        columns: Option<Vec<usize>>,
    },
    Parity {
        bits: usize,
    },
    Xor {
        samples: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Features {
    None,
    Scale(f64, f64),
    /// Zero mean and unit population variance over the training rows, as scikit-learn's StandardScaler.
    Standardize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The mean squared error against the numeric label (or the label columns, one per output).
    Mse,
    /// `mse(onehot)`: against the class label as a one-hot vector over the outputs.
    MseOneHot,
    /// `mse(signed)`: against the class label as a ±1 vector (+1 at the class, −1 elsewhere); with
    /// one output and two classes, −1 for the first class and +1 for the second.
    MseSigned,
    CrossEntropy,
    /// The negative log of the output that is the label's class probability.
    Nll,
    /// Binary cross-entropy of one output in (0, 1) against labels 0 and 1.
    Bce,
    Hinge,
}

impl Loss {
    /// The loss as a train block writes it.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::MseOneHot => "mse(onehot)",
            Loss::MseSigned => "mse(signed)",
            Loss::CrossEntropy => "cross_entropy",
            Loss::Nll => "nll",
            Loss::Bce => "bce",
            Loss::Hinge => "hinge",
        }
    }

    /// Whether the loss trains a classifier, so that accuracy is reported.
    pub fn classifies(self) -> bool {
        self != Loss::Mse
    }

    /// Whether the labels are classes, numbered 0..k−1 as `cross_entropy` numbers them.
    pub fn uses_classes(self) -> bool {
        matches!(self, Loss::CrossEntropy | Loss::Nll | Loss::MseOneHot | Loss::MseSigned)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    Sgd {
        lr: f64,
    },
    Momentum {
        lr: f64,
        beta: f64,
    },
    Nesterov {
        lr: f64,
        beta: f64,
    },
    Adagrad {
        lr: f64,
        eps: f64,
    },
    RmsProp {
        lr: f64,
        alpha: f64,
        eps: f64,
    },
    Adam {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
    },
    Spsa {
        a: f64,
        c: f64,
    },
    /// PennyLane's RotosolveOptimizer: each param in turn set to the minimum of its sinusoid.
    Rotosolve,
    /// COBYLA (the `cobyla` crate, NLopt's translation): one objective evaluation per epoch.
    Cobyla {
        rhobeg: f64,
    },
    /// PyTorch's LBFGS with `max_iter = 1` per step and no line search.
    Lbfgs {
        lr: f64,
        history: usize,
    },
    /// PennyLane's QNGOptimizer: the gradient preconditioned by the metric tensor's pseudo-inverse.
    Qng {
        lr: f64,
        approx: MetricApprox,
        lam: f64,
    },
}

impl Optimizer {
    /// The learning rate a schedule scales, if the optimizer has one (`rotosolve`, `cobyla` and
    /// `spsa` have none: SPSA's gains follow their own decay).
    pub fn learning_rate(&self) -> Option<f64> {
        match *self {
            Optimizer::Sgd { lr }
            | Optimizer::Momentum { lr, .. }
            | Optimizer::Nesterov { lr, .. }
            | Optimizer::Adagrad { lr, .. }
            | Optimizer::RmsProp { lr, .. }
            | Optimizer::Adam { lr, .. }
            | Optimizer::Lbfgs { lr, .. }
            | Optimizer::Qng { lr, .. } => Some(lr),
            Optimizer::Spsa { .. } | Optimizer::Rotosolve | Optimizer::Cobyla { .. } => None,
        }
    }

    /// Its name as written in a train block.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd { .. } => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Nesterov { .. } => "nesterov",
            Optimizer::Adagrad { .. } => "adagrad",
            Optimizer::RmsProp { .. } => "rmsprop",
            Optimizer::Adam { .. } => "adam",
            Optimizer::Spsa { .. } => "spsa",
            Optimizer::Rotosolve => "rotosolve",
            Optimizer::Cobyla { .. } => "cobyla",
            Optimizer::Lbfgs { .. } => "lbfgs",
            Optimizer::Qng { .. } => "qng",
        }
    }
}

/// What a train block without data optimizes: the model's single output (LANGUAGE.md §10.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    Minimize,
    Maximize,
}

/// Which blocks of the metric tensor `qng` computes (PennyLane's `approx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricApprox {
    BlockDiag,
    Diag,
}

/// A learning-rate schedule, applied per epoch as PyTorch's schedulers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// StepLR: the rate is multiplied by `gamma` every `every` epochs.
    Step { every: usize, gamma: f64 },
    /// ExponentialLR: the rate is multiplied by `gamma` every epoch.
    Exponential { gamma: f64 },
    /// CosineAnnealingLR with `T_max` = the block's epochs.
    Cosine { min_lr: f64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradientMethod {
    Auto,
    Adjoint,
    ParameterShift,
    FiniteDiff,
}

impl GradientMethod {
    pub fn from_name(name: &str) -> Option<GradientMethod> {
        Some(match name {
            "auto" => GradientMethod::Auto,
            "adjoint" => GradientMethod::Adjoint,
            "parameter_shift" => GradientMethod::ParameterShift,
            "finite_diff" => GradientMethod::FiniteDiff,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            GradientMethod::Auto => "auto",
            GradientMethod::Adjoint => "adjoint",
            GradientMethod::ParameterShift => "parameter_shift",
            GradientMethod::FiniteDiff => "finite_diff",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrainBlock {
    pub name: Option<String>,
    /// The training data; `None` exactly when the block has an `objective`.
    pub data: Option<DataSource>,
    /// `minimize` or `maximize`: the block trains the model's single output, without data.
    pub objective: Option<Objective>,
    /// A fixed test set (`test …`), used instead of `split`.
    pub test: Option<DataSource>,
    pub features: Features,
    pub split: f64,
    pub shuffle: bool,
    pub loss: Loss,
    pub optimizer: Optimizer,
    pub schedule: Option<Schedule>,
    pub epochs: usize,
    pub batch: usize,
    pub gradient: GradientMethod,
    pub shots: Option<usize>,
    pub seed: u64,
    pub patience: Option<usize>,
    pub span: Span,
}

/// A whole lowered model.
#[derive(Clone, Debug, PartialEq)]
pub struct Circuit {
    pub n_qubits: usize,
    pub inputs: Vec<Variable>,
    pub params: Vec<Param>,
    pub ops: Vec<Op>,
    pub measurements: Vec<Measurement>,
    pub head: Vec<Layer>,
    /// Classical layers applied to each data row before it is bound to the inputs.
    pub encode: Vec<Layer>,
    pub train: Vec<TrainBlock>,
    /// Flat input indices that must hold 0 or 1 (the bits of a `basis_embedding` of an input),
    /// checked before the circuit runs.
    pub binary_inputs: Vec<usize>,
}

impl Circuit {
    pub fn n_inputs(&self) -> usize {
        self.inputs.iter().map(Variable::size).sum()
    }

    pub fn n_params(&self) -> usize {
        self.params.iter().map(|p| p.variable.size()).sum()
    }

    /// The number of measured (pre-head) outputs, or `None` if a `sample`/`state` is measured.
    pub(crate) fn n_measured_outputs(&self) -> Option<usize> {
        self.measurements.iter().map(Measurement::n_outputs).sum()
    }

    pub fn gates(&self) -> impl Iterator<Item = &Gate> {
        self.ops.iter().filter_map(|op| match op {
            Op::Gate(g) => Some(g),
            Op::StatePrep(_) => None,
        })
    }
}
