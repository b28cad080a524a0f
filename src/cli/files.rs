//! Reading and writing the command line's files without blocking on pipes, reading devices without end, or replacing what is not a regular file.
//!
//! Reading: every file the CLI reads (a model, a params, inputs or data file) must be a regular
//! file, or a symbolic link to one. A FIFO would block the read until some writer appears, a
//! device such as `/dev/zero` never ends, and a directory or socket has no contents to read, so
//! each is refused with a message naming the path and what it is. What is read is capped (see the
//! `*_LIMIT` constants): the cap is enforced by reading at most one byte past it, so a file that
//! grows while it is read, or whose size the file system misreports, cannot get past it.
//!
//! Writing: an output path is treated by what it is when written.
//! - A regular file, or a path where nothing is yet, is replaced atomically: the contents go to a
//!   temporary file in the same directory, which is flushed to disk and renamed over the path,
//!   and the directory is flushed too. A reader or a crash sees the old file or the new one,
//!   never half of one. If anything fails, the temporary file is removed and the old file is
//!   left as it was. A temporary file left by a run killed in the middle of a write is removed
//!   by the next write of the same path.
//! - A symbolic link is followed: the file it points to is replaced atomically in its own
//!   directory, and the link stays a link.
//!   An existing file the user may not write (a read-only file, or another user's file in a
//!   shared directory) is refused rather than replaced, though the directory would allow the
//!   rename: the permissions are the file owner's say, and renaming over them would ignore it.
//!   Temporary names are kept within the 255 bytes a file name may have, by shortening the part
//!   taken from the file's name.
//! - A character device (`/dev/null`, a terminal) or a FIFO is written through: opened and
//!   written, never replaced, since replacing a device node with a regular file would break it
//!   for every other program, and a FIFO's reader expects the contents to arrive through it. A
//!   FIFO is opened without blocking, and tried again until a reader has opened it, for at most
//!   [`FIFO_READER_WAIT`]; a FIFO nobody reads fails the write rather than hanging the run.
//! - A block device, a socket or a directory is refused: writing params over a disk would
//!   destroy its file system, a socket cannot be opened as a file, and a directory is not a file.

