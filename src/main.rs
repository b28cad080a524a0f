//! The `qmlc` binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    qmlc::cli::main()
}
