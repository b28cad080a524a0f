//! Memory: how much an evaluation may use (a budget the caller gives), how much it needs, and fallible allocation.
//!
//! The simulator never reads the machine's state itself (that is I/O, which only the CLI does):
//! the caller passes a [`MemoryBudget`], and every entry point compares what it will need, counted
//! up front by [`bytes_needed`] and its relatives in `grad`, against that budget before it
//! allocates anything. Buffers are then allocated with `try_reserve_exact`, so that a machine that
//! promised more than it can give produces an error rather than an abort.

use crate::ir::{Circuit, Measurement};
use crate::sim::shots::plan_groups;
use crate::sim::state::DEFAULT_MEMORY_LIMIT_BYTES;
use crate::sim::{Shots, SimError};

/// Where a memory budget comes from, so that a refusal can say which limit it met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetOrigin {
    /// The simulator's own limit, [`DEFAULT_MEMORY_LIMIT_BYTES`].
    Default,
    /// What the machine reports as available (less than the default limit).
    Available,
    /// A limit the user set (the CLI reads `QMLC_MEMORY_LIMIT`).
    Setting,
}

/// The memory, in bytes, that an evaluation may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryBudget {
    pub limit_bytes: u64,
    pub origin: BudgetOrigin,
}

impl Default for MemoryBudget {
    fn default() -> MemoryBudget {
        MemoryBudget { limit_bytes: DEFAULT_MEMORY_LIMIT_BYTES, origin: BudgetOrigin::Default }
    }
}

impl MemoryBudget {
    /// Refuses `need` if it exceeds the budget; `what` names the work in the message.
    pub fn check(&self, what: &'static str, need: MemoryNeed) -> Result<(), SimError> {
        if need.bytes() > u128::from(self.limit_bytes) {
            return Err(SimError::TooLarge { what, need, budget: *self });
        }
        Ok(())
    }
}

impl MemoryBudget {
    /// The second half of a refusal: `the limit is 12.0 GiB`, `only 3.1 GiB of memory is
    /// available`; with `exact`, the bytes follow in parentheses.
    pub fn describe(&self, exact: bool) -> String {
        let mut limit = human_bytes(u128::from(self.limit_bytes));
        if exact {
            limit.push_str(&format!(" ({} bytes)", self.limit_bytes));
        }
        match self.origin {
            BudgetOrigin::Default => format!("the limit is {limit} (QMLC_MEMORY_LIMIT sets another)"),
            BudgetOrigin::Available => format!("only {limit} of memory is available"),
            BudgetOrigin::Setting => format!("QMLC_MEMORY_LIMIT allows {limit}"),
        }
    }
}

impl std::fmt::Display for MemoryBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.describe(false))
    }
}

/// What an evaluation needs at its peak: a number of state vectors of `n_qubits` qubits, and
/// other buffers (probabilities, counts, samples, Jacobians) in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryNeed {
    pub n_qubits: usize,
    pub state_vectors: u128,
    pub other_bytes: u128,
}

impl MemoryNeed {
    /// The bytes of one state vector of `n_qubits` qubits (16 per amplitude), saturating.
    pub(crate) fn state_bytes(n_qubits: usize) -> u128 {
        if n_qubits >= 120 {
            u128::MAX
        } else {
            16u128 << n_qubits
        }
    }

    /// The total, saturating at `u128::MAX` (which no budget allows).
    pub fn bytes(&self) -> u128 {
        self.state_vectors.saturating_mul(MemoryNeed::state_bytes(self.n_qubits)).saturating_add(self.other_bytes)
    }

    /// This need and `other` held at the same time.
    pub fn plus(self, other: MemoryNeed) -> MemoryNeed {
        MemoryNeed {
            n_qubits: self.n_qubits.max(other.n_qubits),
            state_vectors: self.state_vectors.saturating_add(other.state_vectors),
            other_bytes: self.other_bytes.saturating_add(other.other_bytes),
        }
    }

