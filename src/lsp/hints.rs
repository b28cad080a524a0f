//! Inlay hints: what the checker knows that the text does not say.
//!
//! - A param's or input's shape where it is not written out: `: scalar` after a name declared
//!   without one, and `: [3, 4]` after a shape written with names (`[layers, n]`). The shape is
//!   the symbol table's, so a file with errors elsewhere still has its hints.
//! - The wires a template in the circuit is placed on, at the end of its statement (`wires 0..4`),
//!   where they are not written as numbers: all the register's wires for a template without
//!   `on`, the evaluated wires for `on` with consts (`on 0..n`), and, where they depend on a loop
//!   variable, every wire its gates touch over the loop (read from the lowered circuit, which
//!   exists only when the file has no errors).

use super::document::{range_of, Document};
use super::outline::format_shape;
use lsp_types::{InlayHint, InlayHintKind, InlayHintLabel};
use qmlc::analysis::Analysis;
use qmlc::ast::{self, BinaryOp, ExprKind, ItemKind, StmtKind};
use qmlc::builtins::{self, Kind};
use qmlc::source::{Source, Span};
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

/// The hints whose position lies in `wanted`.
pub fn inlay_hints(document: &mut Document, wanted: Span) -> Vec<InlayHint> {
    let (source, analysis) = document.analysed();
    let mut hints: Vec<(usize, String, InlayHintKind)> = Vec::new();
    for item in &analysis.ast.items {
        match &item.kind {
            ItemKind::Param { name, shape, .. } | ItemKind::Input { name, shape } => {
                if let Some(hint) = shape_hint(source, analysis, name, shape.as_deref()) {
                    hints.push(hint);
                }
            }
            ItemKind::Circuit { body, .. } => {
                let placer = Placer { analysis, n_qubits: n_qubits(analysis), touched: OnceCell::new() };
                placer.block(body, &mut hints);
            }
            _ => {}
        }
    }
    hints
        .into_iter()
        .filter(|(offset, _, _)| wanted.contains(*offset))
        .map(|(offset, label, kind)| {
            let position = range_of(source, Span::new(offset, offset)).start;
            InlayHint {
                position,
                label: InlayHintLabel::String(label),
                kind: Some(kind),
                text_edits: None,
                tooltip: None,
                padding_left: Some(kind == InlayHintKind::PARAMETER),
                padding_right: None,
                data: None,
            }
        })
        .collect()
}

/// The shape hint of a declaration, if its shape is not written as numbers.
fn shape_hint(
    source: &Source,
    analysis: &Analysis,
    name: &ast::Ident,
    dims: Option<&[ast::Expr]>,
) -> Option<(usize, String, InlayHintKind)> {
    let reference = analysis.symbols.reference_at(name.span.start as usize)?;
    if reference.span != name.span || !reference.is_definition {
        return None;
    }
    let shape = analysis.symbols.get(reference.symbol)?.shape.clone()?;
    match dims {
        None => Some((name.span.end as usize, ": scalar".to_string(), InlayHintKind::TYPE)),
        Some(dims) if dims.iter().all(|dim| dim.kind_number().is_some()) => None,
        Some(dims) => {
            // After the `]` that closes the written shape, on the same line.
            let last = dims.last()?.span.end as usize;
            let rest = source.text.get(last..)?;
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let bracket = rest[..line_end].find(']')?;
            Some((last + bracket + 1, format!(": {}", format_shape(&shape)), InlayHintKind::TYPE))
        }
    }
}

/// The size of the register: the lowered circuit's, or the `qubits` line's value when the file
/// has errors.
fn n_qubits(analysis: &Analysis) -> Option<usize> {
    if let Some(circuit) = &analysis.circuit {
        return Some(circuit.n_qubits);
    }
    analysis.ast.items.iter().find_map(|item| match &item.kind {
        ItemKind::Qubits(count) => integer(constant(analysis, count, 0)?),
        _ => None,
    })
}

/// Finds the templates of the circuit and the wires each is placed on.
struct Placer<'a> {
    analysis: &'a Analysis,
    n_qubits: Option<usize>,
    /// The wires the lowered circuit's operations act on, by the span of the statement each came
    /// from, gathered once on first need.
    touched: OnceCell<HashMap<Span, BTreeSet<usize>>>,
}

