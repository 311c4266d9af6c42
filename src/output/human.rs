//! `--format human`: source excerpts with underlined ranges, drawn by miette.
//!
//! miette is used only here, behind [`render`], so it can be swapped. Our
//! [`Diagnostic`] is adapted to `miette::Diagnostic`: the code is the rule's
//! name, the labels are the primary range and the related ranges, the help is
//! ours and the URL is the rule's documentation.
//!
//! Some findings cannot be shown as an excerpt: a file without text (it could
//! not be read), or a range on a very long line (minified JSON, a binary
//! file), which would flood the terminal. Those render as one plain line,
//! `path:line:col: severity[rule] message`, with the help below it.

use super::report_positions;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::source::{Encoding, SourceFile};
use crate::syntax::TextRange;
use miette::{
    GraphicalTheme, LabeledSpan, MietteError, MietteHandler, MietteHandlerOpts, MietteSpanContents,
    ReportHandler, SourceCode, SourceSpan, SpanContents, ThemeCharacters, ThemeStyles,
};
use std::fmt::{self, Write};

/// A line longer than this (in bytes) is not drawn; the finding is printed as
/// a plain line instead.
const MAX_LINE_LEN: usize = 1000;

/// A label spanning more lines than this is shrunk to its start, so one
/// finding never prints a whole file.
const MAX_LABEL_LINES: usize = 12;

/// How findings are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// ANSI colours.
    pub color: bool,
    /// Unicode box drawing; ASCII otherwise.
    pub unicode: bool,
    /// Wrap width in columns; `None` asks the terminal.
    pub width: Option<usize>,
    /// Make the rule name a terminal hyperlink to its documentation.
    pub links: bool,
}

impl Options {
    /// For a terminal: Unicode, colour as asked, hyperlinked rule names.
    pub fn terminal(color: bool) -> Options {
        Options {
            color,
            unicode: true,
            width: None,
            links: true,
        }
    }

    /// For pipes, files and snapshots: ASCII, no colour, no links.
    pub fn plain(width: usize) -> Options {
        Options {
            color: false,
            unicode: false,
            width: Some(width),
            links: false,
        }
    }

    fn handler(&self) -> MietteHandler {
        let theme = GraphicalTheme {
            characters: if self.unicode {
                ThemeCharacters::unicode()
            } else {
                ThemeCharacters::ascii()
            },
            styles: if self.color {
                ThemeStyles::ansi()
            } else {
                ThemeStyles::none()
            },
        };
        let mut opts = MietteHandlerOpts::new()
            .force_graphical(true)
            .graphical_theme(theme)
            .terminal_links(self.links)
            .without_syntax_highlighting();
        if let Some(width) = self.width {
            opts = opts.width(width);
        }
        opts.build()
    }
}

/// Displays a diagnostic through a miette handler.
struct Via<'a>(&'a MietteHandler, &'a dyn miette::Diagnostic);

impl fmt::Display for Via<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(self.1, f)
    }
}

/// Renders every finding of one report; each is followed by a blank line.
pub fn render(report: &FileReport, options: &Options) -> String {
    let mut out = String::new();
    if report.diagnostics.is_empty() {
        return out;
    }
    let handler = options.handler();
    // A space after the text gives findings at the very end of the file a
    // character to point at (miette draws nothing past the last one).
    let source = report.source.as_ref().map(|file| {
        let mut text = sanitize(&file.text);
        let at_end = |r: TextRange| r.is_empty() && r.start() >= file.text.len();
        if report
            .diagnostics
            .iter()
            .any(|d| at_end(d.range) || d.related.iter().any(|r| at_end(r.range)))
        {
            text.push(' ');
        }
        Source {
            name: report.path.clone(),
            text,
            file,
        }
    });
    for d in &report.diagnostics {
        let drawn = match (&report.source, &source) {
            (Some(file), Some(named)) if drawable(file, d) => {
                let adapter = Adapter::new(d, file, named, options.links);
                let mut s = String::new();
                write!(s, "{}", Via(&handler, &adapter)).ok().map(|()| s)
            }
            _ => None,
        };
        match drawn {
            Some(s) => out.push_str(&s),
            None => plain(&mut out, report, d),
        }
        out.push('\n');
    }
    out
}

