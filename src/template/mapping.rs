//! Virtual text ↔ file offsets.
//!
//! A definition held in a template string (`DefinitionString`, an `Fn::Sub`
//! string, the parts of an `Fn::Join`) is linted as a document of its own: the
//! *virtual text*, the string's value with intrinsic functions replaced by
//! `${…}` placeholders. A [`SourceMap`] remembers, piece by piece, where each
//! run of virtual text was read from, so every finding lands on the
//! characters of the template that hold it.
//!
//! Pieces come in three kinds:
//!
//! - **literal**: the virtual bytes are the file bytes (a run of ordinary
//!   characters, non-ASCII included); offsets map one to one;
//! - **escape**: one decoded character written differently in the file
//!   (`\"`, `\n`, `\u00e9`, a YAML `''`, a folded line break, a block
//!   scalar's `\r\n`); an offset inside maps to the start or end of it;
//! - **opaque**: virtual text with no character-level source (a placeholder
//!   made for `{"Ref": …}`, an `Fn::Join` delimiter, a string whose quoting
//!   could not be decoded): every offset maps to the whole source node.
//!
//! Each string is decoded here by its own quoting rules and the result is
//! compared with the value the parser produced; when they differ (an alias,
//! an unusual block scalar indentation), the string falls back to one opaque
//! piece covering the whole string node — positions then point at the string,
//! not at a character inside it, and fixes inside it are dropped.

use crate::syntax::{Node, TextRange, Value};

/// How a source string is written, which decides how a fix's replacement
/// text is encoded back into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A JSON string literal (`"…"` with backslash escapes).
    Json,
    /// A YAML double-quoted scalar.
    YamlDouble,
    /// A YAML single-quoted scalar (`''` is a quote).
    YamlSingle,
    /// A YAML plain scalar.
    YamlPlain,
    /// A YAML literal block scalar (`|`) whose content is indented by `indent`.
    YamlLiteral { indent: usize },
    /// A YAML folded block scalar (`>`).
    YamlFolded,
    /// Text without a character-level source.
    Opaque,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Literal,
    Escape,
    Opaque,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    virt: u32,
    vlen: u32,
    src: u32,
    slen: u32,
    kind: Kind,
    /// Index into [`SourceMap::styles`]: the string the piece belongs to.
    container: u32,
}

impl Piece {
    fn vend(&self) -> usize {
        (self.virt + self.vlen) as usize
    }
    fn send(&self) -> usize {
        (self.src + self.slen) as usize
    }
}

/// Where each byte range of a virtual text comes from in the file.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    pieces: Vec<Piece>,
    styles: Vec<Style>,
    len: usize,
}

