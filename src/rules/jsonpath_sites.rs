//! Where JSONPath states keep paths, payload templates and intrinsic calls;
//! shared by the data rules (ASL3xx). Declares no rule.
//!
//! Only states whose effective query language is JSONPath are visited. Every
//! walk is linear in the size of the definition: each state is visited once,
//! each template node once.

use crate::model::{Machine, QueryLanguage, State, StateType};
use crate::paths::{self, Call, Path, PathError, PathKind};
use crate::rules::LintContext;
use crate::syntax::{Member, Node, TextRange, Value};
use std::borrow::Cow;
use std::fmt;

/// What a path field must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathField {
    /// `InputPath`, `OutputPath`: a Path or null.
    Path,
    /// `ResultPath` (state and Catcher): a Reference Path or null, not into `$$` or a variable.
    ResultPath,
    /// `ItemsPath`, the `…Path` fields, Choice `Variable` and `…Path` operators.
    Reference,
    /// Fail `ErrorPath`/`CausePath`: a Reference Path or a string-returning intrinsic.
    ErrorOrCause,
}

/// One path field of one state.
pub struct PathSite<'a> {
    pub state: &'a State<'a>,
    /// The field as a user would name it: `InputPath`, `Choices[0].Variable`
    /// (borrowed for fixed names: enumerating sites allocates little).
    pub field: Cow<'static, str>,
    pub node: &'a Node,
    pub kind: PathField,
}

/// One payload template (or JSONPath `Assign`) of one state.
pub struct TemplateSite<'a> {
    pub state: &'a State<'a>,
    /// `Parameters`, `ItemReader.Parameters`, `Catch[0].Assign` …
    pub field: Cow<'static, str>,
    pub node: &'a Node,
    /// A Map state's `ItemSelector` or (deprecated) `Parameters`, where
    /// `$$.Map.Item` is defined.
    pub map_selector: bool,
}

/// The JSONPath states of a machine.
pub fn jsonpath_states<'a>(machine: &'a Machine<'a>) -> impl Iterator<Item = &'a State<'a>> {
    machine
        .states
        .iter()
        .filter(|s| s.query_language == QueryLanguage::JsonPath && s.node.as_object().is_some())
}

/// The state-level path fields, by the bit `path_fields` tracks them with.
const FIELD_NAMES: [&str; 13] = [
    "InputPath",
    "OutputPath",
    "ResultPath",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
    "ErrorPath",
    "CausePath",
];

