//! Signature help: inside the parentheses of a call to a gate, a template, a def or a builtin, and
//! in the wires after a gate or a def, the callee's signature with the argument under the cursor.
//!
//! Where the cursor is comes from the tokens before it, not from the syntax tree, because the call
//! being typed is rarely complete enough to parse: `ry(` has no closing parenthesis yet.

use super::document::Document;
use logos::Logos;
use lsp_types::{Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation};
use qmlc::builtins::{self, gates::GateInfo, ArgDefault, Entry, Kind};
use qmlc::lexer::Token;
use std::ops::Range;

/// Which part of an application the cursor is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Between the parentheses: `ry(|)`, `angle_embedding(x, |)`.
    Arguments,
    /// In the wires after the name or the arguments: `cnot 0, |`.
    Wires,
}

/// The call around a cursor, read from the tokens before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSite {
    pub callee: String,
    pub place: Place,
    /// The index of the argument (or wire) under the cursor: the top-level commas before it.
    pub index: usize,
    /// For each argument before the current one, its keyword when it is written `name = value`.
    pub earlier_keywords: Vec<Option<String>>,
    /// The keyword of the argument under the cursor, when the cursor is after its `name =`.
    pub keyword: Option<String>,
    /// Whether nothing but the word being typed stands between the cursor and the `(` or `,`.
    pub at_argument_start: bool,
    /// The keywords written in the arguments after the cursor.
    pub later_keywords: Vec<String>,
}

impl CallSite {
    /// Every keyword the call already gives, before and after the cursor.
    pub fn given_keywords(&self) -> impl Iterator<Item = &str> {
        self.earlier_keywords.iter().flatten().chain(&self.later_keywords).map(String::as_str)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opener {
    Paren,
    Bracket,
    /// A `{`, or the top level of the file.
    Brace,
}

/// One open bracket while the tokens before the cursor are read.
struct Frame {
    opener: Opener,
    /// The name in front of a `(`.
    callee: Option<String>,
    /// The index of the first token of each argument (or, for a brace, of the current statement).
    starts: Vec<usize>,
}

/// The call the cursor at `offset` is in, if any.
pub fn call_site(text: &str, offset: usize) -> Option<CallSite> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let tokens = tokens(&text[..offset]);
    let mut frames = vec![Frame { opener: Opener::Brace, callee: None, starts: vec![0] }];
    for (index, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::LParen => {
                let callee = match index.checked_sub(1).map(|previous| &tokens[previous].0) {
                    Some(Token::Ident(name)) => Some(name.clone()),
                    _ => None,
                };
                frames.push(Frame { opener: Opener::Paren, callee, starts: vec![index + 1] });
            }
            Token::LBracket => frames.push(Frame { opener: Opener::Bracket, callee: None, starts: vec![index + 1] }),
            Token::LBrace => frames.push(Frame { opener: Opener::Brace, callee: None, starts: vec![index + 1] }),
            Token::RParen | Token::RBracket => {
                let wanted = if *token == Token::RParen { Opener::Paren } else { Opener::Bracket };
                // An unmatched closer inside a block is a typo being made; it closes nothing.
                if let Some(position) = frames.iter().rposition(|f| f.opener == wanted || f.opener == Opener::Brace) {
                    if frames[position].opener == wanted {
                        frames.truncate(position);
                    }
                }
            }
            Token::RBrace => {
                if let Some(position) = frames.iter().rposition(|f| f.opener == Opener::Brace).filter(|&p| p > 0) {
                    frames.truncate(position);
                }
                if let Some(frame) = frames.last_mut().filter(|f| f.opener == Opener::Brace) {
                    frame.starts = vec![index + 1];
                }
            }
            Token::Comma => {
                if let Some(frame) = frames.last_mut().filter(|f| f.opener != Opener::Brace) {
                    frame.starts.push(index + 1);
                }
            }
            Token::Newline => {
                if let Some(frame) = frames.last_mut().filter(|f| f.opener == Opener::Brace) {
                    frame.starts = vec![index + 1];
                }
            }
            _ => {}
        }
    }
    // The innermost open parenthesis with a name in front of it, unless a block opens inside it.
    for frame in frames.iter().rev() {
        match (frame.opener, &frame.callee) {
            (Opener::Brace, _) => return wires_site(&tokens, frame.starts[0], offset),
            (Opener::Paren, Some(callee)) => {
                let later_keywords = later_keywords(&text[offset..]);
                return Some(arguments_site(&tokens, callee, &frame.starts, offset, later_keywords));
            }
            _ => {}
        }
    }
    None
}

