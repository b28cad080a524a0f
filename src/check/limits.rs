//! The elaboration budget: how many operations, wire operands and loop iterations one program may
//! unroll to, checked before the work is done so that no input can make the checker hang or
//! exhaust memory.
//!
//! Every limit is reported once, as E0803 on the statement that would cross it, and crossing one
//! stops the elaboration: what follows would only be more of the same.

use super::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// The most operations (gates and state preparations) one program may unroll to.
pub const MAX_OPS: usize = 2_000_000;
/// The most wire operands (each operation's wires and controls, summed) one program may unroll to:
/// a 40-wire gate costs forty times a one-wire gate to check, store and simulate.
pub const MAX_WIRE_OPERANDS: usize = 10_000_000;
/// The most loop iterations one program may run while it is elaborated, counted before a loop
/// starts, so that loops whose bodies emit nothing cannot run for ever.
pub const MAX_LOOP_ITERATIONS: usize = 4_000_000;
/// The most def applications one program may expand, so that defs calling each other twice over
/// (2^k expansions of bodies that emit nothing) cannot run for ever either.
pub const MAX_DEF_EXPANSIONS: usize = 2_000_000;
/// The most weights and biases a classical head may have, summed over its linear layers.
pub const MAX_HEAD_WEIGHTS: usize = 4_194_304;

/// What the walk has spent so far.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Budget {
    pub operations: usize,
    pub wire_operands: usize,
    pub loop_iterations: usize,
    pub def_expansions: usize,
}

impl<'ast> Checker<'ast> {
    /// Whether `operations` more operations with `wire_operands` operands in all still fit, without
    /// spending them. Reports E0803 on `span` when they do not.
    pub(super) fn operations_fit(&mut self, operations: u128, wire_operands: u128, span: Span) -> bool {
        self.operations_fit_labelled(operations, wire_operands, span, "reached the limit here".to_string())
    }

    /// Like `operations_fit`, for a template that asks before it expands: the label says how many
    /// operations the expansion would add.
    pub(super) fn expansion_fits(&mut self, operations: u128, wire_operands: u128, span: Span) -> bool {
        let label = format!("expands to {operations} operations on {wire_operands} wires in all");
        self.operations_fit_labelled(operations, wire_operands, span, label)
    }

    fn operations_fit_labelled(&mut self, operations: u128, wire_operands: u128, span: Span, label: String) -> bool {
        if self.too_large {
            return false;
        }
        if self.budget.operations as u128 + operations > MAX_OPS as u128 {
            self.report_too_large(
                format!("the program unrolls to more than {MAX_OPS} operations"),
                span,
                label,
                "check the bounds of the loops and the sizes of the templates around this statement",
            );
            return false;
        }
        if self.budget.wire_operands as u128 + wire_operands > MAX_WIRE_OPERANDS as u128 {
            self.report_too_large(
                format!("the program's operations act on more than {MAX_WIRE_OPERANDS} wires in all"),
                span,
                label,
                "each operation counts once per wire it acts on (controls included); check the loops around this statement",
            );
            return false;
        }
        true
    }

    /// Spends one operation with `wire_operands` operands, or reports that the program is too large.
    pub(super) fn spend_operation(&mut self, wire_operands: usize, span: Span) -> bool {
        if !self.operations_fit(1, wire_operands as u128, span) {
            return false;
        }
        self.budget.operations += 1;
        self.budget.wire_operands += wire_operands;
        true
    }

    /// Spends the iterations of a loop before it runs, or reports that they would be too many.
    pub(super) fn spend_loop_iterations(&mut self, iterations: u128, span: Span) -> bool {
        if self.too_large {
            return false;
        }
        if self.budget.loop_iterations as u128 + iterations > MAX_LOOP_ITERATIONS as u128 {
            self.report_too_large(
                format!("the program's loops run more than {MAX_LOOP_ITERATIONS} iterations in all"),
                span,
                format!("this loop runs {iterations} times"),
                "check the bounds of this loop and of the loops around it",
            );
            return false;
        }
        self.budget.loop_iterations += iterations as usize;
        true
    }

    /// Spends one def expansion, or reports that the program expands too many.
    pub(super) fn spend_def_expansion(&mut self, span: Span) -> bool {
        if self.too_large {
            return false;
        }
        if self.budget.def_expansions >= MAX_DEF_EXPANSIONS {
            self.report_too_large(
                format!("the program applies defs more than {MAX_DEF_EXPANSIONS} times in all"),
                span,
                "reached the limit here",
                "check the defs this one applies, and the loops around them",
            );
            return false;
        }
        self.budget.def_expansions += 1;
        true
    }

    fn report_too_large(&mut self, message: String, span: Span, label: impl Into<String>, help: &str) {
        self.too_large = true;
        self.error(Diagnostic::error(Code::E0803, message, span, label).with_help(help));
    }
}
