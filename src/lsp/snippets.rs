//! Completion snippets: a new state of each type (offered where a state name
//! goes, in a `States` object) and a new retrier or catcher (offered where
//! an item of `Retry` or `Catch` goes), written in the document's format
//! and indentation. Placeholders (`${1:Name}`) follow the LSP snippet
//! syntax; they are only offered to clients that support snippets.

use crate::model::{QueryLanguage, StateType};
use crate::rules::util::edit::yaml_plain_ok;
use crate::syntax::Format;

/// A value of a snippet. Strings and keys are snippet text: `$`, `}` and
/// `\` that are meant literally are escaped (`\$`).
enum S {
    Obj(Vec<(&'static str, S)>),
    Arr(Vec<S>),
    Str(&'static str),
    /// A number, `true`, or a placeholder standing for one.
    Raw(&'static str),
}

/// How the snippet is laid out: the format, one level of indentation, and
/// the indentation of the line the snippet starts on.
pub struct Layout {
    pub format: Format,
    pub unit: String,
    pub base: String,
    pub newline: &'static str,
}

/// The text a snippet string reads as once expanded with its defaults
/// (`${1:NewTask}` → `NewTask`, `\$` → `$`), for deciding YAML quoting.
fn expanded(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    // Placeholders open here; a `}` outside them is text.
    let mut open = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                // Skip the tab stop number and the colon.
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    chars.next();
                }
                open += 1;
            }
            '$' if chars.peek().is_some_and(|c| c.is_ascii_digit()) => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
            }
            '}' if open > 0 => open -= 1,
            c => out.push(c),
        }
    }
    out
}

fn yaml_str(s: &str) -> String {
    // A mirror of another placeholder (`${2}`) repeats a plain name.
    let mirror = s.starts_with("${")
        && s.ends_with('}')
        && s[2..s.len() - 1].chars().all(|c| c.is_ascii_digit());
    let e = expanded(s);
    if mirror || (yaml_plain_ok(&e) && !e.contains(['{', '}'])) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn is_scalar(s: &S) -> bool {
    matches!(s, S::Str(_) | S::Raw(_))
}

/// JSON text of `v`, its first line at the cursor and the others indented
/// from `ind`.
fn json(v: &S, ind: &str, l: &Layout, out: &mut String) {
    match v {
        S::Str(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        S::Raw(s) => out.push_str(s),
        S::Arr(items) if items.iter().all(is_scalar) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json(item, ind, l, out);
            }
            out.push(']');
        }
        S::Arr(items) => {
            let inner = format!("{ind}{}", l.unit);
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(l.newline);
                out.push_str(&inner);
                json(item, &inner, l, out);
            }
            out.push_str(l.newline);
            out.push_str(ind);
            out.push(']');
        }
        S::Obj(members) => {
            let inner = format!("{ind}{}", l.unit);
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(l.newline);
                out.push_str(&inner);
                out.push('"');
                out.push_str(k);
                out.push_str("\": ");
                json(v, &inner, l, out);
            }
            out.push_str(l.newline);
            out.push_str(ind);
            out.push('}');
        }
    }
}

/// YAML block text of the members of `members`: the first key at the cursor,
/// the others at `ind`.
fn yaml_members(members: &[(&str, S)], ind: &str, l: &Layout, out: &mut String) {
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(l.newline);
            out.push_str(ind);
        }
        out.push_str(&yaml_str(k));
        out.push(':');
        yaml_value(v, ind, l, out);
    }
}

/// The value after `key:`.
fn yaml_value(v: &S, ind: &str, l: &Layout, out: &mut String) {
    let inner = format!("{ind}{}", l.unit);
    match v {
        S::Str(s) => {
            out.push(' ');
            out.push_str(&yaml_str(s));
        }
        S::Raw(s) => {
            out.push(' ');
            out.push_str(s);
        }
        S::Arr(items) if items.iter().all(is_scalar) => {
            out.push_str(" [");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match item {
                    S::Str(s) => out.push_str(&yaml_str(s)),
                    S::Raw(s) => out.push_str(s),
                    _ => {}
                }
            }
            out.push(']');
        }
        S::Arr(items) => {
            for item in items {
                out.push_str(l.newline);
                out.push_str(&inner);
                out.push_str("- ");
                match item {
                    S::Obj(m) => yaml_members(m, &format!("{inner}  "), l, out),
                    S::Str(s) => out.push_str(&yaml_str(s)),
                    S::Raw(s) => out.push_str(s),
                    S::Arr(_) => {}
                }
            }
        }
        S::Obj(m) => {
            out.push_str(l.newline);
            out.push_str(&inner);
            yaml_members(m, &inner, l, out);
        }
    }
}