/// The tokens of a text with their byte ranges, comments and unreadable characters left out.
fn tokens(text: &str) -> Vec<(Token, Range<usize>)> {
    Token::lexer(text)
        .spanned()
        .filter_map(|(token, span)| token.ok().map(|token| (token, span)))
        .filter(|(token, _)| !matches!(token, Token::LineComment | Token::BlockComment | Token::UnterminatedComment))
        .collect()
}

/// The keyword of the argument starting at token `start`, when it is written `name = …`.
fn keyword_at(tokens: &[(Token, Range<usize>)], start: usize) -> Option<String> {
    match (tokens.get(start), tokens.get(start + 1)) {
        (Some((Token::Ident(name), _)), Some((Token::Equals, _))) => Some(name.clone()),
        _ => None,
    }
}

fn arguments_site(
    tokens: &[(Token, Range<usize>)],
    callee: &str,
    starts: &[usize],
    offset: usize,
    later_keywords: Vec<String>,
) -> CallSite {
    let current = starts.last().copied().unwrap_or(tokens.len());
    let earlier_keywords = starts[..starts.len().saturating_sub(1)].iter().map(|&s| keyword_at(tokens, s)).collect();
    let typed = &tokens[current.min(tokens.len())..];
    let at_argument_start = match typed {
        [] => true,
        [(Token::Ident(_), span)] => span.end == offset,
        _ => false,
    };
    CallSite {
        callee: callee.to_string(),
        place: Place::Arguments,
        index: starts.len().saturating_sub(1),
        earlier_keywords,
        keyword: keyword_at(tokens, current),
        at_argument_start,
        later_keywords,
    }
}

/// The site in a statement's wires, `cnot 0, |` or `ry(x) |`, from the statement's tokens.
fn wires_site(tokens: &[(Token, Range<usize>)], start: usize, offset: usize) -> Option<CallSite> {
    let statement = tokens.get(start..)?;
    let (Token::Ident(callee), name_span) = statement.first()? else { return None };
    let mut rest = &statement[1..];
    let mut last_end = name_span.end;
    if let Some((Token::LParen, _)) = rest.first() {
        // The arguments are closed, or the cursor would be in them: skip to their `)`.
        let mut depth = 0usize;
        let close = rest.iter().position(|(token, _)| {
            match token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth == 0
        })?;
        last_end = rest[close].1.end;
        rest = &rest[close + 1..];
    }
    // Right after the name the cursor is still on it, not in the wires.
    if rest.is_empty() && offset <= last_end {
        return None;
    }
    let mut depth = 0usize;
    let mut index = 0;
    for (token, _) in rest {
        match token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => index += 1,
            _ => {}
        }
    }
    Some(CallSite {
        callee: callee.clone(),
        place: Place::Wires,
        index,
        earlier_keywords: Vec::new(),
        keyword: None,
        at_argument_start: false,
        later_keywords: Vec::new(),
    })
}

/// The keywords of the arguments after the cursor, up to the `)` that closes the call.
fn later_keywords(rest: &str) -> Vec<String> {
    let tokens = tokens(rest);
    let mut keywords = Vec::new();
    let mut depth = 0usize;
    for (index, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket if depth == 0 => break,
            Token::RParen | Token::RBracket => depth -= 1,
            Token::LBrace | Token::RBrace => break,
            Token::Comma if depth == 0 => keywords.extend(keyword_at(&tokens, index + 1)),
            _ => {}
        }
    }
    keywords
}

