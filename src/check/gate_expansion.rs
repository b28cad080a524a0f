//! The gates the checker replaces by their expansions (`pauli_rot`, `orbital_rotation`), and `pauli_rot`'s word.

use super::Checker;
use crate::ast::{self, ExprKind};
use crate::builtins::gates::{expansion, ExpansionAngle};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, BinOp, Expr as IrExpr, GateKind, Wire};
use crate::source::Span;

/// `pauli_rot`'s Pauli word as written: its letters and the span of its string literal.
pub(super) struct PauliWordArg {
    pub(super) word: String,
    pub(super) span: Span,
}

impl<'ast> Checker<'ast> {
    /// Splits `pauli_rot`'s arguments into its angles and its word (a string literal, the last
    /// argument), reporting a missing word or a letter other than I, X, Y, Z. Returns the angle
    /// arguments and the word when it is valid.
    pub(super) fn take_pauli_word(
        &mut self,
        given: &'ast [ast::Arg],
        args_span: Span,
    ) -> (&'ast [ast::Arg], Option<PauliWordArg>) {
        let Some((last, angles)) = given.split_last() else {
            self.missing_word(args_span);
            return (given, None);
        };
        let ExprKind::Str(word) = &last.value.kind else {
            self.missing_word(args_span);
            return (given, None);
        };
        let span = last.value.span;
        if word.is_empty() {
            self.error(
                Diagnostic::error(Code::E0310, "`pauli_rot`'s Pauli word is empty", span, "an empty word")
                    .with_help("write one letter of I, X, Y, Z per wire, e.g. `pauli_rot(t, \"XZ\") 0, 1`"),
            );
            return (angles, None);
        }
        if let Some((position, letter)) = word.char_indices().find(|(_, letter)| !"IXYZ".contains(*letter)) {
            // The letter's own span inside the literal (after its opening quote), when the literal is plain.
            let start = span.start as usize + 1 + position;
            let letter_span = if span.end as usize - span.start as usize == word.len() + 2 {
                Span::new(start, start + letter.len_utf8())
            } else {
                span
            };
            self.error(
                Diagnostic::error(
                    Code::E0310,
                    format!("`{letter}` is not a Pauli letter in `pauli_rot`'s word \"{word}\""),
                    letter_span,
                    "not one of I, X, Y, Z",
                )
                .with_help("a Pauli word has one letter of I, X, Y, Z per wire (upper case)"),
            );
            return (angles, None);
        }
        (angles, Some(PauliWordArg { word: word.clone(), span }))
    }

    fn missing_word(&mut self, span: Span) {
        self.error(
            Diagnostic::error(
                Code::E0310,
                "`pauli_rot` takes its Pauli word as a string after the angle",
                span,
                "no Pauli word",
            )
            .with_help("write e.g. `pauli_rot(t, \"XZ\") 0, 1`: one letter of I, X, Y, Z per wire"),
        );
    }

    /// Reports a word whose length is not the wire count; true when they agree.
    pub(super) fn check_word_length(&mut self, word: &PauliWordArg, wires: &[(Wire, Span)]) -> bool {
        let n_letters = word.word.chars().count();
        if n_letters == wires.len() {
            return true;
        }
        let mut diagnostic = Diagnostic::error(
            Code::E0311,
            format!(
                "`pauli_rot`'s word \"{}\" has {n_letters} letter{}, but the gate acts on {} wire{}",
                word.word,
                if n_letters == 1 { "" } else { "s" },
                wires.len(),
                if wires.len() == 1 { "" } else { "s" }
            ),
            word.span,
            format!("{n_letters} letter{}", if n_letters == 1 { "" } else { "s" }),
        );
        if let (Some(first), Some(last)) = (wires.first(), wires.last()) {
            diagnostic = diagnostic.with_label(
                first.1.to(last.1),
                format!("{} wire{}", wires.len(), if wires.len() == 1 { "" } else { "s" }),
            );
        }
        self.error(diagnostic.with_help("a Pauli word has one letter per wire, in the order the wires are listed"));
        false
    }

    /// Emits the gates of `kind`'s expansion on `wires`, boxed in drawings under the gate's name.
    pub(super) fn emit_expansion(
        &mut self,
        kind: GateKind,
        wires: Vec<Wire>,
        angles: Vec<IrExpr>,
        word: &str,
        span: Span,
    ) {
        self.template_applications += 1;
        let origin = ir::TemplateOrigin {
            name: kind.name().to_string(),
            wires: wires.clone(),
            application: self.template_applications,
        };
        let enclosing = self.template.replace(std::sync::Arc::new(origin));
        let angle = angles.into_iter().next().unwrap_or(IrExpr::Const(0.0));
        for gate in expansion(kind, wires.len(), word) {
            let gate_wires = gate.wires.iter().filter_map(|&position| wires.get(position).copied()).collect();
            let gate_angles = match gate.angle {
                Some(ExpansionAngle::Scaled(1.0)) => vec![angle.clone()],
                Some(ExpansionAngle::Scaled(factor)) => {
                    vec![IrExpr::binary(BinOp::Mul, IrExpr::Const(factor), angle.clone())]
                }
                Some(ExpansionAngle::Constant(value)) => vec![IrExpr::Const(value)],
                None => Vec::new(),
            };
            self.emit_gate(gate.kind, gate_wires, gate_angles, span);
        }
        self.template = enclosing;
    }
}
