//! Completion that knows where it is: gates, templates and defs at a statement start, train fields
//! at a statement start in a train block, the registry's optimizers, losses, data sets, feature
//! maps and gradient methods after their field names, and declared names, functions, constants and
//! observables in expressions.

use super::document::Document;
use super::hover::is_name_char;
use lsp_types::{CompletionItem, CompletionItemKind, Documentation};
use qmlc::analysis::Node;
use qmlc::ast::ItemKind;
use qmlc::builtins::{self, Entry, Kind};
use qmlc::check::SymbolKind;

/// The completions at a byte offset. The client filters them by the word being typed.
pub fn completion(document: &mut Document, offset: usize) -> Vec<CompletionItem> {
    let (source, analysis) = document.analysed();
    let text = &source.text;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let typed_start = text[line_start..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(offset, |(i, _)| line_start + i);
    let before = text[line_start..typed_start].trim_end();
    let previous_word = before.rsplit(|c: char| !is_name_char(c)).next().unwrap_or("");
    let field_kind = match previous_word {
        "optimizer" => Some(Kind::Optimizer),
        "loss" => Some(Kind::Loss),
        "data" => Some(Kind::DataSource),
        "features" => Some(Kind::FeatureMap),
        "gradient" => Some(Kind::GradientMethod),
        _ => None,
    };
    // A field name is the only word before the value: `optimizer adam`, not `x = loss`.
    if let Some(kind) = field_kind.filter(|_| before.trim_start() == previous_word) {
        return entries(kind, CompletionItemKind::FUNCTION);
    }
    let statement_start = before.is_empty() || before.ends_with(['{', ';']);
    let in_train = analysis
        .nodes_at(offset)
        .iter()
        .any(|node| matches!(node, Node::Item(item) if matches!(item.kind, ItemKind::Train { .. })));
    let mut items = Vec::new();
    if statement_start && in_train {
        for field in builtins::TRAIN_FIELDS {
            items.push(item(field.name, CompletionItemKind::FIELD, field.values, field.doc));
        }
        return items;
    }
    if statement_start {
        for gate in builtins::gates::GATES.iter().filter(|gate| gate.surface) {
            let signature = if gate.angle_names.is_empty() {
                gate.name.to_string()
            } else {
                format!("{}({})", gate.name, gate.angle_names.join(", "))
            };
            for name in gate.surface_names() {
                items.push(item(name, CompletionItemKind::FUNCTION, &signature, gate.doc));
            }
        }
        items.extend(entries(Kind::Template, CompletionItemKind::MODULE));
        for keyword in builtins::KEYWORDS {
            items.push(item(keyword.name, CompletionItemKind::KEYWORD, "keyword", keyword.doc));
        }
    }
    for (_, symbol) in analysis.symbols.iter() {
        let visible = symbol.scope.is_none_or(|scope| scope.contains(offset));
        let wanted = if statement_start { symbol.kind == SymbolKind::Def } else { symbol.kind != SymbolKind::Def };
        if visible && wanted && !items.iter().any(|i: &CompletionItem| i.label == symbol.name) {
            let kind = match symbol.kind {
                SymbolKind::Const => CompletionItemKind::CONSTANT,
                SymbolKind::Def => CompletionItemKind::FUNCTION,
                _ => CompletionItemKind::VARIABLE,
            };
            let detail = if symbol.detail.is_empty() { symbol.kind.describe() } else { &symbol.detail };
            items.push(item(&symbol.name, kind, detail, symbol.doc.as_deref().unwrap_or("")));
        }
    }
    if !statement_start {
        items.extend(entries(Kind::Function, CompletionItemKind::FUNCTION));
        for constant in builtins::CONSTANTS {
            items.push(item(constant.name, CompletionItemKind::CONSTANT, &constant.value.to_string(), constant.doc));
        }
        if before.trim_start().starts_with("measure") {
            items.extend(entries(Kind::Measurement, CompletionItemKind::FUNCTION));
            items.extend(entries(Kind::Observable, CompletionItemKind::FUNCTION));
        }
        if before.trim_start().starts_with("param") {
            items.extend(entries(Kind::Initializer, CompletionItemKind::FUNCTION));
        }
        if before.trim_start().starts_with("head") {
            items.extend(entries(Kind::HeadLayer, CompletionItemKind::FUNCTION));
        }
    }
    items
}

fn entries(kind: Kind, item_kind: CompletionItemKind) -> Vec<CompletionItem> {
    kind.entries().iter().map(|entry: &Entry| item(entry.name, item_kind, &entry.signature(), entry.doc)).collect()
}

fn item(label: &str, kind: CompletionItemKind, detail: &str, doc: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        documentation: (!doc.is_empty()).then(|| Documentation::String(doc.to_string())),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels offered where `|` stands in `text`.
    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').unwrap_or(0);
        let text = text.replacen('|', "", 1);
        let mut document = Document::new("m.qml", text, 1);
        completion(&mut document, offset).into_iter().map(|item| item.label).collect()
    }

    #[test]
    fn a_statement_start_offers_gates_templates_and_defs() {
        let found = labels("qubits 2\ndef layer(a) { ry(a) 0 }\ncircuit {\n    r|\n}\n");
        for name in ["ry", "cnot", "strongly_entangling_layers", "layer", "for"] {
            assert!(found.iter().any(|l| l == name), "{name} in {found:?}");
        }
        assert!(!found.iter().any(|l| l == "sin"), "{found:?}");
    }

    #[test]
    fn a_train_field_offers_its_registry_entries() {
        let found = labels("qubits 1\ntrain {\n    optimizer a|\n}\n");
        assert!(found.iter().any(|l| l == "adam"), "{found:?}");
        assert!(!found.iter().any(|l| l == "ry"), "{found:?}");
        let found = labels("qubits 1\ntrain {\n    loss |\n}\n");
        assert!(found.iter().any(|l| l == "cross_entropy"), "{found:?}");
        let found = labels("qubits 1\ntrain {\n    data |\n}\n");
        assert!(found.iter().any(|l| l == "moons"), "{found:?}");
        let found = labels("qubits 1\ntrain {\n    |\n}\n");
        assert!(found.iter().any(|l| l == "epochs"), "{found:?}");
    }

    #[test]
    fn an_expression_offers_declared_names_and_functions() {
        let found = labels("qubits 1\nparam theta\nconst k = 2\ncircuit {\n    ry(t|) 0\n}\n");
        for name in ["theta", "k", "sin", "pi"] {
            assert!(found.iter().any(|l| l == name), "{name} in {found:?}");
        }
        assert!(!found.iter().any(|l| l == "cnot"), "{found:?}");
    }

    #[test]
    fn a_position_past_the_end_still_completes() {
        let mut document = Document::new("m.qml", "qubits 1\n".into(), 1);
        assert!(!completion(&mut document, usize::MAX).is_empty());
    }
}