impl SourceMap {
    /// The length of the virtual text.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of the piece holding virtual offset `off` as a start
    /// (`virt <= off < vend`); the last piece for the end of the text.
    fn piece_at_start(&self, off: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.vend() <= off);
        self.pieces.get(i).or_else(|| self.pieces.last())
    }

    /// The piece holding virtual offset `off` as an end (`virt < off <= vend`).
    fn piece_at_end(&self, off: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.vend() < off);
        self.pieces.get(i).or_else(|| self.pieces.last())
    }

    fn map_start(&self, off: usize) -> usize {
        let Some(p) = self.piece_at_start(off) else {
            return 0;
        };
        let off = off.clamp(p.virt as usize, p.vend());
        match p.kind {
            Kind::Literal => p.src as usize + (off - p.virt as usize).min(p.slen as usize),
            Kind::Escape | Kind::Opaque if off >= p.vend() && p.vlen > 0 => p.send(),
            Kind::Escape | Kind::Opaque => p.src as usize,
        }
    }

    fn map_end(&self, off: usize) -> usize {
        let Some(p) = self.piece_at_end(off) else {
            return 0;
        };
        let off = off.clamp(p.virt as usize, p.vend());
        match p.kind {
            Kind::Literal => p.src as usize + (off - p.virt as usize).min(p.slen as usize),
            Kind::Escape | Kind::Opaque if off <= p.virt as usize => p.src as usize,
            Kind::Escape | Kind::Opaque => p.send(),
        }
    }

    /// The file range of virtual range `r`. Never fails: offsets inside an
    /// escape or an opaque piece widen to the whole piece.
    pub fn map_range(&self, r: TextRange) -> TextRange {
        if r.is_empty() {
            // A point inside text without a source of its own (an empty
            // string, a placeholder) is shown as that whole source.
            if let Some(p) = self.piece_at_start(r.start()) {
                if p.kind == Kind::Opaque && r.start() < p.vend().max(p.virt as usize + 1) {
                    return TextRange::new(p.src as usize, p.send());
                }
            }
            let at = self.map_start(r.start());
            return TextRange::empty(at);
        }
        let start = self.map_start(r.start());
        let end = self.map_end(r.end()).max(start);
        TextRange::new(start, end)
    }

    /// The file edit for a virtual edit, when it can be made exactly: both
    /// ends fall on character boundaries of one source string, no opaque
    /// text is touched, and the replacement can be written in that string's
    /// quoting. `None` otherwise (the fix is then dropped).
    pub fn map_edit(&self, r: TextRange, replacement: &str) -> Option<(TextRange, String)> {
        let first = self.piece_at_start(r.start())?;
        let last = if r.is_empty() {
            first
        } else {
            self.piece_at_end(r.end())?
        };
        let exact_start = match first.kind {
            Kind::Literal => true,
            Kind::Escape => r.start() == first.virt as usize,
            Kind::Opaque => false,
        };
        let exact_end = match last.kind {
            Kind::Literal => true,
            Kind::Escape => r.is_empty() || r.end() == last.vend(),
            Kind::Opaque => false,
        };
        if !exact_start || !exact_end {
            return None;
        }
        let (lo, hi) = (
            self.pieces.partition_point(|p| p.vend() <= r.start()),
            self.pieces.partition_point(|p| (p.virt as usize) < r.end()),
        );
        let container = first.container;
        if self.pieces[lo.min(self.pieces.len())..hi.max(lo).min(self.pieces.len())]
            .iter()
            .any(|p| p.kind == Kind::Opaque || p.container != container)
            || last.container != container
        {
            return None;
        }
        let style = *self.styles.get(container as usize)?;
        let text = encode(style, replacement)?;
        Some((self.map_range(r), text))
    }
}

/// Writes `s` so that it reads back as `s` inside a string of `style`.
fn encode(style: Style, s: &str) -> Option<String> {
    match style {
        Style::Json | Style::YamlDouble => {
            let quoted = serde_json::to_string(s).ok()?;
            Some(quoted[1..quoted.len() - 1].to_string())
        }
        Style::YamlSingle => {
            if s.contains(['\n', '\r']) {
                return None;
            }
            Some(s.replace('\'', "''"))
        }
        Style::YamlPlain => {
            if s.contains(['\n', '\r', '#']) || s.contains(": ") {
                return None;
            }
            Some(s.to_string())
        }
        Style::YamlLiteral { indent } => {
            if s.contains('\r') {
                return None;
            }
            let pad = " ".repeat(indent);
            Some(s.replace('\n', &format!("\n{pad}")))
        }
        Style::YamlFolded => (!s.contains(['\n', '\r'])).then(|| s.to_string()),
        Style::Opaque => None,
    }
}

/// Builds a virtual text and its [`SourceMap`] from strings of a file.
pub struct Builder<'t> {
    file: &'t str,
    text: String,
    map: SourceMap,
}

impl<'t> Builder<'t> {
    pub fn new(file: &'t str) -> Self {
        Builder {
            file,
            text: String::new(),
            map: SourceMap::default(),
        }
    }

