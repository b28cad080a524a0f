//! OpenQASM expressions: translated into qmlc angle expressions, or evaluated to numbers where a
//! constant is needed (register sizes, indices, loop bounds, modifier counts).

use super::ast::{BinaryOp, Expr, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::f64::consts::{E, PI, TAU};

/// A constant's value. OpenQASM 3 types an expression: integer literals, `int` consts and loop
/// variables are integers, and an operation on two integers is one (`7/2` is 3); everything else
/// (float literals, `pi`, functions) is real. OpenQASM 2 has only reals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Integer(i64),
    Real(f64),
}

impl Value {
    /// The value as a real number.
    pub fn real(self) -> f64 {
        match self {
            Value::Integer(value) => value as f64,
            Value::Real(value) => value,
        }
    }

    /// The value's qmlc text: an integer as its digits, a real as qmlc reads it back exactly.
    fn text(self) -> (String, u8) {
        number_text(self.real())
    }
}

/// The names an expression may use.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Names with a known value: consts and loop variables.
    pub values: HashMap<String, Value>,
    /// Names that stay names in qmlc: inputs (qmlc params) and gate parameters (def arguments),
    /// mapped to their qmlc spelling.
    pub symbols: HashMap<String, String>,
    /// Whether the program is OpenQASM 3, whose integer literals are integers (in OpenQASM 2
    /// every number is real).
    pub openqasm3: bool,
}

/// OpenQASM's constants, their qmlc names and values.
const CONSTANTS: &[(&str, &str, f64)] =
    &[("pi", "pi", PI), ("π", "pi", PI), ("tau", "tau", TAU), ("τ", "tau", TAU), ("euler", "e", E), ("ℇ", "e", E)];

/// OpenQASM's one-argument functions and their qmlc names.
const FUNCTIONS: &[(&str, &str)] = &[
    ("sin", "sin"),
    ("cos", "cos"),
    ("tan", "tan"),
    ("exp", "exp"),
    ("sqrt", "sqrt"),
    ("ln", "log"),
    ("log", "log"),
    ("arcsin", "asin"),
    ("arccos", "acos"),
    ("arctan", "atan"),
    ("floor", "floor"),
];

/// How tightly a translated expression binds, to decide where parentheses go.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const NEGATION: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// A number as qmlc reads it back exactly: an integer without a point, otherwise Rust's
/// shortest round-trip form (`0.1`, `1e-20`).
pub fn number_text(value: f64) -> (String, u8) {
    let magnitude = value.abs();
    let text = if value.fract() == 0.0 && magnitude < 1e15 {
        format!("{}", magnitude as i64)
    } else {
        format!("{magnitude:?}")
    };
    if value.is_sign_negative() && value != 0.0 {
        (format!("-{text}"), NEGATION)
    } else {
        (text, ATOM)
    }
}

fn wrap(text: String, precedence: u8, at_least: u8) -> String {
    if precedence < at_least {
        format!("({text})")
    } else {
        text
    }
}

fn error(expr: &Expr, code: Code, message: String, label: &str) -> Diagnostic {
    Diagnostic::error(code, message, expr.span, label)
}

/// The value of `left op right`, as Python (and so Qiskit's importer) computes it: an integer
/// quotient or remainder is floored (`-7/2` is -4, `-7 % 2` is 1), a real remainder takes the
/// divisor's sign, which is also qmlc's `%`; an integer power with a negative exponent is real.
fn binary_value(op: BinaryOp, left: Value, right: Value) -> Result<Value, String> {
    let overflow = || "this integer is too large (the importer computes with 64-bit integers)".to_string();
    if let (Value::Integer(a), Value::Integer(b)) = (left, right) {
        let value = match op {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Subtract => a.checked_sub(b),
            BinaryOp::Multiply => a.checked_mul(b),
            BinaryOp::Divide | BinaryOp::Remainder if b == 0 => return Err("division by zero".into()),
            BinaryOp::Divide => {
                a.checked_div(b).map(
                    |quotient| {
                        if a % b != 0 && ((a < 0) != (b < 0)) {
                            quotient - 1
                        } else {
                            quotient
                        }
                    },
                )
            }
            BinaryOp::Remainder => a.checked_rem(b).map(|remainder| {
                if remainder != 0 && ((remainder < 0) != (b < 0)) {
                    remainder + b
                } else {
                    remainder
                }
            }),
            BinaryOp::Power if b < 0 => return real_value((a as f64).powf(b as f64)),
            BinaryOp::Power => match (a, u32::try_from(b)) {
                (_, Ok(exponent)) => a.checked_pow(exponent),
                (0 | 1, Err(_)) => Some(a),
                (-1, Err(_)) => Some(if b % 2 == 0 { 1 } else { -1 }),
                _ => None,
            },
        };
        return value.map(Value::Integer).ok_or_else(overflow);
    }
    let (a, b) = (left.real(), right.real());
    if matches!(op, BinaryOp::Divide | BinaryOp::Remainder) && b == 0.0 {
        return Err("division by zero".into());
    }
    real_value(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Subtract => a - b,
        BinaryOp::Multiply => a * b,
        BinaryOp::Divide => a / b,
        BinaryOp::Remainder => floored_remainder(a, b),
        BinaryOp::Power => a.powf(b),
    })
}

