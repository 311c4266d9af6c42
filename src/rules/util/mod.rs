//! Helpers shared by the state-semantics rules (ASL2xx): walking Choice rules
//! and error handlers, reading literal numbers, sizing payloads, building
//! key-rename fixes. Nothing here reports anything.

pub mod arn;
pub mod choice;
pub mod edit;
pub mod errors;
pub mod s3_action;
pub mod timestamp;
pub mod variables;

use crate::diagnostic::{Edit, Fix};
use crate::model::{Machine, State, StateType};
use crate::syntax::{Member, Node, TextRange, Value};

/// The states of the machine whose `Type` is `ty`.
pub fn states_of_type<'m, 'a>(
    machine: &'m Machine<'a>,
    ty: StateType,
) -> impl Iterator<Item = &'m State<'a>> + 'm {
    machine
        .states
        .iter()
        .filter(move |s| s.state_type == Some(ty))
}

/// The member `key` of an object node.
pub fn member<'a>(node: &'a Node, key: &str) -> Option<&'a Member> {
    node.member(key)
}

/// True for a string written as a JSONata expression, `{% … %}`.
pub fn is_jsonata(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{%") && t.ends_with("%}")
}

/// The value of a literal number (any JSON number), `None` for other types.
pub fn number(node: &Node) -> Option<f64> {
    node.as_number().map(|n| n.as_f64()).filter(|f| !f.is_nan())
}

/// The value of a literal number that is mathematically an integer. Other
/// numbers are the schema's business (a type error), so rules stay silent.
pub fn integer(node: &Node) -> Option<f64> {
    let n = node.as_number()?;
    if n.is_integral() {
        let f = n.as_f64();
        (!f.is_nan()).then_some(f)
    } else {
        None
    }
}

/// Formats a number for messages without a useless `.0`.
pub fn show_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A fix that renames the key of `member` to `new_key`, keeping its quoting.
/// `None` when the key is not written literally (escapes), so a textual edit
/// would be unsafe.
pub fn rename_key_fix(text: &str, member: &Member, new_key: &str, title: &str) -> Option<Fix> {
    let written = text.get(member.key_range.start()..member.key_range.end())?;
    if !written.contains(member.key.as_str()) || written.contains('\\') {
        return None;
    }
    Some(Fix {
        title: title.to_string(),
        edits: vec![Edit {
            range: member.key_range,
            replacement: written.replacen(member.key.as_str(), new_key, 1),
        }],
    })
}

/// A fix that replaces the string value `node` (whose content is `old`) with
/// `new`, keeping its quoting. `None` when `old` is not written literally.
pub fn replace_string_fix(
    text: &str,
    node: &Node,
    old: &str,
    new: &str,
    title: &str,
) -> Option<Fix> {
    let written = text.get(node.range.start()..node.range.end())?;
    if old.is_empty() || !written.contains(old) || written.contains('\\') {
        return None;
    }
    Some(Fix {
        title: title.to_string(),
        edits: vec![Edit {
            range: node.range,
            replacement: written.replacen(old, new, 1),
        }],
    })
}

/// How [`compact_json_len`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// UTF-8 bytes (payload quotas).
    Bytes,
    /// Unicode characters (API string-length constraints).
    Chars,
}

/// The length of `node` serialized as compact JSON (no insignificant
/// whitespace), non-ASCII characters unescaped: what Step Functions
/// measures, whatever the file's layout. Iterative, so deep trees cannot
/// overflow the stack.
pub fn compact_json_len(node: &Node, unit: Unit) -> usize {
    let mut total = 0usize;
    let mut stack: Vec<&Node> = vec![node];
    while let Some(n) = stack.pop() {
        total += match &n.value {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(num) => num.raw().len(),
            Value::String(s) => json_string_len(s, unit),
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::Object(members) => {
                let mut len = 2 + members.len().saturating_sub(1);
                for m in members {
                    len += json_string_len(&m.key, unit) + 1;
                    stack.push(&m.value);
                }
                len
            }
        };
    }
    total
}

