//! Where the cursor is, read from the text alone, so completion works while
//! the document is momentarily invalid (`"Next": "|` with no closing quote).
//!
//! JSON is scanned by a tolerant tokenizer that tracks the stack of open
//! objects and arrays with their keys: no error stops it, strings end at the
//! end of their line, and unbalanced brackets are absorbed. YAML is read line
//! by line from indentation.

use crate::syntax::TextRange;

/// What the cursor is typing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A key of the innermost object.
    Key,
    /// The value of `key` in the innermost object.
    Value { key: String },
    /// An item of the innermost array (the path ends with the array's key).
    Item,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// Keys and indices of the containers around the cursor, from the root;
    /// for [`Kind::Item`] the last token is the array's key.
    pub path: Vec<String>,
    pub kind: Kind,
    /// The text already typed for this key or value (inside the quotes).
    pub prefix: TextRange,
    /// The identifier-like word right before the cursor (`$$.Exe`, `States.Fo`).
    pub word: TextRange,
    /// True when the cursor is inside quotes.
    pub quoted: bool,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$')
}

fn word_before(text: &str, start: usize, offset: usize) -> TextRange {
    let bytes = text.as_bytes();
    let mut w = offset;
    while w > start && is_word_byte(bytes[w - 1]) {
        w -= 1;
    }
    TextRange::new(w, offset)
}

// ---------------------------------------------------------------------------
// JSON

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Clone, Debug)]
struct Frame {
    obj: bool,
    /// Its key (or index) in the parent; `None` for the root.
    token: Option<String>,
    index: usize,
    key: Option<String>,
    expect: Expect,
}

impl Frame {
    fn child_token(&self) -> String {
        if self.obj {
            self.key.clone().unwrap_or_default()
        } else {
            self.index.to_string()
        }
    }
}

/// A member seen by the scanner: the path of its object, its key, and its
/// value when that is a string (`None` for the key event itself and for
/// non-string values).
type OnMember<'v> = dyn FnMut(&[Frame], &str, Option<&str>) + 'v;

struct ScanEnd {
    stack: Vec<Frame>,
    /// Start (the quote) of a string still open at `end`.
    open_string: Option<usize>,
}

fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string())
}

fn scan(text: &str, end: usize, on_member: &mut OnMember<'_>) -> ScanEnd {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        let b = bytes[i];
        match b {
            b'"' => {
                let start = i;
                i += 1;
                let mut closed = false;
                while i < end {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            closed = true;
                            break;
                        }
                        b'\n' | b'\r' => break,
                        _ => i += 1,
                    }
                }
                if i >= end && !closed {
                    return ScanEnd {
                        stack,
                        open_string: Some(start),
                    };
                }
                let raw = text.get(start + 1..i).unwrap_or("");
                let s = unescape(raw);
                if closed {
                    i += 1;
                }
                if let Some(top) = stack.last_mut() {
                    if top.obj {
                        match top.expect {
                            Expect::Value => {
                                top.expect = Expect::Comma;
                                let key = top.key.clone().unwrap_or_default();
                                on_member(&stack, &key, Some(&s));
                            }
                            _ => {
                                top.key = Some(s.clone());
                                top.expect = Expect::Colon;
                                on_member(&stack, &s, None);
                            }
                        }
                    } else {
                        top.expect = Expect::Comma;
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                let token = stack.last().map(Frame::child_token);
                stack.push(Frame {
                    obj: b == b'{',
                    token,
                    index: 0,
                    key: None,
                    expect: if b == b'{' {
                        Expect::Key
                    } else {
                        Expect::Value
                    },
                });
            }
            b'}' | b']' => {
                stack.pop();
                if let Some(top) = stack.last_mut() {
                    top.expect = Expect::Comma;
                }
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    if top.obj {
                        top.expect = Expect::Value;
                    }
                }
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    if top.obj {
                        top.expect = Expect::Key;
                        top.key = None;
                    } else {
                        top.index += 1;
                        top.expect = Expect::Value;
                    }
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                // A bare literal (number, true, false, null, or junk).
                let start = i;
                while i < end && (is_word_byte(bytes[i]) || bytes[i] == b'-') {
                    i += 1;
                }
                if i >= end {
                    break;
                }
                if let Some(top) = stack.last_mut() {
                    top.expect = Expect::Comma;
                }
                if i == start {
                    // A lone punctuation byte: step over it.
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    ScanEnd {
        stack,
        open_string: None,
    }
}

fn path_of(stack: &[Frame]) -> Vec<String> {
    stack.iter().filter_map(|f| f.token.clone()).collect()
}

/// The completion context at `offset` of a JSON text.
pub fn json(text: &str, offset: usize) -> Option<Context> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = scan(text, offset, &mut |_, _, _| {});
    let top = end.stack.last()?;
    let path = path_of(&end.stack);
    let (prefix_start, quoted) = match end.open_string {
        Some(q) => (q + 1, true),
        None => (word_before(text, 0, offset).start(), false),
    };
    let kind = if top.obj {
        match top.expect {
            Expect::Value => Kind::Value {
                key: top.key.clone().unwrap_or_default(),
            },
            Expect::Colon if !quoted => return None,
            _ => Kind::Key,
        }
    } else {
        Kind::Item
    };
    Some(Context {
        path,
        kind,
        prefix: TextRange::new(prefix_start, offset),
        word: word_before(text, prefix_start, offset),
        quoted,
    })
}

/// The members (key, string value if any) of every object at `path` in a
/// JSON text, read tolerantly.
pub fn json_members(text: &str, path: &[String]) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    scan(text, text.len(), &mut |stack, key, value| {
        let matches = stack.iter().filter(|f| f.token.is_some()).count() == path.len()
            && stack
                .iter()
                .filter_map(|f| f.token.as_deref())
                .zip(path)
                .all(|(a, b)| a == b);
        if !matches {
            return;
        }
        match value {
            None => out.push((key.to_string(), None)),
            Some(v) => {
                if let Some(last) = out.iter_mut().rev().find(|(k, _)| k == key) {
                    last.1 = Some(v.to_string());
                }
            }
        }
    });
    out
}

