//! The engine through the front end: random `.qml` programs checked against the simulator, the
//! optimizer and the gradient methods, the optimizer on the conformance programs, and the error
//! behaviour of `qmlc run` and `qmlc grad`.

mod cli;
mod optimizer;
mod options;
mod runtime;

use num_complex::Complex64;
use proptest::prelude::*;
use qmlc::ir::{Circuit, Gate, GateKind, GradientMethod, Op, Wire};
use qmlc::source::Span;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ---------------------------------------------------------------------------------------------
// Random source programs
// ---------------------------------------------------------------------------------------------

/// The size of the generic param vector `w`; loop variables index it, so it is at least the
/// largest register.
const N_WEIGHTS: usize = 8;
/// The size of the input vector `feat`; templates take slices of it up to the register size.
const N_FEATURES: usize = 6;

/// Every gate of LANGUAGE.md §4.1, aliases included: name, wires (0 for `multirz`), angles.
const GATES: &[(&str, usize, usize)] = &[
    ("id", 1, 0),
    ("x", 1, 0),
    ("y", 1, 0),
    ("z", 1, 0),
    ("h", 1, 0),
    ("s", 1, 0),
    ("sdg", 1, 0),
    ("t", 1, 0),
    ("tdg", 1, 0),
    ("sx", 1, 0),
    ("rx", 1, 1),
    ("ry", 1, 1),
    ("rz", 1, 1),
    ("phase", 1, 1),
    ("p", 1, 1),
    ("rot", 1, 3),
    ("u3", 1, 3),
    ("cnot", 2, 0),
    ("cx", 2, 0),
    ("cy", 2, 0),
    ("cz", 2, 0),
    ("swap", 2, 0),
    ("crx", 2, 1),
    ("cry", 2, 1),
    ("crz", 2, 1),
    ("cphase", 2, 1),
    ("cp", 2, 1),
    ("isingxx", 2, 1),
    ("isingyy", 2, 1),
    ("isingzz", 2, 1),
    ("toffoli", 3, 0),
    ("ccx", 3, 0),
    ("cswap", 3, 0),
    ("multirz", 0, 1),
];

/// A generated program in parts, so the same body can be written once or followed by its adjoint.
struct Program {
    n_qubits: usize,
    /// Params the templates in the body need, one declaration a line.
    declarations: Vec<String>,
    /// An amplitude embedding that starts the circuit (it prepares a state, so it has no adjoint
    /// and is left out of the identity program).
    preparation: Option<String>,
    body: Vec<String>,
    measurements: Vec<String>,
}

impl Program {
    /// The program with `circuit { BODY }`.
    fn source(&self) -> String {
        let body = self.body.join("\n");
        match &self.preparation {
            Some(preparation) => self.assemble(&format!("    {preparation}\n{body}")),
            None => self.assemble(&body),
        }
    }

    /// The program with `circuit { BODY adj { BODY } }`, which is the identity.
    fn source_with_inverse(&self) -> String {
        let body = self.body.join("\n");
        let inverse: Vec<String> = self.body.iter().map(|line| format!("    {line}")).collect();
        self.assemble(&format!("{body}\n    adj {{\n{}\n    }}", inverse.join("\n")))
    }

    fn assemble(&self, circuit: &str) -> String {
        let n_qubits = self.n_qubits;
        let mut text = format!(
            "qubits {n_qubits}\nconst c = 0.7\ninput feat[{N_FEATURES}]\nparam w[{N_WEIGHTS}]\nparam theta = constant(0.4)\n"
        );
        for declaration in &self.declarations {
            text.push_str(declaration);
            text.push('\n');
        }
        // The defs use up to three wires of their caller; they are declared only where they can be applied.
        text.push_str("def turn(a) {\n    ry(a) 0\n    rz(2 * a + c) 0\n}\n");
        if n_qubits >= 2 {
            text.push_str("def pair(a, b[2]) {\n    rx(a * b[0]) 0\n    cry(b[1]) 0, 1\n    cnot 1, 0\n}\n");
        }
        if n_qubits >= 3 {
            text.push_str(
                "def triple(v[3]) {\n    pair(v[0], v[1..3]) 0, 1\n    ctrl(2) { turn(v[2]) 0 }\n    adj { s 2; h 1 }\n}\n",
            );
        }
        text.push_str(&format!("circuit {{\n{circuit}\n}}\n"));
        text.push_str(&format!("measure {}\n", self.measurements.join(", ")));
        text
    }
}

