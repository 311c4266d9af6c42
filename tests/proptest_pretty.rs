//! Property: re-serializing a definition with other whitespace and
//! indentation changes no finding except its position: the multisets of
//! (rule, message, pointer) are equal.

#[path = "../benches/gen/mod.rs"]
mod gen;

use asl_lint::settings::Settings;
use asl_lint::source::SourceFile;
use asl_lint::syntax::{json, Node, Value};
use proptest::prelude::*;

/// How to lay out the text.
#[derive(Clone, Debug)]
struct Layout {
    /// `None`: everything on one line.
    indent: Option<usize>,
    space_after_colon: bool,
    space_after_comma: bool,
    crlf: bool,
    tabs: bool,
    leading_blank_lines: usize,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::option::of(0usize..9),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0usize..3,
    )
        .prop_map(|(indent, c, m, crlf, tabs, lead)| Layout {
            indent,
            space_after_colon: c,
            space_after_comma: m,
            crlf,
            tabs,
            leading_blank_lines: lead,
        })
}

fn write(node: &Node, l: &Layout, depth: usize, out: &mut String) {
    let nl = |out: &mut String, depth: usize| {
        if let Some(w) = l.indent {
            out.push_str(if l.crlf { "\r\n" } else { "\n" });
            let unit = if l.tabs {
                "\t".repeat(w.min(1))
            } else {
                " ".repeat(w)
            };
            for _ in 0..depth {
                out.push_str(&unit);
            }
        } else if l.space_after_comma {
            out.push(' ');
        }
    };
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.raw()),
        Value::String(s) => out.push_str(&serde_json::to_string(s).expect("a string")),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                write(item, l, depth + 1, out);
            }
            if !items.is_empty() {
                nl(out, depth);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                out.push_str(&serde_json::to_string(&m.key).expect("a key"));
                out.push(':');
                if l.space_after_colon {
                    out.push(' ');
                }
                write(&m.value, l, depth + 1, out);
            }
            if !members.is_empty() {
                nl(out, depth);
            }
            out.push('}');
        }
    }
}

fn findings(text: &str) -> Vec<(String, String, String)> {
    let file = SourceFile::new("machine.asl.json", text);
    let mut v: Vec<_> = asl_lint::lint_source(&file, &Settings::default())
        .into_iter()
        .map(|d| (d.rule.name.to_string(), d.message, d.pointer))
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn layout_changes_only_positions(
        states in 2usize..40,
        jsonata in any::<bool>(),
        seed in any::<u64>(),
        mistakes in 0usize..4,
        l in layout(),
    ) {
        let lang = if jsonata { gen::Lang::Jsonata } else { gen::Lang::JsonPath };
        let mut spec = gen::Spec::new(states, lang, seed);
        spec.mistakes = mistakes;
        let original = gen::definition_text(&spec);
        let tree = json::parse(&original).documents.remove(0).root;
        let mut text = if l.crlf { "\r\n" } else { "\n" }.repeat(l.leading_blank_lines);
        write(&tree, &l, 0, &mut text);
        prop_assert_eq!(json::parse(&text).documents.len(), 1, "the layout is valid JSON");
        prop_assert_eq!(findings(&original), findings(&text));
    }
}

/// The generator's definitions are clean, and its mistakes are found: the
/// property above compares something.
#[test]
fn mistakes_are_found_and_clean_definitions_are_clean() {
    let clean = gen::definition_text(&gen::Spec::new(30, gen::Lang::JsonPath, 3));
    assert_eq!(findings(&clean), Vec::new());
    let mut spec = gen::Spec::new(30, gen::Lang::JsonPath, 3);
    spec.mistakes = 3;
    assert!(!findings(&gen::definition_text(&spec)).is_empty());
}