/// Calls `f` for every path field of every JSONPath state.
pub fn path_fields<'a>(machine: &'a Machine<'a>, mut f: impl FnMut(PathSite<'a>)) {
    for state in jsonpath_states(machine) {
        // Field names are built only for fields that are present.
        let mut site = |field: Cow<'static, str>, node: &'a Node, kind: PathField| {
            f(PathSite {
                state,
                field,
                node,
                kind,
            });
        };
        let Some(members) = state.node.as_object() else {
            continue;
        };
        // One pass over the state's members (first copy of a key wins, as in
        // `Node::get`), instead of one lookup per known field.
        let mut seen: u32 = 0;
        for m in members {
            let Some(bit) = FIELD_NAMES.iter().position(|n| *n == m.key) else {
                continue;
            };
            let kind = match bit {
                0 | 1 => PathField::Path,
                2 => PathField::ResultPath,
                11 | 12 => PathField::ErrorOrCause,
                _ => PathField::Reference,
            };
            if seen & (1 << bit) != 0 {
                continue;
            }
            seen |= 1 << bit;
            site(Cow::Borrowed(FIELD_NAMES[bit]), &m.value, kind);
        }
        if let Some(rc) = state.get("ItemReader").and_then(|r| r.get("ReaderConfig")) {
            if let Some(n) = rc.get("MaxItemsPath") {
                site(
                    Cow::Borrowed("ItemReader.ReaderConfig.MaxItemsPath"),
                    n,
                    PathField::Reference,
                );
            }
        }
        if let Some(b) = state.get("ItemBatcher") {
            for key in ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"] {
                if let Some(n) = b.get(key) {
                    site(
                        Cow::Owned(format!("ItemBatcher.{key}")),
                        n,
                        PathField::Reference,
                    );
                }
            }
        }
        if let Some(catchers) = state.get("Catch").and_then(Node::as_array) {
            for (i, c) in catchers.iter().enumerate() {
                if let Some(n) = c.get("ResultPath") {
                    site(
                        Cow::Owned(format!("Catch[{i}].ResultPath")),
                        n,
                        PathField::ResultPath,
                    );
                }
            }
        }
        if matches!(state.state_type, Some(StateType::Choice) | None) {
            if let Some(rules) = state.get("Choices").and_then(Node::as_array) {
                // Choice rules nest through And/Or (arrays) and Not (object).
                let mut stack: Vec<(String, &'a Node)> = rules
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, r)| (format!("Choices[{i}]"), r))
                    .collect();
                while let Some((prefix, rule)) = stack.pop() {
                    let Some(members) = rule.as_object() else {
                        continue;
                    };
                    for m in members {
                        if m.key == "Variable" || m.key.ends_with("Path") {
                            site(
                                Cow::Owned(format!("{prefix}.{}", m.key)),
                                &m.value,
                                PathField::Reference,
                            );
                        }
                    }
                    if let Some(not) = rule.get("Not") {
                        stack.push((format!("{prefix}.Not"), not));
                    }
                    for key in ["And", "Or"] {
                        if let Some(subs) = rule.get(key).and_then(Node::as_array) {
                            for (i, r) in subs.iter().enumerate().rev() {
                                stack.push((format!("{prefix}.{key}[{i}]"), r));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Calls `f` for every payload template and JSONPath `Assign` of every
/// JSONPath state.
pub fn templates<'a>(machine: &'a Machine<'a>, mut f: impl FnMut(TemplateSite<'a>)) {
    for state in jsonpath_states(machine) {
        let is_map = state.state_type == Some(StateType::Map);
        let mut site = |field: Cow<'static, str>, node: &'a Node, map_selector: bool| {
            f(TemplateSite {
                state,
                field,
                node,
                map_selector,
            });
        };
        for key in ["Parameters", "ItemSelector"] {
            if let Some(n) = state.get(key) {
                site(Cow::Borrowed(key), n, is_map);
            }
        }
        for key in ["ResultSelector", "Credentials", "Assign"] {
            if let Some(n) = state.get(key) {
                site(Cow::Borrowed(key), n, false);
            }
        }
        for (key, field) in [
            ("ItemReader", "ItemReader.Parameters"),
            ("ResultWriter", "ResultWriter.Parameters"),
        ] {
            if let Some(p) = state.get(key).and_then(|r| r.get("Parameters")) {
                site(Cow::Borrowed(field), p, false);
            }
        }
        if let Some(b) = state.get("ItemBatcher").and_then(|b| b.get("BatchInput")) {
            site(Cow::Borrowed("ItemBatcher.BatchInput"), b, false);
        }
        for key in ["Catch", "Choices"] {
            if let Some(items) = state.get(key).and_then(Node::as_array) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(n) = item.get("Assign") {
                        site(Cow::Owned(format!("{key}[{i}].Assign")), n, false);
                    }
                }
            }
        }
    }
}

/// Calls `f` with the members of every object inside `node` (itself
/// included), through nested objects and arrays, in source order.
pub fn objects<'a>(node: &'a Node, mut f: impl FnMut(&'a [Member])) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Object(members) => {
                f(members);
                stack.extend(members.iter().rev().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// What the string of a `.$` key (or a path field) is meant to be.
pub enum Expr {
    /// Starts with `$` (after optional whitespace).
    Path(Result<Path, PathError>),
    /// Looks like a function call, see [`paths::looks_like_intrinsic`].
    Intrinsic(Result<Call, PathError>),
    /// Neither.
    Other,
}

pub fn classify(s: &str) -> Expr {
    if s.trim_start().starts_with('$') {
        Expr::Path(paths::parse_path(s))
    } else if paths::looks_like_intrinsic(s) {
        Expr::Intrinsic(paths::parse_intrinsic(s))
    } else {
        Expr::Other
    }
}

/// In a path field: a string meant as an intrinsic call (a function name and
/// a parenthesis), reported by `intrinsic-function` rather than as a bad path.
pub fn looks_like_call(s: &str) -> bool {
    paths::looks_like_intrinsic(s) && s.contains('(')
}

/// When a literal string would be evaluated if its key ended in `.$`: what it
/// looks like ("a path", "an intrinsic function call" …). Bare `$` and `$$`,
/// `$LATEST`, prices like `$5.00` and error names like `States.ALL` do not count.
pub fn looks_dynamic(s: &str) -> Option<&'static str> {
    if s.starts_with('$') {
        let p = paths::parse_path(s).ok()?;
        if s.trim_end() != s {
            return None;
        }
        return match p.kind {
            PathKind::Root => None,
            PathKind::Input => Some("a path"),
            PathKind::Context if p.segments.is_empty() => None,
            PathKind::Context => Some("a context object path"),
            PathKind::Variable if p.variable.as_ref().is_some_and(|v| v.0 == "LATEST") => None,
            PathKind::Variable => Some("a variable reference"),
        };
    }
    if s.starts_with("States.") && s.contains('(') {
        return paths::parse_intrinsic(s)
            .ok()
            .map(|_| "an intrinsic function call");
    }
    None
}

/// The file range of `inner` (a range inside the string value of `node`).
/// For several ranges of one string, build a [`ValueMap`] once.
pub fn inner_range(cx: &LintContext<'_>, node: &Node, inner: TextRange) -> TextRange {
    ValueMap::new(cx, node).range(inner)
}

/// Maps byte ranges inside the value of a string node to ranges of the file,
/// through the escapes of a JSON string (`\"`, `\\`, `\u00e9`) and the
/// quoting, folding and indentation of YAML scalars, with the source map
/// template definitions use ([`crate::template::mapping`]). A range that
/// starts or ends inside an escape covers the whole escape; a string whose
/// quoting cannot be followed maps every range to the whole string.
pub struct ValueMap {
    how: How,
    /// The length of the value.
    len: usize,
}

enum How {
    /// The value is written as it is from this offset on (no escapes).
    Direct(usize),
    Mapped(crate::template::mapping::SourceMap),
    /// Not a string, or not written where the node says: the node's range.
    Whole(TextRange),
}

impl ValueMap {
    /// The map of string node `node` of the document being linted.
    pub fn new(cx: &LintContext<'_>, node: &Node) -> Self {
        let yaml = cx.file.format == crate::syntax::Format::Yaml;
        ValueMap::in_text(cx.text(), yaml, node)
    }

    /// The map of string node `node` of `text`, read by the YAML parser when
    /// `yaml` is set, else by the JSON parser.
    pub fn in_text(text: &str, yaml: bool, node: &Node) -> Self {
        let Some(value) = node.as_str() else {
            return ValueMap {
                how: How::Whole(node.range),
                len: 0,
            };
        };
        let len = value.len();
        let raw = text.get(node.range.start()..node.range.end()).unwrap_or("");
        // Most strings are written as they are: no decoding needed.
        let quoted = raw.len() >= 2
            && (raw.starts_with('"') && raw.ends_with('"')
                || raw.starts_with('\'') && raw.ends_with('\''));
        if quoted && &raw[1..raw.len() - 1] == value {
            return ValueMap {
                how: How::Direct(node.range.start() + 1),
                len,
            };
        }
        if yaml && !quoted && raw == value {
            return ValueMap {
                how: How::Direct(node.range.start()),
                len,
            };
        }
        let mut b = crate::template::mapping::Builder::new(text);
        b.push_string(node, yaml);
        let (built, map) = b.finish();
        if built != value || map.is_empty() {
            return ValueMap {
                how: How::Whole(node.range),
                len,
            };
        }
        ValueMap {
            how: How::Mapped(map),
            len,
        }
    }

    /// The file range of `inner`, a range of the value (clamped to it).
    pub fn range(&self, inner: TextRange) -> TextRange {
        let start = inner.start().min(self.len);
        let end = inner.end().clamp(start, self.len);
        match &self.how {
            How::Direct(at) => TextRange::new(at + start, at + end),
            How::Mapped(map) => map.map_range(TextRange::new(start, end)),
            How::Whole(r) => *r,
        }
    }
}

/// One string that Step Functions evaluates as a path or intrinsic call.
pub struct ExprSite<'a> {
    pub state: &'a State<'a>,
    /// How to name it in a message: "`InputPath`", "`Input.$` in `Parameters`"
    /// (formatted only when a message is written).
    pub what: What<'a>,
    pub node: &'a Node,
    pub text: &'a str,
    /// May hold an intrinsic call (template values, ErrorPath/CausePath).
    pub intrinsics: bool,
    /// Inside a Map state's `ItemSelector`/`Parameters`.
    pub map_selector: bool,
    /// The path field kind, `None` for template values.
    pub field: Option<PathField>,
    /// For a template value: the key of the template's top-level member it
    /// lies in (`total` for `"Assign": {"total": {"a.$": "$.x"}}`).
    pub top_key: Option<&'a str>,
}

/// The name of an [`ExprSite`] in messages; formats as "`InputPath`" or
/// "`Input.$` in `Parameters`".
#[derive(Clone, Debug)]
pub struct What<'a> {
    /// The template key, for a template value.
    pub key: Option<&'a str>,
    /// The path field or the template's field.
    pub field: Cow<'static, str>,
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key {
            Some(key) => write!(f, "`{key}` in `{}`", self.field),
            None => write!(f, "`{}`", self.field),
        }
    }
}

