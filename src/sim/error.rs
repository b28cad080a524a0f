//! Why a circuit could not be simulated: `SimError`, its messages and its diagnostic codes.

use crate::codes::Code;
use crate::sim::memory::{human_bytes, MemoryBudget, MemoryNeed};
use crate::source::Span;

/// Why a circuit could not be simulated.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// The evaluation would need more memory than `budget` allows; found before allocating.
    /// `what` names the work ("a state vector", "running the circuit", "the adjoint Jacobian").
    TooLarge { what: &'static str, need: MemoryNeed, budget: MemoryBudget },
    /// The allocator could not give memory the budget allowed (the machine promised more than it had).
    AllocationFailed { bytes: u128 },
    /// The input vector does not have the length the circuit declares or reads.
    InputCount { expected: usize, found: usize },
    /// The param vector does not have the length the circuit declares or reads.
    ParamCount { expected: usize, found: usize },
    /// The circuit breaks an invariant the front end guarantees (a wire out of range, repeated
    /// wires, a wrong number of angles): a bug upstream rather than a user mistake.
    InvalidCircuit { message: String },
    /// An amplitude embedding got more values than 2^k, or fewer without `pad`.
    AmplitudeCount { expected: usize, found: usize, padded: bool },
    /// A value the circuit computes at run time is not a finite number: a gate angle, an amplitude,
    /// an angle's derivative. `what` says which ("the angle of `rx`"), `origin` how it was
    /// computed ("`exp(x)` with x = 1000", or empty), `span` the operation in the source.
    NonFinite { what: String, value: f64, origin: String, span: Option<Span> },
    /// An amplitude embedding without `normalize` got amplitudes whose norm is not 1.
    AmplitudeNorm { norm: f64 },
    /// An amplitude embedding got amplitudes that are all zero.
    ZeroNorm,
    /// A bit of a `basis_embedding` is neither 0 nor 1.
    NotABit { input: String, value: f64 },
    /// `sample` was measured without shots.
    SampleWithoutShots,
    /// Shots were asked for with a count of zero.
    ZeroShots,
    /// More shots than [`crate::sim::MAX_SHOTS`], beyond which counts are no longer exact.
    TooManyShots { count: u128 },
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::TooLarge { what, need, budget } => {
                let (n_qubits, breakdown) = (need.n_qubits, need.breakdown());
                let mut bytes = human_bytes(need.bytes());
                // When both amounts round to the same text, the exact bytes tell them apart.
                let exact = bytes == human_bytes(u128::from(budget.limit_bytes));
                if exact {
                    bytes.push_str(&format!(" ({} bytes)", need.bytes()));
                }
                let budget = budget.describe(exact);
                write!(f, "{what} on {n_qubits} qubits needs {bytes} of memory{breakdown}, but {budget}")
            }
            SimError::AllocationFailed { bytes } => write!(
                f,
                "could not allocate {}: less memory could be had than the machine reported as available \
                 (a limit such as `ulimit -v` may apply; QMLC_MEMORY_LIMIT sets qmlc's own)",
                human_bytes(*bytes)
            ),
            SimError::InputCount { expected, found } => {
                write!(f, "the circuit takes {expected} input values but {found} were given")
            }
            SimError::ParamCount { expected, found } => {
                write!(f, "the circuit takes {expected} param values but {found} were given")
            }
            SimError::InvalidCircuit { message } => write!(f, "invalid circuit: {message}"),
            SimError::AmplitudeCount { expected, found, padded } => {
                if *padded || *found > *expected {
                    write!(f, "amplitude_embedding: {found} amplitudes do not fit on {expected} basis states")
                } else {
                    write!(f, "amplitude_embedding: {found} amplitudes given for {expected} basis states; set `pad` to fill the rest")
                }
            }
            SimError::NonFinite { what, value, origin, .. } => {
                write!(f, "{what} is {value}")?;
                if !origin.is_empty() {
                    write!(f, ", from {origin}")?;
                }
                Ok(())
            }
            SimError::AmplitudeNorm { norm } => {
                let norm = crate::sim::format_value(*norm);
                write!(f, "amplitude_embedding: the amplitudes have norm {norm} but `normalize` is false")
            }
            SimError::ZeroNorm => {
                write!(f, "amplitude_embedding: the amplitudes are all zero, so there is no state to prepare")
            }
            SimError::NotABit { input, value } => {
                write!(f, "basis_embedding takes bits 0 and 1, but `{input}` is {value}")
            }
            SimError::SampleWithoutShots => write!(f, "`sample` needs shots: run with `--shots N`"),
            SimError::ZeroShots => write!(f, "the number of shots must be at least 1"),
            SimError::TooManyShots { count } => {
                write!(f, "{count} shots are more than the {} (2^53) whose counts stay exact", crate::sim::MAX_SHOTS)
            }
        }
    }
}

impl std::error::Error for SimError {}

impl SimError {
    /// The diagnostic code of the error (`qmlc explain` describes it), from the E09xx run-time series.
    pub fn code(&self) -> Code {
        match self {
            SimError::NonFinite { .. } => Code::E0901,
            SimError::TooLarge { .. } | SimError::AllocationFailed { .. } => Code::E0902,
            SimError::InputCount { .. } | SimError::ParamCount { .. } => Code::E0908,
            SimError::InvalidCircuit { .. } => Code::E0902,
            SimError::AmplitudeCount { .. } | SimError::AmplitudeNorm { .. } | SimError::ZeroNorm => Code::E0903,
            SimError::NotABit { .. } => Code::E0904,
            SimError::SampleWithoutShots | SimError::ZeroShots | SimError::TooManyShots { .. } => Code::E0905,
        }
    }

    /// The source span of the operation the error is about, where there is one.
    pub fn span(&self) -> Option<Span> {
        match self {
            SimError::NonFinite { span, .. } => *span,
            _ => None,
        }
    }
}
