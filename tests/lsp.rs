//! The language server end to end, over an in-memory connection: a client
//! thread talks JSON-RPC messages to `asl_lint::lsp::run` on another thread.

use asl_lint::syntax::{self, Format};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Duration;

type RunResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    conn: Connection,
    server: Option<JoinHandle<RunResult>>,
    next_id: i32,
    /// Notifications received while waiting for responses.
    notes: VecDeque<Notification>,
    /// The negotiated encoding: "utf-8" or "utf-16".
    encoding: String,
    /// `client/registerCapability` requests the server sent (answered).
    registrations: Vec<Value>,
}

impl Client {
    /// Starts a server and initializes it offering `encodings`.
    fn start(encodings: Option<&[&str]>) -> Client {
        let mut caps = json!({});
        if let Some(e) = encodings {
            caps = json!({ "general": { "positionEncodings": e } });
        }
        Client::start_with(json!({ "processId": null, "rootUri": null, "capabilities": caps }))
    }

    /// Starts a server and initializes it with `init` as the params.
    fn start_with(init: Value) -> Client {
        let (client, server) = Connection::memory();
        let handle = std::thread::spawn(move || asl_lint::lsp::run(server));
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next_id: 0,
            notes: VecDeque::new(),
            encoding: String::new(),
            registrations: Vec::new(),
        };
        let resp = c.request("initialize", init);
        let result = resp.response_result.expect("initialize failed");
        c.encoding = result["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(result["serverInfo"]["name"], "asl-lint");
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.to_string(), params).into())
            .unwrap();
    }

    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.to_string(), params).into())
            .unwrap();
        id
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.wait_response(id)
    }

    fn wait_response(&mut self, id: RequestId) -> Response {
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT) {
                Ok(Message::Response(r)) if r.id == id => return r,
                Ok(Message::Response(r)) => panic!("unexpected response {r:?}"),
                Ok(Message::Notification(n)) => self.notes.push_back(n),
                Ok(Message::Request(r)) => self.answer(r),
                Err(e) => panic!("no response to {id}: {e}"),
            }
        }
    }

    /// The result of a request that must succeed.
    fn ok(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        match r.response_result {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    /// The next `publishDiagnostics` for `uri` (buffered or awaited).
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self
            .notes
            .iter()
            .position(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
        {
            return self.notes.remove(i).unwrap().params;
        }
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT) {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
                {
                    return n.params
                }
                Ok(Message::Notification(n)) => self.notes.push_back(n),
                Ok(Message::Request(r)) => self.answer(r),
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => panic!("no diagnostics for {uri}: {e}"),
            }
        }
    }

    /// Answers a request from the server: only registrations are expected.
    fn answer(&mut self, r: Request) {
        assert_eq!(r.method, "client/registerCapability", "unexpected {r:?}");
        self.registrations.push(r.params);
        self.conn
            .sender
            .send(Response::new_ok(r.id, Value::Null).into())
            .unwrap();
    }

    /// The next notification of `method` (buffered or awaited).
    fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.notes.iter().position(|n| n.method == method) {
            return self.notes.remove(i).unwrap().params;
        }
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT) {
                Ok(Message::Notification(n)) if n.method == method => return n.params,
                Ok(Message::Notification(n)) => self.notes.push_back(n),
                Ok(Message::Request(r)) => self.answer(r),
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => panic!("no {method}: {e}"),
            }
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [ { "text": text } ],
            }),
        );
    }

    /// The LSP position of byte `offset` under the negotiated encoding,
    /// counted independently of the server's code.
    fn pos(&self, text: &str, offset: usize) -> Value {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let seg = &text[line_start..offset];
        let character = if self.encoding == "utf-8" {
            seg.len()
        } else {
            seg.encode_utf16().count()
        };
        json!({ "line": line, "character": character })
    }

    /// The position of the `nth` occurrence of `needle`, plus `delta` bytes.
    fn pos_of(&self, text: &str, needle: &str, nth: usize, delta: usize) -> Value {
        let offset = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle} #{nth} not found"))
            .0;
        self.pos(text, offset + delta)
    }

    /// The byte offset of an LSP position (for applying edits).
    fn offset(&self, text: &str, pos: &Value) -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let mut character = pos["character"].as_u64().unwrap() as usize;
        let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
        let mut at = start;
        for ch in text[start..].chars() {
            if character == 0 || ch == '\n' {
                break;
            }
            let w = if self.encoding == "utf-8" {
                ch.len_utf8()
            } else {
                ch.len_utf16()
            };
            character -= w;
            at += ch.len_utf8();
        }
        at
    }

    fn td_pos(&self, uri: &str, text: &str, needle: &str, nth: usize, delta: usize) -> Value {
        json!({ "textDocument": { "uri": uri }, "position": self.pos_of(text, needle, nth, delta) })
    }

    fn shutdown_and_exit(mut self) -> RunResult {
        let r = self.request("shutdown", Value::Null);
        assert!(r.response_result.is_ok());
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(h) = self.server.take() {
            // Let the server thread finish; ignore its result.
            let _ = self
                .conn
                .sender
                .send(Notification::new("exit".into(), Value::Null).into());
            let _ = h.join();
        }
    }
}

/// Applies LSP text edits (non-overlapping) to `text`.
fn apply_edits(c: &Client, text: &str, edits: &[Value]) -> String {
    let mut e: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                c.offset(text, &e["range"]["start"]),
                c.offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    e.sort_by_key(|x| std::cmp::Reverse(x.0));
    let mut out = text.to_string();
    for (s, end, t) in e {
        out.replace_range(s..end, &t);
    }
    out
}

const URI: &str = "file:///work/d%C3%AEr%20x/flow%23%E7%8A%B6.asl.json";

/// Non-ASCII state names, a nested branch, and a duplicate key after an
/// emoji on the same line.
const DOC: &str = r#"{
  "Comment": "Ünïcode 😀 demo",
  "StartAt": "Ünïcode 😀",
  "States": {
    "Ünïcode 😀": { "Type": "Pass", "Next": "漢字" },
    "漢字": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Inner", "States": { "Inner": { "Type": "Succeed" } } }
      ],
      "Next": "Fin 🎉"
    },
    "Fin 🎉": { "Type": "Succeed", "Comment": "é", "Type": "Succeed" }
  }
}
"#;

fn dup_offset(text: &str) -> usize {
    text.rfind("\"Type\"").unwrap()
}

