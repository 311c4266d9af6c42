//! The core's acceptance case: one definition with a missing `Next` target, an
//! unreachable state, a scope without a terminal state, a name used in two
//! scopes, a transition that leaves its scope, an unknown field and a wrong
//! type; each is reported by its rule at the exact line and column, in JSON
//! and in its YAML twin.
//!
//! Also the core's behaviour through the CLI: which files a folder walk
//! lints, YAML on standard input, and multi-document YAML files.

use asl_lint::diagnostic::Severity;
use asl_lint::output::positions;
use asl_lint::settings::Settings;
use asl_lint::{lint_bytes, Selection};
use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;

/// `(rule, start line, start column, end line, end column, text under the range)`.
type Expected<'a> = (&'a str, u32, u32, u32, u32, &'a str);

fn assert_errors(name: &str, expected: &[Expected<'_>]) {
    let path = format!(
        "{}/tests/fixtures/acceptance/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = fs::read(path).expect("fixture exists");
    let report = lint_bytes(name, &bytes, &Settings::default(), Selection::Always).unwrap();
    let file = report.source.as_ref().unwrap();
    let found: Vec<(String, u32, u32, u32, u32, String)> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let (s, e) = positions(file, d.range);
            let text = file.text[d.range.start()..d.range.end()].to_string();
            (
                d.rule.name.to_string(),
                s.line,
                s.column,
                e.line,
                e.column,
                text,
            )
        })
        .collect();
    for (rule, l1, c1, l2, c2, text) in expected {
        let want = (rule.to_string(), *l1, *c1, *l2, *c2, text.to_string());
        assert!(
            found.contains(&want),
            "{name}: missing {want:?}; found:\n{found:#?}"
        );
    }
    assert_eq!(
        found.len(),
        expected.len(),
        "{name}: unexpected extra errors:\n{found:#?}"
    );
}

#[test]
fn each_core_error_is_reported_at_its_position() {
    assert_errors(
        "core.asl.json",
        &[
            // `"30"` where an integer is required.
            ("schema-violation", 8, 25, 8, 29, "\"30\""),
            // `ResultsPath` is not a Task field (did you mean `ResultPath`?).
            ("unknown-field", 9, 7, 9, 20, "\"ResultsPath\""),
            // The first branch loops forever: no terminal state in that scope.
            ("no-terminal-state", 17, 11, 17, 19, "\"States\""),
            // `Archive` exists, but in the top level, not in this branch.
            ("cross-scope-transition", 25, 49, 25, 58, "\"Archive\""),
            // A second `Validate`, inside the branch.
            ("duplicate-state-name", 26, 13, 26, 23, "\"Validate\""),
            // ... which nothing in the branch transitions to.
            ("unreachable-state", 26, 13, 26, 23, "\"Validate\""),
            // `Shipp` is a typo of `Ship`.
            ("missing-transition-target", 30, 15, 30, 22, "\"Shipp\""),
            // `Ship` and `Archive` are never reached.
            ("unreachable-state", 32, 5, 32, 11, "\"Ship\""),
            ("unreachable-state", 33, 5, 33, 14, "\"Archive\""),
        ],
    );
}

#[test]
fn each_core_error_is_reported_at_its_position_in_yaml() {
    assert_errors(
        "core.asl.yaml",
        &[
            ("schema-violation", 8, 21, 8, 25, "\"30\""),
            ("unknown-field", 9, 5, 9, 16, "ResultsPath"),
            ("no-terminal-state", 15, 9, 15, 15, "States"),
            // A flow mapping's plain value.
            ("cross-scope-transition", 22, 38, 22, 45, "Archive"),
            ("duplicate-state-name", 23, 11, 23, 19, "Validate"),
            ("unreachable-state", 23, 11, 23, 19, "Validate"),
            ("missing-transition-target", 25, 11, 25, 16, "Shipp"),
            // A key with a space, and a quoted key.
            ("unreachable-state", 26, 3, 26, 7, "Ship"),
            ("unreachable-state", 27, 3, 27, 12, "\"Archive\""),
        ],
    );
}

