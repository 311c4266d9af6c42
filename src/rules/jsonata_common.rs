//! What the JSONata rules (ASL330–ASL349) share: the string values of a
//! JSONata state that Step Functions evaluates as `{% … %}` expressions, and
//! the mapping of an expression's offsets back to the file.

use crate::jsonata::{self, Template};
use crate::model::{Machine, QueryLanguage, State, StateType};
use crate::rules::jsonpath_sites::ValueMap;
use crate::rules::LintContext;
use crate::syntax::{Node, TextRange, Value};
use std::collections::HashSet;

/// Where a value is evaluated, which decides what `$states` holds there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Top-level `Output` or `Assign` of a Task, Parallel or Map state:
    /// `$states.result` is available.
    Result,
    /// `Output` or `Assign` of a catcher: `$states.errorOutput` is available.
    Catch,
    /// `Arguments` of a Task or Parallel state (or of an item reader/writer).
    Arguments,
    /// Everywhere else: only `$states.input` and `$states.context`.
    Other,
}

/// The kind of value a field needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Any,
    Number,
    Boolean,
}

/// One string value of a JSONata state that Step Functions evaluates.
pub struct Site<'a> {
    pub state: &'a State<'a>,
    /// The field as a user names it: `Arguments.Payload.id`, `Catch[0].Output`.
    pub field: String,
    /// The string node.
    pub node: &'a Node,
    pub value: &'a str,
    pub slot: Slot,
    pub expect: Expect,
}

/// The fields of a state whose strings may be JSONata, with their slot and
/// what they need.
fn fields(state: &State<'_>) -> Vec<(&'static str, Slot, Expect)> {
    let Some(ty) = state.state_type else {
        return Vec::new();
    };
    let produces_result = matches!(ty, StateType::Task | StateType::Parallel | StateType::Map);
    let out_slot = if produces_result {
        Slot::Result
    } else {
        Slot::Other
    };
    let mut f = Vec::new();
    if ty != StateType::Fail {
        f.push(("Output", out_slot, Expect::Any));
    }
    if !matches!(ty, StateType::Fail | StateType::Succeed) {
        f.push(("Assign", out_slot, Expect::Any));
    }
    match ty {
        StateType::Task => {
            f.push(("Arguments", Slot::Arguments, Expect::Any));
            f.push(("TimeoutSeconds", Slot::Other, Expect::Number));
            f.push(("HeartbeatSeconds", Slot::Other, Expect::Number));
            f.push(("Credentials", Slot::Other, Expect::Any));
        }
        StateType::Parallel => f.push(("Arguments", Slot::Arguments, Expect::Any)),
        StateType::Map => {
            f.push(("Items", Slot::Other, Expect::Any));
            f.push(("ItemSelector", Slot::Other, Expect::Any));
            f.push(("ItemReader", Slot::Arguments, Expect::Any));
            f.push(("ItemBatcher", Slot::Other, Expect::Any));
            f.push(("ResultWriter", Slot::Arguments, Expect::Any));
            f.push(("MaxConcurrency", Slot::Other, Expect::Number));
            f.push(("ToleratedFailurePercentage", Slot::Other, Expect::Number));
            f.push(("ToleratedFailureCount", Slot::Other, Expect::Number));
        }
        StateType::Wait => {
            f.push(("Seconds", Slot::Other, Expect::Number));
            f.push(("Timestamp", Slot::Other, Expect::Any));
        }
        StateType::Fail => {
            f.push(("Error", Slot::Other, Expect::Any));
            f.push(("Cause", Slot::Other, Expect::Any));
        }
        StateType::Pass | StateType::Choice | StateType::Succeed => {}
    }
    f
}

/// Nested fields that need a number, by the path below a top-level field.
const NESTED_NUMBERS: &[(&str, &str)] = &[
    ("ItemReader", "ReaderConfig.MaxItems"),
    ("ItemBatcher", "MaxItemsPerBatch"),
    ("ItemBatcher", "MaxInputBytesPerBatch"),
];

