//! Suppressions: hiding accepted findings, and reporting the suppressions
//! that hide nothing.
//!
//! Two sources:
//! - `[[suppress]]` entries of the configuration ([`SuppressEntry`]): a rule,
//!   optionally only in files matching a glob and only inside one state. A
//!   finding is inside state `S` when its JSON pointer starts with `/States/S`
//!   or contains a nested `…/States/S` of a Parallel branch or Map processor.
//! - In YAML files, comments `# asl-lint: disable=rule[,rule2] -- reason`. A
//!   comment on its own line covers the next line that is not a comment and,
//!   when that line starts a mapping key, the whole block of that key (the
//!   lines indented deeper than it); a comment after code covers the same:
//!   the block of the key its line starts (`A:  # asl-lint: …`), or else the
//!   findings that start on its line. The reason is required, after ` -- `
//!   with a space on each side: a comment without one is ignored and
//!   reported.
//!
//! Suppressions that hide nothing, and comments that cannot work, are
//! reported as [`UNUSED_SUPPRESSION`] findings. A [`Suppressor`] lives for a
//! whole run so that configuration entries can be judged over every file.

use crate::config::{Config, SuppressEntry};
use crate::diagnostic::{self, Diagnostic, Edit, Fix};
use crate::lint::FileReport;
use crate::rules::unused_suppression::UNUSED_SUPPRESSION;
use crate::rules::{self, Rule, Sink};
use crate::settings::Settings;
use crate::source::{Encoding, SourceFile};
use crate::syntax::{pointer, Format, TextRange};

/// Applies suppressions to one file's findings (the language server's
/// entry point). Configuration entries that go unused are not reported; use
/// a [`Suppressor`] over a whole run for that.
pub fn apply(
    file: &SourceFile,
    relative_path: Option<&str>,
    diags: Vec<Diagnostic>,
    entries: &[SuppressEntry],
    settings: &Settings,
) -> Vec<Diagnostic> {
    Suppressor::new(entries).apply(file, relative_path, diags, settings)
}

/// Applies suppressions over a run and remembers which configuration entries
/// were used.
#[derive(Debug)]
pub struct Suppressor<'c> {
    entries: &'c [SuppressEntry],
    /// The entry's `path` matched at least one file.
    applied: Vec<bool>,
    /// The entry hid at least one finding.
    used: Vec<bool>,
}

impl<'c> Suppressor<'c> {
    pub fn new(entries: &'c [SuppressEntry]) -> Self {
        Suppressor {
            entries,
            applied: vec![false; entries.len()],
            used: vec![false; entries.len()],
        }
    }

    /// Removes the findings of one file that a suppression covers, and adds
    /// [`UNUSED_SUPPRESSION`] findings for the file's own comments.
    /// `relative_path` is the file's path relative to the configuration
    /// directory ([`Config::relative_path`]), for `path` globs.
    pub fn apply(
        &mut self,
        file: &SourceFile,
        relative_path: Option<&str>,
        diags: Vec<Diagnostic>,
        settings: &Settings,
    ) -> Vec<Diagnostic> {
        let mut hidden = vec![false; diags.len()];
        self.apply_entries(relative_path, &diags, &mut hidden);
        let mut directives = if file.format == Format::Yaml {
            scan(file)
        } else {
            Vec::new()
        };
        apply_directives(file, &mut directives, &diags, &mut hidden);
        let mut out = visible(diags, hidden);
        let extra = report_directives(file, &directives, settings);
        // `disable=unused-suppression` may hide these in turn.
        let mut hidden = vec![false; extra.len()];
        apply_directives(file, &mut directives, &extra, &mut hidden);
        out.extend(visible(extra, hidden));
        diagnostic::sort(&mut out);
        out
    }

    /// [`Suppressor::apply`] on a whole report; a report without text (an
    /// unreadable file) only gets the configuration entries.
    pub fn apply_report(
        &mut self,
        report: &mut FileReport,
        relative_path: Option<&str>,
        settings: &Settings,
    ) {
        let diags = std::mem::take(&mut report.diagnostics);
        report.diagnostics = match &report.source {
            Some(file) => self.apply(file, relative_path, diags, settings),
            None => {
                let mut hidden = vec![false; diags.len()];
                self.apply_entries(relative_path, &diags, &mut hidden);
                visible(diags, hidden)
            }
        };
    }

