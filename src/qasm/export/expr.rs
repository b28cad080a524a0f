//! Angles in OpenQASM 3: values bound in, constants folded, and the rest written with OpenQASM's operators and built-in functions.

use super::names::Names;
use super::Values;
use crate::ir::{BinOp, Expr, Func, Func2};

/// The expression with every param (input) that has a value replaced by it, constants folded
/// as lowering folds them.
pub(super) fn bind(expr: &Expr, values: &Values) -> Expr {
    match expr {
        Expr::Const(value) => Expr::Const(*value),
        Expr::Input(index) => match values.inputs.and_then(|inputs| inputs.get(*index)) {
            Some(value) => Expr::Const(*value),
            None => Expr::Input(*index),
        },
        Expr::Param(index) => match values.params.and_then(|params| params.get(*index)) {
            Some(value) => Expr::Const(*value),
            None => Expr::Param(*index),
        },
        Expr::Neg(inner) => Expr::negated(bind(inner, values)),
        Expr::Binary(op, left, right) => Expr::binary(*op, bind(left, values), bind(right, values)),
        Expr::Call(function, argument) => Expr::call(*function, bind(argument, values)),
        Expr::Call2(function, first, second) => Expr::call2(*function, bind(first, values), bind(second, values)),
    }
}

/// A constant of the expression that is not a finite number (`log(0)` folded to `-inf`), which
/// no OpenQASM 3 number writes and which makes the angle itself not finite.
pub(super) fn non_finite_constant(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Const(value) => (!value.is_finite()).then_some(*value),
        Expr::Input(_) | Expr::Param(_) => None,
        Expr::Neg(inner) | Expr::Call(_, inner) => non_finite_constant(inner),
        Expr::Binary(_, left, right) | Expr::Call2(_, left, right) => {
            non_finite_constant(left).or_else(|| non_finite_constant(right))
        }
    }
}

/// A number as OpenQASM 3 reads it back exactly: Rust's shortest round-trip form, which always
/// has a `.` or an exponent (`1.0`, `0.1`, `1e-7`).
pub(crate) fn number(value: f64) -> String {
    format!("{value:?}")
}

/// Binding strengths, loosest first: `+ -`, `* /`, unary minus, `**`, atoms.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const UNARY: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// The expression as OpenQASM 3 text, or the name of a function OpenQASM 3 lacks that it applies
/// to something that is not a number.
pub(super) fn qasm(expr: &Expr, names: &Names) -> Result<String, &'static str> {
    Ok(written(expr, names)?.0)
}

fn wrap((text, strength): (String, u8), needed: u8) -> String {
    if strength < needed {
        format!("({text})")
    } else {
        text
    }
}

fn written(expr: &Expr, names: &Names) -> Result<(String, u8), &'static str> {
    Ok(match expr {
        // A negative number is an operand of unary minus, and binds as one.
        Expr::Const(value) if value.is_sign_negative() => (number(*value), UNARY),
        Expr::Const(value) => (number(*value), ATOM),
        Expr::Input(index) => (names.input(*index).to_string(), ATOM),
        Expr::Param(index) => (names.param(*index).to_string(), ATOM),
        Expr::Neg(inner) => (format!("-{}", wrap(written(inner, names)?, UNARY)), UNARY),
        Expr::Binary(BinOp::Rem, left, right) => {
            // Floored modulo, as qmlc computes it: a − b·floor(a / b).
            let left = wrap(written(left, names)?, PRODUCT);
            let right_operand = wrap(written(right, names)?, ATOM);
            (format!("{left} - {right_operand} * floor({left} / {right_operand})"), SUM)
        }
        Expr::Binary(op, left, right) => {
            let (symbol, strength) = match op {
                BinOp::Add => ("+", SUM),
                BinOp::Sub => ("-", SUM),
                BinOp::Mul => ("*", PRODUCT),
                BinOp::Div => ("/", PRODUCT),
                BinOp::Pow => ("**", POWER),
                BinOp::Rem => unreachable!("written above"),
            };
            // The right operand of `-` and `/` binds one level tighter; `**` groups to the right.
            let (left_needed, right_needed) = match op {
                BinOp::Sub | BinOp::Div => (strength, strength + 1),
                BinOp::Pow => (strength + 1, strength),
                _ => (strength, strength),
            };
            let left = wrap(written(left, names)?, left_needed);
            let right = wrap(written(right, names)?, right_needed);
            (format!("{left} {symbol} {right}"), strength)
        }
        Expr::Call(function, argument) => {
            let argument = written(argument, names)?.0;
            let text = match function {
                Func::Sin | Func::Cos | Func::Tan | Func::Exp | Func::Log | Func::Sqrt | Func::Floor => {
                    format!("{}({argument})", function.name())
                }
                Func::Asin => format!("arcsin({argument})"),
                Func::Acos => format!("arccos({argument})"),
                Func::Atan => format!("arctan({argument})"),
                // The hyperbolic functions and the logistic function through `exp`, their definitions.
                Func::Sinh => return Ok((format!("(exp({argument}) - exp(-({argument}))) / 2.0"), PRODUCT)),
                Func::Cosh => return Ok((format!("(exp({argument}) + exp(-({argument}))) / 2.0"), PRODUCT)),
                Func::Tanh => {
                    return Ok((format!("(exp(2.0 * ({argument})) - 1.0) / (exp(2.0 * ({argument})) + 1.0)"), PRODUCT))
                }
                Func::Sigmoid => return Ok((format!("1.0 / (1.0 + exp(-({argument})))"), PRODUCT)),
                Func::Abs => return Err("abs"),
            };
            (text, ATOM)
        }
        Expr::Call2(function, _, _) => {
            return Err(match function {
                Func2::Atan2 => "atan2",
                Func2::Min => "min",
                Func2::Max => "max",
            })
        }
    })
}
