//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).
//!
//! One `<testsuite>`; one `<testcase>` per linted file, which fails when the
//! file has errors: each error is one `<failure>` (`type` is the rule name).
//! Warnings and infos do not fail the test case; they are listed in its
//! `<system-out>`. `tests` counts files, `failures` the files with errors.

use super::positions;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use std::fmt::Write;

pub fn render(reports: &[FileReport]) -> String {
    let failing = reports
        .iter()
        .filter(|r| r.count(Severity::Error) > 0)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"asl-lint\" tests=\"{}\" failures=\"{failing}\" errors=\"0\">",
        reports.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"asl-lint\" tests=\"{}\" failures=\"{failing}\" errors=\"0\" skipped=\"0\">",
        reports.len()
    );
    for report in reports {
        let name = escape(&report.path);
        let _ = write!(
            out,
            "    <testcase name=\"{name}\" classname=\"asl-lint\" file=\"{name}\""
        );
        if report.diagnostics.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let mut others = String::new();
        for d in &report.diagnostics {
            let line = location_line(report, d);
            if d.severity == Severity::Error {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&d.message),
                    escape(d.rule.name),
                    escape(&line)
                );
            } else {
                others.push_str(&line);
                others.push('\n');
            }
        }
        if !others.is_empty() {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&others));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `path:line:col: severity[rule] message`, then the help, as the body of a
/// failure or a line of the output.
fn location_line(report: &FileReport, d: &Diagnostic) -> String {
    let (s, _) = match &report.source {
        Some(f) => positions(f, d.range),
        None => Default::default(),
    };
    let mut line = format!(
        "{}:{}:{}: {}[{}] {}",
        report.path, s.line, s.column, d.severity, d.rule.name, d.message
    );
    if let Some(h) = &d.help {
        line.push_str("\n  help: ");
        line.push_str(h);
    }
    line
}

/// Escapes text for XML content and attribute values. Characters XML 1.0
/// cannot hold at all (most control characters) become U+FFFD; line breaks
/// and tabs are written as character references so attributes keep them.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{0}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}"
        );
    }
}