/// One parameter of a signature as shown: its label, its doc, and how an argument names it.
struct Parameter {
    label: String,
    doc: String,
    /// The name a keyword argument gives it (`None` for wires).
    name: Option<String>,
    /// Whether a positional argument can fill it.
    positional: bool,
}

/// Something callable, with the parts of its signature.
struct Callable {
    name: String,
    parameters: Vec<Parameter>,
    /// How many of the parameters are written between the parentheses; the rest are what is
    /// written after them: a gate's or def's wires, `on wires` for a template.
    in_parentheses: usize,
    doc: String,
}

/// The signature help at a byte offset, or `None` outside a call to something known.
pub fn signature_help(document: &mut Document, offset: usize) -> Option<SignatureHelp> {
    let text = &document.source.text;
    let site = call_site(text, offset)?;
    let callable = callable(&site.callee, text)?;
    let active = active_parameter(&callable, &site)?;
    let (label, offsets) = label_of(&callable);
    let parameters = callable
        .parameters
        .iter()
        .zip(offsets)
        .map(|(parameter, (start, end))| ParameterInformation {
            label: ParameterLabel::LabelOffsets([start, end]),
            documentation: (!parameter.doc.is_empty()).then(|| Documentation::String(parameter.doc.clone())),
        })
        .collect();
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: (!callable.doc.is_empty()).then(|| Documentation::String(callable.doc.clone())),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}

/// The parameter the cursor is on; one past the last when the argument matches none (so that a
/// client highlights nothing); `None` where the callable takes nothing at that place.
fn active_parameter(callable: &Callable, site: &CallSite) -> Option<u32> {
    let count = callable.parameters.len();
    let (arguments, wires) = callable.parameters.split_at(callable.in_parentheses);
    let index = match site.place {
        Place::Arguments => {
            if arguments.is_empty() {
                return None;
            }
            match &site.keyword {
                Some(keyword) => arguments.iter().position(|p| p.name.as_deref() == Some(keyword)).unwrap_or(count),
                None => {
                    // Positional arguments fill the positional parameters that no keyword gave.
                    let positional_before = site.earlier_keywords.iter().filter(|k| k.is_none()).count();
                    let given: Vec<&str> = site.given_keywords().collect();
                    arguments
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.positional && !p.name.as_deref().is_some_and(|n| given.contains(&n)))
                        .nth(positional_before)
                        .map_or(count, |(index, _)| index)
                }
            }
        }
        Place::Wires => {
            if wires.is_empty() {
                return None;
            }
            // A variadic wire list is one parameter, `wires…`.
            let last = wires.len() - 1;
            let variadic = wires[last].label.ends_with('…');
            match site.index {
                index if index < wires.len() => callable.in_parentheses + index,
                _ if variadic => callable.in_parentheses + last,
                _ => count,
            }
        }
    };
    u32::try_from(index).ok()
}

/// The signature's label, `ry(θ) wire`, and each parameter's range in it in UTF-16 units.
fn label_of(callable: &Callable) -> (String, Vec<(u32, u32)>) {
    let mut label = callable.name.clone();
    let mut offsets = Vec::with_capacity(callable.parameters.len());
    let units = |text: &str| text.encode_utf16().count() as u32;
    let (arguments, wires) = callable.parameters.split_at(callable.in_parentheses);
    if !arguments.is_empty() {
        label.push('(');
        for (index, parameter) in arguments.iter().enumerate() {
            if index > 0 {
                label.push_str(", ");
            }
            let start = units(&label);
            label.push_str(&parameter.label);
            offsets.push((start, units(&label)));
        }
        label.push(')');
    }
    for (index, parameter) in wires.iter().enumerate() {
        label.push_str(if index > 0 { ", " } else { " " });
        let start = units(&label);
        label.push_str(&parameter.label);
        offsets.push((start, units(&label)));
    }
    (label, offsets)
}

