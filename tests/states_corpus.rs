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
                .filter(|r| r.code.starts_with("ASL2"))
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
