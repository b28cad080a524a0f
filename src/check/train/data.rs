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
use crate::train::generate::{IRIS_CLASSES, IRIS_COLUMNS};

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
            "iris" => return self.iris_source(value),
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
        let mut columns_arg = None;
        for (position, arg) in args.iter().enumerate() {
            match (arg.name.as_ref().map(|n| n.name.as_str()), position) {
                (None, 0) | (Some("path"), _) => path = Some(arg),
                (None, 1) | (Some("label"), _) => label = Some(arg),
                (Some("columns"), _) => columns_arg = Some(arg),
                (Some(other), _) => {
                    let name_span = arg.name.as_ref().map(|n| n.span).unwrap_or(arg.span);
                    let mut diagnostic = Diagnostic::error(
                        Code::E0303,
                        format!("data source `csv` has no argument `{other}`"),
                        name_span,
                        "unknown argument",
                    );
                    diagnostic = diagnostic
                        .with_closest(name_span, other, ["path", "label", "columns"])
                        .or_help(|| "its arguments are the path, `label` and `columns`".into());
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
        let labels = match &label_arg.value.kind {
            ExprKind::Array(_) => self.column_names(&label_arg.value, "label columns")?,
            _ => match string_of(&label_arg.value).or_else(|| bare_name(&label_arg.value).map(|n| n.name.clone())) {
                Some(label) => vec![label],
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::E0704,
                            "the label column is named by a string",
                            label_arg.value.span,
                            "not a column name",
                        )
                        .with_help("e.g. `label = \"y\"`, or `label = [\"y1\", \"y2\"]` for several outputs"),
                    );
                    return None;
                }
            },
        };
        let columns = match columns_arg {
            Some(arg) => {
                let columns = self.column_names(&arg.value, "feature columns")?;
                if let Some(label) = columns.iter().find(|column| labels.contains(column)) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        format!("`{label}` is the label column, so it cannot also be a feature"),
                        arg.value.span,
                        "names the label",
                    ));
                    return None;
                }
                Some(columns)
            }
            None => None,
        };
        Some(ir::DataSource::Csv { path, labels, columns })
    }

    /// A non-empty array of distinct column names (strings), for `label` and `columns` of `csv`.
    fn column_names(&mut self, expr: &'ast ast::Expr, what: &str) -> Option<Vec<String>> {
        let ExprKind::Array(items) = &expr.kind else {
            self.error(
                Diagnostic::error(Code::E0704, format!("the {what} are an array of names"), expr.span, "not an array")
                    .with_help("e.g. `[\"a\", \"b\"]`"),
            );
            return None;
        };
        if items.is_empty() {
            self.error(Diagnostic::error(
                Code::E0704,
                format!("the {what} name at least one column"),
                expr.span,
                "empty",
            ));
            return None;
        }
        let mut names: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let ExprKind::Str(name) = &item.kind else {
                self.error(
                    Diagnostic::error(Code::E0704, "a column is named by a string", item.span, "not a string")
                        .with_help("write it in quotes"),
                );
                return None;
            };
            if names.contains(name) {
                self.error(Diagnostic::error(
                    Code::E0704,
                    format!("the column `{name}` is listed twice"),
                    item.span,
                    "listed again",
                ));
                return None;
            }
            names.push(name.clone());
        }
        Some(names)
    }

    /// `iris()`, `iris(classes = [0, 1], columns = [2, 3])`: indices into the sorted species and
    /// into the table's columns.
    fn iris_source(&mut self, value: &'ast ast::Expr) -> Option<ir::DataSource> {
        let args: &[ast::Arg] = match &value.kind {
            ExprKind::Call { args, .. } => args,
            _ => &[],
        };
        let (mut classes, mut columns) = (None, None);
        for arg in args {
            let (slot, names): (&mut Option<Vec<usize>>, &[&str]) = match arg.name.as_ref().map(|n| n.name.as_str()) {
                Some("classes") => (&mut classes, &IRIS_CLASSES),
                Some("columns") => (&mut columns, &IRIS_COLUMNS),
                Some(other) => {
                    let name_span = arg.name.as_ref().map(|n| n.span).unwrap_or(arg.span);
                    let diagnostic = Diagnostic::error(
                        Code::E0303,
                        format!("data source `iris` has no argument `{other}`"),
                        name_span,
                        "unknown argument",
                    )
                    .with_closest(name_span, other, ["classes", "columns"])
                    .or_help(|| "its arguments are `classes` and `columns`".into());
                    self.error(diagnostic);
                    return None;
                }
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::E0302,
                            "`iris` takes only `classes = […]` and `columns = […]`, by name",
                            arg.span,
                            "not named",
                        )
                        .with_help("e.g. `iris(classes = [0, 1], columns = [2, 3])`"),
                    );
                    return None;
                }
            };
            if slot.is_some() {
                self.error(Diagnostic::error(Code::E0306, "given twice", arg.span, "given again"));
                return None;
            }
            *slot = Some(self.index_list(&arg.value, names)?);
        }
        Some(ir::DataSource::Iris { classes, columns })
    }

    /// A non-empty array of distinct indices into `names` (the classes or columns of a builtin
    /// data set), each checked against their number.
    fn index_list(&mut self, expr: &'ast ast::Expr, names: &[&str]) -> Option<Vec<usize>> {
        let listed = names.iter().enumerate().map(|(idx, name)| format!("{idx} {name}")).collect::<Vec<_>>().join(", ");
        let ExprKind::Array(items) = &expr.kind else {
            self.error(
                Diagnostic::error(Code::E0704, "expected an array of indices", expr.span, "not an array")
                    .with_help(format!("e.g. `[0, 1]`; the indices are {listed}")),
            );
            return None;
        };
        if items.is_empty() {
            self.error(Diagnostic::error(Code::E0704, "the array selects nothing", expr.span, "empty"));
            return None;
        }
        let mut indices = Vec::with_capacity(items.len());
        for item in items {
            let index = self.constant_integer(item, "an index")?;
            if index < 0 || index as usize >= names.len() {
                self.error(
                    Diagnostic::error(
                        Code::E0704,
                        format!("index {index} is out of range: there are {} to choose from", names.len()),
                        item.span,
                        "out of range",
                    )
                    .with_help(format!("the indices are {listed}")),
                );
                return None;
            }
            if indices.contains(&(index as usize)) {
                self.error(Diagnostic::error(
                    Code::E0704,
                    format!("{index} is listed twice"),
                    item.span,
                    "listed again",
                ));
                return None;
            }
            indices.push(index as usize);
        }
        Some(indices)
    }

    pub(super) fn features(&mut self, value: &'ast ast::Expr) -> Option<ir::Features> {
        if bare_name(value).is_some_and(|n| n.name == "none") {
            return Some(ir::Features::None);
        }
        if bare_name(value).is_some_and(|n| n.name == "standardize") {
            return Some(ir::Features::Standardize);
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
    /// The `data` (or `test`) field: where problems with the file are reported.
    pub data_span: Span,
    /// The path as written, relative to the .qml file.
    pub path: String,
    /// The (first) label column.
    pub label: String,
    /// Every label column: one, or several for a vector target.
    pub labels: Vec<String>,
    /// The feature columns `columns` keeps, if given.
    pub columns: Option<Vec<String>>,
    pub loss: ir::Loss,
    pub split: f64,
    /// Whether the block has both `data` and `test`: its classes are then those of both files
    /// together, so one file may lack some.
    pub shares_classes: bool,
    /// The number of values a row must give the model, flattened (the width `encode` layers
    /// take, if the model has them); `None` when any width will do (`encode linear(k), …`).
    pub n_inputs: Option<usize>,
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
    let mut missing = |what: &str, column: &str| {
        let mut diagnostic = Diagnostic::error(
            Code::E0907,
            format!(
                "`{}` has no {what} `{column}`; its header (line {}) names {}{more}",
                data.path,
                header.line,
                quoted.join(", ")
            ),
            data.data_span,
            "no such column",
        );
        if let Some(help) = builtins::did_you_mean(column, header.columns.iter().map(String::as_str)) {
            diagnostic = diagnostic.with_help(help);
        }
        problems.push(diagnostic);
    };
    let mut all_found = true;
    for label in &data.labels {
        if !header.columns.contains(label) {
            missing("label column", label);
            all_found = false;
        }
    }
    for column in data.columns.iter().flatten() {
        if !header.columns.contains(column) {
            missing("column", column);
            all_found = false;
        }
    }
    if all_found {
        let (features, note) = match &data.columns {
            Some(columns) => {
                (columns.len(), format!("`columns` keeps {} of `{}`", plural_count(columns.len(), "column"), data.path))
            }
            None => {
                let features = header.columns.len().saturating_sub(data.labels.len());
                let labels = data.labels.iter().map(|label| format!("`{label}`")).collect::<Vec<_>>().join(", ");
                let besides = if data.labels.len() == 1 { "the label" } else { "the labels" };
                (features, format!("`{}` has {} columns besides {besides} {labels}", data.path, features))
            }
        };
        if let Some(n_inputs) = data.n_inputs.filter(|n_inputs| features != *n_inputs) {
            problems.push(feature_count_mismatch(features, n_inputs, data.data_span).with_note(note));
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
    if let Some(labels) = header.labels.as_deref().filter(|labels| !labels.is_empty() && data.labels.len() == 1) {
        problems.extend(label_problems(data, labels));
    }
    problems
}

/// `1 column`, `3 columns`.
fn plural_count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// What training would find wrong with a file's labels (one label column) for the block's loss:
/// as it reads them, labels are numbers when every one is a finite number, and text otherwise.
fn label_problems(data: &TrainData, labels: &[String]) -> Option<Diagnostic> {
    let numbers: Option<Vec<f64>> =
        labels.iter().map(|label| label.parse::<f64>().ok().filter(|value| value.is_finite())).collect();
    let loss = data.loss;
    if loss.uses_classes() {
        let n_classes = match numbers {
            Some(mut numbers) => {
                numbers.sort_by(f64::total_cmp);
                // -0 and 0 are one class.
                numbers.dedup_by(|a, b| a == b);
                numbers.len()
            }
            None => labels.iter().collect::<std::collections::BTreeSet<_>>().len(),
        };
        let outputs = data.n_outputs?;
        let fits = outputs == n_classes || (loss == ir::Loss::MseSigned && outputs == 1 && n_classes == 2);
        // Too few outputs is left to the checks of the output count alone (e.g. `nll` with one).
        let too_few = outputs < 2 && loss != ir::Loss::MseSigned;
        // With a test set, the classes are those of both files: one may lack some.
        let hidden_by_test = data.shares_classes && n_classes < outputs;
        if fits || too_few || hidden_by_test {
            return None;
        }
        let help = if loss == ir::Loss::MseSigned && n_classes == 2 {
            "end the head with `linear(2)`, or `linear(1)` for one ±1 output".to_string()
        } else {
            format!("end the head with `linear({n_classes})`")
        };
        return Some(
            Diagnostic::error(
                Code::E0707,
                format!(
                    "`{}` has {n_classes} classes, but the model has {outputs} outputs for `{}`",
                    data.path,
                    loss.name()
                ),
                data.data_span,
                format!("{n_classes} classes"),
            )
            .with_help(help),
        );
    }
    let Some(numbers) = numbers else {
        return Some(
            Diagnostic::error(
                Code::E0707,
                format!("`{}` needs numeric labels, but `{}` has labels that are not numbers", loss.name(), data.path),
                data.data_span,
                "labels that are not numbers",
            )
            .with_help("use `loss cross_entropy` with one output per class"),
        );
    };
    match loss {
        ir::Loss::Hinge => {
            let allowed: [f64; 2] = if numbers.contains(&-1.0) { [-1.0, 1.0] } else { [0.0, 1.0] };
            let bad = numbers.iter().find(|value| !allowed.contains(value))?;
            Some(Diagnostic::error(
                Code::E0707,
                format!("`hinge` needs labels -1 and 1 (or 0 and 1), but `{}` has the label {bad}", data.path),
                data.data_span,
                "labels hinge cannot use",
            ))
        }
        ir::Loss::Bce => {
            let bad = numbers.iter().find(|value| **value != 0.0 && **value != 1.0)?;
            Some(
                Diagnostic::error(
                    Code::E0707,
                    format!("`bce` needs labels 0 and 1, but `{}` has the label {bad}", data.path),
                    data.data_span,
                    "labels bce cannot use",
                )
                .with_help("for several classes use `loss nll` or `cross_entropy` with one output per class"),
            )
        }
        _ => None,
    }
}

/// What is known in advance of a builtin data set: its features, rows and labels.
pub(super) struct DataFacts {
    name: String,
    n_rows: usize,
    /// The number of features of a row, after `columns`.
    pub(super) n_features: usize,
    /// The number of distinct labels, for the losses of classes.
    n_classes: usize,
    /// Whether the labels are numbers (for `mse`, `bce` and `hinge`); every builtin number label is 0 or 1.
    numeric_labels: bool,
}

pub(super) fn builtin_data_facts(source: &ir::DataSource) -> Option<DataFacts> {
    let (name, n_rows, n_features, n_classes, numeric_labels) = match source {
        ir::DataSource::Csv { .. } => return None,
        ir::DataSource::Moons { samples, .. } => ("moons".to_string(), *samples, 2, 2, true),
        ir::DataSource::Circles { samples, .. } => ("circles".to_string(), *samples, 2, 2, true),
        ir::DataSource::Xor { samples } => ("xor".to_string(), *samples, 2, 2, true),
        ir::DataSource::Parity { bits } => {
            ("parity".to_string(), 1usize.checked_shl(*bits as u32).unwrap_or(usize::MAX), *bits, 2, true)
        }
        ir::DataSource::Iris { classes, columns } => {
            let n_classes = classes.as_ref().map_or(IRIS_CLASSES.len(), Vec::len);
            let n_features = columns.as_ref().map_or(IRIS_COLUMNS.len(), Vec::len);
            let name = if classes.is_some() { "iris(classes = …)" } else { "iris" };
            (name.to_string(), 50 * n_classes, n_features, n_classes, false)
        }
    };
    Some(DataFacts { name, n_rows, n_features, n_classes, numeric_labels })
}

/// The problems training would find fitting a builtin data set to the model and its loss.
/// `shares_classes`: the block has a test set too, whose classes join the data's.
pub(super) fn data_fit_problems(
    facts: &DataFacts,
    block: &ir::TrainBlock,
    n_outputs: Option<usize>,
    data_span: Span,
    loss_span: Span,
    shares_classes: bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let loss = block.loss;
    if loss.uses_classes() {
        let fits = |outputs: usize| {
            outputs == facts.n_classes
                || (loss == ir::Loss::MseSigned && outputs == 1 && facts.n_classes == 2)
                // Too few outputs for any class loss is reported with the output count alone.
                || (outputs < 2 && loss != ir::Loss::MseSigned)
                || (shares_classes && facts.n_classes < outputs)
        };
        if let Some(outputs) = n_outputs.filter(|&n| !fits(n)) {
            let n_classes = facts.n_classes;
            let help = if loss == ir::Loss::MseSigned && n_classes == 2 {
                "end the head with `linear(2)`, or `linear(1)` for one ±1 output".to_string()
            } else {
                format!("end the head with `linear({n_classes})`")
            };
            problems.push(
                Diagnostic::error(
                    Code::E0707,
                    format!(
                        "`{}` has {n_classes} classes, but the model has {outputs} output{} for `{}`",
                        facts.name,
                        plural(outputs),
                        loss.name()
                    ),
                    loss_span,
                    format!("needs {n_classes} outputs"),
                )
                .with_label(data_span, format!("{n_classes} classes"))
                .with_help(help),
            );
        }
    } else if !facts.numeric_labels {
        problems.push(
            Diagnostic::error(
                Code::E0707,
                format!(
                    "`{}` needs numeric labels, but `{}` labels its rows with class names",
                    loss.name(),
                    facts.name
                ),
                loss_span,
                "needs numeric labels",
            )
            .with_label(data_span, "labels are names")
            .with_help("use `loss cross_entropy` with one output per class"),
        );
    }
    problems.extend(row_count_problems(facts.n_rows, block.split, &facts.name, data_span));
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
