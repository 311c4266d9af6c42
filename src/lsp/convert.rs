//! Every conversion between asl-lint's values and LSP's: byte ranges ↔ LSP
//! positions under the negotiated encoding, `file:` URIs ↔ paths, and
//! diagnostics and fixes ↔ their LSP shapes.
//!
//! `lsp_types::Uri` (fluent-uri) has no `to_file_path`, so the URI ↔ path
//! conversion is written out here; it percent-decodes and -encodes bytes and
//! understands Windows drive letters and UNC hosts.

use crate::diagnostic::{self, Edit, Severity};
use crate::source::{Encoding, LineCol, LineIndex};
use crate::syntax::TextRange;
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PositionEncodingKind, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The name diagnostics are published under.
pub const SOURCE: &str = "asl-lint";

/// The LSP name of an encoding.
pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 | Encoding::Chars => PositionEncodingKind::UTF16,
    }
}

/// A text with its line index and the negotiated encoding: converts both ways.
#[derive(Clone, Copy)]
pub struct LineMap<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub enc: Encoding,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, enc: Encoding) -> Self {
        LineMap { text, index, enc }
    }

    pub fn position(&self, offset: usize) -> Position {
        let lc = self.index.line_col(self.text, offset, self.enc);
        Position::new(lc.line, lc.col)
    }

    pub fn range(&self, r: TextRange) -> Range {
        Range::new(self.position(r.start()), self.position(r.end()))
    }

    /// The byte offset of a position; anything past a line's or the text's
    /// end is clamped to it.
    pub fn offset(&self, p: Position) -> usize {
        self.index.offset(
            self.text,
            LineCol {
                line: p.line,
                col: p.character,
            },
            self.enc,
        )
    }

    /// The byte range of an LSP range (ends swapped when reversed).
    pub fn text_range(&self, r: Range) -> TextRange {
        let (a, b) = (self.offset(r.start), self.offset(r.end));
        TextRange::new(a.min(b), a.max(b))
    }

    /// The line number of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        self.index.line_col(self.text, offset, self.enc).line
    }
}

// ---------------------------------------------------------------------------
// Diagnostics and fixes

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// An asl-lint diagnostic as LSP publishes it: `code` is the rule name,
/// `codeDescription` links its docs, related locations become
/// `relatedInformation`, and the help follows the message.
pub fn diagnostic(
    d: &diagnostic::Diagnostic,
    uri: &Uri,
    map: &LineMap<'_>,
) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), map.range(r.range)),
            message: r.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: map.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.name.to_string())),
        code_description: Uri::from_str(&d.rule.url())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The diagnostic published when linting itself failed.
pub fn internal_error_diagnostic(what: &str) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("internal-error".to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: format!(
            "internal error: asl-lint crashed while linting this file ({what})\nhelp: please \
             report this with the file that triggers it"
        ),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// Text edits of one document.
pub fn text_edits(edits: &[Edit], map: &LineMap<'_>) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(map.range(e.range), e.replacement.clone()))
        .collect()
}

/// A workspace edit that changes one document.
#[allow(clippy::mutable_key_type)] // `Uri` hashes and compares by its string.
pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit::new(changes)
}

// ---------------------------------------------------------------------------
// URIs and paths

/// The local path of a `file:` URI; `None` for other schemes, remote hosts
/// (except Windows UNC paths) and malformed percent-encoding.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    file_uri_to_path_string(uri.as_str(), cfg!(windows)).map(PathBuf::from)
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_str()?;
    let uri = path_string_to_file_uri(s, cfg!(windows))?;
    Uri::from_str(&uri).ok()
}

/// The last path segment of any URI, percent-decoded: what the file is called.
pub fn uri_file_name(uri: &Uri) -> String {
    let s = uri.as_str();
    let s = uri
        .scheme()
        .map_or(s, |scheme| &s[scheme.as_str().len() + 1..]);
    let end = s.find(['?', '#']).unwrap_or(s.len());
    let path = &s[..end];
    let last = path.rsplit('/').next().unwrap_or(path);
    percent_decode(last).unwrap_or_else(|| last.to_string())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b.len() == 2 || b[2] == b'/')
}

