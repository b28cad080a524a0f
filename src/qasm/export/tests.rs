//! The gate table's OpenQASM 3 forms: every gate has one, and every `gate` definition, run by a small interpreter on the table's own matrices, is the row's matrix exactly, global phase included.

use crate::builtins::gates::{QasmDefinition, GATES};
use crate::builtins::matrices::{controlled, max_distance, Dense};
use crate::ir::GateKind;
use num_complex::Complex64;

/// Evaluates an angle of a definition: numbers, `pi`, the definition's parameters, `+ - * /`,
/// unary minus and parentheses.
struct Angle<'a> {
    tokens: Vec<String>,
    position: usize,
    parameters: &'a [(String, f64)],
}

impl Angle<'_> {
    fn evaluate(text: &str, parameters: &[(String, f64)]) -> f64 {
        let mut tokens = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
            } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                let mut token = String::new();
                while let Some(&c) = chars.peek().filter(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '.') {
                    token.push(c);
                    chars.next();
                }
                tokens.push(token);
            } else {
                tokens.push(c.to_string());
                chars.next();
            }
        }
        let mut angle = Angle { tokens, position: 0, parameters };
        let value = angle.sum();
        assert_eq!(angle.position, angle.tokens.len(), "unread tokens in `{text}`");
        value
    }

    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.position).map(String::as_str)
    }

    fn sum(&mut self) -> f64 {
        let mut value = self.product();
        while let Some(op) = self.peek().filter(|op| *op == "+" || *op == "-").map(str::to_string) {
            self.position += 1;
            let right = self.product();
            value = if op == "+" { value + right } else { value - right };
        }
        value
    }

    fn product(&mut self) -> f64 {
        let mut value = self.unary();
        while let Some(op) = self.peek().filter(|op| *op == "*" || *op == "/").map(str::to_string) {
            self.position += 1;
            let right = self.unary();
            value = if op == "*" { value * right } else { value / right };
        }
        value
    }

    fn unary(&mut self) -> f64 {
        if self.peek() == Some("-") {
            self.position += 1;
            return -self.unary();
        }
        let token = self.peek().expect("an operand").to_string();
        self.position += 1;
        if token == "(" {
            let value = self.sum();
            assert_eq!(self.peek(), Some(")"));
            self.position += 1;
            return value;
        }
        if token == "pi" {
            return std::f64::consts::PI;
        }
        if let Some((_, value)) = self.parameters.iter().find(|(name, _)| *name == token) {
            return *value;
        }
        token.parse().unwrap_or_else(|_| panic!("`{token}` is not a number or parameter"))
    }
}

/// The matrix of `operation` (on `operands`, the first the most significant) on all `n` qubits.
fn embed(operation: &Dense, operands: &[usize], n: usize) -> Dense {
    let dimension = 1 << n;
    let bit = |index: usize, qubit: usize| (index >> (n - 1 - qubit)) & 1;
    let sub = |index: usize| operands.iter().fold(0, |acc, &qubit| (acc << 1) | bit(index, qubit));
    let others_agree = |row: usize, col: usize| (0..n).all(|q| operands.contains(&q) || bit(row, q) == bit(col, q));
    (0..dimension)
        .map(|row| {
            (0..dimension)
                .map(
                    |col| {
                        if others_agree(row, col) {
                            operation[sub(row)][sub(col)]
                        } else {
                            Complex64::new(0.0, 0.0)
                        }
                    },
                )
                .collect()
        })
        .collect()
}

fn multiply(left: &Dense, right: &Dense) -> Dense {
    crate::builtins::matrices::matmul(left, right)
}

/// Runs a `gate` definition on the given angles: its matrix, its first qubit the most significant.
fn definition_matrix(text: &str, angles: &[f64]) -> Dense {
    let text = text.trim();
    let rest = text.strip_prefix("gate ").expect("a definition starts with `gate`");
    let (head, body) = rest.split_once('{').expect("a body");
    let body = body.trim().strip_suffix('}').expect("the body ends with `}`");
    let (parameter_names, qubit_list) = match head.split_once('(') {
        Some((_, after)) => {
            let (names, qubits) = after.split_once(')').expect("the parameters close");
            (names.split(',').map(|name| name.trim().to_string()).collect::<Vec<_>>(), qubits)
        }
        None => (Vec::new(), head.split_once(' ').map(|(_, qubits)| qubits).unwrap_or("")),
    };
    assert_eq!(parameter_names.len(), angles.len(), "{text}");
    // Qiskit's importer binds a definition's parameters in sorted order of their names.
    assert!(parameter_names.windows(2).all(|pair| pair[0] < pair[1]), "parameters not in sorted order: {text}");
    let parameters: Vec<(String, f64)> = parameter_names.into_iter().zip(angles.iter().copied()).collect();
    let qubits: Vec<&str> = qubit_list.split(',').map(str::trim).filter(|q| !q.is_empty()).collect();
    let n = qubits.len();
    let mut unitary = crate::builtins::matrices::identity(n);
    for statement in body.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let mut rest = statement;
        let mut controls = 0;
        while let Some((modifier, after)) = rest.split_once('@') {
            let modifier = modifier.trim();
            controls += match modifier {
                "ctrl" => 1,
                _ => modifier
                    .strip_prefix("ctrl(")
                    .and_then(|m| m.strip_suffix(')'))
                    .and_then(|count| count.parse::<usize>().ok())
                    .unwrap_or_else(|| panic!("unknown modifier `{modifier}` in {text}")),
            };
            rest = after.trim();
        }
        // `name(angles) operands` or `name operands`.
        let (name, arguments, operands) = match rest.find('(') {
            Some(open) if !rest[..open].contains(' ') => {
                let close = rest.rfind(')').expect("arguments close");
                let arguments: Vec<f64> =
                    rest[open + 1..close].split(',').map(|a| Angle::evaluate(a, &parameters)).collect();
                (&rest[..open], arguments, &rest[close + 1..])
            }
            _ => {
                let (name, operands) = rest.split_once(' ').unwrap_or((rest, ""));
                (name, Vec::new(), operands)
            }
        };
        let operands: Vec<usize> = operands
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| qubits.iter().position(|q| *q == o).unwrap_or_else(|| panic!("unknown qubit `{o}` in {text}")))
            .collect();
        let mut operation = if name == "gphase" {
            vec![vec![Complex64::from_polar(1.0, arguments[0])]]
        } else if name == "U" {
            builtin_u(&arguments)
        } else {
            let info = GATES
                .iter()
                .find(|info| info.qasm == Some(name))
                .unwrap_or_else(|| panic!("`{name}` is not a stdgates.inc gate of the table, in {text}"));
            (info.matrix)(&arguments, operands.len() - controls)
        };
        for _ in 0..controls {
            operation = controlled(&operation);
        }
        unitary = multiply(&embed(&operation, &operands, n), &unitary);
    }
    unitary
}

