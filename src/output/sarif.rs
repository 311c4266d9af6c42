//! SARIF 2.1.0, for GitHub code scanning and other viewers.
//!
//! One run; `tool.driver.rules` lists every rule of the registry, with the
//! code as `id` (stable across renames, so alerts keep their history) and the
//! kebab-case name as `name`. Artifact URIs are relative to `%SRCROOT%` (the
//! `base` directory) with forward slashes and percent-encoding; a file outside
//! `base` gets an absolute `file://` URI. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), like the CLI; `endColumn` is exclusive.

use super::positions;
use crate::config::{absolute, slashes};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::rules::{self, Rule};
use crate::source::SourceFile;
use crate::syntax::TextRange;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// Renders every report as one SARIF log. `base` is the directory URIs are
/// relative to (the repository root; relative report paths are taken from
/// the current directory).
pub fn render(reports: &[FileReport], base: &Path) -> String {
    let base_abs = absolute(base);
    let rule_index: HashMap<&str, usize> = rules::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name, i))
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let artifact = artifact_location(&report.path, &base_abs);
        for d in &report.diagnostics {
            let index = rule_index.get(d.rule.name).copied();
            results.push(result(d, index, report.source.as_ref(), &artifact));
        }
    }
    let mut bases = BTreeMap::new();
    bases.insert(
        SRCROOT,
        ArtifactLocation {
            uri: file_uri(&base_abs, true),
            uri_base_id: None,
        },
    );
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "asl-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: crate::DOCS_URL,
                    rules: rules::ALL.iter().map(|r| descriptor(r)).collect(),
                },
            },
            original_uri_base_ids: bases,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &'static Rule) -> ReportingDescriptor {
    let markdown = rule.docs_markdown();
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Message {
            text: rule.summary.to_string(),
        },
        full_description: Message {
            text: what_it_does(&markdown),
        },
        help: MultiformatMessage {
            text: markdown.clone(),
            markdown,
        },
        help_uri: rule.url(),
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
        properties: RuleProperties {
            tags: vec![rule.category.as_str()],
        },
    }
}

/// The paragraph under `## What it does`, joined into one line.
fn what_it_does(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        if line.starts_with("## ") {
            if inside {
                break;
            }
            inside = line.trim() == "## What it does";
            continue;
        }
        if inside {
            if line.trim().is_empty() && !out.is_empty() {
                break;
            }
            if !line.trim().is_empty() {
                out.push(line.trim());
            }
        }
    }
    out.join(" ")
}

fn result(
    d: &Diagnostic,
    index: Option<usize>,
    file: Option<&SourceFile>,
    artifact: &ArtifactLocation,
) -> SarifResult {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let related_locations = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i),
            physical_location: physical(file, artifact, r.range),
            message: Some(Message {
                text: r.message.clone(),
            }),
        })
        .collect();
    let fixes = d
        .fix
        .iter()
        .filter_map(|f| {
            let file = file?;
            Some(SarifFix {
                description: Message {
                    text: f.title.clone(),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact.clone(),
                    replacements: f
                        .edits
                        .iter()
                        .map(|e| Replacement {
                            deleted_region: region(file, e.range),
                            inserted_content: ArtifactContent {
                                text: e.replacement.clone(),
                            },
                        })
                        .collect(),
                }],
            })
        })
        .collect();
    SarifResult {
        rule_id: d.rule.code,
        rule_index: index,
        level: level(d.severity),
        message: Message { text },
        locations: vec![Location {
            id: None,
            physical_location: physical(file, artifact, d.range),
            message: None,
        }],
        related_locations,
        fixes,
    }
}

fn physical(
    file: Option<&SourceFile>,
    artifact: &ArtifactLocation,
    range: TextRange,
) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact.clone(),
        // Consumers such as GitHub code scanning want a region even for a
        // file that could not be read: its first line.
        region: match file {
            Some(f) => region(f, range),
            None => Region {
                start_line: 1,
                start_column: None,
                end_line: None,
                end_column: None,
            },
        },
    }
}

fn region(file: &SourceFile, range: TextRange) -> Region {
    let (s, e) = positions(file, range);
    Region {
        start_line: s.line,
        start_column: Some(s.column),
        end_line: Some(e.line),
        end_column: Some(e.column),
    }
}

/// The artifact location of a report path: relative to `%SRCROOT%` when the
/// file is under `base`, else an absolute `file://` URI.
fn artifact_location(path: &str, base_abs: &Path) -> ArtifactLocation {
    let abs = absolute(Path::new(path));
    match abs.strip_prefix(base_abs) {
        Ok(rel) if rel.components().next().is_some() => ArtifactLocation {
            uri: encode(&slashes(rel), false),
            uri_base_id: Some(SRCROOT),
        },
        _ => ArtifactLocation {
            uri: file_uri(&abs, false),
            uri_base_id: None,
        },
    }
}

/// A `file://` URI of an absolute path (a directory URI ends with `/`).
fn file_uri(path: &Path, directory: bool) -> String {
    let mut parts = Vec::new();
    let mut drive = None;
    for c in path.components() {
        match c {
            Component::Prefix(p) => {
                drive = Some(p.as_os_str().to_string_lossy().into_owned());
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::RootDir | Component::CurDir => {}
        }
    }
    let mut uri = String::from("file:///");
    if let Some(d) = drive {
        // `C:` stays as it is: `file:///C:/dir/`.
        uri.push_str(&d.replace('\\', "/"));
        uri.push('/');
    }
    uri.push_str(&encode(&parts.join("/"), true));
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes a path for a URI: unreserved characters and `/` stay,
/// everything else (spaces, `#`, `%`, non-ASCII as UTF-8 bytes) is encoded.
/// Backslashes become `/`. In a relative reference `:` is encoded too, so a
/// first segment like `a:b` is not read as a scheme.
fn encode(path: &str, absolute: bool) -> String {
    crate::uri::encode_path(&path.replace('\\', "/"), absolute)
}

// ---------------------------------------------------------------------------
// The SARIF objects asl-lint writes (a small subset of the format).

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: ArtifactContent,
}

#[derive(Serialize)]
struct ArtifactContent {
    text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode("a b/c#d%.json", false), "a%20b/c%23d%25.json");
        assert_eq!(encode("dir\\x.json", false), "dir/x.json");
        assert_eq!(encode("a:b.json", false), "a%3Ab.json");
        assert_eq!(encode("ü.json", false), "%C3%BC.json");
        assert_eq!(
            file_uri(Path::new("/work/my repo"), true),
            "file:///work/my%20repo/"
        );
        assert_eq!(file_uri(Path::new("/"), true), "file:///");
    }

    #[test]
    fn artifacts_under_base_are_relative() {
        let base = Path::new("/repo");
        let a = artifact_location("/repo/sub/m.asl.json", base);
        assert_eq!(a.uri, "sub/m.asl.json");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        let b = artifact_location("/elsewhere/m.asl.json", base);
        assert_eq!(b.uri, "file:///elsewhere/m.asl.json");
        assert_eq!(b.uri_base_id, None);
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let md = "## What it does\nReports a\nthing.\n\nMore.\n\n## Why is this bad?\nx\n";
        assert_eq!(what_it_does(md), "Reports a thing.");
    }
}
