//! The graph rules against the third-party corpus in /work/shared/corpus:
//! no error on any definition the sources treat as valid, and a count of the
//! invalid definitions they catch. Skipped when the corpus is absent.

use asl_lint::diagnostic::Severity;
use asl_lint::rules::{self, Rule};
use asl_lint::settings::{Selector, Settings};
use asl_lint::{lint_bytes, Selection};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const CORPUS: &str = "/work/shared/corpus";

fn graph_rules() -> Vec<&'static Rule> {
    [
        &rules::missing_transition_target::MISSING_TRANSITION_TARGET,
        &rules::cross_scope_transition::CROSS_SCOPE_TRANSITION,
        &rules::unreachable_state::UNREACHABLE_STATE,
        &rules::no_terminal_state::NO_TERMINAL_STATE,
        &rules::no_path_to_terminal::NO_PATH_TO_TERMINAL,
        &rules::duplicate_state_name::DUPLICATE_STATE_NAME,
        &rules::state_name_length::STATE_NAME_LENGTH,
        &rules::missing_next_or_end::MISSING_NEXT_OR_END,
        &rules::next_and_end::NEXT_AND_END,
        &rules::transition_on_terminal_state::TRANSITION_ON_TERMINAL_STATE,
        &rules::end_false::END_FALSE,
    ]
    .to_vec()
}

/// `file` → `notes` from MANIFEST.tsv.
fn manifest_notes(root: &Path) -> HashMap<String, String> {
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

fn excluded(notes: &str) -> bool {
    notes.contains("SUSPECT")
        || notes.contains("RAW-PLACEHOLDERS")
        || notes.contains("YAML 1.1 vs 1.2")
}

/// Every `.json` file under `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
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
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn graph_rules_on_the_corpus() {
    let root = Path::new(CORPUS);
    if !root.join("valid").is_dir() {
        eprintln!("skipping: no corpus at {CORPUS}");
        return;
    }
    let notes = manifest_notes(root);
    let settings = Settings {
        select: Some(
            graph_rules()
                .iter()
                .map(|r| Selector::Rule(r.name))
                .collect(),
        ),
        ..Settings::default()
    };
    let lint = |path: &Path| {
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let report =
            lint_bytes(&name, &bytes, &settings, Selection::Always).expect("always linted");
        (name, report)
    };

    let mut false_positives = Vec::new();
    let (mut checked, mut skipped, mut warnings, mut unparsed) = (0, 0, 0, 0);
    for path in json_files(&root.join("valid")) {
        let (name, report) = lint(&path);
        if notes.get(&name).is_some_and(|n| excluded(n)) {
            skipped += 1;
            for d in &report.diagnostics {
                eprintln!(
                    "skipped file: {name} {}: [{}] {}",
                    d.pointer, d.rule.name, d.message
                );
            }
            continue;
        }
        checked += 1;
        if report
            .diagnostics
            .iter()
            .any(|d| d.rule.name == "syntax-error")
        {
            unparsed += 1;
            eprintln!("does not parse: {name}");
        }
        for d in &report.diagnostics {
            if d.severity == Severity::Error && d.rule.name != "syntax-error" {
                false_positives.push(format!(
                    "{name} {}: [{}] {}",
                    d.pointer, d.rule.name, d.message
                ));
            } else if d.severity == Severity::Warning {
                warnings += 1;
                eprintln!(
                    "warning: {name} {}: [{}] {}",
                    d.pointer, d.rule.name, d.message
                );
            }
        }
    }

    let mut caught = 0;
    let mut invalid = 0;
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    for path in json_files(&root.join("invalid")) {
        invalid += 1;
        let (name, report) = lint(&path);
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.rule.name != "syntax-error")
            .collect();
        if !errors.is_empty() {
            caught += 1;
            for d in &errors {
                *per_rule.entry(d.rule.name).or_default() += 1;
            }
            eprintln!(
                "caught: {name}: [{}] {}",
                errors[0].rule.name, errors[0].message
            );
        }
    }
    let mut per_rule: Vec<_> = per_rule.into_iter().collect();
    per_rule.sort();
    eprintln!(
        "valid: {checked} checked ({unparsed} do not parse), {skipped} skipped, {warnings} warnings; invalid: {caught} of {invalid} JSON files get a graph error {per_rule:?}"
    );
    assert!(
        false_positives.is_empty(),
        "errors on valid definitions:\n{}",
        false_positives.join("\n")
    );
}
