//! The CLI's files against the faults of real file systems, through the binary: devices, FIFOs,
//! symbolic links and directories as outputs and inputs, repeated keys, a full disk, a kill -9
//! in the middle of training, and rows of data read alike by `predict` and `run --data`.
//!
//! Device nodes and mounts are made inside the test's own temp directory (this needs root); when
//! the system refuses, the test prints a `skipped:` line and returns.

use crate::temp::TempDir;
use serde_json::Value;
use std::ffi::CString;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A tmpfs mounted on a directory inside a test's temp directory, unmounted when dropped (also
/// when the test fails).
struct Mount {
    path: PathBuf,
}

impl Mount {
    /// Mounts a tmpfs of `size` (such as `64k`), or says why it cannot.
    fn tmpfs(path: &Path, size: &str) -> Result<Mount, String> {
        std::fs::create_dir_all(path).map_err(|e| e.to_string())?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", text(path)])
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if output.status.success() {
            Ok(Mount { path: path.to_path_buf() })
        } else {
            Err(format!("mount failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let name = CString::new(self.path.as_os_str().as_bytes()).expect("no NUL in temp paths");
        // SAFETY: `name` is a NUL-terminated path that lives across the call.
        unsafe {
            libc::umount2(name.as_ptr(), libc::MNT_DETACH);
        }
    }
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).expect("no NUL in temp paths")
}

/// Makes a character device node with the numbers of /dev/null (1, 3) or /dev/zero (1, 5) at
/// `path`, or says why it cannot.
fn make_char_device(path: &Path, minor: u32) -> Result<(), String> {
    let name = c_path(path);
    // SAFETY: `name` is a NUL-terminated path that lives across the call.
    let status = unsafe { libc::mknod(name.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, minor)) };
    if status == 0 {
        Ok(())
    } else {
        Err(format!("mknod {}: {}", path.display(), std::io::Error::last_os_error()))
    }
}

fn make_fifo(path: &Path) {
    let name = c_path(path);
    // SAFETY: `name` is a NUL-terminated path that lives across the call.
    let status = unsafe { libc::mkfifo(name.as_ptr(), 0o666) };
    assert_eq!(status, 0, "mkfifo {}: {}", path.display(), std::io::Error::last_os_error());
}

fn qmlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).env("NO_COLOR", "1").output().expect("qmlc runs")
}