/// Keys of nested objects that hold constants, not expressions.
fn constant_key(top: &str, key: &str, depth: usize) -> bool {
    depth == 0 && matches!((top, key), ("ItemReader" | "ResultWriter", "Resource"))
}

/// Every string of every JSONata state that Step Functions evaluates (or
/// would, were it written `{% … %}`), in source order.
pub fn sites<'a>(machine: &'a Machine<'a>) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    for state in &machine.states {
        if state.query_language != QueryLanguage::Jsonata {
            continue;
        }
        for (name, slot, expect) in fields(state) {
            if let Some(node) = state.get(name) {
                collect(state, name, name.to_string(), node, slot, expect, &mut out);
            }
        }
        if state.state_type.is_some_and(StateType::can_retry_or_catch) {
            if let Some(catchers) = state.get("Catch").and_then(Node::as_array) {
                for (i, c) in catchers.iter().enumerate() {
                    for key in ["Output", "Assign"] {
                        if let Some(node) = c.get(key) {
                            let field = format!("Catch[{i}].{key}");
                            collect(state, key, field, node, Slot::Catch, Expect::Any, &mut out);
                        }
                    }
                }
            }
        }
        if state.state_type == Some(StateType::Choice) {
            if let Some(rules) = state.get("Choices").and_then(Node::as_array) {
                for (i, r) in rules.iter().enumerate() {
                    for (key, expect) in [
                        ("Condition", Expect::Boolean),
                        ("Output", Expect::Any),
                        ("Assign", Expect::Any),
                    ] {
                        if let Some(node) = r.get(key) {
                            let field = format!("Choices[{i}].{key}");
                            collect(state, key, field, node, Slot::Other, expect, &mut out);
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|s| s.node.range);
    out
}

/// Adds the strings of `node` (recursively through objects and arrays).
fn collect<'a>(
    state: &'a State<'a>,
    top: &str,
    field: String,
    node: &'a Node,
    slot: Slot,
    expect: Expect,
    out: &mut Vec<Site<'a>>,
) {
    // (node, field path, path below the top field, depth, expectation)
    let mut stack: Vec<(&'a Node, String, String, usize, Expect)> =
        vec![(node, field, String::new(), 0, expect)];
    while let Some((n, path, rel, depth, expect)) = stack.pop() {
        match &n.value {
            Value::String(s) => out.push(Site {
                state,
                field: path,
                node: n,
                value: s,
                slot,
                expect,
            }),
            Value::Object(members) => {
                for m in members.iter().rev() {
                    if constant_key(top, &m.key, depth) {
                        continue;
                    }
                    let rel = if rel.is_empty() {
                        m.key.clone()
                    } else {
                        format!("{rel}.{}", m.key)
                    };
                    let expect = if NESTED_NUMBERS.contains(&(top, rel.as_str())) {
                        Expect::Number
                    } else {
                        Expect::Any
                    };
                    stack.push((
                        &m.value,
                        format!("{path}.{}", m.key),
                        rel,
                        depth + 1,
                        expect,
                    ));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let rel = format!("{rel}[{i}]");
                    stack.push((item, format!("{path}[{i}]"), rel, depth + 1, Expect::Any));
                }
            }
            _ => {}
        }
    }
}

/// `span` of an expression starting `offset` bytes into the value of `node`,
/// as a range of the value; an empty span covers the next character.
fn value_span(node: &Node, offset: usize, span: TextRange) -> TextRange {
    let start = offset + span.start();
    let mut end = offset + span.end();
    if end == start {
        let next = node
            .as_str()
            .and_then(|v| v.get(start..))
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        end = start + next;
    }
    TextRange::new(start, end)
}

/// A `{% … %}` expression of a [`Site`], parsed.
pub struct Expression<'a> {
    /// The text between the delimiters.
    pub text: &'a str,
    /// Where `text` starts in the string value.
    pub offset: usize,
    /// The expression with each deploy-time placeholder `${…}` read as an
    /// opaque operand (see [`holes`]).
    pub parsed: Result<jsonata::Expr, jsonata::Error>,
    /// The placeholders, as ranges of `text`.
    pub holes: Vec<TextRange>,
}

impl Expression<'_> {
    /// True when `span` (a range of `text`) overlaps a placeholder or starts
    /// right after one: what is found there depends on the value the
    /// deployment puts in.
    pub fn touches_hole(&self, span: TextRange) -> bool {
        self.holes
            .iter()
            .any(|h| span.start() <= h.end() && h.start() <= span.end())
    }
}

/// A [`Site`] and its expression, when its value is one.
pub struct Parsed<'a> {
    pub site: Site<'a>,
    pub expression: Option<Expression<'a>>,
    /// The string's map to the file, built on first use: a string with
    /// thousands of findings is decoded once.
    map: std::sync::OnceLock<ValueMap>,
}

