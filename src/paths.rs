//! The path dialect of JSONPath states: Paths, Reference Paths, context-object
//! paths (`$$…`), variable paths (`$name…`) and intrinsic function calls
//! (`States.Format('{}', $.a)`).
//!
//! Hand-written because no JSONPath crate accepts exactly what Step Functions
//! accepts: `$.abc.['def ghi']` (the form in AWS's own docs), `$$`, `$var` and
//! intrinsic calls must parse, `$.a b` must not. The parsers are span-aware:
//! every segment and argument knows its byte range inside the string, and an
//! error names the byte offset of the offending character, so a linter can
//! point at it. Everything is linear in the length of the string.
//!
//! Deploy-time placeholders (`${Name}`, substituted by CloudFormation, SAM or
//! Terraform before the definition reaches AWS) are accepted inside names, as
//! string content and as whole arguments; see [`has_placeholder`].

use crate::syntax::TextRange;

/// What a path is rooted at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// Exactly `$`: the whole input.
    Root,
    /// `$.…` or `$[…]`: into the input.
    Input,
    /// `$$` or `$$.…`: into the context object.
    Context,
    /// `$name` or `$name.…`: into a workflow variable.
    Variable,
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum SegmentKind {
    /// `.name`, `['name']` or `.['name']` (unescaped name).
    Name {
        name: String,
        /// Offset of the first unescaped `@`, `,`, `:` or `?` in a dot-notation
        /// name: legal in a Path, forbidden in a Reference Path.
        reserved_at: Option<usize>,
    },
    /// `[n]` (negative indexes count from the end).
    Index(i64),
    /// `.*` or `[*]`.
    Wildcard,
    /// The `..` of a deep scan; the step it applies to follows as its own segment.
    Descendant,
    /// `[a:b]`, `[a:b:c]`, `[:b]`, `[a:]`.
    Slice,
    /// `[a,b]` or `['x','y']`.
    Union,
    /// `[?(…)]`.
    Filter,
    /// `[(…)]`, e.g. `[(@.length-1)]`.
    Script,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// Byte range inside the parsed string.
    pub span: TextRange,
}

impl Segment {
    /// The name of a `Name` segment.
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            SegmentKind::Name { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// A parsed path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub kind: PathKind,
    /// The variable name and its range (without the `$`), for variable paths.
    pub variable: Option<(String, TextRange)>,
    pub segments: Vec<Segment>,
    /// The range of the whole path inside the parsed string.
    pub span: TextRange,
}

impl Path {
    /// True when every step names one node (`.name`, `['name']`, `[n]`).
    pub fn is_reference(&self) -> bool {
        self.reference_error().is_none()
    }

    /// Why the path is not a Reference Path: the first step that can select
    /// several nodes, or a reserved character in a name.
    pub fn reference_error(&self) -> Option<PathError> {
        for seg in &self.segments {
            let (start, len) = (seg.span.start(), seg.span.len());
            let (at, len, message) = match &seg.kind {
                SegmentKind::Name {
                    name,
                    reserved_at: Some(at),
                } => {
                    let c = name
                        .chars()
                        .find(|c| matches!(c, '@' | ',' | ':' | '?'))
                        .unwrap_or('@');
                    (
                        *at,
                        1,
                        format!("`{c}` must be escaped (`\\{c}`) in a reference path"),
                    )
                }
                SegmentKind::Name { .. } | SegmentKind::Index(_) => continue,
                SegmentKind::Wildcard => {
                    (start, len, "a wildcard `*` can select several nodes".into())
                }
                SegmentKind::Descendant => (
                    start,
                    len,
                    "a deep scan `..` can select several nodes".into(),
                ),
                SegmentKind::Slice => (start, len, "a slice can select several nodes".into()),
                SegmentKind::Union => (start, len, "a union can select several nodes".into()),
                SegmentKind::Filter => (start, len, "a filter can select several nodes".into()),
                SegmentKind::Script => (
                    start,
                    len,
                    "a script expression is not a single-node step".into(),
                ),
            };
            return Some(PathError::new(at, len, message));
        }
        None
    }

    /// The names of the leading `Name` segments, up to the first other step.
    pub fn leading_names(&self) -> impl Iterator<Item = (&str, TextRange)> {
        self.segments
            .iter()
            .map_while(|s| s.name().map(|n| (n, s.span)))
    }
}

/// Why a string is not what was expected. `offset` is a byte offset inside the
/// parsed string; `len` the length of the offending text (0 at the end).
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

impl PathError {
    pub fn new(offset: usize, len: usize, message: impl Into<String>) -> Self {
        PathError {
            offset,
            len,
            message: message.into(),
        }
    }
    /// The error's range inside the parsed string.
    pub fn span(&self) -> TextRange {
        TextRange::new(self.offset, self.offset + self.len)
    }
}

/// True when `s` contains a deploy-time placeholder `${…}`. What such a string
/// becomes is only known after substitution, so rules treat the text around a
/// placeholder as unverifiable.
pub fn has_placeholder(s: &str) -> bool {
    s.contains("${")
}

/// Parses a Path (JSONPath, Jayway flavour, as Step Functions accepts it), a
/// context path or a variable path. Trailing whitespace is tolerated.
pub fn parse_path(s: &str) -> Result<Path, PathError> {
    let mut p = Parser::new(s, 0);
    let ws = p.ws_len();
    if ws > 0 && ws < s.len() {
        return Err(PathError::new(0, ws, "whitespace before a path"));
    }
    let path = p.path(false)?;
    p.skip_ws();
    if let Some(c) = p.peek_char() {
        return Err(p.unexpected(c, "after the path"));
    }
    Ok(path)
}

/// Parses a Reference Path: a path that names a single node.
pub fn parse_reference_path(s: &str) -> Result<Path, PathError> {
    let path = parse_path(s)?;
    match path.reference_error() {
        Some(e) => Err(e),
        None => Ok(path),
    }
}

/// A parsed intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The name as written, e.g. `States.Format`.
    pub name: String,
    pub name_span: TextRange,
    pub args: Vec<Arg>,
    /// From the first character of the name to the closing parenthesis.
    pub span: TextRange,
}

