//! The builtin scope: gates, templates, observables, functions, measurements and the names users may not take.
//!
//! The lists are the names of the tables in `crate::builtins`, which hold every builtin's
//! arguments and doc; this module keeps the checker's view of them.

use crate::builtins::{self as registry, names, Entry};
use crate::ir::GateKind;

/// The names of one registry table, as a constant list.
macro_rules! names_of {
    ($table:expr) => {
        &names::<{ $table.len() }>($table)
    };
}

pub const TEMPLATES: &[&str] = names_of!(registry::TEMPLATES);

pub const FUNCTIONS: &[&str] = names_of!(registry::FUNCTIONS);

pub const CONSTANTS: &[(&str, f64)] = &constants::<{ registry::CONSTANTS.len() }>();

pub const OBSERVABLES: &[&str] = names_of!(registry::OBSERVABLES);

pub const MEASUREMENTS: &[&str] = names_of!(registry::MEASUREMENTS);

pub const OPTIMIZERS: &[&str] = names_of!(registry::OPTIMIZERS);

pub const SCHEDULES: &[&str] = names_of!(registry::SCHEDULES);

pub const HEAD_LAYERS: &[&str] = names_of!(registry::HEAD_LAYERS);

pub const INITIALIZERS: &[&str] = names_of!(registry::INITIALIZERS);

pub const TRAIN_FIELDS: &[&str] = &train_fields::<{ registry::TRAIN_FIELDS.len() }>();

pub const DATA_SOURCES: &[&str] = names_of!(registry::DATA_SOURCES);

pub const LOSSES: &[&str] = names_of!(registry::LOSSES);

pub const FEATURE_MAPS: &[&str] = names_of!(registry::FEATURE_MAPS);

pub const GRADIENT_METHODS: &[&str] = names_of!(registry::GRADIENT_METHODS);

const fn constants<const N: usize>() -> [(&'static str, f64); N] {
    let mut out = [("", 0.0); N];
    let mut index = 0;
    while index < N {
        out[index] = (registry::CONSTANTS[index].name, registry::CONSTANTS[index].value);
        index += 1;
    }
    out
}

const fn train_fields<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let mut index = 0;
    while index < N {
        out[index] = registry::TRAIN_FIELDS[index].name;
        index += 1;
    }
    out
}

/// The number of keywords that start a declaration.
const fn count_declaration_keywords() -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < registry::KEYWORDS.len() {
        if registry::KEYWORDS[index].declaration {
            count += 1;
        }
        index += 1;
    }
    count
}

const fn declaration_keywords<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let (mut position, mut index) = (0, 0);
    while index < registry::KEYWORDS.len() {
        if registry::KEYWORDS[index].declaration {
            out[position] = registry::KEYWORDS[index].name;
            position += 1;
        }
        index += 1;
    }
    out
}

/// The positional and named arguments of a template (empty for a name that is not one).
pub fn template_signature(template: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    registry::find(registry::Kind::Template, template).map(Entry::positional_and_named).unwrap_or_default()
}

/// The arguments of a builtin whose arguments are numbers (an optimizer, a data source), with their defaults.
pub fn numeric_args(kind: registry::Kind, name: &str) -> Vec<(&'static str, Option<f64>)> {
    registry::find(kind, name).map(Entry::numeric_args).unwrap_or_default()
}

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
        || (FUNCTIONS.contains(&name) && !VERSION_2_FUNCTIONS.contains(&name))
        || constant(name).is_some()
        || OBSERVABLES.contains(&name)
        || MEASUREMENTS.contains(&name)
        || OPTIMIZERS.contains(&name)
}

/// The functions LANGUAGE.md §10.2 added. A version 1 file means the same in version 2, and a
/// version 1 file may have named a param `min` or a const `sum`, so these names stay free for
/// declarations: a function is only ever called and a declared name only ever read, so the two
/// never meet (`max(max, 0)` calls the function on the const).
const VERSION_2_FUNCTIONS: &[&str] = &["tanh", "sinh", "cosh", "sigmoid", "atan2", "min", "max", "sum", "dot"];

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

const DECLARATION_KEYWORDS: &[&str] = &declaration_keywords::<{ count_declaration_keywords() }>();

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