/// The gate a program may write under this name.
pub fn gate_named(name: &str) -> Option<&'static GateInfo> {
    builtins::gates::GATES.iter().find(|gate| gate.surface_names().any(|n| n == name))
}

/// The registry entry called by this name, templates first, with its kind.
pub fn entry_named(name: &str) -> Option<(Kind, &'static Entry)> {
    Kind::ALL.iter().find_map(|&kind| builtins::find(kind, name).map(|entry| (kind, entry)))
}

fn callable(name: &str, text: &str) -> Option<Callable> {
    if let Some(gate) = gate_named(name) {
        let mut parameters: Vec<Parameter> = gate
            .angle_names
            .iter()
            .map(|angle| Parameter {
                label: angle.to_string(),
                doc: "an angle, in radians".to_string(),
                name: None,
                positional: true,
            })
            .collect();
        let in_parentheses = parameters.len();
        let wire = |label: String, doc: &str| Parameter { label, doc: doc.to_string(), name: None, positional: false };
        match gate.n_wires {
            Some(1) => parameters.push(wire("wire".into(), "the wire it acts on")),
            Some(count) => {
                for index in 0..count {
                    parameters.push(wire(format!("wire{index}"), "one of its wires, in order"));
                }
            }
            None => parameters.push(wire("wires…".into(), "the wires it acts on, one or more")),
        }
        return Some(Callable { name: name.to_string(), parameters, in_parentheses, doc: gate.doc.to_string() });
    }
    if let Some((params, doc)) = def_named(text, name) {
        let mut parameters: Vec<Parameter> = params
            .into_iter()
            .map(|label| Parameter {
                name: label.split('[').next().map(|n| n.trim().to_string()),
                label,
                doc: String::new(),
                positional: true,
            })
            .collect();
        let in_parentheses = parameters.len();
        parameters.push(Parameter {
            label: "wires…".into(),
            doc: "the wires the body's wires 0, 1, … stand for".into(),
            name: None,
            positional: false,
        });
        return Some(Callable { name: name.to_string(), parameters, in_parentheses, doc });
    }
    let (kind, entry) = entry_named(name)?;
    let parameters: Vec<Parameter> = entry
        .args
        .iter()
        .map(|arg| {
            let (label, mut doc) = match arg.default {
                ArgDefault::Required => (arg.name.to_string(), "required".to_string()),
                ArgDefault::Number(_) | ArgDefault::Word(_) => {
                    let written = entry_arg_label(entry, arg.name);
                    let default = written.split_once(" = ").map_or("", |(_, default)| default).to_string();
                    (written, format!("default {default}"))
                }
            };
            if arg.named {
                doc.push_str(", given by name");
            }
            Parameter { label, doc, name: Some(arg.name.to_string()), positional: !arg.named }
        })
        .collect();
    let in_parentheses = parameters.len();
    let mut doc = entry.doc.to_string();
    if !entry.shape.is_empty() {
        doc.push_str(&format!("\n\nShapes: {}", entry.shape));
    }
    let mut callable = Callable { name: name.to_string(), parameters, in_parentheses, doc };
    if kind == Kind::Template {
        callable.parameters.push(Parameter {
            label: "on wires".into(),
            doc: "where it is placed; all wires when left out".into(),
            name: None,
            positional: false,
        });
    }
    Some(callable)
}

