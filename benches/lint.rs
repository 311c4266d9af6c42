//! Benchmarks: `cargo bench --bench lint` (divan; pass a filter to run a
//! subset, e.g. `cargo bench --bench lint -- lint_jsonpath`).
//!
//! - `lint_*`: the whole pipeline on one generated definition of 100, 1,000
//!   and 10,000 states, from bytes (UTF-8 check, line index, parse, schema,
//!   model, every rule, sorting). The throughput column is states per
//!   second; the time per state is the median divided by the size.
//! - `serde_value`: `serde_json::from_slice::<Value>` on the same text, "the
//!   physical limit" a linter is compared with. `parse_tree`: asl-lint's own
//!   spanned parser alone.
//! - `lsp_relint`: the language server after an edit: a `didChange` (full
//!   text, as the server asks for) sent over an in-memory connection, timed
//!   until the `publishDiagnostics` of that version arrives. The server waits
//!   up to 5 ms after a change for more keystrokes before linting; that wait
//!   is part of the figure.

#[path = "gen/mod.rs"]
mod gen;

use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use divan::counter::ItemsCount;
use divan::Bencher;
use gen::{Lang, Spec};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;
use std::time::Duration;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn text(states: usize, lang: Lang) -> String {
    gen::definition_text(&Spec::new(states, lang, 7))
}

fn lint_text(b: Bencher, states: usize, path: &str, text: String) {
    let settings = Settings::default();
    let bytes = text.into_bytes();
    // Warm up the schema (compiled once per process) outside the timing.
    let first = lint_bytes(path, &bytes, &settings, Selection::Always).expect("linted");
    // Clean, except that 10,000 states are more than the 1 MB AWS accepts.
    let unexpected: Vec<&str> = first
        .diagnostics
        .iter()
        .map(|d| d.rule.name)
        .filter(|&r| r != "definition-too-large")
        .collect();
    assert!(
        unexpected.is_empty(),
        "generated definitions are clean: {unexpected:?}"
    );
    b.counter(ItemsCount::new(states))
        .bench(|| lint_bytes(path, &bytes, &settings, Selection::Always));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn lint_jsonpath(b: Bencher, states: usize) {
    lint_text(b, states, "bench.asl.json", text(states, Lang::JsonPath));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn lint_jsonata(b: Bencher, states: usize) {
    lint_text(b, states, "bench.asl.json", text(states, Lang::Jsonata));
}

#[divan::bench(args = [100, 1_000], sample_count = 20)]
fn lint_yaml(b: Bencher, states: usize) {
    let def = gen::definition(&Spec::new(states, Lang::JsonPath, 7));
    lint_text(b, states, "bench.asl.yaml", gen::to_yaml(&def));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn serde_value(b: Bencher, states: usize) {
    let bytes = text(states, Lang::JsonPath).into_bytes();
    b.counter(ItemsCount::new(states))
        .bench(|| serde_json::from_slice::<serde_json::Value>(&bytes).expect("valid JSON"));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn parse_tree(b: Bencher, states: usize) {
    let t = text(states, Lang::JsonPath);
    b.counter(ItemsCount::new(states))
        .bench(|| asl_lint::syntax::json::parse(&t));
}

/// A language server on an in-memory connection, initialized, with one
/// document open.
struct Server {
    conn: Connection,
    thread: Option<std::thread::JoinHandle<()>>,
    uri: String,
    version: i32,
}

impl Server {
    fn start(text: &str) -> Server {
        let (client, server) = Connection::memory();
        let thread = std::thread::spawn(move || {
            let _ = asl_lint::lsp::run(server);
        });
        let init = Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        );
        client.sender.send(init.into()).expect("send");
        loop {
            match client.receiver.recv_timeout(Duration::from_secs(30)) {
                Ok(Message::Response(_)) => break,
                Ok(_) => {}
                Err(e) => panic!("no initialize response: {e}"),
            }
        }
        let s = Server {
            conn: client,
            thread: Some(thread),
            uri: "file:///bench/machine.asl.json".into(),
            version: 1,
        };
        s.notify("initialized", json!({}));
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": s.uri, "languageId": "asl", "version": 1, "text": text } }),
        );
        s.wait_publish(1);
        s
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .expect("send");
    }

    fn wait_publish(&self, version: i32) -> usize {
        loop {
            match self.conn.receiver.recv_timeout(Duration::from_secs(60)) {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics"
                        && n.params["version"] == version =>
                {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for version {version}: {e}"),
            }
        }
    }

    /// Replaces the text and waits until its diagnostics are published.
    fn edit(&mut self, text: &str) -> usize {
        self.version += 1;
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri, "version": self.version },
                "contentChanges": [{ "text": text }],
            }),
        );
        self.wait_publish(self.version)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self
            .conn
            .sender
            .send(Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into());
        let _ = self
            .conn
            .sender
            .send(Notification::new("exit".into(), json!(null)).into());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[divan::bench(args = [1_000, 5_000], sample_count = 20)]
fn lsp_relint(b: Bencher, states: usize) {
    let original = text(states, Lang::JsonPath);
    // An edit as a user makes it: one character of a comment changes.
    let edited = original.replacen("generated definition", "generated definitioN", 1);
    let mut server = Server::start(&original);
    let mut flip = false;
    b.counter(ItemsCount::new(states)).bench_local(|| {
        flip = !flip;
        server.edit(if flip { &edited } else { &original })
    });
}
