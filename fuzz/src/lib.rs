//! Helpers shared by the fuzz targets in `src/bin/`.
//!
//! Every target checks one thing: no input makes asl-lint panic (or hang).
//! Run one with `cargo fuzz run -s none TARGET` from the repository root, or
//! all of them for a bounded time with `fuzz/run.sh SECONDS`.

use asl_lint::lint::FileReport;
use asl_lint::output::{concise, human, json};
use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Lints `data` as a file named `path` and renders the findings in every
/// output format (renderers turn ranges into lines and columns: a range
/// that does not fit the text must not panic there either).
pub fn lint_and_render(path: &str, data: &[u8]) {
    let settings = Settings::default();
    let Some(report) = lint_bytes(path, data, &settings, Selection::Always) else {
        return;
    };
    check_report(&report);
    let _ = concise::render(&report, true);
    let _ = human::render(&report, &human::Options::plain(80));
    let _ = json::render(std::slice::from_ref(&report));
}

/// Invariants of every report: ranges inside the text, on character
/// boundaries, sorted output.
fn check_report(report: &FileReport) {
    let Some(file) = &report.source else { return };
    let text = &file.text;
    for d in &report.diagnostics {
        let ranges = std::iter::once(d.range).chain(d.related.iter().map(|r| r.range));
        for r in ranges {
            assert!(r.start() <= r.end(), "{d:?}");
            assert!(r.end() <= text.len(), "range past the end: {d:?}");
            assert!(
                text.is_char_boundary(r.start()) && text.is_char_boundary(r.end()),
                "range inside a character: {d:?}"
            );
        }
    }
    let keys: Vec<_> = report.diagnostics.iter().map(|d| d.sort_key()).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "findings not sorted");
}

/// Reads fuzz bytes as a little program.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    /// A small number, now and then a huge one.
    pub fn number(&mut self) -> u32 {
        match self.byte() {
            255 => u32::MAX,
            254 => 1 << 20,
            b => u32::from(b % 64),
        }
    }
    /// Up to 255 bytes as (lossy) text.
    pub fn text(&mut self) -> String {
        let n = usize::from(self.byte()).min(self.data.len());
        let (t, rest) = self.data.split_at(n);
        self.data = rest;
        String::from_utf8_lossy(t).into_owned()
    }
}

/// The client side of a session: sends messages, remembers request ids.
struct Client {
    conn: Connection,
    next_id: i32,
    ids: HashSet<RequestId>,
}

impl Client {
    fn request(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.ids.insert(id.clone());
        let _ = self
            .conn
            .sender
            .send(Request::new(id, method.to_string(), params).into());
    }
    fn notify(&self, method: &str, params: Value) {
        let _ = self
            .conn
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }
}

/// Seed texts the session starts from and edits.
const SEEDS: [&str; 4] = [
    r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"x.$":"$.a","y.$":"States.Format('{}', $$.Execution.Id)"},"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.v","StringEquals":"x","Next":"P"}],"Default":"F"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Next":"M"},"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}},"End":true},"F":{"Type":"Fail","Error":"E"}}}"#,
    "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B: &b\n    Type: Succeed\n  C: *b\n",
    "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"Ü\",\"States\":{\"Ü\":{\"Type\":\"Pass\",\"Output\":\"{% $states.input %}\",\"Assign\":{\"v\":1},\"End\":true}}}",
    "",
];

const URIS: [(&str, &str); 4] = [
    ("file:///w/a.asl.json", "asl"),
    ("file:///w/b.asl.yaml", "asl-yaml"),
    ("untitled:Untitled-1", "json"),
    ("file:///w/%C3%BC%20x.json", "json"),
];

