//! The builtin tables rendered as text: the Markdown reference of docs/language.md and the entries `qmlc explain NAME` prints.

use super::gates::{expansion, GateInfo, Generator, GATES};
use super::{Entry, Kind, CONSTANTS, KEYWORDS, TRAIN_FIELDS};

/// A table cell: a `|` inside it would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

/// The gate's angles as written in a signature: `rot(φ, θ, ω)`, `h`.
fn gate_signature(gate: &GateInfo) -> String {
    if gate.angle_names.is_empty() {
        gate.name.to_string()
    } else {
        format!("{}({}{})", gate.name, gate.angle_names.join(", "), word_argument(gate))
    }
}

/// `pauli_rot`'s argument after its angle, which is not an angle.
fn word_argument(gate: &GateInfo) -> &'static str {
    if gate.kind == crate::ir::GateKind::PauliRot {
        ", \"word\""
    } else {
        ""
    }
}

fn gate_wires(gate: &GateInfo) -> String {
    match gate.n_wires {
        Some(n) => n.to_string(),
        None if gate.min_wires == 0 => "any, or none".to_string(),
        None => format!("≥ {}", gate.min_wires),
    }
}

/// The inverse as a gate application: `sdg`, `rx(−θ)`, `rot(−ω, −θ, −φ)`, or "itself".
fn gate_inverse(gate: &GateInfo) -> String {
    let inverse = gate.inverse;
    if gate.is_self_inverse() {
        return "itself".to_string();
    }
    let name = inverse.kind.info().name;
    if inverse.angle_slots.is_empty() {
        return code(name);
    }
    let angles: Vec<String> = inverse.angle_slots.iter().map(|&slot| format!("−{}", gate.angle_names[slot])).collect();
    code(&format!("{name}({}{})", angles.join(", "), word_argument(gate)))
}

fn gate_gradient(gate: &GateInfo) -> String {
    match gate.generator {
        Generator::None => "none (no angle)".to_string(),
        Generator::Parts(parts) => {
            let names: Vec<&str> = parts.iter().map(|(kind, _)| kind.info().name).collect();
            format!("as its parts {}", names.join(", "))
        }
        Generator::Expanded => {
            let mut names: Vec<&str> = Vec::new();
            for part in expansion(gate.kind, 4, "XYZI") {
                if !names.contains(&part.kind.info().name) {
                    names.push(part.kind.info().name);
                }
            }
            format!("as the gates it expands to: {}", names.join(", "))
        }
        generator => {
            let rule = generator.shift_rule(false).map_or("", |rule| rule.name());
            let under_ctrl =
                generator.shift_rule(true).filter(|controlled| Some(*controlled) != generator.shift_rule(false));
            match under_ctrl {
                Some(controlled) => format!("{rule}; {} inside `ctrl`", controlled.name()),
                None => rule.to_string(),
            }
        }
    }
}

fn gates_section(out: &mut String) {
    out.push_str("### Gates\n\n");
    out.push_str(
        "Matrices are PennyLane's; the first wire is the most significant bit. The gradient column is the \
         parameter-shift rule; the adjoint method uses the same generators.\n\n",
    );
    out.push_str(
        "| gate | aliases | wires | meaning | gradient | inverse | OpenQASM 3 |\n|---|---|---|---|---|---|---|\n",
    );
    for gate in GATES.iter().filter(|gate| gate.surface) {
        let aliases: Vec<String> = gate.aliases.iter().map(|alias| code(alias)).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            code(&gate_signature(gate)),
            aliases.join(" "),
            gate_wires(gate),
            cell(gate.doc),
            cell(&gate_gradient(gate)),
            gate_inverse(gate),
            gate.qasm.map_or("—".to_string(), code),
        ));
    }
    out.push('\n');
}