use std::ffi::OsString;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The most a `.qml` model file may hold: 64 MiB, far more than any model a person writes (and
/// the front end's own limits end much earlier).
pub const SOURCE_LIMIT: u64 = 64 << 20;
/// The most a params or inputs JSON file may hold: 64 MiB, some 3 million numbers as text, more
/// than the 2^20-element arrays a model can declare need.
pub const JSON_LIMIT: u64 = 64 << 20;
/// The most a CSV data file may hold: 1 GiB. Its rows are kept in memory as numbers, which take
/// about as much room as their text.
pub const CSV_LIMIT: u64 = 1 << 30;

/// How long a write to a FIFO waits for some program to open it for reading before it fails.
pub const FIFO_READER_WAIT: Duration = Duration::from_secs(10);
/// How often a FIFO without a reader is tried again while [`FIFO_READER_WAIT`] lasts.
const FIFO_RETRY_INTERVAL: Duration = Duration::from_millis(50);

/// The most bytes a file name may have (NAME_MAX of Linux file systems).
const NAME_MAX: usize = 255;
/// The most bytes of the output's file name a temporary name keeps: the rest of the 255 is for
/// the dots, the largest process id (10 digits), a counter (`.99`) and `.tmp`. The budget is the
/// same whatever this process's id is, so every run shortens a given name alike and can find
/// the temporary files of earlier runs.
const TEMPORARY_NAME_PART_MAX: usize = NAME_MAX - (2 + 10 + 3 + 4);

/// Reads a whole file that must be a regular file (or a symbolic link to one) of at most `limit`
/// bytes. `what` names the file in messages: `the params file`, `the data file`.
///
/// The file is opened without blocking, and checked again once open, so a FIFO put in place of
/// the file between the check and the opening cannot make the read wait for a writer.
pub fn read_regular_file(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>, String> {
    let cannot = |problem: String| format!("cannot read {what} `{}`: {problem}", path.display());
    let (file, metadata) = open_regular(path, what)?;
    let too_large = || cannot(format!("it is larger than {}, the most {what} may hold", size_text(limit)));
    // A size already past the limit is refused without reading; the read below is the check
    // that holds whatever the size says.
    if metadata.len() > limit {
        return Err(too_large());
    }
    let mut contents = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut contents).map_err(|error| cannot(error.to_string()))?;
    if contents.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(contents)
}

/// Reads at most the first `max_bytes` of a regular file (or a link to one), refusing what
/// [`read_regular_file`] refuses; a longer file is not an error, only cut. `qmlc check` reads the
/// header of a data file this way.
pub fn read_regular_prefix(path: &Path, what: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
    let (file, _) = open_regular(path, what)?;
    let mut contents = Vec::new();
    file.take(max_bytes)
        .read_to_end(&mut contents)
        .map_err(|error| format!("cannot read {what} `{}`: {error}", path.display()))?;
    Ok(contents)
}

/// Opens a regular file for reading without blocking, checking what it is before and after the
/// opening, so a FIFO put in place of the file between the two cannot make a read wait.
fn open_regular(path: &Path, what: &str) -> Result<(File, Metadata), String> {
    let cannot = |problem: String| format!("cannot read {what} `{}`: {problem}", path.display());
    let metadata = std::fs::metadata(path).map_err(|error| cannot(error.to_string()))?;
    if let Some(kind) = not_regular(&metadata) {
        return Err(cannot(format!("it is {kind}, not a regular file")));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|error| cannot(error.to_string()))?;
    let metadata = file.metadata().map_err(|error| cannot(error.to_string()))?;
    if let Some(kind) = not_regular(&metadata) {
        return Err(cannot(format!("it is {kind}, not a regular file")));
    }
    Ok((file, metadata))
}

/// Reads a regular file as [`read_regular_file`] does and checks that it is UTF-8 text.
pub fn read_text_file(path: &Path, what: &str, limit: u64) -> Result<String, String> {
    let bytes = read_regular_file(path, what, limit)?;
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = 1 + bytes[..offset].iter().filter(|&&byte| byte == b'\n').count();
        format!(
            "cannot read {what} `{}`: it is not UTF-8 text (line {line}, byte {} is not part of a UTF-8 character)",
            path.display(),
            offset + 1
        )
    })
}

/// What an output path turned out to be, after following symbolic links.
#[derive(Debug, PartialEq)]
enum Target {
    /// A regular file, or nothing yet, at this path (the end of any symbolic links): replaced atomically.
    Replace(PathBuf),
    /// A character device or FIFO, written through; the text says which, for messages.
    WriteThrough(&'static str),
    /// A directory, block device or socket, which is never written; the text says which.
    Refuse(&'static str),
}

/// Follows `path` through symbolic links (at most 40, as the kernel does) and says how a write
/// to it is done.
fn classify(path: &Path) -> Result<Target, String> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let metadata = match std::fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Replace(current)),
            Err(error) => return Err(error.to_string()),
        };
        let file_type = metadata.file_type();
        if file_type.is_symlink() {
            let link = std::fs::read_link(&current).map_err(|error| error.to_string())?;
            current = if link.is_absolute() { link } else { directory_of(&current).join(link) };
            continue;
        }
        return Ok(if file_type.is_file() {
            Target::Replace(current)
        } else if file_type.is_char_device() {
            Target::WriteThrough("a character device")
        } else if file_type.is_fifo() {
            Target::WriteThrough("a FIFO (named pipe)")
        } else if file_type.is_dir() {
            Target::Refuse("a directory")
        } else if file_type.is_block_device() {
            Target::Refuse("a block device")
        } else if file_type.is_socket() {
            Target::Refuse("a socket")
        } else {
            Target::Refuse("not a regular file")
        });
    }
    Err("too many levels of symbolic links".to_string())
}

