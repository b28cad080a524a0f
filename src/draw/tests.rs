//! Unit tests of the layout: placement in columns, template boxes and labels.

use super::*;

fn compile(text: &str) -> Circuit {
    let output = crate::check::compile(text);
    match output.circuit {
        Some(circuit) => circuit,
        None => panic!("the test program compiles: {:?}", output.diagnostics),
    }
}

#[test]
fn gates_go_as_early_as_their_wires_allow() {
    let circuit = compile("qubits 3\ncircuit {\n h 0\n x 2\n cnot 0, 1\n y 2\n}\nmeasure expval(Z(0))\n");
    let diagram = layout(&circuit, &DrawOptions::default());
    assert_eq!(diagram.columns.len(), 2);
    assert_eq!(diagram.columns[0].len(), 2, "h 0 and x 2 share the first column");
    assert_eq!(diagram.columns[1].len(), 2, "cnot 0, 1 and y 2 share the second");
}

#[test]
fn a_gate_across_a_wire_blocks_it() {
    let circuit = compile("qubits 3\ncircuit {\n cnot 0, 2\n x 1\n}\nmeasure expval(Z(0))\n");
    let diagram = layout(&circuit, &DrawOptions::default());
    assert_eq!(diagram.columns.len(), 2, "x 1 cannot sit under the line of cnot 0, 2");
}

#[test]
fn a_template_in_a_loop_is_one_box_per_application() {
    let text = "qubits 2\nparam w[2, 1, 2]\ncircuit {\n for l in 0..2 { basic_entangler_layers(w[l]) }\n}\nmeasure expval(Z(0))\n";
    let circuit = compile(text);
    let boxed = layout(&circuit, &DrawOptions::default());
    assert_eq!(boxed.columns.len(), 2);
    assert!(boxed.columns.iter().all(|column| column[0].kind == ElementKind::Template));
    let expanded = layout(&circuit, &DrawOptions { expand: true, ..DrawOptions::default() });
    assert_eq!(expanded.columns.len(), 4, "RX on both wires, then the CNOT, twice");
}

#[test]
fn numbers_are_short() {
    assert_eq!(number(std::f64::consts::FRAC_PI_2, Charset::Unicode), "π/2");
    assert_eq!(number(-3.0 * std::f64::consts::FRAC_PI_4, Charset::Ascii), "-3pi/4");
    assert_eq!(number(0.123456, Charset::Unicode), "0.12");
    assert_eq!(number(-0.001, Charset::Unicode), "0");
    assert_eq!(number(2.0, Charset::Unicode), "2");
}

#[test]
fn params_show_their_values_and_inputs_their_names() {
    let circuit = compile("qubits 1\ninput x\nparam t\ncircuit {\n ry(2 * t + x) 0\n}\nmeasure expval(Z(0))\n");
    let values = [0.25];
    let options = DrawOptions { params: Some(&values), ..DrawOptions::default() };
    let diagram = layout(&circuit, &options);
    assert_eq!(diagram.columns[0][0].marks[0].1, Mark::Box("RY(0.50 + x)".to_string()));
    let named = layout(&circuit, &DrawOptions::default());
    assert_eq!(named.columns[0][0].marks[0].1, Mark::Box("RY(2 * t + x)".to_string()));
}
