//! The diagnostics about names used where they do not belong: a name nothing declares (E0101), a
//! statement that applies something other than a gate, template or def (E0102), and a name of the
//! wrong kind (E0110).
//!
//! The resolution pass reports them, once for each place a name is written. Elaboration builds
//! them here too, but only for a use the pass did not report, so that no mistake goes unreported
//! if the two walks ever disagree on which expressions are values.

use super::builtins;
use super::SymbolKind;
use crate::ast;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::GateKind;
use crate::source::Span;

/// A name read as a value that is not one: a gate, an observable, or nothing declared. An unknown
/// name is offered the closest of `candidates`.
pub(super) fn unknown_value(name: &ast::Ident, candidates: &[String]) -> Diagnostic {
    if GateKind::from_name(&name.name).is_some() || builtins::is_template(&name.name) {
        Diagnostic::error(
            Code::E0110,
            format!("`{}` is a gate, not a value", name.name),
            name.span,
            "a gate used as a value",
        )
    } else if builtins::OBSERVABLES.contains(&name.name.as_str()) {
        Diagnostic::error(
            Code::E0110,
            format!("`{}` is an observable, not a value", name.name),
            name.span,
            "an observable used as a value",
        )
        .with_help("observables appear only inside `expval`, `var` and `sample`")
    } else {
        Diagnostic::error(Code::E0101, format!("cannot find `{}` in this scope", name.name), name.span, "not declared")
            .with_closest(name.span, &name.name, candidates.iter().map(String::as_str))
    }
}

/// A def's name read as a value.
pub(super) fn def_as_value(name: &ast::Ident, declared: Span) -> Diagnostic {
    Diagnostic::error(Code::E0110, format!("`{}` is a def, not a value", name.name), name.span, "a def used as a value")
        .with_label(declared, "declared here")
        .with_help(format!("apply it as a statement: `{}(…) wires`", name.name))
}

/// A declaration that is not a def, applied as a gate.
pub(super) fn not_a_gate(name: &ast::Ident, kind: SymbolKind, declared: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0110,
        format!("`{}` is a {}, not a gate", name.name, kind.describe()),
        name.span,
        "applied as a gate",
    )
    .with_label(declared, "declared here")
}

/// A statement applying a name that is no gate, template or def; the gates, the templates and
/// `def_names` are the candidates of its suggestion.
pub(super) fn unknown_gate(name: &ast::Ident, def_names: &[String]) -> Diagnostic {
    let mut candidates: Vec<&str> = GateKind::SURFACE_NAMES.to_vec();
    candidates.extend(builtins::TEMPLATES);
    candidates.extend(def_names.iter().map(String::as_str));
    let mut diagnostic = Diagnostic::error(
        Code::E0102,
        format!("unknown gate `{}`", name.name),
        name.span,
        "not a gate, template or def",
    );
    if let Some(gate) = builtins::suggest_gate(&name.name, candidates) {
        diagnostic = diagnostic.with_suggestion(name.span, gate);
    }
    diagnostic
}

/// An observable or a measurement called inside a number, as if it were a function; `None` for
/// any other callee (elaboration says whether it is a function).
pub(super) fn callee_not_a_function(callee: &ast::Ident) -> Option<Diagnostic> {
    let name = callee.name.as_str();
    if builtins::OBSERVABLES.contains(&name) {
        Some(
            Diagnostic::error(
                Code::E0110,
                format!("`{name}` is an observable, not a function"),
                callee.span,
                "an observable used in a number",
            )
            .with_help("observables appear only inside `expval`, `var` and `sample`"),
        )
    } else if builtins::MEASUREMENTS.contains(&name) {
        Some(
            Diagnostic::error(
                Code::E0110,
                format!("`{name}` is a measurement, not a function"),
                callee.span,
                "a measurement used in a number",
            )
            .with_help("measurements belong in `measure …`"),
        )
    } else {
        None
    }
}
