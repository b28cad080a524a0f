//! Evaluating expressions: constants to numbers, angles to IR expressions, arrays with their shapes.

use super::builtins;
use super::declarations::format_shape_full;
use super::{names, Checker, ConstState, Local, SymbolId, SymbolKind};
use crate::ast::{self, BinaryOp, ExprKind};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, Expr as IrExpr};
use crate::source::Span;

/// The most elements one declared array may hold.
pub const MAX_ELEMENTS: usize = 1 << 20;

/// The value of an expression: a scalar (constant or depending on inputs and params) or an array.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(IrExpr),
    Array { shape: Vec<usize>, elements: Vec<IrExpr> },
}

impl Value {
    pub fn shape(&self) -> Vec<usize> {
        match self {
            Value::Scalar(_) => Vec::new(),
            Value::Array { shape, .. } => shape.clone(),
        }
    }

    pub fn constant(&self) -> Option<f64> {
        match self {
            Value::Scalar(e) => e.constant(),
            Value::Array { .. } => None,
        }
    }
}

/// What an expression may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Known when compiling: numbers, consts, loop variables (shapes, wires, ranges, coefficients).
    Constant,
    /// An angle: inputs and params too.
    Angle,
}

impl<'ast> Checker<'ast> {
    /// Evaluates `expr`; `None` means an error was reported.
    pub(super) fn evaluate(&mut self, expr: &'ast ast::Expr, ctx: Ctx) -> Option<Value> {
        match &expr.kind {
            ExprKind::Number { value, .. } => Some(Value::Scalar(IrExpr::Const(*value))),
            // Only the lossless tree of `parser::parse_with_trivia` has these; they only group.
            ExprKind::Paren(inner) => self.evaluate(inner, ctx),
            ExprKind::Bool(_) | ExprKind::Str(_) => {
                self.error(Diagnostic::error(Code::E0116, "expected a number", expr.span, "not a number"));
                None
            }
            ExprKind::Error => None,
            ExprKind::Name(name) => self.evaluate_name(name, ctx),
            ExprKind::Array(items) => self.evaluate_array(expr, items, ctx),
            ExprKind::Neg(operand) => match self.evaluate(operand, ctx)? {
                Value::Scalar(e) => Some(Value::Scalar(IrExpr::negated(e))),
                Value::Array { shape, elements } => {
                    Some(Value::Array { shape, elements: elements.into_iter().map(IrExpr::negated).collect() })
                }
            },
            ExprKind::Binary { op: BinaryOp::Tensor, .. } => {
                self.error(
                    Diagnostic::error(
                        Code::E0116,
                        "`@` joins observables, not numbers",
                        expr.span,
                        "a tensor product here",
                    )
                    .with_help("observables appear only inside `expval`, `var` and `sample`"),
                );
                None
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let left = self.evaluate_scalar(lhs, ctx);
                let right = self.evaluate_scalar(rhs, ctx);
                let (left, right) = (left?, right?);
                let op = match op {
                    BinaryOp::Add => ir::BinOp::Add,
                    BinaryOp::Sub => ir::BinOp::Sub,
                    BinaryOp::Mul => ir::BinOp::Mul,
                    BinaryOp::Div => ir::BinOp::Div,
                    BinaryOp::Rem => ir::BinOp::Rem,
                    BinaryOp::Pow => ir::BinOp::Pow,
                    BinaryOp::Tensor => unreachable!("handled above"),
                };
                if matches!(op, ir::BinOp::Div | ir::BinOp::Rem) && right.constant() == Some(0.0) {
                    self.error(Diagnostic::error(Code::E0408, "division by zero", rhs.span, "this is zero"));
                    return None;
                }
                self.finite(IrExpr::binary(op, left, right), expr.span)
            }
            ExprKind::Call { callee, args } => self.evaluate_call(expr, callee, args, ctx),
            ExprKind::Index { base, indices } => self.evaluate_index(expr, base, indices, ctx),
        }
    }

