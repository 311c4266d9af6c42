//! The pipeline for one file: bytes → text → spanned tree → schema → model →
//! rules → sorted diagnostics.

use crate::diagnostic::{self, Diagnostic};
use crate::model::Machine;
use crate::rules::{self, LintContext, Sink};
use crate::schema;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::syntax::{self, Document, Format, Node, TextRange};

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as the user gave it (or as discovered).
    pub path: String,
    /// The text, when the file could be read (lossily, for invalid UTF-8).
    pub source: Option<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// When a file is linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Named by the user or named like a definition (`*.asl.json`): always.
    Always,
    /// Found while walking: only when it holds a state machine.
    IfStateMachine,
}

/// Why bytes are not text.
struct DecodeError {
    message: String,
    help: &'static str,
    at: usize,
}

/// UTF-16 text without a byte-order mark: the first two code units are
/// ASCII characters, so every other byte is NUL (valid UTF-8, but no JSON or
/// YAML file starts like that).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] => *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii(),
        _ => false,
    }
}

/// The text of `bytes`, taking them over without a copy when they are UTF-8.
fn decode(bytes: Vec<u8>) -> (String, Option<DecodeError>) {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(&bytes)
    {
        return (
            String::new(),
            Some(DecodeError {
                message: "the file is encoded in UTF-16".into(),
                help: "save it as UTF-8; Step Functions definitions are UTF-8 text",
                at: 0,
            }),
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let head = &bytes[..bytes.len().min(8192)];
            let binary = head.contains(&0)
                || head
                    .iter()
                    .filter(|b| b.is_ascii_control() && !b.is_ascii_whitespace())
                    .count()
                    > head.len() / 10;
            let err = if binary {
                DecodeError {
                    message: "this looks like a binary file, not a definition".into(),
                    help:
                        "asl-lint reads JSON and YAML text; remove the file from the paths to lint",
                    at,
                }
            } else {
                DecodeError {
                    message: format!("invalid UTF-8 at byte {at}"),
                    help: "save the file as UTF-8",
                    at,
                }
            };
            (String::from_utf8_lossy(&bytes).into_owned(), Some(err))
        }
    }
}

/// True when a tree is a state machine (an object with `StartAt` or `States`).
fn looks_like_machine(root: &Node) -> bool {
    root.get("StartAt").is_some() || root.get("States").is_some()
}

/// Cheap textual test used when a discovered file does not parse: report its
/// syntax error only if it mentions both `StartAt` and `States`.
fn mentions_machine(text: &str) -> bool {
    text.contains("StartAt") && text.contains("States")
}

/// Lints bytes read from `path`. Returns `None` when `selection` is
/// [`Selection::IfStateMachine`] and the file holds no state machine.
pub fn lint_bytes(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    selection: Selection,
) -> Option<FileReport> {
    lint_owned_bytes(path, bytes.to_vec(), settings, selection)
}

/// [`lint_bytes`] taking the bytes over: UTF-8 becomes the text without a
/// copy, so a file is in memory once (the CLI reads files this way).
pub fn lint_owned_bytes(
    path: &str,
    bytes: Vec<u8>,
    settings: &Settings,
    selection: Selection,
) -> Option<FileReport> {
    let (text, err) = decode(bytes);
    if let Some(err) = err {
        if selection == Selection::IfStateMachine && !mentions_machine(&text) {
            return None;
        }
        let file = SourceFile::new(path, text);
        let mut sink = Sink::new(settings, None);
        // Cover the offending character (U+FFFD in the lossy text) when there is one.
        let at = file.text.len().min(err.at);
        let width = file.text[at..].chars().next().map_or(0, char::len_utf8);
        sink.report(
            &rules::syntax_error::SYNTAX_ERROR,
            TextRange::new(at, at + width),
            err.message,
        )
        .help(err.help);
        let mut diagnostics = sink.finish();
        diagnostic::sort(&mut diagnostics);
        return Some(FileReport {
            path: path.to_string(),
            source: Some(file),
            diagnostics,
        });
    }
    let file = SourceFile::new(path, text);
    lint_source_selected(file, settings, selection)
}

/// Lints a file whose text is already known (stdin, the language server).
pub fn lint_source(file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
    let parsed = syntax::parse(&file.text, Format::from_path(&file.path));
    lint_parsed(file, &parsed.documents, &parsed.errors, settings)
}

/// Lints a file whose text is already parsed (the language server keeps the
/// tree of each open document): the same findings as [`lint_source`], without
/// parsing the text again. `parsed` must be the parse of `file.text` in the
/// format its path names.
pub fn lint_parsed_source(
    file: &SourceFile,
    parsed: &syntax::Parsed,
    settings: &Settings,
) -> Vec<Diagnostic> {
    lint_parsed(file, &parsed.documents, &parsed.errors, settings)
}

fn lint_source_selected(
    file: SourceFile,
    settings: &Settings,
    selection: Selection,
) -> Option<FileReport> {
    let parsed = syntax::parse(&file.text, Format::from_path(&file.path));
    if selection == Selection::IfStateMachine {
        let is_machine = if parsed.documents.is_empty() {
            mentions_machine(&file.text)
        } else {
            parsed.documents.iter().any(|d| looks_like_machine(&d.root))
        };
        if !is_machine {
            return None;
        }
    }
    let diagnostics = lint_parsed(&file, &parsed.documents, &parsed.errors, settings);
    Some(FileReport {
        path: file.path.clone(),
        source: Some(file),
        diagnostics,
    })
}

fn lint_parsed(
    file: &SourceFile,
    documents: &[Document],
    errors: &[syntax::SyntaxError],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    {
        let mut sink = Sink::new(settings, documents.first().map(|d| &d.root));
        for e in errors {
            let r = sink.report(
                &rules::syntax_error::SYNTAX_ERROR,
                e.range,
                e.message.clone(),
            );
            if let Some(h) = &e.help {
                r.help(h.clone());
            }
        }
        all.extend(sink.finish());
    }
    // A multi-document YAML file: lint the documents that are state machines
    // (all of them when none is, so the problem is still reported).
    let machines: Vec<&Document> = if documents.len() > 1 {
        let m: Vec<&Document> = documents
            .iter()
            .filter(|d| looks_like_machine(&d.root))
            .collect();
        if m.is_empty() {
            documents.iter().collect()
        } else {
            m
        }
    } else {
        documents.iter().collect()
    };
    for doc in machines {
        all.extend(lint_document(file, &doc.root, settings));
    }
    for d in &mut all {
        d.range = on_char_boundaries(&file.text, d.range);
        for r in &mut d.related {
            r.range = on_char_boundaries(&file.text, r.range);
        }
    }
    diagnostic::sort(&mut all);
    all
}

/// `range` widened to whole characters and clamped to the text. Rules mark
/// "the first character" of a node as one byte, which in YAML (whose keys
/// may start with any character) can end inside a character.
fn on_char_boundaries(text: &str, range: TextRange) -> TextRange {
    let mut start = range.start().min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = range.end().clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::new(start, end)
}

/// Lints one document: schema, then the model-based rules.
pub fn lint_document(file: &SourceFile, root: &Node, settings: &Settings) -> Vec<Diagnostic> {
    let mut sink = Sink::new(settings, Some(root));
    schema::check(root, &mut sink);
    let machine = Machine::build(root);
    let cx = LintContext {
        file,
        root,
        machine: &machine,
        settings,
    };
    for rule in rules::ALL {
        if let Some(check) = rule.check {
            if sink.enabled(rule) {
                check(&cx, &mut sink);
            }
        }
    }
    sink.finish()
}
