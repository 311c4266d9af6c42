//! The Task-resource and integration rules (ASL260–ASL299) against the shared
//! corpus: no error on any definition the sources treat as valid, and a count
//! of the invalid definitions they catch.

use asl_lint::diagnostic::Severity;
use asl_lint::output::concise;
use asl_lint::rules;
use asl_lint::settings::{MachineType, Selector, Settings};
use asl_lint::{lint_bytes, Selection};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const CORPUS: &str = "/work/shared/corpus";

/// Notes that mark a file as unusable for false-positive counting.
const SKIP_NOTES: &[&str] = &["SUSPECT", "RAW-PLACEHOLDERS", "YAML 1.1 vs 1.2"];

/// Valid-corpus files that AWS rejects, with the reason; they must get an error.
const MISFILED: &[(&str, &str)] = &[(
    "valid/localstack/tests__aws__services__stepfunctions__templates__assign__statemachines__task_retry_reference_exception.json",
    "`\"Resource\": \"$.FunctionName\"` is a path, not an ARN; LocalStack's template index lists the file among those that raise on creation",
)];

fn is_ours(r: &rules::Rule) -> bool {
    ("ASL260".."ASL300").contains(&r.code)
}

fn settings(machine_type: MachineType) -> Settings {
    Settings {
        select: Some(
            rules::ALL
                .iter()
                .filter(|r| is_ours(r))
                .map(|r| Selector::Rule(r.name))
                .collect(),
        ),
        machine_type,
        ..Settings::default()
    }
}

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

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .to_string()
}

#[test]
fn no_errors_on_valid_corpus_and_recall_on_invalid() {
    let root = Path::new(CORPUS);
    if !root.join("valid").is_dir() {
        eprintln!("skipping: {CORPUS} is absent");
        return;
    }
    let notes = manifest(root);
    let settings = settings(MachineType::Standard);
    let verbose = std::env::var_os("CORPUS_VERBOSE").is_some();
    let mut failures = String::new();
    let mut findings: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    let mut checked = 0;
    for path in files(&root.join("valid")) {
        let rel = rel(root, &path);
        let note = notes.get(&rel).map(String::as_str).unwrap_or("");
        if SKIP_NOTES.iter().any(|s| note.contains(s)) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&rel, &bytes, &settings, Selection::Always) else {
            continue;
        };
        if let Some((_, why)) = MISFILED.iter().find(|(f, _)| *f == rel) {
            assert!(
                report.count(Severity::Error) > 0,
                "{rel} is misfiled as valid ({why}) and must get an error"
            );
            continue;
        }
        checked += 1;
        if verbose {
            eprint!("{}", concise::render(&report, false));
        }
        for d in &report.diagnostics {
            *findings.entry((d.rule.name, d.severity)).or_default() += 1;
        }
        if report.count(Severity::Error) > 0 {
            failures.push_str(&concise::render(&report, true));
        }
    }
    eprintln!("valid corpus: {checked} files linted; findings by rule: {findings:?}");

    let mut caught = 0;
    let mut total = 0;
    for path in files(&root.join("invalid")) {
        let rel = rel(root, &path);
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&rel, &bytes, &settings, Selection::Always) else {
            continue;
        };
        total += 1;
        if report.count(Severity::Error) > 0 {
            caught += 1;
            if verbose {
                eprint!("{}", concise::render(&report, false));
            }
        }
    }
    eprintln!("invalid corpus: {caught} of {total} files get at least one ASL260–ASL299 error");

    assert!(
        failures.is_empty(),
        "ASL260–ASL299 errors on valid corpus files:\n{failures}"
    );
}

/// Broken shapes and hostile strings: the rules report or stay silent, but
/// never panic, and every range stays inside the text.
#[test]
fn broken_shapes_do_not_panic() {
    let cases = [
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": 5, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": { "Fn::GetAtt": ["F", "Arn"] }, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": ":::::::", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::.", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:.", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.", "Parameters": 3, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:lambda:r:1:function:f.", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk::.sync", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:é🦀:states:::lambda:invoke\u0000", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "${", "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Parameters": { "Authentication": [] }, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": { "MessageBody.$": "$$", "QueueUrl": 1 }, "End": true } } }"#,
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" }, "StartAt": "B", "States": { "B": { "Type": "Wait", "Seconds": 1e400, "End": true } } }, "End": true } }, "TimeoutSeconds": 1e400 }"#,
    ];
    for machine_type in [MachineType::Standard, MachineType::Express] {
        let settings = settings(machine_type);
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
                assert!(
                    text.is_char_boundary(d.range.start()) && text.is_char_boundary(d.range.end()),
                    "range splits a character for {text}"
                );
            }
        }
    }
}
