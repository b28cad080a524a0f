//! The builtin scope as data: one table per kind of builtin (gates, templates, observables, measurements, functions, initializers, head layers, data sources, feature maps, losses, optimizers, gradient methods, train fields, constants, keywords).
//!
//! The checker, `qmlc explain` and the generated reference in docs/language.md read these tables,
//! so a builtin's name, arguments and doc are written once.

mod entries;
pub mod gates;
pub(crate) mod matrices;
mod reference;

pub use entries::{
    CONSTANTS, DATA_SOURCES, FEATURE_MAPS, FUNCTIONS, GRADIENT_METHODS, HEAD_LAYERS, INITIALIZERS, KEYWORDS, LOSSES,
    MEASUREMENTS, OBSERVABLES, OPTIMIZERS, SCHEDULES, TEMPLATES, TRAIN_FIELDS,
};
pub use reference::{describe, reference_markdown};

#[cfg(test)]
mod tests;

/// What an argument is when it is not given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArgDefault {
    /// The argument must be given.
    Required,
    /// A number.
    Number(f64),
    /// Anything else, as it would be written (`X`, `none`, `false`) or described.
    Word(&'static str),
}

/// One argument of a builtin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arg {
    pub name: &'static str,
    pub default: ArgDefault,
    /// Whether it is only given by name (`rotation = Y`), after the positional arguments.
    pub named: bool,
}

/// One builtin that is not a gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    pub name: &'static str,
    /// The arguments in order; a builtin without any is written as a bare name.
    pub args: &'static [Arg],
    /// For templates, the shapes the arguments must have on n wires; empty otherwise.
    pub shape: &'static str,
    /// What it does, in a sentence.
    pub doc: &'static str,
    /// A use, in the context of its kind (see `Kind::program`).
    pub example: &'static str,
}

impl Entry {
    /// How it is written: `adam(lr = 0.001, beta1 = 0.9, …)`, `relu`, `linear(k)`.
    pub fn signature(&self) -> String {
        if self.args.is_empty() {
            return self.name.to_string();
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|arg| match arg.default {
                ArgDefault::Required => arg.name.to_string(),
                ArgDefault::Number(value) => format!("{} = {}", arg.name, format_default(value)),
                ArgDefault::Word(word) => format!("{} = {word}", arg.name),
            })
            .collect();
        format!("{}({})", self.name, args.join(", "))
    }

    /// The names of its positional arguments and of its named options (for the template checker).
    pub(crate) fn positional_and_named(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let positional = self.args.iter().filter(|arg| !arg.named).map(|arg| arg.name).collect();
        let named = self.args.iter().filter(|arg| arg.named).map(|arg| arg.name).collect();
        (positional, named)
    }

    /// Its arguments with their numeric defaults (`None` when required), for builtins whose arguments are numbers.
    pub(crate) fn numeric_args(&self) -> Vec<(&'static str, Option<f64>)> {
        self.args
            .iter()
            .map(|arg| (arg.name, if let ArgDefault::Number(value) = arg.default { Some(value) } else { None }))
            .collect()
    }
}

/// A default as it is written in the spec: `1e-8` rather than `0.00000001`.
fn format_default(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-3 {
        format!("{value:e}")
    } else {
        crate::ir::format_number(value)
    }
}

