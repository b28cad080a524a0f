//! Train block data: the `data` and `features` fields, and whether a data set fits the model.

use super::super::builtins;
use super::super::circuit::{bare_name, plural};
use super::super::Checker;
use crate::ast::{self, ExprKind};
use crate::builtins::Kind;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Span;

impl<'ast> Checker<'ast> {
    pub(super) fn data_source(&mut self, value: &'ast ast::Expr) -> Option<ir::DataSource> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let count = |v: f64| v.max(0.0) as usize;
        let source = match name {
            "csv" => return self.csv_source(value),
            "moons" => {
                let a = self.builtin_args(value, "data source", &builtins::numeric_args(Kind::DataSource, "moons"))?;
                ir::DataSource::Moons { samples: count(a[0]), noise: a[1] }
            }
            "circles" => {
                let a =
                    self.builtin_args(value, "data source", &builtins::numeric_args(Kind::DataSource, "circles"))?;
                ir::DataSource::Circles { samples: count(a[0]), noise: a[1], factor: a[2] }
            }
            "iris" => {
                self.builtin_args(value, "data source", &[])?;
                ir::DataSource::Iris
            }
            "parity" => {
                let a = self.builtin_args(value, "data source", &[("bits", self.n_qubits.map(|n| n as f64))])?;
                ir::DataSource::Parity { bits: count(a[0]) }
            }
            "xor" => {
                let a = self.builtin_args(value, "data source", &builtins::numeric_args(Kind::DataSource, "xor"))?;
                ir::DataSource::Xor { samples: count(a[0]) }
            }
            _ => {
                let given =
                    bare_name(value).map(|n| n.name.as_str()).or(if name.is_empty() { None } else { Some(name) });
                self.unknown_choice(value, given, "data source", builtins::DATA_SOURCES)?;
                return None;
            }
        };
        let integral = |v: f64| v.fract() == 0.0;
        let problem = match &source {
            ir::DataSource::Moons { noise, .. } | ir::DataSource::Circles { noise, .. }
                if !noise.is_finite() || *noise < 0.0 =>
            {
                Some("the noise is a standard deviation, so it must be a finite number ≥ 0".to_string())
            }
            ir::DataSource::Circles { factor, .. } if !(0.0..1.0).contains(factor) => Some(format!(
                "`factor` is the inner circle's radius relative to the outer one: in [0, 1), not {factor}"
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            self.error(Diagnostic::error(Code::E0704, problem, value.span, "invalid data source"));
            return None;
        }
        if let ExprKind::Call { args, .. } = &value.kind {
            for (position, arg) in args.iter().enumerate() {
                // The first positional argument of every generator is its count.
                let is_count = arg.name.as_ref().map_or(position == 0, |n| n.name == "samples" || n.name == "bits");
                if let (true, Some(v)) = (is_count, arg.value.kind_number()) {
                    if !integral(v) {
                        self.error(Diagnostic::error(
                            Code::E0112,
                            "a count must be an integer",
                            arg.value.span,
                            format!("this is {v}"),
                        ));
                        return None;
                    }
                }
            }
        }
        let samples = match &source {
            ir::DataSource::Moons { samples, .. }
            | ir::DataSource::Circles { samples, .. }
            | ir::DataSource::Xor { samples } => *samples,
            ir::DataSource::Parity { bits } if *bits < 1 || *bits > 20 => {
                self.error(Diagnostic::error(
                    Code::E0704,
                    "`parity` takes between 1 and 20 bits",
                    value.span,
                    format!("{bits} bits"),
                ));
                return None;
            }
            _ => 1,
        };
        if !(1..=10_000_000).contains(&samples) {
            self.error(Diagnostic::error(
                Code::E0704,
                "a data set needs between 1 and 10000000 samples",
                value.span,
                format!("{samples} samples"),
            ));
            return None;
        }
        Some(source)
    }

    fn csv_source(&mut self, value: &'ast ast::Expr) -> Option<ir::DataSource> {
        let args: &[ast::Arg] = match &value.kind {
            ExprKind::Call { args, .. } => args,
            _ => &[],
        };
        let string_of = |expr: &ast::Expr| match &expr.kind {
            ExprKind::Str(s) => Some(s.clone()),
            _ => None,
        };
        let mut path = None;
        let mut label = None;
        for (position, arg) in args.iter().enumerate() {
            match (arg.name.as_ref().map(|n| n.name.as_str()), position) {
                (None, 0) | (Some("path"), _) => path = Some(arg),
                (None, 1) | (Some("label"), _) => label = Some(arg),
                (Some(other), _) => {
                    let name_span = arg.name.as_ref().map(|n| n.span).unwrap_or(arg.span);
                    let mut diagnostic = Diagnostic::error(
                        Code::E0303,
                        format!("data source `csv` has no argument `{other}`"),
                        name_span,
                        "unknown argument",
                    );
                    diagnostic = diagnostic
                        .with_closest(name_span, other, ["path", "label"])
                        .or_help(|| "its arguments are the path and `label`".into());
                    self.error(diagnostic);
                    return None;
                }
                (None, _) => {
                    self.error(Diagnostic::error(
                        Code::E0302,
                        "`csv` takes a path and `label = \"column\"`",
                        arg.span,
                        "one too many",
                    ));
                    return None;
                }
            }
        }
        let Some(path_arg) = path else {
            self.error(
                Diagnostic::error(Code::E0304, "`csv` needs the path of its file", value.span, "no path")
                    .with_help("e.g. `csv(\"data.csv\", label = \"y\")`"),
            );
            return None;
        };
        let Some(path) = string_of(&path_arg.value) else {
            self.error(
                Diagnostic::error(
                    Code::E0704,
                    "the path of a csv file is a string",
                    path_arg.value.span,
                    "not a string",
                )
                .with_help("write it in quotes: `csv(\"data.csv\", label = \"y\")`"),
            );
            return None;
        };
        let Some(label_arg) = label else {
            self.error(
                Diagnostic::error(
                    Code::E0304,
                    "`csv` needs the name of its label column",
                    value.span,
                    "no label column",
                )
                .with_help(format!("e.g. `csv(\"{path}\", label = \"y\")`")),
            );
            return None;
        };
        let Some(label) = string_of(&label_arg.value).or_else(|| bare_name(&label_arg.value).map(|n| n.name.clone()))
        else {
            self.error(Diagnostic::error(
                Code::E0704,
                "the label column is named by a string",
                label_arg.value.span,
                "not a column name",
            ));
            return None;
        };
        Some(ir::DataSource::Csv { path, label })
    }

    pub(super) fn features(&mut self, value: &'ast ast::Expr) -> Option<ir::Features> {
        if bare_name(value).is_some_and(|n| n.name == "none") {
            return Some(ir::Features::None);
        }
        match &value.kind {
            ExprKind::Call { callee, .. } if callee.name == "scale" => {
                let a = self.builtin_args(value, "feature map", &builtins::numeric_args(Kind::FeatureMap, "scale"))?;
                if a[0] >= a[1] {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "`scale(a, b)` needs a < b",
                        value.span,
                        format!("{} ≥ {}", a[0], a[1]),
                    ));
                    return None;
                }
                Some(ir::Features::Scale(a[0], a[1]))
            }
            _ => {
                let given = match &value.kind {
                    ExprKind::Call { callee, .. } | ExprKind::Name(callee) => Some(callee.name.as_str()),
                    _ => None,
                };
                self.unknown_choice(value, given, "feature map", builtins::FEATURE_MAPS)?;
                None
            }
        }
    }
}

