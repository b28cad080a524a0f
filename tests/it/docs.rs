//! The language guide's examples: every ```qml block in docs/language.md compiles as it says.
//!
//! Each fenced block whose info string starts with `qml` is checked. The words after `qml` say how:
//!
//! - nothing: a complete program that compiles with no errors and no warnings;
//! - `fragment`: the statements of a circuit body. It is checked inside this program:
//!
//!   ```text
//!   qubits 4
//!   input x[4]
//!   param theta[4]
//!   circuit {
//!       <the fragment>
//!       for i in 0..4 { rx(x[i]) i; ry(theta[i]) i }
//!   }
//!   measure for i in 0..4 { expval(Z(i)) }
//!   ```
//!
//!   so a fragment may use the wires 0..4, the input `x[4]` and the param `theta[4]` (the loop
//!   after it uses both, so a fragment that does not is not warned about them);
//! - `error E0xxx`: a complete program whose diagnostics include that error and no other code;
//! - `warning W0xxx`: a complete program with no errors whose only diagnostics are that warning;
//! - `input NAME=v,v,…` (repeatable) and `outputs v, v, …`: the program also runs, exactly, with
//!   those inputs and the params' initializers (seed 0), and its outputs must equal the numbers
//!   listed to 1e-9. The guide states these numbers in its prose, so they are checked too.
//!
//! A ```text block right after a qml block (with only prose between) whose first line quotes a
//! diagnostic, `error[E0403]: message`, must be exactly what the compiler reports for that block.
//!
//! Blocks tagged anything else (```text, ```python, ```sh) are not checked.

use qmlc::check::compile;

const GUIDE: &str = "docs/language.md";

/// How one ```qml block is to be checked.
#[derive(Debug, Default)]
struct Expectation {
    fragment: bool,
    error: Option<String>,
    warning: Option<String>,
    inputs: Vec<String>,
    outputs: Option<Vec<f64>>,
}

/// A ```qml block: its first line in the guide, its text and what it must do.
struct Block {
    line: usize,
    text: String,
    expect: Expectation,
    /// The first line of a ```text block that follows this one with nothing but prose between,
    /// when it quotes a diagnostic (`error[E0403]: …`): the block must report exactly that.
    quoted_diagnostic: Option<String>,
}

fn parse_info(info: &str, line: usize) -> Expectation {
    let mut expect = Expectation::default();
    let mut words = info.split_whitespace().skip(1).peekable();
    while let Some(word) = words.next() {
        match word {
            "fragment" => expect.fragment = true,
            "error" => expect.error = words.next().map(str::to_string),
            "warning" => expect.warning = words.next().map(str::to_string),
            "input" => expect.inputs.push(words.next().expect("`input` needs NAME=v,…").to_string()),
            "outputs" => {
                let rest: Vec<&str> = words.by_ref().collect();
                let numbers = rest
                    .join(" ")
                    .split(',')
                    .map(|v| v.trim().parse::<f64>().unwrap_or_else(|_| panic!("line {line}: bad output `{v}`")))
                    .collect();
                expect.outputs = Some(numbers);
            }
            other => panic!("{GUIDE}:{line}: unknown tag `{other}` on a qml block"),
        }
    }
    expect
}

fn qml_blocks(guide: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // Whether the last fenced block was a qml block (so a quoted diagnostic belongs to it).
    let mut last_was_qml = false;
    let mut lines = guide.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else { continue };
        let language = info.split_whitespace().next();
        let mut text = String::new();
        for (_, body) in lines.by_ref() {
            if body.trim_start().starts_with("```") {
                break;
            }
            text.push_str(body);
            text.push('\n');
        }
        let first_line = text.lines().next().unwrap_or("");
        let quotes_diagnostic = first_line.starts_with("error[") || first_line.starts_with("warning[");
        if language == Some("text") && quotes_diagnostic && last_was_qml {
            if let Some(block) = blocks.last_mut() {
                block.quoted_diagnostic = Some(first_line.to_string());
            }
        }
        last_was_qml = language == Some("qml");
        if last_was_qml {
            blocks.push(Block { line: index + 1, text, expect: parse_info(info, index + 1), quoted_diagnostic: None });
        }
    }
    blocks
}