impl Call {
    /// The function-table entry, when the name is known.
    pub fn function(&self) -> Option<&'static Function> {
        function(&self.name)
    }
    /// This call and every nested call, outermost first.
    pub fn walk(&self, f: &mut impl FnMut(&Call)) {
        f(self);
        for a in &self.args {
            if let ArgKind::Call(c) = &a.kind {
                c.walk(f);
            }
        }
    }
    /// Every path among the arguments of this call and of nested calls.
    pub fn paths(&self, f: &mut impl FnMut(&Path)) {
        self.walk(&mut |c| {
            for a in &c.args {
                if let ArgKind::Path(p) = &a.kind {
                    f(p);
                }
            }
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgKind {
    /// A single-quoted literal, unescaped.
    Str(String),
    /// A number literal as written.
    Number(String),
    Bool(bool),
    Null,
    Path(Path),
    Call(Call),
    /// A deploy-time placeholder `${…}` standing for the whole argument.
    Placeholder,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: TextRange,
}

impl Arg {
    /// A short description for messages: "a string literal", "a path" …
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            ArgKind::Str(_) => "a string literal",
            ArgKind::Number(_) => "a number literal",
            ArgKind::Bool(_) => "a boolean literal",
            ArgKind::Null => "`null`",
            ArgKind::Path(_) => "a path",
            ArgKind::Call(_) => "a function call",
            ArgKind::Placeholder => "a placeholder",
        }
    }
}

/// The deepest nesting of intrinsic calls Step Functions evaluates in one field.
pub const MAX_INTRINSIC_NESTING: usize = 10;

/// True when `s` is meant as an intrinsic function call: after optional
/// whitespace, a name of letters, digits, `_` and `.` followed by `(`, or any
/// text starting with `States.`. Such strings get intrinsic diagnostics rather
/// than path diagnostics.
pub fn looks_like_intrinsic(s: &str) -> bool {
    let t = s.trim_start();
    if !t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let end = t
        .bytes()
        .position(|b| !is_fn_name_byte(b))
        .unwrap_or(t.len());
    t[end..].starts_with('(') || t.starts_with("States.")
}

/// Parses an intrinsic function call. Leading whitespace is an error (AWS
/// rejects it); trailing whitespace is tolerated.
pub fn parse_intrinsic(s: &str) -> Result<Call, PathError> {
    let mut p = Parser::new(s, 0);
    let ws = p.ws_len();
    if ws > 0 {
        return Err(PathError::new(
            0,
            ws,
            "whitespace before an intrinsic function call",
        ));
    }
    let call = p.call(1)?;
    p.skip_ws();
    if let Some(c) = p.peek_char() {
        return Err(p.unexpected(c, "after the closing `)` of the call"));
    }
    Ok(call)
}

/// What an intrinsic argument or result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Any => "any value",
            Type::String => "a string",
            Type::Integer => "an integer",
            Type::Number => "a number",
            Type::Boolean => "a boolean",
            Type::Array => "an array",
            Type::Object => "an object",
        }
    }
}

/// One intrinsic function of the specification (Appendix B).
#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    pub min_args: usize,
    /// `None`: no upper bound.
    pub max_args: Option<usize>,
    /// The types of the leading parameters.
    pub params: &'static [Type],
    /// The type of every parameter after `params` (variadic functions).
    pub rest: Type,
    pub returns: Type,
    /// Accepted in Fail `ErrorPath`/`CausePath`.
    pub string_result: bool,
}

impl Function {
    /// The expected type of argument `i` (0-based).
    pub fn param(&self, i: usize) -> Type {
        self.params.get(i).copied().unwrap_or(self.rest)
    }
    /// "no arguments", "1 argument", "2 or 3 arguments", "at least 1 argument".
    pub fn arity(&self) -> String {
        let n = |k: usize| {
            if k == 1 {
                "1 argument".to_string()
            } else {
                format!("{k} arguments")
            }
        };
        match self.max_args {
            Some(0) => "no arguments".into(),
            Some(max) if max == self.min_args => n(max),
            Some(max) if max == self.min_args + 1 => format!("{} or {}", self.min_args, n(max)),
            Some(max) => format!("{} to {}", self.min_args, n(max)),
            None if self.min_args == 0 => "any number of arguments".into(),
            None => format!("at least {}", n(self.min_args)),
        }
    }
}

macro_rules! f {
    ($name:literal, $min:expr, $max:expr, [$($p:ident),*], $rest:ident, $ret:ident, $s:expr) => {
        Function {
            name: $name,
            min_args: $min,
            max_args: $max,
            params: &[$(Type::$p),*],
            rest: Type::$rest,
            returns: Type::$ret,
            string_result: $s,
        }
    };
}

