//! A strict JSON parser (RFC 8259) into the spanned tree.
//!
//! No comments, no trailing commas, no single quotes: AWS rejects all of them.
//! Nesting is limited to [`MAX_DEPTH`], so recursion here and in later passes is
//! bounded. A leading byte-order mark is skipped.

use super::{
    Document, Member, Node, Number, Options, Parsed, SyntaxError, TextRange, Value, MAX_DEPTH,
};

/// Parses strict JSON.
pub fn parse(text: &str) -> Parsed {
    parse_with(text, Options::default())
}

/// Parses JSON; with [`Options::placeholders`], an unquoted `${…}` where a
/// value is expected becomes a string node holding its raw text, and its
/// range is listed in [`Parsed::placeholders`].
pub fn parse_with(text: &str, options: Options) -> Parsed {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        options,
        placeholders: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    if p.pos >= p.bytes.len() {
        return Parsed {
            documents: Vec::new(),
            errors: vec![
                SyntaxError::new("the file is empty", TextRange::empty(p.pos)).with_help(
                    "a state machine definition is a JSON object with `StartAt` and `States`",
                ),
            ],
            placeholders: Vec::new(),
            tags: Vec::new(),
        };
    }
    match p.value() {
        Ok(root) => {
            p.skip_ws();
            if p.pos < p.bytes.len() {
                let err = SyntaxError::new(
                    format!(
                        "unexpected {} after the end of the document",
                        p.describe_here()
                    ),
                    p.here(),
                )
                .with_help("a JSON file holds exactly one value; remove what follows it");
                return Parsed {
                    documents: Vec::new(),
                    errors: vec![err],
                    placeholders: p.placeholders,
                    tags: Vec::new(),
                };
            }
            Parsed {
                documents: vec![Document { root }],
                errors: Vec::new(),
                placeholders: p.placeholders,
                tags: Vec::new(),
            }
        }
        Err(e) => Parsed {
            documents: Vec::new(),
            errors: vec![e],
            placeholders: p.placeholders,
            tags: Vec::new(),
        },
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    options: Options,
    placeholders: Vec<TextRange>,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The range of the character at the current position (empty at the end).
    fn here(&self) -> TextRange {
        match self.text[self.pos.min(self.text.len())..].chars().next() {
            Some(c) => TextRange::new(self.pos, self.pos + c.len_utf8()),
            None => TextRange::empty(self.text.len()),
        }
    }

    fn describe_here(&self) -> String {
        match self.text[self.pos.min(self.text.len())..].chars().next() {
            None => "end of file".to_string(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("character `{c}`"),
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        let mut err = SyntaxError::new(
            format!("expected {expected}, found {}", self.describe_here()),
            self.here(),
        );
        match self.bytes.get(self.pos) {
            Some(b'/') => err = err.with_help("JSON has no comments; remove it"),
            Some(b'\'') => err = err.with_help("JSON strings use double quotes"),
            Some(b'}' | b']') if expected.starts_with("a value") || expected.contains("key") => {
                err = err
                    .with_help("JSON does not allow a trailing comma; remove the comma before it")
            }
            _ => {}
        }
        err
    }

    fn value(&mut self) -> Result<Node> {
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let (s, range) = self.string()?;
                Ok(Node::new(range, Value::String(s)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(c) if c.is_ascii_alphabetic() => self.word(),
            Some(b'$')
                if self.options.placeholders && self.bytes.get(self.pos + 1) == Some(&b'{') =>
            {
                self.placeholder()
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    /// A bare word where a value goes: `true`, `false` and `null` are values;
    /// anything else (`tru`, `True`, `Pass`) is refused as a whole word.
    fn word(&mut self) -> Result<Node> {
        const LITERALS: [&str; 3] = ["true", "false", "null"];
        let start = self.pos;
        let len = self.bytes[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let word = &self.text[start..start + len];
        let value = match word {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            "null" => Some(Value::Null),
            _ => None,
        };
        if let Some(value) = value {
            self.pos += len;
            return Ok(Node::new(TextRange::new(start, self.pos), value));
        }
        let range = TextRange::new(start, start + len);
        let shown: String = word.chars().take(40).collect();
        let shown = if shown.len() < word.len() {
            format!("{shown}…")
        } else {
            shown
        };
        // A literal written in another case, or one or two letters off.
        let lower = word.to_ascii_lowercase();
        let literal = LITERALS.into_iter().find(|l| {
            *l == lower
                || (word.len() <= 8 && crate::rules::edit_distance(&lower, l) <= 2.min(l.len() - 2))
        });
        Err(match literal {
            Some(l) => SyntaxError::new(
                format!("expected a value such as `{l}`, found `{shown}`"),
                range,
            )
            .with_help(format!(
                "did you mean `{l}`? JSON's literals are `true`, `false` and `null`, in lowercase"
            )),
            None => SyntaxError::new(format!("expected a value, found `{shown}`"), range)
                .with_help(format!(
                    "JSON strings are written in double quotes: `\"{shown}\"`"
                )),
        })
    }

    /// An unquoted `${…}` at `$`: up to the brace that closes `${`, skipping
    /// quoted strings inside (`${jsonencode({"a": "}"})}`).
    fn placeholder(&mut self) -> Result<Node> {
        let start = self.pos;
        let end = placeholder_end(self.bytes, start).ok_or_else(|| {
            SyntaxError::new(
                "unterminated `${…}` placeholder",
                TextRange::new(start, start + 2),
            )
            .with_help("close the placeholder with `}`")
        })?;
        self.pos = end;
        let range = TextRange::new(start, end);
        self.placeholders.push(range);
        Ok(Node::new(
            range,
            Value::String(self.text[start..end].to_string()),
        ))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                format!("the document nests deeper than {MAX_DEPTH} levels"),
                self.here(),
            )
            .with_help(
                "no state machine needs this depth; check the file was generated correctly",
            ));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node> {
        self.enter()?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(
                TextRange::new(start, self.pos),
                Value::Object(members),
            ));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let (key, key_range) = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            members.push(Member {
                key,
                key_range,
                value,
            });
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
        self.depth -= 1;
        // Vectors grow by doubling: without this a tree holds up to twice
        // the members it needs (a member is 72 bytes).
        members.shrink_to_fit();
        Ok(Node::new(
            TextRange::new(start, self.pos),
            Value::Object(members),
        ))
    }

    fn array(&mut self) -> Result<Node> {
        self.enter()?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(
                TextRange::new(start, self.pos),
                Value::Array(items),
            ));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
        self.depth -= 1;
        items.shrink_to_fit();
        Ok(Node::new(
            TextRange::new(start, self.pos),
            Value::Array(items),
        ))
    }

    fn number(&mut self) -> Result<Node> {
        let start = self.pos;
        let b = self.bytes;
        if b.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match b.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                    return Err(SyntaxError::new(
                        "a number must not have leading zeros",
                        self.here(),
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                while matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            _ => return Err(self.unexpected("a digit")),
        }
        if b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            while matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        if matches!(b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            while matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        let raw = &self.text[start..self.pos];
        Ok(Node::new(
            TextRange::new(start, self.pos),
            Value::Number(Number::from_raw(raw)),
        ))
    }

    /// Reads a string at `"`; returns the unescaped text and its range.
    fn string(&mut self) -> Result<(String, TextRange)> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&c) = self.bytes.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((out, TextRange::new(start, self.pos)));
                }
                Some(b'\\') => {
                    let esc_start = self.pos;
                    self.pos += 1;
                    let c = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4(esc_start)?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos) == Some(&b'\\')
                                    && self.bytes.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4(esc_start)?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                        .unwrap_or('\u{fffd}')
                                    } else {
                                        '\u{fffd}'
                                    }
                                } else {
                                    '\u{fffd}'
                                }
                            } else {
                                char::from_u32(hi).unwrap_or('\u{fffd}')
                            };
                            out.push(c);
                            continue;
                        }
                        _ => {
                            let end = (self.pos + 1).min(self.text.len());
                            let end = (end..=self.text.len())
                                .find(|&e| self.text.is_char_boundary(e))
                                .unwrap_or(self.text.len());
                            return Err(SyntaxError::new(
                                "invalid escape sequence in a string",
                                TextRange::new(esc_start, end),
                            )
                            .with_help(r#"valid escapes are \" \\ \/ \b \f \n \r \t and \uXXXX"#));
                        }
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(SyntaxError::new(
                        format!("{} inside a string must be escaped", self.describe_here()),
                        self.here(),
                    )
                    .with_help("write line breaks as `\\n` and tabs as `\\t`"));
                }
                None => {
                    return Err(SyntaxError::new(
                        "unterminated string",
                        TextRange::new(start, self.text.len()),
                    )
                    .with_help("add the closing `\"`"));
                }
            }
        }
    }

    fn hex4(&mut self, esc_start: usize) -> Result<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        match digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| {
                if d.bytes().all(|b| b.is_ascii_hexdigit()) {
                    u32::from_str_radix(d, 16).ok()
                } else {
                    None
                }
            }) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(SyntaxError::new(
                "`\\u` must be followed by four hexadecimal digits",
                TextRange::new(esc_start, self.pos.min(self.text.len())),
            )),
        }
    }
}