    /// Evaluates an expression that must be a single number.
    pub(super) fn evaluate_scalar(&mut self, expr: &'ast ast::Expr, ctx: Ctx) -> Option<IrExpr> {
        match self.evaluate(expr, ctx)? {
            Value::Scalar(e) => Some(e),
            Value::Array { shape, .. } => {
                let zeros = vec!["0"; shape.len()].join(", ");
                let example = match &expr.kind {
                    ExprKind::Name(name) => format!(", e.g. `{}[{zeros}]`", name.name),
                    _ => String::new(),
                };
                self.error(
                    Diagnostic::error(
                        Code::E0405,
                        format!("expected a number, found an array of shape {}", format_shape_full(&shape)),
                        expr.span,
                        "an array",
                    )
                    .with_help(format!(
                        "index it down to one element with {} ind{}{example}",
                        shape.len(),
                        if shape.len() == 1 { "ex" } else { "ices" }
                    )),
                );
                None
            }
        }
    }

    /// A number known at compile time.
    pub(super) fn constant_number(&mut self, expr: &'ast ast::Expr) -> Option<f64> {
        let value = self.evaluate_scalar(expr, Ctx::Constant)?;
        value.constant()
    }

    /// An integer known at compile time; `what` names it in the message ("a wire", "the number of qubits").
    pub(super) fn constant_integer(&mut self, expr: &'ast ast::Expr, what: &str) -> Option<i64> {
        let value = self.constant_number(expr)?;
        if value.fract() != 0.0 {
            self.error(Diagnostic::error(
                Code::E0112,
                format!("{what} must be an integer"),
                expr.span,
                format!("this is {value}"),
            ));
            return None;
        }
        if value.abs() > 1e15 {
            self.error(Diagnostic::error(
                Code::E0112,
                format!("{what} is far too large"),
                expr.span,
                format!("this is {value}"),
            ));
            return None;
        }
        Some(value as i64)
    }

    fn evaluate_name(&mut self, name: &'ast ast::Ident, ctx: Ctx) -> Option<Value> {
        for scope in self.scopes.iter().rev() {
            if let Some(local) = scope.get(&name.name) {
                let value = local.value.clone();
                if ctx == Ctx::Constant && value_is_symbolic(&value) {
                    self.error(Diagnostic::error(
                        Code::E0111,
                        format!("`{}` depends on inputs or params, so it is not known when compiling", name.name),
                        name.span,
                        "not a compile-time value",
                    ));
                    return None;
                }
                return Some(value);
            }
        }
        if self.poisoned.contains(&name.name) || self.symbols.is_poisoned(&name.name) {
            return None;
        }
        // The resolution pass has recorded this use; elaboration only needs the value.
        if let Some(symbol_id) = self.symbols.global(&name.name) {
            let symbol = &self.symbols[symbol_id];
            return match symbol.kind {
                SymbolKind::Const => self.const_value(symbol_id),
                SymbolKind::Input | SymbolKind::Param => {
                    if ctx == Ctx::Constant {
                        let kind = symbol.kind.describe();
                        let declared = symbol.name_span;
                        self.error(
                            Diagnostic::error(
                                Code::E0111,
                                format!("`{}` is an {kind}, not known when compiling", name.name)
                                    .replace("an param", "a param"),
                                name.span,
                                "needs a compile-time value",
                            )
                            .with_label(declared, format!("`{}` declared here", name.name))
                            .with_help(
                                "shapes, wires, ranges and coefficients take numbers, consts and loop variables",
                            ),
                        );
                        return None;
                    }
                    Some(self.variable_value(symbol_id))
                }
                SymbolKind::Def => {
                    let declared = symbol.name_span;
                    self.name_error(name.span, || names::def_as_value(name, declared));
                    None
                }
                // The table's globals are top-level declarations only.
                SymbolKind::LoopVariable | SymbolKind::MeasureVariable | SymbolKind::DefParameter => None,
            };
        }
        if let Some(value) = builtins::constant(&name.name) {
            return Some(Value::Scalar(IrExpr::Const(value)));
        }
        // Reported by the resolution pass, with its did-you-mean.
        self.name_error(name.span, || names::unknown_value(name, &[]));
        None
    }

    /// The value of an input or param: IR references to its flat elements.
    fn variable_value(&self, symbol_id: SymbolId) -> Value {
        let symbol = &self.symbols[symbol_id];
        let Some(&index) = self.variable_index.get(&symbol_id) else {
            return Value::Scalar(IrExpr::Const(0.0));
        };
        let (variable, make): (&ir::Variable, fn(usize) -> IrExpr) = match symbol.kind {
            SymbolKind::Input => (&self.inputs[index], IrExpr::Input),
            _ => (&self.params[index].variable, IrExpr::Param),
        };
        if variable.shape.is_empty() {
            Value::Scalar(make(variable.offset))
        } else {
            Value::Array {
                shape: variable.shape.clone(),
                elements: (0..variable.size()).map(|i| make(variable.offset + i)).collect(),
            }
        }
    }

