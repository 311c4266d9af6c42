//! `--format json`: one document for the whole run, for tools.
//!
//! ```text
//! {"version":1,
//!  "files":[{"path":"…","diagnostics":[{"rule":"…","code":"…","severity":"error",
//!            "message":"…","help":null,"pointer":"/States/A/Next",
//!            "range":{"start":{"line":1,"column":1},"end":{"line":1,"column":2}},
//!            "related":[{"message":"…","range":{…}}]}]}],
//!  "summary":{"files":1,"errors":1,"warnings":0,"infos":0}}
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode characters. Every
//! linted file is listed, clean ones with an empty list. `related` lists the
//! other places of the same file involved in a finding (the first of two
//! duplicate keys), often none. The shape is stable: `version` changes when a
//! key is removed or changes meaning, not when one is added (`related` was
//! added in version 1).

use super::{report_positions, Position};
use crate::diagnostic::Severity;
use crate::lint::FileReport;
use serde::Serialize;

/// The version of the output shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Diag<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    pointer: &'a str,
    range: Range,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct Pos {
    line: u32,
    column: u32,
}

impl From<Position> for Pos {
    fn from(p: Position) -> Pos {
        Pos {
            line: p.line,
            column: p.column,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Renders the reports of a run (already in output order), pretty-printed,
/// with a trailing newline.
pub fn render(reports: &[FileReport]) -> String {
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum();
    let output = Output {
        version: VERSION,
        files: reports
            .iter()
            .map(|report| File {
                path: &report.path,
                diagnostics: report
                    .diagnostics
                    .iter()
                    .map(|d| {
                        let (start, end) = report_positions(report, d.range);
                        Diag {
                            rule: d.rule.name,
                            code: d.rule.code,
                            severity: d.severity.as_str(),
                            message: &d.message,
                            help: d.help.as_deref(),
                            pointer: &d.pointer,
                            range: Range {
                                start: start.into(),
                                end: end.into(),
                            },
                            related: d
                                .related
                                .iter()
                                .map(|r| {
                                    let (start, end) = report_positions(report, r.range);
                                    Related {
                                        message: &r.message,
                                        range: Range {
                                            start: start.into(),
                                            end: end.into(),
                                        },
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        summary: Summary {
            files: reports.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
    };
    // Serializing plain structs of strings and integers cannot fail.
    let mut out = serde_json::to_string_pretty(&output).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::{lint_bytes, Selection};

    #[test]
    fn lists_clean_files_and_counts_severities() {
        let settings = Settings::default();
        let bad = lint_bytes(
            "b.asl.json",
            b"{\n  \"\xc3\xa9\": [1,]\n}",
            &settings,
            Selection::Always,
        );
        let good = lint_bytes(
            "a.asl.json",
            br#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#,
            &settings,
            Selection::Always,
        );
        let reports: Vec<FileReport> = [good, bad].into_iter().flatten().collect();
        let v: serde_json::Value = serde_json::from_str(&render(&reports)).expect("valid JSON");
        assert_eq!(v["version"], 1);
        assert_eq!(v["files"][0]["path"], "a.asl.json");
        assert_eq!(v["files"][0]["diagnostics"], serde_json::json!([]));
        let d = &v["files"][1]["diagnostics"][0];
        assert_eq!(d["rule"], "syntax-error");
        assert_eq!(d["code"], "ASL001");
        assert_eq!(d["severity"], "error");
        // `  "é": [1,]`: the stray `]` is the 11th character of line 2.
        assert_eq!(d["range"]["start"]["line"], 2);
        assert_eq!(d["range"]["start"]["column"], 11);
        assert_eq!(v["summary"]["files"], 2);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(d["related"], serde_json::json!([]));
    }

    #[test]
    fn related_locations_are_listed() {
        let report = lint_bytes(
            "d.asl.json",
            b"{\"StartAt\": \"A\", \"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Succeed\"}}}",
            &Settings::default(),
            Selection::Always,
        )
        .expect("linted");
        let v: serde_json::Value = serde_json::from_str(&render(&[report])).expect("valid JSON");
        let d = &v["files"][0]["diagnostics"][0];
        assert_eq!(d["rule"], "duplicate-key");
        let related = d["related"].as_array().expect("an array");
        assert_eq!(related.len(), 1, "{d:#}");
        assert!(related[0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert_eq!(related[0]["range"]["start"]["line"], 1);
        assert_eq!(related[0]["range"]["start"]["column"], 2);
    }
}