    fn apply_entries(
        &mut self,
        relative_path: Option<&str>,
        diags: &[Diagnostic],
        hidden: &mut [bool],
    ) {
        for (i, entry) in self.entries.iter().enumerate() {
            if !entry.covers_path(relative_path) {
                continue;
            }
            self.applied[i] = true;
            for (d, h) in diags.iter().zip(hidden.iter_mut()) {
                if same_rule(d.rule, entry.rule)
                    && entry
                        .state
                        .as_deref()
                        .is_none_or(|s| in_state(&d.pointer, s))
                {
                    *h = true;
                    self.used[i] = true;
                }
            }
        }
    }

    /// The configuration entries that applied to a linted file and hid
    /// nothing, as findings whose ranges point into the configuration text.
    /// Only meaningful after every file of the project went through
    /// [`Suppressor::apply`]: an entry for a file that was not linted is not
    /// reported, but one without `path` applies to every file.
    pub fn unused_entries(&self, settings: &Settings) -> Vec<Diagnostic> {
        self.unused_entries_where(settings, |_, applied| applied)
    }

    /// [`Suppressor::unused_entries`], limited to the entries for which
    /// `judged(entry, applied)` is true, where `applied` says whether the
    /// entry's `path` matched a linted file. A run over part of a project
    /// (some files named on the command line) judges only the entries whose
    /// files it covered; a run over all of it can also judge the entries
    /// whose `path` matched no file, which are reported as such.
    pub fn unused_entries_where(
        &self,
        settings: &Settings,
        judged: impl Fn(&SuppressEntry, bool) -> bool,
    ) -> Vec<Diagnostic> {
        let mut sink = Sink::new(settings, None);
        for (i, entry) in self.entries.iter().enumerate() {
            if self.used[i] || !sink.enabled(entry.rule) || !judged(entry, self.applied[i]) {
                continue;
            }
            if let (false, Some(p)) = (self.applied[i], &entry.path) {
                let globs = p.patterns().join("`, `");
                sink.report(
                    &UNUSED_SUPPRESSION,
                    entry.path_range.unwrap_or(entry.range),
                    format!(
                        "`path` of the `[[suppress]]` entry for `{}` matches no file",
                        entry.rule.name
                    ),
                )
                .help(format!(
                    "no linted file matches `{globs}` (relative to the configuration's folder); \
                     correct the `path` or remove the entry"
                ))
                .pointer(format!("/suppress/{i}/path"));
                continue;
            }
            let mut scope = String::new();
            if let Some(p) = &entry.path {
                scope.push_str(&format!(
                    " in files matching `{}`",
                    p.patterns().join("`, `")
                ));
            }
            if let Some(s) = &entry.state {
                scope.push_str(&format!(" in state `{s}`"));
            }
            sink.report(
                &UNUSED_SUPPRESSION,
                entry.range,
                format!(
                    "`[[suppress]]` entry for `{}` matches no finding{scope}",
                    entry.rule.name
                ),
            )
            .help("remove the entry, or correct its `rule`, `path` or `state`")
            .pointer(format!("/suppress/{i}/rule"));
        }
        let mut out = sink.finish();
        diagnostic::sort(&mut out);
        out
    }

    /// [`Suppressor::unused_entries`] as a report on the configuration file,
    /// when there is something to report. `config` is the configuration the
    /// entries came from.
    pub fn unused_report(&self, config: &Config, settings: &Settings) -> Option<FileReport> {
        self.unused_report_where(config, settings, |_, applied| applied)
    }

    /// [`Suppressor::unused_report`] for the entries `judged` accepts (see
    /// [`Suppressor::unused_entries_where`]).
    pub fn unused_report_where(
        &self,
        config: &Config,
        settings: &Settings,
        judged: impl Fn(&SuppressEntry, bool) -> bool,
    ) -> Option<FileReport> {
        let diagnostics = self.unused_entries_where(settings, judged);
        if diagnostics.is_empty() {
            return None;
        }
        let source = config.source.clone()?;
        Some(FileReport::new(
            source.path.clone(),
            Some(source),
            diagnostics,
        ))
    }
}

