//! The editor features, each a function of one open document (and the
//! negotiated position encoding) to an LSP result. None of them mutates the
//! document; the main loop in `mod.rs` owns the state.
//!
//! Navigation and hover read the tree of the current text; completion also
//! works on text that does not parse (see `context.rs`), reading state names
//! and types from the last tree that did.

use super::catalog::{self, Ctx};
use super::context::{self, Kind};
use super::convert::{self, LineMap};
use super::documents::Document;
use super::snippets;
use crate::model::{Machine, QueryLanguage, Scope, ScopeId, ScopeKind, StateType};
use crate::rules::invalid_variable_name;
use crate::rules::jsonata_common::{self, Slot};
use crate::rules::util::edit;
use crate::rules::util::variables::{assign_objects, variable_name, Variables};
use crate::rules::LintContext;
use crate::settings::Settings;
use crate::source::Encoding;
use crate::syntax::{pointer, Format, Member, Node, TextRange, Value};
use crate::template;
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionTextEdit, DocumentSymbol, Documentation, FoldingRange, FoldingRangeKind,
    GotoDefinitionResponse, Hover, HoverContents, InsertTextFormat, InsertTextMode, Location,
    MarkupContent, MarkupKind, Position, PrepareRenameResponse, Range, SymbolKind, TextEdit,
    WorkspaceEdit,
};

fn contains(r: TextRange, offset: usize) -> bool {
    r.start() <= offset && offset <= r.end()
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

/// A request error with a message for the user.
pub fn request_failed(message: impl Into<String>) -> ResponseError {
    ResponseError {
        code: ErrorCode::RequestFailed as i32,
        message: message.into(),
        data: None,
    }
}

// ---------------------------------------------------------------------------
// Locating the cursor in the tree

/// What the cursor is on.
enum Hit<'a> {
    /// An object key; `pointer` names the member.
    Key { member: &'a Member, pointer: String },
    /// A value (the innermost node containing the cursor).
    Value { node: &'a Node },
}

fn locate(root: &Node, offset: usize) -> Option<Hit<'_>> {
    if !contains(root.range, offset) {
        return None;
    }
    let mut node = root;
    let mut ptr = String::new();
    loop {
        match &node.value {
            Value::Object(members) => {
                if let Some(m) = members.iter().find(|m| contains(m.key_range, offset)) {
                    return Some(Hit::Key {
                        member: m,
                        pointer: pointer::push(&ptr, &m.key),
                    });
                }
                match members.iter().find(|m| contains(m.value.range, offset)) {
                    Some(m) => {
                        ptr = pointer::push(&ptr, &m.key);
                        node = &m.value;
                    }
                    None => return Some(Hit::Value { node }),
                }
            }
            Value::Array(items) => match items.iter().position(|n| contains(n.range, offset)) {
                Some(i) => {
                    ptr = pointer::push(&ptr, &i.to_string());
                    node = &items[i];
                }
                None => return Some(Hit::Value { node }),
            },
            _ => return Some(Hit::Value { node }),
        }
    }
}

/// A state named at the cursor: by its key, a transition, or `StartAt`.
struct NameAt<'a> {
    scope: ScopeId,
    name: &'a str,
    /// The token at the cursor (quotes included).
    token: TextRange,
}

fn name_at<'a>(machine: &Machine<'a>, offset: usize) -> Option<NameAt<'a>> {
    for st in &machine.states {
        if contains(st.name_range, offset) {
            return Some(NameAt {
                scope: st.scope,
                name: st.name,
                token: st.name_range,
            });
        }
    }
    for st in &machine.states {
        if !contains(st.node.range, offset) {
            continue;
        }
        for t in &st.transitions {
            if contains(t.node.range, offset) {
                return Some(NameAt {
                    scope: st.scope,
                    name: t.target,
                    token: t.node.range,
                });
            }
        }
    }
    for sc in &machine.scopes {
        if let Some(sa) = sc.start_at {
            if let (true, Some(name)) = (contains(sa.range, offset), sa.as_str()) {
                return Some(NameAt {
                    scope: sc.id,
                    name,
                    token: sa.range,
                });
            }
        }
    }
    None
}

/// The range inside the quotes of a quoted token.
fn inner(text: &str, r: TextRange) -> TextRange {
    let s = text.get(r.start()..r.end()).unwrap_or("");
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'') && b[b.len() - 1] == b[0] {
        TextRange::new(r.start() + 1, r.end() - 1)
    } else {
        r
    }
}

/// Every place naming state `name` of `scope`: its key (first), then
/// `StartAt` and each transition naming it.
fn occurrences(
    machine: &Machine<'_>,
    scope: ScopeId,
    name: &str,
) -> (Option<TextRange>, Vec<TextRange>) {
    let decl = machine.find(scope, name).map(|s| s.name_range);
    let mut refs = Vec::new();
    let sc = machine.scope(scope);
    if let Some(sa) = sc.start_at.filter(|n| n.as_str() == Some(name)) {
        refs.push(sa.range);
    }
    for st in machine.states_of(scope) {
        for t in &st.transitions {
            if t.target == name {
                refs.push(t.node.range);
            }
        }
    }
    (decl, refs)
}

// ---------------------------------------------------------------------------
// Hover

pub fn hover(doc: &Document, enc: Encoding, pos: Position) -> Option<Hover> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let mut parts: Vec<String> = Vec::new();
    let mut range: Option<TextRange> = None;

    for d in doc.diagnostics.iter().filter(|d| contains(d.range, offset)) {
        let mut s = format!(
            "**{}** `{}` ({}): {}\n\n{}",
            d.severity, d.rule.name, d.rule.code, d.rule.summary, d.message
        );
        if let Some(help) = &d.help {
            s.push_str(&format!("\n\nhelp: {help}"));
        }
        s.push_str(&format!("\n\n[Rule documentation]({})", d.rule.url()));
        parts.push(s);
        range = Some(d.range);
    }

    if let Some(root) = doc.root_at(offset) {
        let machine = Machine::build(root);
        if let Some(at) = name_at(&machine, offset) {
            parts.push(state_summary(&machine, at.scope, at.name));
            range = Some(at.token);
        } else {
            match locate(root, offset) {
                Some(Hit::Key { member, pointer }) => {
                    if let Some(text) = catalog::describe_field(root, &pointer) {
                        parts.push(text);
                        range = Some(member.key_range);
                    }
                }
                Some(Hit::Value { node }) if node.as_str().is_some() => {
                    if let Some((name, r)) = variable_at(doc, root, offset) {
                        let setters: Vec<String> = assignments(&machine, offset, &name)
                            .iter()
                            .map(|(state, _)| format!("`{state}`"))
                            .collect();
                        // `$name(` calls a function unless a variable of that
                        // name is assigned (JSONata looks variables up first).
                        let function = jsonata_function_at(&doc.text, node.range, r, &name);
                        match function {
                            Some((sig, d)) if setters.is_empty() => {
                                parts.push(format!("```\n{sig}\n```\n{d}"));
                            }
                            _ if setters.is_empty() => parts.push(format!(
                                "**`${name}`** (variable): not assigned by any state in scope"
                            )),
                            _ => parts.push(format!(
                                "**`${name}`** (variable): assigned by {}",
                                setters.join(", ")
                            )),
                        }
                        range = Some(r);
                    } else if let Some((text, r)) = word_hover(&doc.text, node.range, offset) {
                        parts.push(text);
                        range = Some(r);
                    }
                }
                _ => {}
            }
        }
    }

    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(markdown(parts.join("\n\n---\n\n"))),
        range: range.map(|r| map.range(r)),
    })
}

/// The signature and description of the JSONata function `$name` at `r` in
/// the string at `string`, when `name` is one and a `{%` opens before it.
fn jsonata_function_at(
    text: &str,
    string: TextRange,
    r: TextRange,
    name: &str,
) -> Option<(&'static str, &'static str)> {
    text.get(string.start()..r.start())?
        .contains("{%")
        .then_some(())?;
    catalog::JSONATA_FUNCTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, sig, d)| (*sig, *d))
}

