//! The stdio transport: Content-Length framed JSON-RPC read on one thread and written on another.
//!
//! lsp-server's own `Connection::stdio` ends its reader thread at the first malformed message,
//! after which the server could only exit; the protocol wants an error response instead, so this
//! reader reports a frame it cannot read and goes on with the next one. Messages are still
//! lsp-server's `Message`, so the server is written against its types.

use lsp_server::{ErrorCode, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{channel, Receiver, Sender};

/// The largest message body read; a larger one is skipped and answered with a parse error, so a
/// wrong Content-Length cannot make the server allocate without bound. A 10 MB document sent
/// whole, even with every character escaped, fits.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What the reader passes on.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame that is not a JSON-RPC message: the error to answer with, and the id if the frame
    /// was JSON with one.
    Malformed {
        id: Value,
        code: ErrorCode,
        message: String,
    },
}

/// What the writer writes.
#[derive(Debug)]
pub enum Outgoing {
    Message(Message),
    /// A response lsp-server's types cannot express: an error whose id is `null`.
    Raw(Value),
}

/// Starts the reader (stdin) and writer (stdout) threads. The reader's channel closes when stdin
/// ends; the writer ends when every sender is dropped or stdout is closed.
pub fn stdio() -> (Receiver<Incoming>, Sender<Outgoing>) {
    let (incoming_sender, incoming) = channel();
    let (outgoing, outgoing_receiver) = channel::<Outgoing>();
    std::thread::spawn(move || {
        let stdin = io::stdin();
        read_messages(&mut stdin.lock(), &incoming_sender);
    });
    std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for message in outgoing_receiver {
            if write_message(&mut stdout, &message).is_err() {
                break;
            }
        }
    });
    (incoming, outgoing)
}

/// Writes one framed message and flushes it.
pub fn write_message(writer: &mut impl Write, message: &Outgoing) -> io::Result<()> {
    match message {
        Outgoing::Message(message) => message.write(writer),
        Outgoing::Raw(value) => {
            let text = value.to_string();
            write!(writer, "Content-Length: {}\r\n\r\n{text}", text.len())?;
            writer.flush()
        }
    }
}

/// Reads frames until the input ends (or the receiver is gone), passing each on.
pub fn read_messages(reader: &mut impl BufRead, sender: &Sender<Incoming>) {
    loop {
        let incoming = match read_frame(reader) {
            Ok(Some(Ok(body))) => parse(&body),
            Ok(Some(Err(problem))) => {
                Incoming::Malformed { id: Value::Null, code: ErrorCode::ParseError, message: problem }
            }
            Ok(None) | Err(_) => return,
        };
        if sender.send(incoming).is_err() {
            return;
        }
    }
}

/// A body as a message, or why it is not one.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Malformed {
                id: Value::Null,
                code: ErrorCode::ParseError,
                message: format!("the message is not JSON: {error}"),
            }
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("the message is not a JSON-RPC request, response or notification: {error}"),
        },
    }
}

/// Reads one frame: `Ok(None)` at the end of the input, `Ok(Some(Err(..)))` for a frame that is
/// wrong but was read past (a missing or unreadable Content-Length, a body too large).
fn read_frame(reader: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut read_any_header = false;
    loop {
        line.clear();
        if read_line_lossy(reader, &mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            // Blank lines before the first header are noise between frames, not an empty frame.
            if read_any_header {
                break;
            }
            continue;
        }
        read_any_header = true;
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = Some(value.trim().parse::<usize>().map_err(|_| format!("a bad Content-Length: {header:?}")));
            }
        }
    }
    match length {
        None => Ok(Some(Err("a message without a Content-Length header".to_string()))),
        Some(Err(problem)) => Ok(Some(Err(problem))),
        Some(Ok(length)) if length > MAX_MESSAGE_BYTES => {
            io::copy(&mut reader.take(length as u64), &mut io::sink())?;
            Ok(Some(Err(format!("a message of {length} bytes, more than the {MAX_MESSAGE_BYTES} read"))))
        }
        Some(Ok(length)) => {
            let mut body = vec![0; length];
            match reader.read_exact(&mut body) {
                Ok(()) => Ok(Some(Ok(body))),
                Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
                Err(error) => Err(error),
            }
        }
    }
}

/// Reads a header line; bytes that are not UTF-8 are replaced rather than failing the stream.
fn read_line_lossy(reader: &mut impl BufRead, line: &mut String) -> io::Result<usize> {
    let mut bytes = Vec::new();
    // A header line longer than this is not a header; it is cut, and the rest read as more lines.
    let count = reader.take(64 * 1024).read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(count)
}

/// The error response to a malformed frame.
pub fn malformed_response(id: Value, code: ErrorCode, message: &str) -> Outgoing {
    Outgoing::Raw(json!({"jsonrpc": "2.0", "id": id, "error": {"code": code as i32, "message": message}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Incoming> {
        let (sender, receiver) = channel();
        read_messages(&mut io::Cursor::new(input.to_vec()), &sender);
        drop(sender);
        receiver.into_iter().collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_malformed_frame_is_reported_and_the_next_one_still_read() {
        let input = format!(
            "{}{}Content-Type: x\r\n\r\n{}",
            frame("{not json"),
            frame(r#"{"id": 7, "params": 1}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "exit"}"#)
        );
        let read = frames(input.as_bytes());
        assert_eq!(read.len(), 4, "{read:?}");
        assert!(matches!(&read[0], Incoming::Malformed { id: Value::Null, code: ErrorCode::ParseError, .. }));
        assert!(matches!(&read[1], Incoming::Malformed { id, code: ErrorCode::InvalidRequest, .. } if id == 7));
        assert!(matches!(&read[2], Incoming::Malformed { code: ErrorCode::ParseError, .. }));
        assert!(matches!(&read[3], Incoming::Message(Message::Notification(n)) if n.method == "exit"));
    }

    #[test]
    fn a_huge_length_is_skipped_and_a_short_body_ends_the_input() {
        let read = frames(format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1).as_bytes());
        assert_eq!(read.len(), 1);
        assert!(frames(b"Content-Length: 10\r\n\r\n{}").is_empty());
        assert!(frames(b"Content-Length: x\r\n\r\n").len() == 1);
    }

    #[test]
    fn a_raw_error_response_has_a_null_id_and_a_frame() {
        let mut written = Vec::new();
        let response = malformed_response(Value::Null, ErrorCode::ParseError, "bad");
        write_message(&mut written, &response).expect("written to memory");
        let text = String::from_utf8(written).expect("UTF-8");
        assert!(text.starts_with("Content-Length: "), "{text}");
        assert!(
            text.ends_with(r#"{"error":{"code":-32700,"message":"bad"},"id":null,"jsonrpc":"2.0"}"#)
                || text.contains(r#""id":null"#),
            "{text}"
        );
    }
}
