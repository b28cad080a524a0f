//! Circuit drawings: the circuit laid out in columns, then written as text or as an SVG picture.
//!
//! The layout is shared by both renderers, so a text drawing and a picture of the same circuit
//! always have the same columns. Each operation becomes one element: the marks it shows on its
//! wires (a labelled box, a control dot, a CNOT target, a swap cross). An element is placed in the
//! first column where every wire from its top mark to its bottom mark is free, since the vertical
//! line that joins its marks crosses the wires in between. A template application is one element
//! (a box over the wires it was placed on) unless the drawing is expanded. The measurements come
//! last, in columns of their own.
//!
//! The drawing shows the circuit as written: give it the circuit the checker produced, before
//! `opt::optimize` merges or cancels gates.

mod svg;
mod text;

pub use svg::svg;
pub use text::text;

use crate::ir::{BinOp, Circuit, Expr, GateKind, Measurement, Observable, Op, TemplateOrigin, Variable};
use std::sync::Arc;

/// The characters a text drawing may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Charset {
    /// Box drawing (`─ │ ╭ ├ ╰ ┤`), `●` controls and `⊕` targets, as PennyLane's `qml.draw`.
    #[default]
    Unicode,
    /// Plain ASCII for terminals and files that cannot show the rest (`- | + *`).
    Ascii,
}

/// The width a text drawing is cut at unless told otherwise (`qmlc draw --width`, the REPL).
pub const DEFAULT_WIDTH: usize = 100;

/// How to draw a circuit.
#[derive(Clone, Copy, Debug, Default)]
pub struct DrawOptions<'a> {
    /// Draw the gates each template expands to instead of one box per template application.
    pub expand: bool,
    /// The flat param values to write in place of the param names (inputs keep their names).
    pub params: Option<&'a [f64]>,
    pub charset: Charset,
    /// The widest line of a text drawing: a wider one is cut into parts, one below the other.
    /// `None` never cuts. SVG pictures are never cut.
    pub width: Option<usize>,
}

/// What an element shows on one wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A control: the operation acts where this wire is |1>.
    Control,
    /// The target of a CNOT or Toffoli (`⊕`).
    Target,
    /// One end of a swap (`×`).
    Swap,
    /// A labelled box; an element with several box marks is one box over all of them.
    Box(String),
}

/// What kind of thing an element is, for the picture's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementKind {
    Gate,
    Template,
    Measurement,
}

/// One operation or measurement of the drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub kind: ElementKind,
    /// The wires it shows a mark on, in increasing order, each once.
    pub marks: Vec<(usize, Mark)>,
}

impl Element {
    fn new(kind: ElementKind, mut marks: Vec<(usize, Mark)>) -> Element {
        marks.sort_by_key(|(wire, _)| *wire);
        marks.dedup_by_key(|(wire, _)| *wire);
        Element { kind, marks }
    }

    /// The first wire it reaches.
    pub fn top(&self) -> usize {
        self.marks.first().map_or(0, |(wire, _)| *wire)
    }

    /// The last wire it reaches.
    pub fn bottom(&self) -> usize {
        self.marks.last().map_or(0, |(wire, _)| *wire)
    }

    /// The mark on a wire, if it has one there.
    pub fn mark_on(&self, wire: usize) -> Option<&Mark> {
        self.marks.iter().find(|(w, _)| *w == wire).map(|(_, mark)| mark)
    }

    /// Whether the element's vertical extent covers a wire (with a mark, or crossing it).
    pub fn covers(&self, wire: usize) -> bool {
        !self.marks.is_empty() && self.top() <= wire && wire <= self.bottom()
    }
}

/// A circuit laid out for drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagram {
    /// One label per wire, top to bottom.
    pub wire_labels: Vec<String>,
    /// The operations, column by column, left to right.
    pub columns: Vec<Vec<Element>>,
    /// The measurements, in columns after the operations.
    pub measurement_columns: Vec<Vec<Element>>,
}