/// Hover for an intrinsic, an error name or a context path inside a string.
fn word_hover(text: &str, node: TextRange, offset: usize) -> Option<(String, TextRange)> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$');
    let (lo, hi) = (node.start(), node.end().min(bytes.len()));
    let mut s = offset.clamp(lo, hi);
    while s > lo && is_word(bytes[s - 1]) {
        s -= 1;
    }
    let mut e = offset.clamp(lo, hi);
    while e < hi && is_word(bytes[e]) {
        e += 1;
    }
    let word = text.get(s..e)?.trim_end_matches('.');
    let r = TextRange::new(s, s + word.len());
    if let Some((_, sig, doc)) = catalog::INTRINSICS.iter().find(|(n, _, _)| *n == word) {
        return Some((format!("```\n{sig}\n```\n{doc}"), r));
    }
    if let Some((name, doc)) = catalog::ERRORS.iter().find(|(n, _)| *n == word) {
        return Some((format!("**`{name}`** (predefined error): {doc}"), r));
    }
    if let Some(rest) = word.strip_prefix("$states.") {
        if let Some(path) = rest.strip_prefix("context.") {
            let context = format!("$$.{path}");
            if let Some((name, doc)) = catalog::CONTEXT_FIELDS
                .iter()
                .filter(|(n, _)| context.starts_with(n))
                .max_by_key(|(n, _)| n.len())
            {
                let shown = name.replacen("$$.", "$states.context.", 1);
                return Some((format!("**`{shown}`** (context object): {doc}"), r));
            }
        }
        let field = rest.split('.').next().unwrap_or("");
        if let Some((f, doc)) = catalog::STATES_FIELDS.iter().find(|(f, _)| *f == field) {
            return Some((format!("**`$states.{f}`**: {doc}"), r));
        }
    }
    if word.starts_with("$$.") {
        if let Some((name, doc)) = catalog::CONTEXT_FIELDS
            .iter()
            .filter(|(n, _)| word.starts_with(n) || n.starts_with(word))
            .max_by_key(|(n, _)| n.len())
        {
            return Some((format!("**`{name}`** (context object): {doc}"), r));
        }
    }
    None
}

fn state_summary(machine: &Machine<'_>, scope: ScopeId, name: &str) -> String {
    let sc = machine.scope(scope);
    let Some(st) = machine.find(scope, name) else {
        return format!("No state named `{name}` in {}.", sc.describe(machine));
    };
    let ty = st.state_type.map_or("untyped", StateType::as_str);
    let mut s = format!("**`{name}`**: {ty} state ({})", st.query_language.as_str());
    if sc.kind != ScopeKind::Root {
        s.push_str(&format!(", in {}", sc.describe(machine)));
    }
    let outgoing: Vec<String> = st
        .transitions
        .iter()
        .map(|t| format!("`{}` ({})", t.target, t.kind.field()))
        .collect();
    let mut lines = Vec::new();
    if !outgoing.is_empty() {
        lines.push(format!("Goes to: {}", outgoing.join(", ")));
    }
    match st.state_type {
        Some(StateType::Succeed) => lines.push("Ends successfully.".into()),
        Some(StateType::Fail) => lines.push("Fails.".into()),
        _ if st.has_end_true() => lines.push("Ends (`\"End\": true`).".into()),
        _ => {}
    }
    match st.state_type {
        Some(StateType::Parallel) => {
            lines.push(format!(
                "Runs {} branch(es) in parallel.",
                st.children.len()
            ));
        }
        Some(StateType::Map) if !st.children.is_empty() => {
            lines.push("Runs its item processor for each item.".into());
        }
        _ => {}
    }
    let mut incoming: Vec<String> = Vec::new();
    if sc.start_at_name() == Some(name) {
        incoming.push("`StartAt`".into());
    }
    for other in machine.states_of(scope) {
        for t in other.transitions.iter().filter(|t| t.target == name) {
            incoming.push(format!("`{}` ({})", other.name, t.kind.field()));
        }
    }
    if incoming.is_empty() {
        lines.push("Reached from: nothing (no `StartAt` or transition names it).".into());
    } else {
        lines.push(format!("Reached from: {}", incoming.join(", ")));
    }
    for l in lines {
        s.push_str("\n\n");
        s.push_str(&l);
    }
    s
}

// ---------------------------------------------------------------------------
// Completion

struct Candidate {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
    /// Replace the word before the cursor (intrinsics, `$$.`) rather than
    /// everything typed since the quote.
    word: bool,
    /// Replace this range with the label as it is (variables: `$name`).
    range: Option<TextRange>,
    /// A snippet replacing this range (a new state, retrier, catcher).
    snippet: Option<(TextRange, String)>,
}

impl Candidate {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Self {
        Candidate {
            label: label.into(),
            kind,
            detail: None,
            doc: None,
            word: false,
            range: None,
            snippet: None,
        }
    }
    fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
    fn doc(mut self, d: impl Into<String>) -> Self {
        self.doc = Some(d.into());
        self
    }
}

/// A YAML scalar for `s`: plain when that reads back as the same string,
/// else double-quoted.
fn yaml_scalar(s: &str) -> String {
    if edit::yaml_plain_ok(s) {
        s.to_string()
    } else {
        json_string(s)
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// The text that replaces what was typed for a value or key `s`.
fn insert_text(s: &str, format: Format, quoted: bool) -> String {
    match (format, quoted) {
        (Format::Json, true) => {
            let j = json_string(s);
            j[1..j.len() - 1].to_string()
        }
        (Format::Json, false) => json_string(s),
        (Format::Yaml, true) => s.to_string(),
        (Format::Yaml, false) => yaml_scalar(s),
    }
}

/// Completion at `pos`; `snippets` when the client supports snippet text.
pub fn completion(
    doc: &Document,
    enc: Encoding,
    pos: Position,
    snippets: bool,
) -> Vec<CompletionItem> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let cx = match doc.format {
        Format::Json => context::json(&doc.text, offset),
        Format::Yaml => context::yaml(&doc.text, offset),
    };
    let Some(mut cx) = cx else {
        return Vec::new();
    };
    // In a template, only inside a definition written in place, whose key
    // path then starts at the definition.
    let mut base: Vec<String> = Vec::new();
    let mut embedded_root = None;
    if !doc.embedded.is_empty() {
        let Some(e) = doc.embedded.iter().find(|e| {
            let t = catalog::pointer_tokens(&e.pointer);
            cx.path.len() >= t.len() && cx.path[..t.len()] == t[..]
        }) else {
            return Vec::new();
        };
        base = cx
            .path
            .drain(..catalog::pointer_tokens(&e.pointer).len())
            .collect();
        embedded_root = Some(&e.root);
    }
    let mut candidates = candidates(doc, &cx, offset, &base, embedded_root);
    if snippets {
        let root = embedded_root.or_else(|| doc.root_at(offset));
        candidates.splice(0..0, snippet_candidates(doc, &cx, offset, root));
    }
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            if let Some((r, text)) = c.snippet {
                // Clients filter on the text of the range: a quote it starts
                // with is part of what the label must match.
                let quote = doc
                    .text
                    .get(r.start()..r.end())
                    .and_then(|t| t.chars().next())
                    .filter(|q| matches!(q, '"' | '\''))
                    .map(String::from)
                    .unwrap_or_default();
                return CompletionItem {
                    label: c.label.clone(),
                    kind: Some(CompletionItemKind::SNIPPET),
                    detail: c.detail,
                    documentation: c.doc.map(|d| Documentation::MarkupContent(markdown(d))),
                    sort_text: Some(format!("{i:04}")),
                    filter_text: Some(format!("{quote}{}", c.label)),
                    insert_text_format: Some(InsertTextFormat::SNIPPET),
                    insert_text_mode: Some(InsertTextMode::AS_IS),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(map.range(r), text))),
                    ..CompletionItem::default()
                };
            }
            let (range, text) = if let Some(r) = c.range {
                (r, c.label.clone())
            } else if c.word {
                (cx.word, c.label.clone())
            } else {
                (cx.prefix, insert_text(&c.label, doc.format, cx.quoted))
            };
            CompletionItem {
                label: c.label.clone(),
                kind: Some(c.kind),
                detail: c.detail,
                documentation: c.doc.map(|d| Documentation::MarkupContent(markdown(d))),
                sort_text: Some(format!("{i:04}")),
                filter_text: Some(c.label),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    map.range(range),
                    text,
                ))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// Snippets at the cursor: a new state of each type where a state name goes
