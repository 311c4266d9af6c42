//! The language server under stress, over in-memory connections (and once
//! over real standard I/O): 10,000 rapid changes with requests and
//! cancellations in between, malformed messages, requests before
//! `initialize`, and a second round of the same load to check that memory
//! does not keep growing.

#[path = "../benches/gen/mod.rs"]
mod gen;

use asl_lint::settings::Settings;
use asl_lint::source::{Encoding, SourceFile};
use assert_cmd::cargo::cargo_bin_cmd;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

type RunResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

const TIMEOUT: Duration = Duration::from_secs(120);

/// The tests of this file run one at a time: the memory test reads the
/// whole process's RSS, which concurrent tests would disturb.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

struct Client {
    conn: Connection,
    server: Option<JoinHandle<RunResult>>,
    next_id: i32,
    pending: HashSet<RequestId>,
    responses: HashMap<RequestId, Response>,
    /// The last diagnostics published per URI: (version, diagnostics).
    published: HashMap<String, (Option<i64>, Value)>,
}

impl Client {
    /// A server that has not been initialized yet.
    fn raw() -> Client {
        let (client, server) = Connection::memory();
        let handle = std::thread::spawn(move || asl_lint::lsp::run(server));
        Client {
            conn: client,
            server: Some(handle),
            next_id: 0,
            pending: HashSet::new(),
            responses: HashMap::new(),
            published: HashMap::new(),
        }
    }

    fn start() -> Client {
        let mut c = Client::raw();
        let id = c.send("initialize", json!({ "capabilities": {} }));
        let r = c.wait(&id);
        assert!(r.response_result.is_ok(), "{r:?}");
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.pending.insert(id.clone());
        self.conn
            .sender
            .send(Request::new(id.clone(), method.to_string(), params).into())
            .expect("the server is up");
        id
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.to_string(), params).into())
            .expect("the server is up");
    }

    fn take(&mut self, msg: Message) {
        match msg {
            Message::Response(r) => {
                assert!(
                    self.pending.remove(&r.id),
                    "a response to an unknown or already answered request: {:?}",
                    r.id
                );
                self.responses.insert(r.id.clone(), r);
            }
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                let uri = n.params["uri"].as_str().unwrap_or_default().to_string();
                let version = n.params["version"].as_i64();
                self.published
                    .insert(uri, (version, n.params["diagnostics"].clone()));
            }
            Message::Notification(_) => {}
            Message::Request(r) => panic!("unexpected request from the server: {r:?}"),
        }
    }

    /// Reads messages until `id` is answered.
    fn wait(&mut self, id: &RequestId) -> Response {
        let deadline = Instant::now() + TIMEOUT;
        while !self.responses.contains_key(id) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(m) => self.take(m),
                Err(e) => panic!("no answer to {id:?}: {e}"),
            }
        }
        self.responses.remove(id).expect("present")
    }

    /// Reads messages until every request is answered.
    fn settle(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.pending.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(m) => self.take(m),
                Err(e) => panic!("{} requests unanswered: {e}", self.pending.len()),
            }
        }
        // Answered (once each, checked in `take`); nobody waits for these.
        self.responses.clear();
    }

    /// Reads messages until `uri` has diagnostics for `version`.
    fn wait_published(&mut self, uri: &str, version: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some((Some(v), d)) = self.published.get(uri) {
                if *v == version {
                    return d.clone();
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(m) => self.take(m),
                Err(e) => panic!("no diagnostics for {uri} version {version}: {e}"),
            }
        }
    }

    fn shutdown(mut self) {
        let id = self.send("shutdown", Value::Null);
        let r = self.wait(&id);
        assert!(r.response_result.is_ok());
        self.notify("exit", Value::Null);
        let result = self
            .server
            .take()
            .expect("running")
            .join()
            .expect("no panic");
        assert!(result.is_ok(), "{result:?}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(h) = self.server.take() {
            let _ = self
                .conn
                .sender
                .send(Notification::new("exit".into(), json!(null)).into());
            if !std::thread::panicking() {
                let _ = h.join();
            }
        }
    }
}

