//! Fuzz target: any bytes as a params file, an inputs file and `--input` assignments for small fixed models.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qmlc_fuzz::checks::{params, params_models, ParamsModel};
use std::sync::OnceLock;

/// The models are compiled once, not once per input.
static MODELS: OnceLock<Vec<ParamsModel>> = OnceLock::new();

fuzz_target!(|data: &[u8]| params(data, MODELS.get_or_init(params_models)));