/// The one-line form, for findings without a drawable excerpt.
fn plain(out: &mut String, report: &FileReport, d: &Diagnostic) {
    if report.source.is_some() {
        let (start, _) = report_positions(report, d.range);
        let _ = write!(out, "{}:{}:{}: ", report.path, start.line, start.column);
    } else {
        let _ = write!(out, "{}: ", report.path);
    }
    let _ = writeln!(
        out,
        "{}[{}] {}",
        d.severity,
        d.rule.name,
        escape_controls(&d.message)
    );
    if let Some(h) = &d.help {
        let _ = writeln!(out, "  help: {}", escape_controls(h));
    }
}

/// True when the file has text and every line the finding touches is short
/// enough to draw.
fn drawable(file: &SourceFile, d: &Diagnostic) -> bool {
    !file.text.is_empty()
        && std::iter::once(d.range)
            .chain(d.related.iter().map(|r| r.range))
            .all(|range| {
                let range = clamp(file, range);
                let first = file.line_col(range.start(), Encoding::Utf8).line as usize;
                let last = file.line_col(range.end(), Encoding::Utf8).line as usize;
                let last = last.min(first + MAX_LABEL_LINES);
                (first..=last).all(|line| {
                    let idx = &file.line_index;
                    idx.line_end(&file.text, line)
                        .saturating_sub(idx.line_start(line))
                        <= MAX_LINE_LEN
                })
            })
}

/// Keeps a range inside the text, and shrinks one spanning many lines to its
/// start.
fn clamp(file: &SourceFile, range: TextRange) -> TextRange {
    let len = file.text.len();
    let range = TextRange::new(range.start().min(len), range.end().min(len));
    let enc = Encoding::Utf8;
    let first = file.line_col(range.start(), enc).line;
    let last = file.line_col(range.end(), enc).line;
    if (last - first) as usize > MAX_LABEL_LINES {
        TextRange::empty(range.start())
    } else {
        range
    }
}

/// Replaces control characters (other than tab and line breaks) with `?`,
/// byte for byte, so offsets stay valid and a file cannot send escape
/// sequences to the terminal.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Shows control characters in messages as escapes (`\u{1b}`).
fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The text of a file as miette reads it. miette counts columns in bytes;
/// this reports them in characters, like every other output. miette also
/// scans from the start of the text for every label, which is quadratic for
/// big files with many findings: it is handed only the lines around the span.
struct Source<'f> {
    name: String,
    /// The sanitized text (same byte offsets as the file's).
    text: String,
    file: &'f SourceFile,
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let offset = floor_char_boundary(text, span.offset());
        let end = floor_char_boundary(text, offset.saturating_add(span.len()));
        // One line more than asked: miette treats a span at the very start
        // of its input specially, so the window never starts on the span's
        // line unless the file does.
        let from = window_start(text, offset, context_lines_before + 1);
        let to = window_end(text, end, context_lines_after);
        let window = &text[from..to];
        let inner = window.read_span(
            &SourceSpan::new((offset - from).into(), end - offset),
            context_lines_before,
            context_lines_after,
        )?;
        let lines_before = self.file.line_col(from, Encoding::Utf8).line as usize;

        // Characters, as `LineIndex` counts them (no byte order mark, a line
        // break is not a column).
        let column = self.file.line_col(offset, Encoding::Chars).col as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + lines_before,
            column,
            inner.line_count() + lines_before,
        )))
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The start of the line `lines` lines above the one holding `offset`.
fn window_start(text: &str, offset: usize, lines: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = offset.min(bytes.len());
    let mut seen = 0;
    while i > 0 {
        let b = bytes[i - 1];
        if is_break(b) {
            if seen == lines {
                return i;
            }
            seen += 1;
            if b == b'\n' && i >= 2 && bytes[i - 2] == b'\r' {
                i -= 1;
            }
        }
        i -= 1;
    }
    0
}

/// The end of the line `lines + 1` lines below the one holding `offset` (one
/// spare line, so miette sees where its context ends).
fn window_end(text: &str, offset: usize, lines: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = offset.min(bytes.len());
    let mut seen = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b == b'\r' && bytes.get(i) == Some(&b'\n') {
            i += 1;
        }
        if is_break(b) {
            seen += 1;
            if seen > lines + 1 {
                return i;
            }
        }
    }
    bytes.len()
}