/// `(code, message, start line, start character)` of published diagnostics.
fn summary(published: &Value) -> Vec<(String, String, u64, u64)> {
    let mut v: Vec<_> = published
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
                d["range"]["start"]["character"]
                    .as_u64()
                    .unwrap_or(u64::MAX),
            )
        })
        .collect();
    v.sort();
    v
}

/// The same summary from linting `text` from scratch, in UTF-16 positions.
fn expected(path: &str, text: &str) -> Vec<(String, String, u64, u64)> {
    let file = SourceFile::new(path, text);
    let mut v: Vec<_> = asl_lint::lint_source(&file, &Settings::default())
        .iter()
        .map(|d| {
            let p = file.line_col(d.range.start(), Encoding::Utf16);
            (
                d.rule.name.to_string(),
                d.message.clone(),
                u64::from(p.line),
                u64::from(p.col),
            )
        })
        .collect();
    v.sort();
    v
}

/// An LSP position of byte `offset` in ASCII `text`.
fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": col })
}

/// One round of load on one document: `changes` edits (mostly ranged, some
/// full), a hover, completion or documentSymbol after every few, a
/// cancellation now and then, and malformed messages. Returns the final text.
fn load(c: &mut Client, uri: &str, base: &str, changes: usize) -> String {
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "asl", "version": 0, "text": base } }),
    );
    let mut text = base.to_string();
    // Edits change the digits of the machine's comment (`seed 7`), so the
    // text stays a definition and its length barely moves.
    let anchor = text.find("seed ").expect("generated comment") + 5;
    for i in 1..=changes {
        let version = i as i64;
        if i % 97 == 0 {
            // A full-text change back to the base.
            text = base.to_string();
            c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
            );
        } else {
            let digit = char::from(b'0' + (i % 10) as u8).to_string();
            let start = pos(&text, anchor);
            let end = pos(&text, anchor + 1);
            text.replace_range(anchor..anchor + 1, &digit);
            c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [{ "range": { "start": start, "end": end }, "text": digit }] }),
            );
        }
        let td = json!({ "uri": uri });
        match i % 50 {
            10 => {
                c.send(
                    "textDocument/hover",
                    json!({ "textDocument": td, "position": pos(&text, anchor) }),
                );
            }
            20 => {
                c.send(
                    "textDocument/completion",
                    json!({ "textDocument": td, "position": pos(&text, 1) }),
                );
            }
            30 => {
                c.send("textDocument/documentSymbol", json!({ "textDocument": td }));
            }
            40 => {
                // Cancel the request just sent: it is still answered (with a
                // result or an error), exactly once.
                let id = c.send("textDocument/foldingRange", json!({ "textDocument": td }));
                c.notify("$/cancelRequest", json!({ "id": id }));
            }
            _ => {}
        }
        if i % 500 == 0 {
            // Past the end of the document: a no-op change and a hover.
            c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [{ "range": { "start": { "line": 1_000_000, "character": 5 },
                                                        "end": { "line": 2_000_000, "character": 0 } },
                                             "text": "" }] }),
            );
            c.send(
                "textDocument/hover",
                json!({ "textDocument": td, "position": { "line": 4_000_000_000u64, "character": 4_000_000_000u64 } }),
            );
            // Wrong types, unknown methods, an invalid URI.
            c.send(
                "textDocument/hover",
                json!({ "textDocument": 7, "position": "here" }),
            );
            c.send("textDocument/completion", json!([1, 2, 3]));
            c.send("no/such/method", json!({}));
            c.send(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": "not a uri at all" } }),
            );
            c.notify("textDocument/didChange", json!({ "textDocument": "x" }));
            c.notify("textDocument/didOpen", json!(null));
        }
    }
    text
}

