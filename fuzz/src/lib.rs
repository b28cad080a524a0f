//! Shared code of the fuzz targets: the invariants each target checks and a generator of valid programs.
//!
//! `tests/it/fuzz.rs` includes these two files as modules too, so the bounded fuzz that CI runs
//! and the open-ended fuzzing of this package check the same things.

pub mod checks;
pub mod generate;