    /// The length of the virtual text so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn container(&mut self, style: Style) -> u32 {
        self.map.styles.push(style);
        (self.map.styles.len() - 1) as u32
    }

    fn push(&mut self, virt: &str, src: TextRange, kind: Kind, container: u32) {
        if virt.is_empty() && src.is_empty() {
            return;
        }
        let at = self.text.len() as u32;
        // Merge with the previous literal piece when both sides continue it.
        if kind == Kind::Literal {
            if let Some(prev) = self.map.pieces.last_mut() {
                if prev.kind == Kind::Literal
                    && prev.container == container
                    && prev.vend() == at as usize
                    && prev.send() == src.start()
                {
                    prev.vlen += virt.len() as u32;
                    prev.slen += src.len() as u32;
                    self.text.push_str(virt);
                    return;
                }
            }
        }
        self.map.pieces.push(Piece {
            virt: at,
            vlen: virt.len() as u32,
            src: src.start,
            slen: src.len() as u32,
            kind,
            container,
        });
        self.text.push_str(virt);
    }

    /// Appends text that maps as a whole onto `src` (a placeholder made for an
    /// intrinsic function, an `Fn::Join` delimiter).
    pub fn push_opaque(&mut self, virt: &str, src: TextRange) {
        let c = self.container(Style::Opaque);
        self.push(virt, src, Kind::Opaque, c);
    }

    /// Appends the value of string node `node`, mapped character by character
    /// when its quoting can be decoded, as one opaque piece otherwise.
    /// `yaml` tells which parser read the file.
    pub fn push_string(&mut self, node: &Node, yaml: bool) {
        let Value::String(value) = &node.value else {
            return;
        };
        let attempt = |parent: Option<usize>| {
            let (style, mut segments) = decode(self.file, node.range, yaml, parent)?;
            // Breaks a block scalar keeps after the end of its range.
            let have = joined(&segments);
            if let Some(rest) = value.strip_prefix(have.as_str()) {
                if !rest.is_empty() && rest.bytes().all(|c| c == b'\n') {
                    let end = node.range.end();
                    segments.push(escape(rest, end, end));
                }
            }
            (joined(&segments) == *value && !value.is_empty()).then_some((style, segments))
        };
        // A block scalar with an indentation indicator (`|2`) is indented
        // relative to its parent collection, which the scalar's text does
        // not show: try the indentations the lines before it suggest.
        let decoded = attempt(None).or_else(|| {
            if !yaml || !has_indentation_indicator(self.file, node.range) {
                return None;
            }
            parent_indents(self.file, node.range.start())
                .into_iter()
                .find_map(|n| attempt(Some(n)))
        });
        match decoded {
            Some((style, segments)) => {
                let c = self.container(style);
                for s in segments {
                    self.push(&s.text, s.src, s.kind, c);
                }
            }
            None => self.push_opaque(value, node.range),
        }
    }

    pub fn finish(mut self) -> (String, SourceMap) {
        self.map.len = self.text.len();
        (self.text, self.map)
    }
}

/// A run of decoded text and the file range it was read from.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    text: String,
    src: TextRange,
    kind: Kind,
}

fn joined(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect()
}

/// True when the block scalar at `range` has an indentation indicator
/// (`|2`, `>-4`).
fn has_indentation_indicator(file: &str, range: TextRange) -> bool {
    let header = file.get(range.start()..range.end()).unwrap_or("");
    header.starts_with(['|', '>'])
        && header[1..]
            .bytes()
            .take_while(|c| matches!(c, b'-' | b'+' | b'1'..=b'9'))
            .any(|c| c.is_ascii_digit())
}

/// The indentations the collection holding the block scalar whose header is
/// at `header` may have: on the header's line before the header (or, when
/// nothing is there, the nearest line above that holds something), the
/// column of its first character and of what follows each `- ` there, then
/// 0 for a top-level scalar. A few candidates, each tried and checked
/// against the parsed value.
fn parent_indents(file: &str, header: usize) -> Vec<usize> {
    const LOOK_BACK: usize = 64;
    let b = file.as_bytes();
    let mut end = header.min(b.len());
    let mut out = Vec::new();
    for _ in 0..LOOK_BACK {
        let start = b[..end]
            .iter()
            .rposition(|&c| c == b'\n' || c == b'\r')
            .map_or(0, |i| i + 1);
        let line = &b[start..end];
        let first = line.iter().position(|&c| c != b' ');
        if let Some(mut col) = first.filter(|&i| line[i] != b'#') {
            out.push(col);
            while line.get(col) == Some(&b'-') && line.get(col + 1) == Some(&b' ') {
                col += 1;
                while line.get(col) == Some(&b' ') {
                    col += 1;
                }
                out.push(col);
            }
            break;
        }
        if start == 0 {
            break;
        }
        end = start - 1;
        if end > 0 && b[end] == b'\n' && b[end - 1] == b'\r' {
            end -= 1;
        }
    }
    out.push(0);
    out
}

