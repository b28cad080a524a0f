//! Code lenses: Run, Gradient and Draw above the `circuit` block, Train above each `train` block,
//! each a command the editor runs as `qmlc run|grad|draw|train FILE`.
//!
//! The command ids are the ones the VS Code extension in `editors/vscode/` registers. Lenses come
//! from whatever syntax tree there is, so a file with a mistake elsewhere keeps them.
//!
//! `qmlc run` and `qmlc grad` need a value for every input, so their lenses carry, after the
//! file, the model's inputs as they are declared (`x[2]`, `t`): the editor asks the user for the
//! values and passes them as `--input name=v,…`. A model without inputs gets the file alone.

use super::document::{range_of, Document};
use lsp_types::{CodeLens, Command, Uri};
use qmlc::ast::ItemKind;
use qmlc::check::SymbolKind;
use serde_json::Value;

/// The commands, their titles, and the command ids the editor's extension registers.
pub const RUN: (&str, &str) = ("▶ Run", "qmlc.run");
pub const GRADIENT: (&str, &str) = ("∇ Gradient", "qmlc.grad");
pub const DRAW: (&str, &str) = ("Draw", "qmlc.draw");
pub const TRAIN: (&str, &str) = ("Train", "qmlc.train");

/// The lenses of a document, in source order.
pub fn code_lenses(document: &mut Document, uri: &Uri) -> Vec<CodeLens> {
    let (source, analysis) = document.analysed();
    let file = Value::String(uri.as_str().to_string());
    let mut inputs: Vec<(qmlc::source::Span, String)> = analysis
        .symbols
        .iter()
        .filter(|(_, symbol)| symbol.kind == SymbolKind::Input)
        .map(|(_, symbol)| {
            let shape = match symbol.shape.as_deref() {
                Some([]) | None => String::new(),
                Some(shape) => format!("[{}]", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
            };
            (symbol.name_span, format!("{}{shape}", symbol.name))
        })
        .collect();
    inputs.sort_by_key(|(span, _)| span.start);
    let evaluate_arguments: Vec<Value> = std::iter::once(file.clone())
        .chain(
            (!inputs.is_empty())
                .then(|| Value::from(inputs.iter().map(|(_, input)| input.clone()).collect::<Vec<_>>())),
        )
        .collect();
    let lens = |keyword, (title, command): (&str, &str), arguments: Vec<Value>| CodeLens {
        range: range_of(source, keyword),
        command: Some(Command { title: title.to_string(), command: command.to_string(), arguments: Some(arguments) }),
        data: None,
    };
    let mut lenses = Vec::new();
    let mut circuit_seen = false;
    for item in &analysis.ast.items {
        match &item.kind {
            // A second circuit is an error; its lenses would run the same file again.
            ItemKind::Circuit { keyword, .. } if !circuit_seen => {
                circuit_seen = true;
                lenses.push(lens(*keyword, RUN, evaluate_arguments.clone()));
                lenses.push(lens(*keyword, GRADIENT, evaluate_arguments.clone()));
                lenses.push(lens(*keyword, DRAW, vec![file.clone()]));
            }
            ItemKind::Train { keyword, name, .. } => {
                let mut arguments = vec![file.clone()];
                // `qmlc train FILE --block NAME` trains one named block; an unnamed one trains
                // with the others, as `qmlc train FILE` does.
                arguments.extend(name.as_ref().map(|name| Value::String(name.name.clone())));
                lenses.push(lens(*keyword, TRAIN, arguments));
            }
            _ => {}
        }
    }
    lenses
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use std::str::FromStr;

    fn lenses(text: &str) -> Vec<(String, String, Vec<Value>, Range)> {
        let uri = Uri::from_str("file:///m.qml").expect("a URI");
        let mut document = Document::new("m.qml", text.to_string(), 1);
        code_lenses(&mut document, &uri)
            .into_iter()
            .filter_map(|lens| {
                let command = lens.command?;
                Some((command.title, command.command, command.arguments.unwrap_or_default(), lens.range))
            })
            .collect()
    }

    fn line(line: u32, start: u32, end: u32) -> Range {
        Range { start: Position { line, character: start }, end: Position { line, character: end } }
    }

    #[test]
    fn the_circuit_gets_run_gradient_and_draw_and_each_train_block_train() {
        let text = "qubits 1\ncircuit {\n    h 0\n}\nmeasure expval(Z(0))\ntrain {\n    epochs 1\n}\n\
                    train fine {\n    epochs 2\n}\n";
        let file = Value::String("file:///m.qml".into());
        let found = lenses(text);
        assert_eq!(
            found,
            vec![
                ("▶ Run".into(), "qmlc.run".into(), vec![file.clone()], line(1, 0, 7)),
                ("∇ Gradient".into(), "qmlc.grad".into(), vec![file.clone()], line(1, 0, 7)),
                ("Draw".into(), "qmlc.draw".into(), vec![file.clone()], line(1, 0, 7)),
                ("Train".into(), "qmlc.train".into(), vec![file.clone()], line(5, 0, 5)),
                ("Train".into(), "qmlc.train".into(), vec![file, Value::String("fine".into())], line(8, 0, 5)),
            ]
        );
    }

    #[test]
    fn a_file_with_mistakes_keeps_its_lenses_and_one_without_blocks_has_none() {
        let found = lenses("qubits 1\ncircuit {\n    hh 0\n    ry( 0\n}\n");
        assert_eq!(found.iter().map(|l| l.1.as_str()).collect::<Vec<_>>(), ["qmlc.run", "qmlc.grad", "qmlc.draw"]);
        assert!(lenses("qubits 1\n").is_empty());
        assert!(lenses("").is_empty());
    }

    #[test]
    fn run_and_gradient_carry_the_models_inputs_for_the_editor_to_ask_for() {
        let text =
            "qubits 2\ninput x[2]\ninput t\ncircuit {\n    ry(x[0] * t) 0\n    ry(x[1]) 1\n}\nmeasure expval(Z(0))\n";
        let file = Value::String("file:///m.qml".into());
        let inputs = serde_json::json!(["x[2]", "t"]);
        let found: Vec<(String, Vec<Value>)> = lenses(text).into_iter().map(|l| (l.1, l.2)).collect();
        assert_eq!(
            found,
            vec![
                ("qmlc.run".into(), vec![file.clone(), inputs.clone()]),
                ("qmlc.grad".into(), vec![file.clone(), inputs]),
                ("qmlc.draw".into(), vec![file]),
            ]
        );
    }
}