/// Writes random programs from one seed.
struct Generator {
    rng: ChaCha8Rng,
    n_qubits: usize,
    declarations: Vec<String>,
    /// Gate statements in the body so far, bounded so that every case stays fast.
    n_statements: usize,
}

/// Where a statement is written: the wires it may use (not the controls of an enclosing `ctrl`),
/// and the loop variables in scope with their bounds.
#[derive(Clone)]
struct Scope {
    free_wires: Vec<usize>,
    loop_vars: Vec<(String, usize)>,
    depth: usize,
}

impl Generator {
    fn new(n_qubits: usize, seed: u64) -> Generator {
        Generator { rng: ChaCha8Rng::seed_from_u64(seed), n_qubits, declarations: Vec::new(), n_statements: 0 }
    }

    fn program(mut self) -> Program {
        let scope = Scope { free_wires: (0..self.n_qubits).collect(), loop_vars: Vec::new(), depth: 0 };
        let n_top = self.rng.random_range(1..=12);
        let mut body = Vec::new();
        for _ in 0..n_top {
            body.extend(self.statement(&scope));
        }
        if body.is_empty() {
            body.push("h 0".to_string());
        }
        let preparation = self.rng.random_bool(0.2).then(|| self.amplitude_embedding());
        let n_measurements = self.rng.random_range(1..=3);
        let measurements = (0..n_measurements).map(|_| self.measurement()).collect();
        Program { n_qubits: self.n_qubits, declarations: self.declarations, preparation, body, measurements }
    }

