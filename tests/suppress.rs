//! Suppressions: `[[suppress]]` entries and `# asl-lint: disable=` comments,
//! and the `unused-suppression` findings for those that hide nothing.
//!
//! `unused-suppression` has no fixtures (the fixture runner does not apply
//! suppressions); these tests cover it.

use asl_lint::config::Config;
use asl_lint::diagnostic::{Diagnostic, Severity};
use asl_lint::lint::FileReport;
use asl_lint::rules::{duplicate_key::DUPLICATE_KEY, syntax_error::SYNTAX_ERROR, Rule};
use asl_lint::settings::{Level, Settings};
use asl_lint::source::SourceFile;
use asl_lint::suppress::{self, Suppressor};
use asl_lint::syntax::TextRange;
use asl_lint::{lint_bytes, Selection};
use std::path::Path;

/// A finding of `rule` at the `nth` occurrence of `needle`.
fn finding(rule: &'static Rule, text: &str, needle: &str, nth: usize, pointer: &str) -> Diagnostic {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the text"))
        .0;
    Diagnostic {
        rule,
        severity: rule.default_severity,
        message: format!("finding at `{needle}`"),
        help: None,
        range: TextRange::new(start, start + needle.len()),
        pointer: pointer.to_string(),
        related: Vec::new(),
        fix: None,
    }
}

/// `(line, rule, message)` of each finding, 1-based lines.
fn summary(file: &SourceFile, diags: &[Diagnostic]) -> Vec<(u32, String, String)> {
    diags
        .iter()
        .map(|d| {
            let lc = file.line_col(d.range.start(), asl_lint::source::Encoding::Chars);
            (lc.line + 1, d.rule.name.to_string(), d.message.clone())
        })
        .collect()
}

fn config(text: &str) -> Config {
    Config::from_toml(text, Path::new("/project/asl-lint.toml")).expect("valid configuration")
}

const NESTED: &str = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "P", "Next": "P" },
    "P": {
      "Type": "Parallel",
      "End": true,
      "Branches": [
        { "StartAt": "B", "States": { "B": { "Type": "Succeed", "Type": "Succeed" } } }
      ]
    }
  }
}
"#;

fn nested_report() -> FileReport {
    let settings = Settings::default();
    let report = lint_bytes(
        "m.asl.json",
        NESTED.as_bytes(),
        &settings,
        Selection::Always,
    )
    .expect("always linted");
    let names: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.name).collect();
    assert_eq!(
        names,
        ["duplicate-key", "duplicate-key"],
        "the input has two findings"
    );
    report
}

#[test]
fn config_entries_hide_findings_by_rule_and_state() {
    let mut report = nested_report();
    let cfg = config(
        "[[suppress]]\nrule = \"duplicate-key\"\nstate = \"B\"\nreason = \"generated branch\"\n",
    );
    let settings = cfg.to_settings();
    let mut s = Suppressor::new(&cfg.suppress);
    s.apply_report(&mut report, Some("m.asl.json"), &settings);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(
        report.diagnostics[0].pointer, "/States/A/Next",
        "only the finding inside `B` is hidden"
    );
    assert!(s.unused_entries(&settings).is_empty());

    // The owner of a branch contains the branch's states.
    let mut report = nested_report();
    let cfg = config("[[suppress]]\nrule = \"ASL002\"\nstate = \"P\"\nreason = \"r\"\n");
    let mut s = Suppressor::new(&cfg.suppress);
    s.apply_report(&mut report, Some("m.asl.json"), &settings);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].pointer, "/States/A/Next");
}

#[test]
fn config_entries_respect_path_globs() {
    let cfg =
        config("[[suppress]]\nrule = \"duplicate-key\"\npath = \"legacy/**\"\nreason = \"old\"\n");
    let settings = cfg.to_settings();
    let mut s = Suppressor::new(&cfg.suppress);
    let mut elsewhere = nested_report();
    s.apply_report(&mut elsewhere, Some("src/m.asl.json"), &settings);
    assert_eq!(elsewhere.diagnostics.len(), 2);
    // The entry matched no linted file: not reported as unused, unless the
    // caller knows the run covered every file it could match.
    assert!(s.unused_entries(&settings).is_empty());
    let stale = s.unused_entries_where(&settings, |_, _| true);
    assert_eq!(stale.len(), 1);
    assert_eq!(
        stale[0].message,
        "`path` of the `[[suppress]]` entry for `duplicate-key` matches no file"
    );
    assert_eq!(stale[0].pointer, "/suppress/0/path");
    let text = cfg.source.as_ref().expect("text").text.as_str();
    assert_eq!(
        &text[stale[0].range.start()..stale[0].range.end()],
        "\"legacy/**\""
    );
    let mut legacy = nested_report();
    s.apply_report(&mut legacy, Some("legacy/x/m.asl.json"), &settings);
    assert!(legacy.diagnostics.is_empty());
    // Without a configuration directory, entries with a path never apply.
    let mut unknown = nested_report();
    s.apply_report(&mut unknown, None, &settings);
    assert_eq!(unknown.diagnostics.len(), 2);
}