/// A def's parameters as written (`a`, `b[2]`) and its doc comment, read from the tokens rather
/// than the syntax tree: a call being typed often leaves the file unparsable, and then the tree is
/// empty.
fn def_named(text: &str, name: &str) -> Option<(Vec<String>, String)> {
    let tokens = tokens(text);
    let start = tokens.windows(3).position(
        |window| matches!(window, [(Token::Def, _), (Token::Ident(found), _), (Token::LParen, _)] if found == name),
    )?;
    let mut params = Vec::new();
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut depth = 0usize;
    for (token, span) in &tokens[start + 3..] {
        match token {
            Token::RParen if depth == 0 => break,
            Token::Comma if depth == 0 => {
                params.extend(first.take().map(|first| text[first..last].to_string()));
                continue;
            }
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::LBrace | Token::RBrace => break,
            _ => {}
        }
        first.get_or_insert(span.start);
        last = span.end;
    }
    params.extend(first.map(|first| text[first..last].to_string()));
    // The `//` lines directly above the `def`, as the symbol table reads a doc comment.
    let def_start = tokens[start].1.start;
    let line_start = text[..def_start].rfind('\n').map_or(0, |i| i + 1);
    let mut doc: Vec<&str> = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|line| line.starts_with("//"))
        .map(|line| line.trim_start_matches('/').trim())
        .collect();
    doc.reverse();
    Some((params, doc.join("\n")))
}

