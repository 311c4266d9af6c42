//! The schema rules (`schema-violation`, `unknown-field`,
//! `wrong-query-language-field`) against the shared third-party corpus: no
//! valid definition may get one of their errors. Also prints how many invalid
//! definitions they flag. Skips with a message when the corpus is absent.

use asl_lint::diagnostic::Severity;
use asl_lint::settings::{Selector, Settings};
use asl_lint::{lint_bytes, Selection};
use std::path::{Path, PathBuf};

/// MANIFEST notes that exempt a valid file (the corpus README explains each).
const EXEMPT: &[&str] = &["SUSPECT", "RAW-PLACEHOLDERS", "YAML 1.1 vs 1.2"];

/// Files filed under `valid/` that their own source says AWS rejects.
const MISFILED: &[(&str, &str)] = &[(
    "valid/localstack/tests__aws__services__stepfunctions__templates__assign__statemachines__task_retry_reference_exception.json",
    "localstack's template index lists it under \"Raises exceptions on creation\": \
     Retry's IntervalSeconds/MaxAttempts/BackoffRate are paths and variables, not numbers",
)];

fn corpus_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("ASL_LINT_CORPUS").map(PathBuf::from),
        Some(manifest.join("../shared/corpus")),
        Some(manifest.join("../../shared/corpus")),
        Some(PathBuf::from("/work/shared/corpus")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("MANIFEST.tsv").is_file())
}

struct Row {
    file: String,
    class: String,
    notes: String,
}

fn rows(dir: &Path) -> Vec<Row> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() >= 8).then(|| Row {
                file: cols[0].to_string(),
                class: cols[5].to_string(),
                notes: cols[7].to_string(),
            })
        })
        .collect()
}

fn settings() -> Settings {
    Settings {
        select: Some(vec![
            Selector::Rule("schema-violation"),
            Selector::Rule("unknown-field"),
            Selector::Rule("wrong-query-language-field"),
        ]),
        ..Settings::default()
    }
}

/// The schema-rule errors of one file, one line each.
fn errors(dir: &Path, file: &str, settings: &Settings) -> Vec<String> {
    let bytes = std::fs::read(dir.join(file)).expect("corpus file is readable");
    let report = lint_bytes(file, &bytes, settings, Selection::Always).expect("always linted");
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{file} {} [{}] {}", d.pointer, d.rule.name, d.message))
        .collect()
}

#[test]
fn valid_definitions_pass_the_schema() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: the shared corpus (../shared/corpus) is absent");
        return;
    };
    let settings = settings();
    let mut checked = 0;
    let mut failures = Vec::new();
    for row in rows(&dir).iter().filter(|r| r.class == "valid") {
        if EXEMPT.iter().any(|t| row.notes.contains(t))
            || MISFILED.iter().any(|(f, _)| *f == row.file)
        {
            continue;
        }
        checked += 1;
        failures.extend(errors(&dir, &row.file, &settings));
    }
    eprintln!("schema corpus: {checked} valid definitions checked");
    assert!(
        checked > 300,
        "the corpus lists fewer valid files than expected"
    );
    assert!(
        failures.is_empty(),
        "false positives on valid definitions:\n{}",
        failures.join("\n")
    );
}

#[test]
fn misfiled_definitions_are_flagged() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: the shared corpus (../shared/corpus) is absent");
        return;
    };
    for (file, why) in MISFILED {
        assert!(
            !errors(&dir, file, &settings()).is_empty(),
            "{file} should be flagged: {why}"
        );
    }
}

#[test]
fn invalid_definitions_flagged_by_the_schema_rules() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: the shared corpus (../shared/corpus) is absent");
        return;
    };
    let settings = settings();
    let invalid: Vec<Row> = rows(&dir)
        .into_iter()
        .filter(|r| r.class == "invalid")
        .collect();
    let flagged = invalid
        .iter()
        .filter(|r| !errors(&dir, &r.file, &settings).is_empty())
        .count();
    eprintln!(
        "schema corpus: {flagged}/{} invalid definitions get a schema-rule error",
        invalid.len()
    );
    assert!(!invalid.is_empty());
}