#[test]
fn unused_config_entries_are_reported_in_the_configuration() {
    let text = "[[suppress]]\nrule = \"duplicate-key\"\nstate = \"Nope\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"duplicate-key\"\nstate = \"A\"\nreason = \"r\"\n\n[[suppress]]\nrule = \"syntax-error\"\npath = \"other/**\"\nreason = \"r\"\n";
    let cfg = config(text);
    let settings = cfg.to_settings();
    let mut s = Suppressor::new(&cfg.suppress);
    let mut report = nested_report();
    s.apply_report(&mut report, Some("m.asl.json"), &settings);
    assert_eq!(report.diagnostics.len(), 1, "the finding in `A` is hidden");
    let unused = s.unused_report(&cfg, &settings).expect("one unused entry");
    assert_eq!(unused.path, "/project/asl-lint.toml");
    assert_eq!(unused.diagnostics.len(), 1);
    let d = &unused.diagnostics[0];
    assert_eq!(d.rule.name, "unused-suppression");
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(
        d.message,
        "`[[suppress]]` entry for `duplicate-key` matches no finding in state `Nope`"
    );
    assert_eq!(&text[d.range.start()..d.range.end()], "\"duplicate-key\"");
    assert_eq!(d.pointer, "/suppress/0/rule");
    // Turned off, it reports nothing.
    let mut off = settings.clone();
    off.levels.insert("unused-suppression", Level::Off);
    assert!(s.unused_report(&cfg, &off).is_none());
}

const YAML: &str = "\
StartAt: A
States:
  A:
    Type: Pass # asl-lint: disable=duplicate-key -- on this line only
    Next: B
    Type: Pass
  # asl-lint: disable=syntax-error -- the whole state
  B:
    Type: Succeed
    Comment: |
      # asl-lint: disable=duplicate-key -- only text in a block scalar
    Catch:
    - ErrorEquals: [x]
      Next: A
  C:
    Type: Succeed
";

#[test]
fn comments_cover_their_line_or_the_next_key_block() {
    let file = SourceFile::new("m.asl.yaml", YAML);
    let diags = vec![
        finding(&DUPLICATE_KEY, YAML, "Type", 0, "/States/A/Type"),
        finding(&DUPLICATE_KEY, YAML, "Type", 1, "/States/A/Type"),
        finding(&SYNTAX_ERROR, YAML, "B:", 0, "/States/B"),
        finding(&SYNTAX_ERROR, YAML, "Succeed", 0, "/States/B/Type"),
        finding(&SYNTAX_ERROR, YAML, "Next: A", 0, "/States/B/Catch/0/Next"),
        finding(&SYNTAX_ERROR, YAML, "C:", 0, "/States/C"),
    ];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![
            (6, "duplicate-key".into(), "finding at `Type`".into()),
            (15, "syntax-error".into(), "finding at `C:`".into()),
        ]
    );
}

#[test]
fn a_comment_after_a_key_covers_the_key_block() {
    let text = "\
StartAt: A
States:
  A: # asl-lint: disable=choice-no-default,missing-transition-target -- routed upstream
    Type: Choice
    Choices:
      - Variable: $.x
        NumericEquals: 1
        Next: Nope
  B:
    Type: Task
    Catch: # asl-lint: disable=syntax-error -- every catcher
    - ErrorEquals: [x]
      Next: A
    Retry: [] # asl-lint: disable=duplicate-key -- this line only
    Next: A
  C:
    Type: Succeed
";
    let file = SourceFile::new("m.asl.yaml", text);
    let cnd = rules_lookup("choice-no-default");
    let mtt = rules_lookup("missing-transition-target");
    let diags = vec![
        finding(cnd, text, "Type: Choice", 0, "/States/A/Type"),
        finding(mtt, text, "Nope", 0, "/States/A/Choices/0/Next"),
        finding(&SYNTAX_ERROR, text, "Next: A", 0, "/States/B/Catch/0/Next"),
        finding(&DUPLICATE_KEY, text, "Retry", 0, "/States/B/Retry"),
        finding(&DUPLICATE_KEY, text, "Next: A", 1, "/States/B/Next"),
        finding(cnd, text, "C:", 0, "/States/C"),
    ];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![
            (15, "duplicate-key".into(), "finding at `Next: A`".into()),
            (16, "choice-no-default".into(), "finding at `C:`".into()),
        ]
    );
}

