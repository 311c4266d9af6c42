//! Text edits for fixes that keep the file's own style, in JSON and YAML: a
//! scalar rewritten in the quoting it was written with, a key renamed, a
//! member added to an object at its indentation (block or flow style).
//!
//! Every helper gives up (`None`) when the text does not spell the value
//! out literally (escapes, YAML aliases, keys that are not scalars), since a
//! textual edit could then change more than intended.

use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Format, Member, Node, TextRange};

/// `s` as a JSON string literal (also a valid YAML double-quoted scalar).
pub fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True when `s` written as a YAML plain scalar reads back as the string
/// `s` (not a null, boolean or number, no indicator or comment syntax).
/// Conservative: some strings it refuses could be plain.
pub fn yaml_plain_ok(s: &str) -> bool {
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    // `.5`, `+.5`, `.inf`, `0x1F` are numbers to YAML; Rust reads some.
    let numeric = s.parse::<f64>().is_ok()
        || (s.starts_with(['.', '+', '-'])
            && (s[1..].parse::<f64>().is_ok() || s[1..].eq_ignore_ascii_case("inf")))
        || s.starts_with("0x")
        || s.starts_with("0o");
    !reserved
        && !numeric
        && !s.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.ends_with([' ', ':', '\t'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['\t'])
        && !s.chars().any(|c| c.is_control())
}

/// The token for the string `new`, written in the style of `written` (a
/// token of the text: a JSON string, a YAML plain, single- or
/// double-quoted scalar). A YAML plain scalar that cannot hold `new` becomes
/// double-quoted.
pub fn scalar_token(written: &str, new: &str, format: Format) -> String {
    // JSON, double-quoted, and tokens that are not a plain scalar (a block
    // scalar, an alias, a tagged or anchored node): double quotes.
    if format == Format::Json || written.starts_with(['"', '|', '>', '*', '&', '!']) {
        return json_quote(new);
    }
    if written.starts_with('\'') {
        return format!("'{}'", new.replace('\'', "''"));
    }
    if yaml_plain_ok(new) {
        new.to_string()
    } else {
        json_quote(new)
    }
}

/// True when the token at `range` spells `value` with no escapes: `"value"`
/// (JSON or YAML), `'value'` (YAML, no `''`) or the plain `value` (YAML).
pub fn written_literally(text: &str, range: TextRange, value: &str, format: Format) -> bool {
    let Some(written) = text.get(range.start()..range.end()) else {
        return false;
    };
    let quoted = |q: char| {
        written
            .strip_prefix(q)
            .and_then(|w| w.strip_suffix(q))
            .is_some_and(|inner| inner == value)
    };
    match format {
        Format::Json => quoted('"') && !value.contains(['\\', '"']),
        Format::Yaml => {
            (quoted('"') && !value.contains(['\\', '"']))
                || (quoted('\'') && !value.contains('\''))
                || (written == value && !value.is_empty() && !value.contains('\n'))
        }
    }
}

/// A fix renaming the key of `member` to `new_key`, in the key's style.
/// `None` when the key is not written literally.
pub fn rename_key(
    text: &str,
    member: &Member,
    new_key: &str,
    format: Format,
    title: impl Into<String>,
) -> Option<Fix> {
    if !written_literally(text, member.key_range, &member.key, format) {
        return None;
    }
    let written = text.get(member.key_range.start()..member.key_range.end())?;
    Some(Fix {
        title: title.into(),
        edits: vec![Edit {
            range: member.key_range,
            replacement: scalar_token(written, new_key, format),
        }],
    })
}

/// A fix replacing the string value `node` (`old`) with `new`, in its style.
/// `None` when `old` is not written literally.
pub fn replace_string(
    text: &str,
    node: &Node,
    old: &str,
    new: &str,
    format: Format,
    title: impl Into<String>,
) -> Option<Fix> {
    if !written_literally(text, node.range, old, format) {
        return None;
    }
    let written = text.get(node.range.start()..node.range.end())?;
    Some(Fix {
        title: title.into(),
        edits: vec![Edit {
            range: node.range,
            replacement: scalar_token(written, new, format),
        }],
    })
}

/// An edit adding the member `key: value` after the last member of the
/// object `node` (`value` is a JSON lexeme such as `true`, which YAML reads
/// the same). A member that starts its own line gets one of its own,
/// indented like the members; otherwise it follows on the same line. `None`
/// for an empty object or a layout it cannot place the member in.
pub fn append_member(
    text: &str,
    node: &Node,
    key: &str,
    value: &str,
    format: Format,
) -> Option<Edit> {
    let members = node.as_object()?;
    let first = members.first()?;
    let last = members.last()?;
    let flow = text.as_bytes().get(node.range.start()) == Some(&b'{');
    let key_token = match format {
        Format::Json => json_quote(key),
        Format::Yaml if yaml_plain_ok(key) => key.to_string(),
        Format::Yaml => json_quote(key),
    };
    if flow {
        if format == Format::Json && !flow_member_follows(text, last) {
            return None;
        }
        let key_start = last.key_range.start();
        let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
        let indent = text.get(line_start..key_start)?;
        let own_line = line_start > 0 && indent.chars().all(|c| c == ' ' || c == '\t');
        let newline = if text.get(..line_start)?.ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let replacement = if own_line {
            format!(",{newline}{indent}{key_token}: {value}")
        } else {
            format!(", {key_token}: {value}")
        };
        return Some(Edit {
            range: TextRange::empty(last.value.range.end()),
            replacement,
        });
    }
    if format == Format::Json {
        return None;
    }
    // A YAML block mapping: a new line at the column of its keys, after the
    // line where the last value ends (and its comment, if any).
    let key_start = first.key_range.start();
    let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..key_start)?;
    if !before.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    let indent = " ".repeat(before.chars().count());
    let end = last.value.range.end().max(last.key_range.end());
    let bytes = text.as_bytes();
    let at = if end > 0 && bytes.get(end - 1) == Some(&b'\n') {
        end - 1
    } else {
        end + text.get(end..)?.find('\n').unwrap_or(text.len() - end)
    };
    let (at, newline) = if at > 0 && bytes.get(at - 1) == Some(&b'\r') {
        (at - 1, "\r\n")
    } else {
        (at, "\n")
    };
    Some(Edit {
        range: TextRange::empty(at),
        replacement: format!("{newline}{indent}{key_token}: {value}"),
    })
}