/// The findings that are not hidden.
fn visible(diags: Vec<Diagnostic>, hidden: Vec<bool>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .zip(hidden)
        .filter_map(|(d, h)| (!h).then_some(d))
        .collect()
}

fn same_rule(a: &Rule, b: &Rule) -> bool {
    std::ptr::eq(a, b) || a.name == b.name
}

/// True when `pointer` is at or inside the state named `state` of some scope:
/// `/States/<state>` at the top level, or after a Parallel branch
/// (`…/Branches/<n>`) or a Map processor (`…/ItemProcessor`, `…/Iterator`).
pub fn in_state(pointer: &str, state: &str) -> bool {
    let needle = format!("/States/{}", pointer::escape(state));
    let mut from = 0;
    while let Some(found) = pointer[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let boundary = end == pointer.len() || pointer.as_bytes()[end] == b'/';
        if boundary && is_scope_pointer(&pointer[..start]) {
            return true;
        }
        from = start + 1;
    }
    false
}

/// True for the pointer of an object that holds `States`.
fn is_scope_pointer(p: &str) -> bool {
    if p.is_empty() || p.ends_with("/ItemProcessor") || p.ends_with("/Iterator") {
        return true;
    }
    match p.rsplit_once('/') {
        Some((head, index)) => {
            !index.is_empty()
                && index.bytes().all(|b| b.is_ascii_digit())
                && head.ends_with("/Branches")
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------
// Comments.

/// One rule named by a directive.
#[derive(Debug)]
struct Name {
    text: String,
    range: TextRange,
    rule: Option<&'static Rule>,
    used: bool,
}

#[derive(Debug)]
enum Problem {
    /// `asl-lint:` followed by something other than `disable=`.
    NotUnderstood,
    NoRules,
    NoReason,
    /// `--` without a space on each side.
    Unspaced,
}

/// A `# asl-lint:` comment.
#[derive(Debug)]
struct Directive {
    /// From `#` to the end of the line's content.
    comment: TextRange,
    /// What to delete to remove the comment.
    removal: TextRange,
    names: Vec<Name>,
    problem: Option<Problem>,
    /// Zero-based first and last covered lines; `None` covers nothing.
    lines: Option<(usize, usize)>,
    /// True when the comment covers a key's whole block.
    block: bool,
}

impl Directive {
    fn effective(&self) -> bool {
        self.problem.is_none()
    }
}

/// One line of the text, as the scanner sees it.
struct Line<'t> {
    start: usize,
    text: &'t str,
    indent: usize,
    /// Byte offset of the comment's `#` within `text`.
    comment: Option<usize>,
    /// Inside a block scalar: content, not YAML structure.
    scalar: bool,
}

impl Line<'_> {
    fn code(&self) -> &str {
        match self.comment {
            Some(c) => &self.text[..c],
            None => self.text,
        }
    }
    /// Blank, or only a comment.
    fn is_trivia(&self) -> bool {
        self.code().trim().is_empty()
    }
}

/// The lines of a file as [`LineIndex`](crate::source::LineIndex) cuts them
/// (so line numbers agree with the findings'), with their comments and
/// whether they are block scalar content.
fn split_lines(file: &SourceFile) -> Vec<Line<'_>> {
    let text = file.text.as_str();
    let index = &file.line_index;
    let mut lines = Vec::with_capacity(index.line_count());
    let mut block_scalar: Option<usize> = None;
    for l in 0..index.line_count() {
        let start = index.line_start(l).min(text.len());
        let end = index.line_end(text, l).max(start);
        let content = text.get(start..end).unwrap_or("");
        let indent = content.len() - content.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if content.trim().is_empty() || indent > parent {
                lines.push(Line {
                    start,
                    text: content,
                    indent,
                    comment: None,
                    scalar: true,
                });
                continue;
            }
            block_scalar = None;
        }
        let line = Line {
            start,
            text: content,
            indent,
            comment: find_comment(content),
            scalar: false,
        };
        if opens_block_scalar(line.code()) {
            block_scalar = Some(indent);
        }
        lines.push(line);
    }
    lines
}