/// Lays out a circuit: operations as early as their wires allow, then the measurements.
pub fn layout(circuit: &Circuit, options: &DrawOptions) -> Diagram {
    let n_wires = circuit.n_qubits;
    let names = Names::new(circuit, options);
    let mut columns = Columns::new(n_wires);
    let mut index = 0;
    while index < circuit.ops.len() {
        match &circuit.ops[index] {
            Op::Gate(gate) => match (&gate.template, options.expand) {
                (Some(origin), false) => {
                    // One box for the whole application: the gates that follow and carry the
                    // same origin belong to it.
                    let application_length = circuit.ops[index..]
                        .iter()
                        .take_while(|op| matches!(op, Op::Gate(g) if same_application(&g.template, origin)))
                        .count();
                    columns.place(template_element(origin, &gate.controls));
                    index += application_length;
                    continue;
                }
                _ => columns.place(gate_element(gate, &names)),
            },
            Op::StatePrep(prep) => {
                let marks = prep.wires.iter().map(|w| (w.index(), Mark::Box("amplitude_embedding".to_string())));
                columns.place(Element::new(ElementKind::Template, marks.collect()));
            }
        }
        index += 1;
    }
    let mut measurement_columns = Columns::new(n_wires);
    for measurement in &circuit.measurements {
        let label = measurement_label(measurement, options.charset);
        let marks: Vec<(usize, Mark)> =
            measurement.wires(n_wires).iter().map(|w| (w.index(), Mark::Box(label.clone()))).collect();
        // A measurement on no wire at all (the expectation of the identity) has nowhere to go.
        if !marks.is_empty() {
            measurement_columns.place(Element::new(ElementKind::Measurement, marks));
        }
    }
    Diagram {
        wire_labels: (0..n_wires).map(|wire| wire.to_string()).collect(),
        columns: columns.columns,
        measurement_columns: measurement_columns.columns,
    }
}

fn same_application(template: &Option<Arc<TemplateOrigin>>, origin: &Arc<TemplateOrigin>) -> bool {
    template.as_ref().is_some_and(|t| Arc::ptr_eq(t, origin) || **t == **origin)
}

/// Columns being filled, with the first free column of each wire.
struct Columns {
    columns: Vec<Vec<Element>>,
    first_free: Vec<usize>,
}

impl Columns {
    fn new(n_wires: usize) -> Columns {
        Columns { columns: Vec::new(), first_free: vec![0; n_wires] }
    }

    /// Puts an element in the first column free on every wire it covers.
    fn place(&mut self, element: Element) {
        if element.marks.is_empty() || element.bottom() >= self.first_free.len() {
            return;
        }
        let covered = element.top()..=element.bottom();
        let column = self.first_free[covered.clone()].iter().copied().max().unwrap_or(0);
        if column == self.columns.len() {
            self.columns.push(Vec::new());
        }
        self.columns[column].push(element);
        for wire in covered {
            self.first_free[wire] = column + 1;
        }
    }
}

fn template_element(origin: &TemplateOrigin, controls: &[crate::ir::Wire]) -> Element {
    let mut marks: Vec<(usize, Mark)> = controls.iter().map(|w| (w.index(), Mark::Control)).collect();
    marks.extend(origin.wires.iter().map(|w| (w.index(), Mark::Box(origin.name.clone()))));
    Element::new(ElementKind::Template, marks)
}

