//! YAML 1.2 into the spanned tree, on top of `saphyr-parser`'s event stream.
//!
//! What comes out is the same tree as for JSON, so rules never know which
//! format they read:
//!
//! - **Ranges.** Every key, value and item keeps its byte range: quotes are
//!   included for quoted scalars, the `|`/`>` header for block scalars; a block
//!   mapping or sequence covers its content (first key or `-` to the end of its
//!   last value); a flow collection covers its brackets. Properties (`!tag`,
//!   `&anchor`) are not part of a node's range. `saphyr-parser` counts
//!   characters, not bytes: `CharToByte` converts its positions.
//! - **Scalars** follow the YAML 1.2 core schema: `null`, `Null`, `NULL`, `~`
//!   and the empty scalar are null; `true`/`True`/`TRUE`/`false`/`False`/`FALSE`
//!   are booleans; decimal, `0o` octal and `0x` hexadecimal integers and floats
//!   are numbers, normalised to a JSON lexeme (`0x1F` → `31`, `+.5` → `0.5`,
//!   `.inf` → `1e999999`, `-.inf` → `-1e999999`, which read back as infinities).
//!   `.nan` has no JSON lexeme and stays the string `".nan"`. Everything else
//!   (YAML 1.1's `yes`, `no`, `on`, `off`, `y`, `1_000`, timestamps) is a string.
//!   Quoted and block scalars are always strings.
//! - **Keys** are the scalar's text: `1:` and `true:` give the keys `"1"` and
//!   `"true"`. A sequence or mapping used as a key is reported and replaced by
//!   its source text. Duplicate keys are kept (the `duplicate-key` rule reports
//!   them).
//! - **Merge keys.** `<<: *base` (or `<<: [*a, *b]`, or an inline mapping) gives
//!   the mapping every key of the merged mappings that it does not have itself,
//!   in place of the `<<` member; among several merged mappings the first
//!   listed wins. PyYAML (the SAM CLI), js-yaml (the Serverless Framework) and
//!   libyaml-based tools resolve them so, and a definition written with them
//!   reaches AWS merged. A `<<` whose value is not a mapping or a sequence of
//!   mappings stays an ordinary key.
//! - **Tags.** CloudFormation's short forms become their long form: `!Ref x` →
//!   `{"Ref": x}`, `!Condition x` → `{"Condition": x}`, `!GetAtt a.b` →
//!   `{"Fn::GetAtt": ["a", "b"]}` (split at the first dot; a sequence stays as
//!   written) and `!Name v` → `{"Fn::Name": v}` for the other intrinsic
//!   functions. A scalar under such a tag is always a string. The object and its
//!   key cover the tag and the value. Core tags (`!!str`, `!!int`, `!!float`,
//!   `!!bool`, `!!null`, `!!seq`, `!!map`) impose their type; other tags are
//!   ignored. CloudFormation and ignored tags are listed in
//!   [`Parsed::tags`], so that a definition file can report them.
//! - **Anchors and aliases.** An alias becomes a copy of its anchored node, every
//!   range of the copy being the alias's range. Copies count against two
//!   budgets, nodes ([`MAX_ALIAS_NODES`]) and bytes of keys and scalars
//!   ([`MAX_ALIAS_BYTES`]), so an alias bomb ("billion laughs", or a few
//!   aliases of one huge string) is refused quickly at the alias that exceeds
//!   one. Anchors do not cross documents.
//! - **Documents.** A stream gives one [`Document`] per YAML document. A syntax
//!   error stops the parser: the documents completed before it are kept, the one
//!   it is in is dropped.
//! - **Leniency.** A line inside a flow collection that is not indented more
//!   than the enclosing block (a closing `]` under its key) is accepted, as
//!   libyaml and CloudFormation do; see [`parse_lenient`].
//! - **Limits.** Nesting deeper than [`MAX_DEPTH`] (counting the objects made for
//!   CloudFormation tags, and the depth of alias copies) is a syntax error; the
//!   event stream is consumed iteratively, so nothing here recurses on input.

use super::{
    Document, Member, Node, Number, Parsed, SyntaxError, TagUse, TextRange, Value, MAX_DEPTH,
};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::collections::{HashMap, HashSet};

/// The most nodes that alias expansion may create in one file. No real
/// definition comes near it; an alias bomb reaches it within milliseconds.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// The most text (bytes of keys and scalars) that alias expansion may copy
/// in one file. A few aliases of one huge string stay under the node budget
/// and would still copy gigabytes; Step Functions takes definitions of at
/// most 1 MB, and CloudFormation templates are smaller still.
pub const MAX_ALIAS_BYTES: usize = 16 << 20;

/// How many extra passes of the parser under-indented lines inside flow
/// collections may cost (one per line, usually), and the most spaces added to
/// one line.
const MAX_REINDENT_PASSES: usize = 32;
const MAX_PAD: usize = 4096;

pub fn parse(text: &str) -> Parsed {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_lenient(text)));
    match outcome {
        Ok(parsed) => parsed,
        // Defence in depth: the YAML parser is a dependency; a bug in it must
        // become a finding, not a crash of the linter or the language server.
        Err(_) => Parsed {
            documents: Vec::new(),
            errors: vec![SyntaxError::new(
                "the YAML parser failed on this file",
                TextRange::empty(0),
            )
            .with_help("please report this file to the asl-lint maintainers")],
            placeholders: Vec::new(),
            tags: Vec::new(),
        },
    }
}

/// Spaces inserted at the start of a line (`at`, a byte offset of `text`).
#[derive(Clone, Copy, Debug)]
struct Pad {
    at: usize,
    spaces: usize,
}

/// Parses `text`, tolerating one YAML 1.2 rule that libyaml, PyYAML, SnakeYAML
/// and CloudFormation do not enforce: a line inside a flow collection (`[…]`,
/// `{…}`) that is not indented more than the block around it, typically the
/// closing bracket:
///
/// ```yaml
/// Action: [
///   "s3:GetObject",
/// ]
/// ```
///
/// `saphyr-parser` refuses it. When it does, the line is padded with spaces
/// (inside a flow collection indentation carries no meaning) and the text is
/// parsed again; ranges are then mapped back to the original text.
fn parse_lenient(text: &str) -> Parsed {
    let mut pads: Vec<Pad> = Vec::new();
    let mut passes = 0;
    loop {
        let padded;
        let work = if pads.is_empty() {
            text
        } else {
            padded = apply_pads(text, &pads);
            padded.as_str()
        };
        let mut b = Builder::new(work);
        b.run();
        if let Some((at, spaces)) = b.reindent.take() {
            if passes < MAX_REINDENT_PASSES {
                passes += 1;
                let at = line_start(text, to_original(at, &pads));
                match pads.iter_mut().find(|p| p.at == at) {
                    // Still refused: the parser wanted more than computed.
                    Some(p) if p.spaces < MAX_PAD => {
                        p.spaces = (p.spaces * 2).max(p.spaces + spaces).min(MAX_PAD);
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        let i = pads.partition_point(|p| p.at < at);
                        pads.insert(
                            i,
                            Pad {
                                at,
                                spaces: spaces.min(MAX_PAD),
                            },
                        );
                        continue;
                    }
                }
            }
        }
        let mut parsed = b.finish();
        if !pads.is_empty() {
            remap(&mut parsed, &pads);
        }
        return parsed;
    }
}

/// The start of the line holding byte `at` (after a byte-order mark).
fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let start = text.as_bytes()[..at]
        .iter()
        .rposition(|&c| c == b'\n' || c == b'\r')
        .map_or(0, |i| i + 1);
    if start == 0 && at >= 3 && text.starts_with('\u{feff}') {
        3
    } else {
        start
    }
}

fn apply_pads(text: &str, pads: &[Pad]) -> String {
    let extra: usize = pads.iter().map(|p| p.spaces).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut from = 0;
    for p in pads {
        out.push_str(&text[from..p.at]);
        out.extend(std::iter::repeat_n(' ', p.spaces));
        from = p.at;
    }
    out.push_str(&text[from..]);
    out
}

/// Maps a byte offset of the padded text to the original text; offsets inside
/// inserted spaces go to the start of their line.
fn to_original(at: usize, pads: &[Pad]) -> usize {
    let mut inserted = 0;
    for p in pads {
        let padded_at = p.at + inserted;
        if at < padded_at {
            break;
        }
        if at < padded_at + p.spaces {
            return p.at;
        }
        inserted += p.spaces;
    }
    at - inserted
}

