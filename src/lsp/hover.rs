//! Hover: what a name under the cursor is, from the symbol table for a declared name and from the
//! builtin registry for a gate, template, function, optimizer or keyword.

use super::document::{range_of, Document};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use qmlc::ast::ItemKind;
use qmlc::source::Span;

/// What `encode` declares (LANGUAGE.md §10.2). The registry has no entry for it, since it is no
/// keyword: the lexer reads `encode` as one only at the start of a top-level line before a name.
pub const ENCODE_DOC: &str = "`encode LAYER, …`: layers applied to each data row (after `features` scaling) before \
                              it is bound to the inputs; the last width must equal the total size of the inputs. \
                              Its params are named `encode.K.weight` and `encode.K.bias` and are trained with the \
                              rest.";

/// The line every gate's hover ends with, as the reference states the convention.
const MATRIX_CONVENTION: &str = "Matrices are PennyLane's; the first wire is the most significant bit.";

/// The hover at a byte offset, or `None` where there is nothing to say.
pub fn hover(document: &mut Document, offset: usize) -> Option<Hover> {
    let (span, word) = word_at(&document.source.text, offset)?;
    let analysis = document.analysis();
    let markdown = match analysis.definition_at(offset) {
        Some(symbol) => {
            let mut text = String::new();
            let signature = if symbol.detail.is_empty() {
                format!("{} {}", symbol.kind.describe(), symbol.name)
            } else {
                symbol.detail.clone()
            };
            text.push_str(&format!("```qml\n{signature}\n```\n\n{}", symbol.kind.describe()));
            match &symbol.shape {
                Some(shape) if shape.is_empty() => text.push_str(", a scalar"),
                Some(shape) => {
                    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
                    text.push_str(&format!(", shape [{}]", dims.join(", ")));
                }
                None => {}
            }
            if let Some(doc) = &symbol.doc {
                text.push_str(&format!("\n\n{}", doc.trim()));
            }
            text
        }
        None if word == "encode" && declares_encode(analysis, span) => {
            format!("```text\nencode LAYER, … (declaration)\n```\n\n{ENCODE_DOC}")
        }
        None => {
            let entry = qmlc::builtins::describe(&word)?;
            let mut text = format!("```text\n{}\n```", entry.trim_end());
            if qmlc::ir::GateKind::from_name(&word).is_some() {
                text.push_str(&format!("\n\n{MATRIX_CONVENTION}"));
            }
            text
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
        range: Some(range_of(&document.source, span)),
    })
}

/// Whether the word at `span` is the `encode` that opens an encode declaration (a name `encode`
/// elsewhere is a user's name, or nothing).
fn declares_encode(analysis: &qmlc::analysis::Analysis, span: Span) -> bool {
    analysis.ast.items.iter().any(|item| matches!(item.kind, ItemKind::Encode(_)) && item.span.start == span.start)
}

/// Whether a character can be part of a name.
pub fn is_name_char(character: char) -> bool {
    character.is_alphanumeric() || character == '_'
}

/// The name at or just before a byte offset (an identifier's end counts as on it), with its span.
pub fn word_at(text: &str, offset: usize) -> Option<(Span, String)> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let start = before.char_indices().rev().take_while(|(_, c)| is_name_char(*c)).last().map_or(offset, |(i, _)| i);
    let after = &text[offset..];
    let end = offset + after.char_indices().find(|(_, c)| !is_name_char(*c)).map_or(after.len(), |(i, _)| i);
    let word = &text[start..end];
    let starts_like_a_name = word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
    starts_like_a_name.then(|| (Span::new(start, end), word.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "qubits 2\n// The rotation angles.\nparam theta[2] = zeros\ninput x[2]\ncircuit {\n    \
                         ry(theta[0]) 0\n    cnot 0, 1\n    strongly_entangling_layers(theta) on 0..2\n}\n\
                         measure expval(Z(0))\ntrain {\n    data moons()\n    optimizer adam(lr = 0.1)\n}\n";

    fn hover_text(text: &str, needle: &str, nth: usize) -> Option<String> {
        let mut document = Document::new("m.qml", text.to_string(), 1);
        let offset = text.match_indices(needle).nth(nth).map(|(i, _)| i + 1)?;
        hover(&mut document, offset).map(|hover| match hover.contents {
            HoverContents::Markup(markup) => markup.value,
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn a_gate_shows_its_signature_doc_and_matrix_convention() {
        let text = hover_text(MODEL, "ry(", 0).expect("a hover");
        assert!(text.contains("ry(θ) (gate)"), "{text}");
        assert!(text.contains(MATRIX_CONVENTION), "{text}");
        let text = hover_text(MODEL, "cnot", 0).expect("a hover");
        assert!(text.contains("(gate)"), "{text}");
    }

    #[test]
    fn a_param_shows_its_kind_shape_initializer_and_doc_comment() {
        let text = hover_text(MODEL, "theta[0]", 0).expect("a hover");
        assert!(text.contains("param theta[2]"), "{text}");
        assert!(text.contains("shape [2]"), "{text}");
        assert!(text.contains("The rotation angles."), "{text}");
    }

    #[test]
    fn a_template_and_an_optimizer_show_their_registry_entries() {
        let text = hover_text(MODEL, "strongly_entangling_layers", 0).expect("a hover");
        assert!(text.contains("(template)"), "{text}");
        let text = hover_text(MODEL, "adam", 0).expect("a hover");
        assert!(text.contains("adam(lr = 0.001"), "{text}");
        assert!(text.contains("(optimizer)"), "{text}");
    }

    #[test]
    fn whitespace_and_numbers_have_no_hover() {
        assert!(hover_text(MODEL, "    ry", 0).is_none());
        let mut document = Document::new("m.qml", MODEL.to_string(), 1);
        assert!(hover(&mut document, MODEL.find("0..2").unwrap_or(0)).is_none());
        assert!(hover(&mut document, usize::MAX).is_none());
    }

    #[test]
    fn a_word_is_found_from_its_start_its_middle_and_its_end() {
        assert_eq!(word_at("ry(x) 0", 0).map(|(_, w)| w), Some("ry".into()));
        assert_eq!(word_at("ry(x) 0", 1).map(|(_, w)| w), Some("ry".into()));
        assert_eq!(word_at("ry(x) 0", 2).map(|(_, w)| w), Some("ry".into()));
        assert_eq!(word_at("ry(x) 0", 6).map(|(_, w)| w), None);
        assert_eq!(word_at("θ_1 + 2", 3).map(|(_, w)| w), Some("θ_1".into()));
    }

    #[test]
    fn encode_shows_what_it_declares_where_it_declares() {
        let model = "qubits 1\ninput x[1]\nencode linear(1), tanh\ncircuit { ry(x[0]) 0 }\nmeasure expval(Z(0))\n";
        let text = hover_text(model, "encode", 0).expect("a hover");
        assert!(text.contains("encode LAYER, … (declaration)"), "{text}");
        assert!(text.contains("encode.K.weight"), "{text}");
        // `encode` is no keyword: a param of that name is the param.
        let model = "qubits 1\nparam encode = 0.5\ncircuit { ry(encode) 0 }\n";
        let text = hover_text(model, "encode)", 0).expect("a hover");
        assert!(text.contains("param encode"), "{text}");
        assert!(!text.contains("(declaration)"), "{text}");
    }
}