fn check_initialize_and_diagnostics(encodings: Option<&[&str]>, expected: &str) {
    let mut c = Client::start(encodings);
    assert_eq!(c.encoding, expected);
    c.open(URI, "asl", DOC);
    let p = c.diagnostics(URI);
    assert_eq!(p["version"], 1);
    let diags = p["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "duplicate-key");
    assert_eq!(d["source"], "asl-lint");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#duplicate-key"));
    let at = dup_offset(DOC);
    assert_eq!(d["range"]["start"], c.pos(DOC, at));
    assert_eq!(d["range"]["end"], c.pos(DOC, at + "\"Type\"".len()));
    let rel = &d["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], URI);
    assert_eq!(
        rel["location"]["range"]["start"],
        c.pos_of(DOC, "\"Type\": \"Succeed\"", 1, 0)
    );
    c.shutdown_and_exit().unwrap();
}

#[test]
fn utf16_client_gets_utf16_ranges() {
    check_initialize_and_diagnostics(Some(&["utf-16"]), "utf-16");
}

#[test]
fn utf8_client_gets_utf8_ranges() {
    check_initialize_and_diagnostics(Some(&["utf-8", "utf-16"]), "utf-8");
}

#[test]
fn client_without_encodings_gets_utf16() {
    check_initialize_and_diagnostics(None, "utf-16");
}

#[test]
fn change_and_close_update_diagnostics() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    assert_eq!(
        c.diagnostics(URI)["diagnostics"].as_array().unwrap().len(),
        1
    );

    let fixed = DOC.replace(", \"Type\": \"Succeed\" }", " }");
    c.change(URI, 2, &fixed);
    let p = c.diagnostics(URI);
    assert_eq!(p["version"], 2);
    assert_eq!(p["diagnostics"], json!([]));

    // A syntax error: a missing comma before a CJK key.
    let broken = fixed.replace("\"Next\": \"漢字\" },", "\"Next\": \"漢字\" }");
    c.change(URI, 3, &broken);
    let p = c.diagnostics(URI);
    assert_eq!(p["version"], 3);
    let d = &p["diagnostics"][0];
    assert_eq!(d["code"], "syntax-error");
    eprintln!("{d}");
    assert_eq!(d["range"]["start"], c.pos_of(&broken, "\"漢字\": {", 0, 0));

    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    let p = c.diagnostics(URI);
    assert_eq!(p["diagnostics"], json!([]));
    c.shutdown_and_exit().unwrap();
}

#[test]
fn non_asl_json_gets_nothing() {
    let mut c = Client::start(None);
    let uri = "file:///w/package.json";
    c.open(uri, "json", r#"{ "name": "x", "States": 1 }"#);
    // Sniffed by content: a machine in a plain .json file is linted.
    let sniffed = "file:///w/machine.json";
    c.open(
        sniffed,
        "json",
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }"#,
    );
    let p = c.diagnostics(sniffed);
    assert_eq!(p["diagnostics"], json!([]));
    // Requests on the non-ASL document answer null, and nothing was
    // published for it before the answer.
    let r = c.ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(r, Value::Null);
    assert!(
        !c.notes.iter().any(|n| n.params["uri"] == uri),
        "{:?}",
        c.notes
    );
    c.shutdown_and_exit().unwrap();
}

#[test]
fn hover_on_states_fields_and_diagnostics() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    c.diagnostics(URI);

    // On a state key: type, where it goes, what reaches it.
    let h = c.ok(
        "textDocument/hover",
        c.td_pos(URI, DOC, "\"漢字\": {", 0, 4),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("**`漢字`**: Parallel state"), "{v}");
    assert!(v.contains("Goes to: `Fin 🎉` (Next)"), "{v}");
    assert!(v.contains("Reached from: `Ünïcode 😀` (Next)"), "{v}");
    assert_eq!(h["range"]["start"], c.pos_of(DOC, "\"漢字\": {", 0, 0));

    // On a transition target.
    let h = c.ok("textDocument/hover", c.td_pos(URI, DOC, "\"Fin 🎉\"", 0, 3));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("Succeed state") && v.contains("Reached from: `漢字` (Next)"),
        "{v}"
    );

    // On StartAt's value.
    let h = c.ok(
        "textDocument/hover",
        c.td_pos(URI, DOC, "\"Ünïcode 😀\"", 0, 1),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("Reached from: `StartAt`"), "{v}");

    // On a field key.
    let h = c.ok(
        "textDocument/hover",
        c.td_pos(URI, DOC, "\"Branches\"", 0, 1),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("**`Branches`**"), "{v}");

    // On the diagnostic: the rule and its docs link.
    let at = dup_offset(DOC);
    let h = c.ok(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": c.pos(DOC, at + 2) }),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("`duplicate-key` (ASL002)"), "{v}");
    assert!(v.contains("#duplicate-key)"), "{v}");

    // Nothing under whitespace.
    let h = c.ok(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(h.is_null() || h["contents"]["value"].as_str().is_some());
    c.shutdown_and_exit().unwrap();
}

fn labels(v: &Value) -> Vec<String> {
    let items = if v.is_array() { v } else { &v["items"] };
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_state_names_fields_and_values() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    c.diagnostics(URI);

    // In a valid document: names of the same scope, not the branch's.
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, DOC, "\"Next\": \"漢字", 0, 9),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"漢字".to_string()) && l.contains(&"Fin 🎉".to_string()),
        "{l:?}"
    );
    assert!(!l.contains(&"Inner".to_string()), "{l:?}");
    // The edit replaces what was typed inside the quotes.
    let item = &r
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Fin 🎉")
        .unwrap();
    assert_eq!(
        item["textEdit"]["range"]["start"],
        c.pos_of(DOC, "\"Next\": \"漢字", 0, 9)
    );
    assert_eq!(item["textEdit"]["newText"], "Fin 🎉");

    // While typing: the text does not parse.
    let typing = DOC.replace("\"Next\": \"漢字\" }", "\"Next\": \"");
    let typing = &typing[..typing.find("\"Next\": \"").unwrap() + 9];
    let typing = format!("{typing}\n");
    c.change(URI, 2, &typing);
    let p = c.diagnostics(URI);
    assert_eq!(p["diagnostics"][0]["code"], "syntax-error");
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, &typing, "\"Next\": \"", 0, 9),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"漢字".to_string()) && l.contains(&"Fin 🎉".to_string()),
        "{l:?}"
    );
    // Names come from the last tree that parsed; without one, from the text.
    let fresh = "file:///w/fresh.asl.json";
    let text =
        "{\"StartAt\": \"\", \"States\": {\"Z\": {}, \"É\": {\"Type\": \"Task\", \"Next\": \"\n}}}";
    c.open(fresh, "asl", text);
    c.diagnostics(fresh);
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(fresh, text, "\"Next\": \"", 0, 9),
    );
    assert_eq!(labels(&r), vec!["Z".to_string()]);

    // Keys of a Task state (JSONPath), without those already present.
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(fresh, text, "\"Type\"", 0, 1),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"Resource".to_string()) && l.contains(&"Parameters".to_string()),
        "{l:?}"
    );
    assert!(
        !l.contains(&"Next".to_string()) && !l.contains(&"Arguments".to_string()),
        "{l:?}"
    );

    // Enum values and error names.
    let t = r#"{"StartAt":"A","States":{"A":{"Type":"Ta","Retry":[{"ErrorEquals":["States."]}],"Resource":"arn"}}}"#;
    let u = "file:///w/values.asl.json";
    c.open(u, "asl", t);
    c.diagnostics(u);
    let r = c.ok("textDocument/completion", c.td_pos(u, t, "\"Ta\"", 0, 3));
    assert!(labels(&r).contains(&"Task".to_string()));
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(u, t, "\"States.\"", 0, 8),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"States.ALL".to_string())
            && l.contains(&"States.QueryEvaluationError".to_string())
    );
    let r = c.ok("textDocument/completion", c.td_pos(u, t, "\"arn\"", 0, 4));
    assert!(labels(&r).contains(&"arn:aws:states:::lambda:invoke".to_string()));
    c.shutdown_and_exit().unwrap();
}

#[test]
fn definition_and_references() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    c.diagnostics(URI);

    // From a transition target to the state's key.
    let r = c.ok(
        "textDocument/definition",
        c.td_pos(URI, DOC, "\"漢字\" }", 0, 1),
    );
    assert_eq!(r["uri"], URI);
    assert_eq!(r["range"]["start"], c.pos_of(DOC, "\"漢字\": {", 0, 0));
    // From StartAt.
    let r = c.ok(
        "textDocument/definition",
        c.td_pos(URI, DOC, "\"Ünïcode 😀\"", 0, 3),
    );
    assert_eq!(
        r["range"]["start"],
        c.pos_of(DOC, "\"Ünïcode 😀\": {", 0, 0)
    );
    // Inside a branch, StartAt resolves in the branch.
    let r = c.ok(
        "textDocument/definition",
        c.td_pos(URI, DOC, "\"Inner\"", 0, 1),
    );
    assert_eq!(r["range"]["start"], c.pos_of(DOC, "\"Inner\"", 1, 0));

    // References of `Ünïcode 😀`: its key, and StartAt (inside the quotes).
    let mut p = c.td_pos(URI, DOC, "\"Ünïcode 😀\": {", 0, 1);
    p["context"] = json!({ "includeDeclaration": true });
    let r = c.ok("textDocument/references", p.clone());
    let starts: Vec<Value> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"].clone())
        .collect();
    assert_eq!(
        starts,
        vec![
            c.pos_of(DOC, "\"Ünïcode 😀\": {", 0, 1),
            c.pos_of(DOC, "\"Ünïcode 😀\"", 0, 1),
        ]
    );
    p["context"] = json!({ "includeDeclaration": false });
    assert_eq!(
        c.ok("textDocument/references", p).as_array().unwrap().len(),
        1
    );
    c.shutdown_and_exit().unwrap();
}

#[test]
fn rename_states_with_non_ascii_names() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        c.open(URI, "asl", DOC);
        c.diagnostics(URI);

        let pr = c.ok(
            "textDocument/prepareRename",
            c.td_pos(URI, DOC, "\"漢字\" }", 0, 4),
        );
        assert_eq!(pr["placeholder"], "漢字");
        assert_eq!(pr["range"]["start"], c.pos_of(DOC, "\"漢字\" }", 0, 1));
        assert_eq!(pr["range"]["end"], c.pos_of(DOC, "\"漢字\" }", 0, 7));

        let mut p = c.td_pos(URI, DOC, "\"漢字\": {", 0, 1);
        p["newName"] = json!("Ende ✓ \"q\"");
        let r = c.ok("textDocument/rename", p);
        let edits = r["changes"][URI].as_array().unwrap();
        assert_eq!(edits.len(), 2);
        let renamed = apply_edits(&c, DOC, edits);
        assert_eq!(renamed, DOC.replace("\"漢字\"", r#""Ende ✓ \"q\"""#));
        assert!(syntax::parse(&renamed, Format::Json).errors.is_empty());

        // StartAt is renamed with its state.
        let mut p = c.td_pos(URI, DOC, "\"Ünïcode 😀\"", 0, 1);
        p["newName"] = json!("Début");
        let r = c.ok("textDocument/rename", p);
        let renamed = apply_edits(&c, DOC, r["changes"][URI].as_array().unwrap());
        assert_eq!(renamed, DOC.replace("\"Ünïcode 😀\"", "\"Début\""));

        // A name used anywhere in the machine (here: inside the branch).
        let mut p = c.td_pos(URI, DOC, "\"漢字\": {", 0, 1);
        p["newName"] = json!("Inner");
        let r = c.request("textDocument/rename", p);
        let e = r.response_result.unwrap_err();
        assert_eq!(e.code, lsp_server::ErrorCode::RequestFailed as i32);
        assert!(
            e.message.contains("`Inner` already exists"),
            "{}",
            e.message
        );

        // Nothing to rename on a field key.
        let r = c.ok(
            "textDocument/prepareRename",
            c.td_pos(URI, DOC, "\"Branches\"", 0, 2),
        );
        assert_eq!(r, Value::Null);
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn document_symbols_nest_branches() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    c.diagnostics(URI);
    let r = c.ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let names: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Ünïcode 😀", "漢字", "Fin 🎉"]);
    let par = &r[1];
    assert_eq!(par["detail"], "Parallel");
    assert_eq!(par["kind"], 3); // Namespace
    assert_eq!(
        par["selectionRange"]["start"],
        c.pos_of(DOC, "\"漢字\": {", 0, 0)
    );
    let branch = &par["children"][0];
    assert_eq!(branch["name"], "Branch 0");
    assert_eq!(branch["children"][0]["name"], "Inner");
    assert_eq!(branch["children"][0]["detail"], "Succeed");

    let f = c.ok(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    );
    let folds: Vec<(u64, u64)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        folds.contains(&(0, 13)) && folds.contains(&(5, 10)),
        "{folds:?}"
    );
    c.shutdown_and_exit().unwrap();
}

