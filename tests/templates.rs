//! Where definitions live: state machines inside CloudFormation and SAM
//! templates, CDK output and Serverless Framework files, and deploy-time
//! `${…}` placeholders.
//!
//! Hand-written templates under `tests/fixtures/templates/` pin the exact
//! line and column of findings inside `DefinitionString`s (JSON escapes),
//! `Fn::Sub` blocks, `Fn::Join` parts, in-place `Definition`s and SAM
//! `DefinitionUri` files. The shared corpus (`../shared/corpus/templates`)
//! checks that every real template is linted or explained.

#[path = "support/corpus_gate.rs"]
mod corpus_gate;

use asl_lint::diagnostic::{Diagnostic, Severity};
use asl_lint::lint::{lint_reference, FileReport, Reference};
use asl_lint::output::positions;
use asl_lint::settings::Settings;
use asl_lint::syntax::{self, Format, TextRange};
use asl_lint::template::{self, Body};
use asl_lint::{lint_bytes, Selection};
use assert_cmd::cargo::cargo_bin_cmd;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates")
}

fn lint_path(path: &Path) -> FileReport {
    let bytes = fs::read(path).expect("fixture is readable");
    lint_bytes(
        &path.to_string_lossy(),
        &bytes,
        &Settings::default(),
        Selection::Always,
    )
    .expect("always linted")
}

fn lint_fixture(rel: &str) -> FileReport {
    lint_path(&fixtures().join(rel))
}

fn lint_text(path: &str, text: &str) -> FileReport {
    lint_bytes(
        path,
        text.as_bytes(),
        &Settings::default(),
        Selection::Always,
    )
    .expect("always linted")
}

/// `line:col rule` of each finding (1-based, columns in characters).
fn found(report: &FileReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let (start, _) = positions(report.source.as_ref().expect("text"), d.range);
            format!("{}:{} {}", start.line, start.column, d.rule.name)
        })
        .collect()
}

fn by_rule<'r>(report: &'r FileReport, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == rule)
        .collect()
}

/// The text under a finding's range.
fn under<'r>(report: &'r FileReport, d: &Diagnostic) -> &'r str {
    let text = &report.source.as_ref().expect("text").text;
    &text[d.range.start()..d.range.end()]
}

