//! Angles: small real expressions over constants, inputs and params, with their derivatives.

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
    Tanh,
    Sinh,
    Cosh,
    /// The logistic function 1 / (1 + e^−x).
    Sigmoid,
}

impl Func {
    pub(crate) fn from_name(name: &str) -> Option<Func> {
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
            "tanh" => Func::Tanh,
            "sinh" => Func::Sinh,
            "cosh" => Func::Cosh,
            "sigmoid" => Func::Sigmoid,
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
            Func::Tanh => "tanh",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Sigmoid => "sigmoid",
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
            Func::Tanh => x.tanh(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Sigmoid => sigmoid(x),
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
            Func::Tanh => {
                let y = x.tanh();
                1.0 - y * y
            }
            Func::Sinh => x.cosh(),
            Func::Cosh => x.sinh(),
            Func::Sigmoid => {
                let y = sigmoid(x);
                y * (1.0 - y)
            }
        }
    }
}

/// The logistic function, written so that neither tail overflows.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// A two-argument real function usable in angle expressions (`mod` is [`BinOp::Rem`] instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func2 {
    /// `atan2(y, x)`: the angle of the point (x, y), in (−π, π].
    Atan2,
    Min,
    Max,
}

impl Func2 {
    pub(crate) fn from_name(name: &str) -> Option<Func2> {
        Some(match name {
            "atan2" => Func2::Atan2,
            "min" => Func2::Min,
            "max" => Func2::Max,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Func2::Atan2 => "atan2",
            Func2::Min => "min",
            Func2::Max => "max",
        }
    }

    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Func2::Atan2 => a.atan2(b),
            Func2::Min => a.min(b),
            Func2::Max => a.max(b),
        }
    }

    /// The partial derivatives (d/da, d/db) at (a, b). `min` and `max` pass the derivative of the
    /// argument they choose; on a tie they split it evenly, half to each, as PyTorch's
    /// `torch.minimum` and `torch.maximum` do.
    pub fn partials(self, a: f64, b: f64) -> (f64, f64) {
        match self {
            Func2::Atan2 => {
                // atan2(y, x): d/dy = x / (x² + y²), d/dx = −y / (x² + y²).
                let norm = a * a + b * b;
                (b / norm, -a / norm)
            }
            Func2::Min | Func2::Max => {
                let first_chosen = if self == Func2::Min { a < b } else { a > b };
                if a == b {
                    (0.5, 0.5)
                } else if first_chosen {
                    (1.0, 0.0)
                } else {
                    (0.0, 1.0)
                }
            }
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
    Call2(Func2, Box<Expr>, Box<Expr>),
}

/// Python's floored modulo, shared by constant folding and evaluation.
pub(crate) fn floored_rem(a: f64, b: f64) -> f64 {
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
    pub(crate) fn negated(e: Expr) -> Expr {
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

    /// Builds `func(a, b)`, folding constants.
    pub fn call2(func: Func2, a: Expr, b: Expr) -> Expr {
        match (a.constant(), b.constant()) {
            (Some(x), Some(y)) => Expr::Const(func.apply(x, y)),
            _ => Expr::Call2(func, Box::new(a), Box::new(b)),
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
            Expr::Call2(f, a, b) => f.apply(a.eval(inputs, params), b.eval(inputs, params)),
        }
    }

    /// Evaluates the expression and its derivative with respect to param `param_idx` (forward mode).
    pub(crate) fn eval_with_derivative(&self, inputs: &[f64], params: &[f64], param_idx: usize) -> (f64, f64) {
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
            Expr::Call2(f, a, b) => {
                let (x, dx) = a.eval_with_derivative(inputs, params, param_idx);
                let (y, dy) = b.eval_with_derivative(inputs, params, param_idx);
                let (d_first, d_second) = f.partials(x, y);
                // A zero derivative contributes nothing, even where a partial is not finite.
                let first = if dx != 0.0 { d_first * dx } else { 0.0 };
                let second = if dy != 0.0 { d_second * dy } else { 0.0 };
                (f.apply(x, y), first + second)
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
            Expr::Binary(_, a, b) | Expr::Call2(_, a, b) => {
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

pub(crate) fn eval_binary(op: BinOp, x: f64, y: f64) -> f64 {
    match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        BinOp::Rem => floored_rem(x, y),
        BinOp::Pow => x.powf(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// d/dp of `expr` at `params` by central differences.
    fn numeric_derivative(expr: &Expr, params: &[f64], param_idx: usize) -> f64 {
        let step = 1e-6;
        let (mut plus, mut minus) = (params.to_vec(), params.to_vec());
        plus[param_idx] += step;
        minus[param_idx] -= step;
        (expr.eval(&[], &plus) - expr.eval(&[], &minus)) / (2.0 * step)
    }

    #[test]
    fn the_new_functions_have_their_closed_form_values_and_derivatives() {
        let x: f64 = 0.7;
        // (function, value, derivative), written out by hand.
        let e = std::f64::consts::E;
        let cases = [
            (Func::Tanh, (e.powf(2.0 * x) - 1.0) / (e.powf(2.0 * x) + 1.0), 1.0 / x.cosh().powi(2)),
            (Func::Sinh, (e.powf(x) - e.powf(-x)) / 2.0, (e.powf(x) + e.powf(-x)) / 2.0),
            (Func::Cosh, (e.powf(x) + e.powf(-x)) / 2.0, (e.powf(x) - e.powf(-x)) / 2.0),
            (Func::Sigmoid, 1.0 / (1.0 + e.powf(-x)), e.powf(-x) / (1.0 + e.powf(-x)).powi(2)),
        ];
        for (func, value, derivative) in cases {
            assert!((func.apply(x) - value).abs() < 1e-12, "{func:?}");
            assert!((func.derivative(x) - derivative).abs() < 1e-12, "{func:?}");
            // Through an expression: f(2p + 0.1), whose derivative is 2 f'(2p + 0.1).
            let expr = Expr::call(
                func,
                Expr::binary(BinOp::Add, Expr::binary(BinOp::Mul, Expr::Const(2.0), Expr::Param(0)), Expr::Const(0.1)),
            );
            let params = [0.3];
            let (v, d) = expr.eval_with_derivative(&[], &params, 0);
            assert!((v - func.apply(0.7)).abs() < 1e-15, "{func:?}");
            assert!((d - 2.0 * func.derivative(0.7)).abs() < 1e-12, "{func:?}");
            assert!((d - numeric_derivative(&expr, &params, 0)).abs() < 1e-8, "{func:?}");
        }
        assert_eq!(Func::from_name("sigmoid"), Some(Func::Sigmoid));
        assert_eq!(Func::Sigmoid.apply(-1000.0), 0.0);
    }

    #[test]
    fn two_argument_functions_have_their_partials() {
        let (a, b) = (0.4, -1.3);
        let two =
            |func: Func2| Expr::call2(func, Expr::Param(0), Expr::binary(BinOp::Mul, Expr::Param(1), Expr::Param(0)));
        for func in [Func2::Atan2, Func2::Min, Func2::Max] {
            let expr = two(func);
            let params = [a, b];
            for param_idx in 0..2 {
                let (_, d) = expr.eval_with_derivative(&[], &params, param_idx);
                let numeric = numeric_derivative(&expr, &params, param_idx);
                assert!((d - numeric).abs() < 1e-8, "{func:?} d/dp{param_idx}: {d} vs {numeric}");
            }
        }
        // atan2(y, x): d/dy = x / (x² + y²), d/dx = −y / (x² + y²), the angle of (x, y).
        assert_eq!(Func2::Atan2.apply(1.0, -1.0), 3.0 * std::f64::consts::FRAC_PI_4);
        assert_eq!(Func2::Atan2.partials(1.0, 2.0), (2.0 / 5.0, -1.0 / 5.0));
        assert_eq!(Func2::Min.partials(1.0, 2.0), (1.0, 0.0));
        assert_eq!(Func2::Max.partials(1.0, 2.0), (0.0, 1.0));
        // A tie splits the derivative evenly, as torch.minimum and torch.maximum do.
        assert_eq!(Func2::Max.partials(2.0, 2.0), (0.5, 0.5));
        let tie = Expr::call2(Func2::Max, Expr::Param(0), Expr::Param(0));
        assert_eq!(tie.eval_with_derivative(&[], &[0.3], 0), (0.3, 1.0));
        // Constants fold; a call reads the params of both arguments.
        assert_eq!(Expr::call2(Func2::Min, Expr::Const(2.0), Expr::Const(-1.0)), Expr::Const(-1.0));
        assert_eq!(two(Func2::Max).params(), vec![0, 1]);
    }
}
