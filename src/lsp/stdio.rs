//! The stdio transport of `asl-lint lsp`: `Content-Length` framed JSON-RPC
//! over standard input and output, feeding a [`Connection`].
//!
//! lsp-server has one, but it trusts the client: it allocates (and zeroes)
//! the announced `Content-Length` before reading the body, so a header
//! claiming 100 GB aborts the process, and a message that is JSON but not
//! JSON-RPC ends the session. Here the body buffer grows only with the bytes
//! that actually arrive, a message may be at most [`MAX_MESSAGE`] bytes and a
//! header line at most [`MAX_HEADER_LINE`], and a well-framed body that is
//! not a JSON-RPC message is reported on standard error, answered as
//! JSON-RPC asks (a body that is not JSON gets a `-32700` parse error, JSON
//! that is not a JSON-RPC message a `-32600` invalid request, with the
//! request's `id` when one can be read and `null` otherwise) and skipped. A
//! framing error (a malformed header, a missing or bad `Content-Length`, end
//! of input inside a message) cannot be recovered from: it is reported and
//! the input is closed, which ends the server.
//!
//! The reader also tells the server whether it is in the middle of a message
//! ([`Reading`]), so that the server waits for a message that is arriving
//! but never when nothing is.

use lsp_server::{Connection, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

/// The largest message accepted: four times the CLI's default file-size
/// limit, room for a large definition JSON-escaped inside a `didChange`.
pub const MAX_MESSAGE: usize = 256 << 20;

/// The longest header line accepted.
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// The JSON-RPC error code of a body that is not JSON.
pub const PARSE_ERROR: i32 = -32700;

/// The JSON-RPC error code of JSON that is not a valid request.
pub const INVALID_REQUEST: i32 = -32600;

/// Whether the reader has started reading a message it has not delivered
/// yet (bytes of it arrived, or are buffered): the server waits for such a
/// message before linting, since it may be the next keystroke.
#[derive(Clone, Debug, Default)]
pub struct Reading(Arc<AtomicBool>);

impl Reading {
    /// True while a message is on its way.
    pub fn mid_message(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    fn set(&self, busy: bool) {
        self.0.store(busy, Ordering::SeqCst);
    }
}

/// The transport's threads.
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
    reading: Reading,
}

impl IoThreads {
    /// The reader's progress, for [`crate::lsp::run_with_reader`].
    pub fn reading(&self) -> Reading {
        self.reading.clone()
    }

    /// Waits for both threads; the reader stops after `exit` or at the end
    /// of input, the writer when the server's connection is dropped.
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread panicked")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
        reader.and(writer)
    }
}

/// A connection over standard input and output, and its threads.
pub fn stdio() -> (Connection, IoThreads) {
    let (server, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    let reading = Reading::default();
    let progress = reading.clone();
    let reader = thread::Builder::new()
        .name("asl-lint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            // A buffer of our own, whose contents can be looked at.
            let mut input = BufReader::new(stdin.lock());
            let result = pump_tracked(
                &mut input,
                |msg| to_server.send(msg).is_ok(),
                |error| {
                    // Written between two messages of the writer thread:
                    // both hold the stdout lock for a whole message.
                    let _ = write_frame(&mut io::stdout().lock(), &error);
                },
                &progress,
            );
            progress.set(false);
            if let Err(e) = &result {
                eprintln!("asl-lint lsp: cannot read from the client: {e}");
            }
            result
        })
        .expect("spawning a thread");
    let writer = thread::Builder::new()
        .name("asl-lint-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            for msg in from_server {
                let mut out = stdout.lock();
                msg.write(&mut out)?;
                out.flush()?;
            }
            Ok(())
        })
        .expect("spawning a thread");
    (
        server,
        IoThreads {
            reader,
            writer,
            reading,
        },
    )
}

/// Writes one framed JSON body and flushes.
fn write_frame(out: &mut impl Write, body: &Value) -> io::Result<()> {
    let text = body.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

/// Reads messages from `input` and hands each to `deliver` until `exit`, the
/// end of input, a framing error or `deliver` returning false. Bodies that
/// are not JSON-RPC messages are skipped, and the error response each
/// deserves (see the module docs) is handed to `reply`.
pub fn pump(
    input: &mut impl Buffered,
    deliver: impl FnMut(Message) -> bool,
    reply: impl FnMut(Value),
) -> io::Result<()> {
    pump_tracked(input, deliver, reply, &Reading::default())
}

fn pump_tracked(
    input: &mut impl Buffered,
    mut deliver: impl FnMut(Message) -> bool,
    mut reply: impl FnMut(Value),
    reading: &Reading,
) -> io::Result<()> {
    loop {
        if input.buffered().is_empty() {
            // Idle until the client writes again.
            reading.set(false);
            if input.fill_buf()?.is_empty() {
                return Ok(());
            }
        }
        reading.set(true);
        let Some(body) = read_frame(input)? else {
            return Ok(());
        };
        let msg: Message = match serde_json::from_slice(&body) {
            Ok(m) => m,
            Err(e) => {
                eprintln!(
                    "asl-lint lsp: ignoring a message that is not JSON-RPC ({e}): {}",
                    preview(&body)
                );
                if let Some(error) = error_response(&body) {
                    reply(error);
                }
                continue;
            }
        };
        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if !deliver(msg) || exit {
            return Ok(());
        }
    }
}

/// A `BufRead` whose buffered bytes can be seen without reading more.
pub trait Buffered: BufRead {
    fn buffered(&self) -> &[u8];
}

impl<R: Read> Buffered for BufReader<R> {
    fn buffered(&self) -> &[u8] {
        self.buffer()
    }
}

impl Buffered for &[u8] {
    fn buffered(&self) -> &[u8] {
        self
    }
}

/// The JSON-RPC error response to a body that is not a message: a parse
/// error when it is not JSON; an invalid request otherwise, carrying the
/// `id` when it is a number or a string. `None` for what looks like a
/// response (a client's answer is never answered).
pub fn error_response(body: &[u8]) -> Option<Value> {
    let (id, code, message) = match serde_json::from_slice::<Value>(body) {
        Err(e) => (Value::Null, PARSE_ERROR, format!("parse error: {e}")),
        Ok(v) => {
            if v.get("result").is_some() || v.get("error").is_some() {
                return None;
            }
            let id = match v.get("id") {
                Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
                _ => Value::Null,
            };
            let why = if !v.is_object() {
                "a message must be a JSON object (batches are not supported)".to_string()
            } else if !v.get("method").is_some_and(Value::is_string) {
                "`method` must be a string".to_string()
            } else {
                "it is not a JSON-RPC 2.0 request or notification".to_string()
            };
            (id, INVALID_REQUEST, format!("invalid request: {why}"))
        }
    };
    Some(json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    }))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// The first bytes of a body, for messages.
fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(120)]);
    let mut s: String = text.chars().filter(|c| !c.is_control()).collect();
    if body.len() > 120 {
        s.push('…');
    }
    s
}

/// One framed body; `None` at the end of input between messages.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err(invalid("the input ended inside a message header".into()))
            };
        }
        first = false;
        if line.len() > MAX_HEADER_LINE {
            return Err(invalid(format!(
                "a header line is longer than {MAX_HEADER_LINE} bytes"
            )));
        }
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(invalid(format!(
                "malformed header `{}`: lines end with CR LF",
                preview(&line)
            )));
        };
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(line);
        let Some((name, value)) = text.split_once(": ") else {
            return Err(invalid(format!("malformed header `{}`", preview(line))));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let n: usize = value.trim().parse().map_err(|_| {
                invalid(format!(
                    "`Content-Length: {}` is not a length",
                    preview(value.as_bytes())
                ))
            })?;
            if n > MAX_MESSAGE {
                return Err(invalid(format!(
                    "a message of {n} bytes is larger than the limit of {MAX_MESSAGE}"
                )));
            }
            length = Some(n);
        }
    }
    let Some(length) = length else {
        return Err(invalid("a message has no `Content-Length` header".into()));
    };
    // Grows with what arrives, not with what the header claims.
    let mut body = Vec::with_capacity(length.min(1 << 20));
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(invalid(format!(
            "the input ended after {} of the {length} bytes of a message",
            body.len()
        )));
    }
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Message>, io::Result<()>) {
        let mut got = Vec::new();
        let r = pump(
            &mut &input[..],
            |m| {
                got.push(m);
                true
            },
            |_| {},
        );
        (got, r)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_until_exit() {
        let input = frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#);
        let (got, r) = frames(input.as_bytes());
        assert!(r.is_ok());
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn skips_json_that_is_not_json_rpc() {
        let input =
            frame("{not json}") + &frame("[1,2]") + &frame(r#"{"jsonrpc":"2.0","method":"x"}"#);
        let (got, r) = frames(input.as_bytes());
        assert!(r.is_ok());
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn bodies_that_are_not_messages_are_answered() {
        let mut replies = Vec::new();
        let input = frame("{not json}")
            + &frame("[1,2]")
            + &frame(r#"{"jsonrpc":"2.0","id":7,"method":5}"#)
            + &frame(r#"{"jsonrpc":"2.0","id":"a","params":[]}"#)
            + &frame(r#"{"jsonrpc":"2.0","id":8,"error":"x"}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"x"}"#);
        let mut got = 0;
        pump(
            &mut input.as_bytes(),
            |_| {
                got += 1;
                true
            },
            |e| replies.push(e),
        )
        .unwrap();
        assert_eq!(got, 1);
        let summary: Vec<(Value, i64)> = replies
            .iter()
            .map(|r| {
                assert_eq!(r["jsonrpc"], "2.0");
                (r["id"].clone(), r["error"]["code"].as_i64().unwrap())
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (Value::Null, -32700),
                (Value::Null, -32600),
                (json!(7), -32600),
                (json!("a"), -32600),
            ]
        );
    }

    #[test]
    fn reading_is_busy_only_inside_a_message() {
        let reading = Reading::default();
        let input = frame(r#"{"jsonrpc":"2.0","method":"a"}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"b"}"#);
        let mut reader = BufReader::with_capacity(1 << 16, input.as_bytes());
        let mut seen = Vec::new();
        let r = pump_tracked(
            &mut reader,
            |_| {
                // The second message is already buffered when the first is
                // delivered; after the second, nothing is.
                seen.push(reading.mid_message());
                true
            },
            |_| {},
            &reading,
        );
        assert!(r.is_ok());
        assert_eq!(seen, [true, true]);
        assert!(!reading.mid_message());
    }

    #[test]
    fn framing_errors_end_the_input() {
        for bad in [
            "Content-Length: abc\r\n\r\n{}",
            "Content-Length: 100000000000\r\n\r\n{}",
            "Content-Length: 18446744073709551616\r\n\r\n{}",
            "Content-Length: 50\r\n\r\n{}",
            "hello\r\n\r\n",
            "Content-Type: x\r\n\r\n{}",
            "Content-Length: 2\n\n{}",
            "Content-Length: 2\r\n",
        ] {
            let (got, r) = frames(bad.as_bytes());
            assert!(got.is_empty(), "{bad:?}");
            assert!(r.is_err(), "{bad:?}");
        }
        let long = "X".repeat(MAX_HEADER_LINE * 4);
        assert!(frames(long.as_bytes()).1.is_err());
        assert!(frames(b"").1.is_ok());
    }
}
