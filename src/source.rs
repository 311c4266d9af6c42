//! Source files and the line index that turns byte offsets into positions.
//!
//! Ranges are bytes everywhere inside asl-lint; lines and columns exist only at
//! the edges (the CLI counts Unicode characters, the language server UTF-8 or
//! UTF-16 code units). Every conversion clamps out-of-range input instead of
//! panicking.

use crate::syntax::{Format, TextRange};

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Unicode scalar values (what the CLI prints).
    Chars,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Byte offsets of line starts. A line ends at `\n`; a `\r` before it belongs to
/// the line break, and a lone `\r` also ends a line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// Per line: it is ASCII, so its columns are byte counts in every
    /// encoding. Columns on other lines are counted character by character,
    /// which on a minified file (one long line) would make every position
    /// cost the length of the file.
    ascii: Vec<bool>,
    len: u32,
}

const BOM: &str = "\u{feff}";

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(if text.starts_with(BOM) { 3 } else { 0 });
        // Vectorised search for line breaks: a pretty-printed definition has
        // one every few dozen bytes, and this runs for every file.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push((i + 1) as u32);
            }
        }
        let ascii = (0..starts.len())
            .map(|i| {
                let start = starts[i] as usize;
                let end = starts.get(i + 1).map_or(bytes.len(), |&e| e as usize);
                bytes.get(start..end).is_some_and(<[u8]>::is_ascii)
            })
            .collect();
        LineIndex {
            starts,
            ascii,
            len: text.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)] as usize
    }

    /// The byte offset where `line`'s content ends, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let line = line.min(self.starts.len() - 1);
        let mut end = if line + 1 < self.starts.len() {
            self.starts[line + 1] as usize
        } else {
            text.len()
        };
        let bytes = text.as_bytes();
        let start = self.line_start(line);
        while end > start && matches!(bytes.get(end - 1), Some(b'\n') | Some(b'\r')) {
            end -= 1;
        }
        end
    }

    /// Zero-based line and column of byte `offset` under `enc`. Offsets past the
    /// end are clamped to the end; an offset inside a character or inside a
    /// CRLF pair is moved back to the start of it.
    pub fn line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len()).min(self.len as usize);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&(offset as u32)) {
            Ok(l) => l,
            Err(0) => 0,
            Err(l) => l - 1,
        };
        let start = (self.starts[line] as usize).min(offset);
        let end = self.line_end(text, line).max(start);
        let seg = &text[start..offset.min(end)];
        let ascii = self.ascii.get(line).copied().unwrap_or(false);
        let col = match enc {
            Encoding::Utf8 => seg.len(),
            _ if ascii => seg.len(),
            Encoding::Utf16 => seg.chars().map(char::len_utf16).sum(),
            Encoding::Chars => seg.chars().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a zero-based line and column under `enc`. A line past the
    /// end gives the end of the text; a column past the end of its line gives
    /// the end of the line; a column inside a character gives its start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.line_start(line).min(text.len());
        let end = self.line_end(text, line);
        if self.ascii.get(line).copied().unwrap_or(false) {
            return (start + pos.col as usize).min(end.max(start));
        }
        let mut remaining = pos.col as usize;
        let mut at = start;
        for ch in text[start..end].chars() {
            let w = match enc {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Chars => 1,
            };
            if remaining < w {
                break;
            }
            remaining -= w;
            at += ch.len_utf8();
            if remaining == 0 {
                break;
            }
        }
        at
    }

    /// Both ends of `range` as line and column.
    pub fn range(&self, text: &str, range: TextRange, enc: Encoding) -> (LineCol, LineCol) {
        (
            self.line_col(text, range.start(), enc),
            self.line_col(text, range.end(), enc),
        )
    }
}

/// A file's text with its line index and the syntax it is parsed as.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given by the user (or the `--stdin-filename`).
    pub path: String,
    pub text: String,
    pub line_index: LineIndex,
    /// JSON or YAML: what the parser, the rules' fixes and the suppression
    /// comments read the text as.
    pub format: Format,
}