// ---------------------------------------------------------------------------
// YAML

struct Line<'a> {
    /// Column of the first character after indentation and `- ` markers.
    key_col: usize,
    /// Column of the last `-` marker, if the line starts sequence items.
    dash: Option<usize>,
    /// The content after the markers.
    rest: &'a str,
}

fn yaml_line(line: &str) -> Line<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut col = indent;
    let mut rest = &line[indent..];
    let mut dash = None;
    loop {
        if rest == "-" || rest.starts_with("- ") {
            dash = Some(col);
            let after = rest[1..].trim_start_matches(' ');
            col += rest.len() - after.len();
            rest = after;
        } else {
            break;
        }
    }
    Line {
        key_col: col,
        dash,
        rest,
    }
}

/// The key of a `key:` or `key: value` line, unquoted.
fn yaml_key(rest: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(q @ ('"' | '\'')) = rest.chars().next() {
        let close = rest[1..].find(q)? + 1;
        let after = rest[close + 1..].strip_prefix(':')?;
        (rest[1..close].to_string(), after)
    } else {
        let colon = rest
            .match_indices(':')
            .find(|(i, _)| rest[i + 1..].is_empty() || rest[i + 1..].starts_with([' ', '\t']))?
            .0;
        (rest[..colon].trim_end().to_string(), &rest[colon + 1..])
    };
    if after.is_empty() || after.starts_with([' ', '\t']) {
        Some((key, after.trim_start()))
    } else {
        None
    }
}

fn skip_yaml_line(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with('#')
}

/// The completion context at `offset` of a YAML text (block style).
pub fn yaml(text: &str, offset: usize) -> Option<Context> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let current = yaml_line(&text[line_start..offset]);
    let rest_start = line_start + current.key_col;

    // For `key: [a, b|`, the array's key.
    let mut array_key: Option<String> = None;
    let (kind, prefix_start, quoted) = match yaml_key(current.rest) {
        Some((key, value)) => {
            if let Some(inner) = value.strip_prefix('[') {
                let last = inner.rfind(',').map_or(0, |i| i + 1);
                let item = inner[last..].trim_start();
                let q = item.starts_with(['"', '\'']);
                array_key = Some(key);
                (Kind::Item, offset - item.len() + q as usize, q)
            } else {
                let q = value.starts_with(['"', '\'']);
                (Kind::Value { key }, offset - value.len() + q as usize, q)
            }
        }
        None => {
            let q = current.rest.starts_with(['"', '\'']);
            (Kind::Key, rest_start + q as usize, q)
        }
    };

    // Walk upward to find the containers.
    let mut path_rev: Vec<String> = Vec::new();
    let mut col = current.key_col;
    // Inside a sequence item: the column of its dash and its index so far.
    let mut item: Option<(usize, usize)> = current.dash.map(|d| (d, 0));
    let above = &text[..line_start];
    for raw in above.lines().rev() {
        let raw = raw.trim_end_matches('\r');
        if raw == "---" || raw == "..." {
            break;
        }
        let l = yaml_line(raw);
        if skip_yaml_line(l.rest) && l.dash.is_none() {
            continue;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        if let Some((d, index)) = item {
            if l.dash.is_some() && indent == d {
                item = Some((d, index + 1));
                continue;
            }
            if indent > d {
                continue;
            }
            path_rev.push(index.to_string());
            item = None;
            match yaml_key(l.rest) {
                Some((key, _)) => {
                    path_rev.push(key);
                    col = l.key_col;
                    item = l.dash.map(|d| (d, 0));
                }
                None => break,
            }
            continue;
        }
        if l.key_col == col && l.dash.is_some() {
            item = l.dash.map(|d| (d, 0));
            continue;
        }
        if l.key_col < col {
            match yaml_key(l.rest) {
                Some((key, _)) => {
                    path_rev.push(key);
                    col = l.key_col;
                    item = l.dash.map(|d| (d, 0));
                }
                None => break,
            }
        }
    }
    if let Some((_, index)) = item {
        // The cursor's item (or a parent) reached the top without an owner:
        // a top-level sequence.
        path_rev.push(index.to_string());
    }
    path_rev.reverse();
    let mut path = path_rev;
    if let Some(key) = array_key {
        path.push(key);
    }
    Some(Context {
        path,
        kind,
        prefix: TextRange::new(prefix_start, offset),
        word: word_before(text, prefix_start, offset),
        quoted,
    })
}

