//! The checker: resolves names, evaluates constants and shapes, and elaborates the circuit into the IR.
//!
//! Names are resolved first, by one linear walk (`resolve`) that builds the symbol table and
//! reports every name that is unknown or of the wrong kind. Checking and lowering then share one
//! walk, which reads the table and reports everything else. Wires and indices in loops depend on the loop variable,
//! so the only way to check `cnot i, i + 1` for every `i` is to unroll the loop; doing that once,
//! emitting gates as it goes, means every error is found exactly once and the gate list comes for
//! free when there are none. The walk never stops at the first error: a statement that fails is
//! skipped and the next one checked.

mod builtins;
mod circuit;
mod declarations;
mod expr;
mod gate_expansion;
mod layers;
mod limits;
mod lints;
mod measure;
mod names;
pub mod resolve;
mod templates;
mod train;

pub use builtins::{
    closest, did_you_mean, is_reserved, misspelt_keyword, FUNCTIONS, HEAD_LAYERS, LOSSES, OBSERVABLES, OPTIMIZERS,
    TEMPLATES, TRAIN_FIELDS,
};
pub use expr::Value;
pub use resolve::{resolve, Reference, Symbol, SymbolId, SymbolKind, SymbolTable};
pub use train::{check_csv_header, DataHeader, TrainData};

use crate::ast;
use crate::codes::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::ir;
use crate::lexer::Trivia;
use crate::source::Span;
use std::collections::HashMap;

/// The largest register the checker accepts; the simulator refuses smaller ones that do not fit.
pub const MAX_QUBITS: usize = 40;
/// The most unknown names and gates given a did-you-mean suggestion in one file.
const MAX_SUGGESTIONS: usize = 100;

pub use limits::{MAX_DEF_EXPANSIONS, MAX_HEAD_WEIGHTS, MAX_LOOP_ITERATIONS, MAX_OPS, MAX_WIRE_OPERANDS};

/// Everything the checker learnt about a file, errors or not.
#[derive(Debug, Default)]
pub struct CheckOutput {
    /// The lowered model, present only when there are no errors.
    pub circuit: Option<ir::Circuit>,
    /// Every declaration and local with its uses, from the resolution pass.
    pub symbols: SymbolTable,
    pub diagnostics: Vec<Diagnostic>,
    /// Each train block's CSV data file, errors or not, for the command line to compare the
    /// file's header with the model (`check_csv_header`).
    pub train_data: Vec<TrainData>,
}

/// What a caller may change about a file without editing it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompileOptions {
    /// `--const NAME=VALUE`: the const's value instead of its expression (a sweep over `n`
    /// without editing the file). The expression is still checked.
    pub const_overrides: Vec<(String, f64)>,
}

/// Checks a parsed program and lowers it to the IR. `text` is the source it was parsed from and
/// `trivia` its comments, for the symbol table's hover details and doc comments.
pub fn check(program: &ast::Program, text: &str, trivia: &Trivia) -> CheckOutput {
    check_with(program, text, trivia, &CompileOptions::default())
}

/// [`check`] with options.
pub fn check_with(program: &ast::Program, text: &str, trivia: &Trivia, options: &CompileOptions) -> CheckOutput {
    let (symbols, name_diagnostics) = resolve::resolve(program, text, trivia);
    let mut checker = Checker::new(symbols);
    checker.const_overrides = options.const_overrides.iter().cloned().collect();
    for diagnostic in name_diagnostics {
        checker.error(diagnostic);
    }
    checker.check_program(program);
    let has_errors = diagnostic::has_errors(&checker.diagnostics);
    checker.lint_declarations(has_errors);
    let mut diagnostics = std::mem::take(&mut checker.diagnostics);
    hold_back_warnings(&mut diagnostics);
    diagnostic::sort_and_dedup(&mut diagnostics);
    let circuit = if diagnostic::has_errors(&diagnostics) { None } else { checker.finish() };
    CheckOutput { circuit, symbols: checker.symbols, diagnostics, train_data: checker.train_data }
}

/// How far a lazily evaluated `const` has got (consts may be declared in any order).
#[derive(Clone, Debug)]
enum ConstState {
    Pending,
    InProgress,
    Done(Option<Value>),
}

#[derive(Clone, Debug)]
struct Local {
    value: Value,
}

