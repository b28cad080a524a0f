//! Observables and measurements.

use super::Wire;

/// A single-qubit factor of a Pauli word (`H` is the Hadamard observable, as PennyLane's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pauli {
    I,
    X,
    Y,
    Z,
    H,
}

impl Pauli {
    pub fn name(self) -> &'static str {
        match self {
            Pauli::I => "I",
            Pauli::X => "X",
            Pauli::Y => "Y",
            Pauli::Z => "Z",
            Pauli::H => "H",
        }
    }
}

/// What a matrix factor of a term is: `projector(BITS, WIRES)` or `hermitian(MATRIX, WIRES)`.
#[derive(Clone, Debug, PartialEq)]
pub enum MatrixKind {
    /// |b⟩⟨b| on the factor's wires, one bit (0 or 1) per wire, the first wire's bit most significant.
    Projector { bits: Vec<u8> },
    /// A real symmetric 2^k × 2^k matrix, row-major, on k wires (the first wire most significant).
    Hermitian { matrix: Vec<f64> },
}

/// A factor of a term that is not a Pauli: a projector or a Hermitian matrix on its own wires.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixFactor {
    pub kind: MatrixKind,
    pub wires: Vec<Wire>,
}

impl MatrixFactor {
    /// The factor's real 2^k × 2^k matrix, row-major (a projector's is diagonal with one 1).
    pub fn matrix(&self) -> Vec<f64> {
        let dimension = 1usize << self.wires.len();
        match &self.kind {
            MatrixKind::Hermitian { matrix } => matrix.clone(),
            MatrixKind::Projector { .. } => {
                let mut matrix = vec![0.0; dimension * dimension];
                let index = self.basis_index().unwrap_or(0);
                matrix[index * dimension + index] = 1.0;
                matrix
            }
        }
    }

    /// A projector's basis state as an index of its wires' basis states (the first wire most significant).
    pub fn basis_index(&self) -> Option<usize> {
        match &self.kind {
            MatrixKind::Projector { bits } => {
                Some(bits.iter().fold(0usize, |index, bit| index << 1 | usize::from(*bit)))
            }
            MatrixKind::Hermitian { .. } => None,
        }
    }
}

impl std::fmt::Display for MatrixFactor {
    /// `projector([0, 1], 0, 1)` or `hermitian([[1, 0], [0, -1]], 0)`, as the language writes them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wires = self.wires.iter().map(|wire| wire.0.to_string()).collect::<Vec<_>>().join(", ");
        match &self.kind {
            MatrixKind::Projector { bits } => {
                let bits = bits.iter().map(|bit| bit.to_string()).collect::<Vec<_>>().join(", ");
                write!(f, "projector([{bits}], {wires})")
            }
            MatrixKind::Hermitian { matrix } => {
                let dimension = 1usize << self.wires.len();
                let rows = matrix
                    .chunks(dimension.max(1))
                    .map(|row| format!("[{}]", row.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")))
                    .collect::<Vec<_>>()
                    .join(", ");
                write!(f, "hermitian([{rows}], {wires})")
            }
        }
    }
}

/// `coefficient * P_1(w_1) @ P_2(w_2) @ … @ M_1 @ M_2 @ …`: Pauli factors and matrix factors
/// (projectors and Hermitian matrices), the wires of one term distinct.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub coefficient: f64,
    pub factors: Vec<(Pauli, Wire)>,
    pub matrices: Vec<MatrixFactor>,
}

impl Term {
    /// A term of Pauli factors only.
    pub fn pauli(coefficient: f64, factors: Vec<(Pauli, Wire)>) -> Term {
        Term { coefficient, factors, matrices: Vec::new() }
    }

    /// Every wire the term acts on: its Pauli factors' wires, then its matrix factors'.
    pub fn wires(&self) -> Vec<Wire> {
        self.factors
            .iter()
            .map(|factor| factor.1)
            .chain(self.matrices.iter().flat_map(|m| m.wires.iter().copied()))
            .collect()
    }