/// Calls `f` for every evaluated string of every JSONPath state: string path
/// fields and the string values of `.$` keys in templates.
pub fn expressions<'a>(machine: &'a Machine<'a>, mut f: impl FnMut(ExprSite<'a>)) {
    path_fields(machine, |site| {
        if let Some(text) = site.node.as_str() {
            f(ExprSite {
                state: site.state,
                what: What {
                    key: None,
                    field: site.field,
                },
                node: site.node,
                text,
                intrinsics: site.kind == PathField::ErrorOrCause,
                map_selector: false,
                field: Some(site.kind),
                top_key: None,
            });
        }
    });
    templates(machine, |site| {
        let Some(top) = site.node.as_object() else {
            return;
        };
        for t in top {
            let mut visit = |m: &'a Member| {
                if !m.key.ends_with(".$") {
                    return;
                }
                if let Some(text) = m.value.as_str() {
                    f(ExprSite {
                        state: site.state,
                        what: What {
                            key: Some(&m.key),
                            field: site.field.clone(),
                        },
                        node: &m.value,
                        text,
                        intrinsics: true,
                        map_selector: site.map_selector,
                        field: None,
                        top_key: Some(&t.key),
                    });
                }
            };
            visit(t);
            objects(&t.value, |members| members.iter().for_each(&mut visit));
        }
    });
}

