//! The resolution pass: one walk over the AST that builds an owned symbol table.
//!
//! Every declaration, loop variable and def parameter becomes a symbol with its definition span,
//! its scope, its kind, its shape where the text fixes it, its doc comment and every place it is
//! used. The walk visits each loop body and each def body once, never unrolling, so its cost is
//! linear in the file whatever the loops' trip counts; elaboration (the rest of `check`) then
//! reads the table instead of building its own.
//!
//! The pass owns the diagnostics about names: a name declared twice (E0103), a builtin name taken
//! (E0104), a name nothing declares (E0101), a statement applying something that is no gate,
//! template or def (E0102), and a name of the wrong kind (E0110). It reports each once for every
//! place the name is written, including bodies elaboration never reaches (a loop whose bounds are
//! wrong, a def never applied, statements after a limit), and it records where it reported, so
//! that elaboration, which meets the same names again as it unrolls, fails there without a word.
//!
//! Where elaboration reads an expression as something other than a value (a measurement's
//! observable, a template's `rotation`, a train field's word), the pass walks it quietly: it
//! records the uses but leaves the report to elaboration, which knows what was expected there.

mod walk;

pub use walk::resolve;

use crate::ast;
use crate::lexer::{Comment, CommentKind};
use crate::source::Span;
use std::collections::{HashMap, HashSet};

/// The index of a symbol in its [`SymbolTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolId(u32);

impl SymbolId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a declared name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Const,
    Input,
    Param,
    Def,
    /// The variable of a `for` loop in a circuit body.
    LoopVariable,
    /// The variable of a `measure for` line.
    MeasureVariable,
    /// A parameter of a `def`.
    DefParameter,
}

impl SymbolKind {
    pub fn describe(self) -> &'static str {
        match self {
            SymbolKind::Const => "const",
            SymbolKind::Input => "input",
            SymbolKind::Param => "param",
            SymbolKind::Def => "def",
            SymbolKind::LoopVariable => "loop variable",
            SymbolKind::MeasureVariable => "measure variable",
            SymbolKind::DefParameter => "def parameter",
        }
    }

    /// Whether the name is visible only inside a body rather than in the whole file.
    pub fn is_local(self) -> bool {
        matches!(self, SymbolKind::LoopVariable | SymbolKind::MeasureVariable | SymbolKind::DefParameter)
    }
}

/// A declared name, with every place it is used (for lints, hover, go-to-definition and rename).
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The span of the name where it is declared.
    pub name_span: Span,
    /// The span of the whole declaration: the item, the `for` statement, the def parameter.
    pub span: Span,
    /// Where a local is visible (the loop body, the def body, the measured items); `None` for a
    /// top-level declaration, visible in the whole file.
    pub scope: Option<Span>,
    /// The shape when the text fixes it (`[]` for a scalar), `None` when it is not known before
    /// elaboration or the name is not a value (a def). Elaboration fills in the shapes it computes.
    pub shape: Option<Vec<usize>>,
    /// The span of the value the declaration gives: a const's expression, a param's initializer,
    /// a loop's range.
    pub value: Option<Span>,
    /// The `//` comment lines directly above the declaration, without the slashes.
    pub doc: Option<String>,
    /// A short signature for hover: `param w[3, 4, 3] = normal(0, 0.1)`.
    pub detail: String,
    /// Every place the name is used, in source order, each once.
    pub uses: Vec<Span>,
}

/// One identifier that names a symbol: where it is declared, or one of its uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub span: Span,
    pub symbol: SymbolId,
    pub is_definition: bool,
}

/// Every symbol of one file, owned, with an index from positions to the names there.
#[derive(Clone, Debug, Default)]
pub struct SymbolTable {
    symbols: Vec<Symbol>,
    globals: HashMap<String, SymbolId>,
    /// Every definition and use, sorted by position.
    references: Vec<Reference>,
    /// Names read as values that name nothing declared and no builtin (reported as E0101 where
    /// they are read as values, unless their declaration was misspelt).
    unresolved: Vec<ast::Ident>,
    /// Names a declaration tried to take from a builtin (reported as E0104).
    refused: Vec<String>,
    /// Names whose declaration was refused or misspelt (`parm w[2]`): their uses are not
    /// reported, since the declaration's own error already says what is wrong.
    poisoned: HashSet<String>,
    /// The identifiers the pass reported as unknown or of the wrong kind (E0101, E0102, E0110).
    reported: HashSet<Span>,
    /// How many AST nodes the pass visited: a measure of its work that tests compare.
    visits: usize,
}

impl SymbolTable {
    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    pub fn get(&self, id: SymbolId) -> Option<&Symbol> {
        self.symbols.get(id.index())
    }

    /// Every symbol with its id, in the order of the declarations.
    pub fn iter(&self) -> impl Iterator<Item = (SymbolId, &Symbol)> {
        self.symbols.iter().enumerate().map(|(i, s)| (SymbolId(i as u32), s))
    }

    /// The top-level declaration of a name (the first, if it was declared twice).
    pub fn global(&self, name: &str) -> Option<SymbolId> {
        self.globals.get(name).copied()
    }

