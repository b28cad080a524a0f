//! OpenQASM 2 and 3 in: a `.qasm` file as a `.qml` program, with diagnostics that point into the QASM source.
//!
//! The importer is pure: text in, a qmlc program and diagnostics out. Its stages are a logos
//! lexer (`lexer`), a recursive-descent parser that recovers at statement boundaries (`parser`,
//! into `ast`), and a translator (`translate`) that unrolls loops, checks every index and gate
//! against the OpenQASM declarations, and writes qmlc lines; `gates` says how each OpenQASM gate
//! is written in qmlc (through the gate table's `qasm` column), `expr` translates and evaluates
//! expressions, `names` respells names qmlc reserves. The program is then put in `qmlc fmt`'s
//! layout, so `fmt` leaves it unchanged, and compiled, so that a program `check` refuses is never
//! written.

mod ast;
mod expr;
mod gates;
mod lexer;
mod names;
mod parser;
mod translate;

use crate::codes::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::source::Span;

/// The result of importing one file.
#[derive(Debug)]
pub struct Import {
    /// The qmlc program, when the file had no errors.
    pub qml: Option<String>,
    /// Every error and warning, sorted by position, with spans into the OpenQASM text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Imports the OpenQASM 2 or 3 program `text`; `source_name` is the file's name, written in the
/// program's header comment.
pub fn import(source_name: &str, text: &str) -> Import {
    let (lexemes, mut diagnostics) = lexer::lex(text);
    let (statements, syntax) = parser::parse(text, &lexemes);
    diagnostics.extend(syntax);
    let mut translator = translate::Translator::new(text, version_of(&statements));
    translator.program(&statements);
    diagnostics.append(&mut translator.diagnostics);
    let mut qml = if diagnostic::has_errors(&diagnostics) { None } else { translator.finish(source_name) };
    diagnostics.append(&mut translator.diagnostics);
    if let Some(program) = qml.take() {
        match crate::fmt::format(&program) {
            Ok(formatted) => match compile_error(&formatted) {
                None => qml = Some(formatted),
                Some(diagnostic) => diagnostics.push(diagnostic),
            },
            Err(_) => diagnostics.push(Diagnostic::error(
                Code::E1019,
                "the importer wrote a program qmlc cannot read; this is a bug in `qmlc import`",
                Span::new(0, 0),
                "while importing this file",
            )),
        }
    }
    diagnostic::sort_and_dedup(&mut diagnostics);
    Import { qml, diagnostics }
}

/// The first error `check` reports on the imported program, as one import diagnostic: the
/// importer checks what it can with spans into the OpenQASM file, and this makes sure that it
/// never writes a program that `check` would refuse.
fn compile_error(qml: &str) -> Option<Diagnostic> {
    let output = crate::check::compile(qml);
    let first = output.diagnostics.iter().find(|diagnostic| diagnostic.is_error())?;
    Some(
        Diagnostic::error(
            Code::E1019,
            format!("the imported program is not a valid qmlc program: {}", first.message),
            Span::new(0, 0),
            "while importing this file",
        )
        .with_note(format!("`qmlc check` reports {} on the program the importer would write", first.code)),
    )
}

/// The program's OpenQASM version: its `OPENQASM` line's, or a guess from what it declares
/// (`qreg` and `qelib1.inc` are version 2's, `qubit` and `stdgates.inc` version 3's).
fn version_of(statements: &[ast::Stmt]) -> u32 {
    for statement in statements {
        match statement {
            ast::Stmt::Version { major: major @ (2 | 3), .. } => return *major,
            ast::Stmt::Include { path, .. } if path == "stdgates.inc" => return 3,
            ast::Stmt::Include { path, .. } if path == "qelib1.inc" => return 2,
            _ => {}
        }
    }
    2
}

#[cfg(test)]
mod tests;
