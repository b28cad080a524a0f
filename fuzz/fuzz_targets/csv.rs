//! Fuzz target: any bytes as the text of a CSV data file, for training and for prediction.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qmlc_fuzz::checks::csv(data));