#[test]
fn definition_string_with_json_escapes() {
    let r = lint_fixture("definition_string.template.json");
    assert_eq!(
        found(&r),
        ["7:154 missing-transition-target", "7:170 unreachable-state"]
    );
    let d = &r.diagnostics[0];
    assert_eq!(under(&r, d), r#"\"Nope\""#);
    assert_eq!(
        d.pointer,
        "/Resources/Escaped/Properties/DefinitionString/States/A/Next"
    );
    assert!(
        d.message.ends_with("(state machine `Escaped`)"),
        "{}",
        d.message
    );
    assert_eq!(under(&r, &r.diagnostics[1]), r#"\"B\""#);
}

#[test]
fn sub_block_in_yaml() {
    let r = lint_fixture("sub_block.template.yaml");
    // Parameters, resources (with attributes), pseudo parameters and the
    // variable map are all known: no unknown-placeholder; `${Timeout}` in a
    // value position is a placeholder, not a syntax error.
    assert_eq!(found(&r), ["23:32 schema-violation"]);
    assert_eq!(under(&r, &r.diagnostics[0]), "\"Succed\"");
    assert_eq!(
        r.diagnostics[0].pointer,
        "/Resources/Machine/Properties/DefinitionString/States/Done/Type"
    );
}

#[test]
fn join_as_cdk_writes_it() {
    let r = lint_fixture("join_cdk.template.json");
    assert_eq!(found(&r), ["16:82 schema-violation"]);
    assert_eq!(under(&r, &r.diagnostics[0]), r#"\"Sucess\""#);
}

#[test]
fn join_of_yaml_lines_with_substitutions() {
    let r = lint_fixture("join_lines.template.yaml");
    assert_eq!(
        found(&r),
        ["13:33 unknown-placeholder", "15:20 next-and-end"]
    );
    let u = &r.diagnostics[0];
    assert_eq!(under(&r, u), "${Handler}");
    assert_eq!(u.severity, Severity::Info);
    assert_eq!(u.help.as_deref(), Some("did you mean `Handlr`?"));
}

#[test]
fn in_place_definition_with_intrinsics() {
    let r = lint_fixture("inline.template.yaml");
    assert_eq!(
        found(&r),
        [
            "24:31 states-all-not-alone",
            "29:7 definition-not-linted",
            "35:7 definition-not-linted"
        ]
    );
    assert_eq!(
        r.diagnostics[0].pointer,
        "/Resources/Inline/Properties/Definition/States/Notify/Retry/0/ErrorEquals/0"
    );
    assert!(r.diagnostics[2].message.contains("`Fn::If`"));
}

#[test]
fn sam_definition_uri_is_linted_with_substitutions() {
    let template = fixtures().join("sam/template.yaml");
    let r = lint_path(&template);
    assert_eq!(found(&r), ["14:22 missing-definition-file"]);
    assert_eq!(
        under(&r, &r.diagnostics[0]),
        "statemachine/refunds.asl.yaml"
    );
    assert_eq!(r.diagnostics[0].severity, Severity::Error);

    assert_eq!(r.referenced.len(), 1);
    let reference = &r.referenced[0];
    assert_eq!(reference.machines, ["Orders"]);
    assert_eq!(
        reference.path,
        fixtures().join("sam/statemachine/orders.asl.json")
    );
    let bytes = fs::read(&reference.path).expect("readable");
    let shown = reference.path.to_string_lossy();
    let linted = lint_reference(reference, &shown, &bytes, &Settings::default());
    assert_eq!(
        found(&linted),
        [
            "3:3 no-terminal-state",
            "7:25 unknown-placeholder",
            "13:35 unknown-placeholder",
            "14:15 missing-transition-target"
        ]
    );
    assert_eq!(under(&linted, &linted.diagnostics[1]), "${ValidateTimeout}");
    assert_eq!(
        linted.diagnostics[2].help.as_deref(),
        Some("did you mean `TopicArn`?")
    );
    assert!(linted.diagnostics[3]
        .message
        .ends_with("(state machine `Orders`)"));

    // On its own the file is linted without substitutions: the unquoted
    // placeholder is still accepted, names are not judged.
    let alone = lint_path(&reference.path);
    assert_eq!(
        found(&alone),
        ["3:3 no-terminal-state", "14:15 missing-transition-target"]
    );
}

#[test]
fn multi_line_yaml_strings_map_exactly() {
    // A double-quoted string with `\"` escapes folded over two lines, and a
    // folded block scalar.
    let r = lint_fixture("folded_strings.template.yaml");
    assert_eq!(
        found(&r),
        [
            "6:9 no-terminal-state",
            "6:60 missing-transition-target",
            "12:9 no-terminal-state",
            "12:50 missing-transition-target"
        ]
    );
    assert_eq!(under(&r, &r.diagnostics[1]), r#"\"Zed\""#);
    assert_eq!(under(&r, &r.diagnostics[3]), r#""Zed""#);
}

#[test]
fn serverless_framework_definitions() {
    let r = lint_fixture("serverless/serverless.yml");
    // `Fn::GetAtt` objects and `${self:…}`/`${opt:…}` variables are
    // placeholders; the graph problems are real.
    assert_eq!(
        found(&r),
        ["12:9 no-terminal-state", "24:19 missing-transition-target"]
    );
    assert_eq!(
        r.diagnostics[1].pointer,
        "/stepFunctions/stateMachines/ordersFlow/definition/States/Ship/Next"
    );
    assert!(r.diagnostics[1]
        .message
        .ends_with("(state machine `ordersFlow`)"));
}

#[test]
fn cdk_output_named_explicitly() {
    let r = lint_fixture("cdk.out/OrdersStack.template.json");
    assert_eq!(found(&r), ["10:58 next-and-end"]);
    assert_eq!(under(&r, &r.diagnostics[0]), r#"\"End\""#);
}

#[test]
fn broken_definition_text_is_a_syntax_error_in_place() {
    let r = lint_fixture("broken_text.template.json");
    assert_eq!(
        found(&r),
        [
            "2:100 syntax-error",
            "4:23 syntax-error",
            "6:103 syntax-error"
        ]
    );
    assert_eq!(under(&r, &r.diagnostics[0]), "}");
    assert_eq!(under(&r, &r.diagnostics[1]), "\"\"");
    assert_eq!(
        r.diagnostics[1].message,
        "the definition text is empty (state machine `N`)"
    );
    assert_eq!(under(&r, &r.diagnostics[2]), "t");
}

/// Applies a finding's fix to the text.
fn apply(text: &str, d: &Diagnostic) -> String {
    let fix = d.fix.as_ref().expect("a fix");
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.start()..e.range.end(), &e.replacement);
    }
    out
}

#[test]
fn fixes_are_written_into_the_template_string() {
    // A JSON DefinitionString: the inserted text is escaped.
    let json = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}"}}}}"#;
    let r = lint_text("t.json", json);
    let d = by_rule(&r, "missing-next-or-end")[0];
    let fixed = apply(json, d);
    let again = lint_text("t.json", &fixed);
    assert!(again.diagnostics.is_empty(), "{fixed}\n{:?}", found(&again));

    // A YAML `!Sub |` block: inserted lines keep the block's indentation.
    let yaml = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\n            \"A\": {\n              \"Type\": \"Pass\"\n            }\n          }\n        }\n";
    let r = lint_text("t.yaml", yaml);
    let d = by_rule(&r, "missing-next-or-end")[0];
    let fixed = apply(yaml, d);
    let again = lint_text("t.yaml", &fixed);
    assert!(again.diagnostics.is_empty(), "{fixed}\n{:?}", found(&again));
}

#[test]
fn fixes_that_cannot_be_placed_are_dropped() {
    // An alias copies the anchored string: its characters cannot be told
    // apart, so findings cover the alias and their fixes are dropped.
    let yaml = "Shared:\n  Def: &def '{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}'\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: *def\n";
    let r = lint_text("t.yaml", yaml);
    let d = by_rule(&r, "missing-next-or-end")[0];
    assert_eq!(under(&r, d), "*def");
    assert!(d.fix.is_none());
    // The same string written in place keeps its fix.
    let direct = yaml.replace(
        "*def",
        "'{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}'",
    );
    let r = lint_text("t.yaml", &direct);
    let d = by_rule(&r, "missing-next-or-end")[0];
    assert_eq!(under(&r, d), "\"A\"");
    let fixed = apply(&direct, d);
    assert!(
        lint_text("t.yaml", &fixed).diagnostics.is_empty(),
        "{fixed}"
    );
}

#[test]
fn unquoted_placeholders_are_values_of_any_type() {
    let text = "{\n  \"StartAt\": \"W\",\n  \"States\": {\n    \"W\": {\"Type\": \"Wait\", \"Seconds\": ${jsonencode({\"a\": \"}\"})}, \"Next\": \"T\"},\n    \"T\": {\"Type\": \"Task\", \"Resource\": \"${fn}\", \"TimeoutSeconds\": ${timeout}, \"End\": true}\n  }\n}\n";
    let r = lint_text("terraform.asl.json", text);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    let strict = Settings {
        placeholders: false,
        ..Settings::default()
    };
    let r = lint_bytes(
        "terraform.asl.json",
        text.as_bytes(),
        &strict,
        Selection::Always,
    )
    .expect("linted");
    assert_eq!(found(&r), ["4:38 syntax-error"]);

    // In YAML, a plain scalar that is one placeholder may be a number.
    let yaml = "StartAt: W\nStates:\n  W:\n    Type: Wait\n    Seconds: ${Delay}\n    End: true\n";
    assert!(lint_text("m.asl.yaml", yaml).diagnostics.is_empty());
    let quoted = yaml.replace("${Delay}", "'${Delay}'");
    assert_eq!(
        found(&lint_text("m.asl.yaml", &quoted)),
        ["5:14 schema-violation"]
    );
}

/// Quoted placeholders wherever a deployment puts them: no check that
/// depends on the value fires (schema enums, reader configuration, labels,
/// timestamps, error names, paths of resources).
#[test]
fn quoted_placeholders_are_wildcards() {
    let text = include_str!("fixtures/templates/placeholders_everywhere.asl.json");
    let r = lint_text("placeholders_everywhere.asl.json", text);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
}

/// A `DefinitionString` written as a block scalar with an indentation
/// indicator keeps character positions: the indicator is relative to the
/// enclosing mapping, not to the first line.
#[test]
fn block_scalars_with_indentation_indicators_keep_positions() {
    let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: |2\n          {\n            \"StartAt\": \"A\",\n            \"States\": { \"A\": { \"Type\": \"Pass\", \"Next\": \"Nope\" }, \"B\": { \"Type\": \"Succeed\" } }\n          }\n  N:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: >-2\n          {\"StartAt\": \"A\",\n           \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}}}\n";
    let r = lint_text("t.yaml", text);
    assert_eq!(
        found(&r),
        [
            "8:56 missing-transition-target",
            "8:66 unreachable-state",
            "15:12 no-terminal-state",
            "15:53 missing-transition-target"
        ]
    );
    assert_eq!(under(&r, &r.diagnostics[0]), "\"Nope\"");
    assert_eq!(under(&r, &r.diagnostics[1]), "\"B\"");
    assert_eq!(under(&r, &r.diagnostics[3]), "\"Nope\"");
}

/// What cannot be linted is explained in the words of the file's framework.
#[test]
fn notes_name_what_is_computed_in_the_frameworks_words() {
    let cfn = "Conditions:\n  C: !Equals [a, b]\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties: !If [C, {}, {}]\n  N:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: \"{}\"\n";
    let r = lint_text("t.yaml", cfn);
    let notes: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        notes,
        [
            "the `Properties` of state machine `M` are computed by `Fn::If` at deploy time; its definition is not linted",
            "the `Definition` of state machine `N` is a string, not a map; it is not linted"
        ]
    );
    assert!(r.diagnostics[1]
        .help
        .as_deref()
        .unwrap()
        .contains("DefinitionString"));

    let sls = "service: s\nstepFunctions:\n  stateMachines:\n    a:\n      definition: ${self:custom.def}\n    b:\n      definition: some text\n";
    let r = lint_text("serverless.yml", sls);
    assert_eq!(
        r.diagnostics[0].message,
        "the `definition` of state machine `a` is the Serverless Framework variable `${self:custom.def}`, resolved when the service is packaged; it is not linted"
    );
    assert_eq!(
        r.diagnostics[1].message,
        "the `definition` of state machine `b` is a string, not a map; it is not linted"
    );
    for d in &r.diagnostics {
        let help = d.help.as_deref().unwrap();
        assert!(!help.contains("DefinitionString"), "{help}");
        assert!(help.contains("${file("), "{help}");
    }
}

/// A template named without a `.json`/`.yaml` extension is read by content.
#[test]
fn a_yaml_template_under_another_name_is_read_as_yaml() {
    let text = fs::read_to_string(fixtures().join("computed_targets.template.yaml")).unwrap();
    for name in ["infra.txt", "template", "stack.cfn"] {
        let r = lint_text(name, &text);
        assert_eq!(found(&r), ["35:47 missing-transition-target"], "{name}");
    }
}

/// A transition target computed at deploy time (`!Select`, `!Join`, a
/// substitution) may name any state: it is not a missing target, and the
/// states it may name are not unreachable. A real typo beside it still is.
#[test]
fn computed_transition_targets_may_name_any_state() {
    let r = lint_fixture("computed_targets.template.yaml");
    assert_eq!(found(&r), ["35:47 missing-transition-target"]);
    assert!(r.diagnostics[0].message.contains("`Dnoe`"));
    assert!(r.diagnostics[0]
        .message
        .ends_with("(state machine `Subbed`)"));

    // The same targets in plain definitions, JSON and YAML.
    let json = r#"{"StartAt": "${First}", "States": {
        "A": {"Type": "Pass", "Next": "${Nxt}"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "${C}"}], "Default": "B"},
        "B": {"Type": "Succeed"}}}"#;
    assert!(lint_text("m.asl.json", json).diagnostics.is_empty());
    let yaml =
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: ${N}\n  B:\n    Type: Succeed\n";
    assert!(lint_text("m.asl.yaml", yaml).diagnostics.is_empty());
}

