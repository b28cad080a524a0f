//! Valid `.qml` programs built from a stream of bytes, so that fuzzing reaches the simulator and the gradients.
//!
//! Arbitrary text almost never gets past the checker, so the `engine` target and the bounded fuzz
//! test in `tests/it/fuzz.rs` also build programs from the language's version-1 features by
//! construction: every gate on distinct wires in range, every index inside its array, every
//! template with the shape its rule asks for. Each byte read is one choice; when the bytes run out
//! every choice is 0, which means "stop" or "the simplest option", so every byte string gives a
//! program, and a fuzzer that changes one byte changes one decision.

use std::fmt::Write;

/// Reads choices from fuzz data, one byte per choice.
pub struct Choices<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Choices<'a> {
        Choices { bytes, position: 0 }
    }

    /// A number in `0..n`; 0 once the bytes are used up.
    pub fn below(&mut self, n: usize) -> usize {
        let byte = self.bytes.get(self.position).copied().unwrap_or(0);
        self.position = self.position.saturating_add(1);
        usize::from(byte) % n.max(1)
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len())]
    }

    /// True about one time in `n`, false when the bytes are used up.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.position < self.bytes.len() && self.below(n) == n.saturating_sub(1)
    }

    /// The bytes not yet read (the engine target takes its input and param values from them).
    pub fn remaining(&self) -> &'a [u8] {
        self.bytes.get(self.position..).unwrap_or(&[])
    }
}

/// The number of elements of `param w`: angles index it with constants `w[0]`..`w[7]`.
const W_SIZE: usize = 8;

/// What the statements of a generated program may refer to.
struct Model {
    n_qubits: usize,
    layers: usize,
    /// Whether `def pair(a[2])` and the params `v`, `init` and `std` (for the def and for
    /// `simplified_two_design`) are declared: they need two qubits.
    has_pair: bool,
}

/// A random valid program of one to five qubits.
pub fn program(choices: &mut Choices) -> String {
    let n_qubits = 1 + choices.below(5);
    let layers = 1 + choices.below(2);
    let model = Model { n_qubits, layers, has_pair: n_qubits >= 2 };
    let mut out = String::new();
    writeln!(out, "// generated").expect("writing to a String cannot fail");
    writeln!(out, "qubits {n_qubits}").expect("writing to a String cannot fail");
    writeln!(out, "const k = {}", 1 + choices.below(3)).expect("writing to a String cannot fail");
    writeln!(out, "input x[{n_qubits}]").expect("writing to a String cannot fail");
    writeln!(out, "param w[{W_SIZE}]").expect("writing to a String cannot fail");
    writeln!(out, "param t = 0.3").expect("writing to a String cannot fail");
    writeln!(out, "param sel[{layers}, {n_qubits}, 3] = normal(0, 1)").expect("writing to a String cannot fail");
    writeln!(out, "param bel[{layers}, {n_qubits}]").expect("writing to a String cannot fail");
    if model.has_pair {
        writeln!(out, "param v[{layers}, 2]").expect("writing to a String cannot fail");
        writeln!(out, "param init[{n_qubits}]").expect("writing to a String cannot fail");
        writeln!(out, "param std[{layers}, {}, 2]", n_qubits - 1).expect("writing to a String cannot fail");
        out.push_str("def pair(a[2]) {\n    ry(a[0]) 0\n    cnot 0, 1\n    rz(a[1] * 2) 1\n}\n");
    }
    out.push_str("circuit {\n");
    // An amplitude embedding must come before any gate on its wires, so it can only open the body.
    if choices.one_in(6) {
        if choices.one_in(2) {
            out.push_str("    amplitude_embedding(x, normalize = true, pad = 0.5)\n");
        } else {
            out.push_str("    amplitude_embedding([0.6, 0.8]) on 0..1\n");
        }
    }
    let all_wires: Vec<usize> = (0..n_qubits).collect();
    let n_statements = 1 + choices.below(12);
    for _ in 0..n_statements {
        statement(choices, &model, &all_wires, 0, false, 1, &mut out);
    }
    out.push_str("}\n");
    measurements(choices, &model, &mut out);
    out
}