impl Placer<'_> {
    fn block(&self, block: &ast::Block, hints: &mut Vec<(usize, String, InlayHintKind)>) {
        for statement in &block.stmts {
            match &statement.kind {
                StmtKind::Apply { name, wires, .. } if builtins::find(Kind::Template, &name.name).is_some() => {
                    if let Some(wires) = self.wires(statement, wires) {
                        let label = format!("wires {}", format_wires(&wires));
                        hints.push((statement.span.end as usize, label, InlayHintKind::PARAMETER));
                    }
                }
                StmtKind::Apply { .. } | StmtKind::Error => {}
                StmtKind::For { body, .. }
                | StmtKind::Adj { body, .. }
                | StmtKind::Ctrl { body, .. }
                | StmtKind::BareBlock(body) => self.block(body, hints),
            }
        }
    }

    /// The wires of one template statement, or `None` where they are written as numbers or
    /// cannot be known.
    fn wires(&self, statement: &ast::Stmt, wires: &ast::Wires) -> Option<Vec<usize>> {
        let items = match wires {
            ast::Wires::None => return self.n_qubits.map(|n| (0..n).collect()),
            // Wires without `on` are an error, reported; there is no placement to show.
            ast::Wires::Listed(_) => return None,
            ast::Wires::On(_, items) => items,
        };
        let literal = |expr: &ast::Expr| expr.kind_number().is_some();
        let written = items.iter().all(|item| match item {
            ast::WireItem::Single(wire) => literal(wire),
            ast::WireItem::Range(start, end) => literal(start) && literal(end),
        });
        if written {
            return None;
        }
        let mut evaluated = Vec::new();
        for item in items {
            let wire = |expr: &ast::Expr| integer(constant(self.analysis, expr, 0)?);
            match item {
                ast::WireItem::Single(single) => match wire(single) {
                    Some(single) => evaluated.push(single),
                    None => return self.touched(statement),
                },
                ast::WireItem::Range(start, end) => match (wire(start), wire(end)) {
                    (Some(start), Some(end)) => evaluated.extend(start..end),
                    _ => return self.touched(statement),
                },
            }
        }
        Some(evaluated)
    }

    /// Every wire the gates of a statement act on in the lowered circuit, in order.
    fn touched(&self, statement: &ast::Stmt) -> Option<Vec<usize>> {
        let circuit = self.analysis.circuit.as_ref()?;
        let touched = self.touched.get_or_init(|| {
            let mut touched: HashMap<Span, BTreeSet<usize>> = HashMap::new();
            for op in &circuit.ops {
                let (span, wires) = match op {
                    qmlc::ir::Op::Gate(gate) => (gate.span, &gate.wires),
                    qmlc::ir::Op::StatePrep(prep) => (prep.span, &prep.wires),
                };
                touched.entry(span).or_default().extend(wires.iter().map(|wire| wire.0 as usize));
            }
            touched
        });
        touched.get(&statement.span).map(|wires| wires.iter().copied().collect())
    }
}

/// The deepest chain of consts the evaluator follows, so that a cycle (reported by the checker)
/// cannot recurse forever.
const MAX_CONST_DEPTH: usize = 32;

/// The value of a constant expression: numbers, the builtin constants, the file's consts and
/// arithmetic over them.
fn constant(analysis: &Analysis, expr: &ast::Expr, depth: usize) -> Option<f64> {
    if depth > MAX_CONST_DEPTH {
        return None;
    }
    match &expr.kind {
        ExprKind::Number { value, .. } => Some(*value),
        ExprKind::Paren(inner) => constant(analysis, inner, depth),
        ExprKind::Neg(operand) => Some(-constant(analysis, operand, depth)?),
        ExprKind::Binary { op, lhs, rhs } => {
            let (lhs, rhs) = (constant(analysis, lhs, depth)?, constant(analysis, rhs, depth)?);
            match op {
                BinaryOp::Add => Some(lhs + rhs),
                BinaryOp::Sub => Some(lhs - rhs),
                BinaryOp::Mul => Some(lhs * rhs),
                BinaryOp::Div if rhs != 0.0 => Some(lhs / rhs),
                BinaryOp::Rem if rhs != 0.0 => Some(lhs % rhs),
                BinaryOp::Pow => Some(lhs.powf(rhs)),
                _ => None,
            }
        }
        ExprKind::Name(name) => {
            if let Some(builtin) = builtins::CONSTANTS.iter().find(|constant| constant.name == name.name) {
                return Some(builtin.value);
            }
            analysis.ast.items.iter().find_map(|item| match &item.kind {
                ItemKind::Const { name: declared, value } if declared.name == name.name => {
                    constant(analysis, value, depth + 1)
                }
                _ => None,
            })
        }
        _ => None,
    }
}