// ---------------------------------------------------------------- the corpus

struct Row {
    file: String,
    repo: String,
    source_path: String,
    notes: String,
}

fn corpus() -> Option<(PathBuf, Vec<Row>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let manifest = fs::read_to_string(dir.join("MANIFEST.tsv")).ok()?;
    let rows = manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            (c.len() >= 8).then(|| Row {
                file: c[0].to_string(),
                repo: c[1].to_string(),
                source_path: c[2].to_string(),
                notes: c[7].to_string(),
            })
        })
        .collect();
    Some((dir, rows))
}

/// Errors on the corpus templates that are real problems of the templates,
/// with the reason. Everything else that is an error must be a
/// `missing-definition-file` (the corpus holds the templates, not the files
/// their `DefinitionUri` names).
const REAL_ERRORS: &[(&str, &str, &str)] = &[
    (
        "templates/serverless-application-model/tests__translator__input__schema_validation_2.template.yaml",
        "invalid-resource-arn",
        "SAM translator fixture: a Task `Resource` of `someresource`, which is not a URI",
    ),
    (
        "templates/serverless-application-model/tests__translator__output__schema_validation_1.template.json",
        "invalid-resource-arn",
        "SAM translator fixture: a Task `Resource` of `someresource`, which is not a URI",
    ),
    (
        "templates/serverless-application-model/tests__translator__output__schema_validation_2.template.json",
        "invalid-resource-arn",
        "SAM translator fixture: a Task `Resource` of `someresource`, which is not a URI",
    ),
    (
        "templates/serverless-application-model/tests__translator__input__embedded_connectors_rule_to.template.yaml",
        "schema-violation",
        "SAM translator fixture: the inline `Definition` is `{StartAt: MyLambdaState}`, without `States`",
    ),
    (
        "templates/serverless-application-model/tests__translator__output__embedded_connectors_sfn_to.template.json",
        "schema-violation",
        "the translator output of the same fixture: `{\"StartAt\": \"MyLambdaState\"}` without `States`",
    ),
];