#[test]
fn code_actions_answer_for_diagnostics() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", DOC);
    let p = c.diagnostics(URI);
    let d = p["diagnostics"][0].clone();
    let r = c.ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    // duplicate-key has no fix; the fix conversion is unit-tested in
    // src/lsp/handlers.rs and src/lsp/convert.rs.
    assert_eq!(r, json!([]));
    c.shutdown_and_exit().unwrap();
}

/// Opens `text`, takes the quick fix of its only `code` finding, applies
/// the edits and returns the fixed text after checking, through the server,
/// that the finding is gone.
fn fix_round_trip(c: &mut Client, uri: &str, lang: &str, text: &str, code: &str) -> String {
    c.open(uri, lang, text);
    let p = c.diagnostics(uri);
    let found: Vec<Value> = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect();
    assert_eq!(found.len(), 1, "{uri}: {p}");
    let d = &found[0];
    let r = c.ok(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let action = r
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == code)
        .unwrap_or_else(|| panic!("{uri}: no action for {code}: {r}"))
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let fixed = apply_edits(c, text, action["edit"]["changes"][uri].as_array().unwrap());
    c.change(uri, 2, &fixed);
    let p = c.diagnostics(uri);
    assert_eq!(p["version"], 2);
    assert!(
        !p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code || d["code"] == "syntax-error"),
        "{uri}: still there after the fix:\n{fixed}\n{p}"
    );
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    c.diagnostics(uri);
    fixed
}

#[test]
fn quick_fixes_apply_and_clear_their_finding() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        let j = "file:///w/f%C3%AFx.asl.json";
        let y = "file:///w/f%C3%AFx.asl.yaml";

        // A superfluous `.$` on a literal.
        let text = r#"{"StartAt": "Größe 😀", "States": {"Größe 😀": {"Type": "Pass", "Parameters": {"x.$": "hello"}, "End": true}}}"#;
        let fixed = fix_round_trip(&mut c, j, "asl", text, "invalid-template-value");
        assert_eq!(fixed, text.replace("\"x.$\"", "\"x\""));
        let text = "StartAt: 状態\nStates:\n  状態:\n    Type: Pass\n    Parameters:\n      'x.$': 42\n    End: true\n";
        let fixed = fix_round_trip(&mut c, y, "asl-yaml", text, "invalid-template-value");
        assert_eq!(fixed, text.replace("'x.$'", "'x'"));

        // A missing `.$`.
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"ïd": "$.order.id"}, "End": true}}}"#;
        let fixed = fix_round_trip(&mut c, j, "asl", text, "missing-dollar-suffix");
        assert_eq!(fixed, text.replace("\"ïd\"", "\"ïd.$\""));
        for (key, renamed) in [("ïd", "ïd.$"), ("'ïd'", "'ïd.$'"), ("\"ïd\"", "\"ïd.$\"")] {
            let text = format!("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Parameters:\n      {key}: $.order.id\n    End: true\n");
            let fixed = fix_round_trip(&mut c, y, "asl-yaml", &text, "missing-dollar-suffix");
            assert_eq!(fixed, text.replace(key, renamed));
        }

        // Neither `Next` nor `End`.
        let text = "{\n  \"StartAt\": \"😀\",\n  \"States\": {\n    \"😀\": {\n      \"Type\": \"Pass\"\n    }\n  }\n}\n";
        let fixed = fix_round_trip(&mut c, j, "asl", text, "missing-next-or-end");
        assert_eq!(
            fixed,
            text.replace("\"Pass\"\n", "\"Pass\",\n      \"End\": true\n")
        );
        let text = "StartAt: 😀\nStates:\n  😀:\n    Type: Pass # note\n";
        let fixed = fix_round_trip(&mut c, y, "asl-yaml", text, "missing-next-or-end");
        assert_eq!(
            fixed,
            "StartAt: 😀\nStates:\n  😀:\n    Type: Pass # note\n    End: true\n"
        );
        let text = "StartAt: 😀\nStates:\n  😀: {Type: Pass}\n";
        let fixed = fix_round_trip(&mut c, y, "asl-yaml", text, "missing-next-or-end");
        assert_eq!(
            fixed,
            "StartAt: 😀\nStates:\n  😀: {Type: Pass, End: true}\n"
        );

        // A misspelled target keeps its style.
        let text =
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Bé\n  Bë:\n    Type: Succeed\n";
        let fixed = fix_round_trip(&mut c, y, "asl-yaml", text, "missing-transition-target");
        assert_eq!(fixed, text.replace("Next: Bé", "Next: Bë"));
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Bé"}, "Bë": {"Type": "Succeed"}}}"#;
        let fixed = fix_round_trip(&mut c, j, "asl", text, "missing-transition-target");
        assert_eq!(fixed, text.replace("\"Bé\"", "\"Bë\""));
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn a_panic_while_linting_is_one_diagnostic_and_the_server_goes_on() {
    const MARKER: &str = "asl-lint test panic 5e1d";
    asl_lint::lsp::testing::panic_on_lint(Some(MARKER));
    let mut c = Client::start(Some(&["utf-16"]));
    let crashing = DOC.replace("Ünïcode 😀 demo", MARKER);
    let other = "file:///w/other.asl.json";
    c.open(URI, "asl", &crashing);
    c.open(other, "asl", DOC);
    let p = c.diagnostics(URI);
    let diags = p["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{p}");
    assert_eq!(diags[0]["code"], "internal-error");
    assert_eq!(diags[0]["severity"], 1);
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("internal error: asl-lint crashed while linting this file"));
    // The other document is linted as usual, and requests are answered.
    assert_eq!(codes(&c.diagnostics(other)), ["duplicate-key"]);
    let h = c.ok(
        "textDocument/hover",
        c.td_pos(URI, &crashing, "\"漢字\": {", 0, 1),
    );
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Parallel state"));
    // Once the text no longer crashes the linter, its findings come back.
    c.change(URI, 2, DOC);
    assert_eq!(codes(&c.diagnostics(URI)), ["duplicate-key"]);
    c.shutdown_and_exit().unwrap();
    asl_lint::lsp::testing::panic_on_lint(None);
}

#[test]
fn features_under_both_encodings_with_emoji_and_cjk_names() {
    // A misspelled target after an emoji gives a finding with a fix.
    let text = DOC.replace("\"Next\": \"Fin 🎉\"", "\"Next\": \"Fin 🎊\"");
    let text = text.as_str();
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        assert_eq!(c.encoding, enc);
        c.open(URI, "asl", text);
        let p = c.diagnostics(URI);
        let missing = p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "missing-transition-target")
            .unwrap()
            .clone();
        assert_eq!(
            missing["range"]["start"],
            c.pos_of(text, "\"Fin 🎊\"", 0, 0)
        );
        assert_eq!(
            missing["range"]["end"],
            c.pos_of(text, "\"Fin 🎊\"", 0, "\"Fin 🎊\"".len())
        );

        let h = c.ok(
            "textDocument/hover",
            c.td_pos(URI, text, "\"漢字\": {", 0, 4),
        );
        assert!(h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**`漢字`**: Parallel state"));
        assert_eq!(h["range"]["start"], c.pos_of(text, "\"漢字\": {", 0, 0));
        assert_eq!(
            h["range"]["end"],
            c.pos_of(text, "\"漢字\": {", 0, "\"漢字\"".len())
        );

        let r = c.ok(
            "textDocument/completion",
            c.td_pos(URI, text, "\"Next\": \"漢字", 0, 9),
        );
        let item = r
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == "Fin 🎉")
            .unwrap_or_else(|| panic!("{:?}", labels(&r)));
        assert_eq!(
            item["textEdit"]["range"]["start"],
            c.pos_of(text, "\"Next\": \"漢字", 0, 9)
        );

        let r = c.ok(
            "textDocument/definition",
            c.td_pos(URI, text, "\"漢字\" }", 0, 4),
        );
        assert_eq!(r["range"]["start"], c.pos_of(text, "\"漢字\": {", 0, 0));
        assert_eq!(
            r["range"]["end"],
            c.pos_of(text, "\"漢字\": {", 0, "\"漢字\"".len())
        );

        let r = c.ok(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        );
        let fin = &r[2];
        assert_eq!(fin["name"], "Fin 🎉");
        assert_eq!(
            fin["selectionRange"]["start"],
            c.pos_of(text, "\"Fin 🎉\": {", 0, 0)
        );
        assert_eq!(
            fin["selectionRange"]["end"],
            c.pos_of(text, "\"Fin 🎉\": {", 0, "\"Fin 🎉\"".len())
        );

        let r = c.ok(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": URI }, "range": missing["range"], "context": { "diagnostics": [missing] } }),
        );
        let fixed = apply_edits(&c, text, r[0]["edit"]["changes"][URI].as_array().unwrap());
        assert_eq!(fixed, DOC);
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn protocol_errors() {
    let mut c = Client::start(None);
    c.open(URI, "asl", DOC);
    c.diagnostics(URI);
    let r = c.request("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(
        r.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    let r = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(
        r.response_result.unwrap_err().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    // Positions far past the end are clamped.
    let r = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 9999, "character": 9999 } }),
    );
    assert!(r.response_result.is_ok());
    // Malformed notifications are ignored; the server keeps answering.
    c.notify("textDocument/didChange", json!({ "textDocument": 1 }));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": {} }),
    );
    let p = c.diagnostics(URI);
    assert_eq!(p["diagnostics"].as_array().unwrap().len(), 1);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [ { "uri": "file:///w/asl-lint.toml", "type": 2 } ] }),
    );
    assert_eq!(c.diagnostics(URI)["version"], 1);
    c.shutdown_and_exit().unwrap();
}