#[test]
fn ten_thousand_changes_with_requests_end_with_the_final_diagnostics() {
    let _serial = serial();
    let uri = "file:///stress/machine.asl.json";
    let base = gen::definition_text(&gen::Spec::new(40, gen::Lang::JsonPath, 7));
    let mut c = Client::start();
    let start = Instant::now();
    let text = load(&mut c, uri, &base, 10_000);
    c.settle();
    let final_version = 10_000;
    let published = c.wait_published(uri, final_version);
    assert_eq!(
        summary(&published),
        expected("/stress/machine.asl.json", &text)
    );
    // Hover on the document still answers.
    let id = c.send(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": pos(&text, text.find("\"Type\"").unwrap() + 2) }),
    );
    let r = c.wait(&id);
    assert!(r.response_result.is_ok_and(|v| !v.is_null()));
    eprintln!("10,000 changes and their requests: {:?}", start.elapsed());
    c.shutdown();
}

#[test]
fn malformed_messages_are_answered_and_the_server_stays_up() {
    let _serial = serial();
    let mut c = Client::start();
    let uri = "file:///stress/m.asl.json";
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "asl", "version": 1,
                                  "text": r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"# } }),
    );
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/prepareRename",
        "textDocument/rename",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/codeAction",
    ];
    let bad_params = [
        json!(null),
        json!(42),
        json!("text"),
        json!([]),
        json!({}),
        json!({ "textDocument": { "uri": 5 } }),
        json!({ "textDocument": { "uri": "::::" }, "position": { "line": 0, "character": 0 } }),
        json!({ "textDocument": { "uri": uri }, "position": { "line": -1, "character": 0 } }),
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1e300 } }),
    ];
    let mut ids = Vec::new();
    for m in methods {
        for p in &bad_params {
            ids.push((m, c.send(m, p.clone())));
        }
    }
    let unknown = c.send("workspace/symbol", json!({ "query": "" }));
    let weird = c.send("", json!({}));
    // Notifications that are malformed or unknown, and a response nobody asked for.
    for n in [
        "textDocument/didChange",
        "textDocument/didClose",
        "textDocument/didOpen",
        "$/setTrace",
        "nonsense",
    ] {
        c.notify(n, json!([1]));
    }
    c.conn
        .sender
        .send(Response::new_ok(RequestId::from(999_999), json!(null)).into())
        .expect("up");
    for id in [unknown, weird] {
        let r = c.wait(&id);
        assert_eq!(
            r.response_result.err().map(|e| e.code),
            Some(ErrorCode::MethodNotFound as i32)
        );
    }
    // Every other request is answered exactly once (`take` checks): a
    // result, null for an unknown document, or InvalidParams.
    assert_eq!(ids.len(), methods.len() * bad_params.len());
    c.settle();
    // Still serving the real document.
    let id = c.send(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let r = c.wait(&id);
    assert!(r
        .response_result
        .is_ok_and(|v| v.as_array().is_some_and(|a| !a.is_empty())));
    let id = c.send("no/such/method", json!({}));
    let r = c.wait(&id);
    assert_eq!(
        r.response_result.err().map(|e| e.code),
        Some(ErrorCode::MethodNotFound as i32)
    );
    c.shutdown();
}

#[test]
fn requests_before_initialize_are_refused_and_the_server_stays_up() {
    let _serial = serial();
    let mut c = Client::raw();
    let early = c.send("textDocument/hover", json!({ "textDocument": { "uri": "file:///x" }, "position": { "line": 0, "character": 0 } }));
    let r = c.wait(&early);
    assert_eq!(
        r.response_result.err().map(|e| e.code),
        Some(ErrorCode::ServerNotInitialized as i32)
    );
    let shutdown_early = c.send("shutdown", Value::Null);
    let r = c.wait(&shutdown_early);
    assert!(r.response_result.is_err());
    c.notify("textDocument/didOpen", json!({}));
    let id = c.send("initialize", json!({ "capabilities": {} }));
    assert!(c.wait(&id).response_result.is_ok());
    // A request before `initialized` is served, not fatal.
    let id = c.send(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///x.asl.json" } }),
    );
    assert!(c.wait(&id).response_result.is_ok());
    c.notify("initialized", json!({}));
    // A second initialize is an error, not a crash.
    let id = c.send("initialize", json!({ "capabilities": {} }));
    let _ = c.wait(&id);
    c.shutdown();
}

