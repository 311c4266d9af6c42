//! GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request:
//! `::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=T::MESSAGE`.
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. Columns are
//! 1-based Unicode characters with an exclusive end, and are left out when a
//! finding spans several lines (GitHub rejects `col`/`endColumn` then).
//!
//! GitHub resolves `file` against the root of the repository, so paths are
//! made relative to `base` ([`super::workspace_root`]), whatever folder the
//! command ran in.

use super::positions;
use crate::config::{absolute, slashes};
use crate::diagnostic::Severity;
use crate::lint::FileReport;
use std::fmt::Write;
use std::path::Path;

/// Renders every finding as a workflow command; `base` is the folder paths
/// are relative to (relative report paths are taken from the current
/// directory).
pub fn render(reports: &[FileReport], base: &Path) -> String {
    let base = absolute(base);
    let mut out = String::new();
    for report in reports {
        let file = display_path(&report.path, &base);
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

/// The path GitHub resolves against the workspace: relative to `base` (the
/// repository root, absolute) when the file lies below it, else absolute;
/// with forward slashes.
fn display_path(path: &str, base: &Path) -> String {
    let abs = absolute(Path::new(path));
    match abs.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => slashes(rel),
        _ => slashes(&abs),
    }
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
        let base = Path::new("/repo");
        assert_eq!(display_path("/repo/a/b.json", base), "a/b.json");
        assert_eq!(
            display_path("/repo/defs/../other/o.json", base),
            "other/o.json"
        );
        assert_eq!(display_path("/other/b.json", base), "/other/b.json");
        let cwd = absolute(Path::new("."));
        assert_eq!(display_path("./a/b.json", &cwd), "a/b.json");
        if let (Some(parent), Some(name)) = (cwd.parent(), cwd.file_name()) {
            assert_eq!(
                display_path("a/b.json", parent),
                format!("{}/a/b.json", name.to_string_lossy())
            );
        }
    }
}