/// `file:` URI → path text, for Unix (`windows == false`) or Windows rules.
pub(crate) fn file_uri_to_path_string(uri: &str, windows: bool) -> Option<String> {
    let scheme_end = uri.find(':')?;
    if !uri[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = &uri[scheme_end + 1..];
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let (host, path) = match rest.strip_prefix("//") {
        Some(r) => {
            let slash = r.find('/').unwrap_or(r.len());
            (&r[..slash], &r[slash..])
        }
        None => ("", rest),
    };
    let host = percent_decode(host)?;
    let path = percent_decode(path)?;
    if !(path.starts_with('/') || (path.is_empty() && !host.is_empty())) {
        return None;
    }
    if path.contains('\0') {
        return None;
    }
    let local = host.is_empty() || host.eq_ignore_ascii_case("localhost");
    if windows {
        if !local {
            return Some(format!("\\\\{host}{}", path.replace('/', "\\")));
        }
        let p = path
            .strip_prefix('/')
            .filter(|p| is_drive(p))
            .unwrap_or(&path);
        let mut p = p.replace('/', "\\");
        if p.len() == 2 && is_drive(&p) {
            p.push('\\');
        }
        Some(p)
    } else {
        local.then_some(path)
    }
}

/// Path text → `file:` URI text. Keeps unreserved characters, sub-delimiters,
/// `:`, `@` and `/`; percent-encodes every other byte (space, `#`, `?`, `%`,
/// non-ASCII). Relative paths give `None`.
pub(crate) fn path_string_to_file_uri(path: &str, windows: bool) -> Option<String> {
    let (host, path) = if windows {
        let p = path.replace('\\', "/");
        if let Some(unc) = p.strip_prefix("//") {
            let slash = unc.find('/')?;
            (unc[..slash].to_string(), unc[slash..].to_string())
        } else if is_drive(&p) {
            (String::new(), format!("/{p}"))
        } else {
            return None;
        }
    } else if path.starts_with('/') {
        (String::new(), path.to_string())
    } else {
        return None;
    };
    let mut out = String::from("file://");
    out.push_str(&encode(&host));
    out.push_str(&encode(&path));
    Some(out)
}

fn encode(s: &str) -> String {
    crate::uri::encode_path(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Fix, Related};
    use crate::rules::duplicate_key::DUPLICATE_KEY;

    fn unix_round_trip(path: &str, uri: &str) {
        assert_eq!(path_string_to_file_uri(path, false).as_deref(), Some(uri));
        assert_eq!(file_uri_to_path_string(uri, false).as_deref(), Some(path));
        // fluent-uri accepts what we produce.
        assert!(Uri::from_str(uri).is_ok(), "{uri}");
    }

    #[test]
    fn unix_paths_and_uris() {
        unix_round_trip("/tmp/x.asl.json", "file:///tmp/x.asl.json");
        unix_round_trip("/tmp/a b/x.asl.json", "file:///tmp/a%20b/x.asl.json");
        unix_round_trip("/tmp/a#b?.json", "file:///tmp/a%23b%3F.json");
        unix_round_trip("/tmp/100%.json", "file:///tmp/100%25.json");
        unix_round_trip(
            "/tmp/é/状态 😀.json",
            "file:///tmp/%C3%A9/%E7%8A%B6%E6%80%81%20%F0%9F%98%80.json",
        );
        unix_round_trip("/a/(x)+y=z,@:!.json", "file:///a/(x)+y=z,@:!.json");
        // Lowercase escapes, `localhost`, query and fragment.
        assert_eq!(
            file_uri_to_path_string("file://localhost/tmp/%c3%a9.json?x#y", false).as_deref(),
            Some("/tmp/é.json")
        );
        assert_eq!(
            file_uri_to_path_string("FILE:/tmp/x", false).as_deref(),
            Some("/tmp/x")
        );
        assert_eq!(file_uri_to_path_string("untitled:Untitled-1", false), None);
        assert_eq!(file_uri_to_path_string("https://x/y", false), None);
        assert_eq!(
            file_uri_to_path_string("file://server/share/x", false),
            None
        );
        assert_eq!(file_uri_to_path_string("file:///tmp/%zz", false), None);
        assert_eq!(file_uri_to_path_string("file:///tmp/%FF", false), None);
        assert_eq!(path_string_to_file_uri("relative/x.json", false), None);
    }

    #[test]
    fn windows_paths_and_uris() {
        assert_eq!(
            file_uri_to_path_string("file:///c%3A/Users/a%20b/x.asl.json", true).as_deref(),
            Some("c:\\Users\\a b\\x.asl.json")
        );
        assert_eq!(
            file_uri_to_path_string("file:///C:/x", true).as_deref(),
            Some("C:\\x")
        );
        assert_eq!(
            file_uri_to_path_string("file:///C:", true).as_deref(),
            Some("C:\\")
        );
        assert_eq!(
            file_uri_to_path_string("file://server/share/x.json", true).as_deref(),
            Some("\\\\server\\share\\x.json")
        );
        assert_eq!(
            path_string_to_file_uri("C:\\Users\\a b\\x#1.json", true).as_deref(),
            Some("file:///C:/Users/a%20b/x%231.json")
        );
        assert_eq!(
            path_string_to_file_uri("\\\\server\\share\\x.json", true).as_deref(),
            Some("file://server/share/x.json")
        );
        assert_eq!(path_string_to_file_uri("x.json", true), None);
        // The same URI read with Unix rules keeps the slash.
        assert_eq!(
            file_uri_to_path_string("file:///C:/x", false).as_deref(),
            Some("/C:/x")
        );
    }

    #[test]
    fn path_uri_through_lsp_types() {
        let p = Path::new("/tmp/dir with space/é#.asl.json");
        let uri = path_to_uri(p).unwrap();
        if !cfg!(windows) {
            assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        }
        assert_eq!(uri_file_name(&uri), "é#.asl.json");
        let u = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_file_name(&u), "Untitled-1");
        assert!(uri_to_path(&u).is_none());
    }

    #[test]
    fn positions_clamp_and_follow_encoding() {
        let text = "{\"😀\": 1,\n \"é\": 2}";
        let index = LineIndex::new(text);
        let u16 = LineMap::new(text, &index, Encoding::Utf16);
        let u8 = LineMap::new(text, &index, Encoding::Utf8);
        let one = text.find('1').unwrap();
        assert_eq!(u16.position(one), Position::new(0, 7));
        assert_eq!(u8.position(one), Position::new(0, 9));
        assert_eq!(u16.offset(Position::new(0, 7)), one);
        assert_eq!(u8.offset(Position::new(0, 9)), one);
        // Past the end of a line / the text.
        assert_eq!(u16.offset(Position::new(0, 500)), text.find('\n').unwrap());
        assert_eq!(u16.offset(Position::new(9, 9)), text.len());
        let r = u16.text_range(Range::new(Position::new(1, 3), Position::new(0, 0)));
        // `é` is two bytes.
        assert_eq!(r, TextRange::new(0, text.find('\n').unwrap() + 5));
    }

    #[test]
    fn diagnostic_with_related_and_fix() {
        let text = "{\"a\": 1, \"é\": 2, \"é\": 3}";
        let index = LineIndex::new(text);
        let map = LineMap::new(text, &index, Encoding::Utf16);
        let first = text.find("\"é\"").unwrap();
        let second = text.rfind("\"é\"").unwrap();
        let d = Diagnostic {
            rule: &DUPLICATE_KEY,
            severity: Severity::Warning,
            message: "key `é` appears more than once in this object".into(),
            help: Some("remove one".into()),
            range: TextRange::new(second, second + 4),
            pointer: "/é".into(),
            related: vec![Related {
                range: TextRange::new(first, first + 4),
                message: "first defined here".into(),
            }],
            fix: Some(Fix {
                title: "remove the second copy".into(),
                edits: vec![Edit {
                    range: TextRange::new(text.find(", \"é\": 3").unwrap(), text.len() - 1),
                    replacement: String::new(),
                }],
            }),
        };
        let uri = Uri::from_str("file:///tmp/x.asl.json").unwrap();
        let l = diagnostic(&d, &uri, &map);
        assert_eq!(
            l.range,
            Range::new(Position::new(0, 17), Position::new(0, 20))
        );
        assert_eq!(l.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(l.code, Some(NumberOrString::String("duplicate-key".into())));
        assert_eq!(
            l.code_description.unwrap().href.as_str(),
            DUPLICATE_KEY.url()
        );
        assert_eq!(l.source.as_deref(), Some("asl-lint"));
        assert!(l.message.ends_with("\nhelp: remove one"));
        let rel = l.related_information.unwrap();
        assert_eq!(rel[0].location.range.start, Position::new(0, 9));
        assert_eq!(rel[0].message, "first defined here");
        let edits = text_edits(&d.fix.as_ref().unwrap().edits, &map);
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(0, 15), Position::new(0, 23))
        );
        let we = workspace_edit(&uri, edits);
        assert_eq!(we.changes.unwrap()[&uri].len(), 1);
    }
}