/// The end (exclusive) of the `${…}` starting at `start` (which holds `$`):
/// braces are balanced, and `"…"`/`'…'` strings inside are skipped with their
/// backslash escapes. `None` when it is not closed.
pub fn placeholder_end(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) != Some(&b'$') || bytes.get(start + 1) != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut i = start + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' => {
                i += 1;
                while let Some(&d) = bytes.get(i) {
                    if d == b'\\' {
                        i += 1;
                    } else if d == c {
                        break;
                    }
                    i += 1;
                }
                bytes.get(i)?;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.documents.into_iter().next().unwrap().root
    }

    fn err(text: &str) -> SyntaxError {
        let p = parse(text);
        assert!(p.documents.is_empty());
        p.errors.into_iter().next().unwrap()
    }

    #[test]
    fn keeps_ranges_of_keys_and_values() {
        let t = r#"{ "a": [1, "x"], "b": null }"#;
        let root = ok(t);
        let m = root.as_object().unwrap();
        assert_eq!(&t[m[0].key_range.start()..m[0].key_range.end()], "\"a\"");
        assert_eq!(
            &t[m[0].value.range.start()..m[0].value.range.end()],
            "[1, \"x\"]"
        );
        assert_eq!(root.range, TextRange::new(0, t.len()));
        assert!(m[1].value.is_null());
    }

    #[test]
    fn keeps_duplicate_keys() {
        let root = ok(r#"{"a":1,"a":2}"#);
        assert_eq!(root.as_object().unwrap().len(), 2);
    }

    #[test]
    fn unescapes_strings_and_surrogates() {
        let root = ok(r#"["a\"b\\\u00e9\ud83d\ude00\n"]"#);
        assert_eq!(root.as_array().unwrap()[0].as_str(), Some("a\"b\\é😀\n"));
    }

    #[test]
    fn rejects_trailing_comma_with_help() {
        let e = err(r#"{"a": 1,}"#);
        assert_eq!(e.range, TextRange::new(8, 9));
        assert!(e.help.unwrap().contains("trailing comma"));
    }

    #[test]
    fn rejects_comments_and_single_quotes() {
        assert!(err("{// x\n}").help.unwrap().contains("comments"));
        assert!(err("{'a': 1}").help.unwrap().contains("double quotes"));
    }

    #[test]
    fn rejects_garbage_after_document_and_empty_input() {
        assert!(err("{} {}").message.contains("after the end"));
        assert!(err("  \n").message.contains("empty"));
    }

    #[test]
    fn numbers_keep_their_lexeme() {
        let root = ok("[-0, 1e999999, 10, 1.5]");
        let a = root.as_array().unwrap();
        assert!(a[0].as_number().unwrap().is_integer_lexeme());
        assert!(a[1].as_number().unwrap().as_f64().is_infinite());
        assert_eq!(a[2].as_number().unwrap().as_i64(), Some(10));
        assert_eq!(a[3].as_number().unwrap().as_i64(), None);
        assert!(err("01").message.contains("leading zeros"));
    }

    #[test]
    fn invalid_literal_tokens_are_named_whole() {
        let t = r#"{"a": tru, "b": 1}"#;
        let e = err(t);
        assert_eq!(e.message, "expected a value such as `true`, found `tru`");
        assert_eq!(&t[e.range.start()..e.range.end()], "tru");
        assert!(e.help.unwrap().starts_with("did you mean `true`?"));
        assert_eq!(
            err("[FALSE]").message,
            "expected a value such as `false`, found `FALSE`"
        );
        assert_eq!(
            err("[nulll]").message,
            "expected a value such as `null`, found `nulll`"
        );
        let e = err("[Pass]");
        assert_eq!(e.message, "expected a value, found `Pass`");
        assert_eq!(
            e.help.as_deref(),
            Some("JSON strings are written in double quotes: `\"Pass\"`")
        );
        let long = format!("[{}]", "x".repeat(100));
        assert!(err(&long).message.ends_with("…`"));
        // The literals themselves, next to punctuation.
        assert_eq!(ok("[true,false,null]").as_array().unwrap().len(), 3);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = err(&text);
        assert!(e.message.contains("deeper than"));
        assert_eq!(e.range.start(), MAX_DEPTH);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let root = ok("\u{feff}{}");
        assert_eq!(root.range, TextRange::new(3, 5));
    }

    #[test]
    fn control_characters_and_unterminated_strings() {
        assert!(err("\"a\u{0}b\"").message.contains("U+0000"));
        assert!(err("\"abc").message.contains("unterminated"));
        assert!(err(r#""\x""#).message.contains("escape"));
    }

    #[test]
    fn placeholders_are_values_only_when_asked() {
        let t = r#"{"a": ${x}, "b": [${jsonencode({"k": "}"})}], "c": "${y}"}"#;
        assert!(!parse(t).errors.is_empty());
        let p = parse_with(t, Options { placeholders: true });
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let root = &p.documents[0].root;
        assert_eq!(root.get("a").unwrap().as_str(), Some("${x}"));
        let b = &root.get("b").unwrap().as_array().unwrap()[0];
        assert_eq!(b.as_str(), Some(r#"${jsonencode({"k": "}"})}"#));
        assert_eq!(p.placeholders.len(), 2);
        assert_eq!(
            &t[p.placeholders[0].start()..p.placeholders[0].end()],
            "${x}"
        );
        // A quoted placeholder is an ordinary string.
        assert_eq!(root.get("c").unwrap().as_str(), Some("${y}"));
    }

    #[test]
    fn unterminated_placeholder_is_an_error() {
        let p = parse_with(r#"{"a": ${x"#, Options { placeholders: true });
        assert_eq!(p.errors[0].message, "unterminated `${…}` placeholder");
        assert_eq!(placeholder_end(b"${'}", 0), None);
        assert_eq!(placeholder_end(b"${a}", 0), Some(4));
        assert_eq!(placeholder_end(b"$a", 0), None);
    }
}