/// A train block's CSV data, as `check` needs it to compare the file's header with the model
/// (the file is read by the command line, which alone does I/O).
#[derive(Clone, Debug, PartialEq)]
pub struct TrainData {
    /// The whole train block.
    pub block_span: Span,
    /// The `data` field: where problems with the file are reported.
    pub data_span: Span,
    /// The path as written, relative to the .qml file.
    pub path: String,
    pub label: String,
    pub loss: ir::Loss,
    pub split: f64,
    /// The number of values the model's inputs take, flattened.
    pub n_inputs: usize,
    /// The number of values the model outputs (after the head), if known.
    pub n_outputs: Option<usize>,
}

/// What `check` learns of a CSV data file without reading it all: its header's columns, and its
/// number of data rows when that was counted.
#[derive(Clone, Debug, PartialEq)]
pub struct DataHeader {
    /// The 1-based line of the header.
    pub line: usize,
    pub columns: Vec<String>,
    pub n_rows: Option<usize>,
    /// The label of every row, as written, when the file was read whole.
    pub labels: Option<Vec<String>>,
    /// What training's reader refuses in the rows (a cell that is not a finite number, a row of
    /// the wrong width), with its line, when the file was read whole.
    pub rows_problem: Option<String>,
}

/// The problems training would find with a CSV data file, from its header (or from why it could
/// not be read: `Err` holds the reason). Every problem is reported on the `data` field.
pub fn check_csv_header(data: &TrainData, header: Result<&DataHeader, &str>) -> Vec<Diagnostic> {
    let header = match header {
        Ok(header) => header,
        Err(reason) => {
            return vec![Diagnostic::error(
                Code::E0907,
                format!("training cannot use the data file `{}`: {reason}", data.path),
                data.data_span,
                "this data file",
            )
            .with_help("the path is relative to the .qml file")]
        }
    };
    let mut problems = Vec::new();
    let quoted: Vec<String> = header.columns.iter().take(10).map(|c| format!("`{c}`")).collect();
    let more =
        if header.columns.len() > 10 { format!(" and {} more", header.columns.len() - 10) } else { String::new() };
    if !header.columns.contains(&data.label) {
        let mut diagnostic = Diagnostic::error(
            Code::E0907,
            format!(
                "`{}` has no label column `{}`; its header (line {}) names {}{more}",
                data.path,
                data.label,
                header.line,
                quoted.join(", ")
            ),
            data.data_span,
            "no such column",
        );
        if let Some(help) = builtins::did_you_mean(&data.label, header.columns.iter().map(String::as_str)) {
            diagnostic = diagnostic.with_help(help);
        }
        problems.push(diagnostic);
    } else {
        let features = header.columns.len() - 1;
        if features != data.n_inputs {
            problems.push(
                feature_count_mismatch(features, data.n_inputs, data.data_span)
                    .with_note(format!("`{}` has {} columns besides the label `{}`", data.path, features, data.label)),
            );
        }
    }
    if let Some(problem) = &header.rows_problem {
        // The counts and labels below would be read from rows training refuses.
        problems.push(Diagnostic::error(
            Code::E0907,
            format!("training would refuse the rows of `{}`: {problem}", data.path),
            data.data_span,
            "this data file",
        ));
        return problems;
    }
    if let Some(n_rows) = header.n_rows {
        problems.extend(row_count_problems(n_rows, data.split, &data.path, data.data_span));
    }
    if let Some(labels) = header.labels.as_deref().filter(|labels| !labels.is_empty()) {
        problems.extend(label_problems(data, labels));
    }
    problems
}