/// The resident set size of this process, in KiB (Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn memory_does_not_grow_with_repeated_load() {
    let _serial = serial();
    // Each round opens 20 documents of about 60 KB, changes each 250 times,
    // then closes them. The changes are single-character range edits, with
    // a full-text change every 97th (2 per document: about 2.5 MB of
    // full-text changes per round, besides the opened texts); the server builds every version's whole text
    // (5,000 versions, about 300 MB per round) and lints the latest after
    // each burst. If documents, texts or trees were kept, the second and
    // third rounds would add as much again.
    let base = gen::definition_text(&gen::Spec::new(60, gen::Lang::JsonPath, 7));
    assert!(
        (50_000..80_000).contains(&base.len()),
        "{} bytes",
        base.len()
    );
    let mut c = Client::start();
    let round = |c: &mut Client, r: usize| {
        for d in 0..20 {
            let uri = format!("file:///stress/round/doc{d}.asl.json");
            let text = load(c, &uri, &base, 250);
            c.settle();
            let _ = c.wait_published(&uri, 250);
            let _ = text;
            let _ = r;
        }
        for d in 0..20 {
            let uri = format!("file:///stress/round/doc{d}.asl.json");
            c.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri } }),
            );
        }
        // A closed document is forgotten: requests on it answer null.
        let id = c.send(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///stress/round/doc0.asl.json" } }),
        );
        let r = c.wait(&id);
        assert_eq!(r.response_result.ok(), Some(Value::Null));
    };
    round(&mut c, 0);
    let Some(after_first) = rss_kib() else {
        eprintln!("no /proc/self/status: not measuring memory");
        c.shutdown();
        return;
    };
    round(&mut c, 1);
    round(&mut c, 2);
    let after_third = rss_kib().unwrap_or(after_first);
    let growth = after_third.saturating_sub(after_first);
    eprintln!("RSS after round 1: {after_first} KiB, after round 3: {after_third} KiB");
    // Two more rounds made about 600 MB of text versions in the server; a
    // leak of one text in ten would add more than twice the bound. Allow
    // allocator slack (and other tests of this binary running at the same
    // time).
    assert!(
        growth < 16 * 1024,
        "RSS grew by {growth} KiB over two rounds"
    );
    c.shutdown();
}

// ------------------------------------------------------------ over stdio

fn frame(body: &str) -> Vec<u8> {
    let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body.as_bytes());
    v
}