fn templates_section(out: &mut String) {
    out.push_str("### Templates\n\n");
    out.push_str(&format!(
        "A template is placed with `on WIRES` (all wires by default); n is the number of its wires. Each example is \
         a statement of {}.\n\n",
        Kind::Template.context()
    ));
    for template in Kind::Template.entries() {
        out.push_str(&format!("#### `{}`\n\n", template.signature()));
        out.push_str(&format!("{}. Shapes: {}.\n\n", capitalized(template.doc), template.shape));
        if template.args.iter().any(|arg| arg.name == "block") {
            // A block is a def, which a fragment cannot declare: the example is a whole program.
            out.push_str(&format!(
                "```qml\nqubits 4\nparam theta[4]\n\n{}\n\ncircuit {{\n    {}\n}}\n\nmeasure expval(Z(0))\n```\n\n",
                super::EXAMPLE_BLOCK,
                template.example
            ));
        } else {
            out.push_str(&format!("```qml fragment\n{}\n```\n\n", template.example));
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

fn entries_section(out: &mut String, kind: Kind) {
    out.push_str(&format!("### {}\n\n", kind.title()));
    out.push_str(&format!("Examples are written where they go: {}.\n\n", kind.context()));
    out.push_str("| name | meaning | example |\n|---|---|---|\n");
    for entry in kind.entries() {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            code(&entry.signature()),
            cell(entry.doc),
            cell(&code(entry.example))
        ));
    }
    out.push('\n');
}

/// The reference of every builtin, as the Markdown that docs/language.md holds between its
/// `<!-- reference:start -->` and `<!-- reference:end -->` markers.
pub fn reference_markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "This part is generated from the builtin tables in `src/builtins`; `qmlc explain NAME` prints one entry.\n\n",
    );
    gates_section(&mut out);
    templates_section(&mut out);
    for kind in Kind::ALL.iter().filter(|kind| **kind != Kind::Template) {
        entries_section(&mut out, *kind);
    }
    out.push_str("### Train fields\n\n| field | values | default | meaning |\n|---|---|---|---|\n");
    for field in TRAIN_FIELDS {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            code(field.name),
            cell(field.values),
            code(field.default),
            cell(field.doc)
        ));
    }
    out.push_str("\n### Constants\n\n| name | value | meaning |\n|---|---|---|\n");
    for constant in CONSTANTS {
        out.push_str(&format!("| {} | {} | {} |\n", code(constant.name), constant.value, constant.doc));
    }
    out.push_str("\n### Keywords\n\n| keyword | meaning |\n|---|---|\n");
    for keyword in KEYWORDS {
        out.push_str(&format!("| {} | {} |\n", code(keyword.name), cell(keyword.doc)));
    }
    out
}

fn describe_gate(gate: &GateInfo) -> String {
    let mut out = format!("{} (gate): {}\n", gate_signature(gate), gate.doc);
    if !gate.aliases.is_empty() {
        out.push_str(&format!("  aliases:    {}\n", gate.aliases.join(", ")));
    }
    out.push_str(&format!("  wires:      {}\n", gate_wires(gate)));
    out.push_str(&format!("  gradient:   {}\n", gate_gradient(gate)));
    out.push_str(&format!("  inverse:    {}\n", gate_inverse(gate).replace('`', "")));
    out.push_str(&format!("  OpenQASM 3: {}\n", gate.qasm.unwrap_or("none")));
    out
}

fn describe_entry(kind: Kind, entry: &Entry) -> String {
    let mut out = format!("{} ({}): {}\n", entry.signature(), kind.singular(), entry.doc);
    if !entry.shape.is_empty() {
        out.push_str(&format!("  shapes:  {}\n", entry.shape));
    }
    out.push_str(&format!("  example: {}\n", entry.example));
    out
}

/// The reference entries of every builtin called `name` (a gate, a template, an optimizer, …), or `None`.
pub fn describe(name: &str) -> Option<String> {
    let mut found = Vec::new();
    if let Some(gate) = crate::ir::GateKind::from_name(name) {
        found.push(describe_gate(gate.info()));
    }
    for kind in Kind::ALL {
        if let Some(entry) = super::find(*kind, name) {
            found.push(describe_entry(*kind, entry));
        }
    }
    if let Some(field) = TRAIN_FIELDS.iter().find(|field| field.name == name) {
        found.push(format!(
            "{} (train field): {}\n  values:  {}\n  default: {}\n",
            field.name, field.doc, field.values, field.default
        ));
    }
    if let Some(constant) = CONSTANTS.iter().find(|constant| constant.name == name) {
        found.push(format!("{} (constant): {} = {}\n", constant.name, constant.doc, constant.value));
    }
    if let Some(keyword) = KEYWORDS.iter().find(|keyword| keyword.name == name) {
        found.push(format!("{} (keyword): {}\n", keyword.name, keyword.doc));
    }
    (!found.is_empty()).then(|| found.join("\n"))
}
