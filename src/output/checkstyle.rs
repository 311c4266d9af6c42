//! Checkstyle XML, read by many CI and review tools (Jenkins Warnings NG,
//! reviewdog, SonarQube importers).
//!
//! Every linted file gets a `<file>` element, with one `<error>` per finding;
//! `severity` is `error`, `warning` or `info` and `source` is
//! `asl-lint.<rule-name>`.

use super::junit::escape;
use super::positions;
use crate::lint::FileReport;
use std::fmt::Write;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for report in reports {
        let _ = write!(out, "  <file name=\"{}\"", escape(&report.path));
        if report.diagnostics.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for d in &report.diagnostics {
            let (s, _) = match &report.source {
                Some(f) => positions(f, d.range),
                None => Default::default(),
            };
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(" (help: ");
                message.push_str(h);
                message.push(')');
            }
            out.push_str("    <error");
            if s.line > 0 {
                let _ = write!(out, " line=\"{}\" column=\"{}\"", s.line, s.column);
            }
            let _ = writeln!(
                out,
                " severity=\"{}\" message=\"{}\" source=\"asl-lint.{}\"/>",
                d.severity,
                escape(&message),
                escape(d.rule.name)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