/// Moves every range of `parsed` from the padded text back to the original.
fn remap(parsed: &mut Parsed, pads: &[Pad]) {
    let map =
        |r: TextRange| TextRange::new(to_original(r.start(), pads), to_original(r.end(), pads));
    for e in &mut parsed.errors {
        e.range = map(e.range);
    }
    for t in &mut parsed.tags {
        t.range = map(t.range);
        t.node = map(t.node);
    }
    let mut stack: Vec<&mut Node> = parsed.documents.iter_mut().map(|d| &mut d.root).collect();
    while let Some(n) = stack.pop() {
        n.range = map(n.range);
        match &mut n.value {
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(members) => {
                for m in members {
                    m.key_range = map(m.key_range);
                    stack.push(&mut m.value);
                }
            }
            _ => {}
        }
    }
}

/// Converts `saphyr-parser`'s character offsets into byte offsets. All-ASCII
/// text maps one to one. Otherwise the byte offset of every [`STRIDE`]-th
/// character is kept (one linear pass, a `u32` per `STRIDE` characters), and a
/// lookup walks forward from the last answer when it is close (the parser's
/// positions mostly grow), else from the nearest kept offset: at most
/// `STRIDE - 1` characters either way.
struct CharToByte<'t> {
    text: &'t str,
    ascii: bool,
    marks: Vec<u32>,
    /// The last lookup: (character, byte).
    last: std::cell::Cell<(usize, usize)>,
}

const STRIDE: usize = 32;

impl<'t> CharToByte<'t> {
    fn new(text: &'t str) -> Self {
        let ascii = text.is_ascii();
        let mut marks = Vec::new();
        if !ascii {
            marks.reserve(text.len() / STRIDE + 1);
            for (n, (i, _)) in text.char_indices().enumerate() {
                if n % STRIDE == 0 {
                    marks.push(u32::try_from(i).unwrap_or(u32::MAX));
                }
            }
        }
        CharToByte {
            text,
            ascii,
            marks,
            last: std::cell::Cell::new((0, 0)),
        }
    }