/// A folder with files named like other data: only real state machines
/// (and `*.asl.*` files) are linted.
#[test]
fn a_folder_walk_lints_only_state_machines() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write(
        "regions.json",
        r#"{"States": ["CA", "NY"], "Country": "US"}"#,
    );
    write("job.json", r#"{"StartAt": "2024-01-01T00:00:00Z"}"#);
    write("regions.yaml", "States:\n  - CA\n  - NY\n");
    write("job.yml", "StartAt: now\n");
    write(
        "machine.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#,
    );
    write(
        "machine.yaml",
        "StartAt: A\nStates:\n  A: {Type: Pass, Next: Nope}\n",
    );
    write("broken.asl.json", r#"{"States": {}}"#);
    let out = cargo_bin_cmd!("asl-lint")
        .current_dir(dir.path())
        .args(["check", ".", "--format", "concise"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let files: std::collections::BTreeSet<&str> = stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.contains('.') && !f.contains(' '))
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["broken.asl.json", "machine.yaml"],
        "{stdout}"
    );
    assert!(stdout.contains("Found"), "{stdout}");
    assert!(
        stdout.contains("in 3 files"),
        "three files were linted: {stdout}"
    );
}

/// YAML on standard input needs no `--stdin-filename`.
#[test]
fn yaml_on_stdin_is_read_as_yaml() {
    let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nope\n  B: {Type: Succeed}\n";
    let out = cargo_bin_cmd!("asl-lint")
        .args(["check", "-", "--format", "concise"])
        .write_stdin(yaml)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("<stdin>:5:11: error[missing-transition-target]"),
        "{stdout}"
    );
    assert!(!stdout.contains("syntax-error"), "{stdout}");
    // JSON still reads as JSON.
    let out = cargo_bin_cmd!("asl-lint")
        .args(["check", "-", "--format", "concise"])
        .write_stdin(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A multi-document YAML file: each document that is a state machine is
/// linted, with positions in the file; the others are left alone.
#[test]
fn multi_document_yaml_lints_every_machine_document() {
    let text = "\
StartAt: A
States:
  A: {Type: Pass, Next: Missing1}
---
# Not a state machine: left alone.
name: settings
States: [CA, NY]
---
StartAt: B
States:
  B: {Type: Pass, Next: Missing2}
  C: {Type: Succeed}
";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("multi.asl.yaml"), text).unwrap();
    let out = cargo_bin_cmd!("asl-lint")
        .current_dir(dir.path())
        .args(["check", "multi.asl.yaml", "--format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(
        lines,
        [
            "multi.asl.yaml:2:1: error[no-terminal-state] the top level has no terminal state",
            "multi.asl.yaml:3:25: error[missing-transition-target] `Next` of state `A` names `Missing1`, which is not a state of the top level",
            "multi.asl.yaml:11:25: error[missing-transition-target] `Next` of state `B` names `Missing2`, which is not a state of the top level",
            "multi.asl.yaml:12:3: error[unreachable-state] state `C` cannot be reached from `StartAt` (`B`): no transition names it",
        ],
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// YAML merge keys (`<<: *base`) are resolved as the SAM CLI and the
/// Serverless Framework resolve them: the merged `Type` is the state's.
#[test]
fn yaml_merge_keys_give_their_keys_to_the_state() {
    let yaml = "\
StartAt: A
States:
  A:
    <<: &retrying
      Type: Task
      Resource: arn:aws:states:::lambda:invoke
      Retry: [{ErrorEquals: [States.ALL], MaxAttempts: 2}]
    Parameters: {FunctionName: one}
    Next: B
  B:
    <<: *retrying
    Parameters: {FunctionName: two}
    Nxt: C
";
    let out = cargo_bin_cmd!("asl-lint")
        .args(["check", "-", "--format", "concise"])
        .write_stdin(yaml)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("has no `Type`"), "{stdout}");
    // The state's own keys are still checked, at their own positions.
    assert!(
        stdout.contains(
            "<stdin>:13:5: error[unknown-field] field `Nxt` is not allowed in Task state `B`"
        ),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}");
}