fn wrap_fragment(fragment: &str) -> String {
    let body: String = fragment.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "qubits 4\ninput x[4]\nparam theta[4]\ncircuit {{\n{body}    for i in 0..4 {{ rx(x[i]) i; ry(theta[i]) i }}\n}}\nmeasure for i in 0..4 {{ expval(Z(i)) }}\n"
    )
}

fn guide() -> String {
    std::fs::read_to_string(GUIDE).expect("docs/language.md exists")
}

/// Checks one block; `Err` says what is wrong with it.
fn check_block(block: &Block) -> Result<(), String> {
    let program = if block.expect.fragment { wrap_fragment(&block.text) } else { block.text.clone() };
    let output = compile(&program);
    let codes: Vec<&str> = output.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let describe =
        || output.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect::<Vec<_>>().join("; ");
    let expected: Vec<&str> = match (&block.expect.error, &block.expect.warning) {
        (Some(code), _) | (None, Some(code)) => vec![code.as_str()],
        (None, None) => vec![],
    };
    if expected.is_empty() && !codes.is_empty() {
        return Err(format!("expected no diagnostics, found: {}", describe()));
    }
    if !expected.is_empty() && (codes.is_empty() || codes.iter().any(|c| *c != expected[0])) {
        return Err(format!("expected only {}, found: [{}]", expected[0], describe()));
    }
    if let Some(quoted) = &block.quoted_diagnostic {
        let rendered: Vec<String> = output
            .diagnostics
            .iter()
            .map(|d| format!("{}[{}]: {}", if d.is_error() { "error" } else { "warning" }, d.code, d.message))
            .collect();
        if !rendered.contains(quoted) {
            return Err(format!("the guide quotes `{quoted}`, but the compiler says {rendered:?}"));
        }
    }
    if let Some(code) = &block.expect.error {
        if !code.starts_with('E') || output.circuit.is_some() {
            return Err(format!("`error {code}` must name an error the program has"));
        }
        return Ok(());
    }
    let Some(circuit) = output.circuit else {
        return Err("compiled without errors but produced no circuit".into());
    };
    if let Some(expected) = &block.expect.outputs {
        let inputs = qmlc::params::inputs_from_assignments(&block.expect.inputs, &circuit)?;
        let params = qmlc::params::initial_values(&circuit, 0);
        let execution = qmlc::sim::execute(&circuit, &inputs, &params, None).map_err(|e| format!("{e:?}"))?;
        if execution.outputs.len() != expected.len()
            || execution.outputs.iter().zip(expected).any(|(a, b)| (a - b).abs() > 1e-9)
        {
            return Err(format!("outputs {:?}, the guide says {expected:?}", execution.outputs));
        }
    } else if !block.expect.inputs.is_empty() {
        return Err("`input` without `outputs`".into());
    }
    Ok(())
}

#[test]
fn every_qml_block_in_the_guide_compiles_as_tagged() {
    let guide = guide();
    let blocks = qml_blocks(&guide);
    assert!(blocks.len() >= 30, "only {} qml blocks in {GUIDE}", blocks.len());
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|block| check_block(block).err().map(|why| format!("{GUIDE}:{}: {why}", block.line)))
        .collect();
    assert!(failures.is_empty(), "{} block(s) fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_guide_checks_some_numbers_and_some_errors() {
    let blocks = qml_blocks(&guide());
    assert!(blocks.iter().filter(|b| b.expect.outputs.is_some()).count() >= 5);
    assert!(blocks.iter().filter(|b| b.expect.error.is_some()).count() >= 3);
    assert!(blocks.iter().filter(|b| b.expect.fragment).count() >= 3);
}