    /// Whether the term is the identity times its coefficient.
    pub fn is_identity(&self) -> bool {
        self.matrices.is_empty() && self.factors.iter().all(|(pauli, _)| *pauli == Pauli::I)
    }
}

/// A real linear combination of terms: Pauli words, optionally with projector and Hermitian factors.
#[derive(Clone, Debug, PartialEq)]
pub struct Observable {
    pub terms: Vec<Term>,
}

impl Observable {
    /// Whether every term is a Pauli word (no projector or Hermitian factor).
    pub fn is_pauli_sum(&self) -> bool {
        self.terms.iter().all(|term| term.matrices.is_empty())
    }

    pub fn wires(&self) -> Vec<Wire> {
        let mut wires: Vec<Wire> = self.terms.iter().flat_map(Term::wires).collect();
        wires.sort();
        wires.dedup();
        wires
    }
}

impl std::fmt::Display for Observable {
    /// Prints the observable as the language writes it: `Z(0) @ Z(1)`, `0.5 * Z(0) - 1.2 * X(2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (term_idx, term) in self.terms.iter().enumerate() {
            let word = if term.factors.is_empty() && term.matrices.is_empty() {
                // The identity is the same on every wire; the language writes it on one.
                "I(0)".to_string()
            } else {
                term.factors
                    .iter()
                    .map(|(p, w)| format!("{}({})", p.name(), w.0))
                    .chain(term.matrices.iter().map(|matrix| matrix.to_string()))
                    .collect::<Vec<_>>()
                    .join(" @ ")
            };
            let magnitude = term.coefficient.abs();
            let sign = if term.coefficient < 0.0 { "-" } else { "+" };
            if term_idx == 0 {
                if term.coefficient < 0.0 {
                    write!(f, "-")?;
                }
            } else {
                write!(f, " {sign} ")?;
            }
            if magnitude == 1.0 {
                write!(f, "{word}")?;
            } else {
                write!(f, "{magnitude} * {word}")?;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Measurement {
    Expval(Observable),
    Var(Observable),
    /// Probabilities of the listed wires' basis states, first wire most significant.
    Probs(Vec<Wire>),
    /// One eigenvalue of the observable per shot (`run` only).
    Sample(Observable),
    /// The amplitudes (`run` only).
    State,
}

impl Measurement {
    /// The number of real outputs this measurement contributes; `None` where it depends on shots
    /// (`sample`) or is complex (`state`).
    pub fn n_outputs(&self) -> Option<usize> {
        match self {
            Measurement::Expval(_) | Measurement::Var(_) => Some(1),
            Measurement::Probs(wires) => Some(1 << wires.len()),
            Measurement::Sample(_) | Measurement::State => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Measurement::Expval(_) => "expval",
            Measurement::Var(_) => "var",
            Measurement::Probs(_) => "probs",
            Measurement::Sample(_) => "sample",
            Measurement::State => "state",
        }
    }

    /// The measurement as the language writes it, e.g. `Z(0) @ Z(1)` or `probs(0, 1)`.
    pub fn describe(&self) -> String {
        match self {
            Measurement::Expval(o) | Measurement::Var(o) | Measurement::Sample(o) => o.to_string(),
            Measurement::Probs(wires) => {
                format!("probs({})", wires.iter().map(|w| w.0.to_string()).collect::<Vec<_>>().join(", "))
            }
            Measurement::State => "state".to_string(),
        }
    }

    pub fn wires(&self, n_qubits: usize) -> Vec<Wire> {
        match self {
            Measurement::Expval(o) | Measurement::Var(o) | Measurement::Sample(o) => o.wires(),
            Measurement::Probs(wires) => wires.clone(),
            Measurement::State => (0..n_qubits as u32).map(Wire).collect(),
        }
    }
}