/// Our finding, seen as a `miette::Diagnostic`.
struct Adapter<'a> {
    diag: &'a Diagnostic,
    message: String,
    help: Option<String>,
    url: Option<String>,
    source: &'a Source<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Adapter<'a> {
    fn new(diag: &'a Diagnostic, file: &SourceFile, source: &'a Source<'a>, links: bool) -> Self {
        let span = |r: TextRange| {
            let r = clamp(file, r);
            if r.is_empty() && r.start() == file.text.len() {
                // The space appended after the text.
                (r.start(), 1)
            } else {
                (r.start(), r.len())
            }
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, span(diag.range))];
        for r in &diag.related {
            labels.push(LabeledSpan::new_with_span(
                Some(escape_controls(&r.message)),
                span(r.range),
            ));
        }
        Adapter {
            diag,
            message: escape_controls(&diag.message),
            help: diag.help.as_deref().map(escape_controls),
            url: links.then(|| diag.rule.url()),
            source,
            labels,
        }
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adapter").field("diag", &self.diag).finish()
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.rule.name))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use crate::settings::Settings;
    use crate::{lint_bytes, Selection};

    fn human(path: &str, text: &[u8]) -> String {
        let report =
            lint_bytes(path, text, &Settings::default(), Selection::Always).expect("always linted");
        render(&report, &Options::plain(100))
    }

    #[test]
    fn trailing_comma() {
        insta::assert_snapshot!(human(
            "machine.asl.json",
            b"{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"End\": true,}\n  }\n}\n"
        ));
    }

    #[test]
    fn duplicate_key_with_related_site() {
        insta::assert_snapshot!(human(
            "dup.asl.json",
            "{\n  \"StartAt\": \"Ünïcödé\",\n  \"States\": {\n    \"Ünïcödé\": {\"Type\": \"Pass\", \"End\": true},\n    \"Ünïcödé\": {\"Type\": \"Succeed\"}\n  }\n}\n".as_bytes()
        ));
    }

    #[test]
    fn error_at_end_of_file() {
        insta::assert_snapshot!(human(
            "cut.asl.json",
            b"{\n  \"StartAt\": \"A\",\n  \"States\": {"
        ));
    }

    /// A bare diagnostic over any source, to compare sources.
    struct Probe<'s>(&'s dyn SourceCode, usize, usize, usize);

    impl fmt::Debug for Probe<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Probe")
        }
    }
    impl fmt::Display for Probe<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Probe<'_> {}
    impl miette::Diagnostic for Probe<'_> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(self.0)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(
                [
                    LabeledSpan::new_primary_with_span(None, (self.1, self.2)),
                    LabeledSpan::new_with_span(Some("other".into()), (self.3, 1)),
                ]
                .into_iter(),
            ))
        }
    }

    #[test]
    fn windowed_source_renders_like_the_whole_text() {
        let text = "{\n  \"a\": 1,\r\n  \"b\": [\r    2,\n\n    3\n  ],\n  \"c\": {}\n}\n";
        let file = SourceFile::new("w.json", text);
        let windowed = Source {
            name: "w.json".into(),
            text: text.to_string(),
            file: &file,
        };
        let whole = miette::NamedSource::new("w.json", text.to_string());
        for context in [0, 1, 2] {
            let handler = MietteHandlerOpts::new()
                .force_graphical(true)
                .graphical_theme(GraphicalTheme::none())
                .width(80)
                .context_lines(context)
                .build();
            for start in 0..text.len() {
                for len in [0, 1, 3, 9] {
                    let len = len.min(text.len() - start);
                    let other = (start + len + 4).min(text.len() - 1);
                    let a = Via(&handler, &Probe(&windowed, start, len, other)).to_string();
                    let b = Via(&handler, &Probe(&whole, start, len, other)).to_string();
                    assert_eq!(a, b, "context {context}, span {start}+{len}");
                }
            }
        }
    }

    #[test]
    fn columns_count_characters_and_skip_the_byte_order_mark() {
        let out = human("bom.asl.json", "\u{feff}{\"é\" 1}".as_bytes());
        assert!(out.contains("[bom.asl.json:1:6]"), "{out}");
    }

    #[test]
    fn unreadable_file_is_one_plain_line() {
        let settings = Settings::default();
        let mut sink = rules::Sink::new(&settings, None);
        sink.report(
            &rules::io_error::IO_ERROR,
            TextRange::empty(0),
            "cannot read `x.asl.json`: permission denied",
        )
        .help("check the file's permissions");
        let report = FileReport::new("x.asl.json", None, sink.finish());
        insta::assert_snapshot!(render(&report, &Options::plain(100)));
    }

    #[test]
    fn long_lines_and_control_characters_are_not_drawn() {
        let mut text = b"[\"\x1b[31m\", ".to_vec();
        text.extend(std::iter::repeat_n(b'1', 5000));
        text.extend(b",]");
        let out = human("min.asl.json", &text);
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.starts_with("min.asl.json:1:"), "{out}");
        assert!(out.lines().all(|l| l.len() < 200), "{out}");
    }
}