#[test]
fn every_corpus_template_is_linted_or_explained() {
    let Some((dir, rows)) = corpus() else {
        corpus_gate::skip(
            "every_corpus_template_is_linted_or_explained",
            "`../shared/corpus`",
        );
        return;
    };
    let templates: Vec<&Row> = rows
        .iter()
        .filter(|r| r.file.starts_with("templates/"))
        .collect();
    assert_eq!(templates.len(), 170);
    let (mut in_place, mut text, mut files, mut notes, mut machines) = (0, 0, 0, 0, 0);
    let mut unexpected = String::new();
    let mut real = BTreeSet::new();
    for row in &templates {
        let path = dir.join(&row.file);
        let src = fs::read_to_string(&path).expect("readable");
        let format = Format::from_path(&row.file);
        let parsed = syntax::parse(&src, format);
        assert!(
            parsed.errors.is_empty(),
            "{}: {:?}",
            row.file,
            parsed.errors
        );
        let mut explained: BTreeMap<String, usize> = BTreeMap::new();
        for doc in &parsed.documents {
            let x = template::extract(&src, &doc.root, format == Format::Yaml);
            for d in &x.definitions {
                *explained.entry(d.machine.clone()).or_default() += 1;
                match d.body {
                    Body::InPlace(_) => in_place += 1,
                    Body::Text(_) => text += 1,
                    Body::File(_) => files += 1,
                }
            }
            for n in &x.notes {
                *explained.entry(n.machine.clone()).or_default() += 1;
            }
            notes += x.notes.len();
        }
        // The MANIFEST counts the state machines of each template.
        let listed: usize = row
            .notes
            .split(';')
            .find_map(|n| n.trim().strip_suffix(" state machine(s)")?.parse().ok())
            .unwrap_or(0);
        assert_eq!(explained.len(), listed, "{}: state machines", row.file);
        machines += explained.len();

        let report = lint_path(&path);
        for d in &report.diagnostics {
            // Positions lie inside the template.
            assert!(
                d.range.end() <= src.len(),
                "{}: range past the end",
                row.file
            );
            if d.severity != Severity::Error || d.rule.name == "missing-definition-file" {
                continue;
            }
            match REAL_ERRORS
                .iter()
                .find(|(f, rule, _)| *f == row.file && *rule == d.rule.name)
            {
                Some(known) => {
                    real.insert(known.0);
                }
                None => {
                    unexpected.push_str(&format!("{}: {} {}\n", row.file, d.rule.name, d.message))
                }
            }
        }
    }
    eprintln!(
        "corpus templates: {machines} state machines; {in_place} in place, {text} from strings, \
         {files} in files, {notes} not linted"
    );
    assert_eq!(machines, 195);
    assert_eq!(
        (in_place, text, files, notes),
        (43, 34, 82, 36),
        "definitions found: in place, from strings, in files, and noted"
    );
    assert!(
        unexpected.is_empty(),
        "errors on corpus templates:\n{unexpected}"
    );
    assert_eq!(
        real.len(),
        REAL_ERRORS.len(),
        "every known problem is found"
    );
}