/// (a key of `States`), a new retrier or catcher where an item of `Retry` or
/// `Catch` goes. Laid out in the document's format, from the cursor line's
/// indentation.
fn snippet_candidates(
    doc: &Document,
    cx: &context::Context,
    offset: usize,
    root: Option<&Node>,
) -> Vec<Candidate> {
    let walk = catalog::walk(&cx.path);
    let text = doc.text.as_str();
    let line_start = text[..cx.prefix.start()].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..cx.prefix.start()];
    // What the snippet replaces: the typed key with its quotes.
    let mut start = cx.prefix.start();
    let mut end = offset.max(cx.prefix.end());
    if cx.quoted && start > 0 {
        let q = text.as_bytes()[start - 1];
        start -= 1;
        if text.as_bytes().get(end) == Some(&q) {
            end += 1;
        }
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let indent: String = before
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let unit = if indent.contains('\t') { "\t" } else { "  " }.to_string();
    let layout = snippets::Layout {
        format: doc.format,
        unit,
        base: match doc.format {
            Format::Json => indent,
            // YAML: the column where the snippet starts.
            Format::Yaml => " ".repeat(text[line_start..start].chars().count()),
        },
        newline,
    };
    // JSON: a comma when another member or item follows.
    let comma = |close: &[char]| -> &'static str {
        let rest = text[end..].trim_start();
        if doc.format == Format::Json && !rest.is_empty() && !rest.starts_with(close) {
            ","
        } else {
            ""
        }
    };
    let range = TextRange::new(start, end);
    let make = |(label, detail, body): snippets::Snippet, sep: &str| {
        let mut c = Candidate::new(label, CompletionItemKind::SNIPPET).detail(detail);
        c.snippet = Some((range, format!("{body}{sep}")));
        c
    };
    let ql = root
        .map(Machine::build)
        .and_then(|m| {
            let scope_ptr = catalog::tokens_pointer(&cx.path[..walk.scope_len.min(cx.path.len())]);
            m.scopes.iter().find(|s| s.pointer == scope_ptr).map(|sc| {
                sc.node
                    .get("QueryLanguage")
                    .and_then(Node::as_str)
                    .and_then(QueryLanguage::parse)
                    .unwrap_or(m.query_language)
            })
        })
        .unwrap_or_default();
    match (&cx.kind, walk.ctx, doc.format) {
        (Kind::Key, Ctx::StatesMap, _) => {
            let sep = comma(&['}']);
            snippets::states(ql, &layout)
                .into_iter()
                .map(|s| make(s, sep))
                .collect()
        }
        (Kind::Item, Ctx::RetryList | Ctx::CatchList, Format::Json) if !cx.quoted => {
            let sep = comma(&[']']);
            let s = if walk.ctx == Ctx::RetryList {
                snippets::retrier(&layout)
            } else {
                snippets::catcher(&layout)
            };
            vec![make(s, sep)]
        }
        // YAML: a new `- ` item line of `Retry` or `Catch`, nothing typed after it.
        (Kind::Key, Ctx::Retrier | Ctx::Catcher, Format::Yaml)
            if before.trim_end().ends_with('-')
                && context::yaml_members(text, offset).is_empty() =>
        {
            let s = if walk.ctx == Ctx::Retrier {
                snippets::retrier(&layout)
            } else {
                snippets::catcher(&layout)
            };
            vec![make(s, "")]
        }
        _ => Vec::new(),
    }
}

/// The candidates at the cursor. `cx.path` starts at the definition; in a
/// template `base` is the key path of the definition and `embedded` its root.
fn candidates(
    doc: &Document,
    cx: &context::Context,
    offset: usize,
    base: &[String],
    embedded: Option<&Node>,
) -> Vec<Candidate> {
    // The key path of the innermost object (for items: of the array).
    let walk = catalog::walk(&cx.path);
    // A key path in the text (JSON members are read from the whole text).
    let in_text = |p: &[String]| -> Vec<String> { base.iter().chain(p).cloned().collect() };
    // Structure from the current tree, else the last one that parsed.
    let root = if embedded.is_some() {
        embedded
    } else if doc.parsed.documents.is_empty() {
        doc.tree()
            .and_then(|p| p.documents.first())
            .map(|d| &d.root)
    } else {
        doc.root_at(offset)
    };
    let machine = root.map(Machine::build);
    let machine = machine.as_ref();
    let scope_ptr = catalog::tokens_pointer(&cx.path[..walk.scope_len.min(cx.path.len())]);
    let scope = machine.and_then(|m| m.scopes.iter().find(|s| s.pointer == scope_ptr));
    let state = walk
        .state_at
        .and_then(|i| cx.path.get(i))
        .zip(machine.zip(scope))
        .and_then(|(name, (m, sc))| m.find(sc.id, name));

    // Fields of the object being edited, read from the current text.
    let siblings: Vec<(String, Option<String>)> = match doc.format {
        Format::Json => {
            let obj_path = if cx.kind == Kind::Item {
                &cx.path[..cx.path.len().saturating_sub(1)]
            } else {
                &cx.path[..]
            };
            context::json_members(&doc.text, &in_text(obj_path))
        }
        Format::Yaml if cx.kind != Kind::Item => context::yaml_members(&doc.text, offset),
        Format::Yaml => Vec::new(),
    };
    let sibling = |k: &str| {
        siblings
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.as_deref())
    };
    let in_state = walk.ctx == Ctx::State;
    let state_type = in_state
        .then(|| sibling("Type").and_then(StateType::parse))
        .flatten()
        .or_else(|| state.and_then(|s| s.state_type));
    let ql = in_state
        .then(|| sibling("QueryLanguage").and_then(QueryLanguage::parse))
        .flatten()
        .or_else(|| state.map(|s| s.query_language))
        .or_else(|| machine.map(|m| m.query_language))
        .or_else(|| {
            (doc.format == Format::Json)
                .then(|| {
                    context::json_members(&doc.text, base)
                        .into_iter()
                        .find(|(k, _)| k == "QueryLanguage")
                        .and_then(|(_, v)| v.as_deref().and_then(QueryLanguage::parse))
                })
                .flatten()
        })
        .unwrap_or_default();

    // State names of the scope, from the tree or (JSON) the text.
    let state_names = |exclude: Option<&str>| -> Vec<Candidate> {
        let names: Vec<(String, Option<String>)> = match (machine, scope) {
            (Some(m), Some(sc)) => m
                .states_of(sc.id)
                .map(|s| {
                    (
                        s.name.to_string(),
                        s.state_type.map(|t| t.as_str().to_string()),
                    )
                })
                .collect(),
            _ if doc.format == Format::Json => {
                let mut p: Vec<String> = cx.path[..walk.scope_len.min(cx.path.len())].to_vec();
                p.push("States".into());
                context::json_members(&doc.text, &in_text(&p))
                    .into_iter()
                    .map(|(k, _)| (k, None))
                    .collect()
            }
            _ => Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        names
            .into_iter()
            .filter(|(n, _)| Some(n.as_str()) != exclude && seen.insert(n.clone()))
            .map(|(n, ty)| {
                let c = Candidate::new(n, CompletionItemKind::REFERENCE);
                match ty {
                    Some(t) => c.detail(format!("{t} state")),
                    None => c.detail("state"),
                }
            })
            .collect()
    };
    let current_state = walk
        .state_at
        .and_then(|i| cx.path.get(i))
        .map(String::as_str);

    match &cx.kind {
        Kind::Key => {
            let typed = &doc.text[cx.prefix.start()..cx.prefix.end()];
            catalog::fields_of(walk.ctx, state_type, ql)
                .into_iter()
                .filter(|f| !siblings.iter().any(|(k, _)| k == f && k != typed))
                .map(|f| {
                    let mut ptr = catalog::tokens_pointer(&cx.path);
                    ptr = pointer::push(&ptr, &f);
                    let d = root.and_then(|r| catalog::describe_field(r, &ptr));
                    let c = Candidate::new(f, CompletionItemKind::PROPERTY);
                    match d {
                        Some(d) => c.doc(d),
                        None => c,
                    }
                })
                .collect()
        }
        Kind::Value { key } => {
            let key = key.as_str();
            match (walk.ctx, key) {
                (Ctx::Root | Ctx::Branch | Ctx::Processor, "StartAt") => state_names(None),
                (Ctx::State, "Next" | "Default") => state_names(current_state),
                (Ctx::Catcher | Ctx::ChoiceRule, "Next") => state_names(None),
                (Ctx::State, "Resource") => catalog::RESOURCES
                    .iter()
                    .map(|(arn, d)| Candidate::new(*arn, CompletionItemKind::VALUE).doc(*d))
                    .collect(),
                (Ctx::ItemReader, "Resource") => [
                    "arn:aws:states:::s3:getObject",
                    "arn:aws:states:::s3:listObjectsV2",
                ]
                .into_iter()
                .map(|a| Candidate::new(a, CompletionItemKind::VALUE))
                .collect(),
                (Ctx::ResultWriter, "Resource") => {
                    vec![Candidate::new(
                        "arn:aws:states:::s3:putObject",
                        CompletionItemKind::VALUE,
                    )]
                }
                (Ctx::State, "End") => {
                    let mut c = Candidate::new("true", CompletionItemKind::VALUE);
                    c.word = true;
                    vec![c]
                }
                _ => {
                    let values = catalog::enum_values(walk.ctx, key);
                    if !values.is_empty() {
                        return values
                            .iter()
                            .map(|v| Candidate::new(*v, CompletionItemKind::ENUM_MEMBER))
                            .collect();
                    }
                    if in_jsonata(doc, cx) {
                        return jsonata_candidates(
                            doc, cx, offset, machine, scope, &walk, state_type,
                        );
                    }
                    let mut out = expression_candidates(doc, cx, key);
                    out.extend(variable_candidates(doc, cx, Some(key), machine, scope));
                    out
                }
            }
        }
        Kind::Item if walk.ctx == Ctx::ErrorEquals => catalog::ERRORS
            .iter()
            .map(|(n, d)| Candidate::new(*n, CompletionItemKind::CONSTANT).doc(*d))
            .collect(),
        Kind::Item if in_jsonata(doc, cx) => {
            jsonata_candidates(doc, cx, offset, machine, scope, &walk, state_type)
        }
        Kind::Item => variable_candidates(doc, cx, None, machine, scope),
    }
}