#[test]
fn a_reason_needs_spaces_around_the_dashes() {
    let text = "\
StartAt: A
States:
  #asl-lint:disable=duplicate-key--nospace
  A:
    Type: Succeed
";
    let file = SourceFile::new("m.asl.yaml", text);
    let diags = vec![finding(&DUPLICATE_KEY, text, "Type", 0, "/States/A/Type")];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![
            (
                3,
                "unused-suppression".into(),
                "suppression comment needs a space on each side of `--`, so it is ignored".into()
            ),
            (5, "duplicate-key".into(), "finding at `Type`".into()),
        ]
    );
}

#[test]
fn key_blocks_are_found_in_linear_time() {
    // Many comments before one key with a large block, and as many keys in
    // it with comments after them: scanning the block (or the comments
    // after each comment) once per comment would be quadratic.
    let n = 50_000;
    let mut text = String::from("StartAt: A\nStates:\n");
    for _ in 0..n {
        text.push_str("  # asl-lint: disable=duplicate-key -- r\n");
    }
    text.push_str("  A: # asl-lint: disable=duplicate-key -- r\n    Parameters:\n");
    for i in 0..n {
        text.push_str(&format!("      k{i}: 1\n"));
    }
    let file = SourceFile::new("big.asl.yaml", text.as_str());
    let diags = vec![finding(&DUPLICATE_KEY, &text, "k49999", 0, "/x")];
    let start = std::time::Instant::now();
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    let took = start.elapsed();
    assert!(out.is_empty(), "every comment covers the finding");
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

fn rules_lookup(name: &str) -> &'static Rule {
    asl_lint::rules::lookup(name).expect("a rule")
}

#[test]
fn comments_in_quotes_and_block_scalars_are_text() {
    let text = "\
StartAt: A
States:
  A:
    Comment: \"x # asl-lint: disable=duplicate-key -- quoted\"
    Type: Pass
    Parameters:
      Note: >-
        # asl-lint: disable=duplicate-key -- folded text
      Type: 1
";
    let file = SourceFile::new("m.asl.yml", text);
    let diags = vec![
        finding(&DUPLICATE_KEY, text, "Comment", 0, "/States/A/Comment"),
        finding(
            &DUPLICATE_KEY,
            text,
            "Type: 1",
            0,
            "/States/A/Parameters/Type",
        ),
    ];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out.iter().all(|d| d.rule.name == "duplicate-key"));
}

#[test]
fn json_files_have_no_comments() {
    let text = "{ \"StartAt\": \"A\" }\n# asl-lint: disable=duplicate-key -- x\n";
    let file = SourceFile::new("m.asl.json", text);
    let diags = vec![finding(&DUPLICATE_KEY, text, "StartAt", 0, "/StartAt")];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(out.len(), 1);
}

#[test]
fn a_comment_without_reason_is_ignored_and_reported() {
    let text = "StartAt: A # asl-lint: disable=duplicate-key\nStates: {}\n";
    let file = SourceFile::new("m.asl.yaml", text);
    let diags = vec![finding(&DUPLICATE_KEY, text, "StartAt", 0, "/StartAt")];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![
            (1, "duplicate-key".into(), "finding at `StartAt`".into()),
            (
                1,
                "unused-suppression".into(),
                "suppression comment gives no reason, so it is ignored".into()
            ),
        ]
    );
    let d = &out[1];
    assert_eq!(
        &text[d.range.start()..d.range.end()],
        "# asl-lint: disable=duplicate-key"
    );
    assert!(d.help.as_deref().unwrap_or("").contains("-- reason"));
}

#[test]
fn unknown_rules_and_unknown_directives_are_reported() {
    let text = "\
# asl-lint: disable=duplicat-key, duplicate-key -- typo
StartAt: A
# asl-lint: enable=duplicate-key -- no such thing
States: {}
# asl-lint: disable= -- nothing
";
    let file = SourceFile::new("m.asl.yaml", text);
    let diags = vec![finding(&DUPLICATE_KEY, text, "StartAt", 0, "/StartAt")];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    let s = summary(&file, &out);
    assert_eq!(
        s,
        vec![
            (
                1,
                "unused-suppression".into(),
                "unknown rule `duplicat-key` in suppression comment".into()
            ),
            (
                3,
                "unused-suppression".into(),
                "`asl-lint:` comment is not understood".into()
            ),
            (
                5,
                "unused-suppression".into(),
                "suppression comment names no rule".into()
            ),
        ],
        "the known name in the first comment still works"
    );
    assert_eq!(
        out[0].help.as_deref(),
        Some("did you mean `duplicate-key`?")
    );
    assert_eq!(
        &text[out[0].range.start()..out[0].range.end()],
        "duplicat-key"
    );
}

fn apply_fix(text: &str, d: &Diagnostic) -> String {
    assert!(d.fix.is_some(), "a fix");
    asl_lint::diagnostic::apply_fixes(text, std::slice::from_ref(d))
}