/// Where `StartAt` of a definition found in a template is written in the
/// template, and the name it holds (when the definition has `States`, so
/// that a misspelled `StartAt` is reported).
fn start_at_in_template(text: &str, body: &Body) -> Option<(TextRange, String)> {
    match body {
        Body::InPlace(p) => {
            p.root.get("States")?.as_object()?;
            let n = p.root.get("StartAt")?;
            Some((n.range, n.as_str()?.to_string()))
        }
        Body::Text(v) => {
            let parsed = syntax::json::parse_with(&v.text, syntax::Options { placeholders: true });
            let root = &parsed.documents.first()?.root;
            root.get("States")?.as_object()?;
            let n = root.get("StartAt")?;
            let range = v.map.map_range(n.range);
            text.get(range.start()..range.end())?;
            Some((range, n.as_str()?.to_string()))
        }
        Body::File(_) => None,
    }
}

/// Mutation check of template extraction: in a copy of each corpus template,
/// one definition at a time gets a misspelled `StartAt` (two letters added
/// to the name where the template writes it); the finding must come from
/// that state machine and lie on the injected text. Definitions whose
/// `StartAt` is computed or written with escapes inside the name are left
/// out, and counted.
#[test]
fn corpus_templates_report_an_injected_error_where_it_was_injected() {
    let Some((dir, rows)) = corpus() else {
        corpus_gate::skip(
            "corpus_templates_report_an_injected_error_where_it_was_injected",
            "`../shared/corpus`",
        );
        return;
    };
    const MARK: &str = "Qz";
    let (mut mutated, mut skipped) = (0, 0);
    let mut kinds = BTreeSet::new();
    let mut failures = String::new();
    for row in rows.iter().filter(|r| r.file.starts_with("templates/")) {
        let src = fs::read_to_string(dir.join(&row.file)).expect("readable");
        let format = Format::from_path(&row.file);
        let parsed = syntax::parse(&src, format);
        for doc in &parsed.documents {
            let x = template::extract(&src, &doc.root, format == Format::Yaml);
            for d in &x.definitions {
                let Some((range, name)) = start_at_in_template(&src, &d.body) else {
                    skipped += usize::from(!matches!(d.body, Body::File(_)));
                    continue;
                };
                let written = &src[range.start()..range.end()];
                let Some(at) = written.find(name.as_str()).filter(|_| {
                    !name.is_empty()
                        && !name.contains("${")
                        && written.matches(name.as_str()).count() == 1
                }) else {
                    skipped += 1;
                    continue;
                };
                let insert = range.start() + at + name.len();
                let copy = format!("{}{MARK}{}", &src[..insert], &src[insert..]);
                let r = lint_text(&row.file, &copy);
                let injected = TextRange::new(insert, insert + MARK.len());
                let hit = r.diagnostics.iter().any(|d2| {
                    d2.rule.name == "missing-transition-target"
                        && d2.range.contains_range(injected)
                        && d2.message.contains(&format!("`{name}{MARK}`"))
                        && d2
                            .message
                            .ends_with(&format!("(state machine `{}`)", d.machine))
                });
                if hit {
                    mutated += 1;
                    kinds.insert(match d.body {
                        Body::InPlace(_) => "in place",
                        Body::Text(_) => "text",
                        Body::File(_) => "file",
                    });
                } else {
                    failures.push_str(&format!(
                        "{} (state machine `{}`): `{name}{MARK}` at {}..{} not reported there: {:?}\n",
                        row.file,
                        d.machine,
                        injected.start(),
                        injected.end(),
                        found(&r)
                    ));
                }
            }
        }
    }
    eprintln!("corpus templates: {mutated} definitions mutated, {skipped} left out");
    assert!(
        failures.is_empty(),
        "injected errors not reported where injected:\n{failures}"
    );
    assert_eq!(
        kinds.len(),
        2,
        "in-place and reassembled definitions are both mutated"
    );
    // Left out: the two translator fixtures without `States` (see REAL_ERRORS).
    assert_eq!(
        (mutated, skipped),
        (75, 2),
        "definitions mutated, and left out"
    );
}

