//! The REPL's line-editing helper: completion, gate signature hints, highlighting, and blocks continued while brackets are open.

use qmlc::builtins::{self, gates::GATES};
use qmlc::session::{is_complete, COMMANDS};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::Context;
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// The names the session has declared, shared with the helper, which rustyline owns.
#[derive(Clone, Default)]
pub struct Names(Rc<RefCell<Vec<String>>>);

impl Names {
    pub fn set(&self, names: Vec<String>) {
        *self.0.borrow_mut() = names;
    }

    fn get(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

pub struct Helper {
    names: Names,
    color: bool,
    files: FilenameCompleter,
}

impl Helper {
    pub fn new(names: Names, color: bool) -> Helper {
        Helper { names, color, files: FilenameCompleter::new() }
    }
}

impl rustyline::Helper for Helper {}

/// Where the word being typed starts: after the last character that cannot be part of a name.
fn word_start(line: &str, pos: usize) -> usize {
    line[..pos].rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).map_or(0, |index| index + 1)
}

/// The gate names a program may write, with each alias.
fn gate_names() -> impl Iterator<Item = &'static str> {
    GATES.iter().filter(|gate| gate.surface).flat_map(|gate| gate.surface_names())
}

/// A gate's signature as a hint after its name: `(θ) — 1 wire: rotation about Y`.
fn gate_signature(name: &str) -> Option<String> {
    let gate = GATES.iter().find(|gate| gate.surface && gate.surface_names().any(|alias| alias == name))?;
    let angles = if gate.angle_names.is_empty() { String::new() } else { format!("({})", gate.angle_names.join(", ")) };
    let wires = match gate.n_wires {
        Some(1) => "1 wire".to_string(),
        Some(count) => format!("{count} wires"),
        None => "any wires".to_string(),
    };
    Some(format!("{angles} — {wires}: {}", gate.doc))
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, context: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line[..pos].trim_start();
        if before.starts_with(":load ") || before.starts_with(":save ") {
            return self.files.complete(line, pos, context);
        }
        let start = word_start(line, pos);
        let word = &line[start..pos];
        let first_word = line[..start].trim().is_empty();
        let mut candidates: Vec<String> = Vec::new();
        if word.starts_with(':') && first_word {
            candidates.extend(COMMANDS.iter().map(|(command, _, _)| command.to_string()));
        } else if before.starts_with(":help ") {
            candidates.extend(gate_names().map(str::to_string));
            candidates.extend(builtins::TEMPLATES.iter().map(|entry| entry.name.to_string()));
            candidates.extend(COMMANDS.iter().map(|(command, _, _)| command.trim_start_matches(':').to_string()));
        } else if first_word || line[..start].trim_end().ends_with(['{', ';']) {
            candidates.extend(builtins::KEYWORDS.iter().map(|keyword| keyword.name.to_string()));
            candidates.extend(gate_names().map(str::to_string));
            candidates.extend(builtins::TEMPLATES.iter().map(|entry| entry.name.to_string()));
            candidates.extend(self.names.get());
        } else {
            candidates.extend(self.names.get());
            candidates.extend(builtins::FUNCTIONS.iter().map(|entry| entry.name.to_string()));
            candidates.extend(builtins::OBSERVABLES.iter().map(|entry| entry.name.to_string()));
            candidates.extend(builtins::MEASUREMENTS.iter().map(|entry| entry.name.to_string()));
            candidates.extend(builtins::CONSTANTS.iter().map(|entry| entry.name.to_string()));
            candidates.extend(builtins::KEYWORDS.iter().map(|keyword| keyword.name.to_string()));
        }
        candidates.retain(|candidate| candidate.starts_with(word));
        candidates.sort();
        candidates.dedup();
        Ok((start, candidates.into_iter().map(|name| Pair { display: name.clone(), replacement: name }).collect()))
    }
}

/// A hint shown after the cursor, never inserted.
pub struct SignatureHint(String);

impl Hint for SignatureHint {
    fn display(&self) -> &str {
        &self.0
    }

    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Hinter for Helper {
    type Hint = SignatureHint;

    fn hint(&self, line: &str, pos: usize, _context: &Context<'_>) -> Option<SignatureHint> {
        if pos != line.len() {
            return None;
        }
        let start = word_start(line, pos);
        let first_word = line[..start].trim().is_empty() || line[..start].trim_end().ends_with(['{', ';']);
        if !first_word || start == pos {
            return None;
        }
        gate_signature(&line[start..pos]).map(SignatureHint)
    }
}

impl Validator for Helper {
    fn validate(&self, context: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        if is_complete(context.input()) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

const KEYWORD_COLOR: &str = "\x1b[1;35m";
const GATE_COLOR: &str = "\x1b[36m";
const NUMBER_COLOR: &str = "\x1b[33m";
const COMMENT_COLOR: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Colours keywords, gates and templates, numbers and comments.
fn highlight_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut rest = line;
    while let Some(character) = rest.chars().next() {
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push_str(COMMENT_COLOR);
            out.push_str(&rest[..end]);
            out.push_str(RESET);
            rest = &rest[end..];
        } else if character.is_ascii_alphabetic() || character == '_' {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let word = &rest[..end];
            let color = if builtins::KEYWORDS.iter().any(|keyword| keyword.name == word) {
                Some(KEYWORD_COLOR)
            } else if gate_names().any(|name| name == word) || builtins::TEMPLATES.iter().any(|t| t.name == word) {
                Some(GATE_COLOR)
            } else {
                None
            };
            match color {
                Some(color) => out.push_str(&format!("{color}{word}{RESET}")),
                None => out.push_str(word),
            }
            rest = &rest[end..];
        } else if character.is_ascii_digit() {
            let end =
                rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E')).unwrap_or(rest.len());
            // `0..4` is a range: the dots are not part of the number.
            let end = rest[..end].find("..").unwrap_or(end);
            out.push_str(&format!("{NUMBER_COLOR}{}{RESET}", &rest[..end]));
            rest = &rest[end..];
        } else {
            out.push(character);
            rest = &rest[character.len_utf8()..];
        }
    }
    out
}

impl Highlighter for Helper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight_line(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{COMMENT_COLOR}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_keeps_the_text_and_colours_words_and_numbers() {
        let line = "for i in 0..3 { ry(0.5) i } // done";
        let coloured = highlight_line(line);
        let plain: String = coloured
            .replace(KEYWORD_COLOR, "")
            .replace(GATE_COLOR, "")
            .replace(NUMBER_COLOR, "")
            .replace(COMMENT_COLOR, "")
            .replace(RESET, "");
        assert_eq!(plain, line);
        assert!(coloured.contains(&format!("{KEYWORD_COLOR}for{RESET}")));
        assert!(coloured.contains(&format!("{GATE_COLOR}ry{RESET}")));
        assert!(coloured.contains(&format!("{NUMBER_COLOR}0{RESET}..")));
    }

    #[test]
    fn a_gate_name_hints_its_signature() {
        assert_eq!(gate_signature("cnot").as_deref().map(|s| s.starts_with(" — 2 wires: ")), Some(true));
        assert!(gate_signature("ry").is_some_and(|s| s.starts_with("(θ) — 1 wire: ")), "{:?}", gate_signature("ry"));
        assert_eq!(gate_signature("nope"), None);
    }
}