/// Writes `contents` to `path`, given on the command line as `option` (`--out`), as the module
/// documentation says: atomically for a regular file (through symbolic links), through for a
/// character device or FIFO, and never for anything else.
///
/// On failure nothing at `path` has changed (a device written through may have taken part of the
/// contents) and no temporary file is left; the message names the path.
pub fn write_output(path: &Path, option: &str, contents: &[u8]) -> Result<(), String> {
    let cannot = |problem: String| format!("cannot write {option} `{}`: {problem}", path.display());
    match classify(path).map_err(cannot)? {
        Target::Replace(target) => {
            if target.exists() {
                refuse_unwritable_file(path, &target, option)?;
            }
            replace_atomically(&target, contents).map_err(cannot)
        }
        Target::WriteThrough(_) => {
            let mut file = open_write_through(path).map_err(cannot)?;
            file.write_all(contents).and_then(|()| file.flush()).map_err(|error| cannot(error.to_string()))
        }
        Target::Refuse(kind) => Err(cannot(format!("it is {kind}; give the path of a regular file"))),
    }
}

/// Opens a character device or FIFO for writing, without creating or truncating it (the node
/// exists and stays as it is).
///
/// The opening does not block: a FIFO that no program has opened for reading answers ENXIO, and
/// is tried again every [`FIFO_RETRY_INTERVAL`] until a reader comes or [`FIFO_READER_WAIT`] has
/// passed. Once open, the file is made blocking again, so that the writes wait for a slow reader
/// rather than fail with EAGAIN.
fn open_write_through(path: &Path) -> Result<File, String> {
    let start = Instant::now();
    loop {
        let opened = OpenOptions::new().write(true).custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK).open(path);
        match opened {
            Ok(file) => {
                clear_nonblocking(&file).map_err(|error| error.to_string())?;
                return Ok(file);
            }
            Err(error) if error.raw_os_error() == Some(libc::ENXIO) && is_fifo(path) => {
                if start.elapsed() >= FIFO_READER_WAIT {
                    return Err(format!(
                        "it is a FIFO and no program has opened it for reading within {} s",
                        FIFO_READER_WAIT.as_secs()
                    ));
                }
                std::thread::sleep(FIFO_RETRY_INTERVAL);
            }
            Err(error) => return Err(error.to_string()),
        }
    }
}

/// Whether `path` (through symbolic links) is a FIFO now.
fn is_fifo(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| metadata.file_type().is_fifo())
}