#[test]
fn corpus_files_with_raw_placeholders_parse() {
    let Some((dir, rows)) = corpus() else {
        corpus_gate::skip(
            "corpus_files_with_raw_placeholders_parse",
            "`../shared/corpus`",
        );
        return;
    };
    let raw: Vec<&Row> = rows
        .iter()
        .filter(|r| r.notes.contains("RAW-PLACEHOLDERS"))
        .collect();
    assert!(!raw.is_empty());
    for row in raw {
        let r = lint_path(&dir.join(&row.file));
        assert!(
            by_rule(&r, "syntax-error").is_empty(),
            "{}: {:?}",
            row.file,
            found(&r)
        );
        assert_eq!(r.count(Severity::Error), 0, "{}: {:?}", row.file, found(&r));
    }
}

/// The corpus keeps templates and definitions apart; put them back where
/// their repositories had them and lint the definitions a `DefinitionUri`
/// names with the template's substitutions.
#[test]
fn corpus_definition_uris_with_their_substitutions() {
    let Some((dir, rows)) = corpus() else {
        corpus_gate::skip(
            "corpus_definition_uris_with_their_substitutions",
            "`../shared/corpus`",
        );
        return;
    };
    let tree = tempfile::tempdir().expect("temp dir");
    let mut templates = Vec::new();
    for row in &rows {
        let kind = row.file.split('/').next().unwrap_or_default();
        if !(kind == "templates" || kind == "valid") || row.source_path.contains('#') {
            continue;
        }
        let dst = tree
            .path()
            .join(row.repo.replace('/', "__"))
            .join(&row.source_path);
        fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
        fs::copy(dir.join(&row.file), &dst).expect("copy");
        if kind == "templates" {
            templates.push(dst);
        }
    }
    let mut references: Vec<Reference> = Vec::new();
    for t in &templates {
        references.extend(lint_path(t).referenced);
    }
    assert_eq!(
        references.len(),
        48,
        "definition files found next to their templates"
    );
    let mut infos = BTreeSet::new();
    let mut errors = BTreeSet::new();
    for reference in &references {
        let bytes = fs::read(&reference.path).expect("readable");
        let shown = reference
            .path
            .strip_prefix(tree.path())
            .expect("inside the tree")
            .to_string_lossy()
            .into_owned();
        let r = lint_reference(reference, &shown, &bytes, &Settings::default());
        for d in &r.diagnostics {
            let src = &r.source.as_ref().expect("text").text;
            let what = format!("{shown}: {}", &src[d.range.start()..d.range.end()]);
            match (d.rule.name, d.severity) {
                ("unknown-placeholder", _) => {
                    infos.insert(what);
                }
                (_, Severity::Error) => {
                    errors.insert(shown.clone());
                }
                _ => {}
            }
        }
    }
    // Real problems of the samples: no `DefinitionSubstitutions` at all, and
    // `topicArn` defined where `${TopicArn}` is used.
    let want: BTreeSet<String> = [
        "aws-samples__step-functions-workflows-collection/stateless-roundrobin/statemachine/statemachine.asl.json: ${ModuloFunctionName}",
        "aws-samples__step-functions-workflows-collection/stateless-roundrobin/statemachine/statemachine.asl.json: ${CallToAPIFunctionName}",
        "aws-samples__step-functions-workflows-collection/synchronous-job/statemachine/statemachine.asl.json: ${TopicArn}",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(infos, want);
    // The one definition AWS rejects (`QueryLanguage` placed inside `States`).
    let want_errors: BTreeSet<String> =
        ["aws-samples__step-functions-workflows-collection/shared-fallback-state-jsonata/statemachine/statemachine.asl.json"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(errors, want_errors);
}

// ---------------------------------------------------------------- the command

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            dir: tempfile::Builder::new()
                .prefix("asl-lint-templates-")
                .tempdir()
                .expect("temp dir"),
        }
    }
    fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    fn check(&self, args: &[&str]) -> serde_json::Value {
        let out = cargo_bin_cmd!("asl-lint")
            .current_dir(self.dir.path())
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .expect("runs");
        serde_json::from_slice(&out.stdout).expect("JSON output")
    }
}

