//! Mermaid and Graphviz drawings of a nested machine (snapshots), and a
//! render of the DOT output by Graphviz itself when `dot` is installed.

use asl_lint::diagnostic::{Diagnostic, Severity};
use asl_lint::graph_render::{dot, dot_machines, mermaid, mermaid_machines, Titled};
use asl_lint::model::Machine;
use asl_lint::rules::duplicate_key::DUPLICATE_KEY;
use asl_lint::settings::Settings;
use asl_lint::syntax::{json, TextRange};
use asl_lint::{lint_bytes, Selection};

/// Nested scopes, every kind of edge, a missing target and awkward names.
const NESTED: &str = r#"{
  "StartAt": "Check \"input\"",
  "States": {
    "Check \"input\"": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.x", "NumericEquals": 3, "Next": "Fan out [all]" },
        { "And": [ { "Variable": "$.a", "IsPresent": true }, { "Not": { "Variable": "$.b", "StringEquals": "x#1" } } ], "Next": "Fan out [all]" },
        { "Variable": "$.t", "TimestampLessThanEqualsPath": "$.limit", "Next": "Nowhere" },
        { "Variable": "$.very.long.path.to.a.value.that.goes.on", "StringMatches": "prefix-*-and-a-long-suffix", "Next": "Done ✓" }
      ],
      "Default": "Done ✓"
    },
    "Fan out [all]": {
      "Type": "Parallel",
      "Branches": [
        {
          "StartAt": "Each item",
          "States": {
            "Each item": {
              "Type": "Map",
              "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                  "Work": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "End": true }
                }
              },
              "End": true
            }
          }
        },
        {
          "StartAt": "Wait a\\bit",
          "States": { "Wait a\\bit": { "Type": "Wait", "Seconds": 1, "End": true } }
        }
      ],
      "Catch": [ { "ErrorEquals": ["States.Timeout", "States.TaskFailed"], "Next": "Fail <now>" } ],
      "Next": "Done ✓"
    },
    "Fail <now>": { "Type": "Fail", "Error": "E" },
    "Done ✓": { "Type": "Succeed" }
  }
}
"#;

fn example() -> (asl_lint::syntax::Node, Vec<Diagnostic>) {
    let report = lint_bytes(
        "nested.asl.json",
        NESTED.as_bytes(),
        // Only the duplicate `End` is wanted here; other rules would also
        // report the deliberate missing target.
        &Settings::only(&DUPLICATE_KEY),
        Selection::Always,
    )
    .expect("always linted");
    let mut diags = report.diagnostics;
    assert_eq!(diags.len(), 1, "one duplicate `End` in `Work`: {diags:#?}");
    assert_eq!(
        diags[0].pointer,
        "/States/Fan out [all]/Branches/0/States/Each item/ItemProcessor/States/Work/End"
    );
    // A warning on the Parallel state itself, and an info at the top level
    // (no state to highlight).
    diags.push(Diagnostic {
        rule: &DUPLICATE_KEY,
        severity: Severity::Warning,
        message: "a warning".into(),
        help: None,
        range: TextRange::empty(0),
        pointer: "/States/Fan out [all]/Catch/0/Next".into(),
        related: Vec::new(),
        fix: None,
    });
    diags.push(Diagnostic {
        rule: &DUPLICATE_KEY,
        severity: Severity::Info,
        message: "top level".into(),
        help: None,
        range: TextRange::empty(0),
        pointer: "/StartAt".into(),
        related: Vec::new(),
        fix: None,
    });
    let root = json::parse(NESTED).documents.remove(0).root;
    (root, diags)
}

#[test]
fn mermaid_of_a_nested_machine() {
    let (root, diags) = example();
    let machine = Machine::build(&root);
    insta::assert_snapshot!(mermaid(&machine, &diags));
}

#[test]
fn dot_of_a_nested_machine() {
    let (root, diags) = example();
    let machine = Machine::build(&root);
    insta::assert_snapshot!(dot(&machine, &diags));
}