/// True when the cursor is inside a `{% … %}` expression still open before it.
fn in_jsonata(doc: &Document, cx: &context::Context) -> bool {
    if doc.format == Format::Json && !cx.quoted {
        return false;
    }
    doc.text
        .get(cx.prefix.start()..cx.prefix.end())
        .and_then(|typed| typed.rfind("{%").map(|i| !typed[i..].contains("%}")))
        .unwrap_or(false)
}

/// Where a JSONata expression at the cursor is evaluated, which decides the
/// fields of `$states` it has: the slot the JSONata rules give the string
/// under the cursor ([`jsonata_common::sites`]) when the tree is the current
/// text's, else the same decision read from the key path (while the text
/// does not parse).
fn jsonata_slot(
    doc: &Document,
    cx: &context::Context,
    offset: usize,
    machine: Option<&Machine<'_>>,
    walk: &catalog::Walk,
    state_type: Option<StateType>,
) -> Slot {
    if let (false, Some(m)) = (doc.parsed.documents.is_empty(), machine) {
        if let Some(site) = jsonata_common::sites(m)
            .into_iter()
            .find(|s| contains(s.node.range, offset))
        {
            return site.slot;
        }
    }
    let Some(i) = walk.state_at else {
        return Slot::Other;
    };
    // The key path of the string: the containers, then its own key.
    let mut rest: Vec<&str> = cx.path.iter().skip(i + 1).map(String::as_str).collect();
    if let Kind::Value { key } = &cx.kind {
        rest.push(key);
    }
    match rest.first().copied() {
        Some("Catch") if matches!(rest.get(2).copied(), Some("Output" | "Assign")) => Slot::Catch,
        Some("Output" | "Assign")
            if matches!(
                state_type,
                Some(StateType::Task | StateType::Parallel | StateType::Map)
            ) =>
        {
            Slot::Result
        }
        Some("Arguments" | "ItemReader" | "ResultWriter") => Slot::Arguments,
        _ => Slot::Other,
    }
}

/// Completion inside a JSONata expression: after `$states.context.` the
/// context object's fields; after `$states.` the fields `$states` has here;
/// after `$` (or on nothing) the workflow variables in scope, `$states`, and
/// the JSONata functions Step Functions offers, with their signatures.
fn jsonata_candidates(
    doc: &Document,
    cx: &context::Context,
    offset: usize,
    machine: Option<&Machine<'_>>,
    scope: Option<&Scope<'_>>,
    walk: &catalog::Walk,
    state_type: Option<StateType>,
) -> Vec<Candidate> {
    let word = doc.text.get(cx.word.start()..cx.word.end()).unwrap_or("");
    let by_word = |c: Candidate| Candidate { word: true, ..c };
    if word.starts_with("$states.context.") {
        return catalog::CONTEXT_FIELDS
            .iter()
            .map(|(name, d)| {
                let label = name.replacen("$$.", "$states.context.", 1);
                by_word(Candidate::new(label, CompletionItemKind::FIELD).doc(*d))
            })
            .collect();
    }
    if word.starts_with("$states.") {
        let slot = jsonata_slot(doc, cx, offset, machine, walk, state_type);
        return catalog::STATES_FIELDS
            .iter()
            .filter(|(f, _)| match *f {
                "result" => slot == Slot::Result,
                "errorOutput" => slot == Slot::Catch,
                _ => true,
            })
            .map(|(f, d)| {
                by_word(Candidate::new(format!("$states.{f}"), CompletionItemKind::FIELD).doc(*d))
            })
            .collect();
    }
    // After `$`, part of a name, or nothing yet; not after `$$` or a path.
    let name_start = word.starts_with('$') && !word.starts_with("$$") && !word.contains('.');
    if !word.is_empty() && !name_start {
        return Vec::new();
    }
    let mut out = variable_candidates(doc, cx, None, machine, scope);
    out.push(by_word(
        Candidate::new("$states", CompletionItemKind::VARIABLE)
            .detail("reserved variable")
            .doc("The state's `input` and `context`, and where they exist its `result` and `errorOutput`."),
    ));
    for (name, sig, d) in catalog::JSONATA_FUNCTIONS {
        out.push(by_word(
            Candidate::new(format!("${name}"), CompletionItemKind::FUNCTION)
                .detail(*sig)
                .doc(*d),
        ));
    }
    out
}

/// Intrinsics and context paths inside JSONPath values.
fn expression_candidates(doc: &Document, cx: &context::Context, key: &str) -> Vec<Candidate> {
    let word = &doc.text[cx.word.start()..cx.word.end()];
    let dynamic = key.ends_with(".$");
    let path_field = dynamic || (key.ends_with("Path") && key != "ResultPath") || key == "Variable";
    let mut out = Vec::new();
    if path_field && (word.is_empty() || word.starts_with('$')) {
        for (name, d) in catalog::CONTEXT_FIELDS {
            let mut c = Candidate::new(*name, CompletionItemKind::FIELD).doc(*d);
            c.word = true;
            out.push(c);
        }
    }
    if dynamic && (word.is_empty() || word.starts_with('S')) {
        for (name, sig, d) in catalog::INTRINSICS {
            let mut c = Candidate::new(*name, CompletionItemKind::FUNCTION)
                .detail(*sig)
                .doc(*d);
            c.word = true;
            out.push(c);
        }
    }
    out
}

