//! Train block optimizers and schedules: the `optimizer` and `schedule` fields, and whether the
//! optimizer fits the block and the model (`rotosolve`'s sinusoids, `qng`'s metric tensor).

use super::super::builtins;
use super::super::circuit::bare_name;
use super::super::Checker;
use crate::ast::{self, ExprKind};
use crate::builtins::Kind;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Span;

/// What [`Checker::check_optimizer_fit`] needs to know about a block.
pub(super) struct OptimizerFit<'b> {
    pub block: &'b ir::TrainBlock,
    /// The optimizer's value, or the block's keyword when the default is used.
    pub optimizer_span: Span,
    pub schedule_span: Option<Span>,
    /// The `minimize` or `maximize` field, if there is one.
    pub objective_span: Option<Span>,
    /// The `shots` field, if there is one.
    pub shots_span: Option<Span>,
}

/// Why a param cannot be optimized by rotosolve's closed form, and the gate that shows it.
struct RotosolveProblem {
    param: usize,
    gate_span: Span,
    reason: String,
}

impl<'ast> Checker<'ast> {
    pub(super) fn optimizer(&mut self, value: &'ast ast::Expr) -> Option<ir::Optimizer> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let what = "optimizer";
        let optimizer = match name {
            "sgd" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Sgd { lr: a[0] }
            }
            "momentum" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Momentum { lr: a[0], beta: a[1] }
            }
            "nesterov" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Nesterov { lr: a[0], beta: a[1] }
            }
            "adagrad" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Adagrad { lr: a[0], eps: a[1] }
            }
            "rmsprop" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::RmsProp { lr: a[0], alpha: a[1], eps: a[2] }
            }
            "adam" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                if !(0.0..1.0).contains(&a[1]) || !(0.0..1.0).contains(&a[2]) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "adam's betas must be in [0, 1)",
                        value.span,
                        "invalid beta",
                    ));
                    return None;
                }
                ir::Optimizer::Adam { lr: a[0], beta1: a[1], beta2: a[2], eps: a[3] }
            }
            "spsa" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                ir::Optimizer::Spsa { a: a[0], c: a[1] }
            }
            "rotosolve" => {
                self.builtin_args(value, what, &[])?;
                ir::Optimizer::Rotosolve
            }
            "cobyla" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                if !(a[0] > 0.0 && a[0].is_finite()) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "cobyla's `rhobeg` (the first step) must be positive",
                        value.span,
                        format!("this is {}", a[0]),
                    ));
                    return None;
                }
                ir::Optimizer::Cobyla { rhobeg: a[0] }
            }
            "lbfgs" => {
                let a = self.builtin_args(value, what, &builtins::numeric_args(Kind::Optimizer, name))?;
                if !(a[1] >= 1.0 && a[1].fract() == 0.0 && a[1] <= 1e6) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "lbfgs's `history` must be a positive integer",
                        value.span,
                        format!("this is {}", a[1]),
                    ));
                    return None;
                }
                ir::Optimizer::Lbfgs { lr: a[0], history: a[1] as usize }
            }
            "qng" => self.qng(value)?,
            _ => {
                let given = if name.is_empty() { None } else { Some(name) };
                self.unknown_choice(value, given, "optimizer", builtins::OPTIMIZERS)?;
                return None;
            }
        };
        let lr = match optimizer {
            ir::Optimizer::Spsa { a, .. } => Some(a),
            other => other.learning_rate(),
        };
        if let Some(lr) = lr {
            if !(lr > 0.0 && lr.is_finite()) {
                self.error(Diagnostic::error(
                    Code::E0704,
                    "the learning rate must be positive",
                    value.span,
                    format!("this is {lr}"),
                ));
                return None;
            }
        }
        Some(optimizer)
    }

    /// `qng(lr, approx = block_diag|diag, lam = 0)`: `approx` is a word, the others numbers.
    fn qng(&mut self, value: &'ast ast::Expr) -> Option<ir::Optimizer> {
        let ExprKind::Call { args, .. } = &value.kind else {
            // A bare `qng` lacks its learning rate: `builtin_args` says so.
            self.builtin_args(value, "optimizer", &[("lr", None), ("lam", Some(0.0))])?;
            return None;
        };
        let mut approx = ir::MetricApprox::BlockDiag;
        let mut lr = None;
        let mut lam = 0.0;
        let mut ok = true;
        for (position, arg) in args.iter().enumerate() {
            let slot = match &arg.name {
                Some(name) => name.name.as_str(),
                None => ["lr", "approx", "lam"].get(position).copied().unwrap_or(""),
            };
            match slot {
                "approx" => match bare_name(&arg.value).map(|n| n.name.as_str()) {
                    Some("block_diag") => approx = ir::MetricApprox::BlockDiag,
                    Some("diag") => approx = ir::MetricApprox::Diag,
                    other => {
                        ok &= self
                            .unknown_choice(&arg.value, other, "metric approximation", &["block_diag", "diag"])
                            .is_some();
                    }
                },
                "lr" => match self.constant_number(&arg.value) {
                    Some(number) => lr = Some(number),
                    None => ok = false,
                },
                "lam" => match self.number_in(&arg.value, "`lam`", |v| v >= 0.0 && v.is_finite(), "a number ≥ 0") {
                    Some(number) => lam = number,
                    None => ok = false,
                },
                _ => {
                    let (span, label) = match &arg.name {
                        Some(name) => (name.span, "unknown argument"),
                        None => (arg.span, "one too many"),
                    };
                    self.error(
                        Diagnostic::error(Code::E0303, "`qng` takes `lr`, `approx` and `lam`", span, label)
                            .with_help("e.g. `qng(lr = 0.1, approx = block_diag, lam = 0.01)`"),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let Some(lr) = lr else {
            self.error(
                Diagnostic::error(Code::E0304, "optimizer `qng` needs `lr`", value.span, "missing `lr`")
                    .with_help("e.g. `qng(lr = 0.1)`"),
            );
            return None;
        };
        Some(ir::Optimizer::Qng { lr, approx, lam })
    }

    /// `schedule step(every, gamma) | exponential(gamma) | cosine(min_lr = 0)`.
    pub(super) fn schedule(&mut self, value: &'ast ast::Expr) -> Option<ir::Schedule> {
        let name = match &value.kind {
            ExprKind::Call { callee, .. } | ExprKind::Name(callee) => callee.name.as_str(),
            _ => "",
        };
        let what = "schedule";
        let args =
            |checker: &mut Self| checker.builtin_args(value, what, &builtins::numeric_args(Kind::Schedule, name));
        let schedule = match name {
            "step" => {
                let a = args(self)?;
                if !(a[0] >= 1.0 && a[0].fract() == 0.0 && a[0] <= 1e9) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "`every` must be a positive integer (epochs)",
                        value.span,
                        format!("this is {}", a[0]),
                    ));
                    return None;
                }
                ir::Schedule::Step { every: a[0] as usize, gamma: a[1] }
            }
            "exponential" => ir::Schedule::Exponential { gamma: args(self)?[0] },
            "cosine" => {
                let a = args(self)?;
                if !(a[0] >= 0.0 && a[0].is_finite()) {
                    self.error(Diagnostic::error(
                        Code::E0704,
                        "`min_lr` must be a number ≥ 0",
                        value.span,
                        format!("this is {}", a[0]),
                    ));
                    return None;
                }
                ir::Schedule::Cosine { min_lr: a[0] }
            }
            _ => {
                let given = if name.is_empty() { None } else { Some(name) };
                self.unknown_choice(value, given, "schedule", builtins::SCHEDULES)?;
                return None;
            }
        };
        if let ir::Schedule::Step { gamma, .. } | ir::Schedule::Exponential { gamma } = schedule {
            if !(gamma > 0.0 && gamma.is_finite()) {
                self.error(Diagnostic::error(
                    Code::E0704,
                    "a schedule's `gamma` must be positive",
                    value.span,
                    format!("this is {gamma}"),
                ));
                return None;
            }
        }
        Some(schedule)
    }

    /// Whether the optimizer (and schedule) fit the block and the model:
    /// - `rotosolve` and `qng` train an objective (`minimize`/`maximize`) of a model without a head:
    ///   rotosolve needs the cost to be a sinusoid of each param, and PennyLane's QNG is defined
    ///   for a cost that is the circuit's expectation value (a QNode), whose metric tensor is the
    ///   circuit's alone;
    /// - `rotosolve`: every param element reaches at most one gate angle, that angle's part has a
    ///   two-term shift rule, and the element enters it as ±element + terms without it (so the
    ///   cost has frequency 1 in it, which the closed form assumes); no param in a state preparation;
    /// - `qng`: exact execution (the metric tensor is computed from the state);
    /// - a schedule needs an optimizer with a learning rate.
    pub(super) fn check_optimizer_fit(&mut self, fit: &OptimizerFit<'_>) -> bool {
        let block = fit.block;
        let optimizer = block.optimizer;
        let name = optimizer.name();
        let mut ok = true;
        let mut fail = |checker: &mut Self, diagnostic: Diagnostic| {
            checker.error(diagnostic);
            ok = false;
        };
        if matches!(optimizer, ir::Optimizer::Rotosolve | ir::Optimizer::Qng { .. }) {
            if fit.objective_span.is_none() {
                let why = if name == "qng" {
                    "PennyLane's QNG preconditions the gradient of the circuit's own output (a QNode cost) by its metric tensor; a loss over data rows is not one"
                } else {
                    "rotosolve sets each param to the minimum of the cost's sinusoid in it; a loss over data rows is not a sinusoid"
                };
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0721,
                        format!("`{name}` trains an objective, but this block trains on data"),
                        fit.optimizer_span,
                        format!("`{name}` needs `minimize` or `maximize`"),
                    )
                    .with_note(why)
                    .with_help(
                        "write `minimize` (or `maximize`) instead of `data` and `loss`, or use `adam` or `lbfgs`",
                    ),
                );
            }
            if !self.head.is_empty() {
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0721,
                        format!("`{name}` optimizes the circuit's output itself, but this model has a `head`"),
                        fit.optimizer_span,
                        "needs a model without a head",
                    )
                    .with_note(if name == "qng" {
                        "the metric tensor is of the circuit's params only, and the cost must be the measured value"
                    } else {
                        "a head makes the cost a non-sinusoidal function of the params"
                    })
                    .with_help("remove the `head` line, or use `adam` or `lbfgs`"),
                );
            }
        }
        if let ir::Optimizer::Qng { .. } = optimizer {
            if let Some(ir::Op::Gate(gate)) =
                crate::grad::first_gate_without_metric(&self.ops).map(|idx| &self.ops[idx])
            {
                let (gate_name, gate_span, n_controls) = (gate.kind.name(), gate.span, gate.controls.len());
                let under = if n_controls > 0 { format!(" under {n_controls} `ctrl` controls") } else { String::new() };
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0721,
                        format!("`qng` has no metric tensor for `{gate_name}`{under}, whose angle depends on a param"),
                        fit.optimizer_span,
                        "needs the metric tensor of every trainable gate",
                    )
                    .with_label(gate_span, format!("`{gate_name}` here"))
                    .with_note(
                        "the metric tensor is taken gate by gate from one-angle generators (Pauli words and \
                         projectors), as PennyLane expands a circuit; this gate's generator is not one of them",
                    )
                    .with_help("use `adam`, `lbfgs` or `cobyla` for this circuit"),
                );
            }
            if block.shots.is_some() {
                let span = fit.shots_span.unwrap_or(fit.block.span);
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0721,
                        "`qng` needs exact execution, but this block uses shots",
                        fit.optimizer_span,
                        "computes the metric tensor from the state",
                    )
                    .with_label(span, "shots here")
                    .with_help("remove `shots`, or use `spsa` or `adam` with shots"),
                );
            }
        }
        if optimizer == ir::Optimizer::Rotosolve {
            if let Some(problem) = self.rotosolve_problem() {
                let param_name = self.param_element_name(problem.param);
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0721,
                        format!("`rotosolve` cannot optimize `{param_name}`: {}", problem.reason),
                        fit.optimizer_span,
                        "needs each param in one angle with a two-term shift rule",
                    )
                    .with_label(problem.gate_span, format!("`{param_name}` is used here"))
                    .with_note(
                        "rotosolve's closed form needs the cost to be a sinusoid of frequency 1 in each param: \
                         each param element in at most one angle of a gate with a two-term shift rule, as ±param + c",
                    )
                    .with_help("use `adam`, `lbfgs` or `cobyla` for this circuit"),
                );
            }
        }
        if let Some(schedule_span) = fit.schedule_span {
            if block.schedule.is_some() && optimizer.learning_rate().is_none() {
                let what = match optimizer {
                    ir::Optimizer::Spsa { .. } => "its gains follow their own decay (a / (A + k)^0.602)",
                    ir::Optimizer::Rotosolve => "it sets each param to a minimum in closed form",
                    _ => "it steps by its own trust region (`rhobeg`)",
                };
                fail(
                    self,
                    Diagnostic::error(
                        Code::E0722,
                        format!("`{name}` has no learning rate to schedule"),
                        schedule_span,
                        "nothing to scale",
                    )
                    .with_label(fit.optimizer_span, format!("`{name}` here"))
                    .with_note(format!("`{name}` takes no learning rate: {what}"))
                    .with_help("remove `schedule`, or use an optimizer with `lr`"),
                );
            }
        }
        ok
    }

    /// The first param element rotosolve cannot handle, in gate order.
    fn rotosolve_problem(&self) -> Option<RotosolveProblem> {
        // Where each param element was seen first: (gate span).
        let mut first_use: std::collections::HashMap<usize, Span> = std::collections::HashMap::new();
        for op in &self.ops {
            match op {
                ir::Op::StatePrep(prep) => {
                    if let Some(param) = prep.amplitudes.iter().flat_map(ir::Expr::params).next() {
                        return Some(RotosolveProblem {
                            param,
                            gate_span: prep.span,
                            reason: "it is an amplitude of a state preparation, not a gate angle".to_string(),
                        });
                    }
                }
                ir::Op::Gate(gate) => {
                    for (slot, angle) in gate.angles.iter().enumerate() {
                        for param in angle.params() {
                            if first_use.insert(param, gate.span).is_some() {
                                return Some(RotosolveProblem {
                                    param,
                                    gate_span: gate.span,
                                    reason: "it is used in more than one angle, which makes its cost a sum of several frequencies"
                                        .to_string(),
                                });
                            }
                            let rule = crate::grad::elementary_parts(gate.kind)
                                .into_iter()
                                .find(|(_, part_slot)| *part_slot == slot)
                                .and_then(|(kind, _)| kind.info().generator.shift_rule(!gate.controls.is_empty()));
                            if rule != Some(crate::builtins::gates::ShiftRule::TwoTerm) {
                                let gate_name = gate.kind.name();
                                let reason = match rule {
                                    Some(rule) => {
                                        format!("`{gate_name}` here has a {} rule, not a two-term one", rule.name())
                                    }
                                    None => format!("`{gate_name}` has no shift rule"),
                                };
                                return Some(RotosolveProblem { param, gate_span: gate.span, reason });
                            }
                            if !has_unit_slope(angle, param) {
                                return Some(RotosolveProblem {
                                    param,
                                    gate_span: gate.span,
                                    reason: "it enters the angle other than as ±param + terms without it".to_string(),
                                });
                            }
                        }
                    }
                }
            }
        }
        None
    }

    /// The name of a flat param element: `w[1][0]`, or `t` for a scalar.
    fn param_element_name(&self, flat: usize) -> String {
        let variables: Vec<&ir::Variable> = self.params.iter().map(|param| &param.variable).collect();
        ir::element_name(&variables, flat, ", ")
    }
}

/// Whether `expr` is ±`param` plus terms that do not read it: its derivative in `param` is the
/// constant ±1.
fn has_unit_slope(expr: &ir::Expr, param: usize) -> bool {
    let reads = |e: &ir::Expr| e.params().contains(&param);
    match expr {
        ir::Expr::Param(index) => *index == param,
        ir::Expr::Neg(inner) => has_unit_slope(inner, param),
        ir::Expr::Binary(ir::BinOp::Add | ir::BinOp::Sub, a, b) => match (reads(a), reads(b)) {
            (true, false) => has_unit_slope(a, param),
            (false, true) => has_unit_slope(b, param),
            _ => false,
        },
        ir::Expr::Binary(ir::BinOp::Mul, a, b) => match (a.constant(), b.constant()) {
            (Some(c), None) if c.abs() == 1.0 => has_unit_slope(b, param),
            (None, Some(c)) if c.abs() == 1.0 => has_unit_slope(a, param),
            _ => false,
        },
        ir::Expr::Binary(ir::BinOp::Div, a, b) if b.constant().is_some_and(|c| c.abs() == 1.0) => {
            has_unit_slope(a, param)
        }
        _ => false,
    }
}
