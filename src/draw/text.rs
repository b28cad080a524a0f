//! The text drawing: one line per wire, in box-drawing characters or plain ASCII.
//!
//! Each column is as wide as its widest mark. A mark of an element that reaches several wires
//! starts with a corner (`╭` on its top wire, `╰` on its bottom one, `├` between), and a wire the
//! element crosses without a mark shows `│`, so the marks read as joined by one vertical line.

use super::{layout, Charset, Diagram, DrawOptions, Element, Mark};
use crate::ir::Circuit;

/// Draws a circuit as text, a line per wire (ending with a newline).
pub fn text(circuit: &Circuit, options: &DrawOptions) -> String {
    render(&layout(circuit, options), options)
}

/// The characters of one charset.
struct Glyphs {
    wire: char,
    cross: char,
    top: char,
    middle: char,
    bottom: char,
    end: char,
    control: &'static str,
    target: &'static str,
    swap: &'static str,
}

impl Glyphs {
    fn of(charset: Charset) -> Glyphs {
        match charset {
            Charset::Unicode => Glyphs {
                wire: '─',
                cross: '│',
                top: '╭',
                middle: '├',
                bottom: '╰',
                end: '┤',
                control: "●",
                target: "⊕",
                swap: "×",
            },
            Charset::Ascii => Glyphs {
                wire: '-',
                cross: '|',
                top: '+',
                middle: '+',
                bottom: '+',
                end: '|',
                control: "*",
                target: "X",
                swap: "x",
            },
        }
    }

    fn mark<'a>(&self, mark: &'a Mark) -> &'a str {
        match mark {
            Mark::Control => self.control,
            Mark::Target => self.target,
            Mark::Swap => self.swap,
            Mark::Box(label) => label,
        }
    }

    /// The corner in front of a mark on `wire` of an element.
    fn corner(&self, element: &Element, wire: usize, single: char) -> char {
        if element.top() == element.bottom() {
            single
        } else if wire == element.top() {
            self.top
        } else if wire == element.bottom() {
            self.bottom
        } else {
            self.middle
        }
    }
}

fn width_of(text: &str) -> usize {
    text.chars().count()
}

/// Lays out a column's cells, one per wire, each `width + 1` characters: a corner and the mark,
/// padded with `fill`.
fn column_cells(column: &[Element], n_wires: usize, glyphs: &Glyphs, fill: char, single: char) -> Vec<String> {
    let width = column
        .iter()
        .flat_map(|element| element.marks.iter().map(|(_, mark)| width_of(glyphs.mark(mark))))
        .max()
        .unwrap_or(1);
    (0..n_wires)
        .map(|wire| {
            let mut cell = String::new();
            match column.iter().find(|element| element.covers(wire)) {
                Some(element) => match element.mark_on(wire) {
                    Some(mark) => {
                        let shown = glyphs.mark(mark);
                        cell.push(glyphs.corner(element, wire, single));
                        cell.push_str(shown);
                        cell.extend(std::iter::repeat_n(fill, width - width_of(shown)));
                    }
                    None => {
                        cell.push(glyphs.cross);
                        cell.extend(std::iter::repeat_n(fill, width));
                    }
                },
                None => cell.extend(std::iter::repeat_n(fill, width + 1)),
            }
            cell
        })
        .collect()
}

/// Writes a laid-out circuit.
pub fn render(diagram: &Diagram, options: &DrawOptions) -> String {
    let glyphs = Glyphs::of(options.charset);
    let n_wires = diagram.wire_labels.len();
    let label_width = diagram.wire_labels.iter().map(|label| width_of(label)).max().unwrap_or(0);
    let gate_cells: Vec<Vec<String>> =
        diagram.columns.iter().map(|column| column_cells(column, n_wires, &glyphs, glyphs.wire, glyphs.wire)).collect();
    let measurement_cells: Vec<Vec<String>> =
        diagram.measurement_columns.iter().map(|column| column_cells(column, n_wires, &glyphs, ' ', ' ')).collect();
    // Widths: `L: ` and the wire's first piece, each column and the piece of wire after it, and
    // the `┤` with the measurements.
    let lead = label_width + 3;
    let column_widths: Vec<usize> =
        gate_cells.iter().map(|cells| cells.first().map_or(0, |cell| width_of(cell)) + 1).collect();
    let tail =
        1 + measurement_cells.iter().map(|cells| cells.first().map_or(0, |cell| width_of(cell)) + 1).sum::<usize>();
    let parts = cut(&column_widths, lead, tail, options.width);
    let mut out = String::new();
    for (part_index, part) in parts.iter().enumerate() {
        if part_index > 0 {
            out.push('\n');
        }
        let last = part_index + 1 == parts.len();
        for wire in 0..n_wires {
            let mut line = format!("{:>label_width$}: {}", diagram.wire_labels[wire], glyphs.wire);
            for cells in &gate_cells[part.clone()] {
                line.push_str(&cells[wire]);
                line.push(glyphs.wire);
            }
            if last {
                line.push(glyphs.end);
                for cells in &measurement_cells {
                    line.push(' ');
                    line.push_str(&cells[wire]);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Cuts the columns into parts whose lines fit `limit` characters (a column wider than that gets
/// a part of its own); the last part also holds the measurements, or they go on alone.
fn cut(column_widths: &[usize], lead: usize, tail: usize, limit: Option<usize>) -> Vec<std::ops::Range<usize>> {
    let Some(limit) = limit else { return std::iter::once(0..column_widths.len()).collect() };
    let mut parts = Vec::new();
    let mut start = 0;
    let mut length = lead;
    for (index, width) in column_widths.iter().enumerate() {
        if index > start && length + width > limit {
            parts.push(start..index);
            start = index;
            length = lead;
        }
        length += width;
    }
    if start < column_widths.len() && length + tail > limit {
        parts.push(start..column_widths.len());
        start = column_widths.len();
    }
    parts.push(start..column_widths.len());
    parts
}