impl SourceFile {
    /// A file whose syntax is told by its name, or by its text when the name
    /// does not tell ([`Format::detect`]).
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let path = path.into();
        let text = text.into();
        let format = Format::detect(&path, &text);
        Self::with_format(path, text, format)
    }
    /// A file whose syntax is known (an editor's language mode, a definition
    /// reassembled from a template string).
    pub fn with_format(path: impl Into<String>, text: impl Into<String>, format: Format) -> Self {
        let text = text.into();
        let line_index = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            line_index,
            format,
        }
    }
    pub fn line_col(&self, offset: usize, enc: Encoding) -> LineCol {
        self.line_index.line_col(&self.text, offset, enc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn ascii_lines_and_columns() {
        let t = "ab\ncd\n";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0, Encoding::Chars), lc(0, 0));
        assert_eq!(ix.line_col(t, 4, Encoding::Chars), lc(1, 1));
        assert_eq!(ix.line_col(t, 6, Encoding::Chars), lc(2, 0));
        assert_eq!(ix.offset(t, lc(1, 1), Encoding::Chars), 4);
    }

    #[test]
    fn crlf_is_one_break_and_inside_is_clamped() {
        let t = "ab\r\ncd";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_count(), 2);
        assert_eq!(ix.line_col(t, 2, Encoding::Utf8), lc(0, 2));
        // Inside the CRLF pair: still the end of line 0.
        assert_eq!(ix.line_col(t, 3, Encoding::Utf8), lc(0, 2));
        assert_eq!(ix.line_col(t, 4, Encoding::Utf8), lc(1, 0));
        assert_eq!(ix.offset(t, lc(0, 99), Encoding::Utf8), 2);
        assert_eq!(ix.offset(t, lc(1, 1), Encoding::Utf16), 5);
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let t = "a\rb";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 2, Encoding::Chars), lc(1, 0));
    }

    #[test]
    fn emoji_and_cjk_columns_per_encoding() {
        // "😀" is 4 bytes, 2 UTF-16 units, 1 char; "漢" is 3 bytes, 1 unit, 1 char.
        let t = "😀漢x";
        let ix = LineIndex::new(t);
        let x = t.find('x').unwrap();
        assert_eq!(ix.line_col(t, x, Encoding::Utf8), lc(0, 7));
        assert_eq!(ix.line_col(t, x, Encoding::Utf16), lc(0, 3));
        assert_eq!(ix.line_col(t, x, Encoding::Chars), lc(0, 2));
        assert_eq!(ix.offset(t, lc(0, 3), Encoding::Utf16), x);
        assert_eq!(ix.offset(t, lc(0, 2), Encoding::Chars), x);
        // A column in the middle of a surrogate pair lands on the character start.
        assert_eq!(ix.offset(t, lc(0, 1), Encoding::Utf16), 0);
        // An offset inside a multi-byte character moves back to its start.
        assert_eq!(ix.line_col(t, 2, Encoding::Chars), lc(0, 0));
    }

    #[test]
    fn ascii_and_other_lines_in_one_file() {
        let t = "{\"a\": 1,\n \"é\": 2,\r\n \"b\": 3}";
        let ix = LineIndex::new(t);
        for (i, _) in t.char_indices() {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
                let lc = ix.line_col(t, i, enc);
                // Round trip, except inside a CRLF pair (moved to its start).
                let back = ix.offset(t, lc, enc);
                assert!(
                    back == i || &t[back..i] == "\r",
                    "{i} {enc:?} {lc:?} {back}"
                );
            }
        }
        // A long ASCII line: the column is the byte count.
        let long = "x".repeat(1_000_000);
        let ix = LineIndex::new(&long);
        assert_eq!(ix.line_col(&long, 999_999, Encoding::Utf16).col, 999_999);
        assert_eq!(
            ix.offset(
                &long,
                LineCol {
                    line: 0,
                    col: 5_000_000
                },
                Encoding::Chars
            ),
            long.len()
        );
    }

    #[test]
    fn out_of_range_is_clamped() {
        let t = "ab\ncd";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 1000, Encoding::Chars), lc(1, 2));
        assert_eq!(ix.offset(t, lc(99, 0), Encoding::Chars), t.len());
        assert_eq!(ix.offset(t, lc(0, 99), Encoding::Utf16), 2);
        let empty = "";
        let ix = LineIndex::new(empty);
        assert_eq!(ix.line_col(empty, 5, Encoding::Utf16), lc(0, 0));
        assert_eq!(ix.offset(empty, lc(3, 3), Encoding::Utf16), 0);
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let t = "\u{feff}{}";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 3, Encoding::Chars), lc(0, 0));
        assert_eq!(ix.line_col(t, 4, Encoding::Chars), lc(0, 1));
        assert_eq!(ix.line_col(t, 0, Encoding::Chars), lc(0, 0));
    }
}