    /// The symbols of a name, globals and locals, in declaration order.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (SymbolId, &'a Symbol)> + 'a {
        self.iter().filter(move |(_, s)| s.name == name)
    }

    /// Every definition and use, sorted by position.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The reference whose identifier covers `offset` (its end included, where an editor's cursor
    /// sits after typing a name).
    pub fn reference_at(&self, offset: usize) -> Option<Reference> {
        let after = self.references.partition_point(|r| (r.span.start as usize) <= offset);
        self.references[..after].last().filter(|r| r.span.contains(offset)).copied()
    }

    /// Names read as values that name nothing declared and no builtin.
    pub fn unresolved(&self) -> &[ast::Ident] {
        &self.unresolved
    }

    /// Names a declaration could not take because a builtin has them.
    pub fn refused(&self) -> &[String] {
        &self.refused
    }

    /// Whether the uses of a name go unreported: its declaration was refused or misspelt.
    pub fn is_poisoned(&self, name: &str) -> bool {
        self.poisoned.contains(name)
    }

    /// Whether the resolution pass reported the identifier at `span` as unknown or of the wrong
    /// kind, so that elaboration need not.
    pub fn was_reported(&self, span: Span) -> bool {
        self.reported.contains(&span)
    }

    /// How many AST nodes the pass visited.
    pub fn visits(&self) -> usize {
        self.visits
    }
}

/// The symbols alone, in declaration order (as the checker's list of declarations was iterated).
impl<'a> IntoIterator for &'a SymbolTable {
    type Item = &'a Symbol;
    type IntoIter = std::slice::Iter<'a, Symbol>;

    fn into_iter(self) -> Self::IntoIter {
        self.symbols.iter()
    }
}

impl std::ops::Index<SymbolId> for SymbolTable {
    type Output = Symbol;

    fn index(&self, id: SymbolId) -> &Symbol {
        &self.symbols[id.index()]
    }
}

impl std::ops::IndexMut<SymbolId> for SymbolTable {
    fn index_mut(&mut self, id: SymbolId) -> &mut Symbol {
        &mut self.symbols[id.index()]
    }
}

/// The doc comment of a declaration starting at `offset`: the run of `//` comments (from the
/// lexer's `comments`, in source order) on the lines directly above its line, each without its
/// slashes and one following space. A blank line, a block comment or code ends the run, so a
/// `//` inside a `/* … */` block never counts.
pub fn doc_comment(text: &str, comments: &[Comment], offset: usize) -> Option<String> {
    let before = text.get(..offset)?;
    let mut line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    // Something else on the declaration's line before it (`qubits 2 const a = 1`) has no doc.
    if !before[line_start..].trim().is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut next = comments.partition_point(|c| (c.span.start as usize) < line_start);
    while next > 0 {
        let comment = comments[next - 1];
        let (start, end) = (comment.span.start as usize, comment.span.end as usize);
        // The comment must end the line just above: nothing but one line break after it.
        let after = text.get(end..line_start)?;
        let one_line_break = matches!(after.trim_matches([' ', '\t']), "\n" | "\r\n" | "\r");
        // …and be the only thing on its line.
        let comment_line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let alone = text[comment_line_start..start].trim().is_empty();
        if comment.kind != CommentKind::Line || !one_line_break || !alone {
            break;
        }
        let body = text.get(start..end)?;
        let body = body.strip_prefix("//").unwrap_or(body);
        lines.push(body.strip_prefix(' ').unwrap_or(body).trim_end().to_string());
        line_start = comment_line_start;
        next -= 1;
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use crate::lexer::lex_with_trivia;

    fn doc_comment(text: &str, offset: usize) -> Option<String> {
        let (_, trivia, _) = lex_with_trivia(text);
        super::doc_comment(text, &trivia.comments, offset)
    }

    #[test]
    fn a_doc_comment_is_the_comment_lines_directly_above() {
        let text = "qubits 2\n\n// The angles.\n// Two of them.\ninput x[2]\n";
        let offset = text.find("input").unwrap();
        assert_eq!(doc_comment(text, offset).as_deref(), Some("The angles.\nTwo of them."));
    }

    #[test]
    fn a_blank_line_ends_a_doc_comment() {
        let text = "// Not this.\n\ninput x\n";
        assert_eq!(doc_comment(text, text.find("input").unwrap()), None);
    }

    #[test]
    fn a_doc_comment_reads_crlf_lines_and_the_first_line_of_the_file() {
        let text = "// First.\r\n//Second.\r\nconst a = 1\r\n";
        assert_eq!(doc_comment(text, text.find("const").unwrap()).as_deref(), Some("First.\nSecond."));
        assert_eq!(doc_comment("input x", 0), None);
    }

    #[test]
    fn slashes_inside_a_block_comment_or_after_code_are_no_doc_comment() {
        let text = "/* Old notes:\n// not a doc\n*/\ninput x\n";
        assert_eq!(doc_comment(text, text.find("input").unwrap()), None);
        let text = "qubits 2 // the register\ninput x\n";
        assert_eq!(doc_comment(text, text.find("input").unwrap()), None);
        let text = "/* a block */\n// Kept.\ninput x\n";
        assert_eq!(doc_comment(text, text.find("input").unwrap()).as_deref(), Some("Kept."));
    }
}