fn gate_element(gate: &crate::ir::Gate, names: &Names) -> Element {
    let mut marks: Vec<(usize, Mark)> = gate.controls.iter().map(|w| (w.index(), Mark::Control)).collect();
    let wire = |i: usize| gate.wires.get(i).map_or(0, |w| w.index());
    let angles = || {
        let written: Vec<String> = gate.angles.iter().map(|angle| names.expr(angle)).collect();
        format!("({})", written.join(","))
    };
    // A gate with controls built in shows them as dots, as the circuit diagrams of textbooks do;
    // what it applies to its target is the single-wire gate's label.
    let controlled = |marks: &mut Vec<(usize, Mark)>, target: &str, with_angles: bool| {
        marks.push((wire(0), Mark::Control));
        let label = if with_angles { format!("{target}{}", angles()) } else { target.to_string() };
        marks.push((wire(1), Mark::Box(label)));
    };
    match gate.kind {
        GateKind::CNOT => marks.extend([(wire(0), Mark::Control), (wire(1), Mark::Target)]),
        GateKind::Toffoli => {
            marks.extend([(wire(0), Mark::Control), (wire(1), Mark::Control), (wire(2), Mark::Target)])
        }
        GateKind::MultiControlledX => {
            let (last, controls) = gate.wires.split_last().map_or((0, &[][..]), |(last, rest)| (last.index(), rest));
            marks.extend(controls.iter().map(|w| (w.index(), Mark::Control)));
            marks.push((last, Mark::Target));
        }
        GateKind::Swap => marks.extend([(wire(0), Mark::Swap), (wire(1), Mark::Swap)]),
        GateKind::CSwap => marks.extend([(wire(0), Mark::Control), (wire(1), Mark::Swap), (wire(2), Mark::Swap)]),
        GateKind::CCZ => {
            marks.extend([(wire(0), Mark::Control), (wire(1), Mark::Control), (wire(2), Mark::Box("Z".to_string()))])
        }
        GateKind::CY => controlled(&mut marks, "Y", false),
        GateKind::CH => controlled(&mut marks, "H", false),
        GateKind::CRot => controlled(&mut marks, "Rot", true),
        GateKind::CZ => controlled(&mut marks, "Z", false),
        GateKind::CRX => controlled(&mut marks, "RX", true),
        GateKind::CRY => controlled(&mut marks, "RY", true),
        GateKind::CRZ => controlled(&mut marks, "RZ", true),
        GateKind::CPhase => controlled(&mut marks, phase_name(names.charset), true),
        kind => {
            let name = gate_label(kind, names.charset);
            let label = if gate.angles.is_empty() { name.to_string() } else { format!("{name}{}", angles()) };
            marks.extend(gate.wires.iter().map(|w| (w.index(), Mark::Box(label.clone()))));
        }
    }
    Element::new(ElementKind::Gate, marks)
}

fn phase_name(charset: Charset) -> &'static str {
    match charset {
        Charset::Unicode => "Rϕ",
        Charset::Ascii => "Rphi",
    }
}

/// A gate's short name in a drawing, as PennyLane labels it.
fn gate_label(kind: GateKind, charset: Charset) -> &'static str {
    let unicode = charset == Charset::Unicode;
    match kind {
        GateKind::Id => "I",
        GateKind::X => "X",
        GateKind::Y => "Y",
        GateKind::Z => "Z",
        GateKind::H => "H",
        GateKind::S => "S",
        GateKind::Sdg if unicode => "S†",
        GateKind::Sdg => "Sdg",
        GateKind::T => "T",
        GateKind::Tdg if unicode => "T†",
        GateKind::Tdg => "Tdg",
        GateKind::SX => "SX",
        GateKind::SXdg if unicode => "SX†",
        GateKind::SXdg => "SXdg",
        GateKind::RX | GateKind::CRX => "RX",
        GateKind::RY | GateKind::CRY => "RY",
        GateKind::RZ | GateKind::CRZ => "RZ",
        GateKind::Phase | GateKind::CPhase => phase_name(charset),
        GateKind::Rot => "Rot",
        GateKind::U3 => "U3",
        GateKind::CNOT => "X",
        GateKind::CY => "Y",
        GateKind::CZ => "Z",
        GateKind::Swap | GateKind::CSwap => "SWAP",
        GateKind::IsingXX => "IsingXX",
        GateKind::IsingYY => "IsingYY",
        GateKind::IsingZZ => "IsingZZ",
        GateKind::Toffoli => "X",
        GateKind::MultiRZ => "MultiRZ",
        GateKind::SingleExcitation => "G",
        GateKind::SingleExcitationPlus if unicode => "G₊",
        GateKind::SingleExcitationPlus => "G+",
        GateKind::SingleExcitationMinus if unicode => "G₋",
        GateKind::SingleExcitationMinus => "G-",
        GateKind::DoubleExcitation if unicode => "G²",
        GateKind::DoubleExcitation => "G2",
        GateKind::DoubleExcitationPlus if unicode => "G²₊",
        GateKind::DoubleExcitationPlus => "G2+",
        GateKind::DoubleExcitationMinus if unicode => "G²₋",
        GateKind::DoubleExcitationMinus => "G2-",
        GateKind::CH => "H",
        GateKind::CCZ => "Z",
        GateKind::ISwap => "ISWAP",
        GateKind::ISwapDg if unicode => "ISWAP†",
        GateKind::ISwapDg => "ISWAPdg",
        GateKind::SISwap => "SISWAP",
        GateKind::SISwapDg if unicode => "SISWAP†",
        GateKind::SISwapDg => "SISWAPdg",
        GateKind::ECR => "ECR",
        GateKind::U1 => "U1",
        GateKind::CRot => "Rot",
        GateKind::MultiControlledX => "X",
        GateKind::U2 => "U2",
        GateKind::U2Dg if unicode => "U2†",
        GateKind::U2Dg => "U2dg",
        GateKind::IsingXY => "IsingXY",
        GateKind::PSWAP => "PSWAP",
        GateKind::PauliRot => "PauliRot",
        GateKind::OrbitalRotation => "OrbitalRotation",
        GateKind::FermionicSWAP => "fSWAP",
        GateKind::GlobalPhase => "GlobalPhase",
    }
}

