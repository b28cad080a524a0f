//! Completion that knows where it is: gates, templates and defs at a statement start, train fields
//! at a statement start in a train block, the registry's optimizers, schedules, losses (with the
//! `mse(onehot)` and `mse(signed)` targets), data sets (after `data` and `test`), feature maps and
//! gradient methods after their field names, and declared names, functions, constants and
//! observables in expressions; inside the parentheses of a template, data source, optimizer or
//! schedule, its keyword arguments, and after `rotation =` and the like, the words that option
//! takes; inside `mse(`, its targets.

use super::document::Document;
use super::hover::is_name_char;
use super::signature::{self, CallSite, Place};
use lsp_types::{CompletionItem, CompletionItemKind, Documentation};
use qmlc::analysis::Node;
use qmlc::ast::ItemKind;
use qmlc::builtins::{self, ArgDefault, Entry, Kind};
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
    let site = signature::call_site(text, offset).filter(|site| site.place == Place::Arguments);
    let before = text[line_start..typed_start].trim_end();
    // `loss mse(…)` takes a target kind, a word, not an expression.
    if site.as_ref().is_some_and(|site| site.callee == "mse" && before.trim_start().starts_with("loss")) {
        return MSE_TARGETS.iter().map(|(word, doc)| item(word, CompletionItemKind::ENUM_MEMBER, "mse", doc)).collect();
    }
    let mut keyword_items = Vec::new();
    if let Some((site, entry)) = site.as_ref().and_then(|site| Some((site, keyword_entry(&site.callee)?))) {
        match &site.keyword {
            Some(keyword) => {
                if let Some(values) = keyword_values(keyword) {
                    return values
                        .iter()
                        .map(|(word, doc)| item(word, CompletionItemKind::ENUM_MEMBER, keyword, doc))
                        .collect();
                }
            }
            None if site.at_argument_start => keyword_items = keyword_arguments(entry, site),
            None => {}
        }
    }
    let previous_word = before.rsplit(|c: char| !is_name_char(c)).next().unwrap_or("");
    let field_kind = match previous_word {
        "optimizer" => Some(Kind::Optimizer),
        "schedule" => Some(Kind::Schedule),
        "loss" => Some(Kind::Loss),
        // A fixed test set is read from the same sources as the training data.
        "data" | "test" => Some(Kind::DataSource),
        "features" => Some(Kind::FeatureMap),
        "gradient" => Some(Kind::GradientMethod),
        _ => None,
    };
    // A field name is the only word before the value: `optimizer adam`, not `x = loss`.
    if let Some(kind) = field_kind.filter(|_| before.trim_start() == previous_word) {
        let mut items = entries(kind, CompletionItemKind::FUNCTION);
        if kind == Kind::Loss {
            // `mse` with a class target is written as a call, though the registry has one `mse`.
            for (word, doc) in MSE_TARGETS {
                let label = format!("mse({word})");
                items.push(item(&label, CompletionItemKind::FUNCTION, &label, doc));
            }
        }
        return items;
    }
    // A line inside a call's parentheses continues an argument list; it starts no statement.
    let statement_start = (before.is_empty() || before.ends_with(['{', ';'])) && site.is_none();
    let in_train = analysis
        .nodes_at(offset)
        .iter()
        .any(|node| matches!(node, Node::Item(item) if matches!(item.kind, ItemKind::Train { .. })));
    let mut items = keyword_items;
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
        // `encode` declares like a keyword, though the lexer reserves it only there.
        if !in_circuit(analysis, offset) {
            items.push(item("encode", CompletionItemKind::KEYWORD, "declaration", super::hover::ENCODE_DOC));
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
        if before.trim_start().starts_with("head") || before.trim_start().starts_with("encode ") {
            items.extend(entries(Kind::HeadLayer, CompletionItemKind::FUNCTION));
        }
    }
    items
}

/// The targets `mse(…)` takes (LANGUAGE.md §10.6), with what each means.
const MSE_TARGETS: &[(&str, &str)] = &[
    ("onehot", "the class as a one-hot vector, one output per class"),
    ("signed", "the class as a ±1 vector; with one output, −1 and +1 for two classes"),
];

