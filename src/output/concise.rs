//! `path:line:col: severity[rule] message`, one line per finding.

use super::report_positions;
use crate::lint::FileReport;
use std::fmt::Write;

/// Renders one report. With `details`, each line also carries the end
/// position, and help and related locations follow on indented lines (the
/// form rule snapshots use).
pub fn render(report: &FileReport, details: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let (start, end) = report_positions(report, d.range);
        if details {
            let _ = writeln!(
                out,
                "{}:{}:{}-{}:{}: {}[{}] {}",
                report.path,
                start.line,
                start.column,
                end.line,
                end.column,
                d.severity,
                d.rule.name,
                d.message
            );
            if !d.pointer.is_empty() {
                let _ = writeln!(out, "  pointer: {}", d.pointer);
            }
            if let Some(h) = &d.help {
                let _ = writeln!(out, "  help: {h}");
            }
            for r in &d.related {
                let (rs, _) = report_positions(report, r.range);
                let _ = writeln!(out, "  related: {}:{}: {}", rs.line, rs.column, r.message);
            }
            if let Some(f) = &d.fix {
                let _ = writeln!(out, "  fix: {}", f.title);
            }
        } else {
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.path, start.line, start.column, d.severity, d.rule.name, d.message
            );
        }
    }
    out
}
