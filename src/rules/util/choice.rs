//! Choice rules: the operator table and a walker over top-level and nested
//! rules (inside `And`, `Or`, `Not`).

use crate::model::{QueryLanguage, State, StateType};
use crate::syntax::{Member, Node, TextRange};

/// What a comparison operator compares against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    String,
    /// `StringMatches`: a string with `*` wildcards.
    Pattern,
    Number,
    Boolean,
    Timestamp,
    /// `…Path` operators: a path to the value to compare with.
    Path,
    /// `IsNull`, `IsPresent` …: `true` or `false`.
    TypeTest,
}

impl Operand {
    /// "a number", "a string" … for messages.
    pub fn expected(self) -> &'static str {
        match self {
            Operand::String | Operand::Pattern => "a string",
            Operand::Number => "a number",
            Operand::Boolean | Operand::TypeTest => "a boolean",
            Operand::Timestamp => "an RFC 3339 timestamp string",
            Operand::Path => "a path string",
        }
    }
}

const BASES: &[(&str, Operand)] = &[
    ("StringEquals", Operand::String),
    ("StringLessThan", Operand::String),
    ("StringGreaterThan", Operand::String),
    ("StringLessThanEquals", Operand::String),
    ("StringGreaterThanEquals", Operand::String),
    ("NumericEquals", Operand::Number),
    ("NumericLessThan", Operand::Number),
    ("NumericGreaterThan", Operand::Number),
    ("NumericLessThanEquals", Operand::Number),
    ("NumericGreaterThanEquals", Operand::Number),
    ("BooleanEquals", Operand::Boolean),
    ("TimestampEquals", Operand::Timestamp),
    ("TimestampLessThan", Operand::Timestamp),
    ("TimestampGreaterThan", Operand::Timestamp),
    ("TimestampLessThanEquals", Operand::Timestamp),
    ("TimestampGreaterThanEquals", Operand::Timestamp),
];

const TYPE_TESTS: &[&str] = &[
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// The comparison operator `key` and its operand, if `key` is one.
pub fn comparison(key: &str) -> Option<Operand> {
    if key == "StringMatches" {
        return Some(Operand::Pattern);
    }
    if TYPE_TESTS.contains(&key) {
        return Some(Operand::TypeTest);
    }
    if let Some(base) = key.strip_suffix("Path") {
        return BASES
            .iter()
            .any(|(b, _)| *b == base)
            .then_some(Operand::Path);
    }
    BASES.iter().find(|(b, _)| *b == key).map(|(_, o)| *o)
}

/// `And`, `Or`, `Not`.
pub fn is_combinator(key: &str) -> bool {
    matches!(key, "And" | "Or" | "Not")
}

/// Keys a JSONPath Choice rule may carry besides operators.
pub fn is_jsonpath_rule_field(key: &str) -> bool {
    matches!(key, "Variable" | "Next" | "Comment" | "Assign")
}

/// Keys a JSONata Choice rule may carry.
pub fn is_jsonata_rule_field(key: &str) -> bool {
    matches!(key, "Condition" | "Next" | "Comment" | "Assign" | "Output")
}

/// One Choice rule met while walking.
#[derive(Clone, Debug)]
pub struct RuleRef<'a> {
    pub node: &'a Node,
    /// False for `Choices[i]` itself, true inside `And`/`Or`/`Not`.
    pub nested: bool,
    /// Where it is, for messages: `Choices[0].And[1]`.
    pub path: String,
}

impl<'a> RuleRef<'a> {
    pub fn members(&self) -> &'a [Member] {
        self.node.as_object().unwrap_or(&[])
    }
    /// The comparison operators and combinators of this rule, in source order.
    pub fn operators(&self) -> impl Iterator<Item = &'a Member> + 'a {
        self.members()
            .iter()
            .filter(|m| is_combinator(&m.key) || comparison(&m.key).is_some())
    }
    /// A small range standing for the rule: its first operator, `Condition`
    /// or `Variable` key, else its first key, else the whole object.
    pub fn anchor(&self) -> TextRange {
        let members = self.members();
        members
            .iter()
            .find(|m| is_combinator(&m.key) || comparison(&m.key).is_some() || m.key == "Condition")
            .or_else(|| members.iter().find(|m| m.key == "Variable"))
            .or_else(|| members.first())
            .map_or(self.node.range, |m| m.key_range)
    }
}