/// Clears O_NONBLOCK on an open file, so its writes block as usual.
fn clear_nonblocking(file: &File) -> std::io::Result<()> {
    let descriptor = file.as_raw_fd();
    // SAFETY: `descriptor` is an open file descriptor owned by `file`, which outlives both calls;
    // F_GETFL and F_SETFL only read and set its status flags.
    let flags = unsafe { libc::fcntl(descriptor, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(descriptor, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Refuses to replace the existing regular file `target` (reached from `path`, as given as
/// `option`) when this process may not write it. The directory may allow the rename that would
/// replace it, but a file its owner made read-only, or another user's file, is not this run's to
/// replace.
fn refuse_unwritable_file(path: &Path, target: &Path, option: &str) -> Result<(), String> {
    match writable_error(target) {
        None => Ok(()),
        Some(error) => {
            let problem = match error.raw_os_error() {
                Some(libc::EACCES) | Some(libc::EPERM) => "permission denied".to_string(),
                Some(libc::EROFS) => "read-only file system".to_string(),
                _ => error.to_string(),
            };
            Err(format!("{option} `{}` is not writable ({problem}); it is left as it was", path.display()))
        }
    }
}

/// Whether this process may write `path` (see [`writable`]); the kernel's refusal if not.
fn writable_error(path: &Path) -> Option<std::io::Error> {
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return Some(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    };
    // SAFETY: `name` is a NUL-terminated string that lives across the call.
    let status = unsafe { libc::access(name.as_ptr(), libc::W_OK) };
    (status != 0).then(std::io::Error::last_os_error)
}

/// Whether `path` (given as `option`) is a directory, perhaps behind symbolic links: giving one
/// where a file is to be written is a mistake of the command line. The message suggests
/// `suggested_name` inside it.
pub fn refuse_directory(path: &Path, option: &str, suggested_name: &str) -> Result<(), String> {
    // A path written with a trailing slash names a directory whether or not one is there.
    if path.as_os_str().as_encoded_bytes().ends_with(b"/") && !path.is_dir() {
        return Err(format!(
            "{option} `{}` ends with `/`, so it names a directory; give the path of a file, such as `{}`",
            path.display(),
            path.join(suggested_name).display()
        ));
    }
    match classify(path) {
        Ok(Target::Refuse("a directory")) => Err(directory_message(path, option, suggested_name)),
        _ => Ok(()),
    }
}

fn directory_message(path: &Path, option: &str, suggested_name: &str) -> String {
    format!(
        "{option} `{}` is a directory; give the path of a file, such as `{}`",
        path.display(),
        path.join(suggested_name).display()
    )
}

/// Whether [`write_output`] writes through `path` (a character device or FIFO, perhaps behind
/// symbolic links) rather than replacing a file there. Two outputs may share such a path.
pub fn is_written_through(path: &Path) -> bool {
    matches!(classify(path), Ok(Target::WriteThrough(_)))
}

/// Checks, before a long computation, that [`write_output`] will be able to write `path` (given
/// as `option`), without creating anything: a directory (the message suggests `suggested_name`
/// inside it), a block device or a socket is refused, the directory of a file to be replaced must
/// exist and be writable, an existing file to be replaced must be writable too, and a device or
/// FIFO to be written through must be writable. Writing through a FIFO waits for a reader, for
/// at most [`FIFO_READER_WAIT`].
pub fn check_writable(path: &Path, option: &str, suggested_name: &str) -> Result<(), String> {
    let cannot = |problem: String| format!("cannot write {option} `{}`: {problem}", path.display());
    match classify(path).map_err(cannot)? {
        Target::Refuse("a directory") => Err(directory_message(path, option, suggested_name)),
        Target::Refuse(kind) => Err(cannot(format!("it is {kind}; give the path of a regular file"))),
        Target::WriteThrough(_) => writable(path).map_err(cannot),
        Target::Replace(target) => {
            let directory = directory_of(&target);
            if !directory.is_dir() {
                let problem = if directory.exists() { "is not a directory" } else { "does not exist" };
                return Err(cannot(format!("`{}` {problem}", directory.display())));
            }
            if target.exists() {
                refuse_unwritable_file(path, &target, option)?;
            }
            writable(directory).map_err(|problem| cannot(format!("`{}`: {problem}", directory.display())))
        }
    }
}

/// Whether this process may write `path`, asked of the kernel without opening it (so a FIFO is
/// not opened, and nothing is created). A read-only file system answers no even to root.
fn writable(path: &Path) -> Result<(), String> {
    match writable_error(path) {
        None => Ok(()),
        Some(error) if error.kind() == std::io::ErrorKind::InvalidInput => {
            Err("the path contains a NUL byte".to_string())
        }
        Some(error) => Err(error.to_string()),
    }
}

/// Replaces the regular file (or nothing) at `target` by a new file holding `contents`: a
/// temporary file in the same directory is written, flushed to disk, given the old file's
/// permissions, and renamed over `target`; then the directory is flushed so the rename itself
/// survives a crash. On failure the temporary file is removed.
fn replace_atomically(target: &Path, contents: &[u8]) -> Result<(), String> {
    remove_stale_temporaries(target);
    let (temporary_path, mut temporary) = create_temporary(target)?;
    let result = (|| -> std::io::Result<()> {
        temporary.write_all(contents)?;
        if let Ok(old) = std::fs::metadata(target) {
            temporary.set_permissions(std::fs::Permissions::from_mode(old.permissions().mode()))?;
        }
        temporary.sync_all()?;
        drop(temporary);
        std::fs::rename(&temporary_path, target)
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temporary_path);
        let kept = if target.exists() { format!("; `{}` is as it was", target.display()) } else { String::new() };
        return Err(format!("{error}{kept}"));
    }
    // The new contents are in place whatever happens now; a file system that cannot flush a
    // directory (some network ones) only loses the guarantee that the rename survives a crash.
    if let Ok(directory) = File::open(directory_of(target)) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Creates a fresh temporary file beside `target`, named `.NAME.PID.tmp` (with a counter after
/// the process id if that name is taken), where NAME is the target's file name shortened by
/// [`temporary_name_part`] so the whole stays within [`NAME_MAX`]. It is created exclusively, so
/// an existing file or a symbolic link planted under that name is never written through.
fn create_temporary(target: &Path) -> Result<(PathBuf, File), String> {
    let name_part = temporary_name_part(target);
    let directory = directory_of(target);
    let mut last_error = None;
    for attempt in 0..100 {
        let suffix = if attempt == 0 { String::new() } else { format!(".{attempt}") };
        let mut name = b".".to_vec();
        name.extend_from_slice(&name_part);
        name.extend_from_slice(format!(".{}{suffix}.tmp", std::process::id()).as_bytes());
        let path = directory.join(OsString::from_vec(name));
        match OpenOptions::new().write(true).create_new(true).mode(0o666).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(error),
            Err(error) => return Err(error.to_string()),
        }
    }
    Err(last_error.map_or_else(|| "no temporary file name is free".to_string(), |error| error.to_string()))
}

/// The part of `target`'s file name that its temporary files' names hold: the whole name, or its
/// first [`TEMPORARY_NAME_PART_MAX`] bytes, cut on a character boundary when the name is UTF-8.
fn temporary_name_part(target: &Path) -> Vec<u8> {
    let name = target.file_name().map_or(&b"out"[..], |name| name.as_bytes());
    let mut end = name.len().min(TEMPORARY_NAME_PART_MAX);
    if let Ok(text) = std::str::from_utf8(name) {
        while !text.is_char_boundary(end) {
            end -= 1;
        }
    }
    name[..end].to_vec()
}

/// Removes the temporary files a killed run left beside `target`: those named as
/// [`create_temporary`] names them, for a process that no longer exists. A process id reused
/// since only leaves its file for a later run to remove.
fn remove_stale_temporaries(target: &Path) {
    let mut prefix = b".".to_vec();
    prefix.extend_from_slice(&temporary_name_part(target));
    prefix.push(b'.');
    let Ok(entries) = std::fs::read_dir(directory_of(target)) else { return };
    for entry in entries.filter_map(|entry| entry.ok()) {
        let name = entry.file_name();
        let Some(middle) = name.as_bytes().strip_prefix(prefix.as_slice()).and_then(|rest| rest.strip_suffix(b".tmp"))
        else {
            continue;
        };
        // What is left is `PID` or `PID.N`; anything else is some other file.
        let Ok(middle) = std::str::from_utf8(middle) else { continue };
        let (pid_text, counter) = middle.split_once('.').unwrap_or((middle, "0"));
        if !counter.bytes().all(|byte| byte.is_ascii_digit()) {
            continue;
        }
        let Ok(pid) = pid_text.parse::<libc::pid_t>() else { continue };
        if pid <= 0 || pid as u32 == std::process::id() {
            continue;
        }
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let gone =
            unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if gone && is_file {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The directory a file path is in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// What a file is, said for a message, if it is not a regular file.
fn not_regular(metadata: &Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        None
    } else if file_type.is_dir() {
        Some("a directory")
    } else if file_type.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// A byte count as the limits are written: `64 MiB`, `1 GiB`.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own under the system's temp directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let path = std::env::temp_dir().join(format!("qmlc-files-unit-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("the temp directory is writable");
            Scratch(path)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn entries(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(directory)
            .expect("readable")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_over_the_limit_is_refused_whatever_its_size_says() {
        let scratch = Scratch::new("limit");
        let path = scratch.0.join("big.json");
        std::fs::write(&path, "0123456789").expect("write");
        assert_eq!(read_regular_file(&path, "the params file", 10), Ok(b"0123456789".to_vec()));
        assert_eq!(
            read_regular_file(&path, "the params file", 9),
            Err(format!(
                "cannot read the params file `{}`: it is larger than 9 bytes, the most the params file may hold",
                path.display()
            ))
        );
        // Files in /proc say they are empty, yet have contents: the read itself enforces the limit.
        let status = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(status).expect("stat").len(), 0);
        assert_eq!(
            read_regular_file(status, "the inputs file", 16),
            Err("cannot read the inputs file `/proc/self/status`: it is larger than 16 bytes, the most the inputs file may hold".to_string())
        );
        assert!(read_regular_file(status, "the inputs file", JSON_LIMIT).is_ok_and(|bytes| bytes.len() > 16));
        assert_eq!(size_text(CSV_LIMIT), "1 GiB");
        assert_eq!(size_text(JSON_LIMIT), "64 MiB");
    }

    #[test]
    fn a_directory_or_a_device_is_not_read() {
        let scratch = Scratch::new("not-regular");
        assert_eq!(
            read_regular_file(&scratch.0, "the data file", CSV_LIMIT),
            Err(format!("cannot read the data file `{}`: it is a directory, not a regular file", scratch.0.display()))
        );
        assert_eq!(
            read_regular_file(Path::new("/dev/zero"), "the data file", CSV_LIMIT),
            Err("cannot read the data file `/dev/zero`: it is a character device, not a regular file".to_string())
        );
    }

    #[test]
    fn a_symbolic_link_to_a_regular_file_is_read_and_one_to_a_fifo_is_not() {
        let scratch = Scratch::new("read-link");
        std::fs::write(scratch.0.join("d.csv"), "x\n1\n").expect("write");
        let link = scratch.0.join("link.csv");
        std::os::unix::fs::symlink("d.csv", &link).expect("symlink");
        assert_eq!(read_text_file(&link, "the data file", CSV_LIMIT), Ok("x\n1\n".to_string()));
        let fifo = scratch.0.join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("no NUL");
        // SAFETY: `name` is a NUL-terminated path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o666) }, 0);
        let fifo_link = scratch.0.join("fifo-link.csv");
        std::os::unix::fs::symlink("fifo", &fifo_link).expect("symlink");
        assert_eq!(
            read_regular_file(&fifo_link, "the data file", CSV_LIMIT),
            Err(format!(
                "cannot read the data file `{}`: it is a FIFO (named pipe), not a regular file",
                fifo_link.display()
            ))
        );
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line_and_byte() {
        let scratch = Scratch::new("utf8");
        let path = scratch.0.join("d.csv");
        std::fs::write(&path, b"x,y\n1,\xff\n").expect("write");
        assert_eq!(
            read_text_file(&path, "the data file", CSV_LIMIT),
            Err(format!(
                "cannot read the data file `{}`: it is not UTF-8 text (line 2, byte 7 is not part of a UTF-8 character)",
                path.display()
            ))
        );
    }

    #[test]
    fn a_regular_file_is_replaced_and_no_temporary_file_remains() {
        let scratch = Scratch::new("replace");
        let path = scratch.0.join("p.json");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(write_output(&path, "--out", b"new"), Ok(()));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        assert_eq!(std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777, 0o600);
        assert_eq!(entries(&scratch.0), ["p.json"]);
    }

    #[test]
    fn temporary_files_of_processes_that_are_gone_are_removed() {
        let scratch = Scratch::new("stale");
        let path = scratch.0.join("p.json");
        // No process has an id this large (Linux's limit is 2^22).
        std::fs::write(scratch.0.join(".p.json.2147483646.tmp"), "half").expect("write");
        std::fs::write(scratch.0.join(".p.json.2147483646.3.tmp"), "half").expect("write");
        // A live process's file (this process's parent's), and another file's, stay.
        let parent = format!(".p.json.{}.tmp", std::os::unix::process::parent_id());
        std::fs::write(scratch.0.join(&parent), "busy").expect("write");
        std::fs::write(scratch.0.join(".q.json.2147483646.tmp"), "other").expect("write");
        assert_eq!(write_output(&path, "--out", b"new"), Ok(()));
        let mut expected = vec![parent, ".q.json.2147483646.tmp".to_string(), "p.json".to_string()];
        expected.sort();
        assert_eq!(entries(&scratch.0), expected);
    }

    #[test]
    fn temporary_names_keep_within_the_longest_file_name() {
        let long = "b".repeat(250) + ".json";
        assert_eq!(temporary_name_part(Path::new(&long)), long.as_bytes()[..TEMPORARY_NAME_PART_MAX].to_vec());
        // Byte 236 falls inside a two-byte character, so the cut comes before it.
        let accented = "b".to_string() + &"é".repeat(125) + ".jso";
        assert_eq!(temporary_name_part(Path::new(&accented)), accented.as_bytes()[..235].to_vec());
        assert_eq!(temporary_name_part(Path::new("dir/p.json")), b"p.json".to_vec());
        let scratch = Scratch::new("long-name");
        let path = scratch.0.join(&long);
        assert_eq!(write_output(&path, "--out", b"new"), Ok(()));
        assert_eq!(entries(&scratch.0), [long]);
    }

    #[test]
    fn a_directory_is_a_usage_mistake_and_other_paths_pass() {
        let scratch = Scratch::new("refuse-directory");
        assert_eq!(
            refuse_directory(&scratch.0, "--history", "history.csv"),
            Err(format!(
                "--history `{}` is a directory; give the path of a file, such as `{}`",
                scratch.0.display(),
                scratch.0.join("history.csv").display()
            ))
        );
        assert_eq!(refuse_directory(&scratch.0.join("p.json"), "--out", "p.json"), Ok(()));
        assert_eq!(refuse_directory(Path::new("/dev/null"), "--out", "p.json"), Ok(()));
    }

    #[test]
    fn a_symbolic_link_stays_a_link_and_its_target_is_replaced() {
        let scratch = Scratch::new("symlink");
        std::fs::create_dir(scratch.0.join("real")).expect("mkdir");
        let target = scratch.0.join("real").join("p.json");
        std::fs::write(&target, "old").expect("write");
        let link = scratch.0.join("link.json");
        std::os::unix::fs::symlink("real/p.json", &link).expect("symlink");
        assert_eq!(write_output(&link, "--out", b"new"), Ok(()));
        assert!(std::fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        assert_eq!(entries(&scratch.0.join("real")), ["p.json"]);
        // A dangling link makes the file it points to.
        let dangling = scratch.0.join("dangling.json");
        std::os::unix::fs::symlink("real/q.json", &dangling).expect("symlink");
        assert_eq!(write_output(&dangling, "--out", b"q"), Ok(()));
        assert_eq!(std::fs::read_to_string(scratch.0.join("real").join("q.json")).expect("read"), "q");
    }

    #[test]
    fn a_directory_is_refused_and_a_missing_directory_is_named() {
        let scratch = Scratch::new("refuse");
        assert_eq!(
            write_output(&scratch.0, "--out", b"x"),
            Err(format!(
                "cannot write --out `{}`: it is a directory; give the path of a regular file",
                scratch.0.display()
            ))
        );
        assert_eq!(
            check_writable(&scratch.0, "--out", "m.trained.json"),
            Err(format!(
                "--out `{}` is a directory; give the path of a file, such as `{}`",
                scratch.0.display(),
                scratch.0.join("m.trained.json").display()
            ))
        );
        let missing = scratch.0.join("nowhere").join("p.json");
        assert_eq!(
            check_writable(&missing, "--out", "p.json"),
            Err(format!(
                "cannot write --out `{}`: `{}` does not exist",
                missing.display(),
                scratch.0.join("nowhere").display()
            ))
        );
        assert!(write_output(&missing, "--out", b"x").is_err());
        assert_eq!(entries(&scratch.0), Vec::<String>::new());
    }

    #[test]
    fn dev_null_is_to_be_written_through_and_is_checked_without_creating_anything() {
        // Only looked at: the tests write devices only in directories they create (tests/it/files.rs).
        assert_eq!(classify(Path::new("/dev/null")), Ok(Target::WriteThrough("a character device")));
        assert_eq!(check_writable(Path::new("/dev/null"), "--out", "p.json"), Ok(()));
        assert!(is_written_through(Path::new("/dev/null")));
        assert!(!is_written_through(Path::new("/tmp")));
        let metadata = std::fs::symlink_metadata("/dev/null").expect("lstat");
        assert!(metadata.file_type().is_char_device(), "/dev/null is still a device");
    }
}