#[test]
fn raw_malformed_bytes_over_stdio_end_or_are_reported_without_hanging() {
    let _serial = serial();
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("no header", b"hello there\r\n\r\n{}".to_vec()),
        (
            "bad Content-Length",
            b"Content-Length: abc\r\n\r\n{}".to_vec(),
        ),
        (
            "huge Content-Length",
            b"Content-Length: 100000000000\r\n\r\n{}".to_vec(),
        ),
        (
            "overflowing Content-Length",
            b"Content-Length: 99999999999999999999999999\r\n\r\n{}".to_vec(),
        ),
        (
            "short body",
            b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec(),
        ),
        ("LF only", b"Content-Length: 2\n\n{}".to_vec()),
        ("binary", (0..=255u8).cycle().take(10_000).collect()),
        ("endless header line", vec![b'A'; 100_000]),
        (
            "invalid JSON after initialize",
            [frame(init), frame("{not json"), frame("[]")].concat(),
        ),
        ("nothing", Vec::new()),
    ];
    for (what, input) in cases {
        let start = Instant::now();
        let out = cargo_bin_cmd!("asl-lint")
            .arg("lsp")
            .write_stdin(input)
            .timeout(Duration::from_secs(30))
            .output()
            .expect("runs");
        assert!(start.elapsed() < Duration::from_secs(30), "{what}: hung");
        // Ends by itself with a failure status (no `exit` was sent)…
        assert!(
            out.status.code().is_some_and(|c| c != 0),
            "{what}: {:?}",
            out.status
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        // … and says why, without a panic.
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert!(!stderr.trim().is_empty(), "{what}: nothing on stderr");
    }
    // Garbage between two good messages does not stop a session that goes on.
    let input = [
        frame(init),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame("{\"jsonrpc\":\"2.0\",\"method\":"),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    let out = cargo_bin_cmd!("asl-lint")
        .arg("lsp")
        .write_stdin(input)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not JSON-RPC"));
}

/// The bodies of the messages a server wrote to its standard output.
fn bodies(mut out: &[u8]) -> Vec<Value> {
    let mut v = Vec::new();
    while !out.is_empty() {
        let sep = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let header = std::str::from_utf8(&out[..sep]).unwrap();
        let n: usize = header
            .trim_start_matches("Content-Length: ")
            .parse()
            .unwrap();
        let body = &out[sep + 4..sep + 4 + n];
        v.push(serde_json::from_slice(body).unwrap());
        out = &out[sep + 4 + n..];
    }
    v
}

#[test]
fn parse_errors_and_invalid_requests_are_answered_over_stdio() {
    let _serial = serial();
    let input = [
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame("{not json"),
        frame(r#"{"jsonrpc":"2.0","id":5,"method":5}"#),
        frame(r#"[{"jsonrpc":"2.0","id":6,"method":"shutdown"}]"#),
        frame(
            r#"{"jsonrpc":"2.0","id":"again","method":"initialize","params":{"capabilities":{}}}"#,
        ),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    let out = cargo_bin_cmd!("asl-lint")
        .arg("lsp")
        .write_stdin(input)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let errors: Vec<(Value, i64)> = bodies(&out.stdout)
        .into_iter()
        .filter(|b| b.get("error").is_some())
        .map(|b| (b["id"].clone(), b["error"]["code"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (Value::Null, -32700),
            (json!(5), -32600),
            (Value::Null, -32600),
            (json!("again"), -32600),
        ]
    );
}

#[test]
fn a_burst_over_stdio_is_linted_a_few_times_only() {
    let _serial = serial();
    let uri = "file:///w/burst.asl.json";
    let text = |v: usize| {
        format!(
            r#"{{"Comment": "{}", "StartAt": "A", "States": {{"A": {{"Type": "Pass", "Next": "B{}"}}, "B": {{"Type": "Succeed"}}}}}}"#,
            "x".repeat(v % 50),
            if v % 2 == 0 { "" } else { "x" }
        )
    };
    let changes = 300;
    let mut input = vec![
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame(
            &json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
                "uri": uri, "languageId": "asl", "version": 1, "text": text(1)}}})
            .to_string(),
        ),
    ];
    for v in 2..=changes + 1 {
        input.push(frame(
            &json!({"jsonrpc":"2.0","method":"textDocument/didChange","params":{
                "textDocument": {"uri": uri, "version": v},
                "contentChanges": [{"text": text(v)}]}})
            .to_string(),
        ));
    }
    input.push(frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    input.push(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let out = cargo_bin_cmd!("asl-lint")
        .arg("lsp")
        .write_stdin(input.concat())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let published: Vec<Value> = bodies(&out.stdout)
        .into_iter()
        .filter(|b| b["method"] == "textDocument/publishDiagnostics")
        .collect();
    eprintln!(
        "{} publishes for {changes} changes over stdio",
        published.len()
    );
    assert!(
        !published.is_empty() && published.len() <= changes / 5,
        "{} publishes for {changes} changes",
        published.len()
    );
    let last = published.last().unwrap();
    assert_eq!(last["params"]["version"], changes as u64 + 1);
    // The last version is odd: `Next` names a missing state.
    assert!(
        last["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "missing-transition-target"),
        "{last}"
    );
}