/// A field of a `train` block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainField {
    pub name: &'static str,
    pub values: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant {
    pub name: &'static str,
    pub value: f64,
    pub doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Keyword {
    pub name: &'static str,
    /// Whether it starts a top-level declaration (`qubits`, `circuit`, …).
    pub declaration: bool,
    pub doc: &'static str,
}

/// The def the examples of `mps` and `ttn` take as their block.
pub(crate) const EXAMPLE_BLOCK: &str = "def block(w[2]) { ry(w[0]) 0; cnot 0, 1; ry(w[1]) 1 }";

/// The kinds of builtin that are registry entries, in the order the reference lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Template,
    Observable,
    Measurement,
    Function,
    Initializer,
    HeadLayer,
    DataSource,
    FeatureMap,
    Loss,
    Optimizer,
    Schedule,
    GradientMethod,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Template,
        Kind::Observable,
        Kind::Measurement,
        Kind::Function,
        Kind::Initializer,
        Kind::HeadLayer,
        Kind::DataSource,
        Kind::FeatureMap,
        Kind::Loss,
        Kind::Optimizer,
        Kind::Schedule,
        Kind::GradientMethod,
    ];

    pub fn entries(self) -> &'static [Entry] {
        match self {
            Kind::Template => TEMPLATES,
            Kind::Observable => OBSERVABLES,
            Kind::Measurement => MEASUREMENTS,
            Kind::Function => FUNCTIONS,
            Kind::Initializer => INITIALIZERS,
            Kind::HeadLayer => HEAD_LAYERS,
            Kind::DataSource => DATA_SOURCES,
            Kind::FeatureMap => FEATURE_MAPS,
            Kind::Loss => LOSSES,
            Kind::Optimizer => OPTIMIZERS,
            Kind::Schedule => SCHEDULES,
            Kind::GradientMethod => GRADIENT_METHODS,
        }
    }

    /// The heading of its section in the reference, plural.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Kind::Template => "Templates",
            Kind::Observable => "Observables",
            Kind::Measurement => "Measurements",
            Kind::Function => "Functions",
            Kind::Initializer => "Initializers",
            Kind::HeadLayer => "Head layers",
            Kind::DataSource => "Data sources",
            Kind::FeatureMap => "Feature maps",
            Kind::Loss => "Losses",
            Kind::Optimizer => "Optimizers",
            Kind::Schedule => "Schedules",
            Kind::GradientMethod => "Gradient methods",
        }
    }

    /// One of its kind, for `qmlc explain`: "template", "loss".
    pub(crate) fn singular(self) -> &'static str {
        match self {
            Kind::Template => "template",
            Kind::Observable => "observable",
            Kind::Measurement => "measurement",
            Kind::Function => "function",
            Kind::Initializer => "initializer",
            Kind::HeadLayer => "head layer",
            Kind::DataSource => "data source",
            Kind::FeatureMap => "feature map",
            Kind::Loss => "loss",
            Kind::Optimizer => "optimizer",
            Kind::Schedule => "schedule",
            Kind::GradientMethod => "gradient method",
        }
    }

    /// Where an example of this kind goes: a sentence for the reference.
    pub(crate) fn context(self) -> &'static str {
        match self {
            Kind::Template => {
                "a circuit body on 4 wires with `input x[4]`, `param theta[4]` and `def block(w[2])` (a block on 2 wires)"
            }
            Kind::Observable | Kind::Measurement => "a `measure` line",
            Kind::Function => "an angle: `ry(EXAMPLE) 0`",
            Kind::Initializer => "a param declaration: `param p[2] = EXAMPLE`",
            Kind::HeadLayer => "a `head` line (the same layers make `encode`)",
            Kind::DataSource => "the `data` field of a train block",
            Kind::FeatureMap => "the `features` field of a train block",
            Kind::Loss => "the `loss` field of a train block",
            Kind::Optimizer => "the `optimizer` field of a train block",
            Kind::Schedule => "the `schedule` field of a train block",
            Kind::GradientMethod => "the `gradient` field of a train block",
        }
    }

    /// A complete program that uses `example` where this kind goes. Its data rows have
    /// `n_features` features; with `n_classes` > 0 they are class labels, and the model ends in
    /// `head linear(n_classes)` and trains with `cross_entropy` (unless the example is the loss).
    #[cfg(test)]
    pub(crate) fn program(self, example: &str, n_features: usize, n_classes: usize) -> String {
        let model = |head: &str, train: &str| {
            format!(
                "qubits 4\ninput x[{n_features}]\nparam theta[4]\ncircuit {{\n    angle_embedding(x)\n    \
                 for i in 0..4 {{ ry(theta[i]) i }}\n}}\nmeasure expval(Z(0)), expval(Z(1))\n{head}{train}"
            )
        };
        let head = if n_classes > 0 { format!("head linear({n_classes})\n") } else { "head linear(1)\n".into() };
        let loss = if n_classes > 0 && self != Kind::Loss { "\n    loss cross_entropy" } else { "" };
        let train =
            |data: &str, field: &str| model(&head, &format!("train {{\n    data {data}{loss}\n    {field}\n}}\n"));
        match self {
            Kind::Template => format!(
                "qubits 4\ninput x[4]\nparam theta[4]\n{EXAMPLE_BLOCK}\ncircuit {{\n    {example}\n    for i in 0..4 {{ rx(x[i]) i; \
                 ry(theta[i]) i }}\n}}\nmeasure expval(Z(0))\n"
            ),
            Kind::Observable | Kind::Measurement => {
                format!(
                    "qubits 4\nparam theta[4]\ncircuit {{ for i in 0..4 {{ ry(theta[i]) i }} }}\nmeasure {example}\n"
                )
            }
            Kind::Function => {
                format!("qubits 1\ninput x[1]\ncircuit {{ ry({example}) 0 }}\nmeasure expval(Z(0))\n")
            }
            Kind::Initializer => {
                format!(
                    "qubits 2\nparam p[2] = {example}\ncircuit {{ ry(p[0]) 0; ry(p[1]) 1 }}\nmeasure expval(Z(0))\n"
                )
            }
            Kind::HeadLayer => model(&format!("head {example}\n"), ""),
            Kind::DataSource => train(example, ""),
            Kind::FeatureMap => train("moons()", &format!("features {example}")),
            Kind::Loss => train("moons()", &format!("loss {example}")),
            // These two train an objective of a circuit without a head.
            Kind::Optimizer if example.starts_with("rotosolve") || example.starts_with("qng") => format!(
                "qubits 2\nparam theta[2]\ncircuit {{ ry(theta[0]) 0; cnot 0, 1; rx(theta[1]) 1 }}\n\
                 measure expval(Z(0) @ Z(1))\ntrain {{\n    minimize\n    optimizer {example}\n}}\n"
            ),
            Kind::Optimizer => train("moons()", &format!("optimizer {example}")),
            Kind::Schedule => train("moons()", &format!("optimizer sgd(lr = 0.1)\n    schedule {example}")),
            Kind::GradientMethod => train("moons()", &format!("gradient {example}")),
        }
    }
}

/// The names of a table's entries, in order, for the checker's `&[&str]` lists.
pub(crate) const fn names<const N: usize>(entries: &[Entry]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut index = 0;
    while index < N {
        names[index] = entries[index].name;
        index += 1;
    }
    names
}

/// The keyword names, in order, for the lexer's list.
pub(crate) const fn names_of_keywords<const N: usize>() -> [&'static str; N] {
    let mut names = [""; N];
    let mut index = 0;
    while index < N {
        names[index] = KEYWORDS[index].name;
        index += 1;
    }
    names
}

/// The entry of a given kind and name.
pub fn find(kind: Kind, name: &str) -> Option<&'static Entry> {
    kind.entries().iter().find(|entry| entry.name == name)
}
