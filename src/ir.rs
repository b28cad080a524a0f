//! The lowered program: a flat gate list on numbered wires, angles as small expressions over inputs and params.
//!
//! Everything here is plain data. Lowering resolves every name, unrolls every loop and expands
//! every template, `def`, `adj` and `ctrl`, so the simulator never sees a name or a span of source
//! it would have to interpret. Spans are carried only so that later diagnostics can point back.

use crate::source::Span;

/// A qubit index in `0..n_qubits`. Wire 0 is the most significant bit of a basis-state index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wire(pub u32);

impl Wire {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A one-argument real function usable in angle expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Floor,
}

impl Func {
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "tan" => Func::Tan,
            "asin" => Func::Asin,
            "acos" => Func::Acos,
            "atan" => Func::Atan,
            "exp" => Func::Exp,
            "log" => Func::Log,
            "sqrt" => Func::Sqrt,
            "abs" => Func::Abs,
            "floor" => Func::Floor,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Floor => "floor",
        }
    }

    pub fn apply(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Asin => x.asin(),
            Func::Acos => x.acos(),
            Func::Atan => x.atan(),
            Func::Exp => x.exp(),
            Func::Log => x.ln(),
            Func::Sqrt => x.sqrt(),
            Func::Abs => x.abs(),
            Func::Floor => x.floor(),
        }
    }

    /// The derivative of the function at `x`.
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.cos(),
            Func::Cos => -x.sin(),
            Func::Tan => 1.0 / (x.cos() * x.cos()),
            Func::Asin => 1.0 / (1.0 - x * x).sqrt(),
            Func::Acos => -1.0 / (1.0 - x * x).sqrt(),
            Func::Atan => 1.0 / (1.0 + x * x),
            Func::Exp => x.exp(),
            Func::Log => 1.0 / x,
            Func::Sqrt => 0.5 / x.sqrt(),
            Func::Abs => x.signum(),
            Func::Floor => 0.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// Floored modulo, as Python's `%` (the sign follows the divisor).
    Rem,
    Pow,
}

/// An angle: a real expression over constants, flat input indices and flat param indices.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Const(f64),
    /// The flat index into the concatenated input vector (declaration order, row-major).
    Input(usize),
    /// The flat index into the concatenated param vector (declaration order, row-major).
    Param(usize),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>),
}

/// Python's floored modulo, shared by constant folding and evaluation.
pub fn floored_rem(a: f64, b: f64) -> f64 {
    a - b * (a / b).floor()
}

impl Expr {
    pub fn constant(&self) -> Option<f64> {
        match self {
            Expr::Const(c) => Some(*c),
            _ => None,
        }
    }

    /// Builds `-e`, folding constants.
    pub fn negated(e: Expr) -> Expr {
        match e {
            Expr::Const(c) => Expr::Const(-c),
            Expr::Neg(inner) => *inner,
            other => Expr::Neg(Box::new(other)),
        }
    }

