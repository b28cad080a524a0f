//! `qmlc repl`: the binary on piped stdin, the README's transcript, and a real terminal (tmux).

use crate::temp::TempDir;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `qmlc repl [ARGS]` in `folder` with `script` on stdin.
fn repl(folder: &Path, args: &[&str], script: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .arg("repl")
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qmlc runs");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    stdin.write_all(script.as_bytes()).expect("the script is written");
    drop(stdin);
    child.wait_with_output().expect("qmlc finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_piped_script_prints_results_only() {
    let folder = TempDir::new("repl-piped");
    let script = "qubits 2\nh 0\ncnot 0, 1\n:probs\nmeasure expval(Z(0) @ Z(1)), probs(1)\n";
    let output = repl(&folder.path, &[], script);
    assert_eq!(
        text(&output.stdout),
        "  |00⟩  0.5000000000\n  |01⟩  0.0000000000\n  |10⟩  0.0000000000\n  |11⟩  0.5000000000\n\
         expval(Z(0) @ Z(1)) = 1.0000000000\nprobs(1):\n  |0⟩  0.5000000000\n  |1⟩  0.5000000000\n"
    );
    assert_eq!(text(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_error_in_a_piped_script_exits_1_after_the_later_lines_ran() {
    let folder = TempDir::new("repl-error");
    let script = "qubits 1\nry(0.5 0\ndef f(a) {\n    rx(a) 0\n}\nf(pi) 0\n:probs\n";
    let output = repl(&folder.path, &[], script);
    assert_eq!(text(&output.stdout), "  |0⟩  0.0000000000\n  |1⟩  1.0000000000\n");
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error[E0"), "{stderr}");
    assert!(stderr.contains("ry(0.5 0"), "the diagnostic shows the input: {stderr}");
    assert!(stderr.contains("[ <stdin line 2>:1:"), "the diagnostic names the script's line: {stderr}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_file_loads_and_the_session_saves_a_file_that_checks_and_grad_agrees_with_qmlc_grad() {
    let folder = TempDir::new("repl-save");
    let model = "qubits 2\nparam w[2] = [0.1, 0.2]\ncircuit {\n    ry(w[0]) 0\n    rx(w[1]) 1\n    cnot 0, 1\n}\n\
                 measure expval(Z(0) @ Z(1))\n";
    folder.write("model.qml", model);
    let output = repl(&folder.path, &["model.qml"], "h 1\n:grad expval(Z(0) @ Z(1))\n:save saved.qml\n");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let session_output = text(&output.stdout);

    let saved = std::fs::read_to_string(folder.join("saved.qml")).expect(":save wrote the file");
    assert!(saved.contains("h 1"), "{saved}");
    let check = Command::new(env!("CARGO_BIN_EXE_qmlc")).arg("check").arg(folder.join("saved.qml")).output();
    let check = check.expect("qmlc runs");
    assert_eq!(check.status.code(), Some(0), "{}{}", text(&check.stdout), text(&check.stderr));

    let grad = Command::new(env!("CARGO_BIN_EXE_qmlc")).arg("grad").arg(folder.join("saved.qml")).output();
    let grad = grad.expect("qmlc runs");
    assert_eq!(grad.status.code(), Some(0), "{}", text(&grad.stderr));
    // `qmlc grad` prints `auto: adjoint, since execution is exact`; the numbers are the same lines.
    let numbers = |output: &str| -> Vec<String> {
        output.lines().filter(|line| line.contains(" = ") || line.contains("output ")).map(str::to_string).collect()
    };
    assert_eq!(numbers(&session_output), numbers(&text(&grad.stdout)), "{session_output}");
}

/// The README's transcript: `qml> ` lines are typed, the others are what the binary prints.
#[test]
fn the_readme_transcript_is_what_the_binary_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("the README is readable");
    let section = readme.split("## The REPL").nth(1).expect("the README has a section \"The REPL\"");
    let block = section.split("```text\n").nth(1).and_then(|rest| rest.split("```").next());
    let block = block.expect("the section has a ```text transcript");
    let mut script = String::new();
    let mut expected = String::new();
    for line in block.lines() {
        match line.strip_prefix("qml> ") {
            Some(input) => {
                script.push_str(input);
                script.push('\n');
            }
            None => {
                expected.push_str(line);
                expected.push('\n');
            }
        }
    }
    let folder = TempDir::new("repl-readme");
    let output = repl(&folder.path, &[], &script);
    assert_eq!(text(&output.stdout), expected);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

/// A tmux server of its own (a unique socket), killed when dropped, even after a failure.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn command(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        text(&self.command(&["capture-pane", "-p", "-t", "repl"]).stdout)
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "repl"];
        args.extend_from_slice(keys);
        self.command(&args);
    }

    /// Polls the screen until `ready` holds, or fails with the screen after ten seconds.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for {what}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alive(&self) -> bool {
        self.command(&["has-session", "-t", "repl"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
    }
}

#[test]
fn a_real_terminal_completes_continues_blocks_clears_on_ctrl_c_and_leaves_on_ctrl_d() {
    if Command::new("tmux").arg("-V").output().map_or(true, |output| !output.status.success()) {
        eprintln!("skipped: tmux is not installed, so the REPL is not tried in a real terminal");
        return;
    }
    let folder = TempDir::new("repl-tmux");
    let home = folder.join("home");
    let data = folder.join("data");
    std::fs::create_dir_all(&home).expect("the temp directory is writable");
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmux = Tmux { socket: format!("qmlc-it-{}-{nanos}", std::process::id()) };
    let program = format!(
        "env HOME={} XDG_DATA_HOME={} TERM=xterm-256color {} repl",
        home.display(),
        data.display(),
        env!("CARGO_BIN_EXE_qmlc")
    );
    let started = tmux.command(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "120",
        "-y",
        "40",
        "-c",
        &folder.path.display().to_string(),
        &program,
    ]);
    assert!(started.status.success(), "tmux starts: {}", text(&started.stderr));
    let count = |screen: &str, needle: &str| screen.matches(needle).count();

    tmux.wait_for("the prompt", |screen| screen.contains("qml>"));
    // The line editor may drop keys typed ahead while it runs an input, as a terminal's line
    // discipline may when its mode changes, so each line waits for the prompt after it.
    let line = |input: &str, prompts: usize| {
        tmux.keys(&[input]);
        tmux.wait_for(input, |screen| screen.contains(input));
        tmux.keys(&["Enter"]);
        tmux.wait_for("the next prompt", |screen| count(screen, "qml>") == prompts)
    };
    line("qubits 2", 2);
    line("x 0", 3);

    // Tab completes a gate's name.
    tmux.keys(&["cn"]);
    tmux.wait_for("`cn` typed", |screen| screen.contains("qml> cn"));
    tmux.keys(&["Tab"]);
    // The hint after the name is the gate's signature.
    tmux.wait_for("`cn` completed to `cnot`, with its signature", |screen| screen.contains("qml> cnot — 2 wires: "));
    line(" 0, 1", 4);

    // A block over three lines: no prompt until the brace closes.
    line("def f(a) {", 4);
    let screen = line("ry(a) 0", 4);
    assert!(screen.contains("def f(a) {\nry(a) 0"), "the block goes on without a prompt:\n{screen}");
    line("}", 5);
    line("f(pi) 1", 6);
    line(":probs", 7);
    tmux.wait_for("the probabilities", |screen| screen.contains("|10⟩  1.0000000000"));

    // Ctrl-C clears the line: the `h 1` typed is never run.
    tmux.keys(&["h 1"]);
    tmux.wait_for("the typed line", |screen| screen.contains("qml> h 1"));
    tmux.keys(&["C-c"]);
    tmux.wait_for("a fresh prompt", |screen| count(screen, "qml>") == 8);
    line(":probs", 9);
    tmux.wait_for("the second probabilities", |screen| count(screen, "|10⟩  1.0000000000") == 2);

    // Ctrl-D leaves: the pane's process exits, which ends the tmux session.
    tmux.keys(&["C-d"]);
    let start = Instant::now();
    while tmux.alive() {
        assert!(start.elapsed() < Duration::from_secs(10), "qmlc repl did not exit on Ctrl-D:\n{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    let history = std::fs::read_to_string(data.join("qmlc/history")).expect("the history was written");
    assert!(history.contains("qubits 2"), "{history}");
    assert!(!history.contains("h 1"), "a line cleared with Ctrl-C is not history: {history}");
}

#[test]
fn a_real_terminal_labels_an_objective_blocks_progress_objective() {
    if Command::new("tmux").arg("-V").output().map_or(true, |output| !output.status.success()) {
        eprintln!("skipped: tmux is not installed, so the REPL is not tried in a real terminal");
        return;
    }
    let folder = TempDir::new("repl-tmux-objective");
    let home = folder.join("home");
    std::fs::create_dir_all(&home).expect("the temp directory is writable");
    // Epochs enough to outlast the test: Ctrl-C stops the run once its bar has been seen.
    folder.write(
        "energy.qml",
        "qubits 1\nparam t = constant(0.5)\ncircuit { ry(t) 0 }\nmeasure expval(Z(0))\n\
         train {\n    minimize\n    optimizer sgd(lr = 0.2)\n    epochs 100000000\n}\n",
    );
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmux = Tmux { socket: format!("qmlc-it-objective-{}-{nanos}", std::process::id()) };
    let program = format!(
        "env HOME={} XDG_DATA_HOME={} TERM=xterm-256color {} repl energy.qml",
        home.display(),
        home.display(),
        env!("CARGO_BIN_EXE_qmlc")
    );
    let folder_text = folder.path.display().to_string();
    let started = tmux.command(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "120",
        "-y",
        "20",
        "-c",
        &folder_text,
        &program,
    ]);
    assert!(started.status.success(), "tmux starts: {}", text(&started.stderr));
    tmux.wait_for("the prompt", |screen| screen.contains("qml>"));
    tmux.keys(&[":train"]);
    tmux.wait_for("`:train` typed", |screen| screen.contains("qml> :train"));
    tmux.keys(&["Enter"]);
    // The bar names the value it shows: the objective, not a loss.
    let screen = tmux.wait_for("the progress bar", |screen| screen.contains("objective "));
    let bar = screen.lines().find(|line| line.contains(" epoch ")).unwrap_or_default();
    assert!(bar.contains("/100000000 objective "), "the bar: {bar}\n{screen}");
    assert!(!bar.contains("loss"), "the bar: {bar}");
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("the run to stop", |screen| screen.contains("block 1: stopped after"));
    assert!(screen.contains("the params are updated"), "{screen}");
}
