//! The spanned tree shared by the JSON and YAML parsers.
//!
//! Every key, value and array item keeps the byte range it was read from, so any
//! finding can point at the exact characters of the file. Duplicate keys are kept
//! (a rule reports them); nothing here knows about Step Functions.

pub mod json;
pub mod pointer;
pub mod yaml;

use std::fmt;

/// The deepest nesting of arrays and objects any parser accepts. Deeper input is
/// refused with a syntax error instead of risking the stack in later passes.
///
/// 255 rather than 256: `saphyr-parser` counts flow collections (`[…]`, `{…}`)
/// in a `u8`, so YAML cannot nest 256 of them, and a JSON text must lint the
/// same whether it is read as JSON or as YAML (where it is valid too).
pub const MAX_DEPTH: usize = 255;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        TextRange { start, end }
    }
    pub fn empty(at: usize) -> Self {
        Self::new(at, at)
    }
    pub fn start(self) -> usize {
        self.start as usize
    }
    pub fn end(self) -> usize {
        self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl fmt::Display for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A number as written. JSON numbers keep their lexeme; YAML numbers are
/// normalised to a JSON lexeme by the YAML parser (`0x1F` becomes `31`).
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    raw: Box<str>,
}

impl Number {
    pub fn from_raw(raw: impl Into<Box<str>>) -> Self {
        Number { raw: raw.into() }
    }
    pub fn raw(&self) -> &str {
        &self.raw
    }
    /// True for a lexeme without fraction or exponent (`-0` included).
    pub fn is_integer_lexeme(&self) -> bool {
        !self.raw.contains(['.', 'e', 'E'])
    }
    /// The value as an `f64`; huge magnitudes become infinities.
    pub fn as_f64(&self) -> f64 {
        self.raw.parse::<f64>().unwrap_or(f64::NAN)
    }
    /// The value as an `i64` when it is integral and fits (`1.0` and `1e2` count).
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer_lexeme() {
            return self.raw.parse::<i64>().ok();
        }
        let f = self.as_f64();
        if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
            Some(f as i64)
        } else {
            None
        }
    }
    /// True when the value is mathematically an integer (`1`, `1.0`, `1e2`).
    pub fn is_integral(&self) -> bool {
        if self.is_integer_lexeme() {
            return true;
        }
        let f = self.as_f64();
        f.is_finite() && f.fract() == 0.0
    }
}

/// One member of an object: the key (unescaped) with its range, and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    /// Range of the key as written, quotes included.
    pub key_range: TextRange,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicate keys are kept.
    Object(Vec<Member>),
}

/// A value with the range it was read from (quotes and brackets included).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub range: TextRange,
    pub value: Value,
}

impl Node {
    pub fn new(range: TextRange, value: Value) -> Self {
        Node { range, value }
    }
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
    /// The first member named `key` (AWS keeps one of duplicates; which one is
    /// undocumented, and `duplicate-key` reports the ambiguity).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }
    /// The value of the first member named `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }
    /// A short name of the value's type for messages: `object`, `string` …
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_integral() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// A problem found while reading text into a tree.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>, range: TextRange) -> Self {
        SyntaxError {
            message: message.into(),
            range,
            help: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// One document of a file: YAML files may hold several.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
}

/// What a parser made of a file: the documents it could read and the errors.
/// A JSON file has at most one document; a syntax error leaves none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub errors: Vec<SyntaxError>,
    /// Unquoted `${…}` deployment placeholders accepted in value positions
    /// (JSON with [`Options::placeholders`] only); each became a string node
    /// holding its raw text.
    pub placeholders: Vec<TextRange>,
    /// YAML tags other than the core ones (`!!str` …) and the non-specific
    /// `!`, in source order.
    pub tags: Vec<TagUse>,
}

/// A YAML tag that changes what the value means outside YAML: a
/// CloudFormation short form, or a tag asl-lint does not know (ignored).
#[derive(Clone, Debug, PartialEq)]
pub struct TagUse {
    /// The tag as written: `!Ref`, `!custom`, `!<tag:example.com,2024:x>`.
    pub name: String,
    /// The range of the tag's text.
    pub range: TextRange,
    /// The range of the node it tags; for a CloudFormation tag, the object
    /// made for it (which covers the tag).
    pub node: TextRange,
    /// A CloudFormation short form (`!Ref x` became `{"Ref": "x"}`);
    /// otherwise the tag was ignored.
    pub cloudformation: bool,
    /// The index of the document it is in.
    pub document: usize,
}

/// How lenient the parsers are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Accept an unquoted `${…}` (balanced braces, quoted strings inside
    /// respected) where a JSON value is expected: the placeholders of
    /// CloudFormation `DefinitionSubstitutions` and Terraform `templatefile`
    /// that make a definition invalid JSON until it is deployed.
    pub placeholders: bool,
}

/// Which parser a file needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// By extension: `.yaml`/`.yml` are YAML, everything else JSON.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }

    /// The parser a file's text needs: `.json` is JSON and `.yaml`/`.yml`
    /// YAML whatever they hold; any other name (`.template`, standard input,
    /// `infra.txt`) is JSON when the text starts with `{` or `[` (after a
    /// byte-order mark and blanks) or is blank, and YAML otherwise.
    pub fn detect(path: &str, text: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Format::Json;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Format::Yaml;
        }
        let body = text.trim_start_matches('\u{feff}').trim_start();
        if body.is_empty() || body.starts_with('{') || body.starts_with('[') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// Parses `text` with the parser for `format`.
pub fn parse(text: &str, format: Format) -> Parsed {
    parse_with(text, format, Options::default())
}

/// Parses `text` with the parser for `format` and the given leniency.
pub fn parse_with(text: &str, format: Format, options: Options) -> Parsed {
    match format {
        Format::Json => json::parse_with(text, options),
        Format::Yaml => yaml::parse(text),
    }
}