    /// Builds `a op b`, folding constants and the identities that keep gate lists readable.
    pub fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
        if let (Some(x), Some(y)) = (a.constant(), b.constant()) {
            return Expr::Const(eval_binary(op, x, y));
        }
        if let (BinOp::Add, Expr::Neg(negated)) = (op, &b) {
            return Expr::Binary(BinOp::Sub, Box::new(a), negated.clone());
        }
        match (op, a.constant(), b.constant()) {
            (BinOp::Add, Some(0.0), _) => return b,
            (BinOp::Add | BinOp::Sub, _, Some(0.0)) => return a,
            (BinOp::Mul, Some(1.0), _) => return b,
            (BinOp::Mul | BinOp::Div, _, Some(1.0)) => return a,
            _ => {}
        }
        Expr::Binary(op, Box::new(a), Box::new(b))
    }

    pub fn call(func: Func, arg: Expr) -> Expr {
        match arg.constant() {
            Some(x) => Expr::Const(func.apply(x)),
            None => Expr::Call(func, Box::new(arg)),
        }
    }

    pub fn eval(&self, inputs: &[f64], params: &[f64]) -> f64 {
        match self {
            Expr::Const(c) => *c,
            Expr::Input(i) => inputs[*i],
            Expr::Param(i) => params[*i],
            Expr::Neg(e) => -e.eval(inputs, params),
            Expr::Binary(op, a, b) => eval_binary(*op, a.eval(inputs, params), b.eval(inputs, params)),
            Expr::Call(f, e) => f.apply(e.eval(inputs, params)),
        }
    }

    /// Evaluates the expression and its derivative with respect to param `param_idx` (forward mode).
    pub fn eval_with_derivative(&self, inputs: &[f64], params: &[f64], param_idx: usize) -> (f64, f64) {
        match self {
            Expr::Const(c) => (*c, 0.0),
            Expr::Input(i) => (inputs[*i], 0.0),
            Expr::Param(i) => (params[*i], if *i == param_idx { 1.0 } else { 0.0 }),
            Expr::Neg(e) => {
                let (v, d) = e.eval_with_derivative(inputs, params, param_idx);
                (-v, -d)
            }
            Expr::Binary(op, a, b) => {
                let (x, dx) = a.eval_with_derivative(inputs, params, param_idx);
                let (y, dy) = b.eval_with_derivative(inputs, params, param_idx);
                let value = eval_binary(*op, x, y);
                let derivative = match op {
                    BinOp::Add => dx + dy,
                    BinOp::Sub => dx - dy,
                    BinOp::Mul => dx * y + x * dy,
                    BinOp::Div => (dx * y - x * dy) / (y * y),
                    BinOp::Rem => dx - dy * (x / y).floor(),
                    BinOp::Pow => {
                        // d(x^y) = y x^(y-1) dx + x^y ln(x) dy; the second term only where it is defined.
                        let mut d = if dx != 0.0 { y * x.powf(y - 1.0) * dx } else { 0.0 };
                        if dy != 0.0 {
                            d += value * x.ln() * dy;
                        }
                        d
                    }
                };
                (value, derivative)
            }
            Expr::Call(f, e) => {
                let (x, dx) = e.eval_with_derivative(inputs, params, param_idx);
                (f.apply(x), if dx != 0.0 { f.derivative(x) * dx } else { 0.0 })
            }
        }
    }

    /// The flat param indices this expression reads, sorted and without repeats.
    pub fn params(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_params(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_params(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Param(i) => out.push(*i),
            Expr::Const(_) | Expr::Input(_) => {}
            Expr::Neg(e) | Expr::Call(_, e) => e.collect_params(out),
            Expr::Binary(_, a, b) => {
                a.collect_params(out);
                b.collect_params(out);
            }
        }
    }

    /// The partial derivatives `(param_idx, d expr / d param)` for every param the expression reads.
    pub fn param_partials(&self, inputs: &[f64], params: &[f64]) -> Vec<(usize, f64)> {
        self.params().into_iter().map(|p| (p, self.eval_with_derivative(inputs, params, p).1)).collect()
    }
}

pub fn eval_binary(op: BinOp, x: f64, y: f64) -> f64 {
    match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        BinOp::Rem => floored_rem(x, y),
        BinOp::Pow => x.powf(y),
    }
}

/// The primitive gates of LANGUAGE.md §4.1, with PennyLane's matrices.
///
/// `SXdg` has no surface name: it is what `adj { sx q }` lowers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GateKind {
    Id,
    X,
    Y,
    Z,
    H,
    S,
    Sdg,
    T,
    Tdg,
    SX,
    SXdg,
    RX,
    RY,
    RZ,
    Phase,
    Rot,
    U3,
    CNOT,
    CY,
    CZ,
    Swap,
    CRX,
    CRY,
    CRZ,
    CPhase,
    IsingXX,
    IsingYY,
    IsingZZ,
    Toffoli,
    CSwap,
    /// Acts on any number (≥ 1) of wires.
    MultiRZ,
}

impl GateKind {
    /// The number of wires, or `None` for `multirz`, which takes any positive number.
    pub fn n_wires(self) -> Option<usize> {
        use GateKind::*;
        match self {
            Id | X | Y | Z | H | S | Sdg | T | Tdg | SX | SXdg | RX | RY | RZ | Phase | Rot | U3 => Some(1),
            CNOT | CY | CZ | Swap | CRX | CRY | CRZ | CPhase | IsingXX | IsingYY | IsingZZ => Some(2),
            Toffoli | CSwap => Some(3),
            MultiRZ => None,
        }
    }

    pub fn n_angles(self) -> usize {
        use GateKind::*;
        match self {
            RX | RY | RZ | Phase | CRX | CRY | CRZ | CPhase | IsingXX | IsingYY | IsingZZ | MultiRZ => 1,
            Rot | U3 => 3,
            _ => 0,
        }
    }