/// The walk's state. Fields are grouped by what they describe: declarations, the scope of the
/// statement being elaborated, and what has been emitted.
#[derive(Default)]
pub(crate) struct Checker<'ast> {
    diagnostics: Vec<Diagnostic>,
    n_errors: usize,

    // Declarations: the table of the resolution pass, which elaboration adds shapes and details to.
    symbols: SymbolTable,
    /// For each symbol: the const's expression, the def's AST, or the variable's index.
    const_exprs: HashMap<SymbolId, &'ast ast::Expr>,
    const_states: HashMap<SymbolId, ConstState>,
    /// Values given on the command line for consts, by name.
    const_overrides: HashMap<String, f64>,
    defs: HashMap<SymbolId, &'ast ast::ItemKind>,
    variable_index: HashMap<SymbolId, usize>,
    n_qubits: Option<usize>,
    inputs: Vec<ir::Variable>,
    params: Vec<ir::Param>,
    train_keyword: Option<Span>,

    // The scope of the statement being elaborated.
    scopes: Vec<HashMap<String, Local>>,
    /// Inside a def body: the caller's wires for the body's wires 0..k.
    wire_map: Option<Vec<u32>>,
    /// Control wires of the enclosing `ctrl` blocks.
    controls: Vec<ir::Wire>,
    /// Names of the defs being expanded, innermost last, to catch recursion, with the span of
    /// each call and its number of wires (to label wire errors inside the body).
    def_stack: Vec<String>,
    call_sites: Vec<(Span, usize)>,
    /// Names whose declaration has a broken shape: their uses fail without a report, as do those
    /// of the names the resolution pass poisoned (a refused or misspelt declaration).
    poisoned: std::collections::HashSet<String>,
    /// Whether the walk is inside an `adj` block (state preparation cannot be inverted).
    in_adjoint: bool,

    // What has been emitted.
    ops: Vec<ir::Op>,
    /// The template application being expanded, recorded on each gate it emits (for drawings).
    template: Option<std::sync::Arc<ir::TemplateOrigin>>,
    /// How many template applications have been expanded so far, to number them.
    template_applications: u32,
    /// What the walk has unrolled so far, against the limits of `limits`.
    budget: limits::Budget,
    /// Set once a limit is crossed: the walk stops, since what follows would only be more of it.
    too_large: bool,
    /// Set when the file has no usable register (none declared, or one refused): wires cannot be
    /// checked, so loops run their first iteration only, enough to report names and shapes.
    register_unusable: bool,
    /// Wires some operation has touched, so amplitude embedding can insist on fresh wires.
    touched_wires: Vec<bool>,
    measurements: Vec<ir::Measurement>,
    binary_inputs: Vec<usize>,
    head: Vec<ir::Layer>,
    encode: Vec<ir::Layer>,
    train: Vec<ir::TrainBlock>,
    train_data: Vec<TrainData>,
}

impl<'ast> Checker<'ast> {
    fn new(symbols: SymbolTable) -> Self {
        Checker { symbols, ..Checker::default() }
    }

    /// A name elaboration cannot use: unknown, or of the wrong kind. The resolution pass reported
    /// it already, so this only counts the error (a loop stops unrolling after a failed
    /// iteration, as it would after any report); a use the pass did not report is reported here.
    fn name_error(&mut self, span: Span, diagnostic: impl FnOnce() -> Diagnostic) {
        if self.symbols.was_reported(span) {
            self.n_errors += 1;
        } else {
            self.error(diagnostic());
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.n_errors += 1;
        }
        self.diagnostics.push(diagnostic);
    }

    /// How many errors the walk has reported so far.
    fn error_count(&self) -> usize {
        self.n_errors
    }

    fn check_program(&mut self, program: &'ast ast::Program) {
        self.declare(program);
        let Some(n_qubits) = self.n_qubits else {
            // Without a register there is nothing to check wires against; names are still checked
            // inside the circuit by elaborating against an unbounded register, each loop body once.
            self.register_unusable = true;
            self.touched_wires = vec![false; MAX_QUBITS];
            self.elaborate_items(program);
            return;
        };
        self.touched_wires = vec![false; n_qubits];
        self.elaborate_items(program);
    }

    fn elaborate_items(&mut self, program: &'ast ast::Program) {
        for item in &program.items {
            match &item.kind {
                ast::ItemKind::Circuit { body, .. } => self.elaborate_block(body),
                ast::ItemKind::UnknownBlock { keyword, body, .. } => {
                    self.report_unknown_declaration(keyword);
                    // A misspelt `circuit` still has a body worth checking.
                    if builtins::misspelt_keyword(&keyword.name) == Some("circuit") {
                        self.elaborate_block(body);
                    }
                }
                ast::ItemKind::Stmt(ast::Stmt { kind: ast::StmtKind::Apply { name, .. }, .. })
                    if builtins::misspelt_keyword(&name.name).is_some() =>
                {
                    self.report_unknown_declaration(name);
                }
                ast::ItemKind::Stmt(statement) => self.error(
                    Diagnostic::error(
                        Code::E0109,
                        "a circuit statement outside `circuit { … }`",
                        statement.span,
                        "this statement is at the top level",
                    )
                    .with_help(
                        "move it into the `circuit { … }` block (only the REPL runs statements at the top level)",
                    ),
                ),
                _ => {}
            }
        }
        for item in &program.items {
            match &item.kind {
                ast::ItemKind::Measure(list) => self.check_measure_list(list),
                ast::ItemKind::MeasureFor { var, start, end, items } => self.check_measure_for(var, start, end, items),
                _ => {}
            }
        }
        for item in &program.items {
            if let ast::ItemKind::Head(layers) = &item.kind {
                self.check_head(layers);
            }
        }
        for item in &program.items {
            if let ast::ItemKind::Encode(layers) = &item.kind {
                self.check_encode(item.span, layers);
            }
        }
        self.check_unused_defs(program);
        let mut train_names: HashMap<String, Span> = HashMap::new();
        for item in &program.items {
            if let ast::ItemKind::Train { keyword, name, fields } = &item.kind {
                if let Some(name) = name {
                    if let Some(first) = train_names.get(&name.name) {
                        let first = *first;
                        self.error(
                            Diagnostic::error(
                                Code::E0706,
                                format!("two train blocks are named `{}`", name.name),
                                name.span,
                                "second block with this name",
                            )
                            .with_label(first, "first declared here"),
                        );
                    } else {
                        train_names.insert(name.name.clone(), name.span);
                    }
                }
                self.check_train_block(*keyword, item.span, name.as_ref(), fields);
            }
        }
        self.lint_measurement_presence(program);
    }