/// How the registry writes one argument: `rotation = X`, `lr = 0.001`.
pub fn entry_arg_label(entry: &Entry, name: &str) -> String {
    let signature = entry.signature();
    let inside = signature.split_once('(').map_or("", |(_, rest)| rest.trim_end_matches(')'));
    inside
        .split(", ")
        .find(|part| part.split(" = ").next() == Some(name))
        .map_or_else(|| name.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature help where `|` stands in `text`: its label, the active parameter's label and index.
    fn help(text: &str) -> Option<(String, String, u32)> {
        let offset = text.find('|').unwrap_or(0);
        let text = text.replacen('|', "", 1);
        let mut document = Document::new("m.qml", text, 1);
        let help = signature_help(&mut document, offset)?;
        let signature = help.signatures.into_iter().next()?;
        let active = help.active_parameter?;
        let parameter =
            signature.parameters.as_ref().and_then(|p| p.get(active as usize)).map_or_else(String::new, |parameter| {
                match parameter.label {
                    ParameterLabel::LabelOffsets([start, end]) => {
                        let units: Vec<u16> = signature.label.encode_utf16().collect();
                        String::from_utf16_lossy(&units[start as usize..end as usize])
                    }
                    ParameterLabel::Simple(ref label) => label.clone(),
                }
            });
        Some((signature.label, parameter, active))
    }

    fn expect(text: &str, label: &str, parameter: &str, active: u32) {
        assert_eq!(help(text), Some((label.to_string(), parameter.to_string(), active)), "{text}");
    }

    const START: &str = "qubits 3\nparam w[2, 3]\ninput x[3]\n";

    #[test]
    fn a_gate_shows_its_angles_then_its_wires() {
        expect(&format!("{START}circuit {{\n    rot(|\n}}\n"), "rot(φ, θ, ω) wire", "φ", 0);
        expect(&format!("{START}circuit {{\n    rot(x[0], w[0, |1], 0) 0\n}}\n"), "rot(φ, θ, ω) wire", "θ", 1);
        expect(&format!("{START}circuit {{\n    rot(x[0], sin(w[0, 1]), |) 0\n}}\n"), "rot(φ, θ, ω) wire", "ω", 2);
        expect(&format!("{START}circuit {{\n    crx(x[0]) 0, |\n}}\n"), "crx(θ) wire0, wire1", "wire1", 2);
        expect(&format!("{START}circuit {{\n    cnot |\n}}\n"), "cnot wire0, wire1", "wire0", 0);
        expect(&format!("{START}circuit {{\n    multirz(x[0]) 0, 1, |\n}}\n"), "multirz(θ) wires…", "wires…", 1);
    }

    #[test]
    fn a_nested_call_shows_the_innermost_callee() {
        expect(&format!("{START}circuit {{\n    ry(sin(|)) 0\n}}\n"), "sin(x)", "x", 0);
        expect(&format!("{START}circuit {{\n    ry(mod(1, |)) 0\n}}\n"), "mod(a, b)", "b", 1);
        // Brackets and plain parentheses inside the arguments hide their commas.
        expect(&format!("{START}circuit {{\n    rot((1 + 2), [1, 2][0], |) 0\n}}\n"), "rot(φ, θ, ω) wire", "ω", 2);
    }

    #[test]
    fn a_template_shows_its_arguments_and_follows_keywords() {
        let label = "angle_embedding(features, rotation = X) on wires";
        expect(&format!("{START}circuit {{\n    angle_embedding(|)\n}}\n"), label, "features", 0);
        expect(&format!("{START}circuit {{\n    angle_embedding(x, rotation = |)\n}}\n"), label, "rotation = X", 1);
        expect(&format!("{START}circuit {{\n    angle_embedding(rotation = Y, |)\n}}\n"), label, "features", 0);
        let text = format!("{START}circuit {{\n    angle_embedding(|)\n}}\n");
        let mut document = Document::new("m.qml", text.replacen('|', "", 1), 1);
        let help = signature_help(&mut document, text.find('|').unwrap_or(0)).expect("a signature");
        let doc = format!("{:?}", help.signatures[0].documentation);
        assert!(doc.contains("Shapes: features: [k], k ≤ n"), "{doc}");
    }

    #[test]
    fn a_def_shows_its_parameters_and_doc_comment() {
        let text = format!(
            "{START}// One layer of rotations.\ndef layer(a, b[2]) {{\n    ry(a) 0\n}}\ncircuit {{\n    layer(1, |\n}}\n"
        );
        expect(&text, "layer(a, b[2]) wires…", "b[2]", 1);
        let mut document = Document::new("m.qml", text.replacen('|', "", 1), 1);
        let help = signature_help(&mut document, text.find('|').unwrap_or(0)).expect("a signature");
        assert_eq!(help.signatures[0].documentation, Some(Documentation::String("One layer of rotations.".into())));
        let text = format!("{START}def layer(a) {{\n    ry(a) 0\n}}\ncircuit {{\n    layer(0.5) 0, |\n}}\n");
        expect(&text, "layer(a) wires…", "wires…", 1);
    }

    #[test]
    fn a_builtin_in_a_train_block_is_helped_too() {
        let text = "qubits 1\ntrain {\n    optimizer adam(lr = 0.1, |)\n}\n";
        expect(text, "adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)", "beta1 = 0.9", 1);
        let text = "qubits 1\ntrain {\n    optimizer adam(eps = |)\n}\n";
        expect(text, "adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)", "eps = 1e-8", 3);
    }

    #[test]
    fn outside_a_call_there_is_no_help() {
        assert_eq!(help(&format!("{START}circuit {{\n    ry(x[0]) 0\n    |\n}}\n")), None);
        assert_eq!(help(&format!("{START}circuit {{\n    ry|\n}}\n")), None);
        assert_eq!(help(&format!("{START}circuit {{\n    ry(x[0]) 0\n}}\n|")), None);
        // A closed call and a block opened inside parentheses end the help.
        assert_eq!(help(&format!("{START}circuit {{\n    ctrl(0) {{ |\n}}\n")), None);
        assert_eq!(help("qubits 1\nmeasure expval(Z(0)) |\n"), None);
        let mut document = Document::new("m.qml", "ry(".into(), 1);
        assert!(signature_help(&mut document, usize::MAX).is_some(), "the end of the text is in the call");
    }

    #[test]
    fn the_call_site_knows_keywords_before_and_after_the_cursor() {
        let text = "circuit {\n    strongly_entangling_layers(w, ranges = [1, 2], |, imprimitive = cz)\n}\n";
        let offset = text.find('|').unwrap_or(0);
        let site = call_site(&text.replacen('|', "", 1), offset).expect("a call");
        assert_eq!(site.callee, "strongly_entangling_layers");
        assert_eq!(site.index, 2);
        assert_eq!(site.earlier_keywords, vec![None, Some("ranges".to_string())]);
        assert_eq!(site.later_keywords, vec!["imprimitive".to_string()]);
        assert!(site.at_argument_start);
        assert_eq!(site.given_keywords().collect::<Vec<_>>(), vec!["ranges", "imprimitive"]);
    }
}
