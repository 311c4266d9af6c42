//! The JSONata rules (ASL330–ASL349) against the shared corpus: no error on
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

fn jsonata_rule(code: &str) -> bool {
    code.get(3..)
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (330..=349).contains(&n))
}

fn settings() -> Settings {
    Settings {
        select: Some(
            rules::ALL
                .iter()
                .filter(|r| jsonata_rule(r.code))
                .map(|r| Selector::Rule(r.name))
                .collect(),
        ),
        ..Settings::default()
    }
}

/// Valid-corpus files that Step Functions itself would refuse, with the
/// reason; they are not counted as false positives.
const NOT_VALID_FOR_AWS: &[(&str, &str)] = &[(
    "valid/amazon-states-language-service/src__tests__json-strings__validationStrings.ts__documentTaskJSONata.json",
    "a fixture of the ASL language service, which does not check JSONata; its catcher's `Output` reads `$states.result`, which only exists in the top-level Output/Assign of the state (a catcher has `$states.errorOutput`), and Step Functions rejects that placement when the machine is created (catalog §4.5, jsonata-states-result-scope)",
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
fn selection_covers_the_jsonata_rules() {
    let names: Vec<&str> = rules::ALL
        .iter()
        .filter(|r| jsonata_rule(r.code))
        .map(|r| r.name)
        .collect();
    assert!(names.contains(&"jsonata-syntax"), "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("jsonata-")), "{names:?}");
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
        if let Some((_, why)) = NOT_VALID_FOR_AWS.iter().find(|(f, _)| *f == rel) {
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
    eprintln!("invalid corpus: {caught} of {total} files get at least one JSONata (ASL33x) error");

    assert!(
        failures.is_empty(),
        "JSONata errors on valid corpus files:\n{failures}"
    );
}