    /// The byte offset of character number `ch` (the end of the text past it).
    fn byte(&self, ch: usize) -> usize {
        let len = self.text.len();
        if self.ascii {
            return ch.min(len);
        }
        let (last_ch, last_byte) = self.last.get();
        let (from_ch, from_byte) = if ch >= last_ch && ch - last_ch < STRIDE {
            (last_ch, last_byte)
        } else {
            let Some(&mark) = self.marks.get(ch / STRIDE) else {
                return len;
            };
            (ch - ch % STRIDE, (mark as usize).min(len))
        };
        let b = self.text.as_bytes();
        let mut at = from_byte;
        for _ in from_ch..ch {
            let Some(&lead) = b.get(at) else {
                return len;
            };
            // `at` is always on a character boundary of valid UTF-8.
            at += match lead {
                0..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
        }
        let at = at.min(len);
        self.last.set((ch, at));
        at
    }
}

/// What a tag asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagKind {
    /// No tag, or one we do not interpret.
    None,
    /// `!!str` and the non-specific `!`.
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    /// A CloudFormation short form: wraps the value in `{key: value}`.
    Cfn(&'static str),
}

const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// CloudFormation's short-form tags and the key of their long form.
const CFN_TAGS: &[(&str, &str)] = &[
    ("And", "Fn::And"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Condition", "Condition"),
    ("Equals", "Fn::Equals"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("GetAtt", "Fn::GetAtt"),
    ("If", "Fn::If"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Length", "Fn::Length"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("Ref", "Ref"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
];

fn tag_kind(tag: Option<&Tag>) -> TagKind {
    let Some(tag) = tag else {
        return TagKind::None;
    };
    let core = if tag.handle == CORE_PREFIX {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        // Verbatim `!<tag:yaml.org,2002:str>`, or the non-specific `!`.
        if tag.suffix == "!" {
            return TagKind::Str;
        }
        tag.suffix.strip_prefix(CORE_PREFIX)
    } else {
        None
    };
    if let Some(core) = core {
        return match core {
            "str" => TagKind::Str,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "bool" => TagKind::Bool,
            "null" => TagKind::Null,
            "seq" => TagKind::Seq,
            "map" => TagKind::Map,
            _ => TagKind::None,
        };
    }
    if tag.handle == "!" {
        if let Some(&(_, key)) = CFN_TAGS.iter().find(|(name, _)| *name == tag.suffix) {
            return TagKind::Cfn(key);
        }
    }
    TagKind::None
}

/// A node being built, with what its parent and the alias budget need.
struct Built {
    node: Node,
    /// The scalar's text, for use as a key.
    key_text: Option<String>,
    /// Nodes in the subtree (itself included).
    count: usize,
    /// Nesting levels of arrays and objects in the subtree (0 for a scalar).
    height: usize,
    /// Bytes of the keys and scalars in the subtree.
    bytes: usize,
}

/// An anchored node, kept for its aliases.
struct Anchored {
    node: Node,
    key_text: Option<String>,
    count: usize,
    height: usize,
    bytes: usize,
}

enum Items {
    Seq(Vec<Node>),
    Map {
        members: Vec<Member>,
        key: Option<(String, TextRange)>,
    },
}

/// An open sequence or mapping.
struct Frame {
    items: Items,
    /// Delimited by brackets (`[…]`, `{…}`) rather than by indentation.
    flow: bool,
    /// Where the content starts (the bracket, first key or first `-`).
    start: usize,
    /// The end of the last child (block collections end there).
    end: usize,
    /// Where the properties (tag, anchor) start, or `start` without them.
    props_start: usize,
    anchor: usize,
    tag: TagKind,
    /// The text range of a tag that is not a core tag, for [`Parsed::tags`].
    tag_text: Option<TextRange>,
    count: usize,
    height: usize,
    bytes: usize,
    /// Levels this frame adds to the depth (2 with a CloudFormation tag).
    levels: usize,
}

struct Builder<'t> {
    text: &'t str,
    bytes: &'t [u8],
    map: CharToByte<'t>,
    documents: Vec<Document>,
    errors: Vec<SyntaxError>,
    stack: Vec<Frame>,
    root: Option<Node>,
    in_document: bool,
    depth: usize,
    anchors: HashMap<usize, Anchored>,
    /// Nodes created by expanding aliases, against [`MAX_ALIAS_NODES`].
    copied: usize,
    /// Bytes copied by expanding aliases, against [`MAX_ALIAS_BYTES`].
    copied_bytes: usize,
    /// Nodes copied to keep anchored nodes.
    registered: usize,
    /// Bytes copied to keep anchored nodes.
    registered_bytes: usize,
    /// The end of the previous event, where a block scalar's header search starts.
    last_end: usize,
    /// Set when the parser refused an under-indented line in a flow
    /// collection: the line's first character and the spaces it lacks.
    reindent: Option<(usize, usize)>,
    /// Tags other than the core ones, for [`Parsed::tags`].
    tags: Vec<TagUse>,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            bytes: text.as_bytes(),
            map: CharToByte::new(text),
            documents: Vec::new(),
            errors: Vec::new(),
            stack: Vec::new(),
            root: None,
            in_document: false,
            depth: 0,
            anchors: HashMap::new(),
            copied: 0,
            copied_bytes: 0,
            registered: 0,
            registered_bytes: 0,
            last_end: 0,
            reindent: None,
            tags: Vec::new(),
        }
    }

    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let result = match next {
                Ok((event, span)) => self.event(event, span),
                Err(e) => {
                    self.reindent = self.reindentable(&e);
                    Err(self.scan_error(&e))
                }
            };
            match result {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    self.errors.push(e);
                    break;
                }
            }
        }
    }

    fn finish(self) -> Parsed {
        let mut errors = self.errors;
        if self.documents.is_empty() && errors.is_empty() {
            let at = if self.text.starts_with('\u{feff}') {
                3
            } else {
                0
            };
            let body = &self.text[at.min(self.text.len())..];
            let message = if body.trim().is_empty() {
                "the file is empty"
            } else if body
                .lines()
                .map(str::trim)
                .all(|l| l.is_empty() || l.starts_with('#'))
            {
                "the file holds only comments, no YAML value"
            } else {
                "the file holds no YAML value"
            };
            errors.push(SyntaxError::new(message, TextRange::empty(at)).with_help(
                "a state machine definition is a YAML mapping with `StartAt` and `States`",
            ));
        }
        Parsed {
            documents: self.documents,
            errors,
            placeholders: Vec::new(),
            tags: self.tags,
        }
    }

    fn byte(&self, marker: &saphyr_parser::Marker) -> usize {
        self.map.byte(marker.index())
    }

    /// The range of the character at `at` (empty at the end of the text).
    fn char_range(&self, at: usize) -> TextRange {
        let at = at.min(self.text.len());
        match self.text.get(at..).and_then(|s| s.chars().next()) {
            Some(c) => TextRange::new(at, at + c.len_utf8()),
            None => TextRange::empty(at),
        }
    }

    /// Handles one event; `Ok(false)` ends the stream.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool> {
        let start = self.byte(&span.start);
        let end = self.byte(&span.end).max(start);
        match event {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => return Ok(false),
            Event::DocumentStart(_) => {
                self.in_document = true;
                self.root = None;
                self.stack.clear();
                self.depth = 0;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(root) = self.root.take() {
                    self.documents.push(Document { root });
                }
                self.in_document = false;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let built = self.scalar(&value, style, anchor, tag.as_deref(), start, end)?;
                if anchor > 0 {
                    self.register(anchor, &built)?;
                }
                self.deliver(built);
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(false, anchor, tag.as_deref(), start, end)?;
            }
            Event::MappingStart(anchor, tag) => {
                self.open(true, anchor, tag.as_deref(), start, end)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(start, end)?,
            Event::Alias(id) => self.alias(id, TextRange::new(start, end))?,
        }
        self.last_end = self.last_end.max(end);
        Ok(true)
    }

    /// For the parser's "invalid indentation" inside a flow collection at the
    /// first character of a line: that position and how many spaces the line
    /// lacks to be indented more than the innermost block collection.
    fn reindentable(&self, e: &ScanError) -> Option<(usize, usize)> {
        if !matches!(
            e.info(),
            "invalid indentation" | "invalid indentation in flow construct"
        ) || !self.stack.iter().any(|f| f.flow)
        {
            return None;
        }
        let at = self.byte(e.marker());
        let start = line_start(self.text, at);
        if !self.bytes[start..at].iter().all(|&c| c == b' ') {
            return None;
        }
        let col = at - start;
        let block = self.stack.iter().rev().find(|f| !f.flow)?;
        let block_start = line_start(self.text, block.start);
        let block_col = self.text[block_start..block.start].chars().count();
        Some((at, (block_col + 1).saturating_sub(col).max(1)))
    }

    fn depth_error(&self, at: usize) -> SyntaxError {
        SyntaxError::new(
            format!("the document nests deeper than {MAX_DEPTH} levels"),
            self.char_range(at),
        )
        .with_help("no state machine needs this depth; check the file was generated correctly")
    }

    /// The text of the tag among the `count` node properties at `pos`.
    fn tag_text(&self, mut pos: usize, count: usize, limit: usize) -> Option<TextRange> {
        for _ in 0..count {
            let next = self.skip_props(pos, 1, limit);
            if self.bytes.get(pos) == Some(&b'!') {
                let mut end = next.min(self.bytes.len());
                while end > pos && self.bytes[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
                // A comment after the tag: the tag ends at the first blank.
                let text = self.text.get(pos..end).unwrap_or("");
                let len = text.find([' ', '\t', '\r', '\n']).unwrap_or(text.len());
                return Some(TextRange::new(pos, pos + len));
            }
            if next <= pos {
                break;
            }
            pos = next;
        }
        None
    }

    /// Records a tag that is not a core tag (see [`Parsed::tags`]).
    fn note_tag(&mut self, kind: TagKind, text: Option<TextRange>, node: TextRange) {
        let cloudformation = matches!(kind, TagKind::Cfn(_));
        if !(cloudformation || kind == TagKind::None) {
            return;
        }
        let Some(range) = text else { return };
        let name = self.text.get(range.start()..range.end()).unwrap_or("!");
        self.tags.push(TagUse {
            name: name.to_string(),
            range,
            node,
            cloudformation,
            document: self.documents.len(),
        });
    }

    /// Skips `count` node properties (`!tag`, `&anchor`) from `pos` and the
    /// separation after each (blanks, line breaks, comments), not past `limit`.
    fn skip_props(&self, mut pos: usize, count: usize, limit: usize) -> usize {
        let b = self.bytes;
        let limit = limit.min(b.len());
        for _ in 0..count {
            match b.get(pos) {
                Some(b'!') if b.get(pos + 1) == Some(&b'<') => {
                    while pos < limit && b[pos] != b'>' {
                        pos += 1;
                    }
                    pos = (pos + 1).min(limit);
                }
                Some(b'!' | b'&') => {
                    while pos < limit
                        && !matches!(
                            b[pos],
                            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                        )
                    {
                        pos += 1;
                    }
                }
                _ => break,
            }
            pos = self.skip_separation(pos, limit);
        }
        pos.min(limit)
    }

    /// Skips blanks, line breaks and comments from `pos`, not past `limit`.
    fn skip_separation(&self, mut pos: usize, limit: usize) -> usize {
        let b = self.bytes;
        while pos < limit {
            match b[pos] {
                b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
                b'#' => {
                    while pos < limit && b[pos] != b'\n' {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        pos
    }

    /// The end of a quoted scalar starting at `pos` (its closing quote included).
    /// The parser's own end runs on over blanks and a trailing comment.
    fn quoted_end(&self, pos: usize, limit: usize) -> usize {
        let b = self.bytes;
        let limit = limit.min(b.len());
        let Some(&quote) = b.get(pos) else {
            return limit;
        };
        let mut i = pos + 1;
        while i < limit {
            match b[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
                c if c == quote => return i + 1,
                _ => i += 1,
            }
        }
        limit
    }

    /// The range of a block scalar (`|` or `>`): from its header to the end of
    /// its content, trailing line breaks excluded. `content` is where the
    /// parser says the scalar starts: the header when the scalar has
    /// properties, else the first content line, with the header between the
    /// previous event and it.
    fn block_scalar_range(&self, content: usize, end: usize) -> TextRange {
        let b = self.bytes;
        let header = if matches!(b.get(content), Some(b'|' | b'>')) {
            Some(content)
        } else {
            let mut in_comment = false;
            let mut found = None;
            for i in self.last_end.min(content)..content {
                match b[i] {
                    b'\n' | b'\r' => in_comment = false,
                    b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                        in_comment = true
                    }
                    b'|' | b'>' if !in_comment => {
                        found = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            found
        };
        let start = header.unwrap_or(content);
        let mut stop = end.max(start);
        while stop > start + 1 && matches!(b.get(stop - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            stop -= 1;
        }
        TextRange::new(start, stop)
    }

    /// Where a block sequence starts: its first `-`. The parser's position is
    /// the `-` itself, or after `- ` for a sequence indented like its key.
    fn block_seq_start(&self, pos: usize) -> usize {
        let b = self.bytes;
        if b.get(pos) == Some(&b'-') {
            return pos;
        }
        let pos = pos.min(b.len());
        let line = b[..pos]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let mut i = line;
        while i < pos && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i < pos && b[i] == b'-' {
            i
        } else {
            pos
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> Result<Built> {
        let kind = tag_kind(tag);
        let props = usize::from(anchor > 0) + usize::from(tag.is_some());
        let content = if props > 0 {
            self.skip_props(start, props, end)
        } else {
            start
        };
        let range = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => self.block_scalar_range(content, end),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                TextRange::new(content, self.quoted_end(content, end))
            }
            ScalarStyle::Plain if value.is_empty() => TextRange::empty(content),
            ScalarStyle::Plain => TextRange::new(content, end),
        };
        let plain = matches!(style, ScalarStyle::Plain);
        if tag.is_some() {
            let text = self.tag_text(start, props, end);
            let node = match kind {
                TagKind::Cfn(_) => TextRange::new(start.min(range.start()), range.end()),
                _ => range,
            };
            self.note_tag(kind, text, node);
        }
        let resolved = match kind {
            TagKind::Cfn(key) => {
                return self.cfn_scalar(key, value, plain, range, start);
            }
            TagKind::None if plain => resolve_plain(value),
            TagKind::None | TagKind::Str => Value::String(value.to_string()),
            TagKind::Int => match parse_int(value) {
                Some(n) => Value::Number(Number::from_raw(n)),
                None => self.tag_mismatch(value, "!!int", "an integer", range),
            },
            TagKind::Float => match parse_float(value).or_else(|| parse_int(value)) {
                Some(n) => Value::Number(Number::from_raw(n)),
                None if is_nan(value) => Value::String(value.to_string()),
                None => self.tag_mismatch(value, "!!float", "a number", range),
            },
            TagKind::Bool => match parse_bool(value) {
                Some(v) => Value::Bool(v),
                None => self.tag_mismatch(value, "!!bool", "`true` or `false`", range),
            },
            TagKind::Null => {
                if is_null(value) {
                    Value::Null
                } else {
                    self.tag_mismatch(value, "!!null", "`null`", range)
                }
            }
            TagKind::Seq | TagKind::Map => {
                let name = if kind == TagKind::Seq {
                    "!!seq"
                } else {
                    "!!map"
                };
                self.errors.push(
                    SyntaxError::new(format!("`{name}` cannot tag a scalar"), range)
                        .with_help("remove the tag"),
                );
                if plain {
                    resolve_plain(value)
                } else {
                    Value::String(value.to_string())
                }
            }
        };
        Ok(Built {
            node: Node::new(range, resolved),
            key_text: Some(value.to_string()),
            count: 1,
            height: 0,
            bytes: value.len(),
        })
    }

    /// A scalar whose core tag does not fit: reported, kept as a string.
    fn tag_mismatch(&mut self, value: &str, tag: &str, wanted: &str, range: TextRange) -> Value {
        self.errors.push(
            SyntaxError::new(format!("`{tag}` needs {wanted}, found `{value}`"), range)
                .with_help("fix the value or remove the tag"),
        );
        Value::String(value.to_string())
    }

    /// A scalar under a CloudFormation tag: `{key: "value"}`, with `!GetAtt a.b`
    /// split into `["a", "b"]`.
    fn cfn_scalar(
        &mut self,
        key: &'static str,
        value: &str,
        plain: bool,
        range: TextRange,
        props_start: usize,
    ) -> Result<Built> {
        let (inner, count, height) = match value.split_once('.') {
            Some((resource, attribute)) if key == "Fn::GetAtt" => {
                // Exact sub-ranges when the text is the value (a one-line plain scalar).
                let (r1, r2) = if plain && self.text.get(range.start()..range.end()) == Some(value)
                {
                    let dot = range.start() + resource.len();
                    (
                        TextRange::new(range.start(), dot),
                        TextRange::new(dot + 1, range.end()),
                    )
                } else {
                    (range, range)
                };
                let items = vec![
                    Node::new(r1, Value::String(resource.to_string())),
                    Node::new(r2, Value::String(attribute.to_string())),
                ];
                (Node::new(range, Value::Array(items)), 3, 1)
            }
            _ => (Node::new(range, Value::String(value.to_string())), 1, 0),
        };
        if self.depth + height + 1 > MAX_DEPTH {
            return Err(self.depth_error(props_start));
        }
        Ok(Built {
            node: wrap(key, inner, props_start),
            key_text: Some(value.to_string()),
            count: count + 1,
            height: height + 1,
            bytes: value.len() + key.len(),
        })
    }

    fn open(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> Result<()> {
        let kind = tag_kind(tag);
        let props = usize::from(anchor > 0) + usize::from(tag.is_some());
        let content = self.skip_props(start, props, self.text.len());
        let bracket = if is_map { b'{' } else { b'[' };
        let flow = self.bytes.get(content) == Some(&bracket);
        let content = if flow {
            content
        } else if is_map {
            end
        } else {
            self.block_seq_start(end)
        };
        let levels = 1 + usize::from(matches!(kind, TagKind::Cfn(_)));
        if self.depth + levels > MAX_DEPTH {
            return Err(self.depth_error(content));
        }
        let tag_text = if tag.is_some() {
            self.tag_text(start, props, self.text.len())
        } else {
            None
        };
        self.depth += levels;
        self.stack.push(Frame {
            items: if is_map {
                Items::Map {
                    members: Vec::new(),
                    key: None,
                }
            } else {
                Items::Seq(Vec::new())
            },
            flow,
            start: content,
            end: content,
            props_start: start.min(content),
            anchor,
            tag: kind,
            tag_text,
            count: 1,
            height: 1,
            bytes: 0,
            levels,
        });
        Ok(())
    }

    fn close(&mut self, start: usize, end: usize) -> Result<()> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        self.depth = self.depth.saturating_sub(frame.levels);
        let (is_map, value) = match frame.items {
            Items::Seq(items) => (false, Value::Array(items)),
            Items::Map { mut members, key } => {
                if let Some((key, key_range)) = key {
                    let value = Node::new(TextRange::empty(key_range.end()), Value::Null);
                    members.push(Member {
                        key,
                        key_range,
                        value,
                    });
                }
                (true, Value::Object(merge_keys(members)))
            }
        };
        let range = if frame.flow {
            let bracket = if is_map { b'}' } else { b']' };
            let stop = if self.bytes.get(start) == Some(&bracket) {
                start + 1
            } else {
                end
            };
            TextRange::new(frame.start, stop)
        } else {
            TextRange::new(frame.start, frame.end)
        };
        let tagged = match frame.tag {
            TagKind::Cfn(_) => TextRange::new(frame.props_start.min(range.start()), range.end()),
            _ => range,
        };
        self.note_tag(frame.tag, frame.tag_text, tagged);
        let mut node = Node::new(range, value);
        let mut count = frame.count;
        let mut height = frame.height;
        let bytes = frame.bytes;
        let what = if is_map { "a mapping" } else { "a sequence" };
        match frame.tag {
            TagKind::Cfn(key) => {
                node = wrap(key, node, frame.props_start);
                count += 1;
                height += 1;
            }
            TagKind::Seq if !is_map => {}
            TagKind::Map if is_map => {}
            TagKind::None => {}
            other => {
                let name = match other {
                    TagKind::Str => "!!str",
                    TagKind::Int => "!!int",
                    TagKind::Float => "!!float",
                    TagKind::Bool => "!!bool",
                    TagKind::Null => "!!null",
                    TagKind::Seq => "!!seq",
                    _ => "!!map",
                };
                self.errors.push(
                    SyntaxError::new(
                        format!("`{name}` cannot tag {what}"),
                        TextRange::new(frame.props_start, range.end()),
                    )
                    .with_help("remove the tag"),
                );
            }
        }
        let built = Built {
            node,
            key_text: None,
            count,
            height,
            bytes,
        };
        if frame.anchor > 0 {
            self.register(frame.anchor, &built)?;
        }
        self.deliver(built);
        Ok(())
    }

    /// Keeps a copy of an anchored node for its aliases.
    fn register(&mut self, id: usize, built: &Built) -> Result<()> {
        // Copies for anchors are bounded too: nested anchors copy nested trees.
        self.registered = self.registered.saturating_add(built.count);
        if self.registered > 4 * MAX_ALIAS_NODES {
            return Err(SyntaxError::new(
                format!(
                    "anchors in this file copy more than {} nodes",
                    4 * MAX_ALIAS_NODES
                ),
                built.node.range,
            )
            .with_help("use fewer nested anchors"));
        }
        self.registered_bytes = self.registered_bytes.saturating_add(built.bytes);
        if self.registered_bytes > 4 * MAX_ALIAS_BYTES {
            return Err(SyntaxError::new(
                format!(
                    "anchors in this file copy more than {} MiB of text",
                    (4 * MAX_ALIAS_BYTES) >> 20
                ),
                built.node.range,
            )
            .with_help("use fewer nested anchors"));
        }
        self.anchors.insert(
            id,
            Anchored {
                node: built.node.clone(),
                key_text: built.key_text.clone(),
                count: built.count,
                height: built.height,
                bytes: built.bytes,
            },
        );
        Ok(())
    }

    fn alias(&mut self, id: usize, range: TextRange) -> Result<()> {
        let name = self.text.get(range.start()..range.end()).unwrap_or("*");
        let name = name.split_whitespace().next().unwrap_or(name).to_string();
        let Some(anchored) = self.anchors.get(&id) else {
            let inside = self.stack.iter().any(|f| f.anchor == id);
            let err = if inside {
                SyntaxError::new(
                    format!("alias `{name}` refers to a node that contains it"),
                    range,
                )
                .with_help("a recursive structure cannot be written as JSON; remove the alias")
            } else {
                SyntaxError::new(format!("unknown alias `{name}`"), range)
                    .with_help("define the anchor (`&name`) earlier in the same document")
            };
            return Err(err);
        };
        if self.depth + anchored.height > MAX_DEPTH {
            return Err(self.depth_error(range.start()));
        }
        let total = self.copied.saturating_add(anchored.count);
        if total > MAX_ALIAS_NODES {
            return Err(SyntaxError::new(
                format!(
                    "alias `{name}` expands the document beyond {MAX_ALIAS_NODES} copied nodes"
                ),
                range,
            )
            .with_help(
                "every alias copies its anchored node, and aliases of aliases multiply; \
                 this looks like an alias bomb",
            ));
        }
        let total_bytes = self.copied_bytes.saturating_add(anchored.bytes);
        if total_bytes > MAX_ALIAS_BYTES {
            return Err(SyntaxError::new(
                format!(
                    "alias `{name}` expands the document beyond {} MiB of copied text",
                    MAX_ALIAS_BYTES >> 20
                ),
                range,
            )
            .with_help(format!(
                "every alias copies its anchored node ({} bytes of keys and strings for `{name}`); \
                 a definition holds at most 1 MB, so write the value once",
                anchored.bytes
            )));
        }
        self.copied = total;
        self.copied_bytes = total_bytes;
        let mut node = anchored.node.clone();
        relocate(&mut node, range);
        let built = Built {
            node,
            key_text: anchored.key_text.clone(),
            count: anchored.count,
            height: anchored.height,
            bytes: anchored.bytes,
        };
        self.deliver(built);
        Ok(())
    }

    /// Hands a finished node to the open collection, or makes it the root.
    fn deliver(&mut self, built: Built) {
        let at_key = matches!(
            self.stack.last(),
            Some(Frame {
                items: Items::Map { key: None, .. },
                ..
            })
        );
        let key_text = if at_key {
            Some(match built.key_text {
                Some(text) => text,
                None => {
                    let range = built.node.range;
                    self.errors.push(
                        SyntaxError::new(
                            format!("a key must be a string, found {}", article(&built.node)),
                            range,
                        )
                        .with_help("JSON keys are strings; write the key as a plain scalar"),
                    );
                    self.text
                        .get(range.start()..range.end())
                        .unwrap_or_default()
                        .to_string()
                }
            })
        } else {
            None
        };
        let Some(frame) = self.stack.last_mut() else {
            if self.in_document && self.root.is_none() {
                self.root = Some(built.node);
            }
            return;
        };
        let range = built.node.range;
        frame.count = frame.count.saturating_add(built.count);
        frame.bytes = frame.bytes.saturating_add(built.bytes);
        frame.height = frame.height.max(built.height + 1);
        if !frame.flow {
            frame.start = frame.start.min(range.start());
            frame.end = frame.end.max(range.end());
        }
        match &mut frame.items {
            Items::Seq(items) => items.push(built.node),
            Items::Map { members, key } => match key.take() {
                None => *key = Some((key_text.unwrap_or_default(), range)),
                Some((key, key_range)) => members.push(Member {
                    key,
                    key_range,
                    value: built.node,
                }),
            },
        }
    }

    fn scan_error(&self, e: &ScanError) -> SyntaxError {
        let at = self.byte(e.marker());
        let range = self.char_range(at);
        let info = e.info().trim_end_matches('.');
        let found = self.text.get(at..).and_then(|s| s.chars().next());
        let (message, help): (String, Option<&str>) = match info {
            "recursion limit exceeded" => return self.depth_error(at),
            "while parsing node, found unknown anchor" => {
                let name: String = self.text[at..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
                    .collect();
                return SyntaxError::new(
                    format!("unknown alias `{name}`"),
                    TextRange::new(at, at + name.len()),
                )
                .with_help("define the anchor (`&name`) earlier in the same document");
            }
            "found unprintable character" => (
                match found {
                    Some(c) => format!("control character U+{:04X} is not allowed in YAML", c as u32),
                    None => "unprintable character".to_string(),
                },
                Some("remove it, or write it as an escape (`\\t`, `\\x00` …) in a double-quoted string"),
            ),
            i if i.contains("quoted scalar, found unexpected end of stream") => (
                "unterminated quoted string".to_string(),
                Some("add the closing quote"),
            ),
            i if i.starts_with("invalid trailing content after") => (
                "unexpected text after a quoted string".to_string(),
                Some("quote the whole value, or move the text to its own key"),
            ),
            i if i.starts_with("unexpected character") => (
                match found {
                    Some(c) => format!("a value cannot start with `{c}` in YAML"),
                    None => format!("invalid YAML: {i}"),
                },
                Some("`@` and `` ` `` are reserved in YAML; put the value in quotes"),
            ),
            i if i.contains("expected ',' or") || i == "misplaced bracket" => (
                format!("invalid YAML: {i}"),
                Some("check that every `[` and `{` is closed and that entries are separated by commas"),
            ),
            i if i.contains("tab") => (
                format!("invalid YAML: {i}"),
                Some("YAML indentation must use spaces; replace the tabs with spaces"),
            ),
            i if i.contains("mapping values are not allowed") => (
                format!("invalid YAML: {i}"),
                Some("a plain value cannot contain `: `; put the value in quotes, or check the indentation"),
            ),
            i if i.contains("did not find expected key")
                || i.contains("indentation")
                || i.contains("did not find expected '-'") =>
            {
                (
                    format!("invalid YAML: {i}"),
                    Some("check the indentation of this line against the lines above"),
                )
            }
            i => (format!("invalid YAML: {i}"), None),
        };
        let err = SyntaxError::new(message, range);
        match help {
            Some(h) => err.with_help(h),
            None => err,
        }
    }
}

/// `{key: inner}`, covering the tag (from `props_start`) and the value.
fn wrap(key: &'static str, inner: Node, props_start: usize) -> Node {
    let range = TextRange::new(props_start.min(inner.range.start()), inner.range.end());
    Node::new(
        range,
        Value::Object(vec![Member {
            key: key.to_string(),
            key_range: range,
            value: inner,
        }]),
    )
}

/// True for a merge key (`<<`) whose value can be merged: a mapping or a
/// sequence of mappings.
fn is_merge(member: &Member) -> bool {
    member.key == "<<"
        && match &member.value.value {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().all(|n| matches!(n.value, Value::Object(_))),
            _ => false,
        }
}

/// Resolves a mapping's merge keys (see the module docs): the keys it has
/// itself stay as written, duplicates included; each merged key it lacks
/// takes the place of the `<<` it came from.
fn merge_keys(members: Vec<Member>) -> Vec<Member> {
    if !members.iter().any(is_merge) {
        return members;
    }
    let mut seen: HashSet<String> = members
        .iter()
        .filter(|m| !is_merge(m))
        .map(|m| m.key.clone())
        .collect();
    let mut out = Vec::with_capacity(members.len());
    for member in members {
        if !is_merge(&member) {
            out.push(member);
            continue;
        }
        let sources = match member.value.value {
            Value::Object(ms) => vec![ms],
            Value::Array(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Object(ms) => Some(ms),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for merged in sources.into_iter().flatten() {
            if seen.insert(merged.key.clone()) {
                out.push(merged);
            }
        }
    }
    out
}

/// Moves a copied node (an alias's expansion) to the alias's range. The depth
/// of anchored nodes is bounded by [`MAX_DEPTH`], so the recursion is too.
fn relocate(node: &mut Node, range: TextRange) {
    node.range = range;
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| relocate(n, range)),
        Value::Object(members) => {
            for m in members {
                m.key_range = range;
                relocate(&mut m.value, range);
            }
        }
        _ => {}
    }
}

fn article(node: &Node) -> &'static str {
    match node.value {
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
        _ => "a scalar",
    }
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn is_nan(s: &str) -> bool {
    matches!(s, ".nan" | ".NaN" | ".NAN")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A plain scalar under the YAML 1.2 core schema.
fn resolve_plain(s: &str) -> Value {
    if is_null(s) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(s) {
        return Value::Bool(b);
    }
    match parse_int(s).or_else(|| parse_float(s)) {
        Some(n) => Value::Number(Number::from_raw(n)),
        None => Value::String(s.to_string()),
    }
}

/// Digits without leading zeros (one `0` stays).
fn strip_zeros(digits: &str) -> &str {
    let t = digits.trim_start_matches('0');
    if t.is_empty() && !digits.is_empty() {
        "0"
    } else {
        t
    }
}

/// A core-schema integer as a JSON lexeme: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
fn parse_int(s: &str) -> Option<String> {
    if let Some(oct) = s.strip_prefix("0o") {
        return radix_lexeme(oct, 8);
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return radix_lexeme(hex, 16);
    }
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = strip_zeros(digits);
    Some(if neg {
        format!("-{digits}")
    } else {
        digits.to_string()
    })
}

fn radix_lexeme(digits: &str, radix: u32) -> Option<String> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if let Ok(v) = u128::from_str_radix(digits, radix) {
        return Some(v.to_string());
    }
    // Beyond 128 bits: an approximation is all a JSON reader would keep anyway.
    let v = digits.chars().fold(0f64, |acc, c| {
        acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    });
    Some(if v.is_finite() {
        format!("{v:e}")
    } else {
        "1e999999".to_string()
    })
}

/// A core-schema float as a JSON lexeme:
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` and `[-+]?\.(inf|Inf|INF)`.
fn parse_float(s: &str) -> Option<String> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let sign = if neg { "-" } else { "" };
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return Some(format!("{sign}1e999999"));
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !frac.is_none_or(all_digits) {
        return None;
    }
    match frac {
        // `.5` needs fraction digits, `5` or `5.` integer digits.
        Some(f) if int.is_empty() && f.is_empty() => return None,
        None if int.is_empty() => return None,
        _ => {}
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push_str(sign);
    out.push_str(if int.is_empty() {
        "0"
    } else {
        strip_zeros(int)
    });
    if let Some(f) = frac {
        out.push('.');
        out.push_str(if f.is_empty() { "0" } else { f });
    }
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        out.push('e');
        out.push_str(e);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn ok(text: &str) -> Node {
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.documents.len(), 1);
        check_ranges(text, &p);
        p.documents.into_iter().next().unwrap().root
    }

    fn err(text: &str) -> SyntaxError {
        let p = parse(text);
        check_ranges(text, &p);
        assert!(!p.errors.is_empty(), "no error for {text:?}");
        p.errors.into_iter().next().unwrap()
    }

    fn src(text: &str, r: TextRange) -> &str {
        &text[r.start()..r.end()]
    }

    /// Every range lies on character boundaries inside the text, and every
    /// child lies inside its parent (alias copies excepted: they sit at the alias).
    fn check_ranges(text: &str, p: &Parsed) {
        fn walk(text: &str, n: &Node) {
            assert!(
                text.get(n.range.start()..n.range.end()).is_some(),
                "{:?}",
                n.range
            );
            match &n.value {
                Value::Array(items) => items.iter().for_each(|c| {
                    assert!(
                        n.range.contains_range(c.range),
                        "{:?} {:?}",
                        n.range,
                        c.range
                    );
                    walk(text, c)
                }),
                Value::Object(ms) => ms.iter().for_each(|m| {
                    assert!(text.get(m.key_range.start()..m.key_range.end()).is_some());
                    assert!(n.range.contains_range(m.key_range), "{n:?}");
                    assert!(n.range.contains_range(m.value.range), "{n:?}");
                    walk(text, &m.value)
                }),
                _ => {}
            }
        }
        for d in &p.documents {
            walk(text, &d.root);
        }
        for e in &p.errors {
            assert!(text.get(e.range.start()..e.range.end()).is_some(), "{e:?}");
        }
    }

    fn num(n: &Node) -> &str {
        n.as_number().map(Number::raw).unwrap_or("<not a number>")
    }

    #[test]
    fn keeps_ranges_of_keys_values_and_items() {
        let t = "# head\nStartAt: A\n\"States\":\n  A: {Type: 'Pass', End: true}\n  B:\n    - x\n    - \"y\" # c\nlist:\n- 1\n- [2, 3]  # z\n";
        let root = ok(t);
        let m = root.as_object().unwrap();
        assert_eq!(src(t, root.range), &t[7..t.len() - 6]);
        assert_eq!(src(t, m[0].key_range), "StartAt");
        assert_eq!(src(t, m[0].value.range), "A");
        assert_eq!(src(t, m[1].key_range), "\"States\"");
        assert_eq!(m[1].key, "States");
        let states = &m[1].value;
        assert_eq!(
            src(t, states.range),
            "A: {Type: 'Pass', End: true}\n  B:\n    - x\n    - \"y\""
        );
        let a = states.get("A").unwrap();
        assert_eq!(src(t, a.range), "{Type: 'Pass', End: true}");
        assert_eq!(src(t, a.get("Type").unwrap().range), "'Pass'");
        assert_eq!(a.get("Type").unwrap().as_str(), Some("Pass"));
        assert_eq!(a.get("End").unwrap().as_bool(), Some(true));
        let b = states.get("B").unwrap();
        assert_eq!(src(t, b.range), "- x\n    - \"y\"");
        assert_eq!(src(t, b.as_array().unwrap()[1].range), "\"y\"");
        let list = root.get("list").unwrap();
        assert_eq!(src(t, list.range), "- 1\n- [2, 3]");
        assert_eq!(src(t, list.as_array().unwrap()[1].range), "[2, 3]");
    }

    #[test]
    fn block_scalars_cover_header_and_content() {
        let t = "a: |\n  one\n  two\n\nb: >-\n  folded\n# c\nc: |\nd: !Sub |\n  x ${y}\n";
        let root = ok(t);
        let a = root.get("a").unwrap();
        assert_eq!(a.as_str(), Some("one\ntwo\n"));
        assert_eq!(src(t, a.range), "|\n  one\n  two");
        assert_eq!(src(t, root.get("b").unwrap().range), ">-\n  folded");
        assert_eq!(src(t, root.get("c").unwrap().range), "|");
        let d = root.get("d").unwrap();
        assert_eq!(src(t, d.range), "!Sub |\n  x ${y}");
        assert_eq!(src(t, d.get("Fn::Sub").unwrap().range), "|\n  x ${y}");
    }

    #[test]
    fn quoted_scalars_include_quotes_not_trailing_comments() {
        let t = "a: \"x\\\"y\" # c\nb: 'it''s'   # d\nc: \"multi\n  line\"\n";
        let root = ok(t);
        assert_eq!(src(t, root.get("a").unwrap().range), "\"x\\\"y\"");
        assert_eq!(root.get("a").unwrap().as_str(), Some("x\"y"));
        assert_eq!(src(t, root.get("b").unwrap().range), "'it''s'");
        assert_eq!(root.get("b").unwrap().as_str(), Some("it's"));
        assert_eq!(src(t, root.get("c").unwrap().range), "\"multi\n  line\"");
    }

    #[test]
    fn resolves_the_core_schema() {
        let t = "[null, Null, NULL, ~, true, True, FALSE, 0, -0, +12, 007, 0o17, 0x1F, 0xff,\
                 1.5, .5, -.5, 1., 1e3, 2.5E-3, +1.0e+2, .inf, -.Inf, +.INF, .nan,\
                 Yes, No, on, off, y, n, 1_000, 0b11, 2001-12-14, 1.2.3, 0x, 0o8, tRUE,\
                 '1', \"true\", 'null']";
        let root = ok(t);
        let a = root.as_array().unwrap();
        for n in &a[0..4] {
            assert!(n.is_null(), "{n:?}");
        }
        assert!(ok("a:\n").get("a").unwrap().is_null());
        assert_eq!(a[4].as_bool(), Some(true));
        assert_eq!(a[5].as_bool(), Some(true));
        assert_eq!(a[6].as_bool(), Some(false));
        let nums: Vec<&str> = a[7..24].iter().map(num).collect();
        assert_eq!(
            nums,
            [
                "0",
                "-0",
                "12",
                "7",
                "15",
                "31",
                "255",
                "1.5",
                "0.5",
                "-0.5",
                "1.0",
                "1e3",
                "2.5e-3",
                "1.0e+2",
                "1e999999",
                "-1e999999",
                "1e999999"
            ]
        );
        assert!(a[21].as_number().unwrap().as_f64().is_infinite());
        assert_eq!(a[24].as_str(), Some(".nan"));
        let strings = [
            "Yes",
            "No",
            "on",
            "off",
            "y",
            "n",
            "1_000",
            "0b11",
            "2001-12-14",
            "1.2.3",
            "0x",
            "0o8",
            "tRUE",
            "1",
            "true",
            "null",
        ];
        for (n, s) in a[25..].iter().zip(strings) {
            assert_eq!(n.as_str(), Some(s), "{n:?}");
        }
        assert_eq!(a.len(), 25 + strings.len());
        // Every number lexeme reads back as JSON.
        for n in &a[7..24] {
            assert!(
                serde_json::from_str::<serde_json::Value>(num(n)).is_ok()
                    || num(n).contains("e999999")
            );
        }
        let big = ok("[0x1ffffffffffffffffffffffffffffffff, 123456789012345678901234567890]");
        assert!(num(&big.as_array().unwrap()[0]).contains('e'));
        assert_eq!(
            num(&big.as_array().unwrap()[1]),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn non_string_keys_become_their_text() {
        let t = "1: a\ntrue: b\n~: c\n0x1F: d\n\"q\": e\n: f\n";
        let root = ok(t);
        let keys: Vec<&str> = root
            .as_object()
            .unwrap()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["1", "true", "~", "0x1F", "q", ""]);
        assert_eq!(src(t, root.as_object().unwrap()[3].key_range), "0x1F");
        // A collection as a key is reported; the document is kept.
        let p = parse("? [a, b]\n: c\n");
        assert_eq!(p.documents.len(), 1);
        assert!(p.errors[0].message.contains("key must be a string"));
        assert_eq!(p.documents[0].root.as_object().unwrap()[0].key, "[a, b]");
    }

    #[test]
    fn keeps_duplicate_keys_and_resolves_merge_keys() {
        let root = ok("a: 1\na: 2\n");
        assert_eq!(root.as_object().unwrap().len(), 2);
        let keys = |n: &Node| -> Vec<String> {
            n.as_object()
                .unwrap()
                .iter()
                .map(|m| m.key.clone())
                .collect()
        };
        let raw = |n: &Node, k: &str| {
            n.get(k)
                .and_then(|v| v.as_number())
                .map(|x| x.raw().to_string())
        };
        // An alias: the merged keys take the place of `<<`, own keys win.
        let root = ok("base: &b {x: 1, y: 1}\nderived:\n  <<: *b\n  y: 2\n");
        let d = root.get("derived").unwrap();
        assert_eq!(keys(d), ["x", "y"]);
        assert_eq!(raw(d, "y").as_deref(), Some("2"));
        // A sequence of mappings: the first listed wins.
        let root = ok("a: &a {k: 1}\nb: &b {k: 2, m: 3}\nc:\n  <<: [*a, *b]\n");
        let c = root.get("c").unwrap();
        assert_eq!(keys(c), ["k", "m"]);
        assert_eq!(raw(c, "k").as_deref(), Some("1"));
        // An inline mapping keeps its own ranges.
        let t = "s:\n  <<: {Type: Pass}\n  End: true\n";
        let root = ok(t);
        let s = root.get("s").unwrap();
        assert_eq!(keys(s), ["Type", "End"]);
        let m = &s.as_object().unwrap()[0];
        assert_eq!(&t[m.key_range.start()..m.key_range.end()], "Type");
        // Duplicates among own keys stay for `duplicate-key`.
        let root = ok("b: &b {x: 1}\nd: {<<: *b, y: 1, y: 2}\n");
        assert_eq!(keys(root.get("d").unwrap()), ["x", "y", "y"]);
        // A scalar under `<<` is not mergeable: an ordinary key.
        let root = ok("d:\n  <<: 3\n");
        assert_eq!(keys(root.get("d").unwrap()), ["<<"]);
    }

    #[test]
    fn multi_document_streams() {
        let t = "a: 1\n---\nb: 2\n...\n--- x\n---\n";
        let p = parse(t);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        check_ranges(t, &p);
        assert_eq!(p.documents.len(), 4);
        assert_eq!(src(t, p.documents[0].root.range), "a: 1");
        assert_eq!(src(t, p.documents[1].root.range), "b: 2");
        assert_eq!(p.documents[2].root.as_str(), Some("x"));
        assert!(p.documents[3].root.is_null());
        // An error in the second document keeps the first.
        let p = parse("a: 1\n---\nb: [\n");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn empty_streams_are_errors() {
        for (t, message) in [
            ("", "the file is empty"),
            ("   \n", "the file is empty"),
            (
                "# only a comment\n",
                "the file holds only comments, no YAML value",
            ),
            ("\u{feff}", "the file is empty"),
            (
                "\u{feff}# c\n",
                "the file holds only comments, no YAML value",
            ),
        ] {
            let e = err(t);
            assert_eq!(e.message, message, "{t:?}");
            assert!(parse(t).documents.is_empty());
        }
    }

    #[test]
    fn aliases_expand_to_copies_at_the_alias() {
        let t = "x: &A\n  k: [1, 2]\ny: *A\n&K key: v\nz: *K\n*K : w\n";
        let root = ok(t);
        let y = root.get("y").unwrap();
        assert_eq!(src(t, y.range), "*A");
        assert_eq!(src(t, y.as_object().unwrap()[0].key_range), "*A");
        let k = y.get("k").unwrap().as_array().unwrap();
        assert_eq!(num(&k[1]), "2");
        assert_eq!(src(t, k[1].range), "*A");
        assert_eq!(src(t, root.get("x").unwrap().range), "k: [1, 2]");
        assert_eq!(root.get("z").unwrap().as_str(), Some("key"));
        let last = root.as_object().unwrap().last().unwrap();
        assert_eq!(last.key, "key");
        assert_eq!(src(t, last.key_range), "*K");
    }

    #[test]
    fn unknown_and_recursive_aliases_are_errors() {
        let t = "a: *nope\n";
        let e = err(t);
        assert_eq!(e.message, "unknown alias `*nope`");
        assert_eq!(src(t, e.range), "*nope");
        let e = err("a: &A 1\n---\nb: *A\n");
        assert!(e.message.contains("unknown alias `*A`"), "{e:?}");
        let e = err("a: &A [1, *A]\n");
        assert!(e.message.contains("contains it"), "{e:?}");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut t = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for w in names.windows(2) {
            let alias = format!("*{}", w[0]);
            let items = [alias.as_str(); 9].join(",");
            t.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], items));
        }
        let started = Instant::now();
        let p = parse(&t);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(p.documents.is_empty());
        let e = &p.errors[0];
        assert!(e.message.contains("alias"), "{e:?}");
        assert!(e.message.contains("beyond"), "{e:?}");
        assert!(src(&t, e.range).starts_with('*'), "{e:?}");
        // Many aliases of a small anchor are fine.
        let mut t = String::from("a: &a {x: 1}\nl:\n");
        for _ in 0..10_000 {
            t.push_str("- *a\n");
        }
        assert_eq!(ok(&t).get("l").unwrap().as_array().unwrap().len(), 10_000);
    }

    #[test]
    fn cloudformation_short_forms() {
        let t = "R: !Ref Bucket\nS: !Sub 'arn:${AWS::Partition}'\nS2: !Sub\n  - '${a}'\n  - {a: !Ref X}\n\
                 G: !GetAtt Fn.Arn.Deep\nG2: !GetAtt [Fn, Arn]\nC: !Condition IsProd\n\
                 J: !Join ['', [a, !Ref B]]\nI: !If [c, 1, !Ref 'AWS::NoValue']\nN: !Ref 1\n\
                 E: !GetAZs\nU: !Unknown 5\nT: !!str 5\n";
        let root = ok(t);
        let r = root.get("R").unwrap();
        assert_eq!(src(t, r.range), "!Ref Bucket");
        assert_eq!(src(t, r.as_object().unwrap()[0].key_range), "!Ref Bucket");
        assert_eq!(r.get("Ref").unwrap().as_str(), Some("Bucket"));
        assert_eq!(src(t, r.get("Ref").unwrap().range), "Bucket");
        let s = root.get("S").unwrap().get("Fn::Sub").unwrap();
        assert_eq!(src(t, s.range), "'arn:${AWS::Partition}'");
        let s2 = root
            .get("S2")
            .unwrap()
            .get("Fn::Sub")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(s2[0].as_str(), Some("${a}"));
        assert_eq!(
            s2[1].get("a").unwrap().get("Ref").unwrap().as_str(),
            Some("X")
        );
        let g = root
            .get("G")
            .unwrap()
            .get("Fn::GetAtt")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(g[0].as_str(), Some("Fn"));
        assert_eq!(g[1].as_str(), Some("Arn.Deep"));
        assert_eq!(src(t, g[0].range), "Fn");
        assert_eq!(src(t, g[1].range), "Arn.Deep");
        let g2 = root.get("G2").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(src(t, g2.range), "[Fn, Arn]");
        assert_eq!(
            root.get("C").unwrap().get("Condition").unwrap().as_str(),
            Some("IsProd")
        );
        let j = root
            .get("J")
            .unwrap()
            .get("Fn::Join")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(
            j[1].as_array().unwrap()[1].get("Ref").unwrap().as_str(),
            Some("B")
        );
        let i = root
            .get("I")
            .unwrap()
            .get("Fn::If")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(num(&i[1]), "1");
        // A scalar under a CloudFormation tag is a string, even an empty one.
        assert_eq!(
            root.get("N").unwrap().get("Ref").unwrap().as_str(),
            Some("1")
        );
        assert_eq!(
            root.get("E").unwrap().get("Fn::GetAZs").unwrap().as_str(),
            Some("")
        );
        // Unknown tags are ignored; core tags apply.
        assert_eq!(num(root.get("U").unwrap()), "5");
        assert_eq!(root.get("T").unwrap().as_str(), Some("5"));
        for (name, key) in CFN_TAGS {
            let root = ok(&format!("v: !{name} x\n"));
            assert!(root.get("v").unwrap().get(key).is_some(), "{name}");
        }
    }

    #[test]
    fn core_tags_apply_their_type() {
        let root = ok("[!!int '12', !!float '1', !!float 2.5, !!bool 'true', !!null '', !!str true, ! 12, !!seq [], !!map {}]");
        let a = root.as_array().unwrap();
        assert_eq!(num(&a[0]), "12");
        assert_eq!(num(&a[1]), "1");
        assert_eq!(num(&a[2]), "2.5");
        assert_eq!(a[3].as_bool(), Some(true));
        assert!(a[4].is_null());
        assert_eq!(a[5].as_str(), Some("true"));
        assert_eq!(a[6].as_str(), Some("12"));
        let p = parse("a: !!int abc\nb: !!map [1]\n");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
        assert!(p.errors[0]
            .message
            .contains("`!!int` needs an integer, found `abc`"));
        assert!(p.errors[1].message.contains("cannot tag a sequence"));
    }

    #[test]
    fn deep_flow_nesting_is_an_error_not_a_crash() {
        let started = Instant::now();
        for open in ["[", "{a: "] {
            let text = open.repeat(100_000);
            let e = err(&text);
            assert!(e.message.contains("deeper than"), "{e:?}");
        }
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(err(&text).message.contains("deeper than"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn deep_block_nesting_is_an_error_not_a_crash() {
        let started = Instant::now();
        let text = "- ".repeat(100_000) + "x\n";
        let e = err(&text);
        assert!(e.message.contains("deeper than"), "{e:?}");
        assert_eq!(e.range.start(), 2 * MAX_DEPTH);
        let mut text = String::new();
        for i in 0..2_000 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        let e = err(&text);
        assert!(e.message.contains("deeper than"), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // Exactly the limit is fine.
        let mut text = String::new();
        for i in 0..MAX_DEPTH {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        ok(&text);
    }

    #[test]
    fn depth_counts_alias_copies_and_tags() {
        let half = MAX_DEPTH / 2 + 10;
        let t = format!(
            "a: &A {}1{}\nb: {}*A{}\n",
            "[".repeat(half),
            "]".repeat(half),
            "[".repeat(half),
            "]".repeat(half)
        );
        let e = err(&t);
        assert!(e.message.contains("deeper than"), "{e:?}");
        assert!(src(&t, e.range).starts_with('*'));
        let t = format!("{}!Ref x{}", "- ".repeat(MAX_DEPTH), "");
        assert!(err(&t).message.contains("deeper than"));
    }

    #[test]
    fn non_core_tags_are_recorded() {
        let t = "a: !Ref x\nb: !custom 5\nc: !!str s\nd: !Sub\n  - '${x}'\n  - {}\ne: !<tag:example.com,1:y> [1]\nf: ! v\n---\ng: !GetAtt r.Arn # c\n";
        let p = parse(t);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let tags: Vec<(&str, &str, bool, usize)> = p
            .tags
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    src(t, g.node),
                    g.cloudformation,
                    g.document,
                )
            })
            .collect();
        assert_eq!(
            tags,
            [
                ("!Ref", "!Ref x", true, 0),
                ("!custom", "5", false, 0),
                ("!Sub", "!Sub\n  - '${x}'\n  - {}", true, 0),
                ("!<tag:example.com,1:y>", "[1]", false, 0),
                ("!GetAtt", "!GetAtt r.Arn", true, 1),
            ]
        );
        for g in &p.tags {
            assert_eq!(src(t, g.range), g.name);
        }
    }

    #[test]
    fn syntax_errors_have_positions_and_help() {
        let e = err("a:\n\tb: 1\n");
        assert!(e.help.unwrap_or_default().contains("spaces"), "tab");
        let e = err("a: \"abc\n");
        assert_eq!(e.message, "unterminated quoted string");
        let e = err("a: 'abc\n");
        assert_eq!(e.message, "unterminated quoted string");
        let e = err("a: b\u{0}c\n");
        assert!(e.message.contains("U+0000"), "{e:?}");
        assert_eq!(e.range, TextRange::new(4, 5));
        let t = "a: 1\n b: 2\n";
        let e = err(t);
        assert!(e.message.starts_with("invalid YAML: "), "{e:?}");
        assert!(e.range.start() >= 5, "{e:?}");
        let e = err("{---");
        assert!(e.message.contains("flow mapping"), "{e:?}");
        let e = err("key: value: other\n");
        assert!(e.help.unwrap_or_default().contains("quotes"));
        // Positions are bytes, after non-ASCII text.
        let t = "ключ: 1\n  bad: [\n";
        let e = err(t);
        assert!(e.range.start() > "ключ: 1".len(), "{e:?}");
    }

    #[test]
    fn byte_order_mark_is_accepted() {
        let t = "\u{feff}a: 1\n";
        let root = ok(t);
        assert_eq!(root.range, TextRange::new(3, 7));
        assert_eq!(src(t, root.as_object().unwrap()[0].key_range), "a");
    }

    #[test]
    fn non_ascii_ranges_are_exact_bytes() {
        let t = "# 😀 emoji comment é\n\"キー\": 値 # コメント\n😀: [\"ü\", 'ß', \"\\u00e9\"]\nlong:\n  - \"🎉🎉🎉\"\n  - |\n    多行\n    テキスト\nπ: !Ref ρ\n";
        let root = ok(t);
        let m = root.as_object().unwrap();
        assert_eq!(m[0].key, "キー");
        assert_eq!(src(t, m[0].key_range), "\"キー\"");
        assert_eq!(src(t, m[0].value.range), "値");
        assert_eq!(src(t, m[1].key_range), "😀");
        let arr = m[1].value.as_array().unwrap();
        assert_eq!(src(t, m[1].value.range), "[\"ü\", 'ß', \"\\u00e9\"]");
        assert_eq!(src(t, arr[1].range), "'ß'");
        assert_eq!(arr[2].as_str(), Some("é"));
        let long = m[2].value.as_array().unwrap();
        assert_eq!(src(t, long[0].range), "\"🎉🎉🎉\"");
        assert_eq!(src(t, long[1].range), "|\n    多行\n    テキスト");
        assert_eq!(src(t, m[3].value.range), "!Ref ρ");
        assert_eq!(src(t, m[3].value.get("Ref").unwrap().range), "ρ");
        // Long non-ASCII text: offsets past many stride marks.
        let mut t = String::new();
        for i in 0..500 {
            t.push_str(&format!("ключ{i}: \"значение 😀 {i}\"\n"));
        }
        let root = ok(&t);
        let last = root.as_object().unwrap().last().unwrap();
        assert_eq!(src(&t, last.key_range), "ключ499");
        assert_eq!(src(&t, last.value.range), "\"значение 😀 499\"");
    }

    #[test]
    fn under_indented_lines_in_flow_collections_are_tolerated() {
        // CloudFormation (and libyaml) accept closing brackets at the key's
        // column or further left; YAML 1.2 does not.
        let t = "Statement:\n  - Effect: Allow\n    Action: [\n      \"s3:GetObject\",\n    ]\n    Resource: x\n";
        let root = ok(t);
        let st = &root.get("Statement").unwrap().as_array().unwrap()[0];
        let action = st.get("Action").unwrap();
        assert_eq!(src(t, action.range), "[\n      \"s3:GetObject\",\n    ]");
        assert_eq!(
            src(t, action.as_array().unwrap()[0].range),
            "\"s3:GetObject\""
        );
        assert_eq!(src(t, st.as_object().unwrap()[2].key_range), "Resource");
        let t = "R:\n  P:\n    Policy: {\n      \"a\": [1,\n  2],\n      \"é\": 'ü'\n  }\n  Q: !Ref R\n";
        let root = ok(t);
        let p = root.get("R").unwrap().get("P").unwrap();
        let policy = p.get("Policy").unwrap();
        assert!(src(t, policy.range).starts_with('{') && src(t, policy.range).ends_with('}'));
        assert_eq!(src(t, policy.get("é").unwrap().range), "'ü'");
        assert_eq!(src(t, policy.get("a").unwrap().range), "[1,\n  2]");
        assert_eq!(
            src(t, root.get("R").unwrap().get("Q").unwrap().range),
            "!Ref R"
        );
        // Block indentation itself is still checked.
        assert!(!parse("a:\n    b: 1\n  c: 2\n").errors.is_empty());
        // Past the budget of passes, the error stays, at the right place.
        let mut t = String::from("k:\n  l: [\n");
        for i in 0..=MAX_REINDENT_PASSES {
            t.push_str(&format!("{i},\n"));
        }
        t.push_str("  ]\n");
        let e = err(&t);
        assert!(e.message.contains("indentation"), "{e:?}");
        assert_eq!(&t[e.range.start()..e.range.start() + 3], "32,");
    }

    #[test]
    fn crlf_line_breaks() {
        let t = "a: 1\r\nb: |\r\n  x\r\nc:\r\n- 'q'\r\n";
        let root = ok(t);
        assert_eq!(src(t, root.get("b").unwrap().range), "|\r\n  x");
        assert_eq!(src(t, root.get("c").unwrap().range), "- 'q'");
    }

    #[test]
    fn char_to_byte_matches_char_indices() {
        let t = "aé😀b".repeat(50);
        let map = CharToByte::new(&t);
        let expected: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        for (ch, &b) in expected.iter().enumerate() {
            assert_eq!(map.byte(ch), b);
        }
        assert_eq!(map.byte(expected.len()), t.len());
        assert_eq!(map.byte(expected.len() + 100), t.len());
    }

    #[test]
    fn never_panics_on_mutations() {
        let seed = "# c\nStartAt: \"A\"\nStates:\n  A: &x {Type: Pass, 'End': true}\n  B: !Sub |\n    ${x} é\n  C:\n  - *x\n  - [1, 0x1F, ~]\n---\nk: >-\n  v\n";
        let inserts = [
            "", "\t", "\0", "'", "\"", "[", "]", "{", "}", ":", "- ", "? ", "&", "*", "!", "#",
            "|", ">", "\n", " ", "%", "@", "`", ",", "---", "...", "😀", "\u{feff}", "\r",
        ];
        let cuts: Vec<usize> = seed
            .char_indices()
            .map(|(i, _)| i)
            .chain([seed.len()])
            .collect();
        for &i in &cuts {
            let t = &seed[..i];
            check_ranges(t, &parse(t));
            for ins in inserts {
                for j in [i, (i + 1).min(seed.len())] {
                    if !seed.is_char_boundary(j) {
                        continue;
                    }
                    let t = format!("{}{}{}", &seed[..i], ins, &seed[j..]);
                    check_ranges(&t, &parse(&t));
                }
            }
        }
    }
}