/// The byte offset of the `#` that starts a comment on this line: one at the
/// start or after whitespace, outside quoted strings.
fn find_comment(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut prev: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let opens = matches!(prev, None | Some(b' ' | b'\t' | b'[' | b'{' | b',' | b':'));
        match b {
            b'#' if matches!(prev, None | Some(b' ' | b'\t')) => return Some(i),
            b'"' if opens => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                // An unclosed string runs to the end of the line.
                if i >= bytes.len() {
                    return None;
                }
            }
            b'\'' if opens => {
                i += 1;
                loop {
                    if i >= bytes.len() {
                        return None;
                    }
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        prev = Some(bytes[i.min(bytes.len() - 1)]);
        i += 1;
    }
    None
}

/// True when the code of a line ends with a block scalar indicator
/// (`key: |`, `- >-`, `|2+`).
fn opens_block_scalar(code: &str) -> bool {
    let code = code.trim_end();
    let token_start = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let token = &code[token_start..];
    let mut chars = token.chars();
    if !matches!(chars.next(), Some('|' | '>')) {
        return false;
    }
    let rest = chars.as_str();
    if rest.len() > 2 || !rest.chars().all(|c| matches!(c, '+' | '-' | '1'..='9')) {
        return false;
    }
    let before = code[..token_start].trim_end();
    before.is_empty() || before.ends_with(':') || before.ends_with('-')
}

/// True when the line's code starts a mapping key (`Name:`, `- Name:`,
/// `"A b": …`).
fn starts_key(code: &str) -> bool {
    let mut s = code.trim_start();
    while let Some(rest) = s.strip_prefix("- ") {
        s = rest.trim_start();
    }
    let after_key = if let Some(rest) = s.strip_prefix('"') {
        match closing_quote(rest, '"') {
            Some(end) => &rest[end + 1..],
            None => return false,
        }
    } else if let Some(rest) = s.strip_prefix('\'') {
        match closing_quote(rest, '\'') {
            Some(end) => &rest[end + 1..],
            None => return false,
        }
    } else {
        if s.is_empty()
            || s.starts_with(['[', '{', '#', '&', '*', '!', '|', '>', '%', '@', '`', '-'])
        {
            return false;
        }
        match s
            .find(": ")
            .or_else(|| s.ends_with(':').then(|| s.len() - 1))
        {
            Some(colon) => &s[colon..],
            None => return false,
        }
    };
    let after_key = after_key.trim_start_matches([' ', '\t']);
    after_key == ":" || after_key.starts_with(": ") || after_key.starts_with(":\t")
}

fn closing_quote(s: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            return Some(i);
        }
        escaped = false;
    }
    None
}

/// Finds every `# asl-lint:` comment of a YAML file and what it covers.
fn scan(file: &SourceFile) -> Vec<Directive> {
    let text = file.text.as_str();
    let lines = split_lines(file);
    // Computed on the first comment: most files have none.
    let mut shape: Option<(Vec<usize>, Vec<Option<usize>>)> = None;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.scalar {
            continue;
        }
        let Some(hash) = line.comment else { continue };
        let body_start = hash + 1;
        let body = &line.text[body_start..];
        let trimmed = body.trim_start();
        let Some(after) = trimmed.strip_prefix("asl-lint:") else {
            continue;
        };
        let base = line.start + body_start + (body.len() - trimmed.len()) + "asl-lint:".len();
        let comment = TextRange::new(line.start + hash, line.start + line.text.trim_end().len());
        let own_line = line.is_trivia();
        let removal = if own_line {
            // The whole line with its line break.
            let end = lines.get(i + 1).map_or(text.len(), |l| l.start);
            TextRange::new(line.start, end)
        } else {
            let code_end = line.code().trim_end().len();
            TextRange::new(line.start + code_end, line.start + line.text.len())
        };
        let (names, problem) = parse_directive(after, base);
        let (ends, next_code) =
            shape.get_or_insert_with(|| (block_ends(&lines), next_code(&lines)));
        let (lines_covered, block) = if own_line {
            match next_code[i] {
                Some(j) if starts_key(lines[j].code()) => (Some((j, ends[j])), true),
                Some(j) => (Some((j, j)), false),
                None => (None, false),
            }
        } else if starts_key(line.code()) {
            // After a key whose value is the block below (`A:  # asl-lint: …`):
            // the whole block, as a comment on the line before would.
            (Some((i, ends[i])), ends[i] > i)
        } else {
            (Some((i, i)), false)
        };
        out.push(Directive {
            comment,
            removal,
            names,
            problem,
            lines: lines_covered,
            block,
        });
    }
    out
}

