//! Prints what the `engine` target makes of a saved input: the program text and the input and param values.
//!
//! `cargo run --example engine_input -- artifacts/engine/crash-…` shows which program a crash of
//! the engine target was about, generated or not.

use qmlc_fuzz::checks::{engine_parts, value_of_byte};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: engine_input FILE");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(data) => data,
        Err(error) => {
            eprintln!("cannot read `{path}`: {error}");
            std::process::exit(1);
        }
    };
    let (text, value_bytes) = engine_parts(&data);
    println!("{text}");
    let values: Vec<f64> = value_bytes.iter().map(|&byte| value_of_byte(byte)).collect();
    println!("// value bytes {value_bytes:?}: inputs, then params, cycle through {values:?}");
}
