//! Findings, independent of how they are rendered.

use crate::rules::Rule;
use crate::syntax::TextRange;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A second place involved in a finding (the first definition of a duplicate,
/// the entry that shadows another).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

/// A text replacement that fixes a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

/// A fix: what it does, and the edits that do it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Lowercase, no trailing period, names the state or field.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// Byte range in the file.
    pub range: TextRange,
    /// JSON pointer to the node inside its document (`/States/A/Next`).
    pub pointer: String,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The order of output: by position, then rule code, then message.
    pub fn sort_key(&self) -> (TextRange, &'static str, &str) {
        (self.range, self.rule.code, &self.message)
    }
}

/// Sorts diagnostics into output order and drops exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.pointer == b.pointer);
}

/// Applies the fixes of `diags` to `text`: edits are applied from the end of
/// the text backwards; an edit that overlaps one already applied is skipped.
pub fn apply_fixes(text: &str, diags: &[Diagnostic]) -> String {
    let mut edits: Vec<&Edit> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
    let mut out = text.to_string();
    let mut floor = usize::MAX;
    for e in edits {
        if e.range.end() > floor
            || e.range.end() > out.len()
            || !out.is_char_boundary(e.range.start())
            || !out.is_char_boundary(e.range.end())
        {
            continue;
        }
        out.replace_range(e.range.start()..e.range.end(), &e.replacement);
        floor = e.range.start();
    }
    out
}