#[test]
fn requests_after_shutdown_are_invalid() {
    let mut c = Client::start(None);
    assert!(c.request("shutdown", Value::Null).response_result.is_ok());
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(
        r.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidRequest as i32
    );
    c.notify("exit", Value::Null);
    assert!(c.server.take().unwrap().join().unwrap().is_ok());
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let mut c = Client::start(None);
    c.notify("exit", Value::Null);
    let err = c.server.take().unwrap().join().unwrap().unwrap_err();
    assert!(err.is::<asl_lint::lsp::ExitWithoutShutdown>(), "{err}");
}

/// A version of [`DOC`] for the burst tests: even versions are clean, odd
/// ones move the duplicate key by changing a comment.
fn burst_text(base: &str, v: i32) -> String {
    if v % 2 == 0 {
        base.to_string()
    } else {
        DOC.replace("\"é\"", &format!("\"é{}\"", "x".repeat(v as usize % 37)))
    }
}

fn publishes(c: &mut Client) -> Vec<Notification> {
    c.notes
        .drain(..)
        .filter(|n| n.method == "textDocument/publishDiagnostics")
        .collect()
}

#[test]
fn a_burst_of_changes_lints_the_final_text() {
    // The whole burst is queued before the server reads its first message:
    // it must be linted exactly once, at the last version.
    let (client, server) = Connection::memory();
    let base = DOC.replace(", \"Type\": \"Succeed\" }", " }");
    let send = |m: Message| client.sender.send(m).unwrap();
    send(Request::new(1.into(), "initialize".into(), json!({ "capabilities": {} })).into());
    send(Notification::new("initialized".into(), json!({})).into());
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({ "textDocument": { "uri": URI, "languageId": "asl", "version": 1, "text": base } }),
        )
        .into(),
    );
    let mut last = String::new();
    for v in 2..=1001 {
        last = burst_text(&base, v);
        send(
            Notification::new(
                "textDocument/didChange".into(),
                json!({
                    "textDocument": { "uri": URI, "version": v },
                    "contentChanges": [ { "text": last } ],
                }),
            )
            .into(),
        );
    }
    send(Request::new(2.into(), "shutdown".into(), Value::Null).into());
    send(Notification::new("exit".into(), Value::Null).into());
    let handle = std::thread::spawn(move || asl_lint::lsp::run(server));
    assert!(handle.join().unwrap().is_ok());
    let published: Vec<Value> = client
        .receiver
        .try_iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                Some(n.params)
            }
            _ => None,
        })
        .collect();
    assert_eq!(published.len(), 1, "{published:?}");
    let p = &published[0];
    assert_eq!(p["version"], 1001);
    let diags = p["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    let c = Client {
        conn: client,
        server: None,
        next_id: 0,
        notes: VecDeque::new(),
        encoding: "utf-16".into(),
        registrations: Vec::new(),
    };
    assert_eq!(diags[0]["range"]["start"], c.pos(&last, dup_offset(&last)));
}

#[test]
fn changes_sent_while_the_server_lints_are_coalesced() {
    // A client typing faster than the server lints: the changes that
    // arrive during one lint are applied together before the next.
    let mut c = Client::start(Some(&["utf-16"]));
    let base = DOC.replace(", \"Type\": \"Succeed\" }", " }");
    c.open(URI, "asl", &base);
    assert_eq!(c.diagnostics(URI)["diagnostics"], json!([]));
    let mut last = String::new();
    for v in 2..=1001 {
        last = burst_text(&base, v);
        c.change(URI, v, &last);
    }
    let id = c.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } }),
    );
    let _ = c.wait_response(id);
    let published = publishes(&mut c);
    eprintln!("{} publishes for 1000 changes", published.len());
    // Sending a change takes microseconds and linting this document about a
    // millisecond: one publish per change would mean no coalescing at all.
    assert!(
        !published.is_empty() && published.len() <= 100,
        "{} publishes for 1000 changes",
        published.len()
    );
    let final_p = &published.last().unwrap().params;
    assert_eq!(final_p["version"], 1001);
    let diags = final_p["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"]["start"], c.pos(&last, dup_offset(&last)));
    c.shutdown_and_exit().unwrap();
}

#[test]
fn a_second_initialize_is_an_invalid_request() {
    let mut c = Client::start(None);
    let r = c.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(
        r.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidRequest as i32
    );
    c.shutdown_and_exit().unwrap();
}

// ---------------------------------------------------------------------------
// Configuration

fn file_uri(path: &std::path::Path) -> String {
    asl_lint::lsp::convert::path_to_uri(path)
        .unwrap()
        .as_str()
        .to_string()
}

fn codes(p: &Value) -> Vec<String> {
    p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// An unreachable state and a missing transition target.
const CONFIGURED: &str = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Missing" },
    "Orphan": { "Type": "Succeed" }
  }
}
"#;

#[test]
fn workspace_configuration_applies_and_reloads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let config = dir.join("asl-lint.toml");
    let write = |text: &str| std::fs::write(&config, text).unwrap();
    write("[rules]\nunreachable-state = \"off\"\n");
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    let doc = dir.join("flows/order.asl.json");
    let uri = file_uri(&doc);
    let root = file_uri(dir);

    let mut c = Client::start_with(json!({
        "processId": null,
        "rootUri": root,
        "workspaceFolders": [{ "uri": root, "name": "w" }],
        "capabilities": {
            "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
        },
    }));
    c.open(&uri, "asl", CONFIGURED);
    let p = c.diagnostics(&uri);
    assert_eq!(codes(&p), ["missing-transition-target"]);
    // The server asked to watch configuration files.
    let reg = &c.registrations[0]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = reg["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/asl-lint.toml", "**/.asl-lint.toml"]);

    let changed = |c: &Client| {
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
        );
    };

    // Raise the severity instead: the rule is back, as a warning.
    write("[rules]\nunreachable-state = \"warning\"\nmissing-transition-target = \"off\"\n");
    changed(&c);
    let p = c.diagnostics(&uri);
    assert_eq!(codes(&p), ["unreachable-state"]);
    assert_eq!(p["diagnostics"][0]["severity"], 2);

    // A scoped suppression hides the finding in that state only.
    write(
        "[rules]\nmissing-transition-target = \"off\"\n\n[[suppress]]\nrule = \"unreachable-state\"\n\
         path = \"flows/*.asl.json\"\nstate = \"Orphan\"\nreason = \"kept for the migration\"\n",
    );
    changed(&c);
    assert_eq!(codes(&c.diagnostics(&uri)), Vec::<String>::new());

    // Excluded files get nothing.
    write("exclude = [\"flows/**\"]\n");
    changed(&c);
    assert_eq!(codes(&c.diagnostics(&uri)), Vec::<String>::new());

    // A broken file: a warning for the user, and the defaults meanwhile.
    write("[rules]\nunreachable-sate = \"off\"\n");
    changed(&c);
    let p = c.diagnostics(&uri);
    assert_eq!(
        codes(&p),
        ["missing-transition-target", "unreachable-state"]
    );
    let m = c.notification("window/showMessage");
    assert_eq!(m["type"], 2);
    let text = m["message"].as_str().unwrap();
    assert!(
        text.contains("asl-lint.toml:2:1:") && text.contains("unreachable-state"),
        "{text}"
    );

    // A configuration change from the client reads the files again too.
    write("ignore = [\"graph\"]\n");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": {} }),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), Vec::<String>::new());

    c.shutdown_and_exit().unwrap();
}