/// One evaluated string of a JSONPath state with what it parsed to.
pub struct ParsedSite<'a> {
    pub site: ExprSite<'a>,
    /// A path field holds a path unless it looks like a call; a template
    /// value is classified by [`classify`].
    pub expr: Expr,
}

impl ParsedSite<'_> {
    /// Every path written in the string: the path itself, or the path
    /// arguments of an intrinsic call where calls are evaluated.
    pub fn paths(&self, mut f: impl FnMut(&Path)) {
        match &self.expr {
            Expr::Path(Ok(p)) => f(p),
            Expr::Intrinsic(Ok(call)) if self.site.intrinsics => call.paths(&mut f),
            _ => {}
        }
    }
}

/// Every evaluated string of every JSONPath state, parsed once: what
/// [`crate::rules::LintContext::jsonpath_sites`] shares among the rules.
pub fn parse_all<'a>(machine: &'a Machine<'a>) -> Vec<ParsedSite<'a>> {
    let mut out = Vec::new();
    expressions(machine, |site| {
        let expr = if site.field.is_some() {
            if looks_like_call(site.text) {
                Expr::Intrinsic(paths::parse_intrinsic(site.text))
            } else {
                Expr::Path(paths::parse_path(site.text))
            }
        } else {
            classify(site.text)
        };
        out.push(ParsedSite { site, expr });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_looks_dynamic() {
        assert_eq!(looks_dynamic("$.a.b"), Some("a path"));
        assert_eq!(looks_dynamic("$[0]"), Some("a path"));
        assert_eq!(
            looks_dynamic("$$.Execution.Id"),
            Some("a context object path")
        );
        assert_eq!(looks_dynamic("$myVar"), Some("a variable reference"));
        assert_eq!(
            looks_dynamic("States.Format('{}', $.a)"),
            Some("an intrinsic function call")
        );
        for s in [
            "$",
            "$$",
            "$LATEST",
            "$5.00",
            "$ 5",
            "States.ALL",
            "States.Format is a function",
            "States.Format('{}'",
            "${Placeholder}",
            "arn:${AWS::Partition}:lambda",
            "$.a b",
            "$.a ",
            "plain",
            "",
        ] {
            assert_eq!(looks_dynamic(s), None, "{s:?}");
        }
    }

    #[test]
    fn classification() {
        assert!(matches!(classify("$.a"), Expr::Path(Ok(_))));
        assert!(matches!(classify(" $.a"), Expr::Path(Err(_))));
        assert!(matches!(classify("States.UUID()"), Expr::Intrinsic(Ok(_))));
        assert!(matches!(
            classify(" States.UUID()"),
            Expr::Intrinsic(Err(_))
        ));
        assert!(matches!(classify("order.id"), Expr::Other));
    }

    /// The file text of the range `inner` of the string value of `node`.
    fn mapped(text: &str, yaml: bool, inner: (usize, usize)) -> String {
        let parsed = crate::syntax::parse(
            text,
            if yaml {
                crate::syntax::Format::Yaml
            } else {
                crate::syntax::Format::Json
            },
        );
        let root = &parsed.documents[0].root;
        let node = &root.as_object().expect("an object")[0].value;
        let r = ValueMap::in_text(text, yaml, node).range(TextRange::new(inner.0, inner.1));
        text[r.start()..r.end()].to_string()
    }

    #[test]
    fn value_ranges_map_through_escapes_and_yaml_quoting() {
        // JSON without escapes: one to one after the quote.
        assert_eq!(mapped(r#"{"k": "$.a b"}"#, false, (3, 4)), " ");
        // JSON escapes before the range shift it; an escape itself is covered whole.
        assert_eq!(mapped(r#"{"k": "$.\u0061\" b"}"#, false, (3, 4)), "\\\"");
        assert_eq!(mapped(r#"{"k": "$.\u0061\" b"}"#, false, (4, 6)), " b");
        assert_eq!(mapped(r#"{"k": "caf\u00e9 x"}"#, false, (6, 7)), "x");
        // YAML plain, quoted, block and folded scalars.
        assert_eq!(mapped("k: $.a b\n", true, (3, 4)), " ");
        assert_eq!(mapped("k: '$.a b'\n", true, (4, 5)), "b");
        assert_eq!(mapped("k: 'it''s x'\n", true, (5, 6)), "x");
        assert_eq!(mapped("k: \"a\\tb x\"\n", true, (4, 5)), "x");
        assert_eq!(mapped("k: |\n  line one\n  two x\n", true, (13, 14)), "x");
        assert_eq!(mapped("k: >-\n  one\n  two x\n", true, (8, 9)), "x");
        // Out of range: clamped to the value.
        assert_eq!(mapped(r#"{"k": "ab"}"#, false, (5, 9)), "");
    }
}
