//! The state-semantics rules (ASL2xx) against the shared corpus: no error on
//! any definition the sources treat as valid, and a count of the invalid
//! definitions they catch.

use asl_lint::diagnostic::Severity;
use asl_lint::output::concise;
use asl_lint::rules;
use asl_lint::settings::{Selector, Settings};
use asl_lint::{lint_bytes, Selection};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const CORPUS: &str = "/work/shared/corpus";

/// Notes that mark a file as unusable for false-positive counting.
const SKIP_NOTES: &[&str] = &["SUSPECT", "RAW-PLACEHOLDERS", "YAML 1.1 vs 1.2"];

fn settings() -> Settings {
    Settings {
        select: Some(
            rules::ALL
                .iter()
                // ASL260–ASL299 (Task resources, Express) have tests/arn_corpus.rs.
                .filter(|r| r.code.starts_with("ASL2") && r.code < "ASL260")
                .map(|r| Selector::Rule(r.name))
                .collect(),
        ),
        ..Settings::default()
    }
}

/// Valid-corpus files that are templates completed by their source before
/// use, with the reason; they are not counted as false positives.
const PLACEHOLDER_TEMPLATES: &[(&str, &str)] = &[(
    "valid/localstack/tests__aws__services__stepfunctions__templates__errorhandling__statemachines__task_service_lambda_invoke_catch_tbd.json",
    "`ErrorEquals: []` is a to-be-determined slot (`_tbd`) that the LocalStack test fills with the custom error name before creating the machine; the specification requires a non-empty array",
)];

/// `file` column → `notes` column of MANIFEST.tsv.
fn manifest(root: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((
                cols.first()?.to_string(),
                cols.get(7).unwrap_or(&"").to_string(),
            ))
        })
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_errors_on_valid_corpus_and_recall_on_invalid() {
    let root = Path::new(CORPUS);
    if !root.join("valid").is_dir() {
        eprintln!("skipping: {CORPUS} is absent");
        return;
    }
    let notes = manifest(root);
    let settings = settings();
    let mut failures = String::new();
    let mut warnings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut checked = 0;
    for path in files(&root.join("valid")) {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        let note = notes.get(&rel).map(String::as_str).unwrap_or("");
        if SKIP_NOTES.iter().any(|s| note.contains(s)) {
            continue;
        }
        if let Some((_, why)) = PLACEHOLDER_TEMPLATES.iter().find(|(f, _)| *f == rel) {
            eprintln!("skipping {rel}: {why}");
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&rel, &bytes, &settings, Selection::Always) else {
            continue;
        };
        checked += 1;
        if std::env::var_os("CORPUS_VERBOSE").is_some() {
            eprint!("{}", concise::render(&report, false));
        }
        for d in &report.diagnostics {
            if d.severity == Severity::Warning {
                *warnings.entry(d.rule.name).or_default() += 1;
            }
        }
        if report.count(Severity::Error) > 0 {
            failures.push_str(&concise::render(&report, true));
        }
    }
    eprintln!("valid corpus: {checked} files linted; warnings by rule: {warnings:?}");

    let mut caught = 0;
    let mut total = 0;
    for path in files(&root.join("invalid")) {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&rel, &bytes, &settings, Selection::Always) else {
            continue;
        };
        total += 1;
        if report.count(Severity::Error) > 0 {
            caught += 1;
            if std::env::var_os("CORPUS_VERBOSE").is_some() {
                eprint!("{}", concise::render(&report, false));
            }
        }
    }
    eprintln!("invalid corpus: {caught} of {total} files get at least one ASL2xx error");

    assert!(
        failures.is_empty(),
        "ASL2xx errors on valid corpus files:\n{failures}"
    );
}

/// Broken shapes and extreme values: the rules report or stay silent, but
/// never panic, and every range stays inside the text.
#[test]
fn broken_shapes_do_not_panic() {
    let cases = [
        r#"[]"#,
        r#"{ "States": [] }"#,
        r#"{ "StartAt": "A", "States": { "A": 5 } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": { "x": 1 } } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ 1, [], { "And": 5 }, { "Not": [] }, { "Or": [ 1, { "Not": 2 } ] } ] } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ { "Variable": "$.a", "NumericEquals": 1e400, "Next": "A" }, { "Variable": "$.a", "NumericEquals": -1e400, "Next": "A" }, { "Variable": "$.a", "TimestampEquals": "２０２４-01-01T00:00:00Z", "Next": "A" }, { "Variable": "$.a", "StringMatches": "\\", "Next": "A" } ] } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "x", "End": true, "Retry": "no", "Catch": [ 1, { "ErrorEquals": "States.ALL" }, { "ErrorEquals": [ 1, null ] } ], "TimeoutSeconds": 1e400, "HeartbeatSeconds": -0, "Credentials": [] } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "x", "End": true, "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 1e400, "MaxAttempts": -1e400, "BackoffRate": 1e-400, "MaxDelaySeconds": 99999999999999999999999 } ] } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Wait", "Seconds": 1e400, "Timestamp": 5, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": 5, "Iterator": [], "ItemReader": { "ReaderConfig": 1, "Resource": 2 }, "ItemBatcher": [], "Label": 3, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "ProcessorConfig": { "Mode": 7 } }, "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": { "CSVHeaderLocation": "GIVEN", "CSVHeaders": "a", "InputType": 3 } }, "Label": "é🦀\u0000", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Parallel", "Branches": [ 1, { "States": 2 } ], "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Fail", "Error": 5, "ErrorPath": 6, "Cause": "$", "CausePath": null } } }"#,
    ];
    let settings = settings();
    for text in cases {
        let report = lint_bytes(
            "case.asl.json",
            text.as_bytes(),
            &settings,
            Selection::Always,
        )
        .expect("always linted");
        for d in &report.diagnostics {
            assert!(d.range.end() <= text.len(), "range past the end for {text}");
        }
    }
}