#[test]
fn a_broken_block_is_caught() {
    let good = Block {
        line: 1,
        text: "qubits 1\ncircuit { h 0 }\nmeasure expval(X(0))\n".into(),
        expect: Default::default(),
        quoted_diagnostic: None,
    };
    assert_eq!(check_block(&good), Ok(()));
    let typo =
        Block { line: 1, text: good.text.replace("h 0", "hh 0"), expect: Default::default(), quoted_diagnostic: None };
    assert!(check_block(&typo).is_err());
    let wrong_number =
        Block { text: good.text.clone(), expect: parse_info("qml outputs 0.5", 1), line: 1, quoted_diagnostic: None };
    assert!(check_block(&wrong_number).is_err());
    let right_number =
        Block { text: good.text.clone(), expect: parse_info("qml outputs 1.0", 1), line: 1, quoted_diagnostic: None };
    assert_eq!(check_block(&right_number), Ok(()));
    let fragment =
        Block { line: 1, text: "cnot 0, 1\n".into(), expect: parse_info("qml fragment", 1), quoted_diagnostic: None };
    assert_eq!(check_block(&fragment), Ok(()));
    let misquoted = Block {
        line: 1,
        text: "qubits 1\ncircuit { h 1 }\nmeasure expval(X(0))\n".into(),
        expect: parse_info("qml error E0201", 1),
        quoted_diagnostic: Some("error[E0201]: wire 1 is out of range".into()),
    };
    assert!(check_block(&misquoted).is_err());
}

#[test]
fn the_diagnostics_the_guide_quotes_are_checked() {
    let blocks = qml_blocks(&guide());
    assert!(blocks.iter().any(|b| b.quoted_diagnostic.is_some()), "no quoted diagnostic found in {GUIDE}");
}

#[test]
fn the_readme_links_the_guide() {
    let readme = std::fs::read_to_string("README.md").expect("README.md exists");
    assert!(readme.contains("(docs/language.md)"), "README.md does not link docs/language.md");
    assert!(!readme.contains("spec/LANGUAGE.md"), "README.md still points to a spec outside the repository");
}

#[test]
fn every_code_the_guide_mentions_exists() {
    let guide = guide();
    let bytes = guide.as_bytes();
    let mut mentioned = Vec::new();
    for i in 0..bytes.len().saturating_sub(4) {
        let starts_code = (bytes[i] == b'E' || bytes[i] == b'W') && bytes[i + 1] == b'0';
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if starts_code && before_ok && bytes.len() >= i + 5 && bytes[i + 1..i + 5].iter().all(u8::is_ascii_digit) {
            let after_ok = bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric());
            if after_ok {
                mentioned.push(&guide[i..i + 5]);
            }
        }
    }
    assert!(mentioned.len() >= 10, "the guide mentions only {} codes", mentioned.len());
    for code in mentioned {
        assert!(qmlc::codes::explain(code).is_some(), "the guide mentions {code}, which is not in codes::CODES");
    }
}

const REFERENCE_START: &str = "<!-- reference:start -->\n";
const REFERENCE_END: &str = "<!-- reference:end -->";

/// The builtin reference at the end of the guide is `qmlc::builtins::reference_markdown()`, so it
/// cannot go stale. `QMLC_BLESS=1 cargo test --test it docs::` rewrites it.
#[test]
fn the_builtin_reference_is_generated_from_the_registry() {
    let guide = guide();
    let start = guide.find(REFERENCE_START).expect("docs/language.md has a `<!-- reference:start -->` line");
    let end = guide.find(REFERENCE_END).expect("docs/language.md has a `<!-- reference:end -->` line");
    let body_start = start + REFERENCE_START.len();
    let expected = format!("\n{}\n", qmlc::builtins::reference_markdown());
    if guide[body_start..end] == expected {
        return;
    }
    if std::env::var_os("QMLC_BLESS").is_some() {
        let updated = format!("{}{expected}{}", &guide[..body_start], &guide[end..]);
        std::fs::write(GUIDE, updated).expect("docs/language.md is writable");
        return;
    }
    panic!(
        "the builtin reference in {GUIDE} is stale: it must be what qmlc::builtins::reference_markdown() \
         renders from src/builtins. Regenerate it with `QMLC_BLESS=1 cargo test --test it docs::` and commit the result."
    );
}