/// For each line, the first line after it that is not blank or a comment.
fn next_code(lines: &[Line<'_>]) -> Vec<Option<usize>> {
    let mut next = vec![None; lines.len()];
    let mut after = None;
    for j in (0..lines.len()).rev() {
        next[j] = after;
        if !lines[j].is_trivia() {
            after = Some(j);
        }
    }
    next
}

/// For each line that starts a key, the last line of the key's block: the
/// lines after it indented deeper (blank lines, comments and block scalar
/// content in between do not end it). Other lines map to themselves. One
/// pass with a stack of open keys, so nested blocks cost nothing extra.
fn block_ends(lines: &[Line<'_>]) -> Vec<usize> {
    let mut ends: Vec<usize> = (0..lines.len()).collect();
    // Open keys: (line, indent, whether its value is a nested block that a
    // `- …` sequence at the same indentation still belongs to, as in
    // `Catch:` followed by `- ErrorEquals: …`).
    let mut open: Vec<(usize, usize, bool)> = Vec::new();
    let mut last = 0;
    for (k, l) in lines.iter().enumerate() {
        if l.scalar || l.is_trivia() {
            continue;
        }
        let item = l.code().trim_start();
        let is_item = item == "-" || item.starts_with("- ");
        while let Some(&(j, indent, opens_nested)) = open.last() {
            let inside = l.indent > indent || (l.indent == indent && opens_nested && is_item);
            if inside {
                break;
            }
            ends[j] = last;
            open.pop();
        }
        if starts_key(l.code()) {
            let code = l.code().trim();
            open.push((k, l.indent, code.ends_with(':') && !code.starts_with('-')));
        }
        last = k;
    }
    for (j, _, _) in open {
        ends[j] = last;
    }
    ends
}

/// Parses what follows `asl-lint:`; `base` is its offset in the text.
fn parse_directive(after: &str, base: usize) -> (Vec<Name>, Option<Problem>) {
    let lead = after.len() - after.trim_start().len();
    let rest = &after[lead..];
    let Some(eq_rest) = rest.strip_prefix("disable") else {
        return (Vec::new(), Some(Problem::NotUnderstood));
    };
    let ws = eq_rest.len() - eq_rest.trim_start().len();
    let Some(list) = eq_rest[ws..].strip_prefix('=') else {
        return (Vec::new(), Some(Problem::NotUnderstood));
    };
    let list_base = base + lead + "disable".len() + ws + 1;
    let (list, reason) = match list.find("--") {
        Some(i) => {
            // ` -- `: a `--` glued to a name (`rule--why`) would read as part
            // of it, or make a rule name of the reason.
            let after = &list[i + 2..];
            let spaced = (i == 0 || list[..i].ends_with([' ', '\t']))
                && (after.is_empty() || after.starts_with([' ', '\t']));
            if !spaced {
                return (Vec::new(), Some(Problem::Unspaced));
            }
            (&list[..i], Some(after.trim()))
        }
        None => (list, None),
    };
    let mut names = Vec::new();
    let mut offset = 0;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            let start = list_base + offset + lead;
            names.push(Name {
                text: name.to_string(),
                range: TextRange::new(start, start + name.len()),
                rule: rules::lookup(name),
                used: false,
            });
        }
        offset += part.len() + 1;
    }
    let problem = if names.is_empty() {
        Some(Problem::NoRules)
    } else if reason.is_none_or(str::is_empty) {
        Some(Problem::NoReason)
    } else {
        None
    };
    (names, problem)
}

fn apply_directives(
    file: &SourceFile,
    directives: &mut [Directive],
    diags: &[Diagnostic],
    hidden: &mut [bool],
) {
    if directives.is_empty() || diags.is_empty() {
        return;
    }
    let mut by_line: Vec<(usize, usize)> = diags
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                file.line_col(d.range.start(), Encoding::Utf8).line as usize,
                i,
            )
        })
        .collect();
    by_line.sort_unstable();
    for directive in directives.iter_mut().filter(|d| d.effective()) {
        let Some((first, last)) = directive.lines else {
            continue;
        };
        let from = by_line.partition_point(|&(l, _)| l < first);
        let to = by_line.partition_point(|&(l, _)| l <= last);
        for &(_, i) in &by_line[from..to] {
            for name in &mut directive.names {
                if name.rule.is_some_and(|r| same_rule(r, diags[i].rule)) {
                    hidden[i] = true;
                    name.used = true;
                }
            }
        }
    }
}

