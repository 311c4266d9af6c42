//! Document formatting for JSON: the text re-indented, every token (keys,
//! strings with their escapes, numbers as written, duplicate keys) kept as it
//! is and in its order. Objects and arrays with members get one member per
//! line; empty ones stay `{}` and `[]`. The caller only formats text that
//! parses; YAML is not formatted.

/// The layout options a client sends.
#[derive(Clone, Debug)]
pub struct Options {
    /// The indentation unit: a tab, or this many spaces.
    pub tab_size: u32,
    pub insert_spaces: bool,
    /// End with exactly one line break (`Some(true)`), with none
    /// (`Some(false)`), or as the text did (`None`).
    pub final_newline: Option<bool>,
}

/// `text` (JSON without syntax errors) re-indented. `None` when a token
/// cannot be read (the caller checks for syntax errors first; this is the
/// backstop).
pub fn json(text: &str, options: &Options) -> Option<String> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let unit = if options.insert_spaces {
        " ".repeat(options.tab_size.clamp(1, 16) as usize)
    } else {
        "\t".to_string()
    };
    let newline = if body.contains("\r\n") { "\r\n" } else { "\n" };
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    out.push_str(bom);
    let mut depth: usize = 0;
    let indent = |out: &mut String, depth: usize| {
        out.push_str(newline);
        for _ in 0..depth {
            out.push_str(&unit);
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = next_token(bytes, i + 1);
                if bytes.get(next) == Some(&close) {
                    out.push(b as char);
                    out.push(close as char);
                    i = next + 1;
                } else {
                    out.push(b as char);
                    depth += 1;
                    indent(&mut out, depth);
                    i += 1;
                }
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                indent(&mut out, depth);
                out.push(b as char);
                i += 1;
            }
            b',' => {
                out.push(',');
                indent(&mut out, depth);
                i += 1;
            }
            b':' => {
                out.push_str(": ");
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i)?;
                out.push_str(body.get(i..end)?);
                i = end;
            }
            _ => {
                // A number or a literal: up to the next delimiter.
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b','
                            | b':'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b'"'
                    )
                {
                    i += 1;
                }
                out.push_str(body.get(start..i)?);
            }
        }
    }
    if depth != 0 {
        return None;
    }
    let had_newline = body.ends_with('\n');
    if options.final_newline.unwrap_or(had_newline) {
        out.push_str(newline);
    }
    Some(out)
}

/// The index of the next byte that is not whitespace.
fn next_token(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// The index just past the string starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{self, Format};

    fn opts(tab_size: u32, insert_spaces: bool) -> Options {
        Options {
            tab_size,
            insert_spaces,
            final_newline: None,
        }
    }

    #[test]
    fn reindents_and_keeps_every_token() {
        let text = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"n\":1.50e2,\"s\":\"a\\\"b\\u00e9 😀\",\"e\":{},\"l\":[]},\"Type\":\"Pass\",\"End\":true}},\"x\":[1,[2,null],false]}\n";
        let out = json(text, &opts(2, true)).unwrap();
        assert_eq!(
            out,
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Result\": {\n        \"n\": 1.50e2,\n        \"s\": \"a\\\"b\\u00e9 😀\",\n        \"e\": {},\n        \"l\": []\n      },\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  },\n  \"x\": [\n    1,\n    [\n      2,\n      null\n    ],\n    false\n  ]\n}\n"
        );
        // The same tree, token for token.
        let a = syntax::parse(text, Format::Json);
        let b = syntax::parse(&out, Format::Json);
        assert!(b.errors.is_empty());
        let strip = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(strip(text), strip(&out).replace(": ", ":"));
        assert_eq!(
            format!("{:?}", a.documents[0].root.as_object().map(|m| m.len())),
            format!("{:?}", b.documents[0].root.as_object().map(|m| m.len()))
        );
        // Idempotent.
        assert_eq!(json(&out, &opts(2, true)).unwrap(), out);
    }

    #[test]
    fn tabs_crlf_bom_and_final_newline() {
        let text = "\u{feff}{\r\n\"a\": [ ],\r\n  \"b\": {\"c\": 1}}";
        let out = json(text, &opts(4, false)).unwrap();
        assert_eq!(
            out,
            "\u{feff}{\r\n\t\"a\": [],\r\n\t\"b\": {\r\n\t\t\"c\": 1\r\n\t}\r\n}"
        );
        let with = Options {
            final_newline: Some(true),
            ..opts(3, true)
        };
        assert!(json("{}", &with).unwrap().ends_with("}\n"));
        assert_eq!(json("[1]", &opts(3, true)).unwrap(), "[\n   1\n]");
        assert!(json("{\"a\": 1", &opts(2, true)).is_none());
    }
}
