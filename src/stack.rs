//! Running the front end on a thread whose stack is large enough for it.
//!
//! The parser and the checker walk syntax trees recursively, and the lexer's nesting limits are
//! sized for a stack of [`FRONT_END_STACK_BYTES`] rather than the main thread's, so every caller
//! of [`crate::check::compile`] (the command line, an editor server, the tests) runs it through
//! [`with_large_stack`].

/// The stack size the front end's nesting limits are sized for.
pub const FRONT_END_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs `work` on a thread with a stack of [`FRONT_END_STACK_BYTES`] and returns its result; a
/// panic in `work` is resumed on the calling thread.
pub fn with_large_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(FRONT_END_STACK_BYTES)
        .spawn(work)
        .expect("spawning the compiler thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
