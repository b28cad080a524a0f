//! The `qmlc` binary: the command line (`cli`) over the library.

mod cli;

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