/// A value as a wire or a count, if it is a non-negative integer of a sensible size.
fn integer(value: f64) -> Option<usize> {
    (value.fract() == 0.0 && (0.0..=1e9).contains(&value)).then_some(value as usize)
}

/// Wires as the language writes them: runs of consecutive wires as half-open ranges (`0..4`),
/// the others listed (`0..2, 5`).
pub fn format_wires(wires: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut index = 0;
    while index < wires.len() {
        let start = wires[index];
        let mut end = index;
        while end + 1 < wires.len() && wires[end + 1] == wires[end] + 1 {
            end += 1;
        }
        if end > index {
            parts.push(format!("{start}..{}", wires[end] + 1));
        } else {
            parts.push(start.to_string());
        }
        index = end + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "qubits 4\nconst n = 2\ninput x[n]\nparam t\nparam w[n, 4, 3]\nparam v[1, 2]\ncircuit {\n    \
                         angle_embedding(x) on 0..n\n    angle_embedding(x) on 2, 3\n    strongly_entangling_layers(w)\n    \
                         for i in 0..2 {\n        basic_entangler_layers(v) on i..i + 2\n    }\n    ry(t) 0\n}\n\
                         measure expval(Z(0))\n";

    /// The hints in `wanted` as `line:column label`.
    fn hints(text: &str, wanted: Span) -> Vec<String> {
        let mut document = Document::new("m.qml", text.to_string(), 1);
        inlay_hints(&mut document, wanted)
            .into_iter()
            .map(|hint| {
                let label = match hint.label {
                    InlayHintLabel::String(label) => label,
                    InlayHintLabel::LabelParts(parts) => format!("{parts:?}"),
                };
                format!("{}:{} {label}", hint.position.line, hint.position.character)
            })
            .collect()
    }

    #[test]
    fn shapes_not_written_and_template_wires_not_written_are_hinted() {
        let mut document = Document::new("m.qml", MODEL.to_string(), 1);
        assert!(document.analysis().diagnostics.is_empty(), "{:?}", document.analysis().diagnostics);
        assert_eq!(
            hints(MODEL, Span::new(0, MODEL.len())),
            [
                "2:10 : [2]",
                "3:7 : scalar",
                "4:16 : [2, 4, 3]",
                "7:30 wires 0..2",
                "9:33 wires 0..4",
                "11:45 wires 0..3",
            ]
        );
    }

    #[test]
    fn only_the_hints_in_the_range_are_given() {
        let start = MODEL.find("circuit").unwrap_or(0);
        let end = MODEL.find("    for").unwrap_or(0);
        assert_eq!(hints(MODEL, Span::new(start, end)), ["7:30 wires 0..2", "9:33 wires 0..4"]);
    }

    #[test]
    fn with_errors_the_symbol_table_and_the_qubits_line_still_give_hints() {
        let text = MODEL.replace("ry(t) 0", "ry(t) 0\n    hh 0");
        assert_eq!(
            hints(&text, Span::new(0, text.len())),
            ["2:10 : [2]", "3:7 : scalar", "4:16 : [2, 4, 3]", "7:30 wires 0..2", "9:33 wires 0..4"],
            "the loop's wires need the lowered circuit"
        );
    }

    #[test]
    fn wires_are_written_as_ranges_and_lists() {
        assert_eq!(format_wires(&[0, 1, 2, 5]), "0..3, 5");
        assert_eq!(format_wires(&[3, 1]), "3, 1");
        assert_eq!(format_wires(&[]), "");
    }
}
