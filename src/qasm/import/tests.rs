//! Unit tests of the importer as a whole: small programs in, qmlc text and diagnostics out.

use super::import;
use crate::codes::Code;

fn qml(text: &str) -> String {
    let imported = import("t.qasm", text);
    let errors: Vec<_> = imported.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    imported.qml.expect("a program")
}

fn codes(text: &str) -> Vec<Code> {
    import("t.qasm", text).diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn an_openqasm_2_program_becomes_gates_on_wires_and_its_final_measurements_probs() {
    let program = qml(
        "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg a[1];\nqreg b[2];\ncreg c[2];\nh a[0];\ncx a[0], b[1];\nu1 (-3*pi/8) b;\nmeasure b -> c;\n",
    );
    assert!(program.contains("qubits 3"), "{program}");
    assert!(program.contains("cnot 0, 2"), "{program}");
    assert!(program.contains("u1(-3 * pi / 8) 1\n    u1(-3 * pi / 8) 2"), "{program}");
    assert!(program.ends_with("measure probs(1, 2)\n"), "{program}");
    assert_eq!(crate::fmt::format(&program).as_deref(), Ok(program.as_str()));
}

#[test]
fn every_problem_is_reported_with_its_code() {
    let found = codes(
        "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[2];\nmeasure q[0] -> c[0];\nx q[0];\nreset q[1];\nif (c == 1) x q[1];\nhadamard q[0];\n",
    );
    for code in [Code::E1009, Code::E1011, Code::E1012, Code::E1013, Code::E1006] {
        assert!(found.contains(&code), "{code} in {found:?}");
    }
}

/// The circuit lines of an imported program.
fn circuit(text: &str) -> Vec<String> {
    let program = qml(text);
    let start = program.find("circuit {\n").expect("a circuit") + "circuit {\n".len();
    let end = program[start..].find("\n}").map(|at| start + at).expect("the circuit's end");
    program[start..end].lines().map(|line| line.trim().to_string()).collect()
}

const V3: &str = "OPENQASM 3;\ninclude \"stdgates.inc\";\n";

#[test]
fn openqasm_3_divides_integers_as_integers_and_openqasm_2_as_reals() {
    // Qiskit's importer floors an integer quotient, as Python's `//` does: 7/2 is 3, -7/2 is -4.
    // A real quotient is left to qmlc, which divides reals: its `7 / 2` is 3.5.
    let lines = circuit(&format!(
        "{V3}qubit[1] q;\nrx(7/2) q[0];\nrx(-7/2) q[0];\nrx(7/-2) q[0];\nrx(7/2.0) q[0];\nrx(pi * 7/2) q[0];\n"
    ));
    assert_eq!(lines, ["rx(3) 0", "rx(-4) 0", "rx(-4) 0", "rx(7 / 2) 0", "rx(pi * 7 / 2) 0"]);
    let lines = circuit("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrx(7/2) q[0];\n");
    assert_eq!(lines, ["rx(7 / 2) 0"]);
}

#[test]
fn integer_consts_and_loop_variables_are_integers() {
    let program = qml(&format!("{V3}const int n = 7/2;\nqubit[n] q;\nrx(n / 2) q[0];\n"));
    assert!(program.contains("qubits 3"), "{program}");
    assert!(program.contains("rx(1) 0"), "{program}");
    // `const int` truncates a real; `const float` makes an integer real.
    let lines = circuit(&format!(
        "{V3}const int m = 2.7;\nconst int k = -2.7;\nconst float x = 7/2;\nqubit[1] q;\nrx(m) q[0];\nrx(k) q[0];\nrx(x / 2) q[0];\n"
    ));
    assert_eq!(lines, ["rx(2) 0", "rx(-2) 0", "rx(3 / 2) 0"]);
    // The QFT's closing swaps.
    let lines =
        circuit(&format!("{V3}const int n = 5;\nqubit[n] q;\nfor int i in [0:n/2 - 1] {{ swap q[i], q[n-i-1]; }}\n"));
    assert_eq!(lines, ["swap 0, 4", "swap 1, 3"]);
    let lines = circuit(&format!(
        "{V3}input float t;\nqubit[1] q;\nfor int i in [0:1] {{ rx(t * (i + 1) / 2 + i / 2 * pi) q[0]; }}\n"
    ));
    assert_eq!(lines, ["rx(t * 1 / 2 + 0 * pi) 0", "rx(t * 2 / 2 + 0 * pi) 0"]);
}

#[test]
fn remainders_are_floored_in_folding_and_in_the_written_program() {
    // Python's `%` (what Qiskit's importer would compute) takes the divisor's sign, as qmlc's does.
    let lines = circuit(&format!(
        "{V3}qubit[2] q;\nrx(-7 % 2) q[0];\nrx(7 % -2) q[0];\nrx(-7.5 % 2) q[0];\nrx(mod(-7, 2)) q[0];\nx q[-7 % 2];\n"
    ));
    assert_eq!(lines, ["rx(1) 0", "rx(-1) 0", "rx(-7.5 % 2) 0", "rx(mod(-7, 2)) 0", "x 1"]);
    let folded = crate::check::compile(&qml(&format!("{V3}const float r = -7.5 % 2;\nqubit[1] q;\nrx(r) q[0];\n")));
    assert!(!crate::diagnostic::has_errors(&folded.diagnostics));
    assert!(qml(&format!("{V3}const float r = -7.5 % 2;\nqubit[1] q;\nrx(r) q[0];\n")).contains("rx(0.5) 0"));
}

/// The errors of importing `text`: their codes and the text their primary spans cover.
fn errors(text: &str) -> Vec<(Code, String)> {
    let imported = import("t.qasm", text);
    let found: Vec<(Code, String)> = imported
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, text[d.primary.span.range()].to_string()))
        .collect();
    assert!(found.is_empty() == imported.qml.is_some(), "{found:?}");
    found
}

