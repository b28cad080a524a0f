//! `qmlc draw`: snapshots of the text drawings of `tests/draw/*.qml`, errors, and SVG pictures
//! rendered to pixels.

use crate::temp::TempDir;
use std::path::Path;
use std::process::{Command, Output};

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).env("NO_COLOR", "1").output().expect("qmlc runs")
}

/// Every case file names the drawings to take of it on lines `// qmlc draw …`; the snapshot holds
/// each command line and what it printed.
#[test]
fn the_drawing_of_each_draw_case() {
    insta::glob!("../draw", "*.qml", |path| {
        let text = std::fs::read_to_string(path).expect("test files are readable");
        let mut transcript = String::new();
        for line in text.lines() {
            let Some(command) = line.strip_prefix("// qmlc ") else { continue };
            let args: Vec<&str> = command.split_whitespace().collect();
            let output = qmlc(&args);
            assert!(output.status.success(), "qmlc {command}: {}", String::from_utf8_lossy(&output.stderr));
            assert!(output.stderr.is_empty(), "qmlc {command}: {}", String::from_utf8_lossy(&output.stderr));
            transcript.push_str(&format!("$ qmlc {command}\n{}\n", String::from_utf8_lossy(&output.stdout)));
        }
        assert!(!transcript.is_empty(), "{} names no drawing", path.display());
        insta::assert_snapshot!(transcript);
    });
}

#[test]
fn the_hybrid_classifier_boxed_and_expanded() {
    let boxed = qmlc(&["draw", "examples/hybrid_classifier.qml"]);
    assert!(boxed.status.success());
    insta::assert_snapshot!("hybrid_classifier", String::from_utf8_lossy(&boxed.stdout));
    let expanded = qmlc(&["draw", "examples/hybrid_classifier.qml", "--expand", "--width", "0"]);
    assert!(expanded.status.success());
    let expanded = String::from_utf8_lossy(&expanded.stdout).to_string();
    assert_eq!(expanded.lines().count(), 4, "one line per wire, never cut with --width 0:\n{expanded}");
    assert_eq!(expanded.matches('⊕').count(), 12, "3 layers of 4 CNOTs:\n{expanded}");
    insta::assert_snapshot!("hybrid_classifier_expanded", expanded);
}

