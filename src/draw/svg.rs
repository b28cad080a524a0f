//! The SVG picture: the text drawing's layout as a vector image.
//!
//! Columns and wires are those of [`super::layout`]; only the sizes are the picture's own. Text is
//! set in a monospace font, so that a label's width can be known from its length without
//! measuring glyphs: boxes are sized for DejaVu Sans Mono (0.6 em a character), and look right
//! in any monospace font.

use super::{layout, Diagram, DrawOptions, Element, ElementKind, Mark};
use crate::ir::Circuit;
use std::fmt::Write;

const MARGIN: f64 = 20.0;
const ROW_HEIGHT: f64 = 50.0;
const BOX_HEIGHT: f64 = 34.0;
const FONT_SIZE: f64 = 14.0;
/// The advance of one character of a monospace font at [`FONT_SIZE`].
const CHARACTER_WIDTH: f64 = FONT_SIZE * 0.6;
const BOX_PADDING: f64 = 10.0;
/// The narrowest column: room for a CNOT target's circle.
const MIN_COLUMN_WIDTH: f64 = 28.0;
const COLUMN_GAP: f64 = 16.0;
const TARGET_RADIUS: f64 = 11.0;
const CONTROL_RADIUS: f64 = 5.0;
const SWAP_HALF: f64 = 7.0;
const INK: &str = "#222222";

/// Draws a circuit as an SVG document (the same columns as the text drawing, never cut).
pub fn svg(circuit: &Circuit, options: &DrawOptions) -> String {
    // Pictures always use the Unicode labels (`⟨Z⟩`, `S†`); the charset is for terminals.
    let options = DrawOptions { charset: super::Charset::Unicode, width: None, ..*options };
    render(&layout(circuit, &options))
}

fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHARACTER_WIDTH
}

fn box_width(label: &str) -> f64 {
    text_width(label) + 2.0 * BOX_PADDING
}

fn wire_y(wire: usize) -> f64 {
    MARGIN + ROW_HEIGHT * wire as f64 + ROW_HEIGHT / 2.0
}

fn column_width(column: &[Element]) -> f64 {
    column
        .iter()
        .flat_map(|element| element.marks.iter())
        .map(|(_, mark)| match mark {
            Mark::Box(label) => box_width(label),
            _ => MIN_COLUMN_WIDTH,
        })
        .fold(MIN_COLUMN_WIDTH, f64::max)
}

/// Escapes the characters XML gives a meaning to.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes a laid-out circuit as an SVG document.
pub fn render(diagram: &Diagram) -> String {
    let n_wires = diagram.wire_labels.len();
    let label_area = diagram.wire_labels.iter().map(|label| text_width(label)).fold(0.0, f64::max) + 24.0;
    let wires_start = MARGIN + label_area;
    let mut x = wires_start + COLUMN_GAP;
    let mut shapes = String::new();
    for column in &diagram.columns {
        let width = column_width(column);
        for element in column {
            draw_element(&mut shapes, element, x + width / 2.0);
        }
        x += width + COLUMN_GAP;
    }
    // The measurements stand apart from the gates, after a wider gap.
    x += COLUMN_GAP;
    for column in &diagram.measurement_columns {
        let width = column_width(column);
        for element in column {
            draw_element(&mut shapes, element, x + width / 2.0);
        }
        x += width + COLUMN_GAP;
    }
    let wires_end = x;
    let width = (wires_end + MARGIN).ceil();
    let height = (2.0 * MARGIN + ROW_HEIGHT * n_wires as f64).ceil();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}">"##
    );
    let _ = writeln!(out, r##"<rect width="{width}" height="{height}" fill="#ffffff"/>"##);
    for (wire, label) in diagram.wire_labels.iter().enumerate() {
        let y = wire_y(wire);
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{y:.1}" dy="0.35em" text-anchor="end" fill="{INK}">{}:</text>"##,
            wires_start - 8.0,
            escape(label)
        );
        let _ = writeln!(
            out,
            r##"<line class="wire" x1="{wires_start:.1}" y1="{y:.1}" x2="{wires_end:.1}" y2="{y:.1}" stroke="{INK}" stroke-width="1.5"/>"##
        );
    }
    out.push_str(&shapes);
    out.push_str("</svg>\n");
    out
}

/// Draws one element centred on `x`: the line joining its marks, then its box, then its dots,
/// targets and crosses on top.
fn draw_element(out: &mut String, element: &Element, x: f64) {
    if element.top() != element.bottom() {
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.5"/>"##,
            wire_y(element.top()),
            wire_y(element.bottom())
        );
    }
    let boxed: Vec<(usize, &String)> = element
        .marks
        .iter()
        .filter_map(|(wire, mark)| match mark {
            Mark::Box(label) => Some((*wire, label)),
            _ => None,
        })
        .collect();
    let (fill, stroke) = match element.kind {
        ElementKind::Gate => ("#ffffff", INK),
        ElementKind::Template => ("#e3ecfa", "#2f5597"),
        ElementKind::Measurement => ("#fff4e0", "#a0620a"),
    };
    // One box per run of neighbouring wires, so that a wire the element only crosses is not
    // drawn as inside it.
    let mut start = 0;
    while start < boxed.len() {
        let mut end = start + 1;
        while end < boxed.len() && boxed[end].0 == boxed[end - 1].0 + 1 {
            end += 1;
        }
        let (first, label) = boxed[start];
        let last = boxed[end - 1].0;
        let width = box_width(label);
        let top = wire_y(first) - BOX_HEIGHT / 2.0;
        let height = wire_y(last) - wire_y(first) + BOX_HEIGHT;
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{top:.1}" width="{width:.1}" height="{height:.1}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"##,
            x - width / 2.0
        );
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" dy="0.35em" text-anchor="middle" fill="{INK}">{}</text>"##,
            top + height / 2.0,
            escape(label)
        );
        start = end;
    }
    for (wire, mark) in &element.marks {
        let y = wire_y(*wire);
        match mark {
            Mark::Control => {
                let _ = writeln!(out, r##"<circle cx="{x:.1}" cy="{y:.1}" r="{CONTROL_RADIUS}" fill="{INK}"/>"##);
            }
            Mark::Target => {
                let _ = writeln!(
                    out,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{TARGET_RADIUS}" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>"##
                );
                let _ = writeln!(
                    out,
                    r##"<path d="M {:.1} {y:.1} H {:.1} M {x:.1} {:.1} V {:.1}" stroke="{INK}" stroke-width="1.5"/>"##,
                    x - TARGET_RADIUS,
                    x + TARGET_RADIUS,
                    y - TARGET_RADIUS,
                    y + TARGET_RADIUS
                );
            }
            Mark::Swap => {
                let _ = writeln!(
                    out,
                    r##"<path d="M {:.1} {:.1} L {:.1} {:.1} M {:.1} {:.1} L {:.1} {:.1}" stroke="{INK}" stroke-width="2"/>"##,
                    x - SWAP_HALF,
                    y - SWAP_HALF,
                    x + SWAP_HALF,
                    y + SWAP_HALF,
                    x - SWAP_HALF,
                    y + SWAP_HALF,
                    x + SWAP_HALF,
                    y - SWAP_HALF
                );
            }
            Mark::Box(_) => {}
        }
    }
}
