//! The first pass: collect every top-level declaration, evaluate shapes, and check the register.

use super::builtins;
use super::expr::{Ctx, Value};
use super::{Checker, ConstState, SymbolId, MAX_QUBITS};
use crate::ast::{self, ExprKind, ItemKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Span;

impl<'ast> Checker<'ast> {
    pub(super) fn declare(&mut self, program: &'ast ast::Program) {
        // Names first, so that consts, shapes and qubit counts may refer to declarations in any order.
        let mut qubits_items: Vec<&'ast ast::Item> = Vec::new();
        let mut circuit_keywords: Vec<Span> = Vec::new();
        for item in &program.items {
            match &item.kind {
                ItemKind::Qubits(_) => qubits_items.push(item),
                ItemKind::Circuit { keyword, .. } => circuit_keywords.push(*keyword),
                ItemKind::Train { keyword, .. } => {
                    self.train_keyword.get_or_insert(*keyword);
                }
                ItemKind::Const { name, value } => {
                    if let Some(id) = self.own_symbol(name) {
                        self.const_exprs.insert(id, value);
                        self.const_states.insert(id, ConstState::Pending);
                    }
                }
                ItemKind::Def { name, .. } => {
                    if let Some(id) = self.own_symbol(name) {
                        self.defs.insert(id, &item.kind);
                    }
                }
                _ => {}
            }
        }

        // A misspelt `qubits` or `circuit` is reported as such; "missing" would only repeat it.
        let misspelt: Vec<&str> = program
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::UnknownBlock { keyword, .. } => builtins::misspelt_keyword(&keyword.name),
                ItemKind::Stmt(ast::Stmt { kind: ast::StmtKind::Apply { name, .. }, .. }) => {
                    builtins::misspelt_keyword(&name.name)
                }
                _ => None,
            })
            .collect();
        if qubits_items.is_empty() && misspelt.contains(&"qubits") {
            self.n_qubits = None;
        } else {
            self.check_register(&qubits_items);
        }
        for pair in circuit_keywords.windows(2) {
            self.error(
                Diagnostic::error(Code::E0108, "more than one `circuit` block", pair[1], "second `circuit` block")
                    .with_label(circuit_keywords[0], "first `circuit` block")
                    .with_help("a file describes one model: put every statement in one `circuit { … }`"),
            );
        }
        if circuit_keywords.is_empty() && !program.items.is_empty() && !misspelt.contains(&"circuit") {
            self.error(
                Diagnostic::error(
                    Code::E0107,
                    "this file has no `circuit` block",
                    Span::new(0, 0),
                    "expected a `circuit { … }` block in this file",
                )
                .with_help("add the model's gates in `circuit { … }`"),
            );
        }

        // Shapes of inputs and params, in declaration order (which fixes their flat offsets). The
        // offsets are running totals: summing the earlier sizes for each declaration would make
        // this pass quadratic in the number of declarations.
        let mut input_offset = 0usize;
        let mut param_offset = 0usize;
        for item in &program.items {
            match &item.kind {
                ItemKind::Input { name, shape } => {
                    let Some(symbol_id) = self.own_symbol(name) else {
                        continue;
                    };
                    let shape = self.evaluate_shape(name, shape.as_deref());
                    let offset = input_offset;
                    input_offset += shape.iter().product::<usize>();
                    self.symbols[symbol_id].shape = Some(shape.clone());
                    self.symbols[symbol_id].detail = format!("input {}{}", name.name, format_shape(&shape));
                    self.variable_index.insert(symbol_id, self.inputs.len());
                    self.inputs.push(ir::Variable { name: name.name.clone(), shape, offset, span: name.span });
                }
                ItemKind::Param { name, shape, init } => {
                    let Some(symbol_id) = self.own_symbol(name) else {
                        continue;
                    };
                    let shape = self.evaluate_shape(name, shape.as_deref());
                    let init_value = self.evaluate_init(init.as_ref(), &shape);
                    let offset = param_offset;
                    param_offset += shape.iter().product::<usize>();
                    self.symbols[symbol_id].shape = Some(shape.clone());
                    self.symbols[symbol_id].detail =
                        format!("param {}{}{}", name.name, format_shape(&shape), describe_init(&init_value));
                    self.variable_index.insert(symbol_id, self.params.len());
                    self.params.push(ir::Param {
                        variable: ir::Variable { name: name.name.clone(), shape, offset, span: name.span },
                        init: init_value,
                    });
                }
                _ => {}
            }
        }
        // Every const is evaluated, used or not, so its mistakes are reported.
        let mut const_ids: Vec<SymbolId> = self.const_exprs.keys().copied().collect();
        const_ids.sort_unstable();
        for id in const_ids {
            self.const_value(id);
        }
    }

    /// The symbol a top-level declaration created; none when the resolution pass refused it (a
    /// builtin's name, or a repeat, both reported there).
    pub(super) fn own_symbol(&self, name: &ast::Ident) -> Option<SymbolId> {
        self.symbols.global(&name.name).filter(|&id| self.symbols[id].name_span == name.span)
    }

    fn check_register(&mut self, qubits_items: &[&'ast ast::Item]) {
        let Some(first) = qubits_items.first() else {
            self.error(
                Diagnostic::error(
                    Code::E0105,
                    "this file does not declare its qubits",
                    Span::new(0, 0),
                    "expected `qubits N` in this file",
                )
                .with_help("declare the register at the top, e.g. `qubits 4`"),
            );
            return;
        };
        for repeated in &qubits_items[1..] {
            self.error(
                Diagnostic::error(
                    Code::E0106,
                    "`qubits` is declared more than once",
                    repeated.span,
                    "declared again here",
                )
                .with_label(first.span, "first declared here"),
            );
        }
        let ItemKind::Qubits(count) = &first.kind else {
            return;
        };
        let Some(n) = self.constant_integer(count, "the number of qubits") else {
            return;
        };
        if n < 1 {
            self.error(Diagnostic::error(
                Code::E0114,
                "a register needs at least one qubit",
                count.span,
                format!("this is {n}"),
            ));
        } else if n as usize > MAX_QUBITS {
            self.error(Diagnostic::error(
                Code::E0114,
                format!("{n} qubits is more than qmlc can simulate (at most {MAX_QUBITS})"),
                count.span,
                "too many qubits",
            ));
        } else {
            self.n_qubits = Some(n as usize);
        }
    }

    /// Evaluates a declared shape. A bad dimension is reported and counts as 1 so checking goes
    /// on, and the declared name is poisoned so that its uses do not report the same mistake again.
    fn evaluate_shape(&mut self, name: &ast::Ident, dims: Option<&'ast [ast::Expr]>) -> Vec<usize> {
        let Some(dims) = dims else { return Vec::new() };
        let dimensions = self.dimensions(dims);
        if dimensions.iter().any(Option::is_none) {
            self.poisoned.insert(name.name.clone());
        }
        dimensions.into_iter().map(|d| d.unwrap_or(1)).collect()
    }

    fn evaluate_init(&mut self, init: Option<&'ast ast::Expr>, shape: &[usize]) -> ir::Init {
        let default = ir::Init::Uniform(0.0, std::f64::consts::TAU);
        let Some(init) = init else { return default };
        let bad_init = |span: Span| {
            Diagnostic::error(Code::E0406, "not a param initializer", span, "expected an initializer").with_help(
                "use `zeros`, `ones`, `constant(c)`, `uniform(a, b)`, `normal(mean, std)` or a literal array",
            )
        };
        match &init.kind {
            ExprKind::Name(name) if name.name == "zeros" => ir::Init::Zeros,
            ExprKind::Name(name) if name.name == "ones" => ir::Init::Ones,
            ExprKind::Call { callee, args } if builtins::INITIALIZERS.contains(&callee.name.as_str()) => {
                let expected = crate::builtins::find(crate::builtins::Kind::Initializer, &callee.name)
                    .map_or(0, |initializer| initializer.args.len());
                if args.len() != expected || args.iter().any(|a| a.name.is_some()) {
                    self.error(Diagnostic::error(
                        Code::E0406,
                        format!(
                            "`{}` takes {expected} positional argument{}",
                            callee.name,
                            if expected == 1 { "" } else { "s" }
                        ),
                        init.span,
                        format!("given {}", args.len()),
                    ));
                    return default;
                }
                let mut values = Vec::new();
                for arg in args {
                    match self.constant_number(&arg.value) {
                        Some(v) => values.push(v),
                        None => return default,
                    }
                }
                match callee.name.as_str() {
                    "constant" => ir::Init::Constant(values[0]),
                    "uniform" => ir::Init::Uniform(values[0], values[1]),
                    "normal" => {
                        if values[1] < 0.0 {
                            self.error(Diagnostic::error(
                                Code::E0406,
                                "a normal distribution needs a standard deviation ≥ 0",
                                args[1].span,
                                "negative",
                            ));
                        }
                        ir::Init::Normal(values[0], values[1])
                    }
                    "zeros" => ir::Init::Zeros,
                    _ => ir::Init::Ones,
                }
            }
            ExprKind::Array(_) | ExprKind::Number { .. } | ExprKind::Neg(_) | ExprKind::Binary { .. } => {
                let Some(value) = self.evaluate(init, Ctx::Constant) else {
                    return default;
                };
                let value_shape = value.shape();
                if value_shape != shape {
                    self.error(Diagnostic::error(
                        Code::E0406,
                        format!(
                            "the initial value has shape {} but the param has shape {}",
                            format_shape_full(&value_shape),
                            format_shape_full(shape)
                        ),
                        init.span,
                        format!("shape {}", format_shape_full(&value_shape)),
                    ));
                    return default;
                }
                ir::Init::Values(value.elements().iter().map(|e| e.constant().unwrap_or(0.0)).collect())
            }
            ExprKind::Name(name) => {
                let diagnostic =
                    bad_init(init.span).with_closest(name.span, &name.name, builtins::INITIALIZERS.iter().copied());
                self.error(diagnostic);
                default
            }
            _ => {
                self.error(bad_init(init.span));
                default
            }
        }
    }
}

/// `[3, 4, 3]`, or nothing for a scalar (as declarations write it).
pub fn format_shape(shape: &[usize]) -> String {
    if shape.is_empty() {
        String::new()
    } else {
        format_shape_full(shape)
    }
}

/// `[3, 4, 3]`, or `[]` for a scalar (as messages write it).
pub fn format_shape_full(shape: &[usize]) -> String {
    format!("[{}]", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
}

fn describe_init(init: &ir::Init) -> String {
    match init {
        ir::Init::Zeros => " = zeros".into(),
        ir::Init::Ones => " = ones".into(),
        ir::Init::Constant(c) => format!(" = constant({c})"),
        ir::Init::Uniform(a, b) => format!(" = uniform({a}, {b})"),
        ir::Init::Normal(m, s) => format!(" = normal({m}, {s})"),
        ir::Init::Values(_) => " = […]".into(),
    }
}

impl Value {
    pub(super) fn elements(&self) -> Vec<ir::Expr> {
        match self {
            Value::Scalar(e) => vec![e.clone()],
            Value::Array { elements, .. } => elements.clone(),
        }
    }
}