/// A measurement's label: `⟨Z⟩`, `⟨Z@Z⟩`, `Var[X]`, `Probs`, `Sample[Z]`, `State`.
fn measurement_label(measurement: &Measurement, charset: Charset) -> String {
    let (open, close) = match charset {
        Charset::Unicode => ("⟨", "⟩"),
        Charset::Ascii => ("<", ">"),
    };
    match measurement {
        Measurement::Expval(observable) => format!("{open}{}{close}", observable_label(observable, charset)),
        Measurement::Var(observable) => format!("Var[{}]", observable_label(observable, charset)),
        Measurement::Sample(observable) => format!("Sample[{}]", observable_label(observable, charset)),
        Measurement::Probs(_) => "Probs".to_string(),
        Measurement::State => "State".to_string(),
    }
}

/// A Pauli word without its wires (`Z@Z`, which the wires of the drawing show), or `𝓗` for a sum
/// or a scaled word, as PennyLane draws a Hamiltonian.
fn observable_label(observable: &Observable, charset: Charset) -> String {
    match observable.terms.as_slice() {
        [term] if term.coefficient == 1.0 && !(term.factors.is_empty() && term.matrices.is_empty()) => term
            .factors
            .iter()
            .map(|(pauli, _)| pauli.name().to_string())
            .chain(term.matrices.iter().map(|matrix| matrix_label(matrix, charset)))
            .collect::<Vec<_>>()
            .join("@"),
        _ => match charset {
            Charset::Unicode => "𝓗".to_string(),
            Charset::Ascii => "Ham".to_string(),
        },
    }
}

/// A projector as PennyLane draws it, `|01⟩⟨01|`, or `𝓗` for a Hermitian matrix.
fn matrix_label(matrix: &crate::ir::MatrixFactor, charset: Charset) -> String {
    match (&matrix.kind, charset) {
        (crate::ir::MatrixKind::Projector { bits }, _) => {
            let bits: String = bits.iter().map(|bit| bit.to_string()).collect();
            match charset {
                Charset::Unicode => format!("|{bits}⟩⟨{bits}|"),
                Charset::Ascii => format!("|{bits}><{bits}|"),
            }
        }
        (crate::ir::MatrixKind::Hermitian { .. }, Charset::Unicode) => "𝓗".to_string(),
        (crate::ir::MatrixKind::Hermitian { .. }, Charset::Ascii) => "Herm".to_string(),
    }
}

/// Writes angles with the source's names of inputs and params, or the params' values.
struct Names<'a> {
    inputs: Vec<&'a Variable>,
    params: Vec<&'a Variable>,
    values: Option<&'a [f64]>,
    charset: Charset,
}