    /// `amplitude_embedding` of input features on one or two wires, normalized, padded or not.
    fn amplitude_embedding(&mut self) -> String {
        let n_wires = self.rng.random_range(1..=self.n_qubits.min(2));
        let scope = Scope { free_wires: (0..self.n_qubits).collect(), loop_vars: Vec::new(), depth: 0 };
        let wires: Vec<String> = self.wires(&scope, n_wires).iter().map(usize::to_string).collect();
        let n_values = 1 << n_wires;
        let start = self.rng.random_range(0..=N_FEATURES - n_values);
        if self.rng.random_bool(0.5) {
            format!(
                "amplitude_embedding(feat[{start}..{}], normalize = true) on {}",
                start + n_values,
                wires.join(", ")
            )
        } else {
            let end = start + self.rng.random_range(1..=n_values);
            format!("amplitude_embedding(feat[{start}..{end}], normalize = true, pad = 0.5) on {}", wires.join(", "))
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn wires(&mut self, scope: &Scope, count: usize) -> Vec<usize> {
        let mut wires = scope.free_wires.clone();
        wires.shuffle(&mut self.rng);
        wires.truncate(count);
        wires
    }

    /// A real angle expression: constants, params, inputs, loop variables and the functions, with
    /// zero and full turns now and then so that the optimizer has identities to find.
    fn angle(&mut self, scope: &Scope) -> String {
        let k = self.rng.random_range(0..N_WEIGHTS);
        let j = self.rng.random_range(0..N_FEATURES);
        let constant: f64 = self.rng.random_range(-3.0..3.0);
        match self.rng.random_range(0..14) {
            0 => format!("{constant:.3}"),
            1 => self.pick(&["0", "0.0", "2 * pi", "tau", "c", "pi / 4", "-c"]).to_string(),
            2 | 3 => format!("w[{k}]"),
            4 => "theta".to_string(),
            5 => format!("feat[{j}]"),
            6 => format!("{:.2} * w[{k}] - {:.2}", constant / 2.0, constant / 3.0),
            7 => format!("sin(w[{k}]) + cos(feat[{j}])"),
            8 => format!("w[{k}] * feat[{j}]"),
            9 => format!("exp(0.3 * w[{k}])"),
            10 => format!("sqrt(1 + theta ^ 2) - atan(w[{k}])"),
            11 => format!("-(w[{k}] + theta) / 2"),
            _ => match scope.loop_vars.last() {
                Some((var, _)) => format!("0.4 * {var} + w[{var}] * feat[{var}]"),
                None => format!("w[{k}]"),
            },
        }
    }

    /// One statement (sometimes written twice in a row, so that rotations merge and
    /// self-inverse gates cancel). Returns nothing when no statement fits the scope.
    fn statement(&mut self, scope: &Scope) -> Vec<String> {
        if self.n_statements >= 40 {
            return Vec::new();
        }
        self.n_statements += 1;
        let indent = "    ".repeat(scope.depth + 1);
        let nested = scope.depth < 2;
        let lines = match self.rng.random_range(0..20) {
            0 | 1 if nested => self.for_loop(scope),
            2 if nested => self.block("adj", scope.clone()),
            3 if nested && scope.free_wires.len() >= 2 => {
                let n_controls = self.rng.random_range(1..=(scope.free_wires.len() - 1).min(2));
                let controls = self.wires(scope, n_controls);
                let inner = Scope {
                    free_wires: scope.free_wires.iter().copied().filter(|w| !controls.contains(w)).collect(),
                    ..scope.clone()
                };
                let names: Vec<String> = controls.iter().map(usize::to_string).collect();
                self.block(&format!("ctrl({})", names.join(", ")), inner)
            }
            4 | 5 => self.template(scope),
            6 | 7 => self.def_call(scope),
            _ => self.gate(scope).into_iter().collect(),
        };
        let mut lines: Vec<String> = lines.into_iter().map(|line| format!("{indent}{line}")).collect();
        if lines.len() == 1 && self.rng.random_bool(0.15) {
            lines.push(lines[0].clone());
        }
        lines
    }

    /// `KEYWORD { BODY }` with one to three statements (nothing if none fits).
    fn block(&mut self, keyword: &str, inner: Scope) -> Vec<String> {
        let inner = Scope { depth: inner.depth + 1, ..inner };
        let mut body = Vec::new();
        for _ in 0..self.rng.random_range(1..=3) {
            body.extend(self.statement(&inner));
        }
        if body.is_empty() {
            return Vec::new();
        }
        let outdent = "    ".repeat(inner.depth);
        let mut lines = vec![format!("{keyword} {{")];
        // The body lines carry the inner indentation; the caller adds the outer one to every line.
        lines.extend(body.into_iter().map(|line| line[outdent.len()..].to_string()));
        lines.push("}".to_string());
        lines
    }

    fn for_loop(&mut self, scope: &Scope) -> Vec<String> {
        let var = if scope.loop_vars.is_empty() { "i" } else { "j" };
        let bound = self.rng.random_range(1..=self.n_qubits.min(3));
        let mut inner = scope.clone();
        inner.loop_vars.push((var.to_string(), bound));
        // Without enclosing controls every wire is free, so the loop variable can be a wire.
        let all_free = scope.free_wires.len() == self.n_qubits;
        if all_free && self.rng.random_bool(0.6) {
            let offset = if self.n_qubits > 1 { self.rng.random_range(1..self.n_qubits) } else { 0 };
            let angle = self.angle(&inner);
            let gate = match (self.n_qubits, self.rng.random_range(0..4)) {
                (1, _) | (_, 0) => format!("ry({angle}) {var}"),
                (_, 1) => format!("cnot {var}, mod({var} + {offset}, {})", self.n_qubits),
                (_, 2) => format!("crz({angle}) mod({var} + {offset}, {}), {var}", self.n_qubits),
                _ => format!("isingyy({angle}) {var}, mod({var} + {offset}, {})", self.n_qubits),
            };
            let mut lines = vec![format!("for {var} in 0..{bound} {{"), format!("    {gate}")];
            let extra = self.block("adj", inner.clone());
            lines.extend(extra.into_iter().map(|line| format!("    {line}")));
            lines.push("}".to_string());
            lines
        } else {
            let mut lines = self.block(&format!("for {var} in 0..{bound}"), inner);
            if lines.is_empty() {
                lines = self.gate(scope).into_iter().collect();
            }
            lines
        }
    }

    fn gate(&mut self, scope: &Scope) -> Option<String> {
        for _ in 0..10 {
            let (name, n_wires, n_angles) = self.pick(GATES);
            let n_wires = if n_wires == 0 { self.rng.random_range(1..=scope.free_wires.len().max(1)) } else { n_wires };
            if n_wires > scope.free_wires.len() {
                continue;
            }
            let wires: Vec<String> = self.wires(scope, n_wires).iter().map(usize::to_string).collect();
            let angles: Vec<String> = (0..n_angles).map(|_| self.angle(scope)).collect();
            let angles = if angles.is_empty() { String::new() } else { format!("({})", angles.join(", ")) };
            return Some(format!("{name}{angles} {}", wires.join(", ")));
        }
        None
    }

    /// A new param of the given shape for a template, declared with the program.
    fn template_param(&mut self, shape: &[usize]) -> String {
        let name = format!("tp{}", self.declarations.len());
        let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
        self.declarations.push(format!("param {name}[{}]", dims.join(", ")));
        name
    }

    fn template(&mut self, scope: &Scope) -> Vec<String> {
        let n = self.rng.random_range(1..=scope.free_wires.len().min(4));
        let mut wires = self.wires(scope, n);
        if self.rng.random_bool(0.5) {
            wires.sort_unstable();
        }
        let contiguous = wires.windows(2).all(|pair| pair[1] == pair[0] + 1);
        let on = if contiguous && n > 1 && self.rng.random_bool(0.5) {
            format!("on {}..{}", wires[0], wires[0] + n)
        } else {
            format!("on {}", wires.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
        };
        let layers = self.rng.random_range(1..=2);
        let axis = self.pick(&["X", "Y", "Z"]);
        let call = match self.rng.random_range(0..6) {
            0 if self.rng.random_bool(0.5) => {
                let k = self.rng.random_range(1..=n);
                format!("angle_embedding(feat[0..{k}], rotation = {axis})")
            }
            0 => {
                // A literal array of expressions: any angles, not only a slice of an input.
                let k = self.rng.random_range(1..=n);
                let features: Vec<String> = (0..k).map(|_| self.angle(scope)).collect();
                format!("angle_embedding([{}], rotation = {axis})", features.join(", "))
            }
            1 => {
                let start = self.rng.random_range(0..=N_FEATURES - n);
                format!("iqp_embedding(feat[{start}..{}], repeats = {layers})", start + n)
            }
            2 => {
                let bits: Vec<&str> = (0..n).map(|_| self.pick(&["0", "1"])).collect();
                format!("basis_embedding([{}])", bits.join(", "))
            }
            3 => {
                let name = self.template_param(&[layers, n, 3]);
                let imprimitive = self.pick(&["cnot", "cz"]);
                format!("strongly_entangling_layers({name}, imprimitive = {imprimitive})")
            }
            4 => {
                let name = self.template_param(&[layers, n]);
                format!("basic_entangler_layers({name}, rotation = {axis})")
            }
            _ if n >= 2 => {
                let init = self.template_param(&[n]);
                let weights = self.template_param(&[layers, n - 1, 2]);
                format!("simplified_two_design({init}, {weights})")
            }
            _ => format!("basic_entangler_layers({}, rotation = {axis})", self.template_param(&[layers, 1])),
        };
        vec![format!("{call} {on}")]
    }

    fn def_call(&mut self, scope: &Scope) -> Vec<String> {
        let free = scope.free_wires.len();
        let k = self.rng.random_range(0..N_WEIGHTS - 2);
        let choice = self.rng.random_range(0..3usize).min(free.saturating_sub(1)).min(self.n_qubits - 1);
        let line = match choice {
            0 => {
                let wires = self.wires(scope, 1);
                format!("turn({}) {}", self.angle(scope), wires[0])
            }
            1 => {
                let wires = self.wires(scope, 2);
                format!("pair({}, w[{k}..{}]) {}, {}", self.angle(scope), k + 2, wires[0], wires[1])
            }
            _ => {
                let wires = self.wires(scope, 3);
                let argument = if self.rng.random_bool(0.5) {
                    format!("w[{k}..{}]", k + 3)
                } else {
                    format!("[theta, {}, 0.5]", self.angle(scope))
                };
                format!("triple({argument}) {}, {}, {}", wires[0], wires[1], wires[2])
            }
        };
        vec![line]
    }

    fn measurement(&mut self) -> String {
        let n = self.n_qubits;
        let a = self.rng.random_range(0..n);
        let b = (a + 1) % n;
        let pauli = self.pick(&["X", "Y", "Z", "H"]);
        match self.rng.random_range(0..5) {
            0 => format!("expval({pauli}(0))"),
            1 if n >= 2 => format!("expval(0.5 * Z({a}) @ {pauli}({b}) - 1.2 * X({a}) + 0.3 * Y({b}))"),
            2 => format!("var({pauli}({a}))"),
            3 if n >= 2 => format!("probs({a}, {b})"),
            _ => format!("probs({a})"),
        }
    }
}

/// Compiles a program that must be valid, with its diagnostics and text on failure.
fn compile_valid(text: &str) -> Result<Circuit, TestCaseError> {
    let output = qmlc::check::compile(text);
    let errors: Vec<String> =
        output.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{} {}", d.code, d.message)).collect();
    prop_assert!(errors.is_empty(), "errors {errors:?} in\n{text}");
    match output.circuit {
        Some(circuit) => Ok(circuit),
        None => Err(TestCaseError::fail(format!("no circuit for\n{text}"))),
    }
}

/// Random param and input vectors for a circuit, in [-2, 2].
fn random_values(circuit: &Circuit, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let params = (0..circuit.n_params()).map(|_| rng.random_range(-2.0..2.0)).collect();
    let inputs = (0..circuit.n_inputs()).map(|_| rng.random_range(-2.0..2.0)).collect();
    (params, inputs)
}

fn final_amplitudes(circuit: &Circuit, inputs: &[f64], params: &[f64]) -> Vec<Complex64> {
    qmlc::sim::final_state(circuit, inputs, params).expect("a valid circuit runs").into_amplitudes()
}

fn largest_difference(a: &[Complex64], b: &[Complex64]) -> f64 {
    assert_eq!(a.len(), b.len(), "state sizes");
    a.iter().zip(b).map(|(x, y)| (x - y).norm()).fold(0.0, f64::max)
}

fn program_strategy() -> impl Strategy<Value = (usize, u64)> {
    (1usize..=6, any::<u64>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn optimizing_a_random_program_leaves_its_final_state_unchanged((n_qubits, seed) in program_strategy()) {
        let program = Generator::new(n_qubits, seed).program();
        let text = program.source();
        let circuit = compile_valid(&text)?;
        let (optimized, stats) = qmlc::opt::optimize(&circuit);
        prop_assert_eq!(stats.ops_after, optimized.ops.len());
        prop_assert!(stats.ops_after <= stats.ops_before);
        for draw in 0..2 {
            let (params, inputs) = random_values(&circuit, seed.wrapping_add(draw));
            let before = final_amplitudes(&circuit, &inputs, &params);
            let after = final_amplitudes(&optimized, &inputs, &params);
            let difference = largest_difference(&before, &after);
            prop_assert!(difference < 1e-10, "the optimizer changed the state by {difference} in\n{text}\n{}", optimized.listing());
        }
    }

    #[test]
    fn a_random_body_followed_by_its_adjoint_gives_back_the_zero_state((n_qubits, seed) in program_strategy()) {
        let program = Generator::new(n_qubits, seed).program();
        let text = program.source_with_inverse();
        let circuit = compile_valid(&text)?;
        let (params, inputs) = random_values(&circuit, seed);
        let mut zero = vec![Complex64::new(0.0, 0.0); 1 << n_qubits];
        zero[0] = Complex64::new(1.0, 0.0);
        let difference = largest_difference(&final_amplitudes(&circuit, &inputs, &params), &zero);
        prop_assert!(difference < 1e-10, "BODY adj {{ BODY }} is off the identity by {difference} in\n{text}");
        // The optimizer must not break the identity either (it may well shrink the gate list).
        let (optimized, _) = qmlc::opt::optimize(&circuit);
        let difference = largest_difference(&final_amplitudes(&optimized, &inputs, &params), &zero);
        prop_assert!(difference < 1e-10, "optimized, BODY adj {{ BODY }} is off by {difference} in\n{text}");
    }

    #[test]
    fn random_programs_keep_the_norm_at_one((n_qubits, seed) in program_strategy()) {
        let program = Generator::new(n_qubits, seed).program();
        let text = program.source();
        let circuit = compile_valid(&text)?;
        let (params, inputs) = random_values(&circuit, seed);
        let norm_squared: f64 = final_amplitudes(&circuit, &inputs, &params).iter().map(|a| a.norm_sqr()).sum();
        prop_assert!((norm_squared.sqrt() - 1.0).abs() < 1e-10, "norm {} in\n{text}", norm_squared.sqrt());
    }

    #[test]
    fn the_gradient_methods_agree_on_random_programs((n_qubits, seed) in program_strategy()) {
        let program = Generator::new(n_qubits, seed).program();
        let text = program.source();
        let circuit = compile_valid(&text)?;
        let (params, inputs) = random_values(&circuit, seed);
        let jacobian = |method| qmlc::grad::jacobian(&circuit, &inputs, &params, method, None).expect("differentiable");
        let adjoint = jacobian(GradientMethod::Adjoint);
        let shift = jacobian(GradientMethod::ParameterShift);
        let finite = jacobian(GradientMethod::FiniteDiff);
        let exact = qmlc::sim::execute(&circuit, &inputs, &params, None).expect("runs");
        prop_assert_eq!(adjoint.outputs.len(), exact.outputs.len());
        for (a, e) in adjoint.outputs.iter().zip(&exact.outputs) {
            prop_assert!((a - e).abs() < 1e-12, "outputs: adjoint {a}, execute {e} in\n{text}");
        }
        prop_assert_eq!(adjoint.values.len(), exact.outputs.len() * circuit.n_params());
        for (index, ((a, s), f)) in adjoint.values.iter().zip(&shift.values).zip(&finite.values).enumerate() {
            let (output, param) = (index / circuit.n_params(), index % circuit.n_params());
            prop_assert!((a - s).abs() < 1e-10, "d out[{output}] / d p[{param}]: adjoint {a}, shift {s} in\n{text}");
            prop_assert!((a - f).abs() < 1e-5, "d out[{output}] / d p[{param}]: adjoint {a}, finite {f} in\n{text}");
        }
    }
}

#[test]
fn the_generator_writes_programs_that_use_every_construct() {
    // The properties above are only as good as the programs: over a few hundred seeds, every
    // gate, template and block kind must turn up, and every program must compile.
    let mut text = String::new();
    for seed in 0..300 {
        let program = Generator::new(1 + (seed as usize % 6), seed).program();
        let source = program.source();
        let output = qmlc::check::compile(&source);
        assert!(output.circuit.is_some(), "{:?}\n{source}", output.diagnostics);
        text.push_str(&source);
    }
    for needle in [
        "adj {",
        "ctrl(",
        "for i in",
        "for j in",
        "turn(",
        "pair(",
        "triple(",
        "angle_embedding",
        "iqp_embedding",
        "basis_embedding",
        "strongly_entangling_layers",
        "basic_entangler_layers",
        "simplified_two_design",
        " on ",
        "multirz",
        "cswap",
        "toffoli",
        "amplitude_embedding",
        "u3(",
        "rot(",
        "sx ",
        "feat[",
        "mod(",
    ] {
        assert!(text.contains(needle), "no generated program contains `{needle}`");
    }
}