/// A real remainder with the divisor's sign, as Python's `%` and qmlc's `%` and `mod` compute it.
fn floored_remainder(a: f64, b: f64) -> f64 {
    let remainder = a % b;
    if remainder != 0.0 && ((remainder < 0.0) != (b < 0.0)) {
        remainder + b
    } else {
        remainder
    }
}

fn real_value(value: f64) -> Result<Value, String> {
    if value.is_finite() {
        Ok(Value::Real(value))
    } else {
        Err("this expression has no finite value".into())
    }
}

fn negated_value(value: Value) -> Result<Value, String> {
    match value {
        Value::Integer(value) => value
            .checked_neg()
            .map(Value::Integer)
            .ok_or_else(|| "this integer is too large (the importer computes with 64-bit integers)".into()),
        Value::Real(value) => Ok(Value::Real(-value)),
    }
}

/// The value of a function call, `None` when no function of this name takes this many arguments.
/// Every function's value is real.
fn call_value(name: &str, values: &[Value]) -> Option<Result<Value, String>> {
    let reals: Vec<f64> = values.iter().map(|value| value.real()).collect();
    let value = match (name, reals.as_slice()) {
        ("sin", [x]) => x.sin(),
        ("cos", [x]) => x.cos(),
        ("tan", [x]) => x.tan(),
        ("exp", [x]) => x.exp(),
        ("sqrt", [x]) => x.sqrt(),
        ("ln" | "log", [x]) => x.ln(),
        ("arcsin", [x]) => x.asin(),
        ("arccos", [x]) => x.acos(),
        ("arctan", [x]) => x.atan(),
        ("floor", [x]) => x.floor(),
        ("ceiling", [x]) => x.ceil(),
        ("pow", [x, y]) => x.powf(*y),
        ("mod", [_, y]) if *y == 0.0 => return Some(Err("division by zero".into())),
        ("mod", [x, y]) => floored_remainder(*x, *y),
        _ => return None,
    };
    Some(real_value(value))
}

/// Reports an evaluation's error at the expression.
fn checked(expr: &Expr, result: Result<Value, String>, diagnostics: &mut Vec<Diagnostic>) -> Option<Value> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            let label = if message == "division by zero" {
                "divides by zero"
            } else if message.contains("too large") {
                "too large"
            } else {
                "not a finite number"
            };
            diagnostics.push(error(expr, Code::E1017, message, label));
            None
        }
    }
}

/// The value of an integer literal: an integer in OpenQASM 3, a real in OpenQASM 2.
fn literal_value(value: i64, env: &Env) -> Value {
    if env.openqasm3 {
        Value::Integer(value)
    } else {
        Value::Real(value as f64)
    }
}

/// An expression written in qmlc: its text, how tightly it binds, and its value when it has one
/// (it uses no input or gate parameter).
type Translated = (String, u8, Option<Value>);

/// Translates an angle expression into qmlc's syntax, or reports why it cannot be. Every
/// integer-valued part is written as its value, so that qmlc, which computes in reals, never
/// divides integers; a part without inputs whose value is not a finite number is an error here.
pub fn translate(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    translate_inner(expr, env, diagnostics).map(|(text, ..)| text)
}

/// The text of an expression with a known value: an integer is written as its value; a real is
/// written as `structure` says, so that `pi / 2` stays readable.
fn written(value: Option<Value>, structure: impl FnOnce() -> (String, u8)) -> Translated {
    match value {
        Some(Value::Integer(integer)) => {
            let (text, precedence) = Value::Integer(integer).text();
            (text, precedence, value)
        }
        _ => {
            let (text, precedence) = structure();
            (text, precedence, value)
        }
    }
}