#[test]
fn an_unsaved_document_uses_the_workspace_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join(".asl-lint.toml"), "ignore = [\"graph\"]\n").unwrap();
    let mut c = Client::start_with(json!({
        "processId": null,
        "rootUri": file_uri(dir),
        "capabilities": {},
    }));
    c.open("untitled:Untitled-1", "asl", CONFIGURED);
    assert_eq!(
        codes(&c.diagnostics("untitled:Untitled-1")),
        Vec::<String>::new()
    );
    // No watcher was registered: the client cannot do it.
    assert!(c.registrations.is_empty());
    c.shutdown_and_exit().unwrap();
}

// ---------------------------------------------------------------------------
// YAML (runs once the YAML parser has landed)

fn yaml_ready() -> bool {
    syntax::parse("a: 1\n", Format::Yaml).errors.is_empty()
}

const YAML_URI: &str = "file:///w/flow%20%C3%A9.asl.yaml";
const YAML_DOC: &str = "StartAt: Ünïcode 😀\nStates:\n  Ünïcode 😀:\n    Type: Pass\n    Next: 漢字\n  漢字:\n    Type: Succeed\n    Type: Succeed\n";

#[test]
fn yaml_diagnostics_navigation_and_rename() {
    if !yaml_ready() {
        eprintln!("skipped: the YAML parser is not available yet");
        return;
    }
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(YAML_URI, "asl-yaml", YAML_DOC);
    let p = c.diagnostics(YAML_URI);
    let d = &p["diagnostics"][0];
    assert_eq!(d["code"], "duplicate-key");
    assert_eq!(
        d["range"]["start"],
        c.pos_of(YAML_DOC, "Type: Succeed", 1, 0)
    );

    let r = c.ok(
        "textDocument/definition",
        c.td_pos(YAML_URI, YAML_DOC, "漢字", 0, 0),
    );
    assert_eq!(r["range"]["start"], c.pos_of(YAML_DOC, "漢字:", 0, 0));

    let mut p = c.td_pos(YAML_URI, YAML_DOC, "漢字:", 0, 0);
    p["newName"] = json!("yes");
    let r = c.ok("textDocument/rename", p);
    let renamed = apply_edits(&c, YAML_DOC, r["changes"][YAML_URI].as_array().unwrap());
    assert_eq!(renamed, YAML_DOC.replace("漢字", "\"yes\""));

    let typing = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: \n  B:\n    Type: Succeed\n";
    c.change(YAML_URI, 2, typing);
    c.diagnostics(YAML_URI);
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(YAML_URI, typing, "Next: ", 0, 6),
    );
    assert!(labels(&r).contains(&"B".to_string()));
    c.shutdown_and_exit().unwrap();
}

#[test]
fn yaml_completion_works_from_text_alone() {
    // No tree is needed for keys: this runs with or without the YAML parser.
    let mut c = Client::start(None);
    let text = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Res";
    c.open(YAML_URI, "asl-yaml", text);
    c.diagnostics(YAML_URI);
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(YAML_URI, text, "Res", 0, 3),
    );
    let l = labels(&r);
    if yaml_ready() {
        assert!(l.contains(&"Resource".to_string()), "{l:?}");
    } else {
        // Without a tree the state type is unknown: every state field.
        assert!(
            l.contains(&"Resource".to_string()) && l.contains(&"Branches".to_string()),
            "{l:?}"
        );
    }
    c.shutdown_and_exit().unwrap();
}

#[test]
fn yaml_key_completion_skips_fields_the_object_has() {
    let mut c = Client::start(None);
    let text = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    \n    Retry:\n      - ErrorEquals: [States.ALL]\n        \n    Next: B\n  B:\n    Type: Succeed\n";
    c.open(YAML_URI, "asl-yaml", text);
    c.diagnostics(YAML_URI);
    let state = labels(&c.ok(
        "textDocument/completion",
        c.td_pos(YAML_URI, text, "    \n    Retry", 0, 4),
    ));
    assert!(state.contains(&"TimeoutSeconds".to_string()), "{state:?}");
    for present in ["Type", "Resource", "Retry", "Next"] {
        assert!(
            !state.contains(&present.to_string()),
            "{present}: {state:?}"
        );
    }
    let retrier = labels(&c.ok(
        "textDocument/completion",
        c.td_pos(YAML_URI, text, "        \n", 0, 8),
    ));
    assert!(retrier.contains(&"MaxAttempts".to_string()), "{retrier:?}");
    assert!(!retrier.contains(&"ErrorEquals".to_string()), "{retrier:?}");
    c.shutdown_and_exit().unwrap();
}

// ---------------------------------------------------------------------------
// Snippets, formatting, selection ranges

/// A client that supports snippets, with `enc`.
fn snippet_client(enc: &str) -> Client {
    Client::start_with(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "general": { "positionEncodings": [enc] },
            "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } },
        },
    }))
}

/// Snippet text with every placeholder at its default (mirrors included)
/// and escapes resolved, as an editor inserts it when the user accepts.
fn expand_snippet(s: &str) -> String {
    let mut text = s.to_string();
    for n in 1..10 {
        let open = format!("${{{n}:");
        if let Some(i) = text.find(&open) {
            let rest = &text[i + open.len()..];
            let default = rest[..rest.find('}').unwrap()].to_string();
            text = text.replace(&format!("${{{n}}}"), &default);
            text = text.replacen(&format!("{open}{default}}}"), &default, 1);
        }
    }
    text.replace("\\$", "$").replace("\\}", "}")
}

/// Accepts the snippet item `label` at the `nth` `needle` plus `delta`
/// and returns the new text.
fn accept_snippet(
    c: &mut Client,
    uri: &str,
    text: &str,
    (needle, nth, delta): (&str, usize, usize),
    label: &str,
) -> String {
    let pos = c.pos_of(text, needle, nth, delta);
    let r = c.ok(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": pos }),
    );
    let item = r
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(&r)))
        .clone();
    assert_eq!(item["insertTextFormat"], 2, "{item}");
    assert_eq!(item["kind"], 15); // Snippet
    let mut edit = item["textEdit"].clone();
    edit["newText"] = json!(expand_snippet(edit["newText"].as_str().unwrap()));
    apply_edits(c, text, &[edit])
}

#[test]
fn state_retrier_and_catcher_snippets() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = snippet_client(enc);
        let uri = "file:///w/sn%C3%AFppets.asl.json";
        let text = "{\n  \"StartAt\": \"É 😀\",\n  \"States\": {\n    \"É 😀\": { \"Type\": \"Pass\", \"End\": true },\n    \"\"\n  }\n}\n";
        c.open(uri, "asl", text);
        c.diagnostics(uri);
        let at = ("\"\"\n", 0, 1);
        let new = accept_snippet(&mut c, uri, text, at, "Task state");
        let parsed = syntax::parse(&new, Format::Json);
        assert!(parsed.errors.is_empty(), "{new}");
        let task = parsed.documents[0]
            .root
            .get("States")
            .unwrap()
            .get("NewTask")
            .unwrap();
        assert_eq!(task.get("Type").unwrap().as_str(), Some("Task"));
        assert!(
            new.contains("\n    \"NewTask\": {\n      \"Type\": \"Task\",\n"),
            "{new}"
        );
        // A branch whose StartAt names its only state.
        let new = accept_snippet(&mut c, uri, text, at, "Parallel state");
        let parsed = syntax::parse(&new, Format::Json);
        assert!(parsed.errors.is_empty(), "{new}");
        c.change(uri, 2, &new);
        let p = c.diagnostics(uri);
        // Only the new state's place in the flow is left to the user.
        assert_eq!(codes(&p), ["unreachable-state"], "{p}");

        // Before another state: a comma follows the snippet.
        let text = "{\"StartAt\": \"A\", \"States\": {\n  \"\"\n  \"A\": {\"Type\": \"Succeed\"}}}";
        c.change(uri, 3, text);
        c.diagnostics(uri);
        let new = accept_snippet(&mut c, uri, text, ("\"\"\n", 0, 1), "Wait state");
        assert!(syntax::parse(&new, Format::Json).errors.is_empty(), "{new}");

        // A retrier and a catcher in JSON.
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Retry\": [  ], \"Catch\": [  ], \"End\": true}, \"HandleError\": {\"Type\": \"Fail\"}}}";
        c.change(uri, 4, text);
        c.diagnostics(uri);
        let new = accept_snippet(&mut c, uri, text, ("[  ]", 0, 2), "retrier");
        c.change(uri, 5, &new);
        c.diagnostics(uri);
        let new = accept_snippet(&mut c, uri, &new.clone(), ("[  ]", 0, 2), "catcher");
        c.change(uri, 6, &new);
        let p = c.diagnostics(uri);
        assert_eq!(p["diagnostics"], json!([]), "{new}");

        // YAML: a state and a retrier.
        let y = "file:///w/snippets.asl.yaml";
        let text = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    Retry:\n      - \n    End: true\n  \n";
        c.open(y, "asl-yaml", text);
        c.diagnostics(y);
        let new = accept_snippet(&mut c, y, text, ("  \n", 0, 2), "Choice state");
        assert!(
            new.contains(
                "\n  NewChoice:\n    Type: Choice\n    Choices:\n      - Variable: $.status\n"
            ),
            "{new}"
        );
        c.change(y, 2, &new);
        c.diagnostics(y);
        let new = accept_snippet(&mut c, y, &new.clone(), ("- \n", 0, 2), "retrier");
        assert!(
            new.contains("      - ErrorEquals: [States.ALL]\n        IntervalSeconds: 1\n"),
            "{new}"
        );
        let parsed = syntax::parse(&new, Format::Yaml);
        assert!(parsed.errors.is_empty(), "{new}");
        c.shutdown_and_exit().unwrap();
    }
    // Without snippet support: no snippets.
    let mut c = Client::start(None);
    let uri = "file:///w/plain.asl.json";
    let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}, \"\"}}";
    c.open(uri, "asl", text);
    c.diagnostics(uri);
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(uri, text, "\"\"}", 0, 1),
    );
    assert!(!labels(&r).iter().any(|l| l.ends_with(" state")), "{r}");
    c.shutdown_and_exit().unwrap();
}