    /// The canonical surface name (used by `draw`, `export` and the optimizer's reports).
    pub fn name(self) -> &'static str {
        use GateKind::*;
        match self {
            Id => "id",
            X => "x",
            Y => "y",
            Z => "z",
            H => "h",
            S => "s",
            Sdg => "sdg",
            T => "t",
            Tdg => "tdg",
            SX => "sx",
            SXdg => "sxdg",
            RX => "rx",
            RY => "ry",
            RZ => "rz",
            Phase => "phase",
            Rot => "rot",
            U3 => "u3",
            CNOT => "cnot",
            CY => "cy",
            CZ => "cz",
            Swap => "swap",
            CRX => "crx",
            CRY => "cry",
            CRZ => "crz",
            CPhase => "cphase",
            IsingXX => "isingxx",
            IsingYY => "isingyy",
            IsingZZ => "isingzz",
            Toffoli => "toffoli",
            CSwap => "cswap",
            MultiRZ => "multirz",
        }
    }

    /// Looks up a surface gate name or alias.
    pub fn from_name(name: &str) -> Option<GateKind> {
        use GateKind::*;
        Some(match name {
            "id" => Id,
            "x" => X,
            "y" => Y,
            "z" => Z,
            "h" => H,
            "s" => S,
            "sdg" => Sdg,
            "t" => T,
            "tdg" => Tdg,
            "sx" => SX,
            "rx" => RX,
            "ry" => RY,
            "rz" => RZ,
            "phase" | "p" => Phase,
            "rot" => Rot,
            "u3" => U3,
            "cnot" | "cx" => CNOT,
            "cy" => CY,
            "cz" => CZ,
            "swap" => Swap,
            "crx" => CRX,
            "cry" => CRY,
            "crz" => CRZ,
            "cphase" | "cp" => CPhase,
            "isingxx" => IsingXX,
            "isingyy" => IsingYY,
            "isingzz" => IsingZZ,
            "toffoli" | "ccx" => Toffoli,
            "cswap" => CSwap,
            "multirz" => MultiRZ,
            _ => return None,
        })
    }

    /// Every surface name, aliases included (for completion and did-you-mean).
    pub const SURFACE_NAMES: &'static [&'static str] = &[
        "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "phase", "p", "rot", "u3", "cnot",
        "cx", "cy", "cz", "swap", "crx", "cry", "crz", "cphase", "cp", "isingxx", "isingyy", "isingzz", "toffoli",
        "ccx", "cswap", "multirz",
    ];

    /// Whether the gate is its own inverse (so two in a row on the same wires cancel).
    pub fn is_self_inverse(self) -> bool {
        use GateKind::*;
        matches!(self, Id | X | Y | Z | H | CNOT | CY | CZ | Swap | Toffoli | CSwap)
    }
}

/// One gate application. `controls` are extra control wires added by `ctrl { }` blocks: the gate
/// acts on `wires` only where every control wire is |1>.
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    pub kind: GateKind,
    pub wires: Vec<Wire>,
    pub angles: Vec<Expr>,
    pub controls: Vec<Wire>,
    /// The source statement this gate came from.
    pub span: Span,
}

/// Amplitude embedding: prepares `wires`, which are still |0…0> and unentangled when it runs,
/// in the state whose amplitudes are `amplitudes` padded with `pad` to 2^k and, if `normalize`,
/// divided by their norm. Without `normalize` a norm that is not 1 (to 1e-9) is a run-time error.
#[derive(Clone, Debug, PartialEq)]
pub struct StatePrep {
    pub wires: Vec<Wire>,
    pub amplitudes: Vec<Expr>,
    pub normalize: bool,
    pub pad: Option<f64>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Gate(Gate),
    StatePrep(StatePrep),
}

impl Op {
    /// Every wire the operation touches, controls included.
    pub fn all_wires(&self) -> Vec<Wire> {
        match self {
            Op::Gate(g) => g.controls.iter().chain(g.wires.iter()).copied().collect(),
            Op::StatePrep(p) => p.wires.clone(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Op::Gate(g) => g.span,
            Op::StatePrep(p) => p.span,
        }
    }
}

/// A single-qubit factor of a Pauli word (`H` is the Hadamard observable, as PennyLane's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pauli {
    I,
    X,
    Y,
    Z,
    H,
}

impl Pauli {
    pub fn name(self) -> &'static str {
        match self {
            Pauli::I => "I",
            Pauli::X => "X",
            Pauli::Y => "Y",
            Pauli::Z => "Z",
            Pauli::H => "H",
        }
    }
}

/// `coefficient * P_1(w_1) @ P_2(w_2) @ …`, the wires of one term distinct.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub coefficient: f64,
    pub factors: Vec<(Pauli, Wire)>,
}

/// A real linear combination of Pauli words.
#[derive(Clone, Debug, PartialEq)]
pub struct Observable {
    pub terms: Vec<Term>,
}

