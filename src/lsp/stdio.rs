//! The stdio transport of `asl-lint lsp`: `Content-Length` framed JSON-RPC
//! over standard input and output, feeding a [`Connection`].
//!
//! lsp-server has one, but it trusts the client: it allocates (and zeroes)
//! the announced `Content-Length` before reading the body, so a header
//! claiming 100 GB aborts the process, and a message that is JSON but not
//! JSON-RPC ends the session. Here the body buffer grows only with the bytes
//! that actually arrive, a message may be at most [`MAX_MESSAGE`] bytes and a
//! header line at most [`MAX_HEADER_LINE`], and a well-framed body that is
//! not a JSON-RPC message is reported on standard error and skipped. A
//! framing error (a malformed header, a missing or bad `Content-Length`, end
//! of input inside a message) cannot be recovered from: it is reported and
//! the input is closed, which ends the server.

use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

/// The largest message accepted: four times the CLI's default file-size
/// limit, room for a large definition JSON-escaped inside a `didChange`.
pub const MAX_MESSAGE: usize = 256 << 20;

/// The longest header line accepted.
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// The transport's threads.
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
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
    let reader = thread::Builder::new()
        .name("asl-lint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            let result = pump(&mut input, |msg| to_server.send(msg).is_ok());
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
            let mut out = stdout.lock();
            for msg in from_server {
                msg.write(&mut out)?;
                out.flush()?;
            }
            Ok(())
        })
        .expect("spawning a thread");
    (server, IoThreads { reader, writer })
}

/// Reads messages from `input` and hands each to `deliver` until `exit`, the
/// end of input, a framing error or `deliver` returning false.
pub fn pump(input: &mut impl BufRead, mut deliver: impl FnMut(Message) -> bool) -> io::Result<()> {
    loop {
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
                continue;
            }
        };
        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if !deliver(msg) || exit {
            return Ok(());
        }
    }
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
        let r = pump(&mut &input[..], |m| {
            got.push(m);
            true
        });
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
