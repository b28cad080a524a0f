//! Fuzz target: programs (raw text, or generated when the first byte is 0) into the simulator and the gradients.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qmlc_fuzz::checks::engine(data));
