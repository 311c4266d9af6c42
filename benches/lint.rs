//! Benchmarks: `cargo bench --bench lint` (divan; pass a filter to run a
//! subset, e.g. `cargo bench --bench lint -- lint_jsonpath`).
//!
//! - `lint_*`: the whole pipeline on one generated definition of 100, 1,000
//!   and 10,000 states, from bytes (UTF-8 check, line index, parse, schema,
//!   model, every rule, sorting). The throughput column is states per
//!   second; the time per state is the median divided by the size.
//! - `serde_value`: `serde_json::from_slice::<Value>` on the same text, "the
//!   physical limit" a linter is compared with. `parse_tree`: asl-lint's own
//!   spanned parser alone. Both also at 5,000 states, the size of the
//!   language-server benchmark.
//! - `lsp_relint`: the language server after an edit: a `didChange` (full
//!   text, as the server asks for) sent over an in-memory connection, timed
//!   until the `publishDiagnostics` of that version arrives. The server waits
//!   for more keystrokes only while its stdio reader is in the middle of a
//!   message, which never happens over this in-memory connection.
//!
//! `python3 benches/lsp_ratio.py` runs `parse_tree`, `serde_value` and
//! `lsp_relint` and prints the re-lint / parse ratios at 1,000 and 5,000
//! states against their targets. The generated definitions are clean
//! (`lint_text` asserts it before timing; `tests/bench_gen.rs` checks the
//! same in `cargo test`).

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

/// The allocator the `asl-lint` binary uses (src/main.rs), so that every
/// figure here, the serde_json limit included, is taken with it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [100, 1_000, 10_000];
/// The sizes of the lint benchmarks and the 5,000 states of `lsp_relint`.
const PARSE_SIZES: [usize; 4] = [100, 1_000, 5_000, 10_000];

fn text(states: usize, lang: Lang) -> String {
    gen::definition_text(&Spec::new(states, lang, 7))
}

fn lint_text(b: Bencher, states: usize, path: &str, text: String) {
    let settings = Settings::default();
    let bytes = text.into_bytes();
    // Warm up the schema (compiled once per process) outside the timing.
    let first = lint_bytes(path, &bytes, &settings, Selection::Always).expect("linted");
    // Clean, except that 10,000 states are more than the 1 MiB AWS accepts.
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

#[divan::bench(args = PARSE_SIZES, sample_count = 20)]
fn serde_value(b: Bencher, states: usize) {
    let bytes = text(states, Lang::JsonPath).into_bytes();
    b.counter(ItemsCount::new(states))
        .bench(|| serde_json::from_slice::<serde_json::Value>(&bytes).expect("valid JSON"));
}

#[divan::bench(args = PARSE_SIZES, sample_count = 20)]
fn parse_tree(b: Bencher, states: usize) {
    let t = text(states, Lang::JsonPath);
    b.counter(ItemsCount::new(states))
        .bench(|| asl_lint::syntax::json::parse(&t));
}

/// The published rule names of a generated text of `len` bytes: none, or
/// only `definition-too-large` above the 1 MiB AWS accepts (5,000 states
/// are about 5 MB).
fn assert_clean(published: &[String], len: usize) {
    let expected: &[&str] = if len > 1 << 20 {
        &["definition-too-large"]
    } else {
        &[]
    };
    assert_eq!(published, expected, "the generated text is clean");
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
        assert_clean(&s.wait_publish(1), text.len());
        s
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .expect("send");
    }

    /// The rule names of the diagnostics published for `version`.
    fn wait_publish(&self, version: i32) -> Vec<String> {
        loop {
            match self.conn.receiver.recv_timeout(Duration::from_secs(60)) {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics"
                        && n.params["version"] == version =>
                {
                    let diagnostics = n.params["diagnostics"].as_array().cloned();
                    return diagnostics
                        .unwrap_or_default()
                        .iter()
                        .map(|d| d["code"].as_str().unwrap_or("").to_string())
                        .collect();
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for version {version}: {e}"),
            }
        }
    }

    /// Replaces the text and waits until its diagnostics are published.
    fn edit(&mut self, text: &str) -> Vec<String> {
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
    // Clean before and after the edit: the figure is linting, not reporting.
    assert_clean(&server.edit(&edited), edited.len());
    // Every timed edit changes the text: original, edited, original, …
    let mut flip = true;
    b.counter(ItemsCount::new(states)).bench_local(|| {
        flip = !flip;
        server.edit(if flip { &edited } else { &original })
    });
}