/// The state `name: body` as snippet text.
fn member_text(name: &'static str, body: S, l: &Layout) -> String {
    let mut out = String::new();
    match l.format {
        Format::Json => {
            out.push('"');
            out.push_str(name);
            out.push_str("\": ");
            json(&body, &l.base, l, &mut out);
        }
        Format::Yaml => yaml_members(&[(name, body)], &l.base, l, &mut out),
    }
    out
}

/// An object as the text of a new array item (JSON: `{ … }`; YAML: its
/// members, the first at the cursor after `- `).
fn item_text(body: S, l: &Layout) -> String {
    let mut out = String::new();
    match (l.format, &body) {
        (Format::Yaml, S::Obj(m)) => yaml_members(m, &l.base, l, &mut out),
        _ => json(&body, &l.base, l, &mut out),
    }
    out
}

fn end() -> (&'static str, S) {
    ("End", S::Raw("true"))
}

fn inner_pass() -> S {
    S::Obj(vec![("Type", S::Str("Pass")), end()])
}

/// The body of a new state of `ty`.
fn state_body(ty: StateType, ql: QueryLanguage) -> S {
    let jsonata = ql == QueryLanguage::Jsonata;
    let mut m: Vec<(&'static str, S)> = vec![("Type", S::Str(ty.as_str()))];
    match ty {
        StateType::Task => {
            m.push(("Resource", S::Str("${2:arn:aws:states:::lambda:invoke}")));
            if jsonata {
                m.push((
                    "Arguments",
                    S::Obj(vec![
                        ("FunctionName", S::Str("${3:FUNCTION_NAME}")),
                        ("Payload", S::Str("{% \\$states.input %\\}")),
                    ]),
                ));
            } else {
                m.push((
                    "Parameters",
                    S::Obj(vec![
                        ("FunctionName", S::Str("${3:FUNCTION_NAME}")),
                        ("Payload.\\$", S::Str("\\$")),
                    ]),
                ));
            }
            m.push(end());
        }
        StateType::Pass => m.push(end()),
        StateType::Wait => {
            m.push(("Seconds", S::Raw("${2:10}")));
            m.push(end());
        }
        StateType::Choice => {
            let rule = if jsonata {
                S::Obj(vec![
                    (
                        "Condition",
                        S::Str("{% ${2:\\$states.input.status = 'done'} %\\}"),
                    ),
                    ("Next", S::Str("${3:NextState}")),
                ])
            } else {
                S::Obj(vec![
                    ("Variable", S::Str("${2:\\$.status}")),
                    ("StringEquals", S::Str("${3:done}")),
                    ("Next", S::Str("${4:NextState}")),
                ])
            };
            m.push(("Choices", S::Arr(vec![rule])));
            m.push(("Default", S::Str("${5:DefaultState}")));
        }
        StateType::Succeed => {}
        StateType::Fail => {
            m.push(("Error", S::Str("${2:ErrorName}")));
            m.push(("Cause", S::Str("${3:What went wrong}")));
        }
        StateType::Parallel => {
            m.push((
                "Branches",
                S::Arr(vec![S::Obj(vec![
                    ("StartAt", S::Str("${2:BranchStart}")),
                    ("States", S::Obj(vec![("${2}", inner_pass())])),
                ])]),
            ));
            m.push(end());
        }
        StateType::Map => {
            m.push((
                "ItemProcessor",
                S::Obj(vec![
                    ("ProcessorConfig", S::Obj(vec![("Mode", S::Str("INLINE"))])),
                    ("StartAt", S::Str("${2:ProcessItem}")),
                    ("States", S::Obj(vec![("${2}", inner_pass())])),
                ]),
            ));
            m.push(end());
        }
    }
    S::Obj(m)
}

/// One snippet: label, detail, snippet text.
pub type Snippet = (String, String, String);

const STATE_TYPES: [StateType; 8] = [
    StateType::Task,
    StateType::Pass,
    StateType::Choice,
    StateType::Wait,
    StateType::Parallel,
    StateType::Map,
    StateType::Succeed,
    StateType::Fail,
];

/// A new state of each type, for a key of a `States` object.
pub fn states(ql: QueryLanguage, l: &Layout) -> Vec<Snippet> {
    STATE_TYPES
        .iter()
        .map(|&ty| {
            let name: &'static str = match ty {
                StateType::Task => "${1:NewTask}",
                StateType::Pass => "${1:NewPass}",
                StateType::Choice => "${1:NewChoice}",
                StateType::Wait => "${1:NewWait}",
                StateType::Parallel => "${1:NewParallel}",
                StateType::Map => "${1:NewMap}",
                StateType::Succeed => "${1:Done}",
                StateType::Fail => "${1:Failed}",
            };
            (
                format!("{} state", ty.as_str()),
                format!("a new {} state", ty.as_str()),
                member_text(name, state_body(ty, ql), l),
            )
        })
        .collect()
}