#[test]
fn formatting_reindents_json_and_declines_yaml() {
    let mut c = Client::start(None);
    let uri = "file:///w/f.asl.json";
    let text = "{\"StartAt\":\"😀\",\"States\":{\"😀\":{\"Type\":\"Pass\",\"Result\":{\"n\":1.50,\"e\":\"\\u00e9\"},\"End\":true}}}\n";
    c.open(uri, "asl", text);
    c.diagnostics(uri);
    let r = c.ok(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    let formatted = apply_edits(&c, text, r.as_array().unwrap());
    assert_eq!(
        formatted,
        "{\n    \"StartAt\": \"😀\",\n    \"States\": {\n        \"😀\": {\n            \"Type\": \"Pass\",\n            \"Result\": {\n                \"n\": 1.50,\n                \"e\": \"\\u00e9\"\n            },\n            \"End\": true\n        }\n    }\n}\n"
    );
    // Formatted already: no edits. Tabs when asked.
    c.change(uri, 2, &formatted);
    c.diagnostics(uri);
    let r = c.ok(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    assert_eq!(r, json!([]));
    let r = c.ok(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 8, "insertSpaces": false } }),
    );
    let tabbed = apply_edits(&c, &formatted, r.as_array().unwrap());
    assert!(tabbed.starts_with("{\n\t\"StartAt\""), "{tabbed}");
    // A syntax error: declined.
    c.change(uri, 3, "{\"StartAt\": ");
    c.diagnostics(uri);
    let r = c.ok(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(r, Value::Null);
    // YAML: declined.
    c.open(YAML_URI, "asl-yaml", YAML_DOC);
    c.diagnostics(YAML_URI);
    let r = c.ok(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": YAML_URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(r, Value::Null);
    c.shutdown_and_exit().unwrap();
}

#[test]
fn selection_ranges_grow_from_the_cursor() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        c.open(URI, "asl", DOC);
        c.diagnostics(URI);
        let at = c.pos_of(DOC, "\"Fin 🎉\"\n", 0, 3);
        let r = c.ok(
            "textDocument/selectionRange",
            json!({ "textDocument": { "uri": URI }, "positions": [at] }),
        );
        let mut ranges: Vec<(Value, Value)> = Vec::new();
        let mut cur = &r[0];
        while cur.is_object() {
            ranges.push((cur["range"]["start"].clone(), cur["range"]["end"].clone()));
            cur = &cur["parent"];
        }
        let span = |needle: &str, nth: usize, from: usize, len: usize| {
            (
                c.pos_of(DOC, needle, nth, from),
                c.pos_of(DOC, needle, nth, from + len),
            )
        };
        // Inside the quotes, the string, `"Next": …`, the state object,
        // `"漢字": {…}`, `States`' object, `"States": {…}`, the root, the text.
        assert_eq!(ranges[0], span("\"Fin 🎉\"\n", 0, 1, "Fin 🎉".len()));
        assert_eq!(ranges[1], span("\"Fin 🎉\"\n", 0, 0, "\"Fin 🎉\"".len()));
        assert_eq!(ranges[2].0, c.pos_of(DOC, "\"Next\": \"Fin", 0, 0));
        assert_eq!(
            ranges[3].0,
            c.pos_of(DOC, "{\n      \"Type\": \"Parallel\"", 0, 0)
        );
        assert_eq!(ranges[4].0, c.pos_of(DOC, "\"漢字\": {", 0, 0));
        assert_eq!(
            ranges.last().unwrap().0,
            json!({ "line": 0, "character": 0 })
        );
        assert_eq!(ranges.len(), 9, "{ranges:?}");
        c.shutdown_and_exit().unwrap();
    }
}

// ---------------------------------------------------------------------------
// Templates

/// A SAM template: one machine written in place (with a misspelled target
/// and non-ASCII names), one in a `DefinitionString`, and other resources.
const SAM: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Prüfen 😀
        States:
          Prüfen 😀:
            Type: Task
            Resource: !GetAtt Fn.Arn
            Next: 漢字x
          漢字:
            Type: Pass
            Next: Fertig
          Fertig:
            Type: Succeed
  Other:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}'
";