/// OpenQASM 3's built-in `U(θ, φ, λ)`, as the spec writes its matrix.
fn builtin_u(angles: &[f64]) -> Dense {
    let (theta, phi, lambda) = (angles[0], angles[1], angles[2]);
    let (sin, cos) = (theta / 2.0).sin_cos();
    let e = |angle: f64| Complex64::from_polar(1.0, angle);
    vec![vec![Complex64::new(cos, 0.0), -e(lambda) * sin], vec![e(phi) * sin, e(phi + lambda) * cos]]
}

/// Angles that make every term of a matrix count: not multiples of π/2.
const ANGLES: [f64; 3] = [0.731, -1.913, 2.417];

#[test]
fn every_gate_has_a_stdgates_name_or_a_definition_with_its_exact_matrix() {
    for info in GATES {
        if info.expands {
            // The checker expands these (`pauli_rot`, `orbital_rotation`): they never reach export.
            continue;
        }
        match (info.qasm, info.qasm_definition) {
            (Some(_), None) => {}
            (None, Some(QasmDefinition::Builtin("gphase"))) => {
                let found = definition_matrix(&format!("gate {}(t0) a {{ gphase(-t0); }}", info.name), &ANGLES[..1]);
                assert!(max_distance(&found, &(info.matrix)(&ANGLES[..1], 1)) < 1e-12, "{}", info.name);
            }
            (_, Some(QasmDefinition::Builtin(name))) => {
                assert_eq!(name, "U", "{}: the one built-in gate with angles", info.name);
                let found =
                    definition_matrix(&format!("gate {}(t0, t1, t2) a {{ U(t0, t1, t2) a; }}", info.name), &ANGLES);
                let found_direct = builtin_u(&ANGLES);
                assert!(max_distance(&found, &found_direct) < 1e-15);
                assert!(max_distance(&found, &(info.matrix)(&ANGLES, 1)) < 1e-12, "{}", info.name);
            }
            (None, Some(QasmDefinition::Gate(text))) => {
                assert!(text.starts_with(&format!("gate {}", info.name)), "{text}");
                let n_wires = info.n_wires.expect("a fixed wire count");
                let angles = &ANGLES[..info.n_angles()];
                let found = definition_matrix(text, angles);
                let expected = (info.matrix)(angles, n_wires);
                assert!(max_distance(&found, &expected) < 1e-12, "{}: {text}", info.name);
            }
            (None, Some(QasmDefinition::OnWires(generate))) => {
                for n_wires in info.min_wires..=5 {
                    let text = generate(n_wires);
                    assert!(text.starts_with(&format!("gate {}_{n_wires}", info.name)), "{text}");
                    let angles = &ANGLES[..info.n_angles()];
                    let found = definition_matrix(&text, angles);
                    let expected = (info.matrix)(angles, n_wires);
                    assert!(max_distance(&found, &expected) < 1e-12, "{} on {n_wires}: {text}", info.name);
                }
            }
            (qasm, definition) => {
                panic!(
                    "`{}` needs exactly one of a stdgates name ({qasm:?}) and a definition ({definition:?})",
                    info.name
                )
            }
        }
    }
}

#[test]
fn the_interpreter_sees_a_wrong_definition() {
    // isingxx without its basis change is isingzz, which differs.
    let wrong = "gate isingxx(theta) a, b { cx a, b; rz(theta) b; cx a, b; }";
    let info = GateKind::IsingXX.info();
    let expected = (info.matrix)(&ANGLES[..1], 2);
    assert!(max_distance(&definition_matrix(wrong, &ANGLES[..1]), &expected) > 0.1);
    // A global phase counts: single_excitation_plus without its gphase differs.
    let text = match GateKind::SingleExcitationPlus.info().qasm_definition {
        Some(QasmDefinition::Gate(text)) => text.replace("gphase(theta / 2);", ""),
        _ => panic!("single_excitation_plus has a definition"),
    };
    let expected = (GateKind::SingleExcitationPlus.info().matrix)(&ANGLES[..1], 2);
    assert!(max_distance(&definition_matrix(&text, &ANGLES[..1]), &expected) > 0.1);
}