impl Observable {
    pub fn wires(&self) -> Vec<Wire> {
        let mut wires: Vec<Wire> = self.terms.iter().flat_map(|t| t.factors.iter().map(|f| f.1)).collect();
        wires.sort();
        wires.dedup();
        wires
    }
}

impl std::fmt::Display for Observable {
    /// Prints the observable as the language writes it: `Z(0) @ Z(1)`, `0.5 * Z(0) - 1.2 * X(2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (term_idx, term) in self.terms.iter().enumerate() {
            let word = if term.factors.is_empty() {
                "I".to_string()
            } else {
                term.factors.iter().map(|(p, w)| format!("{}({})", p.name(), w.0)).collect::<Vec<_>>().join(" @ ")
            };
            let magnitude = term.coefficient.abs();
            let sign = if term.coefficient < 0.0 { "-" } else { "+" };
            if term_idx == 0 {
                if term.coefficient < 0.0 {
                    write!(f, "-")?;
                }
            } else {
                write!(f, " {sign} ")?;
            }
            if magnitude == 1.0 {
                write!(f, "{word}")?;
            } else {
                write!(f, "{magnitude} * {word}")?;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Measurement {
    Expval(Observable),
    Var(Observable),
    /// Probabilities of the listed wires' basis states, first wire most significant.
    Probs(Vec<Wire>),
    /// One eigenvalue of the observable per shot (`run` only).
    Sample(Observable),
    /// The amplitudes (`run` only).
    State,
}

impl Measurement {
    /// The number of real outputs this measurement contributes; `None` where it depends on shots
    /// (`sample`) or is complex (`state`).
    pub fn n_outputs(&self) -> Option<usize> {
        match self {
            Measurement::Expval(_) | Measurement::Var(_) => Some(1),
            Measurement::Probs(wires) => Some(1 << wires.len()),
            Measurement::Sample(_) | Measurement::State => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Measurement::Expval(_) => "expval",
            Measurement::Var(_) => "var",
            Measurement::Probs(_) => "probs",
            Measurement::Sample(_) => "sample",
            Measurement::State => "state",
        }
    }

    /// The measurement as the language writes it, e.g. `Z(0) @ Z(1)` or `probs(0, 1)`.
    pub fn describe(&self) -> String {
        match self {
            Measurement::Expval(o) | Measurement::Var(o) | Measurement::Sample(o) => o.to_string(),
            Measurement::Probs(wires) => {
                format!("probs({})", wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", "))
            }
            Measurement::State => "state".to_string(),
        }
    }

    pub fn wires(&self, n_qubits: usize) -> Vec<Wire> {
        match self {
            Measurement::Expval(o) | Measurement::Var(o) | Measurement::Sample(o) => o.wires(),
            Measurement::Probs(wires) => wires.clone(),
            Measurement::State => (0..n_qubits as u32).map(Wire).collect(),
        }
    }
}

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

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HeadLayer {
    Linear { out_features: usize },
    Relu,
    Tanh,
    Sigmoid,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// The path as written (relative to the .qml file), and the label column.
    Csv {
        path: String,
        label: String,
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
    Iris,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    Mse,
    CrossEntropy,
    Hinge,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    Sgd { lr: f64 },
    Momentum { lr: f64, beta: f64 },
    Nesterov { lr: f64, beta: f64 },
    Adagrad { lr: f64, eps: f64 },
    RmsProp { lr: f64, alpha: f64, eps: f64 },
    Adam { lr: f64, beta1: f64, beta2: f64, eps: f64 },
    Spsa { a: f64, c: f64 },
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
    pub data: DataSource,
    pub features: Features,
    pub split: f64,
    pub shuffle: bool,
    pub loss: Loss,
    pub optimizer: Optimizer,
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
    pub head: Vec<HeadLayer>,
    pub train: Vec<TrainBlock>,
}

impl Circuit {
    pub fn n_inputs(&self) -> usize {
        self.inputs.iter().map(Variable::size).sum()
    }

    pub fn n_params(&self) -> usize {
        self.params.iter().map(|p| p.variable.size()).sum()
    }

    /// The number of measured (pre-head) outputs, or `None` if a `sample`/`state` is measured.
    pub fn n_measured_outputs(&self) -> Option<usize> {
        self.measurements.iter().map(Measurement::n_outputs).sum()
    }

    pub fn gates(&self) -> impl Iterator<Item = &Gate> {
        self.ops.iter().filter_map(|op| match op {
            Op::Gate(g) => Some(g),
            Op::StatePrep(_) => None,
        })
    }
}

impl Circuit {
    /// The name of a flat param or input element, as the source writes it: `w[1, 0, 2]`.
    pub fn element_name(&self, variables: &[&Variable], flat_index: usize) -> String {
        for variable in variables {
            if flat_index >= variable.offset && flat_index < variable.offset + variable.size() {
                if variable.shape.is_empty() {
                    return variable.name.clone();
                }
                let mut rest = flat_index - variable.offset;
                let mut indices = vec![0; variable.shape.len()];
                for dim in (0..variable.shape.len()).rev() {
                    indices[dim] = rest % variable.shape[dim];
                    rest /= variable.shape[dim];
                }
                let joined = indices.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
                return format!("{}[{joined}]", variable.name);
            }
        }
        format!("?{flat_index}")
    }

    /// Writes an angle with the source's names for inputs and params.
    pub fn describe_expr(&self, expr: &Expr) -> String {
        let inputs: Vec<&Variable> = self.inputs.iter().collect();
        let params: Vec<&Variable> = self.params.iter().map(|p| &p.variable).collect();
        self.describe_expr_with(expr, &inputs, &params, 0)
    }

    fn describe_expr_with(
        &self,
        expr: &Expr,
        inputs: &[&Variable],
        params: &[&Variable],
        parent_precedence: u8,
    ) -> String {
        let (text, precedence) = match expr {
            Expr::Const(c) => (format_number(*c), 9),
            Expr::Input(i) => (self.element_name(inputs, *i), 9),
            Expr::Param(i) => (self.element_name(params, *i), 9),
            Expr::Neg(e) => (format!("-{}", self.describe_expr_with(e, inputs, params, 8)), 7),
            Expr::Call(f, e) => (format!("{}({})", f.name(), self.describe_expr_with(e, inputs, params, 0)), 9),
            Expr::Binary(BinOp::Rem, a, b) => {
                let a = self.describe_expr_with(a, inputs, params, 0);
                let b = self.describe_expr_with(b, inputs, params, 0);
                (format!("mod({a}, {b})"), 9)
            }
            Expr::Binary(op, a, b) => {
                let (symbol, precedence) = match op {
                    BinOp::Add => ("+", 5),
                    BinOp::Sub => ("-", 5),
                    BinOp::Mul => ("*", 6),
                    BinOp::Div => ("/", 6),
                    BinOp::Pow => ("^", 8),
                    BinOp::Rem => unreachable!("handled above"),
                };
                // Right operands of non-commutative operators bind one level tighter.
                let right_precedence =
                    if matches!(op, BinOp::Sub | BinOp::Div | BinOp::Pow) { precedence + 1 } else { precedence };
                let left_precedence = if *op == BinOp::Pow { precedence + 1 } else { precedence };
                let a = self.describe_expr_with(a, inputs, params, left_precedence);
                let b = self.describe_expr_with(b, inputs, params, right_precedence);
                (format!("{a} {symbol} {b}"), precedence)
            }
        };
        if precedence < parent_precedence {
            format!("({text})")
        } else {
            text
        }
    }

    /// One line per operation, in the language's own syntax: `rot(w[0, 0, 0], w[0, 0, 1], w[0, 0, 2]) 0`.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for op in &self.ops {
            match op {
                Op::Gate(gate) => {
                    if !gate.controls.is_empty() {
                        let controls = gate.controls.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                        out.push_str(&format!("ctrl({controls}) "));
                    }
                    out.push_str(gate.kind.name());
                    if !gate.angles.is_empty() {
                        let angles = gate.angles.iter().map(|a| self.describe_expr(a)).collect::<Vec<_>>().join(", ");
                        out.push_str(&format!("({angles})"));
                    }
                    let wires = gate.wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                    out.push_str(&format!(" {wires}\n"));
                }
                Op::StatePrep(prep) => {
                    let amplitudes =
                        prep.amplitudes.iter().map(|a| self.describe_expr(a)).collect::<Vec<_>>().join(", ");
                    let wires = prep.wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", ");
                    out.push_str(&format!(
                        "state_prep([{amplitudes}], normalize = {}, pad = {:?}) {wires}\n",
                        prep.normalize, prep.pad
                    ));
                }
            }
        }
        for measurement in &self.measurements {
            match measurement {
                Measurement::Probs(_) | Measurement::State => {
                    out.push_str(&format!("measure {}\n", measurement.describe()))
                }
                _ => out.push_str(&format!("measure {}({})\n", measurement.kind(), measurement.describe())),
            }
        }
        out
    }
}

/// Writes a number the way a person would: `3`, `0.5`, `3.141592653589793`.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