/// Whether the offset is inside a `circuit` or `def` body, where `encode` declares nothing.
fn in_circuit(analysis: &qmlc::analysis::Analysis, offset: usize) -> bool {
    analysis.nodes_at(offset).iter().any(
        |node| matches!(node, Node::Item(item) if matches!(item.kind, ItemKind::Circuit { .. } | ItemKind::Def { .. })),
    )
}

/// The registry entry whose arguments a call may give by name: a template, a data source, an
/// optimizer or a schedule.
fn keyword_entry(callee: &str) -> Option<&'static Entry> {
    [Kind::Template, Kind::DataSource, Kind::Optimizer, Kind::Schedule]
        .iter()
        .find_map(|&kind| builtins::find(kind, callee))
}

/// The words an option takes where they are not expressions, with what each means.
fn keyword_values(keyword: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match keyword {
        "rotation" | "local_field" => {
            Some(&[("X", "`rx` on each wire"), ("Y", "`ry` on each wire"), ("Z", "`rz` on each wire")])
        }
        "imprimitive" => Some(&[("cnot", "entangle with `cnot`"), ("cz", "entangle with `cz`")]),
        "normalize" => {
            Some(&[("true", "divide the features by their norm"), ("false", "the features must have norm 1")])
        }
        "entanglement" => Some(&[
            ("full", "every pair (tuple) of wires, as Qiskit's `full`"),
            ("linear", "neighbouring wires in order: (0, 1), (1, 2), …"),
            ("reverse_linear", "neighbouring wires in reverse order: …, (1, 2), (0, 1)"),
            ("circular", "linear, with the tuples that wrap past the last wire first"),
        ]),
        _ => None,
    }
}

