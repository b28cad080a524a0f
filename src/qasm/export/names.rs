//! The OpenQASM 3 names of input and param elements: `NAME_i_j`, renamed where OpenQASM 3 or the program already uses the name.

use super::{Values, REGISTER};
use crate::ir::{Circuit, Variable};
use std::collections::HashSet;

/// OpenQASM 3's keywords, types, built-in gates, functions and constants, and the gates of
/// `stdgates.inc` (Qiskit's importer refuses an `input` that shadows any of them).
pub(crate) const RESERVED: &[&str] = &[
    // Keywords and types.
    "OPENQASM",
    "include",
    "defcalgrammar",
    "def",
    "cal",
    "defcal",
    "gate",
    "extern",
    "box",
    "let",
    "break",
    "continue",
    "if",
    "else",
    "end",
    "return",
    "for",
    "while",
    "in",
    "switch",
    "case",
    "default",
    "pragma",
    "input",
    "output",
    "const",
    "readonly",
    "mutable",
    "qreg",
    "qubit",
    "creg",
    "bool",
    "bit",
    "int",
    "uint",
    "float",
    "angle",
    "complex",
    "array",
    "void",
    "duration",
    "stretch",
    "gphase",
    "inv",
    "pow",
    "ctrl",
    "negctrl",
    "dim",
    "durationof",
    "delay",
    "reset",
    "measure",
    "barrier",
    "true",
    "false",
    "opaque",
    "sizeof",
    "im",
    "dt",
    "ns",
    "us",
    "ms",
    "s",
    // Built-in gates, constants and functions.
    "U",
    "CX",
    "pi",
    "tau",
    "euler",
    "arccos",
    "arcsin",
    "arctan",
    "ceiling",
    "cos",
    "exp",
    "floor",
    "log",
    "mod",
    "popcount",
    "pow",
    "rotl",
    "rotr",
    "sin",
    "sqrt",
    "tan",
    "real",
    "imag",
    // stdgates.inc.
    "p",
    "x",
    "y",
    "z",
    "h",
    "sdg",
    "t",
    "tdg",
    "sx",
    "rx",
    "ry",
    "rz",
    "cx",
    "cy",
    "cz",
    "cp",
    "crx",
    "cry",
    "crz",
    "ch",
    "swap",
    "ccx",
    "cswap",
    "cu",
    "phase",
    "cphase",
    "id",
    "u1",
    "u2",
    "u3",
];

/// The name each input and param element has in the program (none for an element with a value),
/// and what was renamed.
pub(super) struct Names {
    inputs: Vec<Option<String>>,
    params: Vec<Option<String>>,
    /// The declared names, inputs first, in declaration order.
    declared: Vec<String>,
    /// One sentence per renamed element.
    renamed: Vec<String>,
}

impl Names {
    /// Names every element without a value. `definitions` are the names of the program's gate
    /// definitions, which an element must not take either.
    pub(super) fn new(circuit: &Circuit, values: &Values, definitions: &[String]) -> Names {
        let mut taken: HashSet<String> = RESERVED.iter().map(|name| name.to_string()).collect();
        taken.insert(REGISTER.to_string());
        taken.extend(definitions.iter().cloned());
        // A name is reserved because OpenQASM 3 or the program uses it; the message says which.
        let reason = |name: &str| -> &'static str {
            if name == REGISTER {
                "the qubit register's name"
            } else if definitions.iter().any(|definition| definition == name) {
                "the name of a gate this program defines"
            } else {
                "an OpenQASM 3 keyword, built-in or stdgates.inc gate"
            }
        };
        let mut names = Names { inputs: Vec::new(), params: Vec::new(), declared: Vec::new(), renamed: Vec::new() };
        let mut place = |variables: &[&Variable], bound: bool, kind: &str, names: &mut Names| -> Vec<Option<String>> {
            let mut out = Vec::new();
            for variable in variables {
                for element in 0..variable.size() {
                    if bound {
                        out.push(None);
                        continue;
                    }
                    let wanted = element_name(variable, element);
                    let mut name = wanted.clone();
                    while taken.contains(&name) {
                        name.push('_');
                    }
                    if name != wanted {
                        let why = if RESERVED.contains(&wanted.as_str())
                            || wanted == REGISTER
                            || definitions.contains(&wanted)
                        {
                            reason(&wanted)
                        } else {
                            "the name of an earlier input or param element"
                        };
                        let source = crate::ir::element_name(&[*variable], variable.offset + element, ", ");
                        names.renamed.push(format!("{kind} `{source}` is `{name}` here: `{wanted}` is {why}."));
                    }
                    taken.insert(name.clone());
                    names.declared.push(name.clone());
                    out.push(Some(name));
                }
            }
            out
        };
        let inputs: Vec<&Variable> = circuit.inputs.iter().collect();
        let params: Vec<&Variable> = circuit.params.iter().map(|param| &param.variable).collect();
        names.inputs = place(&inputs, values.inputs.is_some(), "input", &mut names);
        names.params = place(&params, values.params.is_some(), "param", &mut names);
        names
    }

    pub(super) fn input(&self, index: usize) -> &str {
        self.inputs.get(index).and_then(Option::as_deref).unwrap_or("?")
    }

    pub(super) fn param(&self, index: usize) -> &str {
        self.params.get(index).and_then(Option::as_deref).unwrap_or("?")
    }

    /// The `input float[64]` names, inputs first.
    pub(super) fn declarations(&self) -> &[String] {
        &self.declared
    }

    /// The comment lines that say what was renamed and why.
    pub(super) fn renaming_comments(&self) -> &[String] {
        &self.renamed
    }
}

/// `w_1_0` for element (1, 0) of `w`; a scalar keeps its name.
fn element_name(variable: &Variable, element: usize) -> String {
    if variable.shape.is_empty() {
        return variable.name.clone();
    }
    let mut rest = element;
    let mut indices = vec![0; variable.shape.len()];
    for dimension in (0..variable.shape.len()).rev() {
        indices[dimension] = rest % variable.shape[dimension];
        rest /= variable.shape[dimension];
    }
    let joined: Vec<String> = indices.iter().map(usize::to_string).collect();
    format!("{}_{}", variable.name, joined.join("_"))
}