impl<'a> Names<'a> {
    fn new(circuit: &'a Circuit, options: &DrawOptions<'a>) -> Names<'a> {
        Names {
            inputs: circuit.inputs.iter().collect(),
            params: circuit.params.iter().map(|p| &p.variable).collect(),
            values: options.params,
            charset: options.charset,
        }
    }

    /// An angle as the drawing shows it: `x[0]`, `2 * w[1,0]`, or with values `0.52`.
    fn expr(&self, expr: &Expr) -> String {
        match self.values {
            Some(values) => self.write(&substitute(expr, values), 0),
            None => self.write(expr, 0),
        }
    }

    fn write(&self, expr: &Expr, parent_precedence: u8) -> String {
        let (text, precedence) = match expr {
            Expr::Const(value) => (number(*value, self.charset), if *value < 0.0 { 7 } else { 9 }),
            Expr::Input(index) => (element_name(&self.inputs, *index), 9),
            Expr::Param(index) => (element_name(&self.params, *index), 9),
            Expr::Neg(inner) => (format!("-{}", self.write(inner, 8)), 7),
            Expr::Call(func, inner) => (format!("{}({})", func.name(), self.write(inner, 0)), 9),
            Expr::Call2(func, left, right) => {
                (format!("{}({}, {})", func.name(), self.write(left, 0), self.write(right, 0)), 9)
            }
            Expr::Binary(BinOp::Rem, left, right) => {
                (format!("mod({}, {})", self.write(left, 0), self.write(right, 0)), 9)
            }
            Expr::Binary(op, left, right) => {
                let (symbol, precedence) = match op {
                    BinOp::Add => ("+", 5),
                    BinOp::Sub => ("-", 5),
                    BinOp::Mul => ("*", 6),
                    BinOp::Div => ("/", 6),
                    BinOp::Pow => ("^", 8),
                    BinOp::Rem => ("%", 6),
                };
                // The right operand of a non-commutative operator binds one level tighter, and
                // `^` groups to the right.
                let right_precedence =
                    if matches!(op, BinOp::Sub | BinOp::Div | BinOp::Pow) { precedence + 1 } else { precedence };
                let left_precedence = if *op == BinOp::Pow { precedence + 1 } else { precedence };
                let left = self.write(left, left_precedence);
                let right = self.write(right, right_precedence);
                (format!("{left} {symbol} {right}"), precedence)
            }
        };
        if precedence < parent_precedence {
            format!("({text})")
        } else {
            text
        }
    }
}

/// The name of one element of an input or param in the drawing's compact form: `w[1,0,2]`.
fn element_name(variables: &[&Variable], flat_index: usize) -> String {
    crate::ir::element_name(variables, flat_index, ",")
}

/// The expression with each param replaced by its value, folded where it became constant.
fn substitute(expr: &Expr, values: &[f64]) -> Expr {
    match expr {
        Expr::Param(index) => values.get(*index).map_or(Expr::Param(*index), |value| Expr::Const(*value)),
        Expr::Const(_) | Expr::Input(_) => expr.clone(),
        Expr::Neg(inner) => Expr::negated(substitute(inner, values)),
        Expr::Binary(op, left, right) => Expr::binary(*op, substitute(left, values), substitute(right, values)),
        Expr::Call(func, inner) => Expr::call(*func, substitute(inner, values)),
        Expr::Call2(func, left, right) => Expr::call2(*func, substitute(left, values), substitute(right, values)),
    }
}

/// A number as a drawing shows it: whole numbers as they are, simple multiples of π as such
/// (`π/2`, `3π/4`), anything else to two decimals, as PennyLane's drawer does.
pub fn number(value: f64, charset: Charset) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let pi = match charset {
        Charset::Unicode => "π",
        Charset::Ascii => "pi",
    };
    for denominator in 1..=8_i64 {
        let numerator = value * denominator as f64 / std::f64::consts::PI;
        let rounded = numerator.round();
        if rounded != 0.0 && (numerator - rounded).abs() < 1e-9 && rounded.abs() <= 16.0 {
            let numerator = rounded as i64;
            let sign = if numerator < 0 { "-" } else { "" };
            let multiple = if numerator.abs() == 1 { String::new() } else { numerator.abs().to_string() };
            let over = if denominator == 1 { String::new() } else { format!("/{denominator}") };
            return format!("{sign}{multiple}{pi}{over}");
        }
    }
    let text = format!("{value:.2}");
    match text.as_str() {
        "-0.00" | "0.00" => "0".to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests;