fn translate_inner(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<Translated> {
    match &expr.kind {
        ExprKind::Integer(value) => {
            let value = literal_value(*value, env);
            let (text, precedence) = value.text();
            Some((text, precedence, Some(value)))
        }
        ExprKind::Number(value) => {
            if !value.is_finite() {
                diagnostics.push(error(expr, Code::E1017, "this number is too large".into(), "not a finite number"));
                return None;
            }
            let (text, precedence) = number_text(*value);
            Some((text, precedence, Some(Value::Real(*value))))
        }
        ExprKind::Name(name) => {
            if let Some(value) = env.values.get(name) {
                let (text, precedence) = value.text();
                return Some((text, precedence, Some(*value)));
            }
            if let Some(symbol) = env.symbols.get(name) {
                return Some((symbol.clone(), ATOM, None));
            }
            if let Some((_, qml, value)) = CONSTANTS.iter().find(|(written, ..)| written == name) {
                return Some((qml.to_string(), ATOM, Some(Value::Real(*value))));
            }
            diagnostics.push(undeclared(expr, name, env));
            None
        }
        ExprKind::Negate(operand) => {
            let (text, precedence, value) = translate_inner(operand, env, diagnostics)?;
            let value = match value {
                Some(value) => Some(checked(expr, negated_value(value), diagnostics)?),
                None => None,
            };
            Some(written(value, || (format!("-{}", wrap(text, precedence, ATOM)), NEGATION)))
        }
        ExprKind::Binary(op, left, right) => {
            let left = translate_inner(left, env, diagnostics);
            let right = translate_inner(right, env, diagnostics);
            let ((left, left_precedence, left_value), (right, right_precedence, right_value)) = (left?, right?);
            let value = match (left_value, right_value) {
                (Some(left), Some(right)) => Some(checked(expr, binary_value(*op, left, right), diagnostics)?),
                _ => None,
            };
            let (symbol, precedence) = match op {
                BinaryOp::Add => ("+", SUM),
                BinaryOp::Subtract => ("-", SUM),
                BinaryOp::Multiply => ("*", PRODUCT),
                BinaryOp::Divide => ("/", PRODUCT),
                BinaryOp::Remainder => ("%", PRODUCT),
                BinaryOp::Power => ("^", POWER),
            };
            // The left operand keeps its grouping when it binds at least as tightly; the right
            // only when it binds more tightly, so `a - (b - c)` keeps its parentheses. Both
            // sides of a power are parenthesized unless they are atoms.
            let (left_needs, right_needs) =
                if precedence == POWER { (ATOM, ATOM) } else { (precedence, precedence + 1) };
            Some(written(value, || {
                let text = format!(
                    "{} {symbol} {}",
                    wrap(left, left_precedence, left_needs),
                    wrap(right, right_precedence, right_needs)
                );
                (text, precedence)
            }))
        }
        ExprKind::Call(name, args) => {
            let translated: Vec<Option<Translated>> =
                args.iter().map(|arg| translate_inner(arg, env, diagnostics)).collect();
            let translated: Vec<Translated> = translated.into_iter().collect::<Option<_>>()?;
            let arity = |count: usize, diagnostics: &mut Vec<Diagnostic>| {
                if args.len() == count {
                    return true;
                }
                diagnostics.push(error(
                    expr,
                    Code::E1017,
                    format!("`{}` takes {count} argument{}, given {}", name.text, plural(count), args.len()),
                    "wrong number of arguments",
                ));
                false
            };
            let known = FUNCTIONS.iter().any(|(written, _)| *written == name.text)
                || ["pow", "mod", "ceiling"].contains(&name.text.as_str());
            let arity_ok = match name.text.as_str() {
                _ if !known => true,
                "pow" | "mod" => arity(2, diagnostics),
                _ => arity(1, diagnostics),
            };
            if !arity_ok {
                return None;
            }
            let values: Option<Vec<Value>> = translated.iter().map(|(.., value)| *value).collect();
            let value = match values.and_then(|values| call_value(&name.text, &values)) {
                Some(result) => Some(checked(expr, result, diagnostics)?),
                None => None,
            };
            let text = |slot: usize| translated[slot].0.clone();
            if let Some((_, qml)) = FUNCTIONS.iter().find(|(written, _)| *written == name.text) {
                return Some((format!("{qml}({})", text(0)), ATOM, value));
            }
            match name.text.as_str() {
                "pow" => {
                    let text =
                        format!("{} ^ {}", wrap(text(0), translated[0].1, ATOM), wrap(text(1), translated[1].1, ATOM));
                    Some((text, POWER, value))
                }
                "mod" => Some((format!("mod({}, {})", text(0), text(1)), ATOM, value)),
                "ceiling" => Some((format!("-floor(-{})", wrap(text(0), translated[0].1, ATOM)), NEGATION, value)),
                _ => {
                    let known: Vec<&str> =
                        FUNCTIONS.iter().map(|(written, _)| *written).chain(["pow", "mod", "ceiling"]).collect();
                    diagnostics.push(
                        Diagnostic::error(
                            Code::E1017,
                            format!("the function `{}` cannot be imported", name.text),
                            name.span,
                            "not a function qmlc has",
                        )
                        .with_closest(name.span, &name.text, known.iter().copied())
                        .or_help(|| format!("the importer knows {}", known.join(", "))),
                    );
                    None
                }
            }
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn undeclared(expr: &Expr, name: &str, env: &Env) -> Diagnostic {
    let candidates: Vec<&str> = env
        .values
        .keys()
        .chain(env.symbols.keys())
        .map(String::as_str)
        .chain(CONSTANTS.iter().map(|(written, ..)| *written))
        .collect();
    Diagnostic::error(Code::E1006, format!("`{name}` is not declared"), expr.span, "not declared")
        .with_closest(expr.span, name, candidates)
}

/// Evaluates an expression that must be a constant (a size, an index, a loop bound).
pub fn evaluate(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<Value> {
    match &expr.kind {
        ExprKind::Integer(value) => Some(literal_value(*value, env)),
        ExprKind::Number(value) => checked(expr, real_value(*value), diagnostics),
        ExprKind::Name(name) => {
            if let Some(value) = env.values.get(name) {
                return Some(*value);
            }
            if let Some((.., value)) = CONSTANTS.iter().find(|(written, ..)| written == name) {
                return Some(Value::Real(*value));
            }
            if env.symbols.contains_key(name) {
                diagnostics.push(error(
                    expr,
                    Code::E1017,
                    format!("`{name}` is a parameter, but a constant is needed here"),
                    "not a constant",
                ));
            } else {
                diagnostics.push(undeclared(expr, name, env));
            }
            None
        }
        ExprKind::Negate(operand) => {
            let value = evaluate(operand, env, diagnostics)?;
            checked(expr, negated_value(value), diagnostics)
        }
        ExprKind::Binary(op, left, right) => {
            let left = evaluate(left, env, diagnostics);
            let right = evaluate(right, env, diagnostics);
            let (left, right) = (left?, right?);
            checked(expr, binary_value(*op, left, right), diagnostics)
        }
        ExprKind::Call(name, args) => {
            let values: Vec<Option<Value>> = args.iter().map(|arg| evaluate(arg, env, diagnostics)).collect();
            let values: Vec<Value> = values.into_iter().collect::<Option<_>>()?;
            match call_value(&name.text, &values) {
                Some(result) => checked(expr, result, diagnostics),
                None => {
                    diagnostics.push(error(
                        expr,
                        Code::E1017,
                        format!("`{}` cannot be evaluated here", name.text),
                        "not a known function of this many arguments",
                    ));
                    None
                }
            }
        }
    }
}

/// The largest magnitude an integer may have where the importer needs one (an index, a size, a
/// loop bound): beyond it, a real no longer holds every integer exactly.
const LARGEST_INTEGER: f64 = 9.0e15;

/// Evaluates an expression that must be a constant integer.
pub fn evaluate_integer(expr: &Expr, env: &Env, what: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<i64> {
    match evaluate(expr, env, diagnostics)? {
        Value::Integer(value) => Some(value),
        Value::Real(value) if value.fract() == 0.0 && value.abs() <= LARGEST_INTEGER => Some(value as i64),
        Value::Real(value) if value.fract() == 0.0 => {
            // Whole but beyond the exact range: saying "not an integer" would be wrong.
            diagnostics.push(error(
                expr,
                Code::E1017,
                format!("{what} is too large: the importer takes integers up to {LARGEST_INTEGER:e}"),
                "too large",
            ));
            None
        }
        Value::Real(value) => {
            diagnostics.push(error(
                expr,
                Code::E1017,
                format!("{what} must be an integer, found {value}"),
                "not an integer",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lexer, parser};
    use super::*;

    /// Parses `text` as the angle of a gate and translates it.
    fn angle(text: &str) -> String {
        let program = format!("OPENQASM 3; rx({text}) q;");
        let (lexemes, _) = lexer::lex(&program);
        let (statements, diagnostics) = parser::parse(&program, &lexemes);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let Some(super::super::ast::Stmt::Call(call)) = statements.get(1) else { panic!("{statements:?}") };
        let mut env = Env::default();
        env.symbols.insert("θ".into(), "theta".into());
        let mut problems = Vec::new();
        translate(&call.args[0], &env, &mut problems).unwrap_or_else(|| panic!("{problems:?}"))
    }

    #[test]
    fn angles_keep_their_grouping_and_take_qmlc_names() {
        assert_eq!(angle("-3*pi/8"), "-3 * pi / 8");
        assert_eq!(angle("π - (θ - 1)"), "pi - (theta - 1)");
        assert_eq!(angle("-θ ** 2"), "-(theta ^ 2)");
        assert_eq!(angle("(-θ) ** 2"), "(-theta) ^ 2");
        assert_eq!(angle("2 ** 3 ** 2"), "2 ^ (3 ^ 2)");
        assert_eq!(angle("ln(2) + arcsin(0.5) * tau"), "log(2) + asin(0.5) * tau");
        assert_eq!(angle("1.e-3 + .5"), "0.001 + 0.5");
        assert_eq!(angle("(1 + 2) * 3"), "(1 + 2) * 3");
    }
}
