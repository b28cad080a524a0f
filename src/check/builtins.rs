//! The builtin scope: gates, templates, observables, functions, measurements and the names users may not take.

use crate::ir::GateKind;

pub const TEMPLATES: &[&str] = &[
    "angle_embedding",
    "amplitude_embedding",
    "basis_embedding",
    "iqp_embedding",
    "strongly_entangling_layers",
    "basic_entangler_layers",
    "simplified_two_design",
];

pub const FUNCTIONS: &[&str] =
    &["sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "sqrt", "abs", "floor", "mod"];

pub const CONSTANTS: &[(&str, f64)] =
    &[("pi", std::f64::consts::PI), ("tau", std::f64::consts::TAU), ("e", std::f64::consts::E)];

pub const OBSERVABLES: &[&str] = &["X", "Y", "Z", "I", "H"];

pub const MEASUREMENTS: &[&str] = &["expval", "var", "probs", "sample", "state"];

pub const OPTIMIZERS: &[&str] = &["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "spsa"];

pub const HEAD_LAYERS: &[&str] = &["linear", "relu", "tanh", "sigmoid"];

pub const INITIALIZERS: &[&str] = &["zeros", "ones", "constant", "uniform", "normal"];

pub const TRAIN_FIELDS: &[&str] = &[
    "data",
    "features",
    "split",
    "shuffle",
    "loss",
    "optimizer",
    "epochs",
    "batch",
    "gradient",
    "shots",
    "seed",
    "patience",
];

pub const DATA_SOURCES: &[&str] = &["csv", "moons", "circles", "iris", "parity", "xor"];

pub const LOSSES: &[&str] = &["mse", "cross_entropy", "hinge"];

pub fn constant(name: &str) -> Option<f64> {
    CONSTANTS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

pub fn is_template(name: &str) -> bool {
    TEMPLATES.contains(&name)
}

/// Whether a user declaration may not take this name. Single-letter gate names (`x`, `h`, …) are
/// the exception: a data input called `x` is the most common name there is, and a value can never
/// be mistaken for a gate because gates are only ever applied as statements.
pub fn is_reserved(name: &str) -> bool {
    let is_gate = GateKind::from_name(name).is_some() && name.len() > 1;
    is_gate
        || TEMPLATES.contains(&name)
        || FUNCTIONS.contains(&name)
        || constant(name).is_some()
        || OBSERVABLES.contains(&name)
        || MEASUREMENTS.contains(&name)
        || OPTIMIZERS.contains(&name)
}

/// What kind of builtin a reserved name is, for the message that refuses it.
pub fn builtin_kind(name: &str) -> &'static str {
    if GateKind::from_name(name).is_some() {
        "a gate"
    } else if TEMPLATES.contains(&name) {
        "a template"
    } else if FUNCTIONS.contains(&name) {
        "a function"
    } else if constant(name).is_some() {
        "a constant"
    } else if OBSERVABLES.contains(&name) {
        "an observable"
    } else if MEASUREMENTS.contains(&name) {
        "a measurement"
    } else {
        "an optimizer"
    }
}

/// Names other toolkits use for gates and templates, with ours.
const FOREIGN_NAMES: &[(&str, &str)] = &[
    ("hadamard", "h"),
    ("not", "x"),
    ("rxx", "isingxx"),
    ("ryy", "isingyy"),
    ("rzz", "isingzz"),
    ("cu1", "cphase"),
    ("u", "u3"),
    ("ccnot", "toffoli"),
    ("fredkin", "cswap"),
    ("phaseshift", "phase"),
    ("controlledphaseshift", "cphase"),
    ("angleembedding", "angle_embedding"),
    ("amplitudeembedding", "amplitude_embedding"),
    ("stronglyentanglinglayers", "strongly_entangling_layers"),
    ("basicentanglerlayers", "basic_entangler_layers"),
];

/// The gate an unknown name most likely meant: the name another toolkit uses, or the closest spelling.
pub fn suggest_gate<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase().replace('_', "");
    if let Some((_, ours)) = FOREIGN_NAMES.iter().find(|(foreign, _)| *foreign == lower) {
        return Some(ours);
    }
    closest(name, candidates)
}

const DECLARATION_KEYWORDS: &[&str] =
    &["qubits", "input", "param", "const", "def", "circuit", "measure", "head", "train"];

/// The declaration keyword a name is a plausible misspelling of (`circut`, `qubit`, `Measure`).
pub fn misspelt_keyword(name: &str) -> Option<&'static str> {
    if DECLARATION_KEYWORDS.contains(&name) {
        return None;
    }
    closest(name, DECLARATION_KEYWORDS.iter().copied()).filter(|_| name.len() >= 3)
}

pub use crate::diagnostic::closest;

/// A `help` line suggesting the closest candidate, if any.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}