/// True when what follows the last member of a JSON object is its closing
/// brace (after whitespace): the member can be appended after it.
fn flow_member_follows(text: &str, last: &Member) -> bool {
    text.get(last.value.range.end()..)
        .map(|rest| rest.trim_start().starts_with('}'))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn member_edit(text: &str, format: Format, pointer: &str) -> String {
        let parsed = syntax::parse(text, format);
        let root = &parsed.documents[0].root;
        let node = syntax::pointer::resolve(root, pointer).unwrap();
        let e = append_member(text, node, "End", "true", format).unwrap();
        let mut out = text.to_string();
        out.replace_range(e.range.start()..e.range.end(), &e.replacement);
        out
    }

    #[test]
    fn scalars_keep_their_style() {
        let y = Format::Yaml;
        assert_eq!(scalar_token("Bb", "B", y), "B");
        assert_eq!(scalar_token("'Bb'", "it's", y), "'it''s'");
        assert_eq!(scalar_token("\"Bb\"", "B", y), "\"B\"");
        assert_eq!(scalar_token("Bb", "yes", y), "\"yes\"");
        assert_eq!(scalar_token("Bb", "a: b", y), "\"a: b\"");
        assert_eq!(scalar_token("Bb", "12", y), "\"12\"");
        assert_eq!(scalar_token("Bb", "状態 😀", y), "状態 😀");
        assert_eq!(scalar_token("\"Bb\"", "B\"", Format::Json), "\"B\\\"\"");
        assert!(!yaml_plain_ok(".5"));
        assert!(yaml_plain_ok("x.$"));
    }

    #[test]
    fn literal_spelling() {
        let r = |t: &str| TextRange::new(0, t.len());
        assert!(written_literally("\"a\"", r("\"a\""), "a", Format::Json));
        assert!(!written_literally(
            "\"\\u0061\"",
            r("\"\\u0061\""),
            "a",
            Format::Json
        ));
        assert!(written_literally("a", r("a"), "a", Format::Yaml));
        assert!(written_literally("'a'", r("'a'"), "a", Format::Yaml));
        assert!(!written_literally("a", r("a"), "a", Format::Json));
    }

    #[test]
    fn members_are_appended_in_place() {
        let y = Format::Yaml;
        assert_eq!(
            member_edit("A:\n  Type: Pass # c\nB: 1\n", y, "/A"),
            "A:\n  Type: Pass # c\n  End: true\nB: 1\n"
        );
        assert_eq!(
            member_edit("S:\n- A:\n    Type: Pass\n", y, "/S/0/A"),
            "S:\n- A:\n    Type: Pass\n    End: true\n"
        );
        assert_eq!(
            member_edit("- Type: Pass\n  Result: {a: 1}", y, "/0"),
            "- Type: Pass\n  Result: {a: 1}\n  End: true"
        );
        assert_eq!(
            member_edit("A:\r\n  Type: Pass\r\n", y, "/A"),
            "A:\r\n  Type: Pass\r\n  End: true\r\n"
        );
        assert_eq!(
            member_edit("A: {Type: Pass}\n", y, "/A"),
            "A: {Type: Pass, End: true}\n"
        );
        assert_eq!(
            member_edit("A: {\n  Type: Pass\n}\n", y, "/A"),
            "A: {\n  Type: Pass,\n  End: true\n}\n"
        );
        assert_eq!(
            member_edit(
                "A:\n  Type: Pass\n  Comment: |\n    text\n\nB: 1\n",
                y,
                "/A"
            ),
            "A:\n  Type: Pass\n  Comment: |\n    text\n  End: true\n\nB: 1\n"
        );
        assert_eq!(
            member_edit("{\"A\": {\"Type\": \"Pass\"}}", Format::Json, "/A"),
            "{\"A\": {\"Type\": \"Pass\", \"End\": true}}"
        );
    }
}