/// The workflow variables in scope, when the cursor follows `$` (and
/// perhaps part of a name) inside a JSONata `{% … %}` expression, or inside a
/// JSONPath `.$` value or path field (`key`). Offered are the names assigned
/// by the states of the cursor's scope and of the scopes enclosing it, up to
/// a Distributed Map's child workflow, which sees no outer variable.
fn variable_candidates(
    doc: &Document,
    cx: &context::Context,
    key: Option<&str>,
    machine: Option<&Machine<'_>>,
    scope: Option<&Scope<'_>>,
) -> Vec<Candidate> {
    let (Some(machine), Some(scope)) = (machine, scope) else {
        return Vec::new();
    };
    if doc.format == Format::Json && !cx.quoted {
        return Vec::new();
    }
    let Some(typed) = doc.text.get(cx.prefix.start()..cx.prefix.end()) else {
        return Vec::new();
    };
    let jsonata = typed
        .rfind("{%")
        .is_some_and(|i| !typed[i..].contains("%}"));
    let jsonpath = key.is_some_and(|k| {
        k.ends_with(".$") || (k.ends_with("Path") && k != "ResultPath") || k == "Variable"
    });
    if !jsonata && !jsonpath {
        return Vec::new();
    }
    // `$` then identifier characters up to the cursor, and not `$$`.
    let name_start = typed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()
        .map_or(typed.len(), |(i, _)| i);
    let before = &typed[..name_start];
    if !before.ends_with('$') || before.ends_with("$$") {
        return Vec::new();
    }
    let range = TextRange::new(cx.prefix.start() + name_start - 1, cx.prefix.end());
    // The scopes whose assignments are visible here.
    let mut chain: Vec<ScopeId> = Vec::new();
    let mut cur = Some(scope.id);
    while let Some(id) = cur {
        chain.push(id);
        let sc = machine.scope(id);
        if sc.distributed {
            break;
        }
        cur = sc.owner.map(|o| machine.state(o).scope);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for st in machine.states.iter().filter(|s| chain.contains(&s.scope)) {
        for (site, obj) in assign_objects(st) {
            for m in obj.as_object().unwrap_or(&[]) {
                let name = variable_name(&m.key);
                if !invalid_variable_name::is_valid_name(name) || !seen.insert(name) {
                    continue;
                }
                let mut c =
                    Candidate::new(format!("${name}"), CompletionItemKind::VARIABLE).detail(
                        format!("variable, assigned by `{}` of `{}`", site.field(), st.name),
                    );
                c.range = Some(range);
                out.push(c);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Navigation

pub fn definition(doc: &Document, enc: Encoding, pos: Position) -> Option<GotoDefinitionResponse> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let root = doc.root_at(offset)?;
    let machine = Machine::build(root);
    if let Some(at) = name_at(&machine, offset) {
        let st = machine.find(at.scope, at.name)?;
        return Some(GotoDefinitionResponse::Scalar(Location::new(
            doc.uri.clone(),
            map.range(st.name_range),
        )));
    }
    // A read the variable analysis finds, else `$name` in any string.
    let name = with_variables(doc, offset, |vars| {
        variable_token(vars, &doc.text, offset)
            .filter(|(_, t)| t.key.is_none())
            .map(|(name, _)| name)
    })
    .or_else(|| variable_at(doc, root, offset).map(|(name, _)| name))?;
    let mut locations: Vec<Location> = assignments(&machine, offset, &name)
        .into_iter()
        .map(|(_, key)| Location::new(doc.uri.clone(), map.range(key.key_range)))
        .collect();
    match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

// ---------------------------------------------------------------------------
// Variables

/// A `$name` variable reference in a string value at the cursor, with the
/// range of `$name`. `$states`, `$$` and `$` alone are not variables.
fn variable_at(doc: &Document, root: &Node, offset: usize) -> Option<(String, TextRange)> {
    let Some(Hit::Value { node }) = locate(root, offset) else {
        return None;
    };
    node.as_str()?;
    let bytes = doc.text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let (lo, hi) = (node.range.start(), node.range.end().min(bytes.len()));
    let mut s = offset.clamp(lo, hi);
    while s > lo && ident(bytes[s - 1]) {
        s -= 1;
    }
    if s == lo || bytes[s - 1] != b'$' || (s >= 2 && bytes[s - 2] == b'$') {
        return None;
    }
    let mut e = offset.clamp(lo, hi);
    while e < hi && ident(bytes[e]) {
        e += 1;
    }
    let name = doc.text.get(s..e)?;
    if name.is_empty() || name == "states" || name.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    Some((name.to_string(), TextRange::new(s - 1, e)))
}

/// The `Assign` members (of states, catchers and choice rules) that set
/// variable `name` and are visible at `offset`: assigned in the innermost
/// scope containing it or in an enclosing one.
fn assignments<'a>(machine: &Machine<'a>, offset: usize, name: &str) -> Vec<(&'a str, &'a Member)> {
    // The innermost scope containing the offset, then its ancestors.
    let mut visible: Vec<ScopeId> = Vec::new();
    let inner = machine
        .scopes
        .iter()
        .filter(|s| contains(s.node.range, offset))
        .max_by_key(|s| machine.depth(s.id));
    let mut cur = inner.map(|s| s.id);
    while let Some(id) = cur {
        visible.push(id);
        cur = machine.scope(id).owner.map(|o| machine.state(o).scope);
    }
    let mut out = Vec::new();
    for st in machine.states.iter().filter(|s| visible.contains(&s.scope)) {
        let mut objects: Vec<&'a Node> = st.node.get("Assign").into_iter().collect();
        for list in ["Catch", "Choices"] {
            if let Some(items) = st.node.get(list).and_then(Node::as_array) {
                objects.extend(items.iter().filter_map(|i| i.get("Assign")));
            }
        }
        for obj in objects {
            for m in obj.as_object().unwrap_or(&[]) {
                if m.key.strip_suffix(".$").unwrap_or(&m.key) == name {
                    out.push((st.name, m));
                }
            }
        }
    }
    out
}

/// Runs `f` on the variable analysis of the document holding `offset`
/// (the same one the variable rules use).
fn with_variables<R>(
    doc: &Document,
    offset: usize,
    f: impl FnOnce(&Variables<'_>) -> Option<R>,
) -> Option<R> {
    let root = doc.root_at(offset)?;
    let machine = Machine::build(root);
    let file = doc.source_file();
    let settings = Settings::default();
    let cx = LintContext::new(&file, root, &machine, &settings);
    f(&Variables::collect(&cx))
}

/// One place naming a variable: an `Assign` key or a read `$name`.
struct VarToken {
    /// The whole token: the key (quotes included) or `$name`.
    token: TextRange,
    /// Just the name, when the text spells it out unescaped.
    name: Option<TextRange>,
    /// An `Assign` key; `Some(true)` when it ends with `.$`.
    key: Option<bool>,
}

impl VarToken {
    fn read(text: &str, range: TextRange, name: &str) -> VarToken {
        let spelled = text.get(range.start()..range.end()) == Some(&format!("${name}"));
        VarToken {
            token: range,
            name: spelled.then(|| TextRange::new(range.start() + 1, range.end())),
            key: None,
        }
    }

    fn key(text: &str, member: &Member, name: &str) -> VarToken {
        let range = member.key_range;
        let raw = text.get(range.start()..range.end()).unwrap_or("");
        let q = usize::from(raw.starts_with(['"', '\'']));
        let spelled = raw.get(q..q + name.len()) == Some(name)
            && matches!(
                raw.get(q + name.len()..)
                    .map(|r| r.trim_end_matches(['"', '\''])),
                Some("" | ".$")
            );
        let start = range.start() + q;
        VarToken {
            token: range,
            name: spelled.then(|| TextRange::new(start, start + name.len())),
            key: Some(member.key.ends_with(".$")),
        }
    }

    /// What to highlight: the name, else the token.
    fn shown(&self) -> TextRange {
        self.name.unwrap_or(self.token)
    }
}

/// The variable at `offset` (a read or an `Assign` key) and its token.
fn variable_token(vars: &Variables<'_>, text: &str, offset: usize) -> Option<(String, VarToken)> {
    if let Some(r) = vars.reads.iter().find(|r| contains(r.range, offset)) {
        return Some((r.name.clone(), VarToken::read(text, r.range, &r.name)));
    }
    let a = vars
        .assignments
        .iter()
        .find(|a| contains(a.member.key_range, offset))?;
    Some((a.name.to_string(), VarToken::key(text, a.member, a.name)))
}

/// Every place naming variable `name` in the machine: its `Assign` keys,
/// then its reads, in source order, each once.
fn variable_tokens(vars: &Variables<'_>, text: &str, name: &str) -> Vec<VarToken> {
    let mut out: Vec<VarToken> = vars
        .assignments
        .iter()
        .filter(|a| a.name == name)
        .map(|a| VarToken::key(text, a.member, name))
        .collect();
    let mut reads: Vec<TextRange> = vars
        .reads
        .iter()
        .filter(|r| r.name == name)
        .map(|r| r.range)
        .collect();
    reads.sort_by_key(|r| (r.start(), r.end()));
    reads.dedup();
    out.extend(reads.into_iter().map(|r| VarToken::read(text, r, name)));
    out
}

fn variable_references(
    doc: &Document,
    map: &LineMap<'_>,
    offset: usize,
    include_decl: bool,
) -> Option<Vec<Location>> {
    with_variables(doc, offset, |vars| {
        let (name, _) = variable_token(vars, &doc.text, offset)?;
        Some(
            variable_tokens(vars, &doc.text, &name)
                .into_iter()
                .filter(|t| include_decl || t.key.is_none())
                .map(|t| Location::new(doc.uri.clone(), map.range(t.shown())))
                .collect(),
        )
    })
}

fn rename_variable(
    doc: &Document,
    map: &LineMap<'_>,
    offset: usize,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let result = with_variables(doc, offset, |vars| {
        let (name, _) = variable_token(vars, &doc.text, offset)?;
        // A `$` typed with the new name is the read syntax, not the name.
        let new = new_name.strip_prefix('$').unwrap_or(new_name);
        if new == "states" {
            return Some(Err(request_failed(
                "`states` is reserved (`$states` holds the state's input, result and context); \
                 choose another variable name",
            )));
        }
        if !invalid_variable_name::is_valid_name(new) {
            return Some(Err(request_failed(format!(
                "`{new_name}` is not a valid variable name: use a letter or `_`, then letters, \
                 digits or `_` (at most {} characters)",
                invalid_variable_name::MAX_NAME_LEN
            ))));
        }
        if new != name && vars.var(new).is_some() {
            return Some(Err(request_failed(format!(
                "a variable named `{new}` is already assigned; renaming `{name}` would merge the \
                 two"
            ))));
        }
        let edits: Vec<TextEdit> = variable_tokens(vars, &doc.text, &name)
            .into_iter()
            .map(|t| match (t.name, t.key) {
                (Some(r), _) => TextEdit::new(map.range(r), new.to_string()),
                (None, None) => TextEdit::new(map.range(t.token), format!("${new}")),
                (None, Some(dynamic)) => {
                    let old = doc.text.get(t.token.start()..t.token.end()).unwrap_or("");
                    let key = format!("{new}{}", if dynamic { ".$" } else { "" });
                    let text = match doc.format {
                        Format::Json => json_string(&key),
                        Format::Yaml => yaml_token(old, &key),
                    };
                    TextEdit::new(map.range(t.token), text)
                }
            })
            .collect();
        Some(Ok(convert::workspace_edit(&doc.uri, edits)))
    });
    match result {
        Some(Ok(edit)) => Ok(Some(edit)),
        Some(Err(e)) => Err(e),
        None => Ok(None),
    }
}

pub fn references(
    doc: &Document,
    enc: Encoding,
    pos: Position,
    include_decl: bool,
) -> Option<Vec<Location>> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let machine = Machine::build(doc.root_at(offset)?);
    let Some(at) = name_at(&machine, offset) else {
        return variable_references(doc, &map, offset, include_decl);
    };
    let (decl, refs) = occurrences(&machine, at.scope, at.name);
    let mut ranges: Vec<TextRange> = Vec::new();
    if include_decl {
        ranges.extend(decl);
    }
    ranges.extend(refs);
    Some(
        ranges
            .into_iter()
            .map(|r| Location::new(doc.uri.clone(), map.range(inner(&doc.text, r))))
            .collect(),
    )
}

pub fn prepare_rename(
    doc: &Document,
    enc: Encoding,
    pos: Position,
) -> Option<PrepareRenameResponse> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let machine = Machine::build(doc.root_at(offset)?);
    let Some(at) = name_at(&machine, offset) else {
        return with_variables(doc, offset, |vars| {
            let (name, t) = variable_token(vars, &doc.text, offset)?;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: map.range(t.shown()),
                placeholder: name,
            })
        });
    };
    // Only existing states can be renamed.
    machine.find(at.scope, at.name)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: map.range(inner(&doc.text, at.token)),
        placeholder: at.name.to_string(),
    })
}