/// A scalar value as written after `key:` on one line, unquoted and without
/// a trailing comment; `None` when nothing (or a collection) follows.
fn yaml_inline_value(after: &str) -> Option<String> {
    let v = after.trim();
    if v.is_empty() || v.starts_with(['#', '{', '[', '|', '>', '&', '*', '!']) {
        return None;
    }
    if let Some(q @ ('"' | '\'')) = v.chars().next() {
        let close = v[1..].find(q)? + 1;
        return Some(v[1..close].to_string());
    }
    let v = v.find(" #").map_or(v, |i| &v[..i]).trim_end();
    Some(v.to_string())
}

/// The members (key, scalar value if any) of the YAML block mapping whose
/// key line holds `offset`, read from the text alone: the keys at the
/// cursor line's key column, up to the lines that end the mapping (a line
/// indented less, a new sequence item, a document marker). The cursor's own
/// line is included.
pub fn yaml_members(text: &str, offset: usize) -> Vec<(String, Option<String>)> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let current = yaml_line(text[line_start..line_end].trim_end_matches('\r'));
    let col = current.key_col;
    let member = |l: &Line<'_>| yaml_key(l.rest).map(|(k, after)| (k, yaml_inline_value(after)));
    let mut above: Vec<(String, Option<String>)> = Vec::new();
    // A line with a dash starts the cursor's item: nothing above belongs.
    if current.dash.is_none() {
        for raw in text[..line_start].lines().rev() {
            let raw = raw.trim_end_matches('\r');
            if raw == "---" || raw == "..." {
                break;
            }
            let l = yaml_line(raw);
            if skip_yaml_line(l.rest) {
                continue;
            }
            if l.key_col < col {
                break;
            }
            if l.key_col > col {
                continue;
            }
            above.extend(member(&l));
            if l.dash.is_some() {
                break;
            }
        }
    }
    above.reverse();
    let mut out = above;
    out.extend(member(&current));
    for raw in text[line_end..].lines().skip(1) {
        let raw = raw.trim_end_matches('\r');
        if raw == "---" || raw == "..." {
            break;
        }
        let l = yaml_line(raw);
        if skip_yaml_line(l.rest) {
            continue;
        }
        if l.key_col < col || l.dash.is_some_and(|d| d < col) {
            break;
        }
        if l.key_col > col || l.dash.is_some() {
            continue;
        }
        out.extend(member(&l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, usize) {
        let i = text.find('|').unwrap();
        (text.replacen('|', "", 1), i)
    }

    fn p(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn json_value_in_unterminated_string() {
        let (t, o) = at(
            "{\n \"StartAt\": \"A\",\n \"States\": {\n  \"A\": {\"Type\": \"Pass\", \"Next\": \"B|",
        );
        let cx = json(&t, o).unwrap();
        assert_eq!(cx.path, p(&["States", "A"]));
        assert_eq!(cx.kind, Kind::Value { key: "Next".into() });
        assert!(cx.quoted);
        assert_eq!(&t[cx.prefix.start()..cx.prefix.end()], "B");
    }

    #[test]
    fn json_key_positions() {
        let (t, o) = at("{\"States\": {\"A\": {\"Type\": \"Task\", \"Re|\"}}}");
        let cx = json(&t, o).unwrap();
        assert_eq!(cx.kind, Kind::Key);
        assert_eq!(cx.path, p(&["States", "A"]));
        let (t, o) = at("{\"States\": {\"A\": {\"Type\": \"Task\", | }}}");
        let cx = json(&t, o).unwrap();
        assert_eq!(cx.kind, Kind::Key);
        assert!(!cx.quoted);
        // After a colon, outside quotes: a value.
        let (t, o) = at("{\"StartAt\": |");
        assert_eq!(
            json(&t, o).unwrap().kind,
            Kind::Value {
                key: "StartAt".into()
            }
        );
        // Before the root object: nothing.
        assert!(json("  {}", 1).is_none());
    }

    #[test]
    fn json_arrays_and_escapes() {
        let (t, o) = at(
            r#"{"States": {"P": {"Branches": [{}, {"States": {"B\"x": {"Retry": [{"ErrorEquals": ["States.ALL", "St|"#,
        );
        let cx = json(&t, o).unwrap();
        assert_eq!(cx.kind, Kind::Item);
        assert_eq!(
            cx.path,
            p(&[
                "States",
                "P",
                "Branches",
                "1",
                "States",
                "B\"x",
                "Retry",
                "0",
                "ErrorEquals"
            ])
        );
        let (t, o) = at(r#"{"States": {"A": {"Parameters": {"x.$": "States.Format($$.Ex|"#);
        let cx = json(&t, o).unwrap();
        assert_eq!(&t[cx.word.start()..cx.word.end()], "$$.Ex");
        assert_eq!(cx.kind, Kind::Value { key: "x.$".into() });
    }

    #[test]
    fn json_members_reads_past_the_cursor_and_errors() {
        let t = "{\"States\": {\"A\": {\"Next\": \"\n, \"Type\": \"Wait\"}, \"B\": {}}, \"QueryLanguage\": \"JSONata\"}";
        let m = json_members(t, &p(&["States", "A"]));
        assert!(m.contains(&("Type".into(), Some("Wait".into()))), "{m:?}");
        let names: Vec<String> = json_members(t, &p(&["States"]))
            .into_iter()
            .map(|m| m.0)
            .collect();
        assert_eq!(names, p(&["A", "B"]));
        let root = json_members(t, &[]);
        assert!(root.contains(&("QueryLanguage".into(), Some("JSONata".into()))));
    }

    #[test]
    fn yaml_members_of_the_cursors_mapping() {
        let keys = |t: &str| {
            let (t, o) = at(t);
            yaml_members(&t, o)
        };
        let m = keys("States:\n  A:\n    Type: 'Task' # x\n    Retry:\n    - ErrorEquals: [a]\n      MaxAttempts: 1\n    Re|\n    Resource: arn\n  B:\n    Type: Pass\n");
        assert_eq!(
            m,
            vec![
                ("Type".into(), Some("Task".into())),
                ("Retry".into(), None),
                ("Resource".into(), Some("arn".into())),
            ]
        );
        // Inside a sequence item: its keys only.
        let m = keys("Retry:\n  - ErrorEquals: [a]\n    IntervalSeconds: 2\n  - ErrorEquals: [b]\n    Max|\n    BackoffRate: 2\n  - ErrorEquals: [c]\n");
        let names: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["ErrorEquals", "BackoffRate"]);
        // The first line of an item.
        let m = keys("Retry:\n  - Err|\n    MaxAttempts: 1\n  - ErrorEquals: [b]\n");
        let names: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["MaxAttempts"]);
    }

    #[test]
    fn yaml_contexts() {
        let (t, o) = at("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: |");
        let cx = yaml(&t, o).unwrap();
        assert_eq!(cx.path, p(&["States", "A"]));
        assert_eq!(cx.kind, Kind::Value { key: "Next".into() });

        let (t, o) = at("States:\n  P:\n    Type: Parallel\n    Branches:\n      - StartAt: X\n        States: {}\n      - StartAt: Y\n        States:\n          Y:\n            Ty|");
        let cx = yaml(&t, o).unwrap();
        assert_eq!(cx.path, p(&["States", "P", "Branches", "1", "States", "Y"]));
        assert_eq!(cx.kind, Kind::Key);

        // A sequence written at the key's indentation.
        let (t, o) = at("States:\n  T:\n    Retry:\n    - ErrorEquals: [States.ALL, \"St|");
        let cx = yaml(&t, o).unwrap();
        assert_eq!(cx.path, p(&["States", "T", "Retry", "0", "ErrorEquals"]));
        assert_eq!(cx.kind, Kind::Item);
        assert!(cx.quoted);

        let (t, o) = at("States:\n  C:\n    Choices:\n      - Variable: $.x\n        Next: \"|");
        let cx = yaml(&t, o).unwrap();
        assert_eq!(cx.path, p(&["States", "C", "Choices", "0"]));
        assert_eq!(cx.kind, Kind::Value { key: "Next".into() });
        assert!(cx.quoted);
    }
}