#[test]
fn templates_get_diagnostics_and_navigation() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        let uri = "file:///w/sam%20app/template.yaml";
        c.open(uri, "yaml", SAM);
        let p = c.diagnostics(uri);
        // The findings of `asl-lint check`, with ranges in the template.
        let file = asl_lint::source::SourceFile::new("/w/sam app/template.yaml", SAM.to_string());
        let expected = asl_lint::lint_source(&file, &asl_lint::settings::Settings::default());
        let got: Vec<(String, Value)> = p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"].clone(),
                )
            })
            .collect();
        let want: Vec<(String, Value)> = expected
            .iter()
            .map(|d| (d.rule.name.to_string(), c.pos(SAM, d.range.start())))
            .collect();
        assert_eq!(got, want);
        assert!(got.contains(&(
            "missing-transition-target".to_string(),
            c.pos_of(SAM, "漢字x", 0, 0)
        )));
        // The DefinitionString's finding is placed inside the string.
        let other = SAM.find("\"A\": {").unwrap();
        assert!(
            p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "missing-next-or-end"
                    && d["range"]["start"] == c.pos(SAM, other)),
            "{p}"
        );

        // The outline: one symbol per machine written in place.
        let r = c.ok(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        let symbols = r.as_array().unwrap();
        assert_eq!(symbols.len(), 1, "{r}");
        assert_eq!(symbols[0]["name"], "Flow");
        assert_eq!(
            symbols[0]["selectionRange"]["start"],
            c.pos_of(SAM, "Definition:", 0, 0)
        );
        let states: Vec<&str> = symbols[0]["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["Prüfen 😀", "漢字", "Fertig"]);

        // Definition, references and hover inside it.
        let r = c.ok(
            "textDocument/definition",
            c.td_pos(uri, SAM, "Next: Fertig", 0, 8),
        );
        assert_eq!(r["range"]["start"], c.pos_of(SAM, "Fertig:", 0, 0));
        let mut p = c.td_pos(uri, SAM, "Prüfen 😀:", 0, 2);
        p["context"] = json!({ "includeDeclaration": true });
        let r = c.ok("textDocument/references", p);
        let starts: Vec<Value> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["range"]["start"].clone())
            .collect();
        assert_eq!(
            starts,
            [
                c.pos_of(SAM, "Prüfen 😀:", 0, 0),
                c.pos_of(SAM, "Prüfen 😀", 0, 0)
            ]
        );
        let h = c.ok("textDocument/hover", c.td_pos(uri, SAM, "漢字:", 0, 0));
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(v.contains("**`漢字`**: Pass state"), "{v}");
        assert!(v.contains("Reached from: nothing"), "{v}");
        // Outside a definition: nothing but the template.
        let h = c.ok("textDocument/hover", c.td_pos(uri, SAM, "Handler", 0, 1));
        assert_eq!(h, Value::Null);
        let r = c.ok(
            "textDocument/definition",
            c.td_pos(uri, SAM, "Fn.Arn", 0, 1),
        );
        assert_eq!(r, Value::Null);

        // Completion inside the definition: the machine's states and fields.
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, SAM, "Next: Fertig", 0, 6),
        );
        let l = labels(&r);
        assert!(
            l.contains(&"Fertig".to_string()) && l.contains(&"Prüfen 😀".to_string()),
            "{l:?}"
        );
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, SAM, "Handler", 0, 0),
        );
        assert_eq!(r, json!([]));

        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn template_quick_fixes_and_renames_keep_the_template_valid() {
    let mut c = Client::start(None);
    let uri = "file:///w/template.yaml";
    let fixed = fix_round_trip(&mut c, uri, "yaml", SAM, "missing-transition-target");
    assert_eq!(fixed, SAM.replace("Next: 漢字x", "Next: 漢字"));
    // A JSON template with the definition in place.
    let json_uri = "file:///w/stack.template.json";
    let text = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass"}}}}}}}"#;
    let fixed = fix_round_trip(&mut c, json_uri, "json", text, "missing-next-or-end");
    assert_eq!(fixed, text.replace(r#""Pass"}"#, r#""Pass", "End": true}"#));
    // Renaming a state inside the template.
    c.open(uri, "yaml", SAM);
    c.diagnostics(uri);
    let mut p = c.td_pos(uri, SAM, "Fertig:", 0, 1);
    p["newName"] = json!("Done");
    let r = c.ok("textDocument/rename", p);
    let renamed = apply_edits(&c, SAM, r["changes"][uri].as_array().unwrap());
    assert_eq!(renamed, SAM.replace("Fertig", "Done"));
    // A JSON file that is neither: nothing.
    c.open("file:///w/other.json", "json", r#"{"Resources": {}}"#);
    let r = c.ok(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///w/other.json" } }),
    );
    assert_eq!(r, Value::Null);
    c.shutdown_and_exit().unwrap();
}

// ---------------------------------------------------------------------------
// Editor configurations that start this server

#[test]
fn helix_configuration_starts_this_server_for_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/helix");
    let text = std::fs::read_to_string(root.join("languages.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let server = &doc["language-server"]["asl-lint"];
    assert_eq!(server["command"].as_str(), Some("asl-lint"));
    assert_eq!(server["args"], toml::Value::from(vec!["lsp"]));
    let languages = doc["language"].as_array().unwrap();
    let expected = [
        ("asl", "json", vec!["*.asl.json"]),
        ("asl-yaml", "yaml", vec!["*.asl.yaml", "*.asl.yml"]),
    ];
    assert_eq!(languages.len(), expected.len());
    for (lang, (name, grammar, globs)) in languages.iter().zip(expected) {
        assert_eq!(lang["name"].as_str(), Some(name));
        assert_eq!(lang["language-id"].as_str(), Some(name));
        assert_eq!(lang["grammar"].as_str(), Some(grammar));
        assert_eq!(lang["scope"].as_str(), Some(&*format!("source.{name}")));
        let got: Vec<&str> = lang["file-types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["glob"].as_str().unwrap())
            .collect();
        assert_eq!(got, globs);
        assert_eq!(
            lang["language-servers"],
            toml::Value::from(vec!["asl-lint"])
        );
        assert_eq!(
            lang["roots"],
            toml::Value::from(asl_lint::config::FILE_NAMES.to_vec())
        );
        // Highlighting reuses the grammar's queries.
        let highlights = root.join(format!("runtime/queries/{name}/highlights.scm"));
        assert_eq!(
            std::fs::read_to_string(highlights).unwrap().trim(),
            format!("; inherits: {grammar}")
        );
    }
}

// ---------------------------------------------------------------------------
// Workflow variables

/// Variables assigned and read in both query languages, a non-ASCII name,
/// emoji before the names (UTF-16 columns differ from UTF-8 ones), a
/// variable named like a JSONata function, and a Distributed Map, whose
/// child workflow sees no outer variable.
const VAR_DOC: &str = r#"{
  "StartAt": "Set",
  "States": {
    "Set": { "Comment": "😀", "Type": "Pass", "Assign": { "prüfung.$": "$.x", "count": 1 }, "Next": "Use" },
    "Use": { "Comment": "😀", "Type": "Pass", "Parameters": { "a.$": "$prüfung", "b.$": "States.Format('{}', $prüfung.y)" }, "Next": "Ata" },
    "Ata": { "Comment": "😀", "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $prüfung & '😀' & $count %}", "Next": "Dist" },
    "Dist": { "Type": "Map", "End": true, "ItemProcessor": {
      "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
      "StartAt": "In",
      "States": { "In": { "Type": "Pass", "QueryLanguage": "JSONata", "Assign": { "inner": 1 }, "Output": "{% $inner %}", "End": true } } } }
  }
}
"#;

#[test]
fn completion_offers_variables_in_scope() {
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(URI, "asl", VAR_DOC);
    c.diagnostics(URI);
    // Right after `$` in a JSONPath `.$` value.
    let at = c.td_pos(URI, VAR_DOC, "\"$prüfung\"", 0, 2);
    let r = c.ok("textDocument/completion", at);
    let l = labels(&r);
    assert!(
        l.contains(&"$prüfung".to_string()) && l.contains(&"$count".to_string()),
        "{l:?}"
    );
    assert!(!l.contains(&"$inner".to_string()), "{l:?}");
    let item = r
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "$prüfung")
        .unwrap();
    assert_eq!(item["textEdit"]["newText"], "$prüfung");
    assert_eq!(
        item["textEdit"]["range"]["start"],
        c.pos_of(VAR_DOC, "\"$prüfung\"", 0, 1)
    );
    // Inside `{% … %}`, after part of the name (the `$` is replaced too).
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, VAR_DOC, "$count %}", 0, 3),
    );
    let item = r
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "$count")
        .unwrap_or_else(|| panic!("{:?}", labels(&r)));
    assert_eq!(
        item["textEdit"]["range"]["start"],
        c.pos_of(VAR_DOC, "$count %}", 0, 0)
    );
    assert_eq!(
        item["textEdit"]["range"]["end"],
        c.pos_of(VAR_DOC, "$count %}", 0, 3)
    );
    // A Distributed Map's child workflow sees only its own variables (the
    // JSONata functions and `$states` are offered too).
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, VAR_DOC, "$inner %}", 0, 1),
    );
    let variables: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == 6 && i["label"] != "$states")
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(variables, ["$inner"]);
    // Not after `$.`, nor in a field that is not an expression.
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, VAR_DOC, "\"$.x\"", 0, 3),
    );
    assert!(!labels(&r).contains(&"$count".to_string()));
    let r = c.ok(
        "textDocument/completion",
        c.td_pos(URI, VAR_DOC, "\"Comment\": \"😀\"", 0, 12),
    );
    assert!(!labels(&r).contains(&"$count".to_string()));
    c.shutdown_and_exit().unwrap();
}

/// A JSONata machine: a Task, its catcher, and a Pass.
const ATA_DOC: &str = r#"{
  "QueryLanguage": "JSONata",
  "StartAt": "Call 😀",
  "States": {
    "Call 😀": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": { "a": "{% $states.x %}" },
      "Output": "{% $states.x %}",
      "Assign": { "myVar": 1 },
      "Catch": [ { "ErrorEquals": ["States.ALL"], "Output": "{% $states.x %}", "Next": "漢字" } ],
      "Next": "漢字" },
    "漢字": { "Type": "Pass", "Output": "{% $myVar + $uppercase('a') & $states.context.Execution.Id %}", "End": true }
  }
}
"#;

#[test]
fn jsonata_completion_and_hover() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        let uri = "file:///w/%E6%BC%A2.asl.json";
        c.open(uri, "asl", ATA_DOC);
        c.diagnostics(uri);
        let states_fields = |c: &mut Client, nth: usize| {
            let r = c.ok(
                "textDocument/completion",
                c.td_pos(uri, ATA_DOC, "$states.x", nth, 8),
            );
            labels(&r)
        };
        // Arguments: no result yet.
        assert_eq!(
            states_fields(&mut c, 0),
            ["$states.input", "$states.context"]
        );
        // A Task's Output: its result.
        assert_eq!(
            states_fields(&mut c, 1),
            ["$states.input", "$states.context", "$states.result"]
        );
        // A catcher's Output: the error output.
        assert_eq!(
            states_fields(&mut c, 2),
            ["$states.input", "$states.context", "$states.errorOutput"]
        );
        // The word before the cursor is replaced.
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, ATA_DOC, "$states.x", 1, 8),
        );
        let edit = &r[0]["textEdit"];
        assert_eq!(edit["range"]["start"], c.pos_of(ATA_DOC, "$states.x", 1, 0));
        assert_eq!(edit["range"]["end"], c.pos_of(ATA_DOC, "$states.x", 1, 8));

        // Context fields after `$states.context.`.
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, ATA_DOC, "$states.context.Execution.Id", 0, 19),
        );
        let l = labels(&r);
        assert!(
            l.contains(&"$states.context.Execution.Id".to_string()),
            "{l:?}"
        );
        assert!(
            l.contains(&"$states.context.Map.Item.Value".to_string()),
            "{l:?}"
        );

        // After `$`: variables, `$states`, and functions with signatures.
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, ATA_DOC, "$uppercase", 0, 3),
        );
        let items = r.as_array().unwrap();
        let find = |label: &str| {
            items
                .iter()
                .find(|i| i["label"] == label)
                .unwrap_or_else(|| panic!("{label} not offered: {:?}", labels(&r)))
        };
        assert_eq!(find("$uppercase")["detail"], "$uppercase(str) → string");
        assert_eq!(find("$uppercase")["kind"], 3); // Function
        assert!(find("$partition")["detail"]
            .as_str()
            .unwrap()
            .starts_with("$partition(array, chunkSize)"));
        find("$states");
        find("$myVar");
        assert!(!labels(&r).contains(&"$eval".to_string()));
        let edit = &find("$uppercase")["textEdit"];
        assert_eq!(
            edit["range"]["start"],
            c.pos_of(ATA_DOC, "$uppercase", 0, 0)
        );
        assert_eq!(edit["newText"], "$uppercase");

        // Hover: a function is a function, a variable a variable.
        let h = c.ok(
            "textDocument/hover",
            c.td_pos(uri, ATA_DOC, "$uppercase", 0, 4),
        );
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(v.contains("$uppercase(str) → string"), "{v}");
        assert!(!v.contains("not assigned"), "{v}");
        assert_eq!(h["range"]["start"], c.pos_of(ATA_DOC, "$uppercase", 0, 0));
        assert_eq!(h["range"]["end"], c.pos_of(ATA_DOC, "$uppercase", 0, 10));
        let h = c.ok(
            "textDocument/hover",
            c.td_pos(uri, ATA_DOC, "$myVar +", 0, 2),
        );
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(v.contains("assigned by `Call 😀`"), "{v}");
        let h = c.ok(
            "textDocument/hover",
            c.td_pos(uri, ATA_DOC, "$states.context.Execution.Id", 0, 20),
        );
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(v.contains("`$states.context.Execution.Id`"), "{v}");
        assert!(v.contains("execution ARN"), "{v}");
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn jsonata_completion_while_the_text_does_not_parse() {
    let mut c = Client::start(None);
    let uri = "file:///w/typing.asl.json";
    c.open(uri, "asl", ATA_DOC);
    c.diagnostics(uri);
    let typing = ATA_DOC.replacen(
        "\"Output\": \"{% $states.x %}\",",
        "\"Output\": \"{% $states.",
        1,
    );
    let typing = &typing[..typing.find("{% $states.\n").unwrap() + "{% $states.".len()];
    c.change(uri, 2, typing);
    assert_eq!(c.diagnostics(uri)["diagnostics"][0]["code"], "syntax-error");
    let r = c.ok(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": c.pos(typing, typing.len()) }),
    );
    assert_eq!(
        labels(&r),
        ["$states.input", "$states.context", "$states.result"]
    );
    c.shutdown_and_exit().unwrap();
}