    /// Evaluates a const on first use; a cycle is reported once.
    pub(super) fn const_value(&mut self, symbol_id: SymbolId) -> Option<Value> {
        match self.const_states.get(&symbol_id).cloned() {
            Some(ConstState::Done(value)) => value,
            Some(ConstState::InProgress) => {
                let symbol = &self.symbols[symbol_id];
                self.error(Diagnostic::error(
                    Code::E0113,
                    format!("`{}` is defined in terms of itself", symbol.name),
                    symbol.name_span,
                    "this const depends on itself",
                ));
                self.const_states.insert(symbol_id, ConstState::Done(None));
                None
            }
            Some(ConstState::Pending) => {
                self.const_states.insert(symbol_id, ConstState::InProgress);
                let expr = self.const_exprs[&symbol_id];
                // A const's scope is the top level: loop variables of the statement using it do not leak in.
                let saved_scopes = std::mem::take(&mut self.scopes);
                let mut value = self.evaluate(expr, Ctx::Constant);
                self.scopes = saved_scopes;
                let name = &self.symbols[symbol_id].name;
                if let (Some(&given), Some(written)) = (self.const_overrides.get(name), &value) {
                    // The command line's value replaces a scalar const; an array const keeps its
                    // shape, so a number for it is an error here rather than a shape error later.
                    if written.shape().is_empty() {
                        value = Some(Value::Scalar(IrExpr::Const(given)));
                    } else {
                        let shape = written.shape();
                        self.error(Diagnostic::error(
                            Code::E0704,
                            format!(
                                "`--const {name}={given}` gives a number, but `{name}` is an array of shape {shape:?}"
                            ),
                            expr.span,
                            "an array",
                        ));
                        value = None;
                    }
                }
                if let Some(Value::Scalar(IrExpr::Const(c))) = &value {
                    let name = self.symbols[symbol_id].name.clone();
                    self.symbols[symbol_id].detail = format!("const {name} = {c}");
                }
                if let Some(value) = &value {
                    self.symbols[symbol_id].shape = Some(value.shape());
                }
                if matches!(self.const_states.get(&symbol_id), Some(ConstState::InProgress)) {
                    self.const_states.insert(symbol_id, ConstState::Done(value.clone()));
                    value
                } else {
                    None
                }
            }
            None => None,
        }
    }