/// What training would find wrong with a file's labels for the block's loss: as it reads them,
/// labels are numbers when every one is a finite number, and text otherwise.
fn label_problems(data: &TrainData, labels: &[String]) -> Option<Diagnostic> {
    let numbers: Option<Vec<f64>> =
        labels.iter().map(|label| label.parse::<f64>().ok().filter(|value| value.is_finite())).collect();
    match (data.loss, numbers) {
        (ir::Loss::CrossEntropy, numbers) => {
            let n_classes = match numbers {
                Some(mut numbers) => {
                    numbers.sort_by(f64::total_cmp);
                    // -0 and 0 are one class.
                    numbers.dedup_by(|a, b| a == b);
                    numbers.len()
                }
                None => labels.iter().collect::<std::collections::BTreeSet<_>>().len(),
            };
            let outputs = data.n_outputs.filter(|&n| n >= 2 && n != n_classes)?;
            Some(
                Diagnostic::error(
                    Code::E0707,
                    format!(
                        "`{}` has {n_classes} classes, but the model has {outputs} outputs for `cross_entropy`",
                        data.path
                    ),
                    data.data_span,
                    format!("{n_classes} classes"),
                )
                .with_help(format!("end the head with `linear({n_classes})`")),
            )
        }
        (loss, None) => {
            let name = if loss == ir::Loss::Mse { "mse" } else { "hinge" };
            Some(
                Diagnostic::error(
                    Code::E0707,
                    format!("`{name}` needs numeric labels, but `{}` has labels that are not numbers", data.path),
                    data.data_span,
                    "labels that are not numbers",
                )
                .with_help("use `loss cross_entropy` with one output per class"),
            )
        }
        (ir::Loss::Hinge, Some(numbers)) => {
            let allowed: [f64; 2] = if numbers.contains(&-1.0) { [-1.0, 1.0] } else { [0.0, 1.0] };
            let bad = numbers.iter().find(|value| !allowed.contains(value))?;
            Some(Diagnostic::error(
                Code::E0707,
                format!("`hinge` needs labels -1 and 1 (or 0 and 1), but `{}` has the label {bad}", data.path),
                data.data_span,
                "labels hinge cannot use",
            ))
        }
        (ir::Loss::Mse, Some(_)) => None,
    }
}

