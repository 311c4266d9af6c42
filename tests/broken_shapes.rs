//! Broken shapes, hostile strings and extreme numbers: every rule either
//! reports or stays silent, never panics, and every range stays inside the
//! text on a character boundary. Runs every rule, for both machine types.
//!
//! A broken state must not hide the rest of the definition: next to each
//! broken shape, a healthy state with a misspelled `Next` that nothing names
//! is still reported by `missing-transition-target` and `unreachable-state`.

use asl_lint::diagnostic::Diagnostic;
use asl_lint::settings::{MachineType, Settings};
use asl_lint::{lint_bytes, Selection};

const CASES: &[&str] = &[
    r#"[]"#,
    r#"{ "States": [] }"#,
    r#"{ "StartAt": "A", "States": { "A": 5 } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": { "x": 1 } } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ 1, [], { "And": 5 }, { "Not": [] }, { "Or": [ 1, { "Not": 2 } ] } ] } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [ { "Variable": "$.a", "NumericEquals": 1e400, "Next": "A" }, { "Variable": "$.a", "NumericEquals": -1e400, "Next": "A" }, { "Variable": "$.a", "TimestampEquals": "２０２４-01-01T00:00:00Z", "Next": "A" }, { "Variable": "$.a", "StringMatches": "\\", "Next": "A" } ] } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "x", "End": true, "Retry": "no", "Catch": [ 1, { "ErrorEquals": "States.ALL" }, { "ErrorEquals": [ 1, null ] } ], "TimeoutSeconds": 1e400, "HeartbeatSeconds": -0, "Credentials": [] } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "x", "End": true, "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 1e400, "MaxAttempts": -1e400, "BackoffRate": 1e-400, "MaxDelaySeconds": 99999999999999999999999 } ] } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Wait", "Seconds": 1e400, "Timestamp": 5, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": 5, "Iterator": [], "ItemReader": { "ReaderConfig": 1, "Resource": 2 }, "ItemBatcher": [], "Label": 3, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "ProcessorConfig": { "Mode": 7 } }, "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": { "CSVHeaderLocation": "GIVEN", "CSVHeaders": "a", "InputType": 3 } }, "Label": "é🦀\u0000", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Parallel", "Branches": [ 1, { "States": 2 } ], "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Fail", "Error": 5, "ErrorPath": 6, "Cause": "$", "CausePath": null } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": 5, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": { "Fn::GetAtt": ["F", "Arn"] }, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": ":::::::", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::.", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:.", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.", "Parameters": 3, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:lambda:r:1:function:f.", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk::.sync", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:é🦀:states:::lambda:invoke\u0000", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "${", "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Parameters": { "Authentication": [] }, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": { "MessageBody.$": "$$", "QueueUrl": 1 }, "End": true } } }"#,
    r#"{ "StartAt": "A", "States": { "A": { "Type": "Map", "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" }, "StartAt": "B", "States": { "B": { "Type": "Wait", "Seconds": 1e400, "End": true } } }, "End": true } }, "TimeoutSeconds": 1e400 }"#,
];

/// The text under a finding.
fn under<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.range.start()..d.range.end()]
}

#[test]
fn broken_shapes_do_not_hide_other_findings() {
    const PREFIX: &str = r#"{ "StartAt": "A", "States": { "#;
    const HEALTHY: &str = r#""Z": { "Type": "Pass", "Next": "Nowhere" }, "#;
    let mut checked = 0;
    for text in CASES {
        let Some(rest) = text.strip_prefix(PREFIX) else {
            continue;
        };
        let text = format!("{PREFIX}{HEALTHY}{rest}");
        let report = lint_bytes(
            "case.asl.json",
            text.as_bytes(),
            &Settings::default(),
            Selection::Always,
        )
        .expect("always linted");
        let has = |rule: &str, at: &str| {
            report
                .diagnostics
                .iter()
                .any(|d| d.rule.name == rule && under(&text, d) == at)
        };
        assert!(
            has("missing-transition-target", r#""Nowhere""#),
            "the misspelled target beside a broken state is reported in {text}"
        );
        assert!(
            has("unreachable-state", r#""Z""#),
            "the state nothing names beside a broken state is reported in {text}"
        );
        checked += 1;
    }
    assert!(
        checked >= 20,
        "most cases have a state `A` to put `Z` beside"
    );

    // A broken state that may be the mangled source of a transition does
    // not make its possible target unreachable; the rest still is.
    let text = r#"{ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Next": "B" },
        "B": [ { "Type": "Pass", "Next": "C" } ],
        "C": { "Type": "Succeed" },
        "D": { "Type": "Pass", "Next": "Gone" } } }"#;
    let report = lint_bytes(
        "case.asl.json",
        text.as_bytes(),
        &Settings::default(),
        Selection::Always,
    )
    .expect("always linted");
    let found: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.rule.name, under(text, d)))
        .collect();
    assert_eq!(
        found,
        [
            ("schema-violation", r#"[ { "Type": "Pass", "Next": "C" } ]"#),
            ("unreachable-state", r#""D""#),
            ("missing-transition-target", r#""Gone""#),
        ]
    );
}

#[test]
fn broken_shapes_do_not_panic() {
    for machine_type in [MachineType::Standard, MachineType::Express] {
        let settings = Settings {
            machine_type,
            ..Settings::default()
        };
        for text in CASES {
            let report = lint_bytes(
                "case.asl.json",
                text.as_bytes(),
                &settings,
                Selection::Always,
            )
            .expect("always linted");
            for d in &report.diagnostics {
                assert!(d.range.end() <= text.len(), "range past the end for {text}");
                assert!(
                    text.is_char_boundary(d.range.start()) && text.is_char_boundary(d.range.end()),
                    "range splits a character for {text}"
                );
            }
        }
    }
}