#[test]
fn a_narrow_width_cuts_the_drawing_into_parts_that_fit() {
    let output = qmlc(&["draw", "examples/hybrid_classifier.qml", "--expand", "--width", "60"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let parts: Vec<&str> = text.split("\n\n").collect();
    assert!(parts.len() > 2, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "`{line}` is wider than 60");
    }
}

/// The README's drawing of the hybrid classifier is what the binary draws.
#[test]
fn the_readme_shows_the_drawing_the_binary_makes() {
    let readme = std::fs::read_to_string("README.md").expect("README.md is readable");
    let output = qmlc(&["draw", "examples/hybrid_classifier.qml"]);
    let drawing = String::from_utf8_lossy(&output.stdout);
    let block = format!("$ qmlc draw examples/hybrid_classifier.qml\n{drawing}```");
    assert!(readme.contains(&block), "README.md should show, in a code block:\n{block}");
}

#[test]
fn a_program_with_errors_prints_its_diagnostics_and_exits_1() {
    let dir = TempDir::new("draw-errors");
    let model = dir.join("bad.qml");
    std::fs::write(&model, "qubits 2\ncircuit {\n    cnot 0, 2\n}\nmeasure expval(Z(0))\n").expect("writable");
    let output = qmlc(&["draw", model.to_str().expect("UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0201"), "{stderr}");
}

#[test]
fn a_params_file_that_does_not_fit_is_an_error() {
    let dir = TempDir::new("draw-params");
    let params = dir.join("p.json");
    std::fs::write(&params, r#"{"theta": [1, 2], "phi": 0}"#).expect("writable");
    let output = qmlc(&["draw", "tests/draw/params_and_inputs.qml", "--params", params.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0908") && stderr.contains("theta"), "{stderr}");
}

#[test]
fn svg_to_a_directory_or_a_model_file_is_a_usage_error() {
    let dir = TempDir::new("draw-svg-usage");
    let output = qmlc(&["draw", "tests/draw/bell.qml", "--svg", dir.path.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(2));
    let output = qmlc(&["draw", "tests/draw/bell.qml", "--svg", "tests/draw/bell.qml"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The `y` of every wire's line in a picture, in wire order.
fn wire_rows(svg: &str) -> Vec<f32> {
    svg.lines()
        .filter(|line| line.contains(r#"class="wire""#))
        .map(|line| {
            let start = line.find(r#"y1=""#).expect("a wire has y1") + 4;
            let end = start + line[start..].find('"').expect("closed");
            line[start..end].parse().expect("a number")
        })
        .collect()
}

/// Renders a picture with resvg (text is left out: no fonts are loaded) and checks its size and
/// that every wire's row has dark pixels along it.
fn check_picture(svg: &str, n_wires: usize) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("the SVG parses");
    let size = tree.size().to_int_size();
    let width_attribute = svg.split(r#"width=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("a width");
    let height_attribute = svg.split(r#"height=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("a height");
    assert_eq!(size.width().to_string(), width_attribute);
    assert_eq!(size.height().to_string(), height_attribute);
    assert_eq!(size.height(), 40 + 50 * n_wires as u32, "50 pixels a wire and margins of 20");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("a non-empty picture");
    resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    let rows = wire_rows(svg);
    assert_eq!(rows.len(), n_wires);
    for (wire, y) in rows.iter().enumerate() {
        let row = y.round() as u32;
        let dark = (0..size.width())
            .filter(|&x| pixmap.pixel(x, row).is_some_and(|p| p.alpha() > 0 && p.red() < 100 && p.green() < 100))
            .count();
        // Boxes cover parts of a wire, but its line shows before the first column and between
        // the columns.
        assert!(dark >= 50, "wire {wire}'s row has only {dark} dark pixels of {}", size.width());
    }
}

#[test]
fn svg_pictures_render_with_a_line_per_wire() {
    let dir = TempDir::new("draw-svg");
    for (model, n_wires, extra) in [
        ("tests/draw/bell.qml", 2, None),
        ("tests/draw/params_and_inputs.qml", 3, Some("--expand")),
        ("tests/draw/templates.qml", 4, None),
        ("examples/hybrid_classifier.qml", 4, Some("--expand")),
    ] {
        let out = dir.join("circuit.svg");
        let mut args = vec!["draw", model, "--svg", out.to_str().expect("UTF-8")];
        args.extend(extra);
        let output = qmlc(&args);
        assert!(output.status.success(), "{model}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty(), "with --svg nothing goes to stdout");
        let svg = std::fs::read_to_string(&out).expect("the picture is written");
        check_picture(&svg, n_wires);
        let entries: Vec<_> = std::fs::read_dir(&dir.path).expect("readable").collect();
        assert_eq!(entries.len(), 1, "no temporary file is left behind");
    }
}

#[test]
fn the_library_draws_the_same_columns_as_text_and_svg() {
    let text = std::fs::read_to_string(Path::new("tests/draw/templates.qml")).expect("readable");
    let circuit = qmlc::check::compile(&text).circuit.expect("compiles");
    let options = qmlc::draw::DrawOptions::default();
    let diagram = qmlc::draw::layout(&circuit, &options);
    let svg = qmlc::draw::svg(&circuit, &options);
    let boxes = svg.matches("<rect").count() - 1;
    let box_runs: usize = diagram
        .columns
        .iter()
        .chain(&diagram.measurement_columns)
        .flatten()
        .map(|element| {
            let wires: Vec<usize> = element
                .marks
                .iter()
                .filter(|(_, mark)| matches!(mark, qmlc::draw::Mark::Box(_)))
                .map(|(wire, _)| *wire)
                .collect();
            wires.windows(2).filter(|pair| pair[1] != pair[0] + 1).count() + usize::from(!wires.is_empty())
        })
        .sum();
    assert_eq!(boxes, box_runs, "one rectangle per run of boxed wires");
}