    /// A name where a declaration keyword should be, such as `circut` or `qubit`.
    fn report_unknown_declaration(&mut self, keyword: &ast::Ident) {
        let mut diagnostic = Diagnostic::error(
            Code::E0118,
            format!("unknown declaration `{}`", keyword.name),
            keyword.span,
            "not a keyword",
        );
        diagnostic = match builtins::misspelt_keyword(&keyword.name) {
            Some(suggestion) => diagnostic.with_suggestion(keyword.span, suggestion),
            None => diagnostic.with_help(
                "a file declares `qubits`, `input`, `param`, `const`, `def`, `circuit`, `measure`, `head`, `encode` and `train`",
            ),
        };
        self.error(diagnostic);
    }

    /// Assembles the IR once the walk found no errors, and runs the lints that need the whole circuit.
    fn finish(&mut self) -> Option<ir::Circuit> {
        let circuit = ir::Circuit {
            n_qubits: self.n_qubits?,
            inputs: self.inputs.clone(),
            params: self.params.clone(),
            ops: std::mem::take(&mut self.ops),
            measurements: std::mem::take(&mut self.measurements),
            head: std::mem::take(&mut self.head),
            encode: std::mem::take(&mut self.encode),
            train: std::mem::take(&mut self.train),
            binary_inputs: std::mem::take(&mut self.binary_inputs),
        };
        Some(circuit)
    }
}

/// With errors present, the warnings that rest on the whole program having been read (unused
/// names, the light cone, nothing measured) may only echo a statement that failed, so they wait
/// until the errors are fixed.
fn hold_back_warnings(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostic::has_errors(diagnostics) {
        diagnostics.retain(|d| d.is_error() || d.code == Code::W0005);
    }
}

/// Parses and checks a source text: the front end in one call.
pub fn compile(text: &str) -> CheckOutput {
    front_end(text).2
}

/// [`compile`] with options.
pub fn compile_with(text: &str, options: &CompileOptions) -> CheckOutput {
    front_end_with(text, options).2
}

/// The consts a program declares, by name in declaration order (for the command line, which
/// checks each `--const NAME` names one before compiling).
pub fn declared_consts(text: &str) -> Vec<String> {
    let (program, _) = crate::parser::parse(text);
    program
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ast::ItemKind::Const { name, .. } => Some(name.name.clone()),
            _ => None,
        })
        .collect()
}

/// Parses and checks a source text, keeping the syntax tree and the trivia (comments, empty
/// lines): what [`compile`] and
/// [`crate::analysis::analyze`] share.
pub fn front_end(text: &str) -> (ast::Program, Trivia, CheckOutput) {
    front_end_with(text, &CompileOptions::default())
}

/// [`front_end`] with options.
pub fn front_end_with(text: &str, options: &CompileOptions) -> (ast::Program, Trivia, CheckOutput) {
    let (program, trivia, mut parse_diagnostics) = crate::parser::parse_keeping_trivia(text);
    // Past the nesting limits the lexer gives no tokens at all; checking the empty program would
    // only add noise such as "no qubits".
    if parse_diagnostics.iter().any(|d| d.code == Code::E0803) {
        let output = CheckOutput { diagnostics: parse_diagnostics, ..CheckOutput::default() };
        return (program, trivia, output);
    }
    let mut output = check_with(&program, text, &trivia, options);
    if diagnostic::has_errors(&parse_diagnostics) {
        output.circuit = None;
        // A line the parser could not read may have been the `qubits` or `circuit` declaration.
        output.diagnostics.retain(|d| d.code != Code::E0105 && d.code != Code::E0107);
    }
    parse_diagnostics.append(&mut output.diagnostics);
    hold_back_warnings(&mut parse_diagnostics);
    diagnostic::sort_and_dedup(&mut parse_diagnostics);
    output.diagnostics = parse_diagnostics;
    (program, trivia, output)
}
