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