/// Calls `f` for every Choice rule of a Choice state, depth first, top-level
/// rules in order. Only JSONPath rules nest; a JSONata state's rules are
/// visited at the top level only. Non-object rules are skipped (the schema
/// reports them).
pub fn walk<'a>(state: &State<'a>, mut f: impl FnMut(&RuleRef<'a>)) {
    if state.state_type != Some(StateType::Choice) {
        return;
    }
    let Some(rules) = state.get("Choices").and_then(Node::as_array) else {
        return;
    };
    let nest = state.query_language == QueryLanguage::JsonPath;
    // Iterative depth-first walk; the stack holds rules still to visit, in
    // reverse order so they come out in source order.
    let mut stack: Vec<RuleRef<'a>> = rules
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, r)| r.as_object().is_some())
        .map(|(i, r)| RuleRef {
            node: r,
            nested: false,
            path: format!("Choices[{i}]"),
        })
        .collect();
    while let Some(rule) = stack.pop() {
        f(&rule);
        if !nest {
            continue;
        }
        let mut children: Vec<RuleRef<'a>> = Vec::new();
        for m in rule.members() {
            match m.key.as_str() {
                "And" | "Or" => {
                    if let Some(items) = m.value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            if item.as_object().is_some() {
                                children.push(RuleRef {
                                    node: item,
                                    nested: true,
                                    path: format!("{}.{}[{i}]", rule.path, m.key),
                                });
                            }
                        }
                    }
                }
                "Not" if m.value.as_object().is_some() => children.push(RuleRef {
                    node: &m.value,
                    nested: true,
                    path: format!("{}.Not", rule.path),
                }),
                _ => {}
            }
        }
        stack.extend(children.into_iter().rev());
    }
}

/// A canonical text for a rule's condition, ignoring `Next`, `Comment`,
/// `Assign` and `Output` at every level and the order of object keys; two
/// rules with the same text test exactly the same thing.
pub fn canonical(rule: &Node) -> String {
    let mut out = String::new();
    write_canonical(rule, true, &mut out);
    out
}

fn write_canonical(node: &Node, rule_level: bool, out: &mut String) {
    use crate::syntax::Value;
    // Recursion depth is bounded by the parser's nesting limit.
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let f = n.as_f64();
            if f.is_finite() {
                out.push_str(&format!("{f:?}"));
            } else {
                out.push_str(n.raw());
            }
        }
        Value::String(s) => out.push_str(&format!("{s:?}")),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // Elements of And/Or are rules too.
                write_canonical(item, rule_level, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut keep: Vec<&Member> = members
                .iter()
                .filter(|m| {
                    !(rule_level
                        && matches!(m.key.as_str(), "Next" | "Comment" | "Assign" | "Output"))
                })
                .collect();
            keep.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, m) in keep.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!("{:?}:", m.key));
                // Below And/Or/Not we are still at rule level; below an
                // operand (an Assign-free literal) we are not.
                let nested_rules = rule_level && is_combinator(&m.key);
                write_canonical(&m.value, nested_rules, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Machine;
    use crate::syntax::json;

    fn first_rule(text: &str) -> Node {
        let root = json::parse(text).documents.remove(0).root;
        root.as_array().unwrap()[0].clone()
    }

    #[test]
    fn canonical_ignores_key_order_next_and_comment() {
        let a = first_rule(r#"[{ "Variable": "$.a", "NumericEquals": 1, "Next": "X" }]"#);
        let b = first_rule(
            r#"[{ "Comment": "c", "NumericEquals": 1.0, "Variable": "$.a", "Next": "Y" }]"#,
        );
        let c = first_rule(r#"[{ "Variable": "$.a", "NumericEquals": 2, "Next": "X" }]"#);
        assert_eq!(canonical(&a), canonical(&b));
        assert_ne!(canonical(&a), canonical(&c));
        let nested = first_rule(
            r#"[{ "Not": { "Variable": "$.a", "NumericEquals": 1, "Comment": "x" }, "Next": "X" }]"#,
        );
        assert_eq!(
            canonical(nested.get("Not").unwrap()),
            canonical(&a),
            "rules nested in Not are compared like top-level ones"
        );
    }

    #[test]
    fn walk_visits_nested_rules_in_order_with_paths() {
        let text = r#"{ "StartAt": "C", "States": { "C": { "Type": "Choice", "Default": "C",
            "Choices": [
              { "And": [ { "Variable": "$.a", "IsNull": true },
                         { "Not": { "Variable": "$.b", "IsNull": true } } ], "Next": "C" },
              7,
              { "Variable": "$.c", "IsPresent": true, "Next": "C" } ] } } }"#;
        let root = json::parse(text).documents.remove(0).root;
        let m = Machine::build(&root);
        let mut seen = Vec::new();
        walk(&m.states[0], |r| seen.push((r.path.clone(), r.nested)));
        let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Choices[0]",
                "Choices[0].And[0]",
                "Choices[0].And[1]",
                "Choices[0].And[1].Not",
                "Choices[2]"
            ]
        );
        assert!(!seen[0].1 && seen[1].1 && !seen[4].1);
    }

    #[test]
    fn operator_table() {
        assert_eq!(comparison("NumericLessThanEqualsPath"), Some(Operand::Path));
        assert_eq!(comparison("StringMatches"), Some(Operand::Pattern));
        assert_eq!(comparison("StringMatchesPath"), None);
        assert_eq!(comparison("IsTimestamp"), Some(Operand::TypeTest));
        assert_eq!(comparison("TimestampEquals"), Some(Operand::Timestamp));
        assert_eq!(comparison("StringEqual"), None);
    }
}