/// Runs qmlc, killing it if it has not ended after a minute: a read that blocks on a FIFO must
/// fail the test rather than hang the suite. (The limit is a safety net, not a measurement.)
fn qmlc_or_kill(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qmlc runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("waits").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("qmlc {args:?} did not end: it blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names in a directory, sorted.
fn entries(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("readable")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A one-input regression model training on `csv_name` for `epochs` epochs; the CSV is written
/// beside it unless `write_csv` is false (the test puts something else there).
fn tiny_model(dir: &TempDir, csv_name: &str, epochs: usize, write_csv: bool) -> PathBuf {
    if write_csv {
        dir.write(csv_name, "x,y\n0.1,0.5\n0.7,-0.5\n");
    }
    dir.write(
        "tiny.qml",
        format!(
            "qubits 1\ninput x\nparam w\ncircuit {{\n    ry(x) 0\n    ry(w) 0\n}}\nmeasure expval(Z(0))\n\
             train {{\n    data csv(\"{csv_name}\", label = \"y\")\n    epochs {epochs}\n}}\n"
        ),
    )
}

/// The params JSON a run wrote: an object with the param `w` and `meta`.
fn assert_params(contents: &str) {
    let json: Value = serde_json::from_str(contents).expect("the params are JSON");
    assert!(json["w"].is_number(), "{contents}");
    assert!(json["meta"]["epochs_run"].is_number(), "{contents}");
}

#[test]
fn out_to_a_character_device_writes_through_it_and_leaves_it_a_device() {
    let dir = TempDir::new("out-device");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    let device = dir.join("null");
    if let Err(why) = make_char_device(&device, 3) {
        println!("skipped: cannot make a device node ({why})");
        return;
    }
    let history = dir.join("history-null");
    make_char_device(&history, 3).expect("a second device node");
    let output = qmlc(&["train", text(&model), "--out", text(&device), "--history", text(&history)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).ends_with(&format!("wrote {}\n", device.display())));
    for node in [&device, &history] {
        let metadata = std::fs::symlink_metadata(node).expect("still there");
        assert!(metadata.file_type().is_char_device(), "{} is still a character device", node.display());
    }
    assert_eq!(entries(&dir.path), ["history-null", "null", "tiny.csv", "tiny.qml"], "no temporary file is left");
    // One device may take both outputs.
    let output = qmlc(&["train", text(&model), "--out", text(&device), "--history", text(&device)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&device).expect("there").file_type().is_char_device());
}

#[test]
fn a_device_that_refuses_the_write_fails_the_run_and_stays_a_device() {
    let dir = TempDir::new("out-full-device");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    let full = dir.join("full");
    // The numbers of /dev/full: every write fails with "no space left".
    if let Err(why) = make_char_device(&full, 7) {
        println!("skipped: cannot make a device node ({why})");
        return;
    }
    let output = qmlc(&["train", text(&model), "--out", text(&full)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("error: cannot write --out `{}`: No space left on device (os error 28)\n", full.display())
    );
    assert!(std::fs::symlink_metadata(&full).expect("there").file_type().is_char_device());
    assert_eq!(entries(&dir.path), ["full", "tiny.csv", "tiny.qml"]);
}

#[test]
fn out_to_a_fifo_sends_the_params_to_its_reader() {
    let dir = TempDir::new("out-fifo");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    let fifo = dir.join("params.fifo");
    make_fifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut contents = String::new();
            std::fs::File::open(&fifo).expect("opens").read_to_string(&mut contents).expect("reads");
            contents
        })
    };
    let output = qmlc_or_kill(&["train", text(&model), "--out", text(&fifo)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_params(&reader.join().expect("the reader ends"));
    assert!(std::fs::symlink_metadata(&fifo).expect("there").file_type().is_fifo(), "still a FIFO");
    assert_eq!(entries(&dir.path), ["params.fifo", "tiny.csv", "tiny.qml"]);
}

#[test]
fn out_through_a_symbolic_link_replaces_its_target_and_keeps_the_link() {
    let dir = TempDir::new("out-symlink");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    std::fs::create_dir(dir.join("real")).expect("mkdir");
    let target = dir.join("real").join("params.json");
    std::fs::write(&target, "{\"old\": true}\n").expect("write");
    let link = dir.join("params.json");
    std::os::unix::fs::symlink("real/params.json", &link).expect("symlink");
    let history_target = dir.join("real").join("history.csv");
    std::fs::write(&history_target, "old\n").expect("write");
    let history_link = dir.join("history.csv");
    std::os::unix::fs::symlink(&history_target, &history_link).expect("symlink");

    let output = qmlc(&["train", text(&model), "--out", text(&link), "--history", text(&history_link)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for link in [&link, &history_link] {
        assert!(std::fs::symlink_metadata(link).expect("there").file_type().is_symlink(), "{link:?} is a link");
    }
    assert_eq!(std::fs::read_link(&link).expect("link"), Path::new("real/params.json"));
    assert_params(&std::fs::read_to_string(&target).expect("target"));
    let history = std::fs::read_to_string(&history_target).expect("history");
    assert!(history.starts_with("block,epoch,train_loss,"), "{history}");
    assert_eq!(history.lines().count(), 3, "a header and two epochs: {history}");
    assert_eq!(entries(&dir.join("real")), ["history.csv", "params.json"], "no temporary file is left");
}

#[test]
fn a_directory_as_out_or_history_is_refused_before_training() {
    let dir = TempDir::new("out-directory");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    let subdirectory = dir.join("sub");
    std::fs::create_dir(&subdirectory).expect("mkdir");
    // A directory is a mistake of the command line: usage status 2, as CLI.md has it.
    let output = qmlc(&["train", text(&model), "--out", text(&dir.join("p.json")), "--history", text(&subdirectory)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: --history `{}` is a directory; give the path of a file, such as `{}`\n",
            subdirectory.display(),
            subdirectory.join("history.csv").display()
        )
    );
    assert!(output.stdout.is_empty(), "nothing trained");
    let output = qmlc(&["train", text(&model), "--out", text(&subdirectory)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: --out `{}` is a directory; give the path of a file, such as `{}`\n",
            subdirectory.display(),
            subdirectory.join("tiny.trained.json").display()
        )
    );
    assert!(output.stdout.is_empty(), "nothing trained");
    // A path ending with `/` names a directory even where none exists yet.
    let missing = format!("{}/", dir.join("missing").display());
    let output = qmlc(&["train", text(&model), "--out", &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: --out `{missing}` ends with `/`, so it names a directory; give the path of a file, such as \
             `{missing}tiny.trained.json`\n"
        )
    );
    assert!(output.stdout.is_empty(), "nothing trained");
    assert_eq!(entries(&dir.path), ["sub", "tiny.csv", "tiny.qml"]);
    assert_eq!(entries(&subdirectory), Vec::<String>::new());
}

#[test]
fn a_fifo_a_device_or_a_directory_as_data_is_refused_without_reading_it() {
    let dir = TempDir::new("data-not-regular");
    let fifo = dir.join("fifo.csv");
    make_fifo(&fifo);
    std::fs::create_dir(dir.join("folder.csv")).expect("mkdir");
    let mut cases = vec![("fifo.csv", "a FIFO (named pipe)"), ("folder.csv", "a directory")];
    match make_char_device(&dir.join("zero.csv"), 5) {
        Ok(()) => cases.push(("zero.csv", "a character device")),
        Err(why) => println!("skipped the device case: cannot make a device node ({why})"),
    }
    for (name, kind) in cases {
        let model = tiny_model(&dir, name, 2, false);
        let out = dir.join("out.json");
        let output = qmlc_or_kill(&["train", text(&model), "--out", text(&out)]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error[E0907]: cannot read the data file `{}`: it is {kind}, not a regular file\n",
                dir.join(name).display()
            )
        );
        assert!(!out.exists(), "{name}: nothing is written");

        // check reads only the header of a block's data file, and refuses the same files.
        let output = qmlc_or_kill(&["check", text(&model)]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&output.stdout));
        let shown = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(shown.contains(&format!("it is {kind}, not a regular file")), "{name}: {shown}");
        assert!(shown.contains("error[E0907]"), "{name}: {shown}");

        // A model that is not a regular file is refused by every command that reads one.
        for command in ["check", "run", "train"] {
            let output = qmlc_or_kill(&[command, text(&dir.join(name))]);
            assert_eq!(output.status.code(), Some(1), "{command} {name}");
            assert_eq!(
                stderr(&output),
                format!(
                    "error: cannot read the model `{}`: it is {kind}, not a regular file\n",
                    dir.join(name).display()
                ),
                "{command} {name}"
            );
        }

        // predict refuses the same file given as --data.
        dir.write("tiny.csv", "x,y\n0.1,0.5\n0.7,-0.5\n");
        let trained = tiny_model(&dir, "tiny.csv", 1, false);
        let params = dir.join("params.json");
        let output = qmlc(&["train", text(&trained), "--out", text(&params)]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let output =
            qmlc_or_kill(&["predict", text(&trained), "--params", text(&params), "--data", text(&dir.join(name))]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error[E0907]: cannot read the data file `{}`: it is {kind}, not a regular file\n",
                dir.join(name).display()
            )
        );
        let output = qmlc_or_kill(&["run", text(&trained), "--params", text(&params), "--data", text(&dir.join(name))]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert!(stderr(&output).contains(&format!("it is {kind}, not a regular file")), "{}", stderr(&output));
        std::fs::remove_file(&params).expect("remove");
    }
    assert!(std::fs::symlink_metadata(&fifo).expect("there").file_type().is_fifo(), "the FIFO is left as it was");
}

#[test]
fn a_params_file_with_a_repeated_key_is_refused_naming_the_key_and_line() {
    let dir = TempDir::new("repeated-key");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let repeated = dir.write("init.json", "{\n  \"w\": 0.1,\n  \"w\": 0.2\n}\n");
    let out = dir.join("out.json");
    let output = qmlc(&["train", text(&model), "--init", text(&repeated), "--out", text(&out)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: {}, line 3, column 5: key `w` appears more than once; give each key once\n",
            repeated.display()
        )
    );
    assert!(!out.exists());
    let output = qmlc(&["predict", text(&model), "--params", text(&repeated), "--data", text(&dir.join("tiny.csv"))]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error[E0908]: "), "{}", stderr(&output));
    assert!(stderr(&output).contains("key `w` appears more than once"), "{}", stderr(&output));
    // run prints the same message with the same code.
    let output = qmlc(&["run", text(&model), "--params", text(&repeated), "--input", "x=0.5"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error[E0908]: "), "{}", stderr(&output));
    assert!(stderr(&output).contains("line 3, column 5: key `w` appears more than once"), "{}", stderr(&output));

    // An inputs file is read the same way.
    let inputs = dir.write("inputs.json", "{\"x\": 0.1, \"x\": 0.2}");
    let output =
        qmlc(&["run", text(&model), "--params", text(&dir.write("ok.json", "{\"w\": 0.1}")), "--input", text(&inputs)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: {}, line 1, column 14: key `x` appears more than once; give each key once\n",
            inputs.display()
        )
    );

    // A number too large for a float is named by its key rather than read as infinity.
    let huge = dir.write("huge.json", "{\"w\": 1e999}");
    let output = qmlc(&["train", text(&model), "--init", text(&huge), "--out", text(&out)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: {}, line 1, column 11: key `w`: the number is too large for a 64-bit float, so it is not a finite number\n",
            huge.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&repeated).expect("read"), "{\n  \"w\": 0.1,\n  \"w\": 0.2\n}\n");
    assert!(!out.exists());
}

#[test]
fn a_params_or_data_file_past_its_limit_is_refused_naming_the_limit() {
    let dir = TempDir::new("too-large");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    // Sparse files: their size is past the limit, though they take no room on disk.
    let params = dir.join("huge.json");
    std::fs::File::create(&params).expect("create").set_len((64 << 20) + 1).expect("set_len");
    let output = qmlc(&["predict", text(&model), "--params", text(&params), "--data", text(&dir.join("tiny.csv"))]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: cannot read the params file `{}`: it is larger than 64 MiB, the most the params file may hold\n",
            params.display()
        )
    );
    let data = dir.join("huge.csv");
    std::fs::File::create(&data).expect("create").set_len((1 << 30) + 1).expect("set_len");
    let model = tiny_model(&dir, "huge.csv", 1, false);
    let output = qmlc(&["train", text(&model), "--out", text(&dir.join("out.json"))]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0907]: cannot read the data file `{}`: it is larger than 1 GiB, the most the data file may hold\n",
            data.display()
        )
    );
}

#[test]
fn a_full_disk_leaves_the_old_params_and_no_temporary_file() {
    let dir = TempDir::new("disk-full");
    let model = tiny_model(&dir, "tiny.csv", 2, true);
    let mount = match Mount::tmpfs(&dir.join("small"), "64k") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped: cannot mount a small tmpfs ({why})");
            return;
        }
    };
    let out = mount.path.join("params.json");
    let old = "{\"w\": 0.25}\n";
    std::fs::write(&out, old).expect("the old params fit");
    // Fill the file system to the last byte.
    let mut filler = std::fs::File::create(mount.path.join("filler")).expect("create");
    let block = vec![0u8; 4096];
    while std::io::Write::write(&mut filler, &block).map(|written| written > 0).unwrap_or(false) {}
    while std::io::Write::write(&mut filler, &block[..1]).map(|written| written > 0).unwrap_or(false) {}
    drop(filler);

    let output = qmlc(&["train", text(&model), "--out", text(&out)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "error: cannot write --out `{}`: No space left on device (os error 28); `{}` is as it was\n",
            out.display(),
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&out).expect("old params"), old, "the old params are untouched");
    assert_eq!(entries(&mount.path), ["filler", "params.json"], "no temporary file is left");
    drop(mount);
}

#[test]
fn kill_9_during_training_leaves_the_old_params_whole_and_no_temporary_file() {
    let dir = TempDir::new("kill");
    let model = tiny_model(&dir, "tiny.csv", 1_000_000, true);
    let out = dir.join("params.json");
    let old = "{\"w\": 0.25}\n";
    std::fs::write(&out, old).expect("write");
    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["train", text(&model), "--out", text(&out), "--format", "json"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    for epoch in 1..=3 {
        let line = lines.next().expect("an epoch line").expect("readable");
        assert!(line.contains(&format!("\"epoch\":{epoch},")), "{line}");
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("ends");
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGKILL));
    // The params are written once, at the end; a killed run has written nothing, so the old
    // file is whole and parses, and nothing temporary is left beside it.
    assert_eq!(std::fs::read_to_string(&out).expect("old params"), old);
    let json: Value = serde_json::from_str(old).expect("JSON");
    assert_eq!(json["w"], 0.25);
    assert_eq!(entries(&dir.path), ["params.json", "tiny.csv", "tiny.qml"]);

    // Killed with no params file yet, a run leaves none.
    std::fs::remove_file(&out).expect("remove");
    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
        .args(["train", text(&model), "--out", text(&out), "--format", "json"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let first = lines.next().expect("an epoch line").expect("readable");
    assert!(first.contains("\"epoch\":1,"), "{first}");
    child.kill().expect("SIGKILL");
    child.wait().expect("ends");
    assert_eq!(entries(&dir.path), ["tiny.csv", "tiny.qml"]);

    // A run killed in the middle of its write leaves a temporary file under its process id; the
    // next run's write removes it once that process is gone.
    let stale = dir.join(".params.json.2147483646.tmp");
    std::fs::write(&stale, "{\"w\": 0.").expect("write");
    let output = qmlc(&["train", text(&model), "--out", text(&out), "--epochs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_params(&std::fs::read_to_string(&out).expect("params"));
    assert_eq!(entries(&dir.path), ["params.json", "tiny.csv", "tiny.qml"]);
}

#[test]
fn train_refuses_to_write_over_a_blocks_data_file() {
    let dir = TempDir::new("out-data");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let data = dir.join("tiny.csv");
    let contents = std::fs::read_to_string(&data).expect("read");
    std::os::unix::fs::symlink("tiny.csv", dir.join("link.csv")).expect("symlink");
    std::fs::hard_link(&data, dir.join("hard.csv")).expect("hard link");
    for name in ["tiny.csv", "link.csv", "hard.csv"] {
        let path = dir.join(name);
        let output = qmlc(&["train", text(&model), "--out", text(&path)]);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error: --out `{}` is the data file `{}` a train block reads; write the params elsewhere, such as `{}`\n",
                path.display(),
                data.display(),
                dir.join("tiny.trained.json").display()
            )
        );
        let output = qmlc(&["train", text(&model), "--out", text(&dir.join("p.json")), "--history", text(&path)]);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error: --history `{}` is the data file `{}` a train block reads; write the history elsewhere, such as \
                 `history.csv`\n",
                path.display(),
                data.display()
            )
        );
        assert!(output.stdout.is_empty(), "nothing trained");
    }
    assert_eq!(std::fs::read_to_string(&data).expect("read"), contents, "the data is as it was");
    assert_eq!(entries(&dir.path), ["hard.csv", "link.csv", "tiny.csv", "tiny.qml"]);
}

#[test]
fn a_header_less_first_row_that_is_not_finite_is_refused_not_dropped() {
    let dir = TempDir::new("not-finite-first-row");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let params = dir.join("params.json");
    let output = qmlc(&["train", text(&model), "--out", text(&params)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let cases = [
        ("inf.csv", "inf,3.5\n0.5,1\n", 1, "inf"),
        ("nan.csv", "NaN\n0.5\n", 1, "NaN"),
        ("huge.csv", "1e400\n", 1, "1e400"),
        ("single.csv", "nan\n", 1, "nan"),
    ];
    for (name, contents, column, shown) in cases {
        let data = dir.write(name, contents);
        for command in ["predict", "run"] {
            let output = qmlc(&[command, text(&model), "--params", text(&params), "--data", text(&data)]);
            assert_eq!(output.status.code(), Some(1), "{command} {name}: {}", stderr(&output));
            assert_eq!(
                stderr(&output),
                format!(
                    "error[E0907]: {}, line 1, column {column} (`column {column}`): `{shown}` is not a finite number\n",
                    data.display()
                ),
                "{command} {name}"
            );
        }
    }
}

#[test]
fn out_with_a_file_name_of_255_bytes_is_written_and_stale_temporaries_are_removed() {
    let dir = TempDir::new("long-name");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    // ASCII, and two-byte characters whose cut must fall between characters.
    let names = ["b".repeat(250) + ".json", "b".to_string() + &"é".repeat(125) + ".jso"];
    for name in names {
        assert_eq!(name.len(), 255);
        // A temporary file of a process that is gone, named as a run names it: the dot, the
        // file name cut to 236 bytes (235 if byte 236 falls inside a character), the process id.
        let mut cut = 236;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let stale = format!(".{}.2147483646.tmp", &name[..cut]);
        dir.write(&stale, "{\"w\": 0.");
        let out = dir.join(&name);
        let output = qmlc(&["train", text(&model), "--out", text(&out)]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_params(&std::fs::read_to_string(&out).expect("params"));
        let mut expected = vec![name.clone(), "tiny.csv".to_string(), "tiny.qml".to_string()];
        expected.sort();
        assert_eq!(entries(&dir.path), expected, "the stale temporary file is removed, and no new one is left");
        std::fs::remove_file(&out).expect("remove");
    }
}

/// How long the CLI waits for a FIFO's reader (`FIFO_READER_WAIT` in the binary's `files`
/// module, which the binary does not export).
const FIFO_READER_WAIT_SECONDS: u64 = 10;

#[test]
fn out_to_a_fifo_nobody_reads_fails_after_waiting_for_a_reader() {
    // This test takes FIFO_READER_WAIT (10 s): the write waits that long for a reader.
    let dir = TempDir::new("out-fifo-no-reader");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let fifo = dir.join("params.fifo");
    make_fifo(&fifo);
    let output = qmlc_or_kill(&["train", text(&model), "--out", text(&fifo)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "error: cannot write --out `{}`: it is a FIFO and no program has opened it for reading within {} s\n",
            fifo.display(),
            FIFO_READER_WAIT_SECONDS
        )
    );
    assert!(std::fs::symlink_metadata(&fifo).expect("there").file_type().is_fifo(), "still a FIFO");
    assert_eq!(entries(&dir.path), ["params.fifo", "tiny.csv", "tiny.qml"]);
}

#[test]
fn a_read_only_file_of_another_user_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = TempDir::new("read-only-out");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    // The user `nobody` must be able to make files in the directory, as in a shared /tmp.
    std::fs::set_permissions(&dir.path, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let read_only = dir.write("ro.json", "{\"w\": 0.25}\n");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let history = dir.write("ro.csv", "old\n");
    std::fs::set_permissions(&history, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let run_as_nobody = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_qmlc")).args(args).env("NO_COLOR", "1").uid(65534).gid(65534).output()
    };
    let other_out = dir.join("p.json");
    let cases = [
        (vec!["train", text(&model), "--out", text(&read_only)], "--out", &read_only),
        (vec!["train", text(&model), "--out", text(&other_out), "--history", text(&history)], "--history", &history),
    ];
    for (args, option, path) in cases {
        let output = match run_as_nobody(&args) {
            Ok(output) => output,
            Err(error) => {
                println!("skipped: cannot run qmlc as the user nobody ({error})");
                return;
            }
        };
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!("error: {option} `{}` is not writable (permission denied); it is left as it was\n", path.display())
        );
        assert!(output.stdout.is_empty(), "nothing trained");
    }
    assert_eq!(std::fs::read_to_string(&read_only).expect("read"), "{\"w\": 0.25}\n");
    assert_eq!(std::fs::read_to_string(&history).expect("read"), "old\n");
    assert_eq!(entries(&dir.path), ["ro.csv", "ro.json", "tiny.csv", "tiny.qml"]);
}

#[test]
fn params_messages_say_empty_files_and_escape_keys() {
    let dir = TempDir::new("params-messages");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let empty = dir.write("empty.json", "");
    let output = qmlc(&["run", text(&model), "--params", text(&empty), "--input", "x=0.5"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("error[E0908]: {}, the file is empty: a params or inputs file is one JSON object\n", empty.display())
    );
    let control = dir.write("control.json", "{\"w\": 0.1, \"v\\u0000\\u001b[31m\": 1}");
    let output = qmlc(&["run", text(&model), "--params", text(&control), "--input", "x=0.5"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0908]: {}: key `v\\u{{0}}\\u{{1b}}[31m` (shape []) is not a param of this model (its params: `w`)\n",
            control.display()
        )
    );
    let output = qmlc(&["run", text(&model), "--input", "x=0.5,0.25"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error: --input: `x` has shape [] (1 value), but 2 were given\n");
}

/// Trains the iris example for a few epochs and returns the params path.
fn trained_iris(dir: &TempDir) -> PathBuf {
    let params = dir.join("iris.json");
    let output = qmlc(&["train", "examples/iris.qml", "--epochs", "3", "--out", text(&params)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    params
}

fn outputs_of(rows: &Value) -> Vec<Vec<f64>> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|row| row["outputs"].as_array().expect("outputs").iter().map(|v| v.as_f64().expect("number")).collect())
        .collect()
}

#[test]
fn run_and_grad_with_data_give_predicts_outputs_row_for_row() {
    let dir = TempDir::new("run-data");
    let params = trained_iris(&dir);
    let data = "examples/data/iris_new.csv";
    let predict =
        qmlc(&["predict", "examples/iris.qml", "--params", text(&params), "--data", data, "--format", "json"]);
    assert_eq!(predict.status.code(), Some(0), "{}", stderr(&predict));
    let predicted: Value = serde_json::from_slice(&predict.stdout).expect("JSON");
    let run = qmlc(&["run", "examples/iris.qml", "--params", text(&params), "--data", data, "--format", "json"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let ran: Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(outputs_of(&ran["rows"]), outputs_of(&predicted["predictions"]));
    assert_eq!(outputs_of(&ran["rows"]).len(), 3);
    // Each row carries the label predict gives it: a class name of the iris data.
    let labels = |rows: &Value| -> Vec<Value> {
        rows.as_array().expect("rows").iter().map(|row| row["label"].clone()).collect()
    };
    assert_eq!(labels(&ran["rows"]), labels(&predicted["predictions"]));
    assert!(labels(&ran["rows"]).iter().all(Value::is_string), "{}", ran["rows"]);
    assert_eq!((ran["rows"][0]["row"].clone(), ran["rows"][0]["line"].clone()), (Value::from(1), Value::from(2)));

    let grad = qmlc(&["grad", "examples/iris.qml", "--params", text(&params), "--data", data, "--format", "json"]);
    assert_eq!(grad.status.code(), Some(0), "{}", stderr(&grad));
    let graded: Value = serde_json::from_slice(&grad.stdout).expect("JSON");
    assert_eq!(outputs_of(&graded["rows"]), outputs_of(&predicted["predictions"]));
    assert_eq!(labels(&graded["rows"]), labels(&predicted["predictions"]));
    let human = qmlc(&["run", "examples/iris.qml", "--params", text(&params), "--data", data]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    let first_label = predicted["predictions"][0]["label"].as_str().expect("a class name").to_string();
    let first_line = String::from_utf8_lossy(&human.stdout).lines().next().unwrap_or_default().to_string();
    assert!(first_line.starts_with("row 1 (line 2): outputs ["), "{first_line}");
    assert!(first_line.ends_with(&format!("], label {first_label}")), "{first_line}");
    for row in graded["rows"].as_array().expect("rows") {
        let jacobian = row["jacobian"].as_object().expect("a jacobian per row");
        assert!(!jacobian.is_empty());
        for (name, value) in jacobian {
            assert_eq!(value.as_array().map(Vec::len), Some(3), "{name}: one entry per output");
        }
    }

    // With --input, the raw features of the first row are scaled as training scaled them, so
    // run gives predict's outputs for that row, and says so.
    let run = qmlc(&["run", "examples/iris.qml", "--params", text(&params), "--input", "x=5.1,3.5,1.4,0.2"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "note: the inputs were scaled as training scaled its rows (`meta.data.scaling` of `{}`); give them as the \
             data file has them\n",
            params.display()
        )
    );
    let run = qmlc(&[
        "run",
        "examples/iris.qml",
        "--params",
        text(&params),
        "--input",
        "x=5.1,3.5,1.4,0.2",
        "--format",
        "json",
    ]);
    let ran: Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let first: Vec<f64> = outputs_of(&predicted["predictions"])[0].clone();
    let outputs: Vec<f64> =
        ran["outputs"].as_array().expect("outputs").iter().map(|v| v.as_f64().expect("n")).collect();
    assert_eq!(outputs, first);
}

#[test]
fn iris_data_with_its_species_column_is_read_as_labelled_rows() {
    let dir = TempDir::new("iris-species");
    let params = trained_iris(&dir);
    let predict = |data: &Path| {
        qmlc(&["predict", "examples/iris.qml", "--params", text(&params), "--data", text(data), "--format", "json"])
    };
    let json = |output: &Output| -> Value { serde_json::from_slice(&output.stdout).expect("JSON") };
    let plain = predict(Path::new("examples/data/iris_new.csv"));
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    // The header of the shipped iris table (src/train/iris.csv) names the labels `species`; `label` is accepted too.
    for label in ["species", "label"] {
        let data = dir.write(
            &format!("{label}.csv"),
            format!(
                "sepal_length,sepal_width,petal_length,petal_width,{label}\n5.1,3.5,1.4,0.2,setosa\n\
                 6.7,3.0,5.2,2.3,virginica\n"
            ),
        );
        let output = predict(&data);
        assert_eq!(output.status.code(), Some(0), "{label}: {}", stderr(&output));
        assert_eq!(outputs_of(&json(&output)["predictions"]), outputs_of(&json(&plain)["predictions"])[..2].to_vec());
        let run = qmlc(&["run", "examples/iris.qml", "--params", text(&params), "--data", text(&data)]);
        assert_eq!(run.status.code(), Some(0), "{label}: {}", stderr(&run));
    }
    // A header-less row whose value is not finite is refused, not taken for a header.
    let bad = dir.write("bad.csv", "5.1,3.5,NaN,0.2\n");
    let output = predict(&bad);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("error[E0907]: {}, line 1, column 3 (`column 3`): `NaN` is not a finite number\n", bad.display())
    );
    let bad = dir.write("inf.csv", "inf,3.5,1.4,0.2\n5.1,3.5,1,0.2\n");
    let output = predict(&bad);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("error[E0907]: {}, line 1, column 1 (`column 1`): `inf` is not a finite number\n", bad.display())
    );
}

#[test]
fn a_csv_without_a_header_keeps_its_first_row_and_says_so() {
    let dir = TempDir::new("no-header");
    let params = trained_iris(&dir);
    let with_header = std::fs::read_to_string("examples/data/iris_new.csv").expect("read");
    let bare = dir.write("bare.csv", with_header.split_once('\n').expect("a header line").1);
    let predict = |data: &Path, extra: &[&str]| {
        let mut args = vec!["predict", "examples/iris.qml", "--params", text(&params), "--data", text(data)];
        args.extend_from_slice(extra);
        qmlc(&args)
    };
    let json = |output: &Output| -> Value { serde_json::from_slice(&output.stdout).expect("JSON") };
    let headed = predict(Path::new("examples/data/iris_new.csv"), &["--format", "json"]);
    let detected = predict(&bare, &["--format", "json"]);
    assert_eq!(detected.status.code(), Some(0), "{}", stderr(&detected));
    assert_eq!(outputs_of(&json(&detected)["predictions"]), outputs_of(&json(&headed)["predictions"]));
    assert_eq!(json(&detected)["predictions"][0]["line"], 1, "the first row is line 1");
    let told = predict(&bare, &["--no-header", "--format", "json"]);
    assert_eq!(outputs_of(&json(&told)["predictions"]), outputs_of(&json(&headed)["predictions"]));

    let human = predict(&bare, &[]);
    assert_eq!(human.status.code(), Some(0));
    assert_eq!(
        stderr(&human),
        format!(
            "note: `{}` has no header (its first row holds numbers, not column names): its 4 columns are the inputs in order\n",
            bare.display()
        )
    );
    assert_eq!(String::from_utf8_lossy(&human.stdout).lines().count(), 4, "a header line and three rows");
    let human = predict(Path::new("examples/data/iris_new.csv"), &[]);
    assert_eq!(
        stderr(&human),
        "note: `examples/data/iris_new.csv` has a header (line 1); give --no-header if that line is data\n"
    );

    // Without a header, one column more than the inputs is the label, last; any other count is refused.
    let labelled = dir.write("labelled.csv", "5.1,3.5,1.4,0.2,setosa\n6.7,3.0,5.2,2.3,virginica\n");
    let human = predict(&labelled, &[]);
    assert_eq!(
        stderr(&human),
        format!(
            "note: `{}` has no header (its first row holds numbers, not column names): its first 4 columns are the \
             inputs in order, and the last is the label\n",
            labelled.display()
        )
    );
    for extra in [&["--no-header", "--format", "json"][..], &["--format", "json"][..]] {
        let output = predict(&labelled, extra);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(outputs_of(&json(&output)["predictions"]), outputs_of(&json(&headed)["predictions"])[..2].to_vec());
    }
    let wide = dir.write("wide.csv", "1,2,3,4,5,6\n");
    let output = predict(&wide, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error[E0907]: {}, line 1: the file has no header and its rows have 6 columns, but the model's input has 4 \
             values; without a header the columns are the inputs in order, optionally followed by the label\n",
            wide.display()
        )
    );
}

#[test]
fn run_without_params_says_where_its_params_come_from() {
    let dir = TempDir::new("no-params-note");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let output = qmlc(&["run", text(&model), "--input", "x=0.5", "--seed", "4"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "note: no --params given: params take their initializers drawn from seed 4\n");
    let output = qmlc(&["run", text(&model), "--input", "x=0.5", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "JSON output has no note: {}", stderr(&output));
    let output = qmlc(&["grad", text(&model), "--data", text(&dir.join("tiny.csv"))]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "two rows, each with its outputs and the Jacobian of its one output: {stdout}");
    assert!(lines[0].starts_with("row 1 (line 2): outputs ["), "{stdout}");
    assert_eq!(lines[1], "  d outputs / d w:");
    assert!(lines[2].starts_with("    output 0: ["), "{stdout}");
    assert!(lines[3].starts_with("row 2 (line 3): outputs ["), "{stdout}");
    assert_eq!(
        stderr(&output),
        format!(
            "note: no --params given: params take their initializers drawn from seed 0\nnote: `{}` has a header (line 1); \
             give --no-header if that line is data\n",
            dir.join("tiny.csv").display()
        )
    );
    let output = qmlc(&["run", text(&model), "--data", text(&dir.join("tiny.csv")), "--input", "x=1"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: --data gives the inputs, a row at a time, so --input cannot be given with it (`x=1`)\n"
    );
}

#[test]
fn absurd_shot_counts_are_usage_errors() {
    let dir = TempDir::new("shots");
    let model = tiny_model(&dir, "tiny.csv", 1, true);
    let output = qmlc(&["run", text(&model), "--input", "x=0.5", "--shots", "18446744073709551615"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "error: invalid value '18446744073709551615' for '--shots <N>': at most 9007199254740992 (2^53) shots can be taken\n"
        ),
        "{}",
        stderr(&output)
    );
}
