//! Train blocks: fields, their values, and whether the loss fits the model's outputs.

use super::builtins;
use super::circuit::{bare_name, plural};
use super::Checker;
use crate::ast::{self, ExprKind};
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Span;

/// The number of features a builtin data source gives per row (`None` for a CSV file, known only
/// when it is read).
fn data_features(source: &ir::DataSource) -> Option<usize> {
    match source {
        ir::DataSource::Csv { .. } => None,
        ir::DataSource::Moons { .. } | ir::DataSource::Circles { .. } | ir::DataSource::Xor { .. } => Some(2),
        ir::DataSource::Iris => Some(4),
        ir::DataSource::Parity { bits } => Some(*bits),
    }
}

/// A parameter of a builtin call such as `adam(lr = 0.01)`: its name and default (`None`: required).
type ParamSpec = (&'static str, Option<f64>);

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
            data: ir::DataSource::Iris,
            features: ir::Features::None,
            split: 1.0,
            shuffle: true,
            loss: ir::Loss::Mse,
            optimizer: ir::Optimizer::Adam { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
            epochs: 10,
            batch: 32,
            gradient: ir::GradientMethod::Auto,
            shots: None,
            seed: 0,
            patience: None,
            span,
        };
        let mut has_data = false;
        // Whether `block.data` holds the file's data source rather than the placeholder.
        let mut data_parsed = false;
        let mut ok = true;
        let mut loss_span = None;
        for field in fields {
            let field_name = field.name.name.as_str();
            if field_name.is_empty() {
                // A line the parser could not read: it may have been the data field.
                has_data = true;
                continue;
            }
            if !builtins::TRAIN_FIELDS.contains(&field_name) {
                let mut diagnostic = Diagnostic::error(
                    "E0701",
                    format!("unknown train field `{field_name}`"),
                    field.name.span,
                    "not a train field",
                );
                diagnostic = diagnostic.with_help(
                    builtins::did_you_mean(field_name, builtins::TRAIN_FIELDS.iter().copied())
                        .unwrap_or_else(|| format!("the fields are {}", builtins::TRAIN_FIELDS.join(", "))),
                );
                self.error(diagnostic);
                ok = false;
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == field_name) {
                let first = *first;
                self.error(
                    Diagnostic::error(
                        "E0702",
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
            let value = &field.value;
            let parsed = match field_name {
                "data" => self.data_source(value).map(|d| {
                    has_data = true;
                    data_parsed = true;
                    block.data = d;
                }),
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
                    match bare_name(value).map(|n| n.name.as_str()) {
                        Some("mse") => {
                            block.loss = ir::Loss::Mse;
                            Some(())
                        }
                        Some("cross_entropy") => {
                            block.loss = ir::Loss::CrossEntropy;
                            Some(())
                        }
                        Some("hinge") => {
                            block.loss = ir::Loss::Hinge;
                            Some(())
                        }
                        other => self.unknown_choice(value, other, "loss", builtins::LOSSES),
                    }
                }
                "optimizer" => self.optimizer(value).map(|o| block.optimizer = o),
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
                        &["auto", "adjoint", "parameter_shift", "finite_diff"],
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
        if !has_data && ok {
            self.error(
                Diagnostic::error("E0703", "this train block has no `data`", keyword, "no data to train on").with_help(
                    "add e.g. `data moons(samples = 200, noise = 0.1)` or `data csv(\"train.csv\", label = \"y\")`",
                ),
            );
            return;
        }
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
                    "E0704",
                    format!("{method} exact execution, but this block uses shots"),
                    span,
                    "needs exact execution",
                )
                .with_note(why)
                .with_help("use `gradient parameter_shift` (or `auto`) with shots"),
            );
            return;
        }
        if let Some(features) = data_features(&block.data).filter(|_| data_parsed) {
            let n_inputs: usize = self.inputs.iter().map(ir::Variable::size).sum();
            if features != n_inputs {
                let span = seen.iter().find(|(n, _)| *n == "data").map(|(_, s)| *s).unwrap_or(keyword);
                self.error(
                    Diagnostic::error(
                        "E0707",
                        format!(
                            "this data has {features} feature{} per row, but the model's inputs take {n_inputs} value{}",
                            plural(features),
                            plural(n_inputs)
                        ),
                        span,
                        format!("{features} feature{}", plural(features)),
                    )
                    .with_help("declare inputs that hold one row, e.g. `input x[2]` for two features"),
                );
                return;
            }
        }
        if let Some(outputs) = self.model_output_count() {
            let span = loss_span.unwrap_or(keyword);
            match block.loss {
                ir::Loss::CrossEntropy if outputs < 2 => {
                    self.error(
                        Diagnostic::error(
                            "E0707",
                            format!(
                                "`cross_entropy` needs one output per class, but the model has {outputs} output{}",
                                plural(outputs)
                            ),
                            span,
                            "needs at least 2 outputs",
                        )
                        .with_help("add `head linear(k)` for k classes, or measure more values"),
                    );
                    return;
                }
                ir::Loss::Hinge if outputs != 1 => {
                    self.error(
                        Diagnostic::error(
                            "E0707",
                            format!("`hinge` needs a single output, but the model has {outputs}"),
                            span,
                            "needs 1 output",
                        )
                        .with_help("add `head linear(1)`, or measure one value"),
                    );
                    return;
                }
                _ => {}
            }
        }
        if ok {
            self.train.push(block);
        }
    }

    fn bad_value(&mut self, value: &ast::Expr, expected: &str) -> Option<()> {
        self.error(Diagnostic::error("E0704", format!("invalid value: {expected}"), value.span, "invalid value"));
        None
    }

    fn unknown_choice(&mut self, value: &ast::Expr, given: Option<&str>, what: &str, choices: &[&str]) -> Option<()> {
        let message = match given {
            Some(name) => format!("unknown {what} `{name}`"),
            None => format!("expected a {what}"),
        };
        let mut diagnostic = Diagnostic::error("E0705", message, value.span, format!("unknown {what}"));
        let listed =
            format!("choose one of {}", choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "));
        diagnostic = diagnostic
            .with_help(given.and_then(|g| builtins::did_you_mean(g, choices.iter().copied())).unwrap_or(listed));
        self.error(diagnostic);
        None
    }

    fn number_in(
        &mut self,
        value: &'ast ast::Expr,
        what: &str,
        valid: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        let number = self.constant_number(value)?;
        if !valid(number) {
            self.error(Diagnostic::error(
                "E0704",
                format!("{what} must be {expected}"),
                value.span,
                format!("this is {number}"),
            ));
            return None;
        }
        Some(number)
    }

    fn positive_integer(&mut self, value: &'ast ast::Expr, what: &str) -> Option<usize> {
        let number = self.constant_integer(value, what)?;
        if number < 1 {
            self.error(Diagnostic::error(
                "E0704",
                format!("{what} must be a positive integer"),
                value.span,
                format!("this is {number}"),
            ));
            return None;
        }
        Some(number as usize)
    }

    /// Matches the arguments of a builtin call to `params`, giving each a number.
    fn builtin_args(&mut self, expr: &'ast ast::Expr, what: &str, params: &[ParamSpec]) -> Option<Vec<f64>> {
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
                        "E0302",
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
                        let help = builtins::did_you_mean(&name.name, names.iter().copied()).unwrap_or_else(|| {
                            if names.is_empty() {
                                format!("`{}` takes no arguments", callee.name)
                            } else {
                                format!(
                                    "its arguments are {}",
                                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                                )
                            }
                        });
                        self.error(
                            Diagnostic::error(
                                "E0303",
                                format!("{what} `{}` has no argument `{}`", callee.name, name.name),
                                name.span,
                                "unknown argument",
                            )
                            .with_help(help),
                        );
                        ok = false;
                        continue;
                    }
                },
            };
            if values[slot].is_some() {
                self.error(Diagnostic::error(
                    "E0306",
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
                            "E0304",
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

    fn data_source(&mut self, value: &'ast ast::Expr) -> Option<ir::DataSource> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let count = |v: f64| v.max(0.0) as usize;
        let source = match name {
            "csv" => return self.csv_source(value),
            "moons" => {
                let a = self.builtin_args(value, "data source", &[("samples", Some(100.0)), ("noise", Some(0.1))])?;
                ir::DataSource::Moons { samples: count(a[0]), noise: a[1] }
            }
            "circles" => {
                let a = self.builtin_args(
                    value,
                    "data source",
                    &[("samples", Some(100.0)), ("noise", Some(0.05)), ("factor", Some(0.5))],
                )?;
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
                let a = self.builtin_args(value, "data source", &[("samples", Some(100.0))])?;
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
                if noise.is_nan() || *noise < 0.0 =>
            {
                Some("the noise is a standard deviation, so it must be ≥ 0".to_string())
            }
            ir::DataSource::Circles { factor, .. } if !(0.0..1.0).contains(factor) => Some(format!(
                "`factor` is the inner circle's radius relative to the outer one: in [0, 1), not {factor}"
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            self.error(Diagnostic::error("E0704", problem, value.span, "invalid data source"));
            return None;
        }
        if let ExprKind::Call { args, .. } = &value.kind {
            for (position, arg) in args.iter().enumerate() {
                // The first positional argument of every generator is its count.
                let is_count = arg.name.as_ref().map_or(position == 0, |n| n.name == "samples" || n.name == "bits");
                if let (true, Some(v)) = (is_count, arg.value.kind_number()) {
                    if !integral(v) {
                        self.error(Diagnostic::error(
                            "E0112",
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
                    "E0704",
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
                "E0704",
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
                        "E0303",
                        format!("data source `csv` has no argument `{other}`"),
                        name_span,
                        "unknown argument",
                    );
                    diagnostic = diagnostic.with_help(
                        builtins::did_you_mean(other, ["path", "label"])
                            .unwrap_or_else(|| "its arguments are the path and `label`".into()),
                    );
                    self.error(diagnostic);
                    return None;
                }
                (None, _) => {
                    self.error(Diagnostic::error(
                        "E0302",
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
                Diagnostic::error("E0304", "`csv` needs the path of its file", value.span, "no path")
                    .with_help("e.g. `csv(\"data.csv\", label = \"y\")`"),
            );
            return None;
        };
        let Some(path) = string_of(&path_arg.value) else {
            self.error(
                Diagnostic::error("E0704", "the path of a csv file is a string", path_arg.value.span, "not a string")
                    .with_help("write it in quotes: `csv(\"data.csv\", label = \"y\")`"),
            );
            return None;
        };
        let Some(label_arg) = label else {
            self.error(
                Diagnostic::error("E0304", "`csv` needs the name of its label column", value.span, "no label column")
                    .with_help(format!("e.g. `csv(\"{path}\", label = \"y\")`")),
            );
            return None;
        };
        let Some(label) = string_of(&label_arg.value).or_else(|| bare_name(&label_arg.value).map(|n| n.name.clone()))
        else {
            self.error(Diagnostic::error(
                "E0704",
                "the label column is named by a string",
                label_arg.value.span,
                "not a column name",
            ));
            return None;
        };
        Some(ir::DataSource::Csv { path, label })
    }

    fn features(&mut self, value: &'ast ast::Expr) -> Option<ir::Features> {
        if bare_name(value).is_some_and(|n| n.name == "none") {
            return Some(ir::Features::None);
        }
        match &value.kind {
            ExprKind::Call { callee, .. } if callee.name == "scale" => {
                let a = self.builtin_args(value, "feature map", &[("a", None), ("b", None)])?;
                if a[0] >= a[1] {
                    self.error(Diagnostic::error(
                        "E0704",
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
                self.unknown_choice(value, given, "feature map", &["scale", "none"])?;
                None
            }
        }
    }

    fn optimizer(&mut self, value: &'ast ast::Expr) -> Option<ir::Optimizer> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let what = "optimizer";
        let optimizer = match name {
            "sgd" => {
                let a = self.builtin_args(value, what, &[("lr", None)])?;
                ir::Optimizer::Sgd { lr: a[0] }
            }
            "momentum" => {
                let a = self.builtin_args(value, what, &[("lr", None), ("beta", Some(0.9))])?;
                ir::Optimizer::Momentum { lr: a[0], beta: a[1] }
            }
            "nesterov" => {
                let a = self.builtin_args(value, what, &[("lr", None), ("beta", Some(0.9))])?;
                ir::Optimizer::Nesterov { lr: a[0], beta: a[1] }
            }
            "adagrad" => {
                let a = self.builtin_args(value, what, &[("lr", Some(0.01)), ("eps", Some(1e-10))])?;
                ir::Optimizer::Adagrad { lr: a[0], eps: a[1] }
            }
            "rmsprop" => {
                let a =
                    self.builtin_args(value, what, &[("lr", Some(0.01)), ("alpha", Some(0.99)), ("eps", Some(1e-8))])?;
                ir::Optimizer::RmsProp { lr: a[0], alpha: a[1], eps: a[2] }
            }
            "adam" => {
                let a = self.builtin_args(
                    value,
                    what,
                    &[("lr", Some(0.001)), ("beta1", Some(0.9)), ("beta2", Some(0.999)), ("eps", Some(1e-8))],
                )?;
                if !(0.0..1.0).contains(&a[1]) || !(0.0..1.0).contains(&a[2]) {
                    self.error(Diagnostic::error(
                        "E0704",
                        "adam's betas must be in [0, 1)",
                        value.span,
                        "invalid beta",
                    ));
                    return None;
                }
                ir::Optimizer::Adam { lr: a[0], beta1: a[1], beta2: a[2], eps: a[3] }
            }
            "spsa" => {
                let a = self.builtin_args(value, what, &[("a", Some(0.1)), ("c", Some(0.2))])?;
                ir::Optimizer::Spsa { a: a[0], c: a[1] }
            }
            _ => {
                let given = if name.is_empty() { None } else { Some(name) };
                self.unknown_choice(value, given, "optimizer", builtins::OPTIMIZERS)?;
                return None;
            }
        };
        let lr = match optimizer {
            ir::Optimizer::Sgd { lr }
            | ir::Optimizer::Momentum { lr, .. }
            | ir::Optimizer::Nesterov { lr, .. }
            | ir::Optimizer::Adagrad { lr, .. }
            | ir::Optimizer::RmsProp { lr, .. }
            | ir::Optimizer::Adam { lr, .. } => lr,
            ir::Optimizer::Spsa { a, .. } => a,
        };
        if !(lr > 0.0 && lr.is_finite()) {
            self.error(Diagnostic::error(
                "E0704",
                "the learning rate must be positive",
                value.span,
                format!("this is {lr}"),
            ));
            return None;
        }
        Some(optimizer)
    }
}