/// Runs a language server session decoded from `data`: opens, edits and
/// closes documents and sends every kind of request, some malformed. Checks
/// that the server ends normally and answers every request exactly once.
pub fn lsp_session(data: &[u8]) {
    let mut b = Bytes::new(data);
    let (client, server) = Connection::memory();
    let handle = std::thread::spawn(move || asl_lint::lsp::run(server));
    let mut c = Client {
        conn: client,
        next_id: 0,
        ids: HashSet::new(),
    };
    let utf8 = b.byte() % 2 == 0;
    let caps = if utf8 {
        json!({ "general": { "positionEncodings": ["utf-8"] } })
    } else {
        json!({})
    };
    c.request("initialize", json!({ "capabilities": caps }));
    c.notify("initialized", json!({}));
    let mut versions = [0i32; URIS.len()];
    let mut steps = 0;
    while !b.is_empty() && steps < 64 {
        steps += 1;
        let op = b.byte();
        let doc = usize::from(b.byte()) % URIS.len();
        let (uri, lang) = URIS[doc];
        versions[doc] += 1;
        let version = versions[doc];
        let pos = |b: &mut Bytes| json!({ "line": b.number(), "character": b.number() });
        let td = json!({ "uri": uri });
        match op % 18 {
            0 => {
                let seed = SEEDS[usize::from(b.byte()) % SEEDS.len()];
                let mut text = seed.to_string();
                let extra = b.text();
                let at = (usize::from(b.byte()) * 7).min(text.len());
                let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
                text.insert_str(at, &extra);
                c.notify(
                    "textDocument/didOpen",
                    json!({ "textDocument": { "uri": uri, "languageId": lang, "version": version, "text": text } }),
                );
            }
            1 => c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [{ "text": b.text() }] }),
            ),
            2 | 3 | 4 => {
                let start = pos(&mut b);
                let end = pos(&mut b);
                c.notify(
                    "textDocument/didChange",
                    json!({ "textDocument": { "uri": uri, "version": version },
                            "contentChanges": [{ "range": { "start": start, "end": end }, "text": b.text() }] }),
                );
            }
            5 => c.request("textDocument/hover", json!({ "textDocument": td, "position": pos(&mut b) })),
            6 => c.request("textDocument/completion", json!({ "textDocument": td, "position": pos(&mut b) })),
            7 => c.request("textDocument/definition", json!({ "textDocument": td, "position": pos(&mut b) })),
            8 => c.request(
                "textDocument/references",
                json!({ "textDocument": td, "position": pos(&mut b), "context": { "includeDeclaration": b.byte() % 2 == 0 } }),
            ),
            9 => c.request("textDocument/prepareRename", json!({ "textDocument": td, "position": pos(&mut b) })),
            10 => c.request(
                "textDocument/rename",
                json!({ "textDocument": td, "position": pos(&mut b), "newName": b.text() }),
            ),
            11 => c.request("textDocument/documentSymbol", json!({ "textDocument": td })),
            12 => c.request("textDocument/foldingRange", json!({ "textDocument": td })),
            13 => {
                let start = pos(&mut b);
                let end = pos(&mut b);
                c.request(
                    "textDocument/codeAction",
                    json!({ "textDocument": td, "range": { "start": start, "end": end }, "context": { "diagnostics": [] } }),
                );
            }
            14 => c.notify("textDocument/didClose", json!({ "textDocument": td })),
            15 => c.notify("$/cancelRequest", json!({ "id": c.next_id })),
            16 => {
                // Structurally wrong: params of the wrong type, unknown methods.
                let method = match b.byte() % 4 {
                    0 => "textDocument/hover",
                    1 => "textDocument/rename",
                    2 => "workspace/executeCommand",
                    _ => "no/such/method",
                };
                c.request(method, json!([b.number(), null]));
            }
            _ => c.notify("workspace/didChangeConfiguration", json!({ "settings": {} })),
        }
    }
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    // Nothing more will be sent: the server must not wait for more input.
    let Client { conn, ids, .. } = c;
    let Connection { sender, receiver } = conn;
    drop(sender);
    let result = handle.join().expect("the server thread panicked");
    assert!(
        result.is_ok(),
        "the server did not end normally: {result:?}"
    );
    let mut answered: HashSet<RequestId> = HashSet::new();
    for msg in receiver.try_iter() {
        if let Message::Response(r) = msg {
            assert!(answered.insert(r.id.clone()), "answered twice: {:?}", r.id);
            assert!(
                ids.contains(&r.id),
                "answer to an unknown request {:?}",
                r.id
            );
        }
    }
    assert_eq!(answered.len(), ids.len(), "some requests got no answer");
}