    /// `copies` of this need held at the same time (one per thread, say).
    pub fn times(self, copies: u128) -> MemoryNeed {
        MemoryNeed {
            n_qubits: self.n_qubits,
            state_vectors: self.state_vectors.saturating_mul(copies),
            other_bytes: self.other_bytes.saturating_mul(copies),
        }
    }

    /// The larger of two needs that are not held at the same time.
    pub fn max(self, other: MemoryNeed) -> MemoryNeed {
        if other.bytes() > self.bytes() {
            other
        } else {
            self
        }
    }
}

impl MemoryNeed {
    /// What the bytes are, for a message: ` (2 state vectors of 2.0 GiB and 8.0 MiB of other
    /// buffers)`, empty for a single state vector. Buffers under a mebibyte are not mentioned.
    pub(crate) fn breakdown(&self) -> String {
        let plural = if self.state_vectors == 1 { "" } else { "s" };
        let states = format!(
            "{} state vector{plural} of {}",
            self.state_vectors,
            human_bytes(MemoryNeed::state_bytes(self.n_qubits))
        );
        let other = (self.other_bytes >= 1 << 20).then(|| human_bytes(self.other_bytes));
        match (self.state_vectors, other) {
            (0 | 1, None) => String::new(),
            (0, Some(other)) => format!(" ({other} of buffers)"),
            (_, None) => format!(" ({states})"),
            (_, Some(other)) => format!(" ({states} and {other} of other buffers)"),
        }
    }
}

/// Bytes for a person: `512 B`, `3.5 KiB`, `16.0 MiB`, `2.0 GiB`.
pub(crate) fn human_bytes(bytes: u128) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes == u128::MAX {
        return "more than any machine has".to_string();
    }
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A vector of `len` copies of `value`, or an error if the allocator cannot give the memory.
pub(crate) fn try_filled<T: Clone>(len: usize, value: T) -> Result<Vec<T>, SimError> {
    let mut vector: Vec<T> = Vec::new();
    try_reserve(&mut vector, len)?;
    advise_huge_pages(vector.as_mut_ptr().cast::<u8>(), len.saturating_mul(std::mem::size_of::<T>()));
    vector.resize(len, value);
    Ok(vector)
}

/// Below this many bytes an allocation is left to ordinary pages.
const HUGE_PAGE_MIN_BYTES: usize = 4 << 20;