#[test]
fn a_constant_angle_with_no_finite_value_is_an_error_at_its_span() {
    for (angle, at) in [
        ("1/0", "1/0"),
        ("arcsin(2)", "arcsin(2)"),
        ("0/0", "0/0"),
        ("2**10000", "2**10000"),
        ("5 % 0", "5 % 0"),
        ("1.0 / 0", "1.0 / 0"),
        ("mod(1, 0)", "mod(1, 0)"),
        ("ln(0) + 1", "ln(0)"),
        ("sqrt(-1) * θ", "sqrt(-1)"),
        ("1e308 * 10", "1e308 * 10"),
    ] {
        let found = errors(&format!("{V3}input float θ;\nqubit[1] q;\nrx({angle}) q[0];\n"));
        assert_eq!(found, [(Code::E1017, at.to_string())], "{angle}");
    }
    let found = errors("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrx(2^10000) q[0];\nrx(1/0) q[0];\n");
    assert_eq!(found, [(Code::E1017, "2^10000".to_string()), (Code::E1017, "1/0".to_string())]);
    let found = errors(&format!("{V3}qubit[1] q;\nfor int i in [0:5] {{ rx(1/(i-2)) q[0]; }}\n"));
    assert_eq!(found, [(Code::E1017, "1/(i-2)".to_string())]);
}

#[test]
fn a_gate_application_counts_everything_its_definition_unrolls_to() {
    // g30 doubles 30 times: 2^30 operations, far past qmlc's limit, from a few lines.
    let mut text = format!("{V3}qubit[1] q;\ngate g1 a {{ x a; x a; }}\n");
    for k in 2..=30 {
        text.push_str(&format!("gate g{k} a {{ g{} a; g{} a; }}\n", k - 1, k - 1));
    }
    let started = std::time::Instant::now();
    let found = errors(&format!("{text}g30 q[0];\n"));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    assert_eq!(found, [(Code::E1019, "g30 q[0];".to_string())]);
    // The definitions alone are no error: they are not written unless applied.
    assert_eq!(errors(&text), []);
    assert_eq!(errors(&format!("{text}g20 q[0];\n")), []);
    assert_eq!(errors(&format!("{text}g21 q[0];\n")), [(Code::E1019, "g21 q[0];".to_string())]);
    // Below the limit, the program is written and compiles.
    let program = qml(&format!("{V3}qubit[1] q;\ngate g1 a {{ x a; x a; }}\ngate g2 a {{ g1 a; g1 a; }}\ng2 q[0];\n"));
    assert!(!crate::diagnostic::has_errors(&crate::check::compile(&program).diagnostics));
}

#[test]
fn a_program_check_refuses_becomes_one_import_error() {
    let diagnostic =
        super::compile_error("qubits 1\n\ncircuit {\n    rx(1 / 0) 0\n}\n\nmeasure state\n").expect("an error");
    assert_eq!(diagnostic.code, Code::E1019);
    assert!(diagnostic.message.starts_with("the imported program is not a valid qmlc program: "), "{diagnostic:?}");
    assert_eq!(diagnostic.primary.span, crate::source::Span::new(0, 0));
    assert!(super::compile_error("qubits 1\n\ncircuit {\n    rx(1) 0\n}\n\nmeasure state\n").is_none());
}

#[test]
fn hexadecimal_binary_and_octal_integers_are_read() {
    // Qiskit reads `rx(0x10)`, `rx(0b11)` and `rx(0o7)` as 16, 3 and 7.
    let lines = circuit(&format!(
        "{V3}qubit[4] q;\nrx(0x10) q[0];\nrx(0b11) q[0];\nrx(0o7) q[0];\nx q[0b1_1];\nrx(0XfF / 0B10) q[0];\n"
    ));
    assert_eq!(lines, ["rx(16) 0", "rx(3) 0", "rx(7) 0", "x 3", "rx(127) 0"]);
    let found = errors(&format!("{V3}qubit[0x1_0000_0000_0000_0000] q;\n"));
    assert_eq!(found, [(Code::E1017, "0x1_0000_0000_0000_0000".to_string())]);
}

#[test]
fn a_whole_number_too_large_for_a_size_is_said_to_be_too_large() {
    let imported = import("t.qasm", &format!("{V3}qubit[18446744073709551616] q;\n"));
    let messages: Vec<&str> = imported.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["a register's size is too large: the importer takes integers up to 9e15"]);
}
