//! Fuzz target: any bytes into the front end, the optimizer and the diagnostic renderers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qmlc_fuzz::checks::frontend(data));
