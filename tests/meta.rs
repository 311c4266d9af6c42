//! Keeps the registry, the rule docs, the fixtures and the README consistent.

use asl_lint::rules::{self, Rule};
use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use std::path::Path;

/// Rules whose findings the fixture runner cannot produce: `io-error` is about
/// reading the file (covered by `tests/cli.rs`); `unused-suppression` needs
/// suppressions applied, which the runner does not do (covered by
/// `tests/suppress.rs`).
const NO_FIXTURES: &[&str] = &["io-error", "unused-suppression"];

#[test]
fn codes_and_names_are_unique_well_formed_and_sorted() {
    let mut codes = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    let mut prev = "";
    for r in rules::ALL {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(
            r.code.len() == 6
                && r.code.starts_with("ASL")
                && r.code[3..].bytes().all(|b| b.is_ascii_digit()),
            "bad code {}",
            r.code
        );
        assert!(
            !r.name.is_empty()
                && r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !r.name.starts_with('-')
                && !r.name.ends_with('-'),
            "rule names are kebab-case: {}",
            r.name
        );
        assert!(
            r.code > prev,
            "ALL is sorted by code: {} after {prev}",
            r.code
        );
        prev = r.code;
        assert!(
            !r.summary.ends_with('.'),
            "{}: summary without trailing period",
            r.name
        );
        let file = r.source.split(':').next().unwrap_or("");
        assert!(
            file.ends_with(&format!("{}.rs", r.name.replace('-', "_"))),
            "{} is declared in a file named after it, not {file}",
            r.name
        );
    }
}

#[test]
fn every_rule_has_documentation_sections() {
    for r in rules::ALL {
        let docs = r.docs_markdown();
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(docs.contains(section), "{}: docs lack `{section}`", r.name);
        }
    }
}

#[test]
fn every_rule_has_valid_and_invalid_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for r in rules::ALL {
        if NO_FIXTURES.contains(&r.name) {
            continue;
        }
        let dir = root.join(r.name);
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{}: no fixture folder {}", r.name, dir.display()))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert!(
            files.iter().any(|f| f.starts_with("valid_")),
            "{}: no valid_ fixture",
            r.name
        );
        assert!(
            files.iter().any(|f| f.starts_with("invalid_")),
            "{}: no invalid_ fixture",
            r.name
        );
    }
}

/// The ```json blocks after `## Example` and after `Use instead:`.
fn doc_examples(r: &Rule) -> (Vec<String>, Vec<String>) {
    let docs = r.docs_markdown();
    let (mut bad, mut good) = (Vec::new(), Vec::new());
    let mut in_use_instead = false;
    let mut block: Option<String> = None;
    for line in docs.lines() {
        if line.starts_with("## Example") {
            in_use_instead = false;
        } else if line.starts_with("Use instead") {
            in_use_instead = true;
        } else if line.starts_with("## ") {
            in_use_instead = false;
        }
        if let Some(b) = &mut block {
            if line.trim_start().starts_with("```") {
                let text = block.take().unwrap_or_default();
                if in_use_instead {
                    good.push(text);
                } else {
                    bad.push(text);
                }
            } else {
                b.push_str(line);
                b.push('\n');
            }
        } else if line.trim_start() == "```json" && docs.contains("## Example") {
            block = Some(String::new());
        }
    }
    (bad, good)
}

#[test]
fn doc_examples_trigger_their_rule_and_fixes_do_not() {
    for r in rules::ALL {
        let (bad, good) = doc_examples(r);
        let settings = Settings::only(r);
        for text in bad {
            let report = lint_bytes(
                "example.asl.json",
                text.as_bytes(),
                &settings,
                Selection::Always,
            )
            .unwrap();
            assert!(
                !report.diagnostics.is_empty(),
                "{}: its Example does not trigger it:\n{text}",
                r.name
            );
        }
        for text in good {
            let report = lint_bytes(
                "example.asl.json",
                text.as_bytes(),
                &settings,
                Selection::Always,
            )
            .unwrap();
            assert!(
                report.diagnostics.is_empty(),
                "{}: its `Use instead` example triggers it:\n{text}",
                r.name
            );
        }
    }
}

/// The README's rule table, between markers; `UPDATE_README=1` rewrites it.
#[test]
fn readme_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md exists");
    let (begin, end) = ("<!-- rules:begin -->", "<!-- rules:end -->");
    let (Some(b), Some(e)) = (readme.find(begin), readme.find(end)) else {
        panic!("README.md lacks the {begin} / {end} markers");
    };
    let mut table =
        String::from("\n| Code | Name | Category | Default | Summary |\n|---|---|---|---|---|\n");
    for r in rules::ALL {
        table.push_str(&format!(
            "| {} | [`{}`]({}) | {} | {} | {} |\n",
            r.code,
            r.name,
            r.url(),
            r.category.as_str(),
            r.default_severity,
            r.summary
        ));
    }
    let current = &readme[b + begin.len()..e];
    if current != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let new = format!("{}{}{}", &readme[..b + begin.len()], table, &readme[e..]);
            std::fs::write(&path, new).expect("README.md is writable");
        } else {
            panic!("the README rule table is out of date; run `UPDATE_README=1 cargo test --test meta`");
        }
    }
}

/// The README's sample output is what `check --format concise` prints today.
#[test]
fn readme_sample_output_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md exists");
    let path = "examples/broken.asl.yaml";
    let bytes = std::fs::read(root.join(path)).expect("example exists");
    let report = lint_bytes(path, &bytes, &Settings::default(), Selection::Always).unwrap();
    let out = asl_lint::output::concise::render(&report, false);
    assert!(!out.is_empty());
    for line in out.lines() {
        assert!(
            readme.contains(line),
            "README.md lacks the current output line:\n{line}"
        );
    }
}