#[test]
fn intrinsic_and_context_completion_and_hover() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        let uri = "file:///w/intr%C3%AFnsic.asl.json";
        let text = r#"{"StartAt": "É", "States": {"É": {"Type": "Pass", "Parameters": {"a.$": "States.Fo", "b.$": "$$.Ex", "c.$": "States.Format('{}', $$.Execution.Id)"}, "End": true}}}"#;
        c.open(uri, "asl", text);
        c.diagnostics(uri);
        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, text, "States.Fo", 0, 9),
        );
        let items = r.as_array().unwrap();
        let format = items
            .iter()
            .find(|i| i["label"] == "States.Format")
            .unwrap_or_else(|| panic!("{:?}", labels(&r)));
        assert_eq!(
            format["detail"],
            "States.Format(template, ...values) → string"
        );
        assert_eq!(
            format["textEdit"]["range"]["start"],
            c.pos_of(text, "States.Fo", 0, 0)
        );
        assert_eq!(
            format["textEdit"]["range"]["end"],
            c.pos_of(text, "States.Fo", 0, 9)
        );
        assert!(labels(&r).contains(&"States.ArrayPartition".to_string()));

        let r = c.ok(
            "textDocument/completion",
            c.td_pos(uri, text, "$$.Ex", 0, 5),
        );
        let l = labels(&r);
        assert!(
            l.contains(&"$$.Execution.Id".to_string()) && l.contains(&"$$.Task.Token".to_string()),
            "{l:?}"
        );
        let id = r
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == "$$.Execution.Id")
            .unwrap();
        assert_eq!(
            id["textEdit"]["range"]["start"],
            c.pos_of(text, "$$.Ex", 0, 0)
        );

        let h = c.ok("textDocument/hover", c.td_pos(uri, text, "Format('", 0, 3));
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(
            v.contains("States.Format(template, ...values) → string"),
            "{v}"
        );
        assert_eq!(h["range"]["start"], c.pos_of(text, "States.Format('", 0, 0));
        let h = c.ok(
            "textDocument/hover",
            c.td_pos(uri, text, "$$.Execution.Id)", 0, 6),
        );
        let v = h["contents"]["value"].as_str().unwrap();
        assert!(v.contains("`$$.Execution.Id`** (context object)"), "{v}");
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn references_of_a_variable_in_both_query_languages() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        c.open(URI, "asl", VAR_DOC);
        c.diagnostics(URI);
        let expected: Vec<Value> = vec![
            c.pos_of(VAR_DOC, "prüfung.$", 0, 0),
            c.pos_of(VAR_DOC, "$prüfung", 0, 1),
            c.pos_of(VAR_DOC, "$prüfung", 1, 1),
            c.pos_of(VAR_DOC, "$prüfung", 2, 1),
        ];
        // From a read (in JSONata) and from the `Assign` key.
        for at in [
            c.td_pos(URI, VAR_DOC, "$prüfung &", 0, 5),
            c.td_pos(URI, VAR_DOC, "\"prüfung.$\"", 0, 2),
        ] {
            let mut p = at;
            p["context"] = json!({ "includeDeclaration": true });
            let r = c.ok("textDocument/references", p.clone());
            let locs = r.as_array().unwrap();
            let starts: Vec<Value> = locs.iter().map(|l| l["range"]["start"].clone()).collect();
            assert_eq!(starts, expected, "{enc}");
            // Each range covers the name alone.
            for l in locs {
                let s = c.offset(VAR_DOC, &l["range"]["start"]);
                let e = c.offset(VAR_DOC, &l["range"]["end"]);
                assert_eq!(&VAR_DOC[s..e], "prüfung", "{enc}");
            }
            p["context"] = json!({ "includeDeclaration": false });
            let r = c.ok("textDocument/references", p);
            assert_eq!(r.as_array().unwrap().len(), 3);
        }
        // A variable named like a JSONata function.
        let mut p = c.td_pos(URI, VAR_DOC, "\"count\"", 0, 1);
        p["context"] = json!({ "includeDeclaration": true });
        let r = c.ok("textDocument/references", p);
        assert_eq!(r.as_array().unwrap().len(), 2);
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn rename_a_variable() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start(Some(&[enc]));
        c.open(URI, "asl", VAR_DOC);
        c.diagnostics(URI);

        let pr = c.ok(
            "textDocument/prepareRename",
            c.td_pos(URI, VAR_DOC, "$prüfung.y", 0, 3),
        );
        assert_eq!(pr["placeholder"], "prüfung");
        assert_eq!(pr["range"]["start"], c.pos_of(VAR_DOC, "$prüfung.y", 0, 1));
        assert_eq!(pr["range"]["end"], c.pos_of(VAR_DOC, ".y)", 0, 0));

        // From a read: the `Assign` key keeps its `.$`, every read follows.
        let mut p = c.td_pos(URI, VAR_DOC, "$prüfung\"", 0, 2);
        p["newName"] = json!("geprüft_😀");
        let r = c.request("textDocument/rename", p.clone());
        assert!(r.response_result.is_err(), "an emoji is not a letter");
        p["newName"] = json!("geprüft");
        let r = c.ok("textDocument/rename", p);
        let edits = r["changes"][URI].as_array().unwrap();
        assert_eq!(edits.len(), 4);
        let renamed = apply_edits(&c, VAR_DOC, edits);
        assert_eq!(renamed, VAR_DOC.replace("prüfung", "geprüft"));
        assert!(renamed.contains("\"geprüft.$\""));

        // From an `Assign` key, into a JSONata read of a function-like name.
        let mut p = c.td_pos(URI, VAR_DOC, "\"count\"", 0, 2);
        p["newName"] = json!("zähler");
        let r = c.ok("textDocument/rename", p);
        let renamed = apply_edits(&c, VAR_DOC, r["changes"][URI].as_array().unwrap());
        assert_eq!(renamed, VAR_DOC.replace("count", "zähler"));

        // Go to definition from a non-ASCII read, before and inside the name.
        for delta in [1, 5] {
            let r = c.ok(
                "textDocument/definition",
                c.td_pos(URI, VAR_DOC, "$prüfung &", 0, delta),
            );
            assert_eq!(
                r["range"]["start"],
                c.pos_of(VAR_DOC, "\"prüfung.$\"", 0, 0)
            );
        }

        // Invalid names and names already taken are errors.
        for bad in ["1abc", "a-b", "", "states", "count"] {
            let mut p = c.td_pos(URI, VAR_DOC, "$prüfung &", 0, 1);
            p["newName"] = json!(bad);
            let r = c.request("textDocument/rename", p);
            let e = r.response_result.unwrap_err();
            assert_eq!(e.code, lsp_server::ErrorCode::RequestFailed as i32, "{bad}");
            assert!(e.message.contains('`'), "{}", e.message);
        }
        c.shutdown_and_exit().unwrap();
    }
}

#[test]
fn yaml_variable_rename() {
    if !yaml_ready() {
        return;
    }
    let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Assign:\n      größe.$: $.n\n    Next: B\n  B:\n    Type: Pass\n    QueryLanguage: JSONata\n    Output: '{% $größe + 1 %}'\n    End: true\n";
    let mut c = Client::start(Some(&["utf-16"]));
    c.open(YAML_URI, "asl-yaml", text);
    c.diagnostics(YAML_URI);
    let mut p = c.td_pos(YAML_URI, text, "$größe", 0, 2);
    p["newName"] = json!("maß");
    let r = c.ok("textDocument/rename", p);
    let renamed = apply_edits(&c, text, r["changes"][YAML_URI].as_array().unwrap());
    assert_eq!(renamed, text.replace("größe", "maß"));
    c.shutdown_and_exit().unwrap();
}