    fn evaluate_array(&mut self, expr: &'ast ast::Expr, items: &'ast [ast::Expr], ctx: Ctx) -> Option<Value> {
        if items.is_empty() {
            self.error(Diagnostic::error(Code::E0116, "an array needs at least one element", expr.span, "empty array"));
            return None;
        }
        let mut values = Vec::with_capacity(items.len());
        let mut failed = false;
        for item in items {
            match self.evaluate(item, ctx) {
                Some(v) => values.push(v),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        let inner_shape = values[0].shape();
        for (item, value) in items.iter().zip(&values).skip(1) {
            let shape = value.shape();
            if shape != inner_shape {
                self.error(
                    Diagnostic::error(
                        Code::E0116,
                        format!(
                            "array elements differ in shape: {} and {}",
                            format_shape_full(&inner_shape),
                            format_shape_full(&shape)
                        ),
                        item.span,
                        format!("shape {}", format_shape_full(&shape)),
                    )
                    .with_label(items[0].span, format!("shape {}", format_shape_full(&inner_shape))),
                );
                return None;
            }
        }
        let mut shape = vec![items.len()];
        shape.extend(inner_shape);
        let elements = values.iter().flat_map(Value::elements).collect();
        Some(Value::Array { shape, elements })
    }

    fn evaluate_call(
        &mut self,
        expr: &'ast ast::Expr,
        callee: &'ast ast::Ident,
        args: &'ast [ast::Arg],
        ctx: Ctx,
    ) -> Option<Value> {
        let name = callee.name.as_str();
        if let Some(arg) = args.iter().find(|a| a.name.is_some()) {
            self.error(Diagnostic::error(
                Code::E0115,
                format!("`{name}` takes no named arguments"),
                arg.span,
                "a named argument",
            ));
            return None;
        }
        let Some(function) = Function::from_name(name) else {
            // An observable or a measurement is the resolution pass's to report (E0110).
            if let Some(diagnostic) = names::callee_not_a_function(callee) {
                self.name_error(callee.span, || diagnostic);
                return None;
            }
            let diagnostic =
                Diagnostic::error(Code::E0115, format!("unknown function `{name}`"), callee.span, "not a function")
                    .with_closest(callee.span, name, builtins::FUNCTIONS.iter().copied())
                    .or_help(|| format!("the functions are {}", builtins::FUNCTIONS.join(", ")));
            self.error(diagnostic);
            return None;
        };
        let expected = function.arity();
        if args.len() != expected {
            self.error(Diagnostic::error(
                Code::E0115,
                format!(
                    "`{name}` takes {expected} argument{}, but {} {} given",
                    if expected == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
                expr.span,
                format!("{} argument{}", args.len(), if args.len() == 1 { "" } else { "s" }),
            ));
            return None;
        }
        if matches!(function, Function::Sum | Function::Dot) {
            return self.evaluate_reduction(expr, function, args, ctx);
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.evaluate_scalar(&arg.value, ctx));
        }
        let values: Option<Vec<IrExpr>> = values.into_iter().collect();
        let mut values = values?;
        let result = match function {
            Function::One(func) => IrExpr::call(func, values.remove(0)),
            Function::Two(func) => {
                let second = values.remove(1);
                IrExpr::call2(func, values.remove(0), second)
            }
            Function::Mod => {
                let divisor = values.remove(1);
                if divisor.constant() == Some(0.0) {
                    self.error(Diagnostic::error(Code::E0408, "division by zero", args[1].span, "this is zero"));
                    return None;
                }
                IrExpr::binary(ir::BinOp::Rem, values.remove(0), divisor)
            }
            Function::Sum | Function::Dot => unreachable!("reductions are evaluated above"),
        };
        self.finite(result, expr.span)
    }

    /// `sum(ARRAY)` and `dot(ARRAY, ARRAY)`: the arguments are arrays (a dot's of one shape), and
    /// the result is the sum of their elements or of their elementwise products, which the IR
    /// writes with `+` and `*` alone.
    fn evaluate_reduction(
        &mut self,
        expr: &'ast ast::Expr,
        function: Function,
        args: &'ast [ast::Arg],
        ctx: Ctx,
    ) -> Option<Value> {
        let name = function.name();
        let mut arrays = Vec::with_capacity(args.len());
        for arg in args {
            match self.evaluate(&arg.value, ctx) {
                Some(Value::Array { shape, elements }) => arrays.push(Some((shape, elements))),
                Some(Value::Scalar(_)) => {
                    self.error(
                        Diagnostic::error(
                            Code::E0116,
                            format!("`{name}` takes arrays, but this is a number"),
                            arg.value.span,
                            "a number",
                        )
                        .with_help(format!("e.g. `{}`", function.example())),
                    );
                    arrays.push(None);
                }
                None => arrays.push(None),
            }
        }
        let arrays: Option<Vec<(Vec<usize>, Vec<IrExpr>)>> = arrays.into_iter().collect();
        let mut arrays = arrays?;
        let terms: Vec<IrExpr> = if function == Function::Sum {
            arrays.remove(0).1
        } else {
            let (right_shape, right) = arrays.remove(1);
            let (left_shape, left) = arrays.remove(0);
            if left_shape != right_shape {
                self.error(
                    Diagnostic::error(
                        Code::E0116,
                        format!(
                            "`dot` needs two arrays of one shape, but they are {} and {}",
                            format_shape_full(&left_shape),
                            format_shape_full(&right_shape)
                        ),
                        args[1].value.span,
                        format!("shape {}", format_shape_full(&right_shape)),
                    )
                    .with_label(args[0].value.span, format!("shape {}", format_shape_full(&left_shape)))
                    .with_help("slice the longer one, e.g. `w[0..2]`"),
                );
                return None;
            }
            left.into_iter().zip(right).map(|(a, b)| IrExpr::binary(ir::BinOp::Mul, a, b)).collect()
        };
        self.finite(balanced_sum(terms), expr.span)
    }
    /// A scalar result, unless it is a constant with no finite value (reported).
    fn finite(&mut self, result: IrExpr, span: Span) -> Option<Value> {
        if let Some(value) = result.constant().filter(|v| !v.is_finite()) {
            self.error(Diagnostic::error(
                Code::E0408,
                "this expression has no finite value",
                span,
                format!("evaluates to {value}"),
            ));
            return None;
        }
        Some(Value::Scalar(result))
    }

    /// Evaluates the dimensions of a declared shape in the top-level scope; a dimension that is not
    /// a positive integer is reported and given as `None`, and so is every dimension of a shape with
    /// more than [`MAX_ELEMENTS`] elements.
    pub(super) fn dimensions(&mut self, dims: &'ast [ast::Expr]) -> Vec<Option<usize>> {
        let saved_scopes = std::mem::take(&mut self.scopes);
        let mut shape = Vec::with_capacity(dims.len());
        for dim in dims {
            shape.push(match self.constant_integer(dim, "a dimension") {
                Some(n) if n >= 1 => Some(n as usize),
                Some(n) => {
                    self.error(Diagnostic::error(
                        Code::E0407,
                        "a dimension must be a positive integer",
                        dim.span,
                        format!("this is {n}"),
                    ));
                    None
                }
                None => None,
            });
        }
        self.scopes = saved_scopes;
        let elements = shape.iter().flatten().fold(1usize, |n, &d| n.saturating_mul(d));
        if elements > MAX_ELEMENTS {
            let span = dims[0].span.to(dims[dims.len() - 1].span);
            self.error(
                Diagnostic::error(
                    Code::E0407,
                    format!("this shape has {elements} elements, more than qmlc accepts ({MAX_ELEMENTS})"),
                    span,
                    "too large",
                )
                .with_help("an input or param holds at most 1048576 numbers"),
            );
            return vec![None; shape.len()];
        }
        shape
    }

    fn evaluate_index(
        &mut self,
        expr: &'ast ast::Expr,
        base: &'ast ast::Expr,
        indices: &'ast [ast::Index],
        ctx: Ctx,
    ) -> Option<Value> {
        let base_value = self.evaluate(base, ctx)?;
        let (shape, elements) = match base_value {
            Value::Scalar(_) => {
                self.error(
                    Diagnostic::error(Code::E0402, "a number cannot be indexed", expr.span, "indexed here")
                        .with_label(base.span, "this is a number"),
                );
                return None;
            }
            Value::Array { shape, elements } => (shape, elements),
        };
        if indices.len() > shape.len() {
            let mut diagnostic = Diagnostic::error(
                Code::E0402,
                format!(
                    "too many indices: {} given for an array of shape {}",
                    indices.len(),
                    format_shape_full(&shape)
                ),
                expr.span,
                format!("{} indices", indices.len()),
            );
            if let Some(declared) = self.declaration_of(base) {
                diagnostic =
                    diagnostic.with_label(declared, format!("declared with shape {}", format_shape_full(&shape)));
            }
            self.error(diagnostic);
            return None;
        }
        // Walk the indices, narrowing a row-major block: `offset`/`kept` describe which elements remain.
        let strides: Vec<usize> = (0..shape.len()).map(|d| shape[d + 1..].iter().product()).collect();
        let mut selections: Vec<Vec<usize>> = Vec::with_capacity(shape.len());
        let mut result_shape = Vec::new();
        let mut failed = false;
        for (dim, index) in indices.iter().enumerate() {
            let extent = shape[dim];
            match index {
                ast::Index::Single(e) => match self.constant_integer(e, "an index") {
                    Some(i) if i >= 0 && (i as usize) < extent => selections.push(vec![i as usize]),
                    Some(i) => {
                        self.report_out_of_bounds(base, e.span, i, dim, extent, &shape);
                        failed = true;
                    }
                    None => failed = true,
                },
                ast::Index::Range(a, b) => {
                    let (start, end) = (self.constant_integer(a, "an index"), self.constant_integer(b, "an index"));
                    let (Some(start), Some(end)) = (start, end) else {
                        failed = true;
                        continue;
                    };
                    if start < 0 || end as usize > extent || start >= end {
                        let span = index.span();
                        if start >= end {
                            self.error(Diagnostic::error(
                                Code::E0401,
                                format!("the range {start}..{end} is empty"),
                                span,
                                "empty range",
                            ));
                        } else {
                            self.report_out_of_bounds(
                                base,
                                span,
                                if start < 0 { start } else { end - 1 },
                                dim,
                                extent,
                                &shape,
                            );
                        }
                        failed = true;
                        continue;
                    }
                    result_shape.push((end - start) as usize);
                    selections.push((start as usize..end as usize).collect());
                }
            }
        }
        if failed {
            return None;
        }
        for &extent in &shape[indices.len()..] {
            result_shape.push(extent);
            selections.push((0..extent).collect());
        }
        let mut picked = vec![0usize];
        for (dim, selection) in selections.iter().enumerate() {
            let stride = strides[dim];
            picked =
                picked.iter().flat_map(|base_offset| selection.iter().map(move |i| base_offset + i * stride)).collect();
        }
        let picked: Vec<IrExpr> = picked.into_iter().map(|i| elements[i].clone()).collect();
        if result_shape.is_empty() {
            Some(Value::Scalar(picked.into_iter().next().expect("one element is selected")))
        } else {
            Some(Value::Array { shape: result_shape, elements: picked })
        }
    }

    fn report_out_of_bounds(
        &mut self,
        base: &ast::Expr,
        span: Span,
        index: i64,
        dim: usize,
        extent: usize,
        shape: &[usize],
    ) {
        let mut diagnostic = Diagnostic::error(
            Code::E0401,
            format!("index {index} is out of bounds for dimension {dim} of size {extent}"),
            span,
            format!("valid indices are 0..{extent}"),
        );
        if let Some(declared) = self.declaration_of(base) {
            diagnostic = diagnostic.with_label(declared, format!("declared with shape {}", format_shape_full(shape)));
        }
        self.error(diagnostic);
    }

    /// The declaration span of the variable an expression names or indexes, for secondary labels.
    pub(super) fn declaration_of(&self, expr: &ast::Expr) -> Option<Span> {
        match &expr.kind {
            ExprKind::Name(name) => {
                if self.scopes.iter().any(|s| s.contains_key(&name.name)) {
                    return None;
                }
                self.symbols.global(&name.name).map(|id| self.symbols[id].name_span)
            }
            ExprKind::Index { base, .. } => self.declaration_of(base),
            _ => None,
        }
    }

    pub(super) fn push_scope(&mut self) {
        self.scopes.push(Default::default());
    }

    pub(super) fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    pub(super) fn bind_local(&mut self, name: &str, value: Value) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), Local { value });
        }
    }
}