pub fn rename(
    doc: &Document,
    enc: Encoding,
    pos: Position,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let map = doc.map(enc);
    let offset = map.offset(pos);
    let Some(root) = doc.root_at(offset) else {
        return Ok(None);
    };
    let machine = Machine::build(root);
    let Some(at) = name_at(&machine, offset) else {
        return rename_variable(doc, &map, offset, new_name);
    };
    if machine.find(at.scope, at.name).is_none() {
        return Err(request_failed(format!(
            "there is no state named `{}` to rename",
            at.name
        )));
    }
    if new_name.is_empty() {
        return Err(request_failed("a state name cannot be empty"));
    }
    if new_name != at.name && machine.states.iter().any(|s| s.name == new_name) {
        return Err(request_failed(format!(
            "a state named `{new_name}` already exists; state names must be unique in the whole \
             state machine"
        )));
    }
    let (decl, refs) = occurrences(&machine, at.scope, at.name);
    let edits: Vec<TextEdit> = decl
        .into_iter()
        .chain(refs)
        .map(|r| {
            let old = doc.text.get(r.start()..r.end()).unwrap_or("");
            let new_text = match doc.format {
                Format::Json => json_string(new_name),
                Format::Yaml => yaml_token(old, new_name),
            };
            TextEdit::new(map.range(r), new_text)
        })
        .collect();
    Ok(Some(convert::workspace_edit(&doc.uri, edits)))
}

/// A YAML token for `new` in the quoting style of `old` where possible.
fn yaml_token(old: &str, new: &str) -> String {
    edit::scalar_token(old, new, Format::Yaml)
}

// ---------------------------------------------------------------------------
// Outline and folding

