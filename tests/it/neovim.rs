//! The editor server in a real editor: Neovim, headless, with its built-in LSP client attached to
//! `qmlc lsp` (the script is `tests/editors/neovim.lua`). Skipped, saying so, where `nvim` is not
//! installed; `.ci/run` installs Debian's `neovim` package when it can.

use crate::temp::TempDir;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Neovim may take in all; the script's own waits are shorter.
const TIMEOUT: Duration = Duration::from_secs(120);

const MODEL: &str = "qubits 2\n\ncircuit {\n    ry(0.5) 0\n    cnto 0, 1\n}\n\nmeasure expval(Z(1))\n";

fn nvim_version() -> Option<String> {
    let output = Command::new("nvim").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output.status.success().then(|| text.lines().next().unwrap_or("nvim").to_string())
}

#[test]
fn neovim_shows_the_servers_diagnostics_and_hover_and_clears_them_after_the_fix() {
    let Some(version) = nvim_version() else {
        eprintln!(
            "skipped: `nvim` is not installed (Debian's `neovim` package provides it); the editor test did not run"
        );
        return;
    };
    let dir = TempDir::new("neovim");
    let model = dir.write("model.qml", MODEL);
    let out = dir.join("seen.json");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/neovim.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("QMLC_BIN", env!("CARGO_BIN_EXE_qmlc"))
        .env("QMLC_MODEL", &model)
        .env("QMLC_OUT", &out)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .current_dir(dir.join(""))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("nvim can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{version} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{version} exited with {status}");
    let seen: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("the script wrote what it saw"))
        .expect("the script wrote JSON");
    assert_eq!(seen["problems"], serde_json::json!([]), "{version}: {seen}");
    // The same diagnostic as `qmlc check`: code, message with its help, 0-based range.
    assert_eq!(
        seen["diagnostics"],
        serde_json::json!([{
            "line": 4, "column": 4, "end_line": 4, "end_column": 8,
            "code": "E0102", "severity": 1, "source": "qmlc",
            "message": "unknown gate `cnto`\nhelp: did you mean `cnot`?",
        }]),
        "{version}"
    );
    let hover = seen["hover"]["value"].as_str().unwrap_or_default();
    assert_eq!(seen["hover"]["kind"], "markdown", "{seen}");
    assert!(hover.starts_with("```text\nry(θ) (gate): rotation about Y: exp(−iθY/2)\n"), "{hover}");
    assert_eq!(seen["fixed"], true, "the diagnostics cleared after the fix was typed: {seen}");
}
