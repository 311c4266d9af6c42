//! GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request:
//! `::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=T::MESSAGE`.
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. Columns are
//! 1-based Unicode characters with an exclusive end, and are left out when a
//! finding spans several lines (GitHub rejects `col`/`endColumn` then).

use super::positions;
use crate::config::{absolute, slashes};
use crate::diagnostic::Severity;
use crate::lint::FileReport;
use std::fmt::Write;
use std::path::Path;

pub fn render(reports: &[FileReport]) -> String {
    let cwd = std::env::current_dir().ok().map(|d| absolute(&d));
    let mut out = String::new();
    for report in reports {
        let file = display_path(&report.path, cwd.as_deref());
        for d in &report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = format!("file={}", property(&file));
            if let Some(src) = &report.source {
                let (s, e) = positions(src, d.range);
                let _ = write!(props, ",line={},endLine={}", s.line, e.line);
                if s.line == e.line {
                    let _ = write!(
                        props,
                        ",col={},endColumn={}",
                        s.column,
                        e.column.max(s.column)
                    );
                }
            }
            let title = format!("{} ({})", d.rule.name, d.rule.code);
            let _ = write!(props, ",title={}", property(&title));
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let _ = writeln!(out, "::{command} {props}::{}", data(&message));
        }
    }
    out
}

/// The path GitHub resolves against the workspace: relative to the current
/// directory when it lies below it, with forward slashes.
fn display_path(path: &str, cwd: Option<&Path>) -> String {
    let p = Path::new(path);
    if p.is_absolute() {
        if let Some(rel) = cwd.and_then(|c| absolute(p).strip_prefix(c).ok().map(slashes)) {
            if !rel.is_empty() {
                return rel;
            }
        }
        return path.replace('\\', "/");
    }
    let s = path.replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Escapes the message part of a workflow command.
pub fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command.
pub fn property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50%: a,b\r\nc"), "50%25: a,b%0D%0Ac");
        assert_eq!(property("50%: a,b\r\nc"), "50%25%3A a%2Cb%0D%0Ac");
    }

    #[test]
    fn paths_are_workspace_relative() {
        let cwd = Path::new("/repo");
        assert_eq!(display_path("/repo/a/b.json", Some(cwd)), "a/b.json");
        assert_eq!(display_path("/other/b.json", Some(cwd)), "/other/b.json");
        assert_eq!(display_path("./a\\b.json", Some(cwd)), "a/b.json");
    }
}