/// A new retrier, for an item of `Retry`.
pub fn retrier(l: &Layout) -> Snippet {
    let body = S::Obj(vec![
        ("ErrorEquals", S::Arr(vec![S::Str("${1:States.ALL}")])),
        ("IntervalSeconds", S::Raw("${2:1}")),
        ("MaxAttempts", S::Raw("${3:3}")),
        ("BackoffRate", S::Raw("${4:2}")),
    ]);
    ("retrier".into(), "a new retrier".into(), item_text(body, l))
}

/// A new catcher, for an item of `Catch`.
pub fn catcher(l: &Layout) -> Snippet {
    let body = S::Obj(vec![
        ("ErrorEquals", S::Arr(vec![S::Str("${1:States.ALL}")])),
        ("Next", S::Str("${2:HandleError}")),
    ]);
    ("catcher".into(), "a new catcher".into(), item_text(body, l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn layout(format: Format) -> Layout {
        Layout {
            format,
            unit: "  ".into(),
            base: "    ".into(),
            newline: "\n",
        }
    }

    /// A snippet with every placeholder at its default, mirrors included.
    fn expand(s: &str) -> String {
        let mut text = s.to_string();
        for n in 1..10 {
            let open = format!("${{{n}:");
            if let Some(i) = text.find(&open) {
                let rest = &text[i + open.len()..];
                let default = rest[..rest.find('}').unwrap()].to_string();
                text = text.replace(&format!("${{{n}}}"), &default);
            }
        }
        expanded(&text)
    }

    #[test]
    fn every_state_snippet_expands_to_a_valid_state() {
        for ql in [QueryLanguage::JsonPath, QueryLanguage::Jsonata] {
            for format in [Format::Json, Format::Yaml] {
                let l = layout(format);
                for (label, _, text) in states(ql, &l) {
                    let member = expand(&text);
                    let doc = match format {
                        Format::Json => format!("{{\"States\": {{\n    {member}\n}}}}"),
                        Format::Yaml => format!("States:\n    {member}\n"),
                    };
                    let parsed = syntax::parse(&doc, format);
                    assert!(parsed.errors.is_empty(), "{label} ({format:?}):\n{doc}");
                    let states = parsed.documents[0].root.get("States").unwrap();
                    let (_, state) = states
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|m| (&m.key, &m.value))
                        .next()
                        .unwrap();
                    assert_eq!(
                        state.get("Type").and_then(|t| t.as_str()),
                        Some(label.trim_end_matches(" state")),
                        "{doc}"
                    );
                }
            }
        }
        let l = layout(Format::Yaml);
        let (_, _, task) = &states(QueryLanguage::Jsonata, &l)[0];
        assert!(
            expand(task).contains("Payload: '{% $states.input %}'"),
            "{task}"
        );
    }

    #[test]
    fn retrier_and_catcher_snippets_expand_to_valid_items() {
        for format in [Format::Json, Format::Yaml] {
            let l = layout(format);
            for (_, _, text) in [retrier(&l), catcher(&l)] {
                let item = expand(&text);
                let doc = match format {
                    Format::Json => format!("[\n    {item}\n]"),
                    Format::Yaml => format!("  - {item}\n"),
                };
                let parsed = syntax::parse(&doc, format);
                assert!(parsed.errors.is_empty(), "{doc}");
                let first = &parsed.documents[0].root.as_array().unwrap()[0];
                assert!(first.get("ErrorEquals").is_some(), "{doc}");
            }
        }
    }
}