/// Asks Linux to back a large, not yet touched allocation with transparent huge pages (2 MiB),
/// where the system leaves that to the program (`madvise` mode, a common default). Touching a
/// state vector page by page otherwise costs one fault per 4 KiB: on a virtual machine about a
/// sixth of a 22-qubit forward pass (51 ms of system time for 64 MiB). The advice is only a hint:
/// if the kernel declines, nothing changes but the speed.
#[cfg(target_os = "linux")]
fn advise_huge_pages(start: *mut u8, bytes: usize) {
    if bytes < HUGE_PAGE_MIN_BYTES {
        return;
    }
    // madvise takes a page-aligned start; the allocator's pointer is rounded up to the next page.
    const PAGE: usize = 4096;
    let address = start as usize;
    let aligned = address.next_multiple_of(PAGE);
    let length = (address + bytes).saturating_sub(aligned) / PAGE * PAGE;
    if length == 0 {
        return;
    }
    // SAFETY: the range lies inside one live allocation the caller owns and has not touched yet;
    // MADV_HUGEPAGE changes no contents and no permissions, and a failure is ignored.
    unsafe {
        libc::madvise(aligned as *mut libc::c_void, length, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_start: *mut u8, _bytes: usize) {}

/// Reserves room for exactly `len` elements, or an error naming the bytes that could not be had.
pub(crate) fn try_reserve<T>(vector: &mut Vec<T>, len: usize) -> Result<(), SimError> {
    vector.try_reserve_exact(len).map_err(|_| SimError::AllocationFailed {
        bytes: (len as u128).saturating_mul(std::mem::size_of::<T>() as u128),
    })
}

/// The memory [`crate::sim::execute`] needs for `circuit` with these shots: the state, the
/// copies exact measurements make, and the buffers of sampling.
pub fn bytes_needed(circuit: &Circuit, shots: Option<Shots>) -> u128 {
    execution_need(circuit, shots).bytes()
}

/// [`bytes_needed`] in parts, for messages.
pub fn execution_need(circuit: &Circuit, shots: Option<Shots>) -> MemoryNeed {
    let n_qubits = circuit.n_qubits;
    let state = MemoryNeed { n_qubits, state_vectors: 1, other_bytes: 0 };
    let mut kept = MemoryNeed { n_qubits, ..MemoryNeed::default() };
    let mut transient = MemoryNeed { n_qubits, ..MemoryNeed::default() };
    for measurement in &circuit.measurements {
        match (measurement, shots) {
            // `state` hands back a copy of the amplitudes.
            (Measurement::State, _) => kept.state_vectors += 1,
            // O|ψ> is a second state while the variance is computed.
            (Measurement::Var(_), None) => {
                transient = transient.max(MemoryNeed { n_qubits, state_vectors: 1, other_bytes: 0 })
            }
            // The probabilities (with their partial sums, or the frequencies from the shots), and
            // their copy among the outputs.
            (Measurement::Probs(wires), None) => {
                let bytes = probabilities_bytes(n_qubits, wires.len()).saturating_add(outputs_bytes(wires.len()));
                kept.other_bytes = kept.other_bytes.saturating_add(bytes);
            }
            (Measurement::Probs(wires), Some(_)) => {
                kept.other_bytes = kept.other_bytes.saturating_add(outputs_bytes(wires.len()).saturating_mul(2));
            }
            _ => {}
        }
    }
    if let Some(shots) = shots {
        kept = kept.plus(sampling_need(circuit, shots));
    }
    state.plus(kept).plus(transient)
}

/// The bytes of the 2^k values of a `probs` of `n_wires` wires.
fn outputs_bytes(n_wires: usize) -> u128 {
    if n_wires >= 120 {
        u128::MAX
    } else {
        8u128 << n_wires
    }
}

/// The buffers of one sampled execution: a rotated copy of the state for a group that needs a
/// basis change, every group's counts, each `sample`'s values and one group's shot list.
fn sampling_need(circuit: &Circuit, shots: Shots) -> MemoryNeed {
    let n_qubits = circuit.n_qubits;
    let plan = plan_groups(&circuit.measurements);
    let rotated = u128::from(plan.groups.iter().any(|group| group.needs_rotation()));
    let counts: u128 = plan
        .groups
        .iter()
        .map(|group| probabilities_bytes(n_qubits, group.wires.len()))
        .fold(0u128, u128::saturating_add);
    let n_samples = circuit.measurements.iter().filter(|m| matches!(m, Measurement::Sample(_))).count() as u128;
    let samples = if n_samples == 0 { 0 } else { sample_bytes(shots.count as u128, n_samples) };
    MemoryNeed { n_qubits, state_vectors: rotated, other_bytes: counts.saturating_add(samples) }
}

/// The bytes `sample` measurements take: 8 per shot for each one's values, and 8 per shot for the
/// list of outcomes of the group being expanded.
pub(crate) fn sample_bytes(shot_count: u128, n_samples: u128) -> u128 {
    shot_count.saturating_mul(8).saturating_mul(n_samples.saturating_add(1))
}

/// The bytes of the marginal probabilities of `n_wires` wires of an `n_qubits` register,
/// including the per-chunk partial sums that keep the result independent of the thread count.
pub(crate) fn probabilities_bytes(n_qubits: usize, n_wires: usize) -> u128 {
    if n_wires >= 120 {
        return u128::MAX;
    }
    let dimension = 8u128 << n_wires;
    dimension.saturating_add(crate::sim::measure::partial_sums_bytes(n_qubits, n_wires))
}