/// Appends one statement acting only on `wires`, at nesting `depth`; `in_loop` says whether the
/// loop variable `i` is in scope as an integer.
fn statement(
    choices: &mut Choices,
    model: &Model,
    wires: &[usize],
    depth: usize,
    in_loop: bool,
    indent: usize,
    out: &mut String,
) {
    let pad = "    ".repeat(indent);
    let whole_register = wires.len() == model.n_qubits;
    match choices.below(16) {
        0 | 1 => {
            let gate = choices.pick(&["id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx"]);
            let wire = choices.pick(wires);
            writeln!(out, "{pad}{gate} {wire}").expect("writing to a String cannot fail");
        }
        2..=4 => {
            let gate = choices.pick(&["rx", "ry", "rz", "phase", "p"]);
            let angle = angle(choices, model, in_loop, 0);
            let wire = choices.pick(wires);
            writeln!(out, "{pad}{gate}({angle}) {wire}").expect("writing to a String cannot fail");
        }
        5 => {
            let gate = choices.pick(&["rot", "u3"]);
            let angles: Vec<String> = (0..3).map(|_| angle(choices, model, in_loop, 0)).collect();
            let wire = choices.pick(wires);
            writeln!(out, "{pad}{gate}({}) {wire}", angles.join(", ")).expect("writing to a String cannot fail");
        }
        6 | 7 if wires.len() >= 2 => {
            let on = distinct_wires(choices, wires, 2);
            if choices.one_in(2) {
                let gate = choices.pick(&["cnot", "cx", "cy", "cz", "swap"]);
                writeln!(out, "{pad}{gate} {}", on.join(", ")).expect("writing to a String cannot fail");
            } else {
                let gate = choices.pick(&["crx", "cry", "crz", "cphase", "cp", "isingxx", "isingyy", "isingzz"]);
                let angle = angle(choices, model, in_loop, 0);
                writeln!(out, "{pad}{gate}({angle}) {}", on.join(", ")).expect("writing to a String cannot fail");
            }
        }
        8 if wires.len() >= 3 => {
            let gate = choices.pick(&["toffoli", "ccx", "cswap"]);
            let on = distinct_wires(choices, wires, 3);
            writeln!(out, "{pad}{gate} {}", on.join(", ")).expect("writing to a String cannot fail");
        }
        9 => {
            let count = 1 + choices.below(wires.len());
            let on = distinct_wires(choices, wires, count);
            let angle = angle(choices, model, in_loop, 0);
            writeln!(out, "{pad}multirz({angle}) {}", on.join(", ")).expect("writing to a String cannot fail");
        }
        10 if depth < 3 && !in_loop => {
            // With the whole register the loop variable can be a wire; otherwise it only counts.
            if whole_register && choices.one_in(2) {
                let n = model.n_qubits;
                writeln!(out, "{pad}for i in 0..{n} {{").expect("writing to a String cannot fail");
                let angle = angle(choices, model, true, 0);
                writeln!(out, "{pad}    ry({angle}) i").expect("writing to a String cannot fail");
                if n >= 2 {
                    writeln!(out, "{pad}    cnot i, mod(i + 1, {n})").expect("writing to a String cannot fail");
                }
            } else {
                writeln!(out, "{pad}for i in 0..{} {{", 1 + choices.below(3)).expect("writing to a String cannot fail");
                for _ in 0..1 + choices.below(2) {
                    statement(choices, model, wires, depth + 1, true, indent + 1, out);
                }
            }
            writeln!(out, "{pad}}}").expect("writing to a String cannot fail");
        }
        11 if depth < 3 => {
            writeln!(out, "{pad}adj {{").expect("writing to a String cannot fail");
            for _ in 0..1 + choices.below(3) {
                statement(choices, model, wires, depth + 1, in_loop, indent + 1, out);
            }
            writeln!(out, "{pad}}}").expect("writing to a String cannot fail");
        }
        12 if depth < 3 && wires.len() >= 2 => {
            let n_controls = 1 + choices.below((wires.len() - 1).min(2));
            let controls = distinct_wires(choices, wires, n_controls);
            let rest: Vec<usize> = wires.iter().copied().filter(|w| !controls.contains(&w.to_string())).collect();
            writeln!(out, "{pad}ctrl({}) {{", controls.join(", ")).expect("writing to a String cannot fail");
            for _ in 0..1 + choices.below(3) {
                statement(choices, model, &rest, depth + 1, in_loop, indent + 1, out);
            }
            writeln!(out, "{pad}}}").expect("writing to a String cannot fail");
        }
        13 | 14 if whole_register => template(choices, model, &pad, out),
        15 if model.has_pair && wires.len() >= 2 => {
            let on = distinct_wires(choices, wires, 2);
            let layer = choices.below(model.layers);
            let argument = match choices.below(3) {
                0 => format!("v[{layer}]"),
                1 => "w[2..4]".to_string(),
                _ => format!("[{}, 0.25]", angle(choices, model, in_loop, 1)),
            };
            writeln!(out, "{pad}pair({argument}) {}", on.join(", ")).expect("writing to a String cannot fail");
        }
        _ => {
            let wire = choices.pick(wires);
            writeln!(out, "{pad}h {wire}").expect("writing to a String cannot fail");
        }
    }
}

