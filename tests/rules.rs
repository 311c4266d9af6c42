//! Rule fixtures: `tests/fixtures/rules/<rule-name>/{valid,invalid}_*.asl.{json,yaml}`.
//!
//! Each file is linted with only its folder's rule enabled. `valid_*` files
//! must give no finding; `invalid_*` files must give at least one, and their
//! findings are snapshot-tested in the detailed concise format.

use asl_lint::output::concise;
use asl_lint::rules;
use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use std::path::Path;

fn rule_and_name(path: &Path) -> (&'static rules::Rule, String) {
    let dir = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|d| d.to_str())
        .unwrap_or("");
    let rule = rules::lookup(dir).unwrap_or_else(|| panic!("fixture folder `{dir}` names no rule"));
    assert_eq!(rule.name, dir, "fixture folders use the rule's name");
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
    (rule, format!("{dir}/{file}"))
}

/// Messages start lowercase (or with a backtick or digit) and have no trailing period.
fn assert_message_style(name: &str, message: &str, help: Option<&str>) {
    let first = message.chars().next().unwrap_or(' ');
    assert!(
        first.is_lowercase() || first == '`' || first.is_ascii_digit() || first == '$',
        "{name}: message must start lowercase: {message:?}"
    );
    assert!(
        !message.ends_with('.'),
        "{name}: message must not end with a period: {message:?}"
    );
    if let Some(h) = help {
        assert!(!h.trim().is_empty(), "{name}: empty help");
    }
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/rules", "*/*.asl.*", |path| {
        let (rule, name) = rule_and_name(path);
        let bytes = std::fs::read(path).expect("fixture is readable");
        let settings = Settings::only(rule);
        let report =
            lint_bytes(&name, &bytes, &settings, Selection::Always).expect("always linted");
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        for d in &report.diagnostics {
            assert_eq!(
                d.rule.name, rule.name,
                "{name}: only the folder's rule runs"
            );
            assert_message_style(&name, &d.message, d.help.as_deref());
            if let Some(src) = &report.source {
                assert!(
                    d.range.end() <= src.text.len(),
                    "{name}: range past the end"
                );
            }
        }
        if file.starts_with("valid_") {
            assert!(
                report.diagnostics.is_empty(),
                "{name}: expected no findings, got:\n{}",
                concise::render(&report, true)
            );
        } else if file.starts_with("invalid_") {
            assert!(
                !report.diagnostics.is_empty(),
                "{name}: expected at least one finding of `{}`",
                rule.name
            );
            insta::assert_snapshot!(concise::render(&report, true));
        } else {
            panic!("{name}: fixture names start with valid_ or invalid_");
        }
    });
}