/// Decodes the string written at `range` of `file` into segments. `parent`:
/// the indentation of the collection holding a block scalar, which an
/// indentation indicator is relative to (`None`: guessed from the lines).
fn decode(
    file: &str,
    range: TextRange,
    yaml: bool,
    parent: Option<usize>,
) -> Option<(Style, Vec<Segment>)> {
    let src = file.get(range.start()..range.end())?;
    let first = src.bytes().next()?;
    let base = range.start();
    if !yaml {
        if first != b'"' {
            return None;
        }
        return Some((Style::Json, json_string(src, base)?));
    }
    match first {
        b'"' => Some((Style::YamlDouble, yaml_quoted(src, base, true)?)),
        b'\'' => Some((Style::YamlSingle, yaml_quoted(src, base, false)?)),
        b'|' | b'>' => block_scalar(src, base, parent),
        _ => Some((
            Style::YamlPlain,
            folded_lines(src, base, 0, src.len(), None),
        )),
    }
}

fn literal(text: &str, start: usize, end: usize) -> Segment {
    Segment {
        text: text.to_string(),
        src: TextRange::new(start, end),
        kind: Kind::Literal,
    }
}

fn escape(text: impl Into<String>, start: usize, end: usize) -> Segment {
    Segment {
        text: text.into(),
        src: TextRange::new(start, end),
        kind: Kind::Escape,
    }
}

/// Reads `\uXXXX` at `i` (pointing at `\`); the code unit and the length.
fn hex_at(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let d = b.get(i..i + n)?;
    let s = std::str::from_utf8(d).ok()?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// A JSON string literal (quotes included) → segments. Invalid escapes were
/// refused by the parser; anything odd here just decodes differently and
/// fails the comparison with the parsed value.
fn json_string(src: &str, base: usize) -> Option<Vec<Segment>> {
    let b = src.as_bytes();
    if b.len() < 2 || b[b.len() - 1] != b'"' {
        return None;
    }
    let end = b.len() - 1;
    let mut out = Vec::new();
    let mut i = 1;
    while i < end {
        if b[i] == b'\\' {
            let (c, len) = match b.get(i + 1)? {
                b'"' => ('"', 2),
                b'\\' => ('\\', 2),
                b'/' => ('/', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'n' => ('\n', 2),
                b'r' => ('\r', 2),
                b't' => ('\t', 2),
                b'u' => unicode_escape(b, i)?,
                _ => return None,
            };
            out.push(escape(c.to_string(), base + i, base + i + len));
            i += len;
        } else {
            let j = b[i..end]
                .iter()
                .position(|&c| c == b'\\')
                .map_or(end, |p| i + p);
            out.push(literal(src.get(i..j)?, base + i, base + j));
            i = j;
        }
    }
    Some(out)
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`, at `i`.
fn unicode_escape(b: &[u8], i: usize) -> Option<(char, usize)> {
    let hi = hex_at(b, i + 2, 4)?;
    if (0xD800..0xDC00).contains(&hi) {
        if b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u') {
            if let Some(lo) = hex_at(b, i + 8, 4) {
                if (0xDC00..0xE000).contains(&lo) {
                    let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
                    return Some((c, 12));
                }
            }
        }
        return Some(('\u{fffd}', 6));
    }
    Some((char::from_u32(hi).unwrap_or('\u{fffd}'), 6))
}

fn is_break(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// The length of the line break at `i` (`\n`, `\r\n`, `\r`), or 0.
fn break_len(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r' | b'\n') => 1,
        _ => 0,
    }
}

/// Line folding shared by plain and quoted YAML scalars, over `src[from..to]`:
/// trailing blanks of a line and leading blanks of the next are dropped; one
/// line break becomes a space, `n` breaks in a row become `n - 1` newlines.
/// `escapes` decodes backslash escapes (double-quoted) or `''` (single:
/// `Some(false)`); `None` for plain scalars.
fn folded_lines(
    src: &str,
    base: usize,
    from: usize,
    to: usize,
    escapes: Option<bool>,
) -> Vec<Segment> {
    folded_lines_checked(src, base, from, to, escapes).unwrap_or_default()
}

fn folded_lines_checked(
    src: &str,
    base: usize,
    from: usize,
    to: usize,
    escapes: Option<bool>,
) -> Option<Vec<Segment>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let c = b[i];
        if escapes == Some(true) && c == b'\\' {
            // An escaped line break joins the lines without a space.
            let bl = break_len(b, i + 1);
            if bl > 0 {
                let mut j = i + 1 + bl;
                while j < to && is_blank(b[j]) {
                    j += 1;
                }
                out.push(escape("", base + i, base + j));
                i = j;
                continue;
            }
            let (text, len) = yaml_escape(b, i)?;
            out.push(escape(text, base + i, base + i + len));
            i += len;
        } else if escapes == Some(false) && c == b'\'' && b.get(i + 1) == Some(&b'\'') {
            out.push(escape("'", base + i, base + i + 2));
            i += 2;
        } else if is_blank(c) {
            let mut j = i;
            while j < to && is_blank(b[j]) {
                j += 1;
            }
            if j < to && is_break(b[j]) {
                // Trailing blanks before a break are dropped with the break.
                i = fold_break(b, base, i, j, to, &mut out);
            } else {
                out.push(literal(src.get(i..j)?, base + i, base + j));
                i = j;
            }
        } else if is_break(c) {
            i = fold_break(b, base, i, i, to, &mut out);
        } else {
            let mut j = i;
            while j < to {
                let d = b[j];
                if is_blank(d)
                    || is_break(d)
                    || (escapes == Some(true) && d == b'\\')
                    || (escapes == Some(false) && d == b'\'')
                {
                    break;
                }
                j += 1;
            }
            if j == i {
                // A lone `'` that is not doubled: not valid inside; give up.
                return None;
            }
            out.push(literal(src.get(i..j)?, base + i, base + j));
            i = j;
        }
    }
    Some(out)
}