/// Appends one template call on the whole register (or, for `angle_embedding`, a prefix of it).
fn template(choices: &mut Choices, model: &Model, pad: &str, out: &mut String) {
    let n = model.n_qubits;
    let rotation = ["X", "Y", "Z"][choices.below(3)];
    let line = match choices.below(7) {
        0 => format!("angle_embedding(x, rotation = {rotation})"),
        1 => {
            let k = 1 + choices.below(n);
            format!("angle_embedding(x[0..{k}], rotation = {rotation}) on 0..{k}")
        }
        2 => {
            if choices.one_in(2) {
                "strongly_entangling_layers(sel, imprimitive = cz)".to_string()
            } else {
                "strongly_entangling_layers(sel)".to_string()
            }
        }
        3 => format!("basic_entangler_layers(bel, rotation = {rotation})"),
        4 => format!("iqp_embedding(x, repeats = {})", 1 + choices.below(2)),
        5 => {
            let bits: Vec<String> = (0..n).map(|_| choices.below(2).to_string()).collect();
            format!("basis_embedding([{}])", bits.join(", "))
        }
        _ if model.has_pair => "simplified_two_design(init, std)".to_string(),
        _ => "angle_embedding(x)".to_string(),
    };
    writeln!(out, "{pad}{line}").expect("writing to a String cannot fail");
}

/// `count` distinct wires from `wires`, as text.
fn distinct_wires(choices: &mut Choices, wires: &[usize], count: usize) -> Vec<String> {
    let mut pool = wires.to_vec();
    let mut chosen = Vec::with_capacity(count);
    for _ in 0..count.min(pool.len()) {
        let wire = pool.remove(choices.below(pool.len()));
        chosen.push(wire.to_string());
    }
    chosen
}

/// An angle expression over the inputs, params, consts and (in a loop) the loop variable.
fn angle(choices: &mut Choices, model: &Model, in_loop: bool, depth: usize) -> String {
    let atom_only = depth >= 3;
    match if atom_only { 0 } else { choices.below(12) } {
        0..=3 => match choices.below(if in_loop { 8 } else { 7 }) {
            0 | 1 => format!("w[{}]", choices.below(W_SIZE)),
            2 => format!("x[{}]", choices.below(model.n_qubits)),
            3 => "t".to_string(),
            4 => choices.pick(&["0.5", "0", "2", "1e-3", "pi / 2", "tau", "e", ".25"]).to_string(),
            5 => "k".to_string(),
            6 => {
                format!("sel[{}, {}, {}]", choices.below(model.layers), choices.below(model.n_qubits), choices.below(3))
            }
            _ => format!("i * {}", choices.pick(&["t", "w[1]", "0.5", "x[0]"])),
        },
        4 => format!("{} + {}", angle(choices, model, in_loop, depth + 1), angle(choices, model, in_loop, depth + 1)),
        5 => format!("{} - {}", angle(choices, model, in_loop, depth + 1), angle(choices, model, in_loop, depth + 1)),
        6 => format!("{} * {}", angle(choices, model, in_loop, depth + 1), angle(choices, model, in_loop, depth + 1)),
        7 => format!("({}) / 2", angle(choices, model, in_loop, depth + 1)),
        8 => format!("-({})", angle(choices, model, in_loop, depth + 1)),
        9 => format!("({}) ^ 2", angle(choices, model, in_loop, depth + 1)),
        _ => {
            let function = choices.pick(&["sin", "cos", "atan", "exp", "abs", "floor", "tan"]);
            let inner = angle(choices, model, in_loop, depth + 1);
            match choices.below(3) {
                0 => format!("sqrt(abs({inner}))"),
                1 => format!("log(abs({inner}) + 1)"),
                _ => format!("{function}({inner})"),
            }
        }
    }
}

/// Appends one or more `measure` lines.
fn measurements(choices: &mut Choices, model: &Model, out: &mut String) {
    let n = model.n_qubits;
    let all_wires: Vec<usize> = (0..n).collect();
    if choices.one_in(5) {
        writeln!(out, "measure for i in 0..{n} {{ expval(Z(i)) }}").expect("writing to a String cannot fail");
    }
    let mut items = Vec::new();
    for _ in 0..1 + choices.below(3) {
        let item = match choices.below(10) {
            0..=3 => format!("expval({})", observable(choices, &all_wires)),
            4 | 5 => format!("var({})", observable(choices, &all_wires)),
            6 => "probs".to_string(),
            7 | 8 => {
                let count = 1 + choices.below(n.min(3));
                format!("probs({})", distinct_wires(choices, &all_wires, count).join(", "))
            }
            _ if choices.one_in(2) => format!("sample({})", observable(choices, &all_wires)),
            _ => "state".to_string(),
        };
        items.push(item);
    }
    writeln!(out, "measure {}", items.join(", ")).expect("writing to a String cannot fail");
}

/// A real combination of one to three Pauli words, each on distinct wires.
fn observable(choices: &mut Choices, wires: &[usize]) -> String {
    let mut text = String::new();
    for term_idx in 0..1 + choices.below(3) {
        if term_idx > 0 {
            text.push_str(if choices.one_in(2) { " - " } else { " + " });
        }
        if choices.one_in(2) {
            text.push_str(choices.pick(&["0.5 * ", "2 * ", "-1.25 * ", "pi * "]));
        }
        let count = 1 + choices.below(wires.len().min(3));
        let factors: Vec<String> = distinct_wires(choices, wires, count)
            .into_iter()
            .map(|wire| format!("{}({wire})", choices.pick(&["X", "Y", "Z", "I", "H"])))
            .collect();
        text.push_str(&factors.join(" @ "));
    }
    text
}
