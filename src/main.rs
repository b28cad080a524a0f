//! The `qmlc` binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    // Like other command-line tools, end quietly when a reader such as `head` closes the pipe,
    // instead of reporting a failed write.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    qmlc::cli::main()
}