/// The intrinsic functions, sorted by name.
pub static FUNCTIONS: &[Function] = &[
    f!("States.Array", 0, None, [], Any, Array, false),
    f!(
        "States.ArrayContains",
        2,
        Some(2),
        [Array, Any],
        Any,
        Boolean,
        false
    ),
    f!(
        "States.ArrayGetItem",
        2,
        Some(2),
        [Array, Integer],
        Any,
        Any,
        true
    ),
    f!(
        "States.ArrayLength",
        1,
        Some(1),
        [Array],
        Any,
        Integer,
        false
    ),
    f!(
        "States.ArrayPartition",
        2,
        Some(2),
        [Array, Integer],
        Any,
        Array,
        false
    ),
    f!(
        "States.ArrayRange",
        3,
        Some(3),
        [Integer, Integer, Integer],
        Any,
        Array,
        false
    ),
    f!("States.ArrayUnique", 1, Some(1), [Array], Any, Array, false),
    f!(
        "States.Base64Decode",
        1,
        Some(1),
        [String],
        Any,
        String,
        true
    ),
    f!(
        "States.Base64Encode",
        1,
        Some(1),
        [String],
        Any,
        String,
        true
    ),
    f!("States.Format", 1, None, [String], Any, String, true),
    f!("States.Hash", 2, Some(2), [Any, String], Any, String, true),
    f!(
        "States.JsonMerge",
        3,
        Some(3),
        [Object, Object, Boolean],
        Any,
        Object,
        false
    ),
    f!("States.JsonToString", 1, Some(1), [Any], Any, String, true),
    f!(
        "States.MathAdd",
        2,
        Some(2),
        [Integer, Integer],
        Any,
        Integer,
        false
    ),
    f!(
        "States.MathRandom",
        2,
        Some(3),
        [Integer, Integer, Integer],
        Any,
        Integer,
        false
    ),
    f!(
        "States.StringSplit",
        2,
        Some(2),
        [String, String],
        Any,
        Array,
        false
    ),
    f!("States.StringToJson", 1, Some(1), [String], Any, Any, false),
    f!("States.UUID", 0, Some(0), [], Any, String, true),
];

/// The algorithms `States.Hash` accepts.
pub const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// The function named exactly `name`.
pub fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Placeholder positions in a `States.Format` template literal (unescaped
/// text): the number of `{}` pairs, skipping `${…}` deploy-time placeholders.
/// The literal is given as written (escapes included) so `\{` is not counted.
pub fn count_format_placeholders(raw_literal: &str) -> usize {
    let b = raw_literal.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                i = match raw_literal[i..].find('}') {
                    Some(e) => i + e + 1,
                    None => b.len(),
                }
            }
            b'{' if b.get(i + 1) == Some(&b'}') => {
                n += 1;
                i += 2;
            }
            _ => i += 1,
        }
    }
    n
}

fn is_fn_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".into(),
        '\t' => "tab".into(),
        '\n' => "line break".into(),
        '\r' => "carriage return".into(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

struct Parser<'s> {
    s: &'s str,
    b: &'s [u8],
    pos: usize,
}

