//! Train blocks: fields, their values, and whether the loss fits the model's outputs.

mod data;
mod optimizer;

use data::{builtin_data_facts, data_fit_problems, feature_count_mismatch};
pub use data::{check_csv_header, DataHeader, TrainData};

use super::builtins;
use super::circuit::{bare_name, plural};
use super::Checker;
use crate::ast::{self, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Span;

/// The width of one row of a data source as it reaches the model (its features after
/// `columns`), when known at compile time: always for a builtin, and for a CSV file that lists
/// its `columns` (otherwise it is known only when the file's header is read).
pub(crate) fn data_row_width(source: &ir::DataSource) -> Option<usize> {
    match source {
        ir::DataSource::Csv { columns, .. } => columns.as_ref().map(Vec::len),
        other => builtin_data_facts(other).map(|facts| facts.n_features),
    }
}

/// A parameter of a builtin call such as `adam(lr = 0.01)`: its name and default (`None`: required).
pub(super) type ParamSpec = (&'static str, Option<f64>);

impl<'ast> Checker<'ast> {
    pub(super) fn check_train_block(
        &mut self,
        keyword: Span,
        span: Span,
        name: Option<&'ast ast::Ident>,
        fields: &'ast [ast::Field],
    ) {
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let mut block = ir::TrainBlock {
            name: name.map(|n| n.name.clone()),
            data: None,
            objective: None,
            test: None,
            features: ir::Features::None,
            split: 1.0,
            shuffle: true,
            loss: ir::Loss::Mse,
            optimizer: ir::Optimizer::Adam { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
            schedule: None,
            epochs: 10,
            batch: 32,
            gradient: ir::GradientMethod::Auto,
            shots: None,
            seed: 0,
            patience: None,
            span,
        };
        let mut has_data = false;
        let mut ok = true;
        let mut loss_span = None;
        // `minimize` / `maximize` as written, with the span of each.
        let mut objectives: Vec<(ir::Objective, Span)> = Vec::new();
        let mut optimizer_span = None;
        let mut schedule_span = None;
        // A `loss` that could not be read leaves the default in place: checking the outputs
        // against that default would only report errors the user did not make.
        let mut loss_unread = false;
        for field in fields {
            let field_name = field.name.name.as_str();
            if field_name.is_empty() {
                // A line the parser could not read: it may have been the data field.
                has_data = true;
                continue;
            }
            if !builtins::TRAIN_FIELDS.contains(&field_name) {
                let mut diagnostic = Diagnostic::error(
                    Code::E0701,
                    format!("unknown train field `{field_name}`"),
                    field.name.span,
                    "not a train field",
                );
                diagnostic = diagnostic
                    .with_closest(field.name.span, field_name, builtins::TRAIN_FIELDS.iter().copied())
                    .or_help(|| format!("the fields are {}", builtins::TRAIN_FIELDS.join(", ")));
                self.error(diagnostic);
                ok = false;
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == field_name) {
                let first = *first;
                self.error(
                    Diagnostic::error(
                        Code::E0702,
                        format!("`{field_name}` is set twice"),
                        field.name.span,
                        "set again here",
                    )
                    .with_label(first, "first set here"),
                );
                ok = false;
                continue;
            }
            seen.push((field_name, field.name.span));
            let Some(value) = &field.value else {
                ok &= self.bare_train_field(field, &mut objectives);
                continue;
            };
            if let Some(objective) = objective_of(field_name) {
                // Still an objective: the block is not also reported as having no data.
                objectives.push((objective, field.name.span));
                self.error(
                    Diagnostic::error(
                        Code::E0704,
                        format!("`{field_name}` takes no value"),
                        value.span,
                        "remove this value",
                    )
                    .with_label(field.name.span, format!("`{field_name}` trains the model's single output"))
                    .with_help(format!("write `{}` alone on its line", objective_name(objective))),
                );
                ok = false;
                continue;
            }
            if field_name == "data" {
                // Present, even if its value is wrong: "no `data`" would only repeat that error.
                has_data = true;
            }
            let parsed = match field_name {
                "data" => self.data_source(value).map(|d| {
                    has_data = true;
                    block.data = Some(d);
                }),
                "test" => self.data_source(value).map(|d| block.test = Some(d)),
                "features" => self.features(value).map(|f| block.features = f),
                "split" => self
                    .number_in(value, "`split`", |v| v > 0.0 && v <= 1.0, "a fraction in (0, 1]")
                    .map(|v| block.split = v),
                "shuffle" => match &value.kind {
                    ExprKind::Bool(b) => {
                        block.shuffle = *b;
                        Some(())
                    }
                    _ => self.bad_value(value, "`shuffle` is `true` or `false`"),
                },
                "loss" => {
                    loss_span = Some(value.span);
                    let loss = self.loss(value);
                    loss_unread = loss.is_none();
                    loss.map(|loss| block.loss = loss)
                }
                "optimizer" => {
                    optimizer_span = Some(value.span);
                    self.optimizer(value).map(|o| block.optimizer = o)
                }
                "schedule" => {
                    schedule_span = Some(value.span);
                    self.schedule(value).map(|s| block.schedule = Some(s))
                }
                "epochs" => self.positive_integer(value, "`epochs`").map(|n| block.epochs = n),
                "batch" => self.positive_integer(value, "`batch`").map(|n| block.batch = n),
                "patience" => self.positive_integer(value, "`patience`").map(|n| block.patience = Some(n)),
                "gradient" => match bare_name(value).and_then(|n| ir::GradientMethod::from_name(&n.name)) {
                    Some(method) => {
                        block.gradient = method;
                        Some(())
                    }
                    None => self.unknown_choice(
                        value,
                        bare_name(value).map(|n| n.name.as_str()),
                        "gradient method",
                        builtins::GRADIENT_METHODS,
                    ),
                },
                "shots" => {
                    if bare_name(value).is_some_and(|n| n.name == "none") {
                        {
                            block.shots = None;
                            Some(())
                        }
                    } else {
                        self.positive_integer(value, "`shots`").map(|n| block.shots = Some(n))
                    }
                }
                "seed" => match self.constant_integer(value, "`seed`") {
                    Some(seed) if seed >= 0 => {
                        block.seed = seed as u64;
                        Some(())
                    }
                    Some(_) => self.bad_value(value, "`seed` is a non-negative integer"),
                    None => None,
                },
                _ => Some(()),
            };
            ok &= parsed.is_some();
        }
        // Each of the checks below is independent of the others, so all of them are made: a
        // block with no data and an unknown optimizer reports both.
        block.objective = objectives.first().map(|(objective, _)| *objective);
        if !objectives.is_empty() {
            ok &= self.check_objective(&objectives, &seen);
            // Data given beside an objective was reported; the checks of data below skip it.
            block.data = None;
            block.test = None;
        } else if !has_data {
            self.error(
                Diagnostic::error(Code::E0703, "this train block has no `data`", keyword, "no data to train on")
                    .with_help(
                    "add e.g. `data moons(samples = 200, noise = 0.1)` or `data csv(\"train.csv\", label = \"y\")`, \
                         or `minimize` / `maximize` to train the model's single output without data",
                ),
            );
            ok = false;
        }
        let fit = optimizer::OptimizerFit {
            block: &block,
            optimizer_span: optimizer_span.unwrap_or(keyword),
            schedule_span,
            objective_span: objectives.first().map(|(_, span)| *span),
            shots_span: seen.iter().find(|(n, _)| *n == "shots").map(|(_, s)| *s),
        };
        ok &= self.check_optimizer_fit(&fit);
        if matches!(block.gradient, ir::GradientMethod::Adjoint | ir::GradientMethod::FiniteDiff)
            && block.shots.is_some()
        {
            let span = seen.iter().find(|(n, _)| *n == "gradient").map(|(_, s)| *s).unwrap_or(keyword);
            let (method, why) = match block.gradient {
                ir::GradientMethod::Adjoint => {
                    ("the adjoint method needs", "it runs the state backwards, which sampling does not have")
                }
                _ => ("finite differences need", "a step of 1e-6 is far below the noise of sampled estimates"),
            };
            self.error(
                Diagnostic::error(
                    Code::E0704,
                    format!("{method} exact execution, but this block uses shots"),
                    span,
                    "needs exact execution",
                )
                .with_note(why)
                .with_help("use `gradient parameter_shift` (or `auto`) with shots"),
            );
            ok = false;
        }
        let data_span = seen.iter().find(|(n, _)| *n == "data").map(|(_, s)| *s).unwrap_or(keyword);
        let test_span = seen.iter().find(|(n, _)| *n == "test").map(|(_, s)| *s);
        if let (Some(test_span), Some((_, split_span))) = (test_span, seen.iter().find(|(n, _)| *n == "split")) {
            self.error(
                Diagnostic::error(
                    Code::E0704,
                    "a block with a `test` set takes no `split`: every `data` row trains",
                    *split_span,
                    "`split` with `test`",
                )
                .with_label(test_span, "the test set")
                .with_help("remove `split`, or `test` to split the data"),
            );
            ok = false;
        }
        // The width a data row must have: the inputs', or what the `encode` layers take.
        let n_inputs: usize = self.inputs.iter().map(ir::Variable::size).sum();
        let row_width = ir::encode_input_width(&self.encode, n_inputs);
        let sources = [(block.data.as_ref(), data_span), (block.test.as_ref(), test_span.unwrap_or(keyword))];
        for (source, span) in sources {
            if let (Some(features), Some(n_inputs)) = (source.and_then(data_row_width), row_width) {
                if features != n_inputs {
                    self.error(feature_count_mismatch(features, n_inputs, span));
                    ok = false;
                }
            }
        }
        if let (Some(ir::DataSource::Csv { labels: data_labels, .. }), Some(ir::DataSource::Csv { labels, .. })) =
            (&block.data, &block.test)
        {
            if labels != data_labels {
                self.error(
                    Diagnostic::error(
                        Code::E0704,
                        "the test set's label columns differ from the data's",
                        test_span.unwrap_or(keyword),
                        "other label columns",
                    )
                    .with_label(data_span, "the data's label columns"),
                );
                ok = false;
            }
        }
        let loss_given = loss_span.is_some();
        let loss_span = loss_span.unwrap_or(keyword);
        let n_outputs = if loss_unread { None } else { self.model_output_count() };
        // An objective has no loss; `check_objective` checks its output count instead.
        if let (Some(outputs), None) = (n_outputs, block.objective) {
            ok &= self.loss_fits_outputs(&block, outputs, loss_span, loss_given);
        }
        let shares_classes = block.test.is_some();
        for (source, span) in sources {
            let Some(source) = source else { continue };
            if let Some(facts) = builtin_data_facts(source).filter(|_| !loss_unread) {
                for diagnostic in data_fit_problems(&facts, &block, n_outputs, span, loss_span, shares_classes) {
                    self.error(diagnostic);
                    ok = false;
                }
            }
            if let ir::DataSource::Csv { path, labels, columns } = source {
                self.train_data.push(TrainData {
                    block_span: span,
                    data_span: span,
                    path: path.clone(),
                    label: labels.first().cloned().unwrap_or_default(),
                    labels: labels.clone(),
                    columns: columns.clone(),
                    loss: block.loss,
                    split: block.split,
                    shares_classes,
                    n_inputs: row_width,
                    n_outputs,
                });
            }
        }
        if ok {
            self.train.push(block);
        }
    }

    /// A `loss` field's value: `mse`, `mse(onehot)`, `mse(signed)`, `cross_entropy`, `nll`, `bce`
    /// or `hinge`.
    fn loss(&mut self, value: &'ast ast::Expr) -> Option<ir::Loss> {
        if let ExprKind::Call { callee, args } = &value.kind {
            if callee.name == "mse" {
                let target = match args.as_slice() {
                    [arg] if arg.name.is_none() => bare_name(&arg.value).map(|n| n.name.as_str()),
                    _ => None,
                };
                return match target {
                    Some("onehot") => Some(ir::Loss::MseOneHot),
                    Some("signed") => Some(ir::Loss::MseSigned),
                    _ => {
                        self.error(
                            Diagnostic::error(
                                Code::E0704,
                                "`mse` takes one word: `onehot` or `signed`",
                                value.span,
                                "unknown target encoding",
                            )
                            .with_help(
                                "`mse(onehot)` makes each class label a one-hot vector over the outputs, \
                                 `mse(signed)` a ±1 vector; plain `mse` compares with the numeric label",
                            ),
                        );
                        None
                    }
                };
            }
        }
        match bare_name(value).map(|n| n.name.as_str()) {
            Some("mse") => Some(ir::Loss::Mse),
            Some("cross_entropy") => Some(ir::Loss::CrossEntropy),
            Some("nll") => Some(ir::Loss::Nll),
            Some("bce") => Some(ir::Loss::Bce),
            Some("hinge") => Some(ir::Loss::Hinge),
            other => {
                let given = other.or(match &value.kind {
                    ExprKind::Call { callee, .. } => Some(callee.name.as_str()),
                    _ => None,
                });
                self.unknown_choice(value, given, "loss", builtins::LOSSES)?;
                None
            }
        }
    }

    /// Whether the loss fits the model's output count (and the label columns' count), whatever
    /// the data: each problem is an error on the `loss` field.
    fn loss_fits_outputs(&mut self, block: &ir::TrainBlock, outputs: usize, loss_span: Span, loss_given: bool) -> bool {
        let n_labels = match &block.data {
            Some(ir::DataSource::Csv { labels, .. }) => labels.len(),
            _ => 1,
        };
        let name = block.loss.name();
        let problem = match block.loss {
            _ if n_labels > 1 && block.loss != ir::Loss::Mse => Some((
                format!("`{name}` takes one label column, but `data` names {n_labels}"),
                "one label column".to_string(),
                "several label columns are a vector target for `loss mse`, one column per output".to_string(),
            )),
            ir::Loss::Mse if n_labels > 1 && outputs != n_labels => Some((
                format!(
                    "the label is {n_labels} columns, one per output, but the model has {outputs} output{}",
                    plural(outputs)
                ),
                format!("needs {n_labels} outputs"),
                format!("end the head with `linear({n_labels})`, or measure {n_labels} values"),
            )),
            ir::Loss::CrossEntropy | ir::Loss::Nll | ir::Loss::MseOneHot if outputs < 2 => Some((
                format!("`{name}` needs one output per class, but the model has {outputs} output{}", plural(outputs)),
                "needs at least 2 outputs".to_string(),
                if block.loss == ir::Loss::Nll {
                    "measure `probs`, or end the head with `linear(k), softmax` for k classes".to_string()
                } else {
                    "add `head linear(k)` for k classes, or measure more values".to_string()
                },
            )),
            ir::Loss::Mse | ir::Loss::Hinge | ir::Loss::Bce if n_labels == 1 && outputs != 1 => Some((
                format!("`{name}` compares one output with each label, but the model has {outputs} outputs"),
                "needs 1 output".to_string(),
                match block.loss {
                    ir::Loss::Bce => "end the head with `linear(1), sigmoid`; for classes use `loss nll`".to_string(),

                    _ => "add `head linear(1)`, or measure one value; for classes use `loss cross_entropy`".to_string(),
                },
            )),
            _ => None,
        };
        let Some((message, label, help)) = problem else { return true };
        let mut diagnostic = Diagnostic::error(Code::E0707, message, loss_span, label).with_help(help);
        if !loss_given {
            diagnostic = diagnostic.with_note("a train block without `loss` uses `mse`");
        }
        self.error(diagnostic);
        false
    }

    pub(super) fn bad_value(&mut self, value: &ast::Expr, expected: &str) -> Option<()> {
        self.error(Diagnostic::error(Code::E0704, format!("invalid value: {expected}"), value.span, "invalid value"));
        None
    }

    pub(super) fn unknown_choice(
        &mut self,
        value: &ast::Expr,
        given: Option<&str>,
        what: &str,
        choices: &[&str],
    ) -> Option<()> {
        let message = match given {
            Some(name) => format!("unknown {what} `{name}`"),
            None => format!("expected a {what}"),
        };
        let mut diagnostic = Diagnostic::error(Code::E0705, message, value.span, format!("unknown {what}"));
        let listed =
            format!("choose one of {}", choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "));
        diagnostic = diagnostic
            .with_help(given.and_then(|g| builtins::did_you_mean(g, choices.iter().copied())).unwrap_or(listed));
        self.error(diagnostic);
        None
    }

    pub(super) fn number_in(
        &mut self,
        value: &'ast ast::Expr,
        what: &str,
        valid: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        let number = self.constant_number(value)?;
        if !valid(number) {
            self.error(Diagnostic::error(
                Code::E0704,
                format!("{what} must be {expected}"),
                value.span,
                format!("this is {number}"),
            ));
            return None;
        }
        Some(number)
    }

    pub(super) fn positive_integer(&mut self, value: &'ast ast::Expr, what: &str) -> Option<usize> {
        let number = self.constant_integer(value, what)?;
        if number < 1 {
            self.error(Diagnostic::error(
                Code::E0704,
                format!("{what} must be a positive integer"),
                value.span,
                format!("this is {number}"),
            ));
            return None;
        }
        Some(number as usize)
    }

    /// Matches the arguments of a builtin call to `params`, giving each a number.
    pub(super) fn builtin_args(&mut self, expr: &'ast ast::Expr, what: &str, params: &[ParamSpec]) -> Option<Vec<f64>> {
        let (callee, args): (&ast::Ident, &'ast [ast::Arg]) = match &expr.kind {
            ExprKind::Call { callee, args } => (callee, args),
            ExprKind::Name(name) => (name, &[]),
            _ => return None,
        };
        let mut values: Vec<Option<f64>> = vec![None; params.len()];
        let mut ok = true;
        for (position, arg) in args.iter().enumerate() {
            let slot = match &arg.name {
                None if position < params.len() => position,
                None => {
                    self.error(Diagnostic::error(
                        Code::E0302,
                        format!("`{}` takes {} argument{}", callee.name, params.len(), plural(params.len())),
                        arg.span,
                        "one too many",
                    ));
                    ok = false;
                    continue;
                }
                Some(name) => match params.iter().position(|(p, _)| *p == name.name) {
                    Some(slot) => slot,
                    None => {
                        let names: Vec<&str> = params.iter().map(|(p, _)| *p).collect();
                        let diagnostic = Diagnostic::error(
                            Code::E0303,
                            format!("{what} `{}` has no argument `{}`", callee.name, name.name),
                            name.span,
                            "unknown argument",
                        )
                        .with_closest(name.span, &name.name, names.iter().copied())
                        .or_help(|| {
                            if names.is_empty() {
                                format!("`{}` takes no arguments", callee.name)
                            } else {
                                format!(
                                    "its arguments are {}",
                                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                                )
                            }
                        });
                        self.error(diagnostic);
                        ok = false;
                        continue;
                    }
                },
            };
            if values[slot].is_some() {
                self.error(Diagnostic::error(
                    Code::E0306,
                    format!("`{}` is given twice", params[slot].0),
                    arg.span,
                    "given again",
                ));
                ok = false;
                continue;
            }
            match self.constant_number(&arg.value) {
                Some(v) => values[slot] = Some(v),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let mut out = Vec::with_capacity(params.len());
        for ((name, default), value) in params.iter().zip(values) {
            match value.or(*default) {
                Some(v) => out.push(v),
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::E0304,
                            format!("{what} `{}` needs `{name}`", callee.name),
                            expr.span,
                            format!("missing `{name}`"),
                        )
                        .with_help(format!("e.g. `{}({name} = 0.1)`", callee.name)),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }
}

/// The objective a bare field names, if it is `minimize` or `maximize`.
fn objective_of(field_name: &str) -> Option<ir::Objective> {
    match field_name {
        "minimize" => Some(ir::Objective::Minimize),
        "maximize" => Some(ir::Objective::Maximize),
        _ => None,
    }
}

fn objective_name(objective: ir::Objective) -> &'static str {
    match objective {
        ir::Objective::Minimize => "minimize",
        ir::Objective::Maximize => "maximize",
    }
}

/// The fields that read or shape training data, which a block with an objective has none of.
const DATA_FIELDS: &[&str] = &["data", "test", "split", "batch", "features", "loss"];

impl Checker<'_> {
    /// A field written without a value: `minimize` or `maximize`, or a field that needs one.
    fn bare_train_field(&mut self, field: &ast::Field, objectives: &mut Vec<(ir::Objective, Span)>) -> bool {
        let name = field.name.name.as_str();
        match objective_of(name) {
            Some(objective) => {
                objectives.push((objective, field.name.span));
                true
            }
            None => {
                let example = crate::builtins::TRAIN_FIELDS
                    .iter()
                    .find(|f| f.name == name)
                    .map(|f| format!("its values: {}", f.values))
                    .unwrap_or_default();
                self.error(
                    Diagnostic::error(Code::E0704, format!("`{name}` needs a value"), field.name.span, "no value")
                        .with_help(example),
                );
                false
            }
        }
    }

    /// The rules of a block with `minimize` or `maximize` (LANGUAGE.md §10.1): one objective, no
    /// field about data, one model output, and no inputs (nothing would bind them).
    fn check_objective(&mut self, objectives: &[(ir::Objective, Span)], seen: &[(&str, Span)]) -> bool {
        let mut ok = true;
        let (objective, objective_span) = objectives[0];
        let name = objective_name(objective);
        if let Some((other, other_span)) = objectives.iter().find(|(o, _)| *o != objective) {
            self.error(
                Diagnostic::error(
                    Code::E0720,
                    "a train block cannot both minimize and maximize",
                    *other_span,
                    format!("`{}` here", objective_name(*other)),
                )
                .with_label(objective_span, format!("`{name}` here"))
                .with_help("keep one of them: `maximize` trains the negated output"),
            );
            ok = false;
        }
        for (field, span) in seen {
            if DATA_FIELDS.contains(field) {
                self.error(
                    Diagnostic::error(
                        Code::E0720,
                        format!("`{field}` cannot be used with `{name}`"),
                        *span,
                        format!("`{field}` is about training data"),
                    )
                    .with_label(objective_span, format!("`{name}` trains the model's output without data"))
                    .with_help(format!("remove `{field}`, or remove `{name}` and train on data with a loss")),
                );
                ok = false;
            }
        }
        if let Some(outputs) = self.model_output_count() {
            if outputs != 1 {
                self.error(
                    Diagnostic::error(
                        Code::E0720,
                        format!(
                            "`{name}` needs the model's single output, but the model has {outputs} output{}",
                            plural(outputs)
                        ),
                        objective_span,
                        "needs 1 output",
                    )
                    .with_help("measure one value (an energy: `measure expval(…)`), or end the head in `linear(1)`"),
                );
                ok = false;
            }
        }
        if let Some(input) = self.inputs.first() {
            let input_name = input.name.clone();
            let input_span = input.span;
            self.error(
                Diagnostic::error(
                    Code::E0720,
                    format!("`{name}` has no data to bind the input `{input_name}`"),
                    objective_span,
                    "trains without data",
                )
                .with_label(input_span, format!("`{input_name}` declared here"))
                .with_help(format!("make `{input_name}` a `const` or a `param`, or train on data with a loss")),
            );
            ok = false;
        }
        ok
    }
}