impl<'a> Parsed<'a> {
    /// The file range of `span`, a range of the expression (an empty span
    /// covers the next character).
    pub fn range(&self, cx: &LintContext<'_>, span: TextRange) -> TextRange {
        let offset = self.expression.as_ref().map_or(0, |e| e.offset);
        self.map
            .get_or_init(|| ValueMap::new(cx, self.site.node))
            .range(value_span(self.site.node, offset, span))
    }
    /// The parsed expression, when the value is one and it parses.
    pub fn expr(&self) -> Option<(&Expression<'a>, &jsonata::Expr)> {
        let e = self.expression.as_ref()?;
        e.parsed.as_ref().ok().map(|x| (e, x))
    }
}

/// Every evaluated string of the JSONata states with its expression parsed
/// once: what [`LintContext::jsonata_sites`] shares among the rules.
pub fn parse_all<'a>(machine: &'a Machine<'a>) -> Vec<Parsed<'a>> {
    sites(machine)
        .into_iter()
        .map(|site| {
            let expression = match jsonata::template(site.value) {
                Template::Expression { text, offset } => {
                    let (parsed, holes) = parse_with_holes(text);
                    Some(Expression {
                        text,
                        offset,
                        parsed,
                        holes,
                    })
                }
                _ => None,
            };
            Parsed {
                site,
                expression,
                map: std::sync::OnceLock::new(),
            }
        })
        .collect()
}

/// The deploy-time placeholders `${…}` of an expression (CloudFormation
/// `DefinitionSubstitutions`, SAM, Terraform `templatefile`): each is the
/// text from `${` to the next `}`.
pub fn holes(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|r| r.find("${")) {
        let start = from + i;
        let Some(j) = text[start + 2..].find('}') else {
            break;
        };
        let end = start + 2 + j + 1;
        out.push(TextRange::new(start, end));
        from = end;
    }
    out
}

/// Parses an expression whose placeholders are replaced by a name of the
/// same length (`${Threshold}` reads as `____________`): an operand of
/// unknown value, so that `$states.input.n > ${Threshold}` parses as it will
/// after substitution. Offsets are unchanged.
fn parse_with_holes(text: &str) -> (Result<jsonata::Expr, jsonata::Error>, Vec<TextRange>) {
    let holes = holes(text);
    if holes.is_empty() {
        return (jsonata::parse(text), holes);
    }
    let mut filled = String::with_capacity(text.len());
    let mut at = 0;
    for h in &holes {
        filled.push_str(&text[at..h.start()]);
        filled.extend(std::iter::repeat_n('_', h.len()));
        at = h.end();
    }
    filled.push_str(&text[at..]);
    (jsonata::parse(&filled), holes)
}

/// Names assigned anywhere in the machine (`Assign` of states, catchers and
/// Choice rules, in either query language; a JSONPath `x.$` assigns `x`).
pub fn workflow_variables<'a>(machine: &'a Machine<'a>) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    let mut add = |assign: Option<&'a Node>| {
        for m in assign.and_then(Node::as_object).unwrap_or(&[]) {
            out.insert(m.key.strip_suffix(".$").unwrap_or(&m.key));
        }
    };
    for state in &machine.states {
        add(state.get("Assign"));
        for list in ["Catch", "Choices"] {
            for item in state.get(list).and_then(Node::as_array).unwrap_or(&[]) {
                add(item.get("Assign"));
            }
        }
    }
    out
}