/// Folds the line breaks starting at `brk` (blanks from `ws` to `brk` are
/// trailing blanks of the line). Returns where the next line's content starts.
fn fold_break(
    b: &[u8],
    base: usize,
    ws: usize,
    brk: usize,
    to: usize,
    out: &mut Vec<Segment>,
) -> usize {
    let mut breaks = 0;
    let mut j = brk;
    loop {
        let bl = break_len(b, j);
        if bl == 0 || j >= to {
            break;
        }
        breaks += 1;
        j += bl;
        while j < to && is_blank(b[j]) {
            j += 1;
        }
    }
    let text = if breaks <= 1 {
        " ".to_string()
    } else {
        "\n".repeat(breaks - 1)
    };
    out.push(escape(text, base + ws, base + j));
    j
}

/// A YAML double-quoted escape at `i` (a `\`): its text and length.
fn yaml_escape(b: &[u8], i: usize) -> Option<(String, usize)> {
    let c = match b.get(i + 1)? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return Some((char::from_u32(hex_at(b, i + 2, 2)?)?.to_string(), 4)),
        b'u' => {
            let (c, len) = unicode_escape(b, i)?;
            return Some((c.to_string(), len));
        }
        b'U' => return Some((char::from_u32(hex_at(b, i + 2, 8)?)?.to_string(), 10)),
        _ => return None,
    };
    Some((c.to_string(), 2))
}

/// A quoted YAML scalar (quotes included).
fn yaml_quoted(src: &str, base: usize, double: bool) -> Option<Vec<Segment>> {
    let b = src.as_bytes();
    let q = if double { b'"' } else { b'\'' };
    if b.len() < 2 || b[0] != q || b[b.len() - 1] != q {
        return None;
    }
    folded_lines_checked(src, base, 1, b.len() - 1, Some(double))
}

