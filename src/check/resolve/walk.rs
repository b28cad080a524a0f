//! The walk of the resolution pass: every declaration first, then every body once, reporting
//! the names that are unknown or of the wrong kind as it meets them.

use super::{doc_comment, Reference, Symbol, SymbolId, SymbolKind, SymbolTable};
use crate::ast::{self, ExprKind, ItemKind, StmtKind};
use crate::check::{builtins, names};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::GateKind;
use crate::lexer::{Comment, Trivia};
use crate::source::Span;
use std::collections::HashMap;

/// Builds the symbol table of a program; `text` is the source it was parsed from (for hover
/// details) and `trivia` its comments (for doc comments). Returns the diagnostics about names
/// (E0101, E0102, E0103, E0104, E0110).
pub fn resolve(program: &ast::Program, text: &str, trivia: &Trivia) -> (SymbolTable, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        text,
        comments: &trivia.comments,
        table: SymbolTable::default(),
        diagnostics: Vec::new(),
        locals: Vec::new(),
        const_values: HashMap::new(),
        const_exprs: HashMap::new(),
        quiet: 0,
        n_suggestions: 0,
    };
    resolver.declare(program);
    resolver.walk_items(program);
    let mut table = resolver.table;
    for symbol in &mut table.symbols {
        symbol.uses.sort();
        symbol.uses.dedup();
    }
    table.references.sort_by_key(|r| (r.span.start, r.span.end));
    table.references.dedup();
    (table, resolver.diagnostics)
}

/// How far the static evaluation of a const has got.
#[derive(Clone, Copy)]
enum StaticValue {
    InProgress,
    Done(Option<f64>),
}

struct Resolver<'a> {
    text: &'a str,
    comments: &'a [Comment],
    table: SymbolTable,
    diagnostics: Vec<Diagnostic>,
    /// The locals in scope, innermost last.
    locals: Vec<(String, SymbolId)>,
    /// Consts evaluated for static shapes, each once.
    const_values: HashMap<SymbolId, StaticValue>,
    const_exprs: HashMap<SymbolId, &'a ast::Expr>,
    /// Above zero while walking an expression elaboration does not read as a value: its names are
    /// recorded, not reported.
    quiet: usize,
    /// How many unknown names and gates have been reported (each with a did-you-mean search).
    n_suggestions: usize,
}

impl<'a> Resolver<'a> {
    fn push_symbol(&mut self, symbol: Symbol) -> SymbolId {
        let id = SymbolId(self.table.symbols.len() as u32);
        self.table.references.push(Reference { span: symbol.name_span, symbol: id, is_definition: true });
        self.table.symbols.push(symbol);
        id
    }

    fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Every top-level name first, so that uses may come before declarations.
    fn declare(&mut self, program: &'a ast::Program) {
        // The name a misspelt declaration meant to declare (`parm w[2]` declares `w`) is poisoned,
        // so that its uses are not reported as undeclared too.
        for item in &program.items {
            if let ItemKind::Stmt(ast::Stmt {
                kind: StmtKind::Apply { name, wires: ast::Wires::Listed(items), .. },
                ..
            }) = &item.kind
            {
                if matches!(builtins::misspelt_keyword(&name.name), Some("param" | "input" | "const" | "def")) {
                    if let Some(ast::WireItem::Single(first)) = items.first() {
                        if let Some(declared) = declared_name(first) {
                            self.table.poisoned.insert(declared.to_string());
                        }
                    }
                }
            }
        }
        for item in &program.items {
            let (name, kind, value) = match &item.kind {
                ItemKind::Const { name, value } => (name, SymbolKind::Const, Some(value.span)),
                ItemKind::Input { name, .. } => (name, SymbolKind::Input, None),
                ItemKind::Param { name, init, .. } => (name, SymbolKind::Param, init.as_ref().map(|e| e.span)),
                ItemKind::Def { name, .. } => (name, SymbolKind::Def, None),
                _ => continue,
            };
            if name.name.is_empty() {
                continue;
            }
            if builtins::is_reserved(&name.name)
                || (kind == SymbolKind::Def && GateKind::from_name(&name.name).is_some())
            {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E0104,
                        format!("`{}` is {} and cannot be redeclared", name.name, builtins::builtin_kind(&name.name)),
                        name.span,
                        "this name is taken by a builtin",
                    )
                    .with_help("choose another name"),
                );
                self.table.refused.push(name.name.clone());
                self.table.poisoned.insert(name.name.clone());
                continue;
            }
            if let Some(&first) = self.table.globals.get(&name.name) {
                let first_span = self.table[first].name_span;
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::E0103,
                        format!("`{}` is declared more than once", name.name),
                        name.span,
                        "declared again here",
                    )
                    .with_label(first_span, "first declared here")
                    .with_help("each name is declared once; rename one of them"),
                );
                continue;
            }
            let detail = match &item.kind {
                ItemKind::Const { .. } => format!("const {} = …", name.name),
                ItemKind::Def { params, .. } => {
                    let signature = params.iter().map(|p| p.name.name.clone()).collect::<Vec<_>>().join(", ");
                    format!("def {}({signature})", name.name)
                }
                _ => String::new(),
            };
            let id = self.push_symbol(Symbol {
                name: name.name.clone(),
                kind,
                name_span: name.span,
                span: item.span,
                scope: None,
                shape: None,
                value,
                doc: doc_comment(self.text, self.comments, item.span.start as usize),
                detail,
                uses: Vec::new(),
            });
            self.table.globals.insert(name.name.clone(), id);
            if let ItemKind::Const { value, .. } = &item.kind {
                self.const_exprs.insert(id, value);
            }
        }
        // Shapes the text fixes, now that every const is known.
        for item in &program.items {
            let (name, dims) = match &item.kind {
                ItemKind::Input { name, shape } | ItemKind::Param { name, shape, .. } => (name, shape),
                ItemKind::Const { name, value } => {
                    if let Some(id) = self.own_global(name) {
                        let shape = self.static_shape(value);
                        self.table[id].shape = shape;
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(id) = self.own_global(name) {
                let shape = self.static_dims(dims.as_deref());
                self.table[id].shape = shape;
            }
        }
    }

    /// The symbol this declaration created (none when it was refused or repeated).
    fn own_global(&self, name: &ast::Ident) -> Option<SymbolId> {
        self.table.global(&name.name).filter(|&id| self.table[id].name_span == name.span)
    }

    fn walk_items(&mut self, program: &'a ast::Program) {
        for item in &program.items {
            self.table.visits += 1;
            match &item.kind {
                ItemKind::Qubits(count) => self.walk_value(count),
                ItemKind::Input { shape, .. } => self.walk_dims(shape.as_deref()),
                ItemKind::Param { shape, init, .. } => {
                    self.walk_dims(shape.as_deref());
                    if let Some(init) = init {
                        self.walk_initializer(init);
                    }
                }
                ItemKind::Const { value, .. } => self.walk_value(value),
                ItemKind::Def { name, params, body } => self.walk_def(name, params, body),
                ItemKind::Circuit { body, .. } => self.walk_block(body),
                ItemKind::Measure(list) => {
                    for measured in list {
                        self.walk_measurement(measured);
                    }
                }
                ItemKind::MeasureFor { var, start, end, items } => {
                    self.walk_value(start);
                    self.walk_value(end);
                    let scope = match (items.first(), items.last()) {
                        (Some(first), Some(last)) => first.span.to(last.span),
                        _ => var.span,
                    };
                    let depth = self.locals.len();
                    self.bind_local(var, SymbolKind::MeasureVariable, item.span, scope, start, end);
                    for measured in items {
                        self.walk_measurement(measured);
                    }
                    self.locals.truncate(depth);
                }
                ItemKind::Head(layers) | ItemKind::Encode(layers) => {
                    for layer in layers {
                        self.walk_head_layer(layer);
                    }
                }
                ItemKind::Train { fields, .. } => {
                    for field in fields {
                        self.walk_field(field);
                    }
                }
                ItemKind::UnknownBlock { keyword, body, .. } => {
                    // Elaboration reads the body of a misspelt `circuit` only.
                    if builtins::misspelt_keyword(&keyword.name) == Some("circuit") {
                        self.walk_block(body);
                    }
                }
                ItemKind::Stmt(statement) => {
                    // `parm w[2]` is a misspelt declaration, not an application of `parm`.
                    let misspelt = matches!(
                        &statement.kind,
                        StmtKind::Apply { name, .. } if builtins::misspelt_keyword(&name.name).is_some()
                    );
                    // A statement outside `circuit { … }` is reported as misplaced (E0109) and not
                    // elaborated; its names are recorded but not judged, so one mistake makes one
                    // report.
                    if !misspelt {
                        self.quietly(|resolver| resolver.walk_stmt(statement));
                    }
                }
                ItemKind::Error => {}
            }
        }
    }

    fn walk_def(&mut self, name: &ast::Ident, params: &'a [ast::DefParam], body: &'a ast::Block) {
        // A def's parameter shapes are read at the top level, where its body's names are not.
        for param in params {
            self.walk_dims(param.shape.as_deref());
        }
        let depth = self.locals.len();
        let def_name = &name.name;
        for param in params {
            if param.name.name.is_empty() {
                continue;
            }
            let shape = self.static_dims(param.shape.as_deref());
            let id = self.push_symbol(Symbol {
                name: param.name.name.clone(),
                kind: SymbolKind::DefParameter,
                name_span: param.name.span,
                span: param.span,
                scope: Some(body.span),
                shape,
                value: None,
                doc: None,
                detail: format!("{} (parameter of `{def_name}`)", self.slice(param.span)),
                uses: Vec::new(),
            });
            self.locals.push((param.name.name.clone(), id));
        }
        self.walk_block(body);
        self.locals.truncate(depth);
    }

    /// Declares a loop's variable, visible in `scope`, as the innermost local.
    fn bind_local(
        &mut self,
        var: &ast::Ident,
        kind: SymbolKind,
        span: Span,
        scope: Span,
        start: &ast::Expr,
        end: &ast::Expr,
    ) {
        if var.name.is_empty() {
            return;
        }
        let range = start.span.to(end.span);
        let keyword = if kind == SymbolKind::MeasureVariable { "measure for" } else { "for" };
        let id = self.push_symbol(Symbol {
            name: var.name.clone(),
            kind,
            name_span: var.span,
            span,
            scope: Some(scope),
            shape: Some(Vec::new()),
            value: Some(range),
            doc: None,
            detail: format!("{keyword} {} in {}", var.name, self.slice(range)),
            uses: Vec::new(),
        });
        self.locals.push((var.name.clone(), id));
    }

    fn walk_block(&mut self, block: &'a ast::Block) {
        for statement in &block.stmts {
            self.walk_stmt(statement);
        }
    }

    fn walk_stmt(&mut self, statement: &'a ast::Stmt) {
        self.table.visits += 1;
        match &statement.kind {
            StmtKind::Apply { name, args, wires } => {
                self.walk_application(name, args.as_ref());
                let items = match wires {
                    ast::Wires::None => &[][..],
                    ast::Wires::Listed(items) | ast::Wires::On(_, items) => items.as_slice(),
                };
                for item in items {
                    match item {
                        ast::WireItem::Single(wire) => self.walk_value(wire),
                        ast::WireItem::Range(start, end) => {
                            self.walk_value(start);
                            self.walk_value(end);
                        }
                    }
                }
            }
            StmtKind::For { var, start, end, body } => {
                self.walk_value(start);
                self.walk_value(end);
                let depth = self.locals.len();
                self.bind_local(var, SymbolKind::LoopVariable, statement.span, body.span, start, end);
                self.walk_block(body);
                self.locals.truncate(depth);
            }
            StmtKind::Adj { body, .. } | StmtKind::BareBlock(body) => self.walk_block(body),
            StmtKind::Ctrl { controls, body, .. } => {
                for control in controls {
                    self.walk_value(control);
                }
                self.walk_block(body);
            }
            StmtKind::Error => {}
        }
    }

    fn walk_dims(&mut self, dims: Option<&'a [ast::Expr]>) {
        // Shapes are read at the top level: the locals of the statement around them do not count.
        let saved = std::mem::take(&mut self.locals);
        for dim in dims.unwrap_or(&[]) {
            self.walk_value(dim);
        }
        self.locals = saved;
    }

    /// The name and arguments of an application. Elaboration looks applied names up among the
    /// declarations only, never the locals, and evaluates the arguments only of a gate, a template
    /// or a def; a template's words (`rotation = X`, `imprimitive = cz`) are not values.
    fn walk_application(&mut self, name: &ast::Ident, args: Option<&'a ast::ArgList>) {
        let args: &'a [ast::Arg] = args.map(|a| a.args.as_slice()).unwrap_or(&[]);
        if GateKind::from_name(&name.name).is_some() {
            for arg in args {
                // A named angle is refused (E0303) before its value is read.
                self.walk_value_if(arg.name.is_none(), &arg.value);
            }
        } else if builtins::is_template(&name.name) {
            let (positional, keywords) = builtins::template_signature(&name.name);
            let mut position = 0;
            for arg in args {
                let slot = match &arg.name {
                    None => {
                        position += 1;
                        positional.get(position - 1).copied()
                    }
                    Some(given) => positional.iter().chain(&keywords).find(|k| **k == given.name).copied(),
                };
                let is_value = match slot {
                    None
                    | Some(
                        "rotation" | "imprimitive" | "normalize" | "entanglement" | "paulis" | "local_field"
                        | "rotations" | "block",
                    ) => false,
                    Some("pad") => !matches!(&arg.value.kind, ExprKind::Name(n) if n.name == "none"),
                    Some(_) => true,
                };
                self.walk_value_if(is_value, &arg.value);
            }
        } else {
            let def = match self.table.global(&name.name) {
                Some(id) => {
                    self.add_use(id, name.span);
                    let (kind, declared) = (self.table[id].kind, self.table[id].name_span);
                    if kind != SymbolKind::Def {
                        self.report(names::not_a_gate(name, kind, declared));
                    }
                    kind == SymbolKind::Def
                }
                None => {
                    if !name.name.is_empty() && self.quiet == 0 {
                        // As for unknown values: the defs are searched for the first few unknown
                        // gates only.
                        self.n_suggestions += 1;
                        let def_names: Vec<String> = if self.n_suggestions <= crate::check::MAX_SUGGESTIONS {
                            self.table
                                .symbols
                                .iter()
                                .filter(|s| s.kind == SymbolKind::Def)
                                .map(|s| s.name.clone())
                                .collect()
                        } else {
                            Vec::new()
                        };
                        self.report(names::unknown_gate(name, &def_names));
                    }
                    false
                }
            };
            for arg in args {
                // Only a def's positional arguments are read; those of something that is not a
                // gate may be a template's words.
                self.walk_value_if(def && arg.name.is_none(), &arg.value);
            }
        }
    }

    /// A measurement: its name is a keyword, and `expval`, `var` and `sample` take an observable.
    fn walk_measurement(&mut self, expr: &'a ast::Expr) {
        self.table.visits += 1;
        match &expr.kind {
            ExprKind::Name(_) | ExprKind::Error => {}
            ExprKind::Call { callee, args } => match (callee.name.as_str(), args.as_slice()) {
                ("probs", _) => {
                    for arg in args {
                        self.walk_value(&arg.value);
                    }
                }
                ("expval" | "var" | "sample", [arg]) if arg.name.is_none() => self.walk_observable(&arg.value),
                _ => {
                    for arg in args {
                        self.walk_value_if(false, &arg.value);
                    }
                }
            },
            // Not a measurement (E0502): nothing in it is read.
            _ => self.walk_value_if(false, expr),
        }
    }

    /// An observable, read as elaboration reads it: the wires of Pauli words and the constant
    /// factors are values, and whatever is not an observable is reported there (E0503).
    fn walk_observable(&mut self, expr: &'a ast::Expr) {
        self.table.visits += 1;
        match &expr.kind {
            ExprKind::Call { callee, args } if builtins::OBSERVABLES.contains(&callee.name.as_str()) => {
                // `projector` and `hermitian` read a constant array and wires, all by position.
                let reads_all = matches!(callee.name.as_str(), "projector" | "hermitian")
                    && args.len() >= 2
                    && args.iter().all(|arg| arg.name.is_none());
                for arg in args {
                    self.walk_value_if(args.len() == 1 || reads_all, &arg.value);
                }
            }
            ExprKind::Binary { op: ast::BinaryOp::Tensor, lhs, rhs } => {
                self.walk_observable(lhs);
                self.walk_observable(rhs);
            }
            ExprKind::Binary { op: ast::BinaryOp::Add | ast::BinaryOp::Sub, lhs, rhs }
                if crate::check::measure::contains_observable(expr) =>
            {
                self.walk_observable(lhs);
                self.walk_observable(rhs);
            }
            ExprKind::Binary { op: op @ (ast::BinaryOp::Mul | ast::BinaryOp::Div), lhs, rhs } => {
                match (crate::check::measure::contains_observable(lhs), crate::check::measure::contains_observable(rhs))
                {
                    (false, true) if *op == ast::BinaryOp::Mul => {
                        self.walk_value(lhs);
                        self.walk_observable(rhs);
                    }
                    (true, false) => {
                        self.walk_observable(lhs);
                        self.walk_value(rhs);
                    }
                    _ => self.walk_value_if(false, expr),
                }
            }
            ExprKind::Neg(inner) => self.walk_observable(inner),
            _ => self.walk_value_if(false, expr),
        }
    }

    /// A head or encode layer: `linear(k)`, `scale(c)` and `map(MATRIX)` have a value in them
    /// (a `linear`'s `bias = …` is a word).
    fn walk_head_layer(&mut self, layer: &'a ast::Expr) {
        self.table.visits += 1;
        match &layer.kind {
            ExprKind::Call { callee, args } if ["linear", "scale", "map"].contains(&callee.name.as_str()) => {
                let positional = args.iter().filter(|a| a.name.is_none()).count();
                for arg in args {
                    self.walk_value_if(positional == 1 && arg.name.is_none(), &arg.value);
                }
            }
            ExprKind::Call { args, .. } => {
                for arg in args {
                    self.walk_value_if(false, &arg.value);
                }
            }
            _ => {}
        }
    }

    /// A param's initializer: `zeros` and `ones` are keywords, an initializer's arguments are
    /// values when their number is right, and a literal value is a value.
    fn walk_initializer(&mut self, init: &'a ast::Expr) {
        self.table.visits += 1;
        match &init.kind {
            ExprKind::Name(_) => {}
            ExprKind::Call { callee, args } => {
                let expected = builtins::INITIALIZERS
                    .contains(&callee.name.as_str())
                    .then(|| crate::builtins::find(crate::builtins::Kind::Initializer, &callee.name))
                    .map(|initializer| initializer.map_or(0, |initializer| initializer.args.len()));
                let read = expected == Some(args.len()) && args.iter().all(|a| a.name.is_none());
                for arg in args {
                    self.walk_value_if(read, &arg.value);
                }
            }
            ExprKind::Array(_) | ExprKind::Number { .. } | ExprKind::Neg(_) | ExprKind::Binary { .. } => {
                self.walk_value(init)
            }
            _ => self.walk_value_if(false, init),
        }
    }

    /// A data source, feature map or optimizer such as `adam(lr = rate)`: its name is a keyword,
    /// its arguments are values.
    fn walk_keyword_call(&mut self, expr: &'a ast::Expr) {
        self.table.visits += 1;
        match &expr.kind {
            ExprKind::Call { args, .. } => {
                for arg in args {
                    // `qng(approx = diag)` takes a word, not a value.
                    if arg.name.as_ref().is_some_and(|name| name.name == "approx") {
                        continue;
                    }
                    self.walk_value(&arg.value);
                }
            }
            ExprKind::Name(_) => {}
            _ => self.walk_value(expr),
        }
    }

    fn walk_field(&mut self, field: &'a ast::Field) {
        self.table.visits += 1;
        // A bare field (`minimize`) has no value to read.
        let Some(value) = &field.value else { return };
        match field.name.name.as_str() {
            // These take words, not values.
            "loss" | "gradient" | "shuffle" | "minimize" | "maximize" => self.table.visits += 1,
            "data" | "features" | "optimizer" | "schedule" => self.walk_keyword_call(value),
            _ if matches!(&value.kind, ExprKind::Name(n) if n.name == "none") => self.table.visits += 1,
            // An unknown field (E0701) is not read.
            name if !builtins::TRAIN_FIELDS.contains(&name) => self.walk_value_if(false, value),
            _ => self.walk_value(value),
        }
    }

    /// Walks a value, reporting its names only if `is_value` (elaboration reads it as one).
    fn walk_value_if(&mut self, is_value: bool, expr: &'a ast::Expr) {
        if is_value {
            self.walk_value(expr);
        } else {
            self.quietly(|resolver| resolver.walk_value(expr));
        }
    }

    /// Runs `walk` recording names without reporting them.
    fn quietly(&mut self, walk: impl FnOnce(&mut Self)) {
        self.quiet += 1;
        walk(self);
        self.quiet -= 1;
    }

    /// Resolves the names of an expression read as a value.
    fn walk_value(&mut self, expr: &'a ast::Expr) {
        self.table.visits += 1;
        match &expr.kind {
            ExprKind::Number { .. } | ExprKind::Bool(_) | ExprKind::Str(_) | ExprKind::Error => {}
            ExprKind::Name(name) => self.resolve_name(name),
            // A callee is a builtin function, never a symbol; elaboration reads the arguments of a
            // function only.
            ExprKind::Call { callee, args } => {
                if let Some(diagnostic) = names::callee_not_a_function(callee) {
                    self.report(diagnostic);
                }
                let function = builtins::FUNCTIONS.contains(&callee.name.as_str());
                let read = function && args.iter().all(|a| a.name.is_none());
                for arg in args {
                    self.walk_value_if(read, &arg.value);
                }
            }
            ExprKind::Array(items) => {
                for item in items {
                    self.walk_value(item);
                }
            }
            ExprKind::Index { base, indices } => {
                self.walk_value(base);
                for index in indices {
                    match index {
                        ast::Index::Single(e) => self.walk_value(e),
                        ast::Index::Range(a, b) => {
                            self.walk_value(a);
                            self.walk_value(b);
                        }
                    }
                }
            }
            ExprKind::Neg(operand) | ExprKind::Paren(operand) => self.walk_value(operand),
            // `@` in a number is refused (E0116) before its sides are read.
            ExprKind::Binary { op: ast::BinaryOp::Tensor, lhs, rhs } => {
                self.walk_value_if(false, lhs);
                self.walk_value_if(false, rhs);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.walk_value(lhs);
                self.walk_value(rhs);
            }
        }
    }

    fn resolve_name(&mut self, name: &ast::Ident) {
        if let Some(&(_, id)) = self.locals.iter().rev().find(|(n, _)| *n == name.name) {
            self.add_use(id, name.span);
        } else if let Some(id) = self.table.global(&name.name) {
            self.add_use(id, name.span);
            let symbol = &self.table[id];
            if symbol.kind == SymbolKind::Def {
                let diagnostic = names::def_as_value(name, symbol.name_span);
                self.report(diagnostic);
            }
        } else if builtins::constant(&name.name).is_none() && !name.name.is_empty() {
            if !is_builtin(&name.name) {
                self.table.unresolved.push(name.clone());
            }
            if self.quiet == 0 && !self.table.poisoned.contains(&name.name) {
                self.report_unknown_value(name);
            }
        }
    }

    /// E0101 for a name nothing declares, or E0110 for a gate or an observable read as a value.
    fn report_unknown_value(&mut self, name: &ast::Ident) {
        // A suggestion compares the name with every declared one; past the first few unknown
        // names that would make checking a file quadratic in its declarations, so the rest go
        // without.
        self.n_suggestions += 1;
        let mut candidates: Vec<String> = Vec::new();
        if self.n_suggestions <= crate::check::MAX_SUGGESTIONS {
            candidates.extend(self.locals.iter().map(|(n, _)| n.clone()));
            candidates.extend(
                self.table
                    .symbols
                    .iter()
                    .filter(|s| !s.kind.is_local() && s.kind != SymbolKind::Def)
                    .map(|s| s.name.clone()),
            );
            candidates.extend(builtins::CONSTANTS.iter().map(|(n, _)| n.to_string()));
        }
        self.report(names::unknown_value(name, &candidates));
    }

    /// Reports a name's mistake, unless the walk is quiet, and remembers where.
    fn report(&mut self, diagnostic: Diagnostic) {
        if self.quiet > 0 {
            return;
        }
        self.table.reported.insert(diagnostic.primary.span);
        self.diagnostics.push(diagnostic);
    }

    fn add_use(&mut self, id: SymbolId, span: Span) {
        self.table[id].uses.push(span);
        self.table.references.push(Reference { span, symbol: id, is_definition: false });
    }

    /// A declared shape whose dimensions the text fixes (numbers and consts of numbers); `[]`
    /// when none is written.
    fn static_dims(&mut self, dims: Option<&'a [ast::Expr]>) -> Option<Vec<usize>> {
        let Some(dims) = dims else { return Some(Vec::new()) };
        dims.iter()
            .map(|dim| {
                let value = self.static_number(dim)?;
                (value >= 1.0 && value.fract() == 0.0 && value <= crate::check::expr::MAX_ELEMENTS as f64)
                    .then_some(value as usize)
            })
            .collect()
    }

    /// The shape of a const's value, when the text fixes it.
    fn static_shape(&mut self, expr: &'a ast::Expr) -> Option<Vec<usize>> {
        match &expr.kind {
            ExprKind::Paren(inner) => self.static_shape(inner),
            ExprKind::Array(items) => {
                let first = self.static_shape(items.first()?)?;
                let mut shape = vec![items.len()];
                shape.extend(first);
                Some(shape)
            }
            ExprKind::Number { .. } | ExprKind::Neg(_) | ExprKind::Binary { .. } | ExprKind::Call { .. } => {
                Some(Vec::new())
            }
            ExprKind::Name(name) if self.static_number(expr).is_some() || builtins::constant(&name.name).is_some() => {
                Some(Vec::new())
            }
            _ => None,
        }
    }

    /// The value of a number the text fixes: literals, builtin constants and consts of them,
    /// joined by arithmetic. Each const is evaluated once.
    fn static_number(&mut self, expr: &'a ast::Expr) -> Option<f64> {
        match &expr.kind {
            ExprKind::Number { value, .. } => Some(*value),
            ExprKind::Paren(inner) => self.static_number(inner),
            ExprKind::Neg(operand) => Some(-self.static_number(operand)?),
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (self.static_number(lhs)?, self.static_number(rhs)?);
                let value = match op {
                    ast::BinaryOp::Add => a + b,
                    ast::BinaryOp::Sub => a - b,
                    ast::BinaryOp::Mul => a * b,
                    ast::BinaryOp::Div => a / b,
                    ast::BinaryOp::Rem => a % b,
                    ast::BinaryOp::Pow => a.powf(b),
                    ast::BinaryOp::Tensor => return None,
                };
                value.is_finite().then_some(value)
            }
            ExprKind::Name(name) => {
                if let Some(value) = builtins::constant(&name.name) {
                    return Some(value);
                }
                let id = self.table.global(&name.name)?;
                let value_expr = *self.const_exprs.get(&id)?;
                match self.const_values.get(&id) {
                    Some(StaticValue::Done(value)) => *value,
                    Some(StaticValue::InProgress) => None,
                    None => {
                        self.const_values.insert(id, StaticValue::InProgress);
                        let value = self.static_number(value_expr);
                        self.const_values.insert(id, StaticValue::Done(value));
                        value
                    }
                }
            }
            _ => None,
        }
    }
}

/// Whether a name read as a value is one of the language's own: a constant, or a reserved name
/// (`names::unknown_value` says what is wrong with reading a gate or an observable as a value).
fn is_builtin(name: &str) -> bool {
    builtins::constant(name).is_some() || builtins::is_reserved(name) || GateKind::from_name(name).is_some()
}

/// The name at the head of `w`, `w[2]` or `w = …`: what a misspelt declaration was declaring.
fn declared_name(expr: &ast::Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Name(name) => Some(&name.name),
        ExprKind::Index { base, .. } => declared_name(base),
        _ => None,
    }
}