fn symbol_kind(t: Option<StateType>) -> SymbolKind {
    match t {
        Some(StateType::Task) => SymbolKind::FUNCTION,
        Some(StateType::Pass) => SymbolKind::OBJECT,
        Some(StateType::Choice) => SymbolKind::ENUM,
        Some(StateType::Wait) => SymbolKind::EVENT,
        Some(StateType::Succeed) => SymbolKind::BOOLEAN,
        Some(StateType::Fail) => SymbolKind::CONSTANT,
        Some(StateType::Parallel) => SymbolKind::NAMESPACE,
        Some(StateType::Map) => SymbolKind::ARRAY,
        None => SymbolKind::KEY,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be spelled out.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    selection_range: Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        // Clients reject empty names.
        name: if name.is_empty() { "\"\"".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

fn scope_symbols(machine: &Machine<'_>, scope: ScopeId, map: &LineMap<'_>) -> Vec<DocumentSymbol> {
    machine
        .states_of(scope)
        .map(|st| {
            let children = st
                .children
                .iter()
                .map(|&c| {
                    let sc = machine.scope(c);
                    let (name, key) = match sc.kind {
                        ScopeKind::Branch { index } => (format!("Branch {index}"), None),
                        ScopeKind::ItemProcessor => ("ItemProcessor".into(), Some("ItemProcessor")),
                        ScopeKind::Iterator => ("Iterator".into(), Some("Iterator")),
                        ScopeKind::Root => (String::new(), None),
                    };
                    let sel = key
                        .and_then(|k| st.node.member(k))
                        .map(|m| m.key_range)
                        .unwrap_or_else(|| {
                            TextRange::new(sc.node.range.start(), sc.node.range.start() + 1)
                        });
                    let full = sel.cover(sc.node.range);
                    symbol(
                        name,
                        sc.start_at_name().map(|s| format!("starts at {s}")),
                        SymbolKind::MODULE,
                        map.range(full),
                        map.range(sel),
                        scope_symbols(machine, c, map),
                    )
                })
                .collect();
            symbol(
                st.name.to_string(),
                st.state_type.map(|t| t.as_str().to_string()),
                symbol_kind(st.state_type),
                map.range(st.name_range.cover(st.node.range)),
                map.range(st.name_range),
                children,
            )
        })
        .collect()
}

/// The outline: the states of each definition; in a template, one symbol
/// per state machine written in place (named by its logical id) holding its
/// states.
pub fn document_symbols(doc: &Document, enc: Encoding) -> Vec<DocumentSymbol> {
    let map = doc.map(enc);
    let mut out: Vec<DocumentSymbol> = doc
        .parsed
        .documents
        .iter()
        .filter(|d| template::classify(&d.root) == template::Kind::Definition)
        .flat_map(|d| {
            let machine = Machine::build(&d.root);
            scope_symbols(&machine, machine.root_scope().id, &map)
        })
        .collect();
    if !doc.parsed.documents.is_empty() {
        for e in &doc.embedded {
            let machine = Machine::build(&e.root);
            out.push(symbol(
                e.machine.clone(),
                Some("state machine".into()),
                SymbolKind::CLASS,
                map.range(e.range()),
                map.range(e.key_range),
                scope_symbols(&machine, machine.root_scope().id, &map),
            ));
        }
    }
    out
}

pub fn folding_ranges(doc: &Document, enc: Encoding) -> Vec<FoldingRange> {
    let map = doc.map(enc);
    let bytes = doc.text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = doc.parsed.documents.iter().map(|d| &d.root).collect();
    while let Some(node) = stack.pop() {
        let children: Vec<&Node> = match &node.value {
            Value::Object(m) => m.iter().map(|m| &m.value).collect(),
            Value::Array(a) => a.iter().collect(),
            _ => continue,
        };
        stack.extend(children.into_iter().rev());
        if node.range.is_empty() {
            continue;
        }
        let start = map.line(node.range.start());
        let last = node.range.end() - 1;
        let mut end = map.line(last);
        // Keep a closing bracket on its own line visible.
        if matches!(bytes.get(last), Some(b'}' | b']')) && end > start {
            end -= 1;
        }
        if end > start {
            out.push(FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(FoldingRangeKind::Region),
                ..FoldingRange::default()
            });
        }
    }
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out
}

// ---------------------------------------------------------------------------
// Formatting and selection ranges

/// The whole text re-indented (JSON only): one edit replacing it, none when
/// it is already formatted, `None` (declined) for YAML and for text with
/// syntax errors.
pub fn formatting(
    doc: &Document,
    enc: Encoding,
    options: &lsp_types::FormattingOptions,
) -> Option<Vec<TextEdit>> {
    if doc.format != Format::Json
        || doc.parsed.documents.is_empty()
        || !doc.parsed.errors.is_empty()
    {
        return None;
    }
    let final_newline = if options.insert_final_newline == Some(true) {
        Some(true)
    } else if options.trim_final_newlines == Some(true) && !doc.text.ends_with('\n') {
        Some(false)
    } else {
        None
    };
    let formatted = super::format::json(
        &doc.text,
        &super::format::Options {
            tab_size: options.tab_size,
            insert_spaces: options.insert_spaces,
            final_newline,
        },
    )?;
    if formatted == doc.text {
        return Some(Vec::new());
    }
    let map = doc.map(enc);
    Some(vec![TextEdit::new(
        map.range(TextRange::new(0, doc.text.len())),
        formatted,
    )])
}

/// For each position, the ranges around it from the innermost (a key's or a
/// string's text inside its quotes, the token, the member, the object or
/// array …) out to the whole document, read from the tree. `None` while the
/// text does not parse.
pub fn selection_ranges(
    doc: &Document,
    enc: Encoding,
    positions: &[Position],
) -> Option<Vec<lsp_types::SelectionRange>> {
    if doc.parsed.documents.is_empty() {
        return None;
    }
    let map = doc.map(enc);
    let whole = TextRange::new(0, doc.text.len());
    Some(
        positions
            .iter()
            .map(|&p| {
                let offset = map.offset(p);
                let mut chain = vec![whole];
                let root = doc
                    .parsed
                    .documents
                    .iter()
                    .map(|d| &d.root)
                    .find(|r| contains(r.range, offset));
                if let Some(root) = root {
                    selection_chain(&doc.text, root, offset, &mut chain);
                }
                // Outermost first; drop repeats and anything not inside its
                // parent (ranges must nest).
                let mut nested: Vec<TextRange> = Vec::new();
                for r in chain {
                    if nested
                        .last()
                        .is_some_and(|p| *p == r || !(p.start() <= r.start() && r.end() <= p.end()))
                    {
                        continue;
                    }
                    nested.push(r);
                }
                let mut out: Option<lsp_types::SelectionRange> = None;
                for r in nested {
                    out = Some(lsp_types::SelectionRange {
                        range: map.range(r),
                        parent: out.map(Box::new),
                    });
                }
                out.unwrap_or(lsp_types::SelectionRange {
                    range: map.range(TextRange::empty(offset)),
                    parent: None,
                })
            })
            .collect(),
    )
}

/// The ranges from `root` down to the innermost node at `offset`, outermost
/// first.
fn selection_chain(text: &str, root: &Node, offset: usize, chain: &mut Vec<TextRange>) {
    let mut node = root;
    chain.push(node.range);
    loop {
        match &node.value {
            Value::Object(members) => {
                let Some(m) = members
                    .iter()
                    .find(|m| contains(m.key_range.cover(m.value.range), offset))
                else {
                    return;
                };
                chain.push(m.key_range.cover(m.value.range));
                if contains(m.key_range, offset) && !contains(m.value.range, offset) {
                    chain.push(m.key_range);
                    chain.push(inner(text, m.key_range));
                    return;
                }
                if !contains(m.value.range, offset) {
                    return;
                }
                node = &m.value;
                chain.push(node.range);
            }
            Value::Array(items) => {
                let Some(item) = items.iter().find(|n| contains(n.range, offset)) else {
                    return;
                };
                node = item;
                chain.push(node.range);
            }
            Value::String(_) => {
                chain.push(inner(text, node.range));
                return;
            }
            _ => return,
        }
    }
}

// ---------------------------------------------------------------------------
// Code actions

pub fn code_actions(doc: &Document, enc: Encoding, range: Range) -> Vec<CodeActionOrCommand> {
    let map = doc.map(enc);
    let want = map.text_range(range);
    doc.diagnostics
        .iter()
        .filter(|d| d.range.start() <= want.end() && want.start() <= d.range.end())
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let edits = convert::text_edits(&fix.edits, &map);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(d, &doc.uri, &map)]),
                edit: Some(convert::workspace_edit(&doc.uri, edits)),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
    use crate::rules::duplicate_key::DUPLICATE_KEY;
    use lsp_types::Uri;
    use std::str::FromStr;

    fn doc(text: &str) -> Document {
        Document::new(
            Uri::from_str("file:///t/x.asl.json").unwrap(),
            "asl".into(),
            1,
            text.into(),
        )
    }

    fn pos_of(d: &Document, needle: &str, delta: usize) -> Position {
        let o = d.text.find(needle).unwrap() + delta;
        d.map(Encoding::Utf16).position(o)
    }

    #[test]
    fn code_action_from_a_fix() {
        let mut d = doc("{\"StartAt\": \"A\", \"StartAt\": \"A\", \"States\": {}}");
        let second = d.text.rfind("\"StartAt\"").unwrap();
        d.diagnostics.push(Diagnostic {
            rule: &DUPLICATE_KEY,
            severity: Severity::Error,
            message: "key `StartAt` appears more than once in this object".into(),
            help: None,
            range: TextRange::new(second, second + 9),
            pointer: "/StartAt".into(),
            related: vec![],
            fix: Some(Fix {
                title: "remove the second `StartAt`".into(),
                edits: vec![Edit {
                    range: TextRange::new(second - 2, second + 15),
                    replacement: String::new(),
                }],
            }),
        });
        let r = Range::new(
            pos_of(&d, "\"StartAt\": \"A\", \"S", 20),
            pos_of(&d, "\"StartAt\": \"A\", \"S", 20),
        );
        let actions = code_actions(&d, Encoding::Utf16, r);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(a) = &actions[0] else {
            panic!()
        };
        assert_eq!(a.title, "remove the second `StartAt`");
        let edits = &a.edit.as_ref().unwrap().changes.as_ref().unwrap()[&d.uri];
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(0, 15), Position::new(0, 32))
        );
        // Outside the diagnostic: nothing.
        let r = Range::new(Position::new(0, 0), Position::new(0, 1));
        assert!(code_actions(&d, Encoding::Utf16, r).is_empty());
    }

    #[test]
    fn hover_on_intrinsic_error_and_field() {
        let d = doc(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Format('{}', $$.Execution.Id)"},"Retry":[{"ErrorEquals":["States.Timeout"]}],"End":true}}}"#,
        );
        let h = hover(&d, Encoding::Utf16, pos_of(&d, "Format(", 2)).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("States.Format(template"), "{}", m.value);
        let h = hover(&d, Encoding::Utf16, pos_of(&d, "Timeout", 0)).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("predefined error"), "{}", m.value);
        let h = hover(&d, Encoding::Utf16, pos_of(&d, "Execution.Id", 3)).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("`$$.Execution.Id`"), "{}", m.value);
        let h = hover(&d, Encoding::Utf16, pos_of(&d, "\"Retry\"", 2)).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("retriers"), "{}", m.value);
    }

    #[test]
    fn variables_resolve_to_visible_assignments() {
        let d = doc(r#"{"StartAt":"A","States":{
            "A":{"Type":"Pass","Assign":{"total":1,"other.$":"$.x"},"Next":"M"},
            "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{
                "I":{"Type":"Pass","Assign":{"inner":2},"Output":"{% $total + $inner %}","End":true}}},
                "Parameters":{"x.$":"$other.y"},"Next":"Z"},
            "Z":{"Type":"Pass","Parameters":{"y.$":"$inner"},"End":true}}}"#);
        let key = |k: &str| d.map(Encoding::Utf16).position(d.text.find(k).unwrap());
        let def =
            |needle: &str, delta: usize| definition(&d, Encoding::Utf16, pos_of(&d, needle, delta));
        // From an inner scope to the outer assignment.
        let Some(GotoDefinitionResponse::Scalar(l)) = def("$total +", 2) else {
            panic!()
        };
        assert_eq!(l.range.start, key("\"total\""));
        let Some(GotoDefinitionResponse::Scalar(l)) = def("$inner %", 1) else {
            panic!()
        };
        assert_eq!(l.range.start, key("\"inner\""));
        // A `.$` assignment key, referenced with a field path.
        let Some(GotoDefinitionResponse::Scalar(l)) = def("$other.y", 3) else {
            panic!()
        };
        assert_eq!(l.range.start, key("\"other.$\""));
        // An inner variable is not visible outside its scope.
        assert!(def("$inner\"", 2).is_none());
        let h = hover(&d, Encoding::Utf16, pos_of(&d, "$total +", 1)).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("assigned by `A`"), "{}", m.value);
    }

    #[test]
    fn every_feature_at_every_position_never_panics() {
        let texts = [
            "{\"StartAt\":\"😀\",\"States\":{\"😀\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"x\",\"States\":{\"x\":{\"Type\":\"Pass\",\"End\":true}}}],\"Next\":\"漢\"},\r\n\"漢\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsNull\":true,\"Next\":\"😀\"}],\"Default\":\"missing\"}}}",
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Next\": \"é\\\"\n, \"Re",
            "\u{feff}{\"States\": [1, {\"a\": \"\\u00e9 $x $$.Map\"}], \"StartAt\": 5}",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"prü.$\":\"$.x\",\"n\":\"{% $prü %}\"},\"Parameters\":{\"a.$\":\"$prü.y\",\"b.$\":\"$$\"},\"Output\":\"{% $n & $prü\\u00e9 %}\",\"End\":true}}}",
            "}}]],,::\"\"\"{",
            "",
        ];
        for (i, text) in texts.iter().enumerate() {
            for uri in ["file:///t/x.asl.json", "file:///t/x.asl.yaml"] {
                let d = Document::new(
                    Uri::from_str(uri).unwrap(),
                    "asl".into(),
                    1,
                    text.to_string(),
                );
                for enc in [Encoding::Utf8, Encoding::Utf16] {
                    let lines = text.split('\n').count() as u32 + 1;
                    for line in 0..lines {
                        for col in 0..(text.len() as u32 + 3) {
                            let p = Position::new(line, col);
                            let _ = hover(&d, enc, p);
                            let _ = completion(&d, enc, p, true);
                            let _ = selection_ranges(&d, enc, &[p]);
                            let _ = definition(&d, enc, p);
                            let _ = references(&d, enc, p, true);
                            let _ = prepare_rename(&d, enc, p);
                            let _ = rename(&d, enc, p, "new name");
                            let _ = code_actions(&d, enc, Range::new(p, Position::new(0, 0)));
                        }
                    }
                    let _ = document_symbols(&d, enc);
                    let _ = folding_ranges(&d, enc);
                    let _ = formatting(
                        &d,
                        enc,
                        &lsp_types::FormattingOptions {
                            tab_size: 2,
                            insert_spaces: true,
                            ..Default::default()
                        },
                    );
                }
                let _ = i;
            }
        }
    }

    #[test]
    fn json_completion_quotes_outside_strings() {
        let d = doc("{\"StartAt\": , \"States\": {\"A b\": {\"Type\": \"Task\",  }}}");
        let items = completion(&d, Encoding::Utf16, pos_of(&d, ": ,", 2), false);
        let a = items.iter().find(|i| i.label == "A b").unwrap();
        let Some(CompletionTextEdit::Edit(e)) = &a.text_edit else {
            panic!()
        };
        assert_eq!(e.new_text, "\"A b\"");
        let items = completion(&d, Encoding::Utf16, pos_of(&d, ",  }", 2), false);
        let r = items.iter().find(|i| i.label == "Resource").unwrap();
        let Some(CompletionTextEdit::Edit(e)) = &r.text_edit else {
            panic!()
        };
        assert_eq!(e.new_text, "\"Resource\"");
        assert!(!items.iter().any(|i| i.label == "Type"));
    }

    #[test]
    fn yaml_scalars_quote_when_needed() {
        assert_eq!(yaml_scalar("Check Order"), "Check Order");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("12"), "\"12\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("- x"), "\"- x\"");
        assert_eq!(yaml_scalar("状態 😀"), "状態 😀");
        assert_eq!(yaml_token("'it''s'", "it's"), "'it''s'");
    }

    #[test]
    fn folding_keeps_closing_brackets_visible() {
        let d =
            doc("{\n \"StartAt\": \"A\",\n \"States\": {\n  \"A\": {\"Type\": \"Succeed\"}\n }\n}");
        let f = folding_ranges(&d, Encoding::Utf16);
        let lines: Vec<(u32, u32)> = f.iter().map(|f| (f.start_line, f.end_line)).collect();
        assert_eq!(lines, vec![(0, 4), (2, 3)]);
    }
}