const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: sm/machine.asl.json\n      DefinitionSubstitutions:\n        FnArn: x\n";
const MACHINE: &str = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${FnArm}\", \"End\": true}}}\n";

fn paths_and_rules(v: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    v["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let rules = f["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
                .collect();
            (f["path"].as_str().unwrap_or_default().to_string(), rules)
        })
        .collect()
}

#[test]
fn a_referenced_file_is_reported_once_with_substitutions() {
    let t = Tree::new();
    t.write("template.yaml", SAM);
    t.write("sm/machine.asl.json", MACHINE);
    let v = t.check(&["."]);
    assert_eq!(
        paths_and_rules(&v),
        [
            (
                "sm/machine.asl.json".to_string(),
                vec!["unknown-placeholder".to_string()]
            ),
            ("template.yaml".to_string(), vec![]),
        ]
    );
    // Naming only the template lints the file it names, too.
    let v = t.check(&["template.yaml"]);
    assert_eq!(
        paths_and_rules(&v),
        [
            (
                "sm/machine.asl.json".to_string(),
                vec!["unknown-placeholder".to_string()]
            ),
            ("template.yaml".to_string(), vec![]),
        ]
    );
    let message = v["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.ends_with("(state machine `M`)"), "{message}");
}

#[test]
fn templates_are_found_by_content_and_cdk_out_only_when_named() {
    let t = Tree::new();
    t.write(
        "stack.template",
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Pass}}}\n",
    );
    t.write(
        "cdk.out/S.template.json",
        r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}}}"}}}}"#,
    );
    t.write(
        "other.yaml",
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
    );
    let v = t.check(&["."]);
    assert_eq!(
        paths_and_rules(&v),
        [(
            "stack.template".to_string(),
            vec![
                "no-terminal-state".to_string(),
                "missing-next-or-end".to_string()
            ]
        )]
    );
    let v = t.check(&["cdk.out"]);
    assert_eq!(paths_and_rules(&v)[0].0, "cdk.out/S.template.json");
}

#[test]
fn no_placeholders_flag_reports_unquoted_placeholders() {
    let t = Tree::new();
    t.write(
        "m.asl.json",
        "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": ${Delay}, \"End\": true}}}\n",
    );
    assert_eq!(paths_and_rules(&t.check(&["."]))[0].1, Vec::<String>::new());
    assert_eq!(
        paths_and_rules(&t.check(&["--no-placeholders", "."]))[0].1,
        ["syntax-error"]
    );
}

