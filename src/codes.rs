//! Every diagnostic code, in one place: what it means and a line that triggers it (`qmlc explain CODE`).
//!
//! A code is a `Code` value, not a string: the checker, the engine and the command line name codes
//! as `Code::E0101`, so a misspelt code does not compile, and the table below is the only place a
//! code's meaning and example are written.

use serde::{Serialize, Serializer};

/// Declares `Code` with one variant per row, and the table that `meaning` and `example` read.
macro_rules! codes {
    ($($code:ident => ($meaning:expr, $example:expr),)*) => {
        /// A stable diagnostic code: `E0xxx` for errors, `W0xxx` for warnings.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as it is written: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// What the code means, in a phrase.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$code => $meaning,)*
                }
            }

            /// A line of `.qml` (or a command) that triggers it.
            pub fn example(self) -> &'static str {
                match self {
                    $(Code::$code => $example,)*
                }
            }
        }
    };
}

codes! {
    E0001 => ("a character the language does not use", "qubits 2 # comment"),
    E0002 => ("a token where the grammar does not allow it", "cnot 0,, 1"),
    E0003 => ("an unterminated string or block comment", "data csv(\"data.csv, label = \"y\")"),
    E0004 => ("the file ends inside a block or expression", "circuit { h 0"),
    E0005 => ("a file that is not UTF-8 text (reported at its first offending byte)", "h 0 // caf\\xE9   (Latin-1 bytes)"),
    E0101 => ("a name that is not declared", "ry(phi) 0"),
    E0102 => ("an unknown gate, template or def", "hadamard 0"),
    E0103 => ("a name declared twice", "param w[2]\nparam w[3]"),
    E0104 => ("a declaration that takes a builtin's name", "param rx"),
    E0105 => ("a file without `qubits N`", "circuit { h 0 }"),
    E0106 => ("`qubits` declared twice", "qubits 2\nqubits 3"),
    E0107 => ("a file without a `circuit` block", "qubits 2\nmeasure expval(Z(0))"),
    E0108 => ("more than one `circuit` block", "circuit { h 0 }\ncircuit { x 0 }"),
    E0109 => ("a circuit statement outside `circuit { … }`", "qubits 1\nh 0"),
    E0110 => ("a name of the wrong kind (a param applied as a gate, a def used as a value)", "param w\ncircuit { w 0 }"),
    E0111 => ("an input or param where a compile-time value is needed", "param k\ncircuit { h k }"),
    E0112 => ("a number that must be an integer", "h 0.5"),
    E0113 => ("a const defined in terms of itself", "const a = b\nconst b = a"),
    E0114 => ("a register of fewer than 1 or more than 40 qubits", "qubits 0"),
    E0115 => ("an unknown function, or a function given the wrong number of arguments", "ry(sine(t)) 0"),
    E0116 => ("a value of the wrong type in an expression", "ry(true * t) 0"),
    E0117 => ("a block `{ … }` with nothing in front of it", "circuit {\n    { h 0 }\n}"),
    E0118 => ("a name where a declaration keyword belongs, such as a misspelt `circuit`", "circut { h 0 }"),
    E0201 => ("a wire outside the register (or outside a def's wires)", "qubits 2\ncircuit { h 2 }"),
    E0202 => ("a wire used twice in one operation", "cnot 1, 1"),
    E0203 => ("the wrong number of wires for a gate", "cnot 0"),
    E0204 => ("a gate or def applied without wires", "ry(t)"),
    E0205 => ("wires in the wrong form (`on` on a gate, wires without `on` on a template)", "h on 0"),
    E0206 => ("an empty wire range", "basic_entangler_layers(w) on 2..2"),
    E0301 => ("the wrong number of angles for a gate", "rot(t, t) 0"),
    E0302 => ("the wrong number of arguments for a def, template or builtin", "pair(t) 0, 1"),
    E0303 => ("an argument name the callee does not have", "angle_embedding(x, rotaton = Y)"),
    E0304 => ("a required argument left out", "strongly_entangling_layers()"),
    E0305 => ("an invalid value for a template option", "angle_embedding(x, rotation = y)"),
    E0306 => ("an argument given twice", "angle_embedding(x, rotation = Y, rotation = Z)"),
    E0310 => ("a `pauli_rot` word that is missing or has a letter other than I, X, Y, Z", "pauli_rot(t, \"XA\") 0, 1"),
    E0311 => ("a `pauli_rot` word whose length is not the number of wires", "pauli_rot(t, \"XYZ\") 0, 1"),
    E0401 => ("an index out of bounds", "param w[2]\ncircuit { ry(w[2]) 0 }"),
    E0402 => ("more indices than the array has dimensions", "param w[2]\ncircuit { ry(w[0, 1]) 0 }"),
    E0403 => ("a template argument whose shape breaks the template's rule", "param w[2, 4, 3]  // on 3 qubits\ncircuit { strongly_entangling_layers(w) }"),
    E0404 => ("a def argument whose shape differs from the def's parameter", "def pair(a[2]) { … }\ncircuit { pair(theta[0]) 0, 1 }  // theta[0] has shape [3]"),
    E0405 => ("an array where a number is expected", "ry(w) 0"),
    E0406 => ("an invalid param initializer", "param a[2] = [0.1, 0.2, 0.3]"),
    E0407 => ("a dimension that is not a positive integer", "param w[0]"),
    E0408 => ("a division by zero or a constant with no finite value", "ry(t / 0) 0"),
    E0410 => ("a tensor-network template's `block` that is not a def taking one argument (its row of the weights)", "def pair(a, b) { … }\ncircuit { mps(pair, w) }"),
    E0411 => ("an excitation list of `all_singles_doubles` that is empty, or names a wire outside the template or one twice", "all_singles_doubles(w, [1, 1, 0, 0], [[0, 4]], [])  // on 4 wires"),
    E0501 => ("`sample` or `state` measured in a file that trains", "measure state\ntrain { data moons() }"),
    E0502 => ("an unknown or malformed measurement", "measure expectation(Z(0))"),
    E0503 => ("an expression that is not an observable", "measure expval(Z(0) * Z(1))"),
    E0504 => ("a wire repeated in a tensor product", "measure expval(Z(0) @ X(0))"),
    E0505 => ("a projector's bit that is not 0 or 1", "measure expval(projector([0, 2], 0, 1))"),
    E0506 => ("a projector's bits or a Hermitian matrix whose size does not fit the wires", "measure expval(projector([0, 1, 1], 0, 1))"),
    E0507 => ("a Hermitian matrix that is not symmetric", "measure expval(hermitian([[1, 2], [0, 1]], 0))"),
    E0508 => ("a wire repeated in a projector's or a Hermitian's wires", "measure expval(projector([0, 0], 1, 1))"),
    E0509 => ("a projector or Hermitian without its bits, matrix or wires", "measure expval(projector([0, 1]))"),
    E0601 => ("an unknown or malformed head layer", "head dense(2)"),
    E0602 => ("a head on outputs that are not numbers", "measure state\nhead linear(2)"),
    E0603 => ("`encode` layers that do not fit the model's inputs, or feed an embedding that cannot take them", "input x[4]\nencode linear(2)"),
    E0701 => ("an unknown train field", "train { epoch 5 }"),
    E0702 => ("a train field set twice", "train { epochs 5; epochs 10 }"),
    E0703 => ("a train block without `data`", "train { epochs 5 }"),
    E0704 => ("an invalid value for a train field", "train { split 1.5 }"),
    E0705 => ("an unknown data source, loss, optimizer or gradient method", "optimizer adamw(lr = 0.1)"),
    E0706 => ("two train blocks with the same name", "train warmup { … }\ntrain warmup { … }"),
    E0707 => ("a loss that does not fit the model's outputs", "measure expval(Z(0))\ntrain { loss cross_entropy }"),
    E0720 => ("an objective (`minimize`, `maximize`) that does not fit its block or model: with a data field, both at once, a model with several outputs or with inputs", "train { minimize; data moons() }"),
    E0721 => ("an optimizer that does not fit its block or model (`rotosolve` on an angle without a two-term rule, `qng` with shots or a head)", "circuit { crx(t) 0, 1 }\ntrain { minimize; optimizer rotosolve }"),
    E0722 => ("a schedule on an optimizer without a learning rate (`rotosolve`, `cobyla`, `spsa`)", "train { minimize; optimizer cobyla; schedule exponential(0.9) }"),
    E0801 => ("amplitude embedding after gates on its wires, or inside `adj`/`ctrl`", "h 0\namplitude_embedding(x)"),
    E0802 => ("a def that calls itself", "def f(a) { f(a) 0 }"),
    E0803 => ("a program past the compiler's limits (bracket nesting, operators in one statement, unrolled operations, wire operands, loop iterations, head weights)", "const k = ((((…1…))))"),
    E0804 => ("a `ctrl` block whose body acts on one of its control wires", "ctrl(0) { rx(t) 0 }"),
    E0901 => ("a value that is not a finite number when the model runs (a gate angle, an amplitude, a param)", "input x\ncircuit { rx(exp(x)) 0 }   // qmlc run m.qml --input x=1000"),
    E0902 => ("a run that needs more memory than the machine can give (state vectors, samples)", "qubits 34\ncircuit { h 0 }\nmeasure state"),
    E0903 => ("amplitudes an amplitude embedding cannot prepare (too many, all zero, not normalised)", "input x[4]\ncircuit { amplitude_embedding(x) on 0..2 }   // --input x=0,0,0,0"),
    E0904 => ("a basis embedding bit that is not 0 or 1", "input b[2]\ncircuit { basis_embedding(b) }   // --input b=0,2"),
    E0905 => ("a measurement that cannot be taken with the shots asked for (`sample` without shots, too many samples)", "circuit { h 0 }\nmeasure sample(Z(0))   // without --shots"),
    E0906 => ("a training loss that is not a finite number", "optimizer sgd(lr = 1e300)"),
    E0907 => ("a data file that training cannot use (unreadable, malformed, columns that do not fit the model)", "data csv(\"missing.csv\", label = \"y\")"),
    E0908 => ("a params or inputs file that does not fit the model (a missing, extra or repeated key, a wrong shape)", "{\"w\": [0.1], \"w\": [0.2]}"),
    E1001 => ("OpenQASM import: a character OpenQASM does not use, or a comment or string that never closes", "qreg q[2]; ` x q[0];"),
    E1002 => ("OpenQASM import: a token where the grammar does not allow it", "cx q[0],, q[1];"),
    E1003 => ("OpenQASM import: the file ends inside a statement or block", "gate g a { x a;"),
    E1004 => ("OpenQASM import: an OpenQASM version other than 2 or 3, or a version line that is not first", "OPENQASM 4.0;"),
    E1005 => ("OpenQASM import: an include other than `qelib1.inc` or `stdgates.inc`", "include \"mygates.inc\";"),
    E1006 => ("OpenQASM import: a register, gate, parameter or function that is not declared", "qreg q[2]; hadamard q[0];"),
    E1007 => ("OpenQASM import: a name declared twice", "qreg q[2]; qreg q[3];"),
    E1008 => ("OpenQASM import: a gate given the wrong number of parameters or qubits", "qreg q[2]; cx q[0];"),
    E1009 => ("OpenQASM import: a qubit index outside its register, or a register of no qubits", "qreg q[2]; h q[2];"),
    E1010 => ("OpenQASM import: one qubit twice in a gate, or registers of different sizes broadcast together", "qreg a[2]; qreg b[3]; cx a, b;"),
    E1011 => ("OpenQASM import: a measurement followed by operations on its qubit (mid-circuit measurement)", "measure q[0] -> c[0]; x q[0];"),
    E1012 => ("OpenQASM import: `reset`", "reset q[0];"),
    E1013 => ("OpenQASM import: classical control (`if`, `while`, `switch`, `break`, `continue`, `end`)", "if (c == 1) x q[0];"),
    E1014 => ("OpenQASM import: classical code (declarations of classical values other than inputs and consts, assignments, subroutines, `output`)", "int n = 3;"),
    E1015 => ("OpenQASM import: timing and calibration (`opaque`, `defcal`, `cal`, `delay`, `box`, physical qubits `$0`)", "opaque g q;"),
    E1016 => ("OpenQASM import: a `for` loop the importer cannot unroll (its range is not constant, or its step is 0)", "for int i in [0:0:3] { h q[i]; }"),
    E1017 => ("OpenQASM import: an expression the importer cannot translate (an unknown function, a value of the wrong kind, a division by zero in an index)", "rx(popcount(3)) q[0];"),
    E1018 => ("OpenQASM import: a gate modifier that cannot be imported (`pow` with a power that is not a constant integer, a control count that is not a positive integer)", "pow(0.5) @ x q[0];"),
    E1019 => ("OpenQASM import: a program past the importer's limits (nesting, unrolled operations, qubits)", "for int i in [0:100000000] { h q[0]; }"),
    E1020 => ("an amplitude embedding exported to OpenQASM 3 while its amplitudes are not numbers (export takes `--input` values for it)", "input x[4]\ncircuit { amplitude_embedding(x) on 0..2 }   // qmlc export m.qml --to qasm3"),
    E1021 => ("an angle exported to OpenQASM 3 with a function OpenQASM 3 lacks (`abs`, `min`, `max`, `atan2`) of an input or param that is not a number", "input x\ncircuit { rx(abs(x)) 0 }   // qmlc export m.qml --to qasm3"),
    W0001 => ("a param that no measured output depends on", "param b\ncircuit { rx(b) 1 }\nmeasure expval(Z(0))"),
    W0002 => ("an input never used", "input x[2]"),
    W0003 => ("a const never used", "const layers = 3"),
    W0004 => ("a def never applied", "def spare(a) { ry(a) 0 }"),
    W0005 => ("a loop that never runs", "for i in 2..2 { h i }"),
    W0006 => ("a model that measures nothing", "qubits 1\ncircuit { h 0 }"),
    W1001 => ("OpenQASM import: a final measurement, imported as part of `measure probs(…)`", "measure q[0] -> c[0];   // nothing acts on q[0] afterwards"),
    W1002 => ("OpenQASM import: a name changed because qmlc reserves it or cannot spell it", "input float[64] rx;   // becomes `param rx_`"),
    W1003 => ("OpenQASM import: a `pragma` or annotation line, which the importer ignores", "pragma my_tool setting"),
}

impl Code {
    /// The code written as `text`, in any case (`e0101` is `E0101`).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether the code is a warning's (`W0xxx`).
    pub fn is_warning(self) -> bool {
        self.as_str().starts_with('W')
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Codes compare equal to their written form, so tests and tools may write `code == "E0101"`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The meaning and example of a code, if it exists.
pub fn explain(code: &str) -> Option<(&'static str, &'static str)> {
    Code::parse(code).map(|code| (code.meaning(), code.example()))
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_sorted_and_spelt_as_stable_codes() {
        let written: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        for pair in written.windows(2) {
            assert!(pair[0] < pair[1], "{} is listed before {}", pair[0], pair[1]);
        }
        for code in written {
            assert!(code.len() == 5 && (code.starts_with('E') || code.starts_with('W')), "{code}");
            assert!(code[1..].chars().all(|c| c.is_ascii_digit()), "{code}");
        }
        assert_eq!(Code::parse("e0101"), Some(Code::E0101));
        assert_eq!(Code::parse("E9999"), None);
    }
}