/// The arguments of a call's entry, each as `name = `, those the call does not give yet first.
fn keyword_arguments(entry: &Entry, site: &CallSite) -> Vec<CompletionItem> {
    let given: Vec<&str> = site.given_keywords().collect();
    entry
        .args
        .iter()
        .enumerate()
        .map(|(index, arg)| {
            let detail = match arg.default {
                ArgDefault::Required => "required".to_string(),
                ArgDefault::Number(_) | ArgDefault::Word(_) => {
                    let written = signature::entry_arg_label(entry, arg.name);
                    format!("default{}", written.get(arg.name.len()..).unwrap_or(""))
                }
            };
            let doc = if arg.named { "an option, given by name" } else { "a positional argument, which may be named" };
            let already_given = given.contains(&arg.name);
            CompletionItem {
                label: format!("{} =", arg.name),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: Some(detail),
                documentation: Some(Documentation::String(format!("{doc} of `{}`", entry.name))),
                insert_text: Some(format!("{} = ", arg.name)),
                filter_text: Some(arg.name.to_string()),
                sort_text: Some(format!("{}{index:02}", if already_given { "1" } else { "0" })),
                ..CompletionItem::default()
            }
        })
        .collect()
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

    /// The items offered where `|` stands in `text`.
    fn items(text: &str) -> Vec<CompletionItem> {
        let offset = text.find('|').unwrap_or(0);
        let mut document = Document::new("m.qml", text.replacen('|', "", 1), 1);
        completion(&mut document, offset)
    }

    /// The keyword arguments offered, in the order their sort texts give.
    fn keywords(text: &str) -> Vec<(String, String)> {
        let mut found: Vec<CompletionItem> =
            items(text).into_iter().filter(|item| item.kind == Some(CompletionItemKind::PROPERTY)).collect();
        found.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        found.into_iter().map(|item| (item.label, item.detail.unwrap_or_default())).collect()
    }

    #[test]
    fn a_template_call_offers_its_keyword_arguments_not_given_ones_first() {
        let start = "qubits 2\nparam w[1, 2, 3]\ninput x[2]\ncircuit {\n";
        let found = keywords(&format!("{start}    angle_embedding(x, |)\n}}\n"));
        assert_eq!(found, vec![("features =".into(), "required".into()), ("rotation =".into(), "default = X".into())]);
        let found = keywords(&format!("{start}    strongly_entangling_layers(w, imprimitive = cz, |)\n}}\n"));
        let labels: Vec<&str> = found.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(labels, ["weights =", "ranges =", "imprimitive ="]);
        // The expression completions stay, for a positional argument.
        let labels: Vec<String> =
            items(&format!("{start}    angle_embedding(|)\n}}\n")).into_iter().map(|i| i.label).collect();
        assert!(labels.iter().any(|l| l == "x") && labels.iter().any(|l| l == "features ="), "{labels:?}");
        assert!(!labels.iter().any(|l| l == "cnot"), "{labels:?}");
        let item = items(&format!("{start}    angle_embedding(x, ro|)\n}}\n"))
            .into_iter()
            .find(|item| item.label == "rotation =")
            .expect("the option");
        assert_eq!(item.insert_text.as_deref(), Some("rotation = "));
        assert_eq!(item.filter_text.as_deref(), Some("rotation"));
    }

    #[test]
    fn an_option_value_offers_the_words_it_takes() {
        let start = "qubits 2\ninput x[2]\ncircuit {\n";
        assert_eq!(labels(&format!("{start}    angle_embedding(x, rotation = |)\n}}\n")), ["X", "Y", "Z"]);
        assert_eq!(labels(&format!("{start}    strongly_entangling_layers(w, imprimitive = c|\n")), ["cnot", "cz"]);
        assert_eq!(
            labels(&format!("{start}    real_amplitudes(w, entanglement = |)\n}}\n")),
            ["full", "linear", "reverse_linear", "circular"]
        );
        // An argument that is an expression gets the declared names.
        let found = labels(&format!("{start}    angle_embedding(features = |)\n}}\n"));
        assert!(found.iter().any(|l| l == "x") && !found.iter().any(|l| l == "X"), "{found:?}");
    }

    #[test]
    fn optimizers_and_data_sources_offer_their_arguments_too() {
        let found = keywords("qubits 1\ntrain {\n    optimizer adam(lr = 0.1, |)\n}\n");
        let labels: Vec<&str> = found.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(labels, ["beta1 =", "beta2 =", "eps =", "lr ="]);
        assert_eq!(found[2].1, "default = 1e-8");
        // A gate's angles are positional only.
        assert!(keywords("qubits 1\ncircuit {\n    ry(|) 0\n}\n").is_empty());
    }

    #[test]
    fn a_line_inside_an_argument_list_is_no_statement_start() {
        let found = labels("qubits 2\ninput x[2]\ncircuit {\n    angle_embedding(\n        |\n}\n");
        assert!(found.iter().any(|l| l == "x") && !found.iter().any(|l| l == "cnot"), "{found:?}");
    }

    #[test]
    fn the_training_language_completes_its_fields_sources_losses_maps_and_schedules() {
        let train = |line: &str| labels(&format!("qubits 1\ntrain {{\n    {line}\n}}\n"));
        let found = train("|");
        for field in ["minimize", "maximize", "test", "schedule"] {
            assert!(found.iter().any(|l| l == field), "{field} in {found:?}");
        }
        // A fixed test set comes from the same sources as the data.
        let found = train("test |");
        assert!(found.iter().any(|l| l == "moons") && found.iter().any(|l| l == "csv"), "{found:?}");
        assert!(!found.iter().any(|l| l == "ry"), "{found:?}");
        let found = train("loss |");
        for loss in ["nll", "bce", "mse", "mse(onehot)", "mse(signed)"] {
            assert!(found.iter().any(|l| l == loss), "{loss} in {found:?}");
        }
        assert_eq!(train("loss mse(|)"), ["onehot", "signed"]);
        let found = train("features |");
        assert!(found.iter().any(|l| l == "standardize"), "{found:?}");
        assert_eq!(train("schedule |"), ["step", "exponential", "cosine"]);
        let found = keywords("qubits 1\ntrain {\n    schedule step(every = 10, |)\n}\n");
        let labels: Vec<&str> = found.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(labels, ["gamma =", "every ="]);
    }

    #[test]
    fn encode_is_offered_where_a_declaration_starts_only() {
        let found = labels("qubits 1\ninput x[1]\n|\n");
        assert!(found.iter().any(|l| l == "encode") && found.iter().any(|l| l == "head"), "{found:?}");
        let found = labels("qubits 1\ncircuit {\n    |\n}\n");
        assert!(!found.iter().any(|l| l == "encode"), "{found:?}");
        // After `encode`, the layers.
        let found = labels("qubits 1\ninput x[1]\nencode linear(1), |\n");
        assert!(found.iter().any(|l| l == "tanh") && found.iter().any(|l| l == "scale"), "{found:?}");
    }
}
