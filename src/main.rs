//! The `qmlc` binary: the command line (`cli`) over the library.

mod cli;
mod lsp;
mod repl;

fn main() -> std::process::ExitCode {
    // Like other command-line tools, end quietly when a reader such as `head` closes the pipe,
    // instead of reporting a failed write.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::main()
}

#[cfg(test)]
mod tests {
    /// The dependencies only the command line uses: optional, and enabled by the `cli` feature.
    const CLI_DEPENDENCIES: [&str; 8] =
        ["clap", "indicatif", "ctrlc", "sha2", "lsp-server", "lsp-types", "plotters", "rustyline"];

    /// The lines of one `[section]` of the manifest.
    fn manifest_section(section: &str) -> Vec<&'static str> {
        let manifest = include_str!("../Cargo.toml");
        let header = format!("[{section}]");
        manifest
            .lines()
            .skip_while(|line| line.trim() != header)
            .skip(1)
            .take_while(|line| !line.trim_start().starts_with('['))
            .collect()
    }

    #[test]
    fn the_command_lines_dependencies_are_optional_and_enabled_by_the_cli_feature() {
        let dependencies = manifest_section("dependencies");
        let features = manifest_section("features");
        let cli_feature = features.iter().find(|line| line.starts_with("cli =")).expect("a `cli` feature");
        assert!(features.iter().any(|line| line.replace(' ', "") == "default=[\"cli\"]"), "{features:?}");
        for name in CLI_DEPENDENCIES {
            let line = dependencies
                .iter()
                .find(|line| line.starts_with(&format!("{name} =")))
                .unwrap_or_else(|| panic!("`{name}` is a dependency"));
            assert!(line.contains("optional = true"), "`{name}` is optional: {line}");
            assert!(cli_feature.contains(&format!("\"dep:{name}\"")), "the `cli` feature enables `{name}`");
        }
    }

    /// The library's public modules: what the binary, the tests, the fuzz targets and an editor
    /// or REPL reach. The rest of the library is private to it, so adding a module here is a
    /// choice to widen the public API.
    const PUBLIC_MODULES: [&str; 22] = [
        "analysis",
        "ast",
        "builtins",
        "check",
        "codes",
        "diagnostic",
        "draw",
        "fmt",
        "grad",
        "ir",
        "lexer",
        "opt",
        "params",
        "parser",
        "qasm",
        "render",
        "session",
        "sim",
        "source",
        "specs",
        "stack",
        "train",
    ];

    #[test]
    fn the_library_declares_exactly_the_expected_public_modules() {
        let code = include_str!("lib.rs").lines().filter(|line| !line.trim_start().starts_with("//"));
        let mut declared = Vec::new();
        for line in code {
            if let Some(name) = line.strip_prefix("pub mod ") {
                declared.push(name.trim_end_matches(';'));
            } else {
                // A module is either public and listed, or private; a `pub(crate) mod` or a
                // `pub use` would change the API without a `pub mod` line to list.
                assert!(!line.contains("pub"), "src/lib.rs: `{line}`");
            }
        }
        assert_eq!(declared, PUBLIC_MODULES, "src/lib.rs's `pub mod` lines, in order");
    }

    /// The library builds without the `cli` feature, so none of its files may name these crates.
    #[test]
    fn the_library_does_not_use_the_command_lines_dependencies() {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut pending = vec![source.clone()];
        while let Some(directory) = pending.pop() {
            for entry in std::fs::read_dir(&directory).expect("src is readable") {
                let path = entry.expect("src is readable").path();
                if path == source.join("cli")
                    || path == source.join("lsp")
                    || path == source.join("repl")
                    || path == source.join("main.rs")
                {
                    continue;
                }
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "rs") {
                    let text = std::fs::read_to_string(&path).expect("the library's files are readable");
                    for name in CLI_DEPENDENCIES {
                        let crate_name = name.replace('-', "_");
                        assert!(!text.contains(&format!("{crate_name}::")), "{} uses `{name}`", path.display());
                    }
                }
            }
        }
    }
}
