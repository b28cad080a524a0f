//! A temporary directory for tests that write files: one per test, removed when dropped.

use std::path::PathBuf;

/// A directory of its own under the system's temp directory, removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    /// A fresh directory named after the test (and the process, so parallel runs do not meet).
    pub fn new(test_name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("qmlc-it-{}-{test_name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the temp directory is writable");
        TempDir { path }
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, contents).expect("the temp directory is writable");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
