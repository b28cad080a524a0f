//! OpenQASM expressions: translated into qmlc angle expressions, or evaluated to numbers where a
//! constant is needed (register sizes, indices, loop bounds, modifier counts).

use super::ast::{BinaryOp, Expr, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::f64::consts::{E, PI, TAU};

/// The names an expression may use.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Names with a known value: consts and loop variables.
    pub values: HashMap<String, f64>,
    /// Names that stay names in qmlc: inputs (qmlc params) and gate parameters (def arguments),
    /// mapped to their qmlc spelling.
    pub symbols: HashMap<String, String>,
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

/// Translates an angle expression into qmlc's syntax, or reports why it cannot be.
pub fn translate(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    translate_inner(expr, env, diagnostics).map(|(text, _)| text)
}

fn translate_inner(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<(String, u8)> {
    match &expr.kind {
        ExprKind::Integer(value) => Some(number_text(*value as f64)),
        ExprKind::Number(value) => {
            if !value.is_finite() {
                diagnostics.push(error(expr, Code::E1017, "this number is too large".into(), "not a finite number"));
                return None;
            }
            Some(number_text(*value))
        }
        ExprKind::Name(name) => {
            if let Some(value) = env.values.get(name) {
                return Some(number_text(*value));
            }
            if let Some(symbol) = env.symbols.get(name) {
                return Some((symbol.clone(), ATOM));
            }
            if let Some((_, qml, _)) = CONSTANTS.iter().find(|(written, ..)| written == name) {
                return Some((qml.to_string(), ATOM));
            }
            diagnostics.push(undeclared(expr, name, env));
            None
        }
        ExprKind::Negate(operand) => {
            let (text, precedence) = translate_inner(operand, env, diagnostics)?;
            Some((format!("-{}", wrap(text, precedence, ATOM)), NEGATION))
        }
        ExprKind::Binary(op, left, right) => {
            let left = translate_inner(left, env, diagnostics);
            let right = translate_inner(right, env, diagnostics);
            let ((left, left_precedence), (right, right_precedence)) = (left?, right?);
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
            let text = format!(
                "{} {symbol} {}",
                wrap(left, left_precedence, left_needs),
                wrap(right, right_precedence, right_needs)
            );
            Some((text, precedence))
        }
        ExprKind::Call(name, args) => {
            let translated: Vec<Option<(String, u8)>> =
                args.iter().map(|arg| translate_inner(arg, env, diagnostics)).collect();
            let translated: Vec<(String, u8)> = translated.into_iter().collect::<Option<_>>()?;
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
            if let Some((_, qml)) = FUNCTIONS.iter().find(|(written, _)| *written == name.text) {
                if !arity(1, diagnostics) {
                    return None;
                }
                return Some((format!("{qml}({})", translated[0].0), ATOM));
            }
            match name.text.as_str() {
                "pow" if arity(2, diagnostics) => {
                    let (base, base_precedence) = translated[0].clone();
                    let (exponent, exponent_precedence) = translated[1].clone();
                    let text = format!(
                        "{} ^ {}",
                        wrap(base, base_precedence, ATOM),
                        wrap(exponent, exponent_precedence, ATOM)
                    );
                    Some((text, POWER))
                }
                "mod" if arity(2, diagnostics) => {
                    Some((format!("mod({}, {})", translated[0].0, translated[1].0), ATOM))
                }
                "ceiling" if arity(1, diagnostics) => {
                    Some((format!("-floor(-{})", wrap(translated[0].0.clone(), translated[0].1, ATOM)), NEGATION))
                }
                "pow" | "mod" | "ceiling" => None,
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
pub fn evaluate(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<f64> {
    let value = evaluate_inner(expr, env, diagnostics)?;
    if value.is_finite() {
        Some(value)
    } else {
        diagnostics.push(error(expr, Code::E1017, "this expression has no finite value".into(), "not a finite number"));
        None
    }
}

fn evaluate_inner(expr: &Expr, env: &Env, diagnostics: &mut Vec<Diagnostic>) -> Option<f64> {
    match &expr.kind {
        ExprKind::Integer(value) => Some(*value as f64),
        ExprKind::Number(value) => Some(*value),
        ExprKind::Name(name) => {
            if let Some(value) = env.values.get(name) {
                return Some(*value);
            }
            if let Some((.., value)) = CONSTANTS.iter().find(|(written, ..)| written == name) {
                return Some(*value);
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
        ExprKind::Negate(operand) => evaluate_inner(operand, env, diagnostics).map(|value| -value),
        ExprKind::Binary(op, left, right) => {
            let left = evaluate_inner(left, env, diagnostics);
            let right = evaluate_inner(right, env, diagnostics);
            let (left, right) = (left?, right?);
            Some(match op {
                BinaryOp::Add => left + right,
                BinaryOp::Subtract => left - right,
                BinaryOp::Multiply => left * right,
                BinaryOp::Divide => left / right,
                BinaryOp::Remainder => left % right,
                BinaryOp::Power => left.powf(right),
            })
        }
        ExprKind::Call(name, args) => {
            let values: Vec<Option<f64>> = args.iter().map(|arg| evaluate_inner(arg, env, diagnostics)).collect();
            let values: Vec<f64> = values.into_iter().collect::<Option<_>>()?;
            let value = match (name.text.as_str(), values.as_slice()) {
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
                ("mod", [x, y]) => x % y,
                _ => {
                    diagnostics.push(error(
                        expr,
                        Code::E1017,
                        format!("`{}` cannot be evaluated here", name.text),
                        "not a known function of this many arguments",
                    ));
                    return None;
                }
            };
            Some(value)
        }
    }
}

/// Evaluates an expression that must be a constant integer.
pub fn evaluate_integer(expr: &Expr, env: &Env, what: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<i64> {
    let value = evaluate(expr, env, diagnostics)?;
    if value.fract() != 0.0 || value.abs() > 9.0e15 {
        diagnostics.push(error(
            expr,
            Code::E1017,
            format!("{what} must be an integer, found {value}"),
            "not an integer",
        ));
        return None;
    }
    Some(value as i64)
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