/// What is known in advance of a builtin data set: its features, rows and labels.
pub(super) struct DataFacts {
    name: &'static str,
    n_rows: usize,
    /// The number of distinct labels, for `cross_entropy`.
    n_classes: usize,
    /// Whether the labels are numbers (for `mse` and `hinge`); every builtin number label is 0 or 1.
    numeric_labels: bool,
}

pub(super) fn builtin_data_facts(source: &ir::DataSource) -> Option<DataFacts> {
    let (name, n_rows, n_classes, numeric_labels) = match source {
        ir::DataSource::Csv { .. } => return None,
        ir::DataSource::Moons { samples, .. } => ("moons", *samples, 2, true),
        ir::DataSource::Circles { samples, .. } => ("circles", *samples, 2, true),
        ir::DataSource::Xor { samples } => ("xor", *samples, 2, true),
        ir::DataSource::Parity { bits } => ("parity", 1usize.checked_shl(*bits as u32).unwrap_or(usize::MAX), 2, true),
        ir::DataSource::Iris => ("iris", 150, 3, false),
    };
    Some(DataFacts { name, n_rows, n_classes, numeric_labels })
}

/// The problems training would find fitting a builtin data set to the model and its loss.
pub(super) fn data_fit_problems(
    facts: &DataFacts,
    block: &ir::TrainBlock,
    n_outputs: Option<usize>,
    data_span: Span,
    loss_span: Span,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    match block.loss {
        ir::Loss::CrossEntropy => {
            if let Some(outputs) = n_outputs.filter(|&n| n >= 2 && n != facts.n_classes) {
                problems.push(
                    Diagnostic::error(
                        Code::E0707,
                        format!(
                            "`{}` has {} classes, but the model has {outputs} outputs for `cross_entropy`",
                            facts.name, facts.n_classes
                        ),
                        loss_span,
                        format!("needs {} outputs", facts.n_classes),
                    )
                    .with_label(data_span, format!("{} classes", facts.n_classes))
                    .with_help(format!("end the head with `linear({})`", facts.n_classes)),
                );
            }
        }
        ir::Loss::Mse | ir::Loss::Hinge if !facts.numeric_labels => {
            let name = if block.loss == ir::Loss::Mse { "mse" } else { "hinge" };
            problems.push(
                Diagnostic::error(
                    Code::E0707,
                    format!("`{name}` needs numeric labels, but `{}` labels its rows with class names", facts.name),
                    loss_span,
                    "needs numeric labels",
                )
                .with_label(data_span, "labels are names")
                .with_help("use `loss cross_entropy` with one output per class"),
            );
        }
        _ => {}
    }
    problems.extend(row_count_problems(facts.n_rows, block.split, facts.name, data_span));
    problems
}

/// A data set with no rows, or a split that leaves none to train on.
fn row_count_problems(n_rows: usize, split: f64, name: &str, data_span: Span) -> Vec<Diagnostic> {
    if n_rows == 0 {
        return vec![Diagnostic::error(Code::E0907, format!("`{name}` has no data rows"), data_span, "no rows")];
    }
    // As training computes it; the allowance keeps 0.29 · 100 at 29.
    let n_train = if split >= 1.0 { n_rows } else { (split * n_rows as f64 + 1e-9).floor().max(0.0) as usize };
    if n_train == 0 {
        return vec![Diagnostic::error(
            Code::E0704,
            format!("split {split} of {n_rows} row{} leaves no rows to train on", if n_rows == 1 { "" } else { "s" }),
            data_span,
            format!("{n_rows} rows"),
        )
        .with_help("raise `split`, or use more rows")];
    }
    Vec::new()
}

pub(super) fn feature_count_mismatch(features: usize, n_inputs: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0707,
        format!(
            "this data has {features} feature{} per row, but the model's inputs take {n_inputs} value{}",
            plural(features),
            plural(n_inputs)
        ),
        span,
        format!("{features} feature{}", plural(features)),
    )
    .with_help("declare inputs that hold one row, e.g. `input x[2]` for two features")
}
