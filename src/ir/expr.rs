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
