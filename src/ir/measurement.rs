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

/// `coefficient * P_1(w_1) @ P_2(w_2) @ …`, the wires of one term distinct.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub coefficient: f64,
    pub factors: Vec<(Pauli, Wire)>,
}

/// A real linear combination of Pauli words.
#[derive(Clone, Debug, PartialEq)]
pub struct Observable {
    pub terms: Vec<Term>,
}

impl Observable {
    pub fn wires(&self) -> Vec<Wire> {
        let mut wires: Vec<Wire> = self.terms.iter().flat_map(|t| t.factors.iter().map(|f| f.1)).collect();
        wires.sort();
        wires.dedup();
        wires
    }
}

impl std::fmt::Display for Observable {
    /// Prints the observable as the language writes it: `Z(0) @ Z(1)`, `0.5 * Z(0) - 1.2 * X(2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (term_idx, term) in self.terms.iter().enumerate() {
            let word = if term.factors.is_empty() {
                "I".to_string()
            } else {
                term.factors.iter().map(|(p, w)| format!("{}({})", p.name(), w.0)).collect::<Vec<_>>().join(" @ ")
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