/// What a function name in an expression stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Function {
    One(ir::Func),
    Two(ir::Func2),
    /// `mod(a, b)`, the IR's floored remainder.
    Mod,
    Sum,
    Dot,
}

impl Function {
    fn from_name(name: &str) -> Option<Function> {
        if let Some(func) = ir::Func::from_name(name) {
            return Some(Function::One(func));
        }
        if let Some(func) = ir::Func2::from_name(name) {
            return Some(Function::Two(func));
        }
        match name {
            "mod" => Some(Function::Mod),
            "sum" => Some(Function::Sum),
            "dot" => Some(Function::Dot),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Function::One(func) => func.name(),
            Function::Two(func) => func.name(),
            Function::Mod => "mod",
            Function::Sum => "sum",
            Function::Dot => "dot",
        }
    }

    fn arity(self) -> usize {
        match self {
            Function::One(_) | Function::Sum => 1,
            Function::Two(_) | Function::Mod | Function::Dot => 2,
        }
    }

    /// A use, for the help of an error.
    fn example(self) -> &'static str {
        match self {
            Function::Dot => "dot(w[0..2], x)",
            _ => "sum(w[0..2])",
        }
    }
}

/// The sum of `terms`, added in pairs so that the tree is only logarithmically deep however many
/// terms there are (evaluation and differentiation recurse through it).
fn balanced_sum(mut terms: Vec<IrExpr>) -> IrExpr {
    if terms.is_empty() {
        return IrExpr::Const(0.0);
    }
    while terms.len() > 1 {
        let mut paired = Vec::with_capacity(terms.len().div_ceil(2));
        let mut rest = terms.into_iter();
        while let Some(first) = rest.next() {
            paired.push(match rest.next() {
                Some(second) => IrExpr::binary(ir::BinOp::Add, first, second),
                None => first,
            });
        }
        terms = paired;
    }
    terms.pop().expect("one term is left")
}

fn value_is_symbolic(value: &Value) -> bool {
    match value {
        Value::Scalar(e) => e.constant().is_none(),
        Value::Array { elements, .. } => elements.iter().any(|e| e.constant().is_none()),
    }
}