#[test]
fn serverless_file_definitions_are_linted_as_references() {
    let t = Tree::new();
    t.write(
        "serverless.yml",
        "service: s\nstepFunctions:\n  stateMachines:\n    flow:\n      definition: ${file(defs/flow.asl.json)}\n    gone:\n      definition: ${file(defs/gone.asl.json)}\n",
    );
    t.write(
        "defs/flow.asl.json",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${self:custom.fn}\"}}}\n",
    );
    let v = t.check(&["."]);
    assert_eq!(
        paths_and_rules(&v),
        [
            (
                "defs/flow.asl.json".to_string(),
                vec![
                    "no-terminal-state".to_string(),
                    "missing-next-or-end".to_string()
                ]
            ),
            (
                "serverless.yml".to_string(),
                vec!["missing-definition-file".to_string()]
            ),
        ]
    );
    let message = v["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.ends_with("(state machine `flow`)"), "{message}");
}

/// The machine type a template declares (CloudFormation's `StateMachineType`,
/// SAM's `Type`, the Serverless Framework's `type`) decides the Express
/// rules, for in-place definitions, definition strings and referenced files
/// alike; `--type` applies where the template says nothing.
#[test]
fn the_template_declares_the_machine_type() {
    const SYNC: &str = r#"{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": {"Cluster": "c", "TaskDefinition": "t"}, "End": true}}}"#;
    let express = |r: &FileReport| {
        by_rule(r, "express-unsupported-pattern")
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    let cfn = |ty: &str| {
        format!(
            "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n{ty}      DefinitionString: '{SYNC}'\n"
        )
    };
    let r = lint_text("t.yaml", &cfn("      StateMachineType: EXPRESS\n"));
    assert_eq!(express(&r).len(), 1, "{:?}", found(&r));
    assert!(
        express(&r)[0].contains("state machine `M`"),
        "{:?}",
        express(&r)
    );
    for ty in ["      StateMachineType: STANDARD\n", ""] {
        let r = lint_text("t.yaml", &cfn(ty));
        assert!(express(&r).is_empty(), "{ty}: {:?}", found(&r));
    }
    // A declared STANDARD wins over `--type express`; silence leaves it.
    let settings = Settings {
        machine_type: asl_lint::settings::MachineType::Express,
        ..Settings::default()
    };
    let with = |text: &str| {
        lint_bytes("t.yaml", text.as_bytes(), &settings, Selection::Always).expect("linted")
    };
    assert!(express(&with(&cfn("      StateMachineType: STANDARD\n"))).is_empty());
    assert_eq!(express(&with(&cfn(""))).len(), 1);
    // A computed type is not known: `--type` (here the default) applies.
    let r = lint_text("t.yaml", &cfn("      StateMachineType: !Ref Kind\n"));
    assert!(express(&r).is_empty(), "{:?}", found(&r));

    // SAM: `Type`, with the definition in place.
    let sam = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      Definition: {SYNC}\n"
    );
    assert_eq!(express(&lint_text("t.yaml", &sam)).len(), 1);

    // Serverless Framework: `type`, any case.
    let sls = format!(
        "service: s\nstepFunctions:\n  stateMachines:\n    m:\n      type: express\n      definition: {SYNC}\n"
    );
    assert_eq!(express(&lint_text("serverless.yml", &sls)).len(), 1);

    // A SAM `DefinitionUri` file takes the type of the machine naming it.
    let t = Tree::new();
    t.write(
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      DefinitionUri: sm/machine.asl.json\n",
    );
    t.write("sm/machine.asl.json", SYNC);
    let v = t.check(&["template.yaml"]);
    assert_eq!(
        paths_and_rules(&v),
        [
            (
                "sm/machine.asl.json".to_string(),
                vec!["express-unsupported-pattern".to_string()]
            ),
            ("template.yaml".to_string(), vec![]),
        ]
    );
}

/// A file two templates name is Express when either says Express.
#[test]
fn merged_references_are_express_when_either_is() {
    use asl_lint::settings::MachineType::{Express, Standard};
    let r = |t| Reference {
        path: PathBuf::from("m.asl.json"),
        machines: vec![format!("{t:?}")],
        substitutions: None,
        machine_type: t,
    };
    for (a, b, want) in [
        (Some(Standard), Some(Express), Some(Express)),
        (Some(Express), None, Some(Express)),
        (None, Some(Standard), Some(Standard)),
        (None, None, None),
    ] {
        let mut x = r(a);
        x.merge(&r(b));
        assert_eq!(x.machine_type, want, "{a:?} + {b:?}");
    }
}