/// True when every value of the document is known to be at most `limit`
/// long as compact JSON without measuring: the file is JSON no longer than
/// `limit` bytes. Compact JSON of a tree read from JSON text is never longer
/// than the text (whitespace goes, escapes only shrink), in bytes or in
/// characters. YAML gives no such bound (aliases, tags).
pub fn json_text_within(cx: &crate::rules::LintContext<'_>, limit: usize) -> bool {
    cx.text().len() <= limit && cx.file.format == crate::syntax::Format::Json
}

/// The length of a string as a JSON string literal, quotes included.
pub fn json_string_len(s: &str, unit: Unit) -> usize {
    let escapes: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0..=0x1f => 5,
            _ => 0,
        })
        .sum();
    let len = match unit {
        Unit::Bytes => s.len(),
        Unit::Chars => s.chars().count(),
    };
    len + escapes + 2
}

/// `Retry[2]`-style labels for list entries.
pub fn indexed(field: &str, i: usize) -> String {
    format!("{field}[{i}]")
}

/// The smallest range that stands for a whole state when a field is missing:
/// the state's name.
pub fn state_anchor(state: &State<'_>) -> TextRange {
    state.name_range
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    #[test]
    fn compact_length_ignores_layout() {
        let text = "{ \"a\" : [ 1 , true , null ] ,\n \"b\\n\" : \"x\\\"y\" }";
        let root = json::parse(text).documents.remove(0).root;
        assert_eq!(
            compact_json_len(&root, Unit::Bytes),
            r#"{"a":[1,true,null],"b\n":"x\"y"}"#.len()
        );
    }
}

/// For each `(a, b)` pair of mutually exclusive fields that are both members
/// of `node`: the member written first and the one written second.
pub fn exclusive_pairs<'a>(
    node: &'a Node,
    pairs: &[(&str, &str)],
) -> Vec<(&'a Member, &'a Member)> {
    let mut out = Vec::new();
    for (a, b) in pairs {
        if let (Some(ma), Some(mb)) = (node.member(a), node.member(b)) {
            if ma.key_range.start <= mb.key_range.start {
                out.push((ma, mb));
            } else {
                out.push((mb, ma));
            }
        }
    }
    out
}

/// How a Map state runs its iterations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapMode {
    Inline,
    Distributed,
}

/// The item processor of a Map state: `ItemProcessor`, else the deprecated
/// `Iterator` (which takes the same fields).
pub fn map_processor<'a>(state: &State<'a>) -> Option<&'a Node> {
    state.get("ItemProcessor").or_else(|| state.get("Iterator"))
}

/// The mode of a Map state: `ProcessorConfig.Mode` of its `ItemProcessor`
/// (or deprecated `Iterator`), `INLINE` when absent. `None` when it cannot
/// be told (no processor, or a `Mode` that is not a known string).
pub fn map_mode(state: &State<'_>) -> Option<MapMode> {
    let p = map_processor(state)?;
    p.as_object()?;
    match p.get("ProcessorConfig") {
        None => Some(MapMode::Inline),
        Some(c) => match c.get("Mode") {
            None if c.as_object().is_some() => Some(MapMode::Inline),
            Some(m) => match m.as_str() {
                Some("INLINE") => Some(MapMode::Inline),
                Some("DISTRIBUTED") => Some(MapMode::Distributed),
                _ => None,
            },
            None => None,
        },
    }
}

/// True when `s` holds a `${…}` placeholder that a deployment tool
/// (CloudFormation/SAM `DefinitionSubstitutions`, Terraform `templatefile`)
/// replaces before Step Functions sees the definition; rules that judge a
/// literal's content skip such values.
pub fn has_placeholder(s: &str) -> bool {
    s.find("${").is_some_and(|i| s[i + 2..].contains('}'))
}