/// A block scalar (`|` or `>` header included): its content lines with the
/// indentation removed, chomped as the header says.
fn block_scalar(src: &str, base: usize, parent: Option<usize>) -> Option<(Style, Vec<Segment>)> {
    let b = src.as_bytes();
    let folded = b[0] == b'>';
    // Header: indicators, then blanks and an optional comment, then a break.
    let mut i = 1;
    let mut chomp = b'c';
    let mut explicit = None;
    while let Some(&c) = b.get(i) {
        match c {
            b'-' | b'+' => chomp = c,
            b'1'..=b'9' => explicit = Some((c - b'0') as usize),
            _ => break,
        }
        i += 1;
    }
    while i < b.len() && !is_break(b[i]) {
        i += 1;
    }
    i += break_len(b, i);
    // The content lines: (start of line, end of content before the break, break length).
    let mut lines = Vec::new();
    let mut at = i;
    while at < b.len() {
        let mut end = at;
        while end < b.len() && !is_break(b[end]) {
            end += 1;
        }
        let bl = break_len(b, end);
        lines.push((at, end, bl));
        at = end + bl;
        if bl == 0 {
            break;
        }
    }
    let spaces =
        |(s, e, _): (usize, usize, usize)| b[s..e].iter().take_while(|&&c| c == b' ').count();
    let is_empty_line = |(s, e, _): (usize, usize, usize)| b[s..e].iter().all(|&c| c == b' ');
    let indent = match (explicit, parent) {
        (Some(n), Some(parent)) => parent + n,
        (Some(_), None) => lines
            .iter()
            .filter(|l| !is_empty_line(**l))
            .map(|l| spaces(*l))
            .min()
            .unwrap_or(0),
        (None, _) => lines
            .iter()
            .find(|l| !is_empty_line(**l))
            .map_or(0, |l| spaces(*l)),
    };
    // Each line's content after the indentation, and each break as "\n"
    // (the last line may have no break inside the range).
    enum Item {
        Line { seg: Segment, normal: bool },
        Break(Segment),
    }
    let mut items = Vec::new();
    for &(s, e, bl) in &lines {
        let content = (s + indent).min(e);
        if !(is_empty_line((s, e, bl)) && e - s <= indent) {
            let normal = !b.get(content).is_some_and(|&c| is_blank(c));
            items.push(Item::Line {
                seg: literal(src.get(content..e)?, base + content, base + e),
                normal,
            });
        }
        if bl > 0 {
            items.push(Item::Break(escape("\n", base + e, base + e + bl)));
        }
    }
    if folded {
        // A run of breaks between two normal lines folds: one break becomes
        // a space; of several, the first is dropped.
        let mut i = 0;
        let mut prev_normal: Option<bool> = None;
        while i < items.len() {
            match &items[i] {
                Item::Line { normal, .. } => {
                    prev_normal = Some(*normal);
                    i += 1;
                }
                Item::Break(_) => {
                    let mut j = i;
                    while j < items.len() && matches!(items[j], Item::Break(_)) {
                        j += 1;
                    }
                    let next_normal = match items.get(j) {
                        Some(Item::Line { normal, .. }) => Some(*normal),
                        _ => None,
                    };
                    if prev_normal == Some(true) && next_normal == Some(true) {
                        if let Item::Break(seg) = &mut items[i] {
                            seg.text = if j - i == 1 {
                                " ".into()
                            } else {
                                String::new()
                            };
                        }
                    }
                    i = j;
                }
            }
        }
    }
    let mut out: Vec<Segment> = Vec::with_capacity(items.len());
    let mut keep = 0;
    for item in items {
        match item {
            Item::Line { seg, .. } => {
                out.push(seg);
                keep = out.len();
            }
            Item::Break(seg) => out.push(seg),
        }
    }
    // Chomping: what happens to the breaks after the last line.
    let end_src = base + src.len();
    match chomp {
        b'-' => out.truncate(keep),
        b'+' => {}
        _ => {
            let first_break = out.get(keep).cloned();
            out.truncate(keep);
            if keep > 0 {
                // Clip keeps one break; the range may end before it.
                out.push(first_break.unwrap_or_else(|| escape("\n", end_src, end_src)));
            }
        }
    }
    let style = if folded {
        Style::YamlFolded
    } else {
        Style::YamlLiteral { indent }
    };
    Some((style, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{json, yaml};

    /// Builds the map of the string at `key` in a JSON or YAML document.
    fn build(text: &str, yaml: bool, key: &str) -> (String, SourceMap, Node) {
        let parsed = if yaml {
            yaml::parse(text)
        } else {
            json::parse(text)
        };
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let root = parsed.documents[0].root.clone();
        let node = root.get(key).unwrap().clone();
        let mut b = Builder::new(text);
        b.push_string(&node, yaml);
        let (v, m) = b.finish();
        (v, m, node)
    }

    fn src(text: &str, r: TextRange) -> &str {
        &text[r.start()..r.end()]
    }

    /// The file text under the virtual range of `needle`'s first occurrence.
    fn at<'t>(text: &'t str, virt: &str, map: &SourceMap, needle: &str) -> &'t str {
        let i = virt.find(needle).unwrap();
        src(text, map.map_range(TextRange::new(i, i + needle.len())))
    }

    fn is_exact(map: &SourceMap) -> bool {
        map.pieces.iter().all(|p| p.kind != Kind::Opaque)
    }

    #[test]
    fn json_escapes_map_to_their_source() {
        let t = r#"{"d": "{\"StartAt\": \"A\",\n \"é\": \"\u00e9\ud83d\ude00x\"}"}"#;
        let (v, m, _) = build(t, false, "d");
        assert_eq!(v, "{\"StartAt\": \"A\",\n \"é\": \"é😀x\"}");
        assert!(is_exact(&m));
        assert_eq!(at(t, &v, &m, "StartAt"), "StartAt");
        assert_eq!(at(t, &v, &m, "\"A\""), r#"\"A\""#);
        assert_eq!(at(t, &v, &m, "é😀"), r"\u00e9\ud83d\ude00");
        assert_eq!(at(t, &v, &m, "x"), "x");
        // Non-ASCII literal characters map byte for byte.
        let i = v.find("\"é\"").unwrap() + 1;
        assert_eq!(src(t, m.map_range(TextRange::new(i, i + 2))), "é");
        // An empty range inside an escape sits at its start.
        let nl = v.find('\n').unwrap();
        assert_eq!(
            m.map_range(TextRange::empty(nl)).start(),
            t.find(r"\n").unwrap()
        );
    }

    #[test]
    fn json_edits_are_escaped_or_dropped() {
        let t = r#"{"d": "{\"Type\": \"Pass\u00e9\"}", "e": 1}"#;
        let (v, m, _) = build(t, false, "d");
        let i = v.find("Pass").unwrap();
        let (r, s) = m
            .map_edit(TextRange::new(i - 1, i + 4), "\"Succeed")
            .unwrap();
        assert_eq!(src(t, r), r#"\"Pass"#);
        assert_eq!(s, r#"\"Succeed"#);
        // Half of an escape cannot be replaced.
        assert!(m.map_edit(TextRange::new(i, i + 5), "x").is_none());
        let (r, _) = m.map_edit(TextRange::new(i, i + 6), "x").unwrap();
        assert_eq!(src(t, r), r"Pass\u00e9");
    }

    #[test]
    fn yaml_quoted_and_plain_scalars() {
        let t = "a: 'it''s ${X}'\nb: \"x\\ty \\u00e9\"\nc: one\n  two\n\n  three\n";
        let (v, m, _) = build(t, true, "a");
        assert_eq!(v, "it's ${X}");
        assert!(is_exact(&m));
        assert_eq!(at(t, &v, &m, "${X}"), "${X}");
        assert_eq!(at(t, &v, &m, "'"), "''");
        let (v, m, _) = build(t, true, "b");
        assert_eq!(v, "x\ty é");
        assert!(is_exact(&m));
        assert_eq!(at(t, &v, &m, "é"), "\\u00e9");
        let (v, m, _) = build(t, true, "c");
        assert_eq!(v, "one two\nthree");
        assert!(is_exact(&m));
        assert_eq!(at(t, &v, &m, "three"), "three");
        assert_eq!(at(t, &v, &m, "two"), "two");
    }

    #[test]
    fn literal_block_scalars_map_line_by_line() {
        let t = "d: !Sub |\n  {\n    \"StartAt\": \"é\",\n\n    \"X\": ${Y}\n  }\nnext: 1\n";
        let parsed = yaml::parse(t);
        let node = parsed.documents[0]
            .root
            .get("d")
            .unwrap()
            .get("Fn::Sub")
            .unwrap()
            .clone();
        let mut b = Builder::new(t);
        b.push_string(&node, true);
        let (v, m) = b.finish();
        assert_eq!(v, "{\n  \"StartAt\": \"é\",\n\n  \"X\": ${Y}\n}\n");
        assert!(is_exact(&m));
        assert_eq!(at(t, &v, &m, "\"StartAt\""), "\"StartAt\"");
        assert_eq!(at(t, &v, &m, "${Y}"), "${Y}");
        // Every literal offset maps onto the same character.
        for (i, c) in v.char_indices() {
            if c != '\n' {
                let r = m.map_range(TextRange::new(i, i + c.len_utf8()));
                assert_eq!(src(t, r), c.to_string());
            }
        }
        // A fix that adds a line keeps the block's indentation.
        let i = v.find("${Y}").unwrap() + 4;
        let (r, s) = m
            .map_edit(TextRange::empty(i), ",\n  \"End\": true")
            .unwrap();
        assert_eq!(r.start(), t.find("${Y}").unwrap() + 4);
        assert_eq!(s, ",\n    \"End\": true");
    }

    #[test]
    fn block_scalar_chomping_and_crlf() {
        for (t, want) in [
            ("d: |-\n  a\n  b\n", "a\nb"),
            ("d: |+\n  a\n\n", "a\n\n"),
            ("d: |\r\n  a\r\n  b\r\n", "a\nb\n"),
            ("d: >\n  a\n  b\n\n  c\n", "a b\nc\n"),
        ] {
            let (v, m, _) = build(t, true, "d");
            assert_eq!(v, want, "{t:?}");
            assert!(is_exact(&m), "{t:?}");
            let b = v.find('b').or_else(|| v.find('c'));
            if let Some(i) = b {
                assert_eq!(
                    &t[m.map_range(TextRange::new(i, i + 1)).start()..][..1],
                    &v[i..i + 1]
                );
            }
        }
    }

    #[test]
    fn indentation_indicators_are_relative_to_the_parent() {
        for (t, key, want) in [
            // Content lines indented more than the indicator says: the
            // extra spaces are part of the value.
            ("a:\n  d: |2\n      x\n     y\n", "d", "  x\n y\n"),
            ("d: |1\n  x\n   y\n", "d", " x\n  y\n"),
            ("a:\n  - d: >-2\n        x\n        y\n", "d", "  x\n  y"),
            ("a:\n  d:\n    |2\n      x\n", "d", "  x\n"),
        ] {
            let parsed = yaml::parse(t);
            assert!(parsed.errors.is_empty(), "{t:?}: {:?}", parsed.errors);
            // The string under `key`, however deep.
            let mut stack = vec![&parsed.documents[0].root];
            let mut node = None;
            while let Some(n) = stack.pop() {
                match &n.value {
                    Value::Object(members) => {
                        for mb in members {
                            if mb.key == key {
                                node = Some(&mb.value);
                            }
                            stack.push(&mb.value);
                        }
                    }
                    Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
            let mut b = Builder::new(t);
            b.push_string(node.expect("the key is there"), true);
            let (v, m) = b.finish();
            assert_eq!(v, want, "{t:?}");
            assert!(is_exact(&m), "{t:?}: positions are kept");
            let i = v.find('x').unwrap();
            let r = m.map_range(TextRange::new(i, i + 1));
            assert_eq!(src(t, r), "x", "{t:?}");
        }
    }

    #[test]
    fn undecodable_strings_fall_back_to_the_whole_node() {
        // An alias copies the anchored node; its range is the alias.
        let t = "a: &x 'v'\nd: *x\n";
        let (v, m, node) = build(t, true, "d");
        assert_eq!(v, "v");
        assert!(!is_exact(&m));
        assert_eq!(m.map_range(TextRange::new(0, 1)), node.range);
        assert!(m.map_edit(TextRange::new(0, 1), "w").is_none());
    }

    #[test]
    fn opaque_pieces_cover_their_node() {
        let t = r#"{"a": "x", "r": {"Ref": "B"}, "b": "yz"}"#;
        let root = json::parse(t).documents.remove(0).root;
        let mut b = Builder::new(t);
        b.push_string(root.get("a").unwrap(), false);
        b.push_opaque("${B}", root.get("r").unwrap().range);
        b.push_string(root.get("b").unwrap(), false);
        let (v, m) = b.finish();
        assert_eq!(v, "x${B}yz");
        assert_eq!(src(t, m.map_range(TextRange::new(2, 3))), r#"{"Ref": "B"}"#);
        assert_eq!(src(t, m.map_range(TextRange::new(1, 5))), r#"{"Ref": "B"}"#);
        assert_eq!(src(t, m.map_range(TextRange::new(6, 7))), "z");
        assert!(m.map_edit(TextRange::new(0, 2), "y").is_none());
        assert!(m.map_edit(TextRange::new(4, 6), "").is_none());
        assert_eq!(m.map_edit(TextRange::new(5, 6), "w").unwrap().1, "w");
    }
}