/// The nested machine and a small one, as two machines of a template.
fn two_machines<T>(draw: impl Fn(&[Titled<'_, '_>]) -> T) -> T {
    let (root, diags) = example();
    let small = json::parse(
        r#"{ "StartAt": "Only \"one\"", "States": { "Only \"one\"": { "Type": "Pass", "Next": "Gone" } } }"#,
    )
    .documents
    .remove(0)
    .root;
    let (nested, small) = (Machine::build(&root), Machine::build(&small));
    draw(&[
        Titled {
            title: "Orders",
            machine: &nested,
            diagnostics: &diags,
        },
        Titled {
            title: "Refund \"fast\" <path>",
            machine: &small,
            diagnostics: &[],
        },
    ])
}

#[test]
fn mermaid_of_a_template_with_two_machines() {
    let m = two_machines(mermaid_machines);
    // Each machine in its own box; ids never collide.
    assert!(m.contains("  subgraph g0[\"Orders\"]\n"), "{m}");
    assert!(
        m.contains("  subgraph g1[\"Refund #quot;fast#quot; #lt;path#gt;\"]\n"),
        "{m}"
    );
    insta::assert_snapshot!(m);
}

#[test]
fn dot_of_a_template_with_two_machines() {
    let d = two_machines(dot_machines);
    assert!(d.contains("subgraph cluster_g0 {"), "{d}");
    assert!(d.contains("label=\"Refund \\\"fast\\\" <path>\""), "{d}");
    insta::assert_snapshot!(d);
}

#[test]
fn broken_machines_still_draw() {
    for text in [
        "{}",
        r#"{ "StartAt": 3, "States": [] }"#,
        r#"{ "StartAt": "A", "States": { "A": "x" } }"#,
        r#"{ "StartAt": "P", "States": { "P": { "Type": "Parallel", "Branches": [1, {}], "Next": "P" } } }"#,
        r#"{ "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [ { "Next": "C" }, 5, { "Not": 1, "Next": "C" } ] } } }"#,
    ] {
        let root = json::parse(text).documents.remove(0).root;
        let machine = Machine::build(&root);
        let m = mermaid(&machine, &[]);
        assert!(m.starts_with("flowchart TD\n"));
        let d = dot(&machine, &[]);
        assert!(d.starts_with("digraph") && d.ends_with("}\n"));
    }
}

/// Graphviz accepts the DOT output (skipped when `dot` is not installed).
#[test]
fn graphviz_renders_the_dot_output() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let (root, diags) = example();
    let machine = Machine::build(&root);
    let mut inputs = vec![dot(&machine, &diags), two_machines(dot_machines)];
    for text in [
        r#"{ "StartAt": "P", "States": { "P": { "Type": "Parallel", "Branches": [ { "StartAt": "X", "States": {} } ], "Next": "P" } } }"#,
        r#"{ "StartAt": "M", "States": { "M": { "Type": "Map", "ItemProcessor": { "StartAt": "I", "States": { "I": { "Type": "Pass", "Next": "M" } } }, "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "M" } ], "End": true } } }"#,
    ] {
        let root = json::parse(text).documents.remove(0).root;
        inputs.push(dot(&Machine::build(&root), &[]));
    }
    for input in inputs {
        let child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => {
                eprintln!("skipped: Graphviz `dot` is not available ({e})");
                return;
            }
        };
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("dot reads its input");
        let out = child.wait_with_output().expect("dot runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "dot failed: {stderr}\n{input}");
        assert!(
            !stderr.contains("syntax error"),
            "dot reported: {stderr}\n{input}"
        );
        if !stderr.trim().is_empty() {
            eprintln!("dot said: {stderr}");
        }
        let svg = String::from_utf8_lossy(&out.stdout);
        assert!(svg.contains("<svg"), "no SVG from dot");
    }
}
