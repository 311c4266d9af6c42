//! Property: whatever sequence of text edits the client sends (ranged or
//! whole, inserting and deleting anything, non-ASCII included), the
//! diagnostics the language server publishes for the final version are the
//! ones linting the final text from scratch gives.

use asl_lint::settings::Settings;
use asl_lint::source::{Encoding, SourceFile};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::time::Duration;

const BASE: &str = r#"{
  "Comment": "é 😀",
  "StartAt": "Ünïcödé",
  "States": {
    "Ünïcödé": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": { "a.$": "$.x", "b.$": "States.Format('{}', $.y)" },
                 "Retry": [ { "ErrorEquals": ["States.ALL"], "MaxAttempts": 2 } ],
                 "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Fail" } ],
                 "Next": "Choose" },
    "Choose": { "Type": "Choice",
                "Choices": [ { "Variable": "$.v", "NumericEquals": 1, "Next": "Done" } ],
                "Default": "Fail" },
    "Done": { "Type": "Succeed" },
    "Fail": { "Type": "Fail", "Error": "E" }
  }
}
"#;

/// One edit: replace the characters `[from, from + len)` (counted in
/// characters, clamped to the text) with `insert`; or, with `whole`,
/// replace the whole text by the edited one (a full-sync change).
#[derive(Clone, Debug)]
struct Edit {
    from: usize,
    len: usize,
    insert: String,
    whole: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = prop::sample::select(vec![
        "",
        "\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\r\n",
        "é",
        "😀",
        "Next",
        "\"Next\": \"Done\"",
        "\"Type\"",
        "true",
        "null",
        "1e999999",
        "-0",
        "$.a",
        "States.ALL",
        "\"Choose\"",
        "\\u00e9",
        "\t",
    ]);
    (
        0usize..400,
        0usize..12,
        prop::collection::vec(piece, 0..4),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(from, len, pieces, whole)| Edit {
            from,
            len,
            insert: pieces.concat(),
            whole,
        })
}

/// The byte offset of character `n` (clamped to the end).
fn byte_of_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// `offset`, moved before the `\r` when it falls between the `\r` and the
/// `\n` of a CRLF: LSP counts CRLF as one line break, so no position a
/// client can send stands there.
fn outside_crlf(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    if offset > 0 && b.get(offset - 1) == Some(&b'\r') && b.get(offset) == Some(&b'\n') {
        offset - 1
    } else {
        offset
    }
}

/// An LSP position (UTF-16) of byte `offset`.
fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": text[start..offset].encode_utf16().count() })
}

fn expected(path: &str, text: &str) -> Vec<(String, String, u32, u32, u32, u32)> {
    let file = SourceFile::new(path, text);
    let mut v: Vec<_> = asl_lint::lint_source(&file, &Settings::default())
        .iter()
        .map(|d| {
            let s = file.line_col(d.range.start(), Encoding::Utf16);
            let e = file.line_col(d.range.end(), Encoding::Utf16);
            // The server appends the help to the message.
            let message = match &d.help {
                Some(h) => format!("{}\nhelp: {h}", d.message),
                None => d.message.clone(),
            };
            (
                d.rule.name.to_string(),
                message,
                s.line,
                s.col,
                e.line,
                e.col,
            )
        })
        .collect();
    v.sort();
    v
}

fn published(diags: &Value) -> Vec<(String, String, u32, u32, u32, u32)> {
    let n = |v: &Value| v.as_u64().unwrap_or(u64::MAX) as u32;
    let mut v: Vec<_> = diags
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
                n(&r["start"]["line"]),
                n(&r["start"]["character"]),
                n(&r["end"]["line"]),
                n(&r["end"]["character"]),
            )
        })
        .collect();
    v.sort();
    v
}

/// Runs a session applying `edits` to `BASE`; returns the final text and
/// the diagnostics published for the final version.
fn session(uri: &str, language: &str, edits: &[Edit]) -> (String, Value) {
    let (client, server) = Connection::memory();
    let handle = std::thread::spawn(move || asl_lint::lsp::run(server));
    let send = |m: Message| client.sender.send(m).expect("server up");
    let notify =
        |method: &str, params: Value| send(Notification::new(method.into(), params).into());
    send(
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        )
        .into(),
    );
    notify("initialized", json!({}));
    notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 0, "text": BASE } }),
    );
    let mut text = BASE.to_string();
    for (i, e) in edits.iter().enumerate() {
        let start = outside_crlf(&text, byte_of_char(&text, e.from));
        let end = outside_crlf(&text, byte_of_char(&text, e.from + e.len));
        let change = if e.whole {
            text.replace_range(start..end, &e.insert);
            json!({ "text": text })
        } else {
            let c = json!({ "range": { "start": pos(&text, start), "end": pos(&text, end) }, "text": e.insert });
            text.replace_range(start..end, &e.insert);
            c
        };
        notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": i + 1 }, "contentChanges": [change] }),
        );
    }
    let last = edits.len() as u64;
    let diags = loop {
        match client.receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(Message::Notification(n))
                if n.method == "textDocument/publishDiagnostics" && n.params["version"] == last =>
            {
                break n.params["diagnostics"].clone();
            }
            Ok(_) => {}
            Err(e) => panic!("no diagnostics for version {last}: {e}"),
        }
    };
    send(Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into());
    notify("exit", json!(null));
    let result = handle.join().expect("no panic");
    assert!(result.is_ok(), "{result:?}");
    (text, diags)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn edits_give_the_diagnostics_of_the_final_text(edits in prop::collection::vec(edit(), 1..12)) {
        let (text, diags) = session("file:///p/machine.asl.json", "asl", &edits);
        prop_assert_eq!(published(&diags), expected("/p/machine.asl.json", &text));
    }

    #[test]
    fn yaml_edits_give_the_diagnostics_of_the_final_text(edits in prop::collection::vec(edit(), 1..6)) {
        // The same JSON text is YAML (flow style); edits break it differently.
        let (text, diags) = session("file:///p/machine.asl.yaml", "asl-yaml", &edits);
        prop_assert_eq!(published(&diags), expected("/p/machine.asl.yaml", &text));
    }
}