#[test]
fn unused_comments_are_reported_with_a_fix() {
    let text = "\
StartAt: A
States:
  # asl-lint: disable=duplicate-key -- left over
  A:
    Type: Succeed # asl-lint: disable=duplicate-key -- also left over
";
    let file = SourceFile::new("m.asl.yaml", text);
    let out = suppress::apply(&file, None, Vec::new(), &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![
            (
                3,
                "unused-suppression".into(),
                "suppression of `duplicate-key` matches no finding".into()
            ),
            (
                5,
                "unused-suppression".into(),
                "suppression of `duplicate-key` matches no finding".into()
            ),
        ]
    );
    assert_eq!(out[0].severity, Severity::Info);
    assert_eq!(
        out[0].help.as_deref(),
        Some("remove the comment; no such finding starts in the block it covers")
    );
    assert_eq!(
        apply_fix(text, &out[0]),
        "StartAt: A\nStates:\n  A:\n    Type: Succeed # asl-lint: disable=duplicate-key -- also left over\n"
    );
    assert_eq!(
        apply_fix(text, &out[1]),
        "StartAt: A\nStates:\n  # asl-lint: disable=duplicate-key -- left over\n  A:\n    Type: Succeed\n"
    );
}

#[test]
fn a_partly_used_comment_reports_the_unused_name() {
    let text = "StartAt: A # asl-lint: disable=syntax-error, duplicate-key -- both\nStates: {}\n";
    let file = SourceFile::new("m.asl.yaml", text);
    let diags = vec![finding(&DUPLICATE_KEY, text, "StartAt", 0, "/StartAt")];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].message,
        "suppression of `syntax-error` matches no finding"
    );
    assert_eq!(
        &text[out[0].range.start()..out[0].range.end()],
        "syntax-error"
    );
    assert_eq!(
        apply_fix(text, &out[0]),
        "StartAt: A # asl-lint: disable=duplicate-key -- both\nStates: {}\n"
    );
}

#[test]
fn rules_that_are_off_are_not_reported_unused() {
    let text = "StartAt: A # asl-lint: disable=duplicate-key -- x\nStates: {}\n";
    let file = SourceFile::new("m.asl.yaml", text);
    let mut settings = Settings::default();
    settings.levels.insert("duplicate-key", Level::Off);
    assert!(suppress::apply(&file, None, Vec::new(), &[], &settings).is_empty());
    let mut settings = Settings::default();
    settings.levels.insert("unused-suppression", Level::Off);
    assert!(suppress::apply(&file, None, Vec::new(), &[], &settings).is_empty());
}

#[test]
fn unused_suppression_can_itself_be_suppressed() {
    let text = "\
# asl-lint: disable=unused-suppression -- kept for the next release
StartAt: A # asl-lint: disable=duplicate-key -- x
States: {}
";
    let file = SourceFile::new("m.asl.yaml", text);
    // The own-line comment covers line 2 only (`StartAt: A` has no block).
    let out = suppress::apply(&file, None, Vec::new(), &[], &Settings::default());
    assert!(out.is_empty(), "{out:#?}");
}

#[test]
fn lines_are_counted_like_the_line_index() {
    // Old Mac line ends (a lone CR) and a byte order mark.
    let text = "\u{feff}StartAt: A # asl-lint: disable=duplicate-key -- x\rStates: {}\r";
    let file = SourceFile::new("m.asl.yaml", text);
    let diags = vec![
        finding(&DUPLICATE_KEY, text, "StartAt", 0, "/StartAt"),
        finding(&DUPLICATE_KEY, text, "States", 0, "/States"),
    ];
    let out = suppress::apply(&file, None, diags, &[], &Settings::default());
    assert_eq!(
        summary(&file, &out),
        vec![(2, "duplicate-key".into(), "finding at `States`".into())]
    );
}

#[test]
fn crlf_bom_and_odd_text_never_panic() {
    for text in [
        "\u{feff}# asl-lint: disable=duplicate-key -- x\r\nA: 1\r\n",
        "#asl-lint:",
        "# asl-lint: disable",
        "# asl-lint: disable=,,, -- ",
        "a: \"\\",
        "a: '",
        "- |\n  # asl-lint: disable=x\n",
        "# asl-lint: disable=é -- ü\n",
        "key: |9+\n",
    ] {
        let file = SourceFile::new("m.asl.yaml", text);
        let diags = vec![finding(&DUPLICATE_KEY, text, "", 0, "")];
        let out = suppress::apply(&file, None, diags, &[], &Settings::default());
        for d in &out {
            assert!(d.range.end() <= text.len());
            assert!(text.is_char_boundary(d.range.start()) && text.is_char_boundary(d.range.end()));
        }
    }
}