impl<'s> Parser<'s> {
    fn new(s: &'s str, pos: usize) -> Self {
        Parser {
            s,
            b: s.as_bytes(),
            pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }
    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.pos + k).copied()
    }
    fn peek_char(&self) -> Option<char> {
        self.s.get(self.pos..).and_then(|r| r.chars().next())
    }
    fn ws_len(&self) -> usize {
        self.s[self.pos..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum()
    }
    fn skip_ws(&mut self) {
        self.pos += self.ws_len();
    }

    fn err(&self, at: usize, message: impl Into<String>) -> PathError {
        let len = self
            .s
            .get(at..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        PathError::new(at, len, message)
    }
    fn unexpected(&self, c: char, context: &str) -> PathError {
        self.err(
            self.pos,
            format!("unexpected {} {context}", describe_char(c)),
        )
    }
    fn eof(&self, message: impl Into<String>) -> PathError {
        PathError::new(self.s.len(), 0, message)
    }

    /// A path starting at `pos`. In `embedded` mode (an intrinsic argument)
    /// the path ends before whitespace, `,` or `)` outside brackets.
    fn path(&mut self, embedded: bool) -> Result<Path, PathError> {
        let start = self.pos;
        if self.peek() != Some(b'$') {
            return Err(match self.peek_char() {
                None => self.eof("a path starts with `$`, found nothing"),
                Some(_) => self.err(self.pos, "a path starts with `$`"),
            });
        }
        self.pos += 1;
        let mut variable = None;
        let kind = match self.peek_char() {
            Some('$') => {
                self.pos += 1;
                PathKind::Context
            }
            Some(c) if is_ident_start(c) => {
                let vstart = self.pos;
                while let Some(c) = self.peek_char().filter(|&c| is_ident_continue(c)) {
                    self.pos += c.len_utf8();
                }
                variable = Some((
                    self.s[vstart..self.pos].to_string(),
                    TextRange::new(vstart, self.pos),
                ));
                PathKind::Variable
            }
            Some('.' | '[') => PathKind::Input,
            None => PathKind::Root,
            Some(c) if c.is_whitespace() || (embedded && (c == ',' || c == ')')) => PathKind::Root,
            Some(c) => {
                return Err(self.err(
                    self.pos,
                    format!(
                        "unexpected {} after `$`: expected `.`, `[`, `$` or a variable name",
                        describe_char(c)
                    ),
                ))
            }
        };
        let mut segments = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(b'.') => {
                    let dot = self.pos;
                    if self.peek_at(1) == Some(b'.') {
                        self.pos += 2;
                        segments.push(Segment {
                            kind: SegmentKind::Descendant,
                            span: TextRange::new(dot, self.pos),
                        });
                        match self.peek() {
                            Some(b'*') => {
                                self.pos += 1;
                                segments.push(Segment {
                                    kind: SegmentKind::Wildcard,
                                    span: TextRange::new(self.pos - 1, self.pos),
                                });
                            }
                            Some(b'[') => segments.push(self.bracket()?),
                            Some(b'.') => {
                                return Err(self.err(self.pos, "unexpected `.` after `..`"))
                            }
                            _ => match self.name()? {
                                Some(seg) => segments.push(seg),
                                None => {
                                    return Err(PathError::new(
                                        dot,
                                        2,
                                        "`..` must be followed by a name, `*` or `[`",
                                    ))
                                }
                            },
                        }
                    } else {
                        self.pos += 1;
                        match self.peek() {
                            Some(b'*') => {
                                self.pos += 1;
                                segments.push(Segment {
                                    kind: SegmentKind::Wildcard,
                                    span: TextRange::new(dot, self.pos),
                                });
                            }
                            Some(b'[') => {
                                let mut seg = self.bracket()?;
                                seg.span = TextRange::new(dot, seg.span.end());
                                segments.push(seg);
                            }
                            _ => match self.name()? {
                                Some(mut seg) => {
                                    seg.span = TextRange::new(dot, seg.span.end());
                                    segments.push(seg);
                                }
                                None => {
                                    return Err(match self.peek_char() {
                                        Some(c)
                                            if !c.is_whitespace()
                                                && !(embedded && (c == ',' || c == ')')) =>
                                        {
                                            self.err(
                                                self.pos,
                                                format!(
                                                    "unexpected {} after `.`: expected a name",
                                                    describe_char(c)
                                                ),
                                            )
                                        }
                                        _ => PathError::new(dot, 1, "a path cannot end with `.`"),
                                    })
                                }
                            },
                        }
                    }
                }
                Some(b'[') => segments.push(self.bracket()?),
                Some(_) => {
                    let c = self.peek_char().unwrap_or(' ');
                    if c.is_whitespace() {
                        if embedded {
                            break;
                        }
                        // `$.a b`: a name with a space needs bracket notation,
                        // but trailing whitespace is harmless.
                        if self.s[self.pos..].trim().is_empty() {
                            break;
                        }
                        return Err(self.err(
                            self.pos,
                            format!(
                                "unexpected {} in a path; a name with whitespace needs bracket notation, e.g. `['a b']`",
                                describe_char(c)
                            ),
                        ));
                    }
                    if embedded && (c == ',' || c == ')') {
                        break;
                    }
                    return Err(self.unexpected(c, "in a path"));
                }
            }
        }
        Ok(Path {
            kind,
            variable,
            segments,
            span: TextRange::new(start, self.pos),
        })
    }

    /// A dot-notation name at `pos`; `None` when there is none.
    fn name(&mut self) -> Result<Option<Segment>, PathError> {
        let start = self.pos;
        let mut name = String::new();
        let mut reserved_at = None;
        while let Some(c) = self.peek_char() {
            match c {
                '\\' => {
                    let Some(next) = self.s[self.pos + 1..].chars().next() else {
                        return Err(self.err(self.pos, "a path cannot end with a lone `\\`"));
                    };
                    name.push(next);
                    self.pos += 1 + next.len_utf8();
                }
                '$' if self.peek_at(1) == Some(b'{') => {
                    // A deploy-time placeholder: opaque up to its `}`.
                    match self.s[self.pos..].find('}') {
                        Some(e) => {
                            name.push_str(&self.s[self.pos..self.pos + e + 1]);
                            self.pos += e + 1;
                        }
                        None => {
                            name.push('$');
                            self.pos += 1;
                        }
                    }
                }
                '.' | '[' | ']' | '(' | ')' | '\'' | '"' | ',' => break,
                '*' if self.pos == start => break,
                c if c.is_whitespace() || c.is_control() => break,
                c => {
                    if matches!(c, '@' | ':' | '?') && reserved_at.is_none() {
                        reserved_at = Some(self.pos);
                    }
                    name.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if self.pos == start {
            return Ok(None);
        }
        if self.peek() == Some(b'(') {
            return Err(PathError::new(
                start,
                self.pos - start + 1,
                format!(
                    "JSONPath functions such as `{name}()` are not supported in Step Functions"
                ),
            ));
        }
        Ok(Some(Segment {
            kind: SegmentKind::Name { name, reserved_at },
            span: TextRange::new(start, self.pos),
        }))
    }

    /// A bracket step at `pos` (which holds `[`).
    fn bracket(&mut self) -> Result<Segment, PathError> {
        let open = self.pos;
        self.pos += 1;
        self.skip_ws();
        let kind = match self.peek() {
            None => return Err(PathError::new(open, 1, "unclosed `[`")),
            Some(b']') => return Err(PathError::new(open, 2, "empty brackets `[]`")),
            Some(b'\'' | b'"') => {
                let mut names = vec![self.quoted()?];
                self.skip_ws();
                while self.peek() == Some(b',') {
                    self.pos += 1;
                    self.skip_ws();
                    match self.peek() {
                        Some(b'\'' | b'"') => names.push(self.quoted()?),
                        _ => return Err(self.expected("a quoted name after `,`", open)),
                    }
                    self.skip_ws();
                }
                if names.len() == 1 {
                    SegmentKind::Name {
                        name: names.pop().unwrap_or_default(),
                        reserved_at: None,
                    }
                } else {
                    SegmentKind::Union
                }
            }
            Some(b'*') => {
                self.pos += 1;
                self.skip_ws();
                SegmentKind::Wildcard
            }
            Some(b'?') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek() != Some(b'(') {
                    return Err(self.expected("`(` after `?` in a filter", open));
                }
                // Filters are parsed loosely: AWS documents no grammar for
                // them, so only balanced parentheses and quotes are required.
                self.balanced()?;
                self.skip_ws();
                SegmentKind::Filter
            }
            Some(b'(') => {
                self.balanced()?;
                self.skip_ws();
                SegmentKind::Script
            }
            Some(b'-' | b':' | b'0'..=b'9') => self.numeric(open)?,
            Some(_) => {
                let c = self.peek_char().unwrap_or(' ');
                return Err(self.err(
                    self.pos,
                    format!(
                        "unexpected {} in brackets: expected a quoted name, an index, `*` or a filter",
                        describe_char(c)
                    ),
                ));
            }
        };
        if self.peek() != Some(b']') {
            return Err(self.expected("`]`", open));
        }
        self.pos += 1;
        Ok(Segment {
            kind,
            span: TextRange::new(open, self.pos),
        })
    }

    /// "expected X" at `pos`, or "unclosed `[`" at `open` at the end.
    fn expected(&self, what: &str, open: usize) -> PathError {
        match self.peek_char() {
            None => PathError::new(open, 1, "unclosed `[`"),
            Some(c) => self.err(
                self.pos,
                format!("unexpected {}: expected {what}", describe_char(c)),
            ),
        }
    }

    /// Indexes, unions of indexes and slices inside brackets.
    fn numeric(&mut self, open: usize) -> Result<SegmentKind, PathError> {
        let first = self.int()?;
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                for _ in 0..2 {
                    if self.peek() != Some(b':') {
                        break;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
                        self.int()?;
                        self.skip_ws();
                    }
                }
                Ok(SegmentKind::Slice)
            }
            Some(b',') => {
                if first.is_none() {
                    return Err(self.expected("an index before `,`", open));
                }
                while self.peek() == Some(b',') {
                    self.pos += 1;
                    self.skip_ws();
                    if self.int()?.is_none() {
                        return Err(self.expected("an index after `,`", open));
                    }
                    self.skip_ws();
                }
                Ok(SegmentKind::Union)
            }
            _ => match first {
                Some(n) => Ok(SegmentKind::Index(n)),
                None => Err(self.expected("an index", open)),
            },
        }
    }

    /// An optional integer (`-` sign allowed); saturates on overflow.
    fn int(&mut self) -> Result<Option<i64>, PathError> {
        let start = self.pos;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let digits = self.pos;
        let mut v: i64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            v = v.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            self.pos += 1;
        }
        if self.pos == digits {
            if neg {
                return Err(self.err(start, "`-` must be followed by digits"));
            }
            return Ok(None);
        }
        Ok(Some(if neg { -v } else { v }))
    }

    /// A quoted name at `pos` (single or double quotes), unescaped.
    fn quoted(&mut self) -> Result<String, PathError> {
        let open = self.pos;
        let q = self.b[open];
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek_char() {
            self.pos += c.len_utf8();
            if c == '\\' {
                match self.peek_char() {
                    Some(n) => {
                        out.push(n);
                        self.pos += n.len_utf8();
                    }
                    None => break,
                }
            } else if c as u32 == u32::from(q) {
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err(PathError::new(open, 1, "unterminated quoted name"))
    }

    /// Skips a parenthesised expression at `pos` (which holds `(`), loosely:
    /// parentheses must balance outside quoted strings.
    fn balanced(&mut self) -> Result<(), PathError> {
        let open = self.pos;
        let mut depth = 0usize;
        while let Some(&c) = self.b.get(self.pos) {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                b'\'' | b'"' => {
                    let q = self.pos;
                    self.pos += 1;
                    loop {
                        match self.b.get(self.pos) {
                            None => {
                                return Err(PathError::new(q, 1, "unterminated string in a filter"))
                            }
                            Some(b'\\') => self.pos += 2,
                            Some(&x) if x == c => break,
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.pos = self.b.len();
        Err(PathError::new(open, 1, "unclosed `(`"))
    }

    /// An intrinsic call at `pos`; `depth` counts enclosing calls (1 = outermost).
    fn call(&mut self, depth: usize) -> Result<Call, PathError> {
        let start = self.pos;
        while self.peek().is_some_and(is_fn_name_byte) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(match self.peek_char() {
                None => self.eof("expected an intrinsic function name"),
                Some(c) => self.err(
                    self.pos,
                    format!(
                        "unexpected {}: expected an intrinsic function name",
                        describe_char(c)
                    ),
                ),
            });
        }
        let name = self.s[start..self.pos].to_string();
        let name_span = TextRange::new(start, self.pos);
        if depth > MAX_INTRINSIC_NESTING {
            return Err(PathError::new(
                start,
                self.pos - start,
                format!(
                    "intrinsic functions nest at most {MAX_INTRINSIC_NESTING} deep in one field"
                ),
            ));
        }
        match self.peek_char() {
            Some('(') => self.pos += 1,
            Some(c) => {
                return Err(self.err(
                    self.pos,
                    format!(
                        "unexpected {} after `{name}`: expected `(`",
                        describe_char(c)
                    ),
                ))
            }
            None => return Err(self.eof(format!("expected `(` after `{name}`"))),
        }
        let open = self.pos - 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                args.push(self.arg(depth)?);
                self.skip_ws();
                match self.peek_char() {
                    Some(',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b')') {
                            return Err(self.err(comma, "trailing `,` before `)`"));
                        }
                    }
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(self.err(
                            self.pos,
                            format!(
                                "unexpected {} in the arguments of `{name}`: expected `,` or `)`",
                                describe_char(c)
                            ),
                        ))
                    }
                    None => {
                        return Err(PathError::new(open, 1, format!("unclosed `(` of `{name}`")))
                    }
                }
            }
        }
        Ok(Call {
            name,
            name_span,
            args,
            span: TextRange::new(start, self.pos),
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, PathError> {
        let start = self.pos;
        let kind = match self.peek() {
            None => return Err(self.eof("expected an argument")),
            Some(b',' | b')') => return Err(self.err(self.pos, "empty argument")),
            Some(b'\'') => ArgKind::Str(self.literal()?),
            Some(b'"') => {
                let len = self.s[start + 1..].find('"').map_or(1, |e| e + 2);
                return Err(PathError::new(
                    start,
                    len,
                    "string literals in intrinsic functions use single quotes",
                ));
            }
            Some(b'$') if self.peek_at(1) == Some(b'{') => match self.s[start..].find('}') {
                Some(e) => {
                    self.pos += e + 1;
                    ArgKind::Placeholder
                }
                None => ArgKind::Path(self.path(true)?),
            },
            Some(b'$') => ArgKind::Path(self.path(true)?),
            Some(b'-' | b'0'..=b'9') => ArgKind::Number(self.number()?),
            Some(b) if b.is_ascii_alphabetic() => {
                let word_end = self.s[start..]
                    .bytes()
                    .position(|b| !is_fn_name_byte(b))
                    .map_or(self.s.len(), |e| start + e);
                match &self.s[start..word_end] {
                    "true" | "false" | "null" if self.b.get(word_end) != Some(&b'(') => {
                        self.pos = word_end;
                        match &self.s[start..word_end] {
                            "true" => ArgKind::Bool(true),
                            "false" => ArgKind::Bool(false),
                            _ => ArgKind::Null,
                        }
                    }
                    _ => ArgKind::Call(self.call(depth + 1)?),
                }
            }
            Some(_) => {
                let c = self.peek_char().unwrap_or(' ');
                return Err(self.err(
                    self.pos,
                    format!(
                        "unexpected {}: expected a string, number, boolean, null, path or function call",
                        describe_char(c)
                    ),
                ));
            }
        };
        Ok(Arg {
            kind,
            span: TextRange::new(start, self.pos),
        })
    }

    /// A single-quoted literal at `pos`, unescaped. `\'`, `\{`, `\}` and `\\`
    /// are the escapes; any other backslash is an error (AWS fails on it).
    fn literal(&mut self) -> Result<String, PathError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek_char() {
            match c {
                '\'' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => match self.s[self.pos + 1..].chars().next() {
                    Some(n @ ('\'' | '{' | '}' | '\\')) => {
                        out.push(n);
                        self.pos += 2;
                    }
                    Some(n) => {
                        return Err(PathError::new(
                            self.pos,
                            1 + n.len_utf8(),
                            format!(
                                "invalid escape `\\{n}` in a string literal; only `\\'`, `\\{{`, `\\}}` and `\\\\` are escapes"
                            ),
                        ))
                    }
                    None => break,
                },
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        Err(PathError::new(open, 1, "unterminated string literal"))
    }

    /// A JSON-style number at `pos`, as written.
    fn number(&mut self) -> Result<String, PathError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > s
        };
        if !digits(self) {
            return Err(self.err(start, "`-` must be followed by digits"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.err(self.pos.min(self.s.len()), "expected digits after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.err(self.pos, "expected digits in the exponent"));
            }
        }
        Ok(self.s[start..self.pos].to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Path {
        parse_path(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e:?}"))
    }
    fn err(s: &str) -> PathError {
        match parse_path(s) {
            Ok(p) => panic!("{s:?} should not parse: {p:?}"),
            Err(e) => e,
        }
    }
    fn reference_ok(s: &str) {
        if let Err(e) = parse_reference_path(s) {
            panic!("{s:?} should be a reference path: {e:?}");
        }
    }
    fn reference_err(s: &str) -> PathError {
        match parse_reference_path(s) {
            Ok(p) => panic!("{s:?} should not be a reference path: {p:?}"),
            Err(e) => e,
        }
    }
    fn names(p: &Path) -> Vec<&str> {
        p.segments.iter().filter_map(Segment::name).collect()
    }

    #[test]
    fn kinds() {
        assert_eq!(ok("$").kind, PathKind::Root);
        assert_eq!(ok("$.a").kind, PathKind::Input);
        assert_eq!(ok("$[0]").kind, PathKind::Input);
        assert_eq!(ok("$$").kind, PathKind::Context);
        assert_eq!(ok("$$.Execution.Id").kind, PathKind::Context);
        let v = ok("$myVar.a[0]");
        assert_eq!(v.kind, PathKind::Variable);
        assert_eq!(v.variable, Some(("myVar".into(), TextRange::new(1, 6))));
        assert_eq!(names(&v), ["a"]);
        assert_eq!(ok("$_x").kind, PathKind::Variable);
        assert_eq!(ok("$jsonä").variable.unwrap().0, "jsonä");
    }

    #[test]
    fn accepts_the_documented_and_real_world_forms() {
        for s in [
            "$",
            "$.store.book",
            "$.store\\.book",
            "$.\\stor\\e.boo\\k",
            "$.foo.\\.bar",
            "$.foo\\@bar.baz\\[\\[.\\?pretty",
            "$.&Ж中.𐍆",
            "$.ledgers[0][22][315].foo",
            "$['store']['book']",
            "$[\"store\"][0]",
            "$.abc.['def ghi']",
            "$.[0]",
            "$.[0].body",
            "$.input-foo-bar",
            "$.detail-type",
            "$.books[-2]",
            "$[(@.length-1)].bar",
            "$.a[?(@.k == v)]",
            "$.library.movies[?(@.genre)]",
            "$.store.book[?(@.price < -10)]",
            "$.Parameters[?(@.Name == '/eggs/cooked/like')].Value",
            "$[?(@.Name == 'Cat')]",
            "$.x[?(@.a == ')')]",
            "$.library.movies[0:2]",
            "$.library.movies[0,1,-2]",
            "$.fooList[1:]",
            "$.vals[3:]",
            "$.book[:2]",
            "$.book[::2]",
            "$.book[-2:]",
            "$.book[ 0 , 1 ]",
            "$['a', 'b']",
            "$..director",
            "$..*",
            "$..[0]",
            "$.store.*",
            "$.store.book[*].author",
            "$['Test\\\"\"Name\"']",
            "$.${DynamoDBTable_Attribute1}",
            "$.a.${X}suffix",
            "$$.Map.Item.Value",
            "$$.Execution.Input.a-b",
            "$.a   ",
            "$.a:b",
            "$.a@b",
        ] {
            ok(s);
        }
    }

    #[test]
    fn segment_kinds_and_spans() {
        let p = ok("$.a['b c'][1][*]..d[1:2][0,1][?(@.x)][(@.length-1)]");
        let kinds: Vec<_> = p.segments.iter().map(|s| s.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                SegmentKind::Name {
                    name: "a".into(),
                    reserved_at: None
                },
                SegmentKind::Name {
                    name: "b c".into(),
                    reserved_at: None
                },
                SegmentKind::Index(1),
                SegmentKind::Wildcard,
                SegmentKind::Descendant,
                SegmentKind::Name {
                    name: "d".into(),
                    reserved_at: None
                },
                SegmentKind::Slice,
                SegmentKind::Union,
                SegmentKind::Filter,
                SegmentKind::Script,
            ]
        );
        assert_eq!(p.segments[0].span, TextRange::new(1, 3));
        assert_eq!(p.segments[1].span, TextRange::new(3, 10));
        let q = ok("$.abc.['def ghi']");
        assert_eq!(names(&q), ["abc", "def ghi"]);
        assert_eq!(q.segments[1].span, TextRange::new(5, 17));
        assert_eq!(names(&ok("$.store\\.book")), ["store.book"]);
    }

    #[test]
    fn rejects_with_the_offset_of_the_offending_character() {
        let e = err("$.a b");
        assert_eq!((e.offset, e.len), (3, 1));
        assert!(e.message.contains("bracket notation"), "{}", e.message);
        assert_eq!(err(".guid").offset, 0);
        assert_eq!(err("..guid").offset, 0);
        assert_eq!(err("()").offset, 0);
        assert_eq!(err("").offset, 0);
        assert_eq!(err("  $.a").span(), TextRange::new(0, 2));
        assert_eq!(err("bug$.library").offset, 0);
        let e = err("$...");
        assert_eq!(e.offset, 3);
        let e = err("$..");
        assert_eq!((e.offset, e.len), (1, 2));
        let e = err("$.");
        assert_eq!((e.offset, e.len), (1, 1));
        assert_eq!(err("$.a[").offset, 3);
        assert_eq!(err("$.a[0").offset, 3);
        assert_eq!(err("$.a[]").offset, 3);
        assert_eq!(err("$.a['x").offset, 4);
        assert_eq!(err("$.a[?(@.x]").offset, 5);
        assert_eq!(err("$.a[x]").offset, 4);
        assert_eq!(err("$.a]").offset, 3);
        assert_eq!(err("$.a)").offset, 3);
        assert_eq!(err("$.a,b").offset, 3);
        assert_eq!(err("$ .a").offset, 1);
        assert_eq!(err("$#").offset, 1);
        assert_eq!(err("$.a\\").offset, 3);
        assert_eq!(err("$.a[-]").offset, 4);
        assert_eq!(err("$.a'b'").offset, 3);
        let e = err("$.a.length()");
        assert_eq!((e.offset, e.len), (4, 7));
        // Regular-expression filters: AWS's documentation and emulators disagree.
        ok("$.book[?(@.author =~ /.*REES/i)]");
        // Offsets are bytes, and the length covers the whole character.
        let e = err("$.é\u{3000}x");
        assert_eq!((e.offset, e.len), (4, 3));
    }

    #[test]
    fn reference_paths() {
        for s in [
            "$",
            "$.a.b",
            "$['a b'].c",
            "$.a[0][1]",
            "$.[0]",
            "$.books[-2]",
            "$$.Execution.Id",
            "$var.x",
            "$.store\\.book",
            "$.foo\\@bar.baz\\[\\[.\\?pretty",
            "$.${X}",
        ] {
            reference_ok(s);
        }
        let e = reference_err("$..a");
        assert_eq!((e.offset, e.len), (1, 2));
        let e = reference_err("$.a[*]");
        assert_eq!((e.offset, e.len), (3, 3));
        assert_eq!(reference_err("$.a.*").offset, 3);
        assert_eq!(reference_err("$.a[0:1]").offset, 3);
        assert_eq!(reference_err("$.a[0,1]").offset, 3);
        assert_eq!(reference_err("$['a','b']").offset, 1);
        assert_eq!(reference_err("$.a[?(@.x)]").offset, 3);
        assert_eq!(reference_err("$[(@.length-1)].bar").offset, 1);
        let e = reference_err("$.a@b");
        assert_eq!((e.offset, e.len), (3, 1));
        assert_eq!(reference_err("$.a:b").offset, 3);
        assert_eq!(reference_err("$.x.y?").offset, 5);
        // Syntax errors come first.
        assert_eq!(reference_err("$.a b").offset, 3);
    }

    fn call(s: &str) -> Call {
        parse_intrinsic(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e:?}"))
    }
    fn call_err(s: &str) -> PathError {
        match parse_intrinsic(s) {
            Ok(c) => panic!("{s:?} should not parse: {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn intrinsic_calls() {
        let c = call("States.Format('x {}', $.a)");
        assert_eq!(c.name, "States.Format");
        assert_eq!(c.name_span, TextRange::new(0, 13));
        assert_eq!(c.span, TextRange::new(0, 26));
        assert_eq!(c.args.len(), 2);
        assert_eq!(c.args[0].kind, ArgKind::Str("x {}".into()));
        assert_eq!(c.args[0].span, TextRange::new(14, 20));
        assert!(matches!(&c.args[1].kind, ArgKind::Path(p) if p.kind == PathKind::Input));
        assert_eq!(c.args[1].span, TextRange::new(22, 25));

        let c = call("States.UUID()");
        assert!(c.args.is_empty());
        let c = call("States.Array('Foo', 2020, $.someJson, null, true, false, -1.5e3)");
        let kinds: Vec<&str> = c.args.iter().map(Arg::describe).collect();
        assert_eq!(
            kinds,
            [
                "a string literal",
                "a number literal",
                "a path",
                "`null`",
                "a boolean literal",
                "a boolean literal",
                "a number literal"
            ]
        );
        let c = call("States.Format('{}', States.MathAdd($$.Execution.Input.a, $v.b))");
        let ArgKind::Call(inner) = &c.args[1].kind else {
            panic!("nested call")
        };
        assert_eq!(inner.name, "States.MathAdd");
        assert_eq!(inner.name_span, TextRange::new(20, 34));
        let mut n = 0;
        c.paths(&mut |_| n += 1);
        assert_eq!(n, 2);
        let c = call(r"States.Format('it\'s \{literal\} \\ {}', $['test-data']['x'])");
        assert_eq!(c.args[0].kind, ArgKind::Str(r"it's {literal} \ {}".into()));
        call("States.ArrayGetItem($.a[?(@.OutputKey == FooBar)].OutputValue, 0)");
        call("States.ArrayGetItem(States.StringSplit($.detail.object.key, '/'),0)");
        call("States.JsonToString($)    ");
        call("States.Format('one {}\ntwo {}', $.firstName, 'literal')");
        call("States.Format('${TranscriptionJob}_{}',$$.Execution.Name)");
        call("States.Format('x', ${Placeholder})");
        call("States.StringToJson('{\"NewField\": \"MyValue\" }')");
        call("States.Format( 'a' , $.b )");
        call("States.MathAdd($.value1, -1)");
        call("Custom.Thing($)");
    }

    #[test]
    fn intrinsic_errors_point_at_the_character() {
        assert_eq!(
            call_err("  States.Format($.a)").span(),
            TextRange::new(0, 2)
        );
        assert_eq!(call_err(" States.Array('Foo', $.xyz)").offset, 0);
        let e = call_err("States.JsonToString($");
        assert_eq!((e.offset, e.len), (19, 1));
        assert_eq!(call_err("States.StringToJson $.escaped)").offset, 19);
        assert_eq!(call_err("States. ").offset, 7);
        assert_eq!(
            call_err("States.Format(\"x\", $.a)").span(),
            TextRange::new(14, 17)
        );
        assert_eq!(call_err("States.Format('x', )").offset, 17);
        assert_eq!(call_err("States.Format('x',)").offset, 17);
        assert_eq!(call_err("States.Format('x',, $.a)").offset, 18);
        assert_eq!(call_err("States.Format('x' $.a)").offset, 18);
        assert_eq!(call_err("States.Format('x)").offset, 14);
        assert_eq!(call_err("States.Format('x') y").offset, 19);
        assert_eq!(call_err("States.Format('\\n')").offset, 15);
        assert_eq!(call_err("States.Format($.a b)").offset, 18);
        assert_eq!(call_err("States.Format($.a.)").offset, 17);
        assert_eq!(call_err("States.Format(foo)").offset, 17);
        assert_eq!(call_err("States.MathAdd(-, 1)").offset, 15);
        assert_eq!(call_err("States.MathAdd(1.e, 1)").offset, 17);
        assert_eq!(call_err("States.Format(@)").offset, 14);
        assert_eq!(call_err("").offset, 0);
        let deep = format!("{}1{}", "States.MathAdd(".repeat(11), ")".repeat(11));
        let e = call_err(&deep);
        assert!(e.message.contains("nest"), "{}", e.message);
        let ten = format!(
            "{}States.UUID(){}",
            "States.Array(".repeat(9),
            ")".repeat(9)
        );
        call(&ten);
        // A huge input does not overflow the stack.
        let huge = "States.Array(".repeat(100_000);
        assert!(parse_intrinsic(&huge).is_err());
    }

    #[test]
    fn intrinsic_detection() {
        assert!(looks_like_intrinsic("States.Format($.a)"));
        assert!(looks_like_intrinsic("  States.Format($.a)"));
        assert!(looks_like_intrinsic("JsonToString($)"));
        assert!(looks_like_intrinsic("States. "));
        assert!(looks_like_intrinsic("States.StringToJson $.escaped)"));
        assert!(looks_like_intrinsic("States.ALL"));
        assert!(!looks_like_intrinsic("$.a"));
        assert!(!looks_like_intrinsic("something else"));
        assert!(!looks_like_intrinsic("States\nJsonToString($)"));
        assert!(!looks_like_intrinsic(""));
    }

    #[test]
    fn function_table() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        let sorted = {
            let mut s = names.clone();
            s.sort_unstable();
            s
        };
        assert_eq!(names, sorted);
        names.dedup();
        assert_eq!(names.len(), 18);
        let f = function("States.MathRandom").unwrap();
        assert_eq!(f.arity(), "2 or 3 arguments");
        assert_eq!(function("States.UUID").unwrap().arity(), "no arguments");
        assert_eq!(
            function("States.Format").unwrap().arity(),
            "at least 1 argument"
        );
        assert_eq!(
            function("States.Array").unwrap().arity(),
            "any number of arguments"
        );
        assert_eq!(function("States.Hash").unwrap().param(1), Type::String);
        assert_eq!(function("States.Format").unwrap().param(5), Type::Any);
        assert!(function("States.format").is_none());
    }

    #[test]
    fn format_placeholders() {
        assert_eq!(count_format_placeholders("a {} b {}"), 2);
        assert_eq!(count_format_placeholders(r"a \{} b {}"), 1);
        assert_eq!(count_format_placeholders("s3://${bucket}/{}"), 1);
        assert_eq!(count_format_placeholders("{{}}"), 1);
        assert_eq!(count_format_placeholders("none"), 0);
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // A small deterministic generator over the characters that matter.
        let alphabet: Vec<char> = "$.[]()'\",?@*:-0123456789 \\abSt{}=~é中\t"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let mut s = String::new();
            if next() % 2 == 0 {
                s.push_str(if next() % 2 == 0 {
                    "$"
                } else {
                    "States.Format("
                });
            }
            for _ in 0..len {
                s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            for r in [parse_path(&s).err(), parse_reference_path(&s).err()]
                .into_iter()
                .flatten()
                .chain(parse_intrinsic(&s).err())
            {
                assert!(r.offset + r.len <= s.len(), "{s:?}: {r:?}");
                assert!(s.is_char_boundary(r.offset) && s.is_char_boundary(r.offset + r.len));
            }
            let _ = looks_like_intrinsic(&s);
            let _ = count_format_placeholders(&s);
        }
    }
}