const DIRECTIVE_FORM: &str = "write `# asl-lint: disable=rule-name -- reason`";

fn report_directives(
    file: &SourceFile,
    directives: &[Directive],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut sink = Sink::new(settings, None);
    if !sink.enabled(&UNUSED_SUPPRESSION) {
        return Vec::new();
    }
    for d in directives {
        match d.problem {
            Some(Problem::NotUnderstood) => {
                sink.report(
                    &UNUSED_SUPPRESSION,
                    d.comment,
                    "`asl-lint:` comment is not understood",
                )
                .help(DIRECTIVE_FORM);
                continue;
            }
            Some(Problem::Unspaced) => {
                sink.report(
                    &UNUSED_SUPPRESSION,
                    d.comment,
                    "suppression comment needs a space on each side of `--`, so it is ignored",
                )
                .help(DIRECTIVE_FORM);
                continue;
            }
            Some(Problem::NoRules) => {
                sink.report(
                    &UNUSED_SUPPRESSION,
                    d.comment,
                    "suppression comment names no rule",
                )
                .help(DIRECTIVE_FORM);
                continue;
            }
            Some(Problem::NoReason) => {
                sink.report(
                    &UNUSED_SUPPRESSION,
                    d.comment,
                    "suppression comment gives no reason, so it is ignored",
                )
                .help("add ` -- ` and the reason after the rule names: `# asl-lint: disable=rule-name -- reason`");
            }
            None => {}
        }
        for n in d.names.iter().filter(|n| n.rule.is_none()) {
            let help = match rules::closest(&n.text, rules::ALL.iter().map(|r| r.name)) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "use a rule name such as `duplicate-key` or a code such as `ASL002`".into(),
            };
            sink.report(
                &UNUSED_SUPPRESSION,
                n.range,
                format!("unknown rule `{}` in suppression comment", n.text),
            )
            .help(help);
        }
        if !d.effective() {
            continue;
        }
        // Known rules that are on and hid nothing. The directive's own rule
        // is left alone: its use is only known after this report.
        let unused: Vec<&Name> = d
            .names
            .iter()
            .filter(|n| {
                n.rule.is_some_and(|r| {
                    !n.used
                        && !same_rule(r, &UNUSED_SUPPRESSION)
                        && settings.severity_of(r).is_some()
                })
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let place = if d.block {
            "in the block it covers"
        } else {
            "on the line it covers"
        };
        if unused.len() == d.names.len() {
            let list = unused
                .iter()
                .filter_map(|n| n.rule.map(|r| format!("`{}`", r.name)))
                .collect::<Vec<_>>()
                .join(", ");
            sink.report(
                &UNUSED_SUPPRESSION,
                d.comment,
                format!("suppression of {list} matches no finding"),
            )
            .help(format!(
                "remove the comment; no such finding starts {place}"
            ))
            .fix(Fix {
                title: "remove the suppression comment".into(),
                edits: vec![Edit {
                    range: d.removal,
                    replacement: String::new(),
                }],
            });
        } else {
            for n in unused {
                let name = n.rule.map_or(n.text.as_str(), |r| r.name);
                sink.report(
                    &UNUSED_SUPPRESSION,
                    n.range,
                    format!("suppression of `{name}` matches no finding"),
                )
                .help(format!(
                    "remove `{}` from the comment; no such finding starts {place}",
                    n.text
                ))
                .fix(Fix {
                    title: format!("remove `{}` from the comment", n.text),
                    edits: vec![Edit {
                        range: name_removal(&file.text, n.range),
                        replacement: String::new(),
                    }],
                });
            }
        }
    }
    sink.finish()
}

/// The range to delete to remove one name from a comma-separated list: the
/// name with the comma after it (or before it, for the last name) and the
/// spaces next to that comma.
fn name_removal(text: &str, name: TextRange) -> TextRange {
    let bytes = text.as_bytes();
    let mut end = name.end();
    while end < bytes.len() && bytes[end] == b' ' {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b',' {
        end += 1;
        while end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        return TextRange::new(name.start(), end);
    }
    let mut start = name.start();
    while start > 0 && bytes[start - 1] == b' ' {
        start -= 1;
    }
    if start > 0 && bytes[start - 1] == b',' {
        start -= 1;
        return TextRange::new(start, name.end());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_quotes_only() {
        assert_eq!(find_comment("a: b # c"), Some(5));
        assert_eq!(find_comment("# c"), Some(0));
        assert_eq!(find_comment("a: 'b # c'"), None);
        assert_eq!(find_comment("a: \"b # c\" # d"), Some(11));
        assert_eq!(find_comment("a: \"b \\\" # c\""), None);
        assert_eq!(find_comment("a: 'it''s # x' # y"), Some(15));
        assert_eq!(find_comment("a: it's # x"), Some(8));
        assert_eq!(find_comment("a: b#c"), None);
        assert_eq!(find_comment("a: \"unclosed # x"), None);
        assert_eq!(find_comment(""), None);
    }

    #[test]
    fn keys_and_block_scalars() {
        assert!(starts_key("  Name:"));
        assert!(starts_key("  Name: x"));
        assert!(starts_key("  - ErrorEquals: [a]"));
        assert!(starts_key("  \"A: b\": x"));
        assert!(starts_key("  'A b':"));
        assert!(!starts_key("  - item"));
        assert!(!starts_key("  http://x"));
        assert!(!starts_key("  [a, b]"));
        assert!(opens_block_scalar("  Comment: |"));
        assert!(opens_block_scalar("  Comment: >-"));
        assert!(opens_block_scalar("  - |2"));
        assert!(!opens_block_scalar("  Comment: a|"));
        assert!(!opens_block_scalar("  Comment: x |"));
    }

    #[test]
    fn state_pointers() {
        assert!(in_state("/States/A", "A"));
        assert!(in_state("/States/A/Next", "A"));
        assert!(!in_state("/States/AB/Next", "A"));
        assert!(in_state("/States/P/Branches/0/States/A/Next", "A"));
        assert!(in_state("/States/P/Branches/0/States/A/Next", "P"));
        assert!(in_state("/States/M/ItemProcessor/States/A", "A"));
        assert!(in_state("/States/M/Iterator/States/A", "A"));
        assert!(!in_state("/States/T/Parameters/States/A", "A"));
        assert!(in_state("/States/a~1b", "a/b"));
        assert!(!in_state("", "A"));
    }

    #[test]
    fn directive_parsing() {
        let (names, problem) = parse_directive(" disable=a, b -- why", 0);
        assert!(problem.is_none());
        assert_eq!(names.len(), 2);
        assert_eq!(names[1].text, "b");
        assert_eq!(names[1].range, TextRange::new(12, 13));
        assert!(matches!(
            parse_directive(" disable=a", 0).1,
            Some(Problem::NoReason)
        ));
        assert!(matches!(
            parse_directive(" disable=a --  ", 0).1,
            Some(Problem::NoReason)
        ));
        assert!(matches!(
            parse_directive(" disable= -- x", 0).1,
            Some(Problem::NoRules)
        ));
        assert!(matches!(
            parse_directive(" enable=a -- x", 0).1,
            Some(Problem::NotUnderstood)
        ));
        for unspaced in [
            " disable=unreachable-state--nospace",
            " disable=a --why",
            " disable=a-- why",
        ] {
            let (names, problem) = parse_directive(unspaced, 0);
            assert!(matches!(problem, Some(Problem::Unspaced)), "{unspaced}");
            assert!(names.is_empty());
        }
        assert!(parse_directive(" disable=a\t--\twhy", 0).1.is_none());
        assert!(matches!(
            parse_directive(" disable=a --", 0).1,
            Some(Problem::NoReason)
        ));
    }

    #[test]
    fn removing_one_name() {
        let t = "disable=a, b, c";
        let r = |i: usize| {
            let r = name_removal(t, TextRange::new(i, i + 1));
            format!("{}{}", &t[..r.start()], &t[r.end()..])
        };
        assert_eq!(r(8), "disable=b, c");
        assert_eq!(r(11), "disable=a, c");
        assert_eq!(r(14), "disable=a, b");
    }
}
