//! The variable rules (ASL310–ASL316) against the shared corpus: no error on
//! any valid definition (JSON and YAML), and a count of the invalid
//! definitions they catch.
//!
//! Skipped (with a message) when `/work/shared/corpus` is absent; the corpus
//! root can be overridden with `ASL_CORPUS`.

use asl_lint::diagnostic::Severity;
use asl_lint::output::concise;
use asl_lint::rules;
use asl_lint::settings::{Selector, Settings};
use asl_lint::{lint_bytes, Selection};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const RULES: &[&str] = &[
    "invalid-variable-name",
    "undefined-variable",
    "variable-maybe-unassigned",
    "variable-scope",
    "variable-read-in-same-state",
    "unused-variable",
    "assign-in-nested-choice-rule",
];

/// Valid-classed files that certainly fail, with the reason. They must get
/// an error from these rules (so the exemption cannot go stale silently).
const KNOWN_BROKEN: &[(&str, &str)] = &[
    (
        "valid/localstack/tests__aws__services__stepfunctions__templates__assign__statemachines__base_undefined_assign.json",
        "reads `$doesNotExist`, which no state assigns; LocalStack's AWS-recorded test \
         `test_undefined_reference` uses it to record the run-time failure (AWS accepts it at creation)",
    ),
    (
        "valid/localstack/tests__aws__services__stepfunctions__templates__assign__statemachines__base_undefined_arguments_field.json",
        "reads `$doesNotExist`, which no state assigns; used by the same AWS-recorded test \
         `test_undefined_reference` to record the run-time failure",
    ),
    (
        "valid/localstack/tests__aws__services__stepfunctions__templates__statevariables__statemachines__parallel_catch_error_variable_sampling.json",
        "`Finish` reads `$resultVar`, which only a state inside the Parallel's branch assigns, and branch \
         variables end with the branch; the AWS-recorded test only takes the catcher path, so `Finish` never runs",
    ),
    (
        "valid/asl-validator/valid-assign.asl.json",
        "assigns the variable `top-level`: the specification requires identifiers, and `$top-level` would \
         read `$top` minus `level`; asl-validator does not check variable names",
    ),
];

fn corpus_root() -> PathBuf {
    std::env::var_os("ASL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/corpus"))
}

fn settings() -> Settings {
    Settings {
        select: Some(
            RULES
                .iter()
                .map(|n| {
                    let r = rules::lookup(n).unwrap_or_else(|| panic!("rule {n} is registered"));
                    Selector::Rule(r.name)
                })
                .collect(),
        ),
        ..Settings::default()
    }
}

/// `file → (expected, notes)` from MANIFEST.tsv.
fn manifest(root: &Path) -> HashMap<String, (String, String)> {
    let text = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() >= 8).then(|| {
                (
                    cols[0].to_string(),
                    (cols[6].to_string(), cols[7].to_string()),
                )
            })
        })
        .collect()
}

fn definition_files(dir: &Path) -> Vec<PathBuf> {
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
            } else if p
                .extension()
                .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn skipped(notes: &str) -> bool {
    notes.contains("SUSPECT")
        || notes.contains("RAW-PLACEHOLDERS")
        || notes.contains("YAML 1.1 vs 1.2")
}

#[test]
fn no_errors_on_valid_definitions_and_recall_on_invalid_ones() {
    let root = corpus_root();
    if !root.join("valid").is_dir() {
        eprintln!("skipping: no corpus at {}", root.display());
        return;
    }
    let manifest = manifest(&root);
    let settings = settings();
    let rel = |p: &Path| {
        p.strip_prefix(&root)
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_default()
    };

    let verbose = std::env::var_os("ASL_CORPUS_VERBOSE").is_some();
    let mut failures = String::new();
    let (mut linted, mut warnings, mut infos) = (0, 0, 0);
    for path in definition_files(&root.join("valid")) {
        let name = rel(&path);
        let notes = manifest.get(&name).map(|m| m.1.as_str()).unwrap_or("");
        if skipped(notes) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&name, &bytes, &settings, Selection::Always) else {
            continue;
        };
        linted += 1;
        warnings += report.count(Severity::Warning);
        infos += report.count(Severity::Info);
        let errors = report.count(Severity::Error);
        if let Some((_, why)) = KNOWN_BROKEN.iter().find(|(f, _)| *f == name) {
            assert!(
                errors > 0,
                "{name} is known to fail ({why}) and must get an error"
            );
            continue;
        }
        if errors > 0 {
            failures.push_str(&concise::render(&report, true));
        } else if verbose && !report.diagnostics.is_empty() {
            eprint!("{}", concise::render(&report, false));
        }
    }
    eprintln!("variable rules: {linted} valid files linted, {warnings} warnings, {infos} infos");

    let (mut invalid, mut caught) = (0, 0);
    for path in definition_files(&root.join("invalid")) {
        let name = rel(&path);
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let Some(report) = lint_bytes(&name, &bytes, &settings, Selection::Always) else {
            continue;
        };
        invalid += 1;
        if report.count(Severity::Error) > 0 {
            caught += 1;
            let expected = manifest.get(&name).map(|m| m.0.as_str()).unwrap_or("");
            eprintln!("caught {name}\n  expected: {expected}");
            for d in report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("  [{}] {}", d.rule.name, d.message);
            }
        }
    }
    eprintln!("variable rules: {caught} of {invalid} invalid files get at least one error");

    assert!(
        failures.is_empty(),
        "errors on valid corpus definitions:\n{failures}"
    );
}
