//! Structural validation against `schemas/asl.schema.json`.
//!
//! The schema is embedded and compiled once per process. A document is
//! converted to `serde_json` (the first copy of a duplicated key wins, as in
//! [`Node::get`]), validated, and every error is mapped back onto the spanned
//! tree through its instance path and rewritten as a finding of
//! `unknown-field` (an `additionalProperties` error: the offending *key* is
//! highlighted, with a "did you mean" and, when one name is close, a fix) or
//! `schema-violation` (everything else: the offending value is highlighted,
//! or for a missing field the key naming the object that lacks it, or for a
//! field of the other query language — a `false` schema — its key).
//!
//! The `schema-violation` findings about a value are returned to the lint
//! pipeline, which drops those a dedicated rule reports on the same node.
//!
//! The schema dispatches states on `Type` with `if`/`then`, so a failing state
//! yields the leaf errors of its own type only; on top of that at most one
//! error is kept per node, and a missing required field is not reported when
//! an unknown key next to it is a misspelling of it.

use crate::diagnostic::Fix;
use crate::rules::schema_violation::SCHEMA_VIOLATION;
use crate::rules::unknown_field::UNKNOWN_FIELD;
use crate::rules::util::{has_placeholder, rename_key_fix};
use crate::rules::{closest, Sink};
use crate::syntax::{pointer, Member, Node, TextRange, Value};
use jsonschema::error::ValidationErrorKind;
use rayon::prelude::*;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::OnceLock;

const SCHEMA_TEXT: &str = include_str!("../schemas/asl.schema.json");

/// The `pattern` the schema uses for JSONata expressions (`{% … %}`).
const JSONATA_PATTERN: &str = r"^\{%[\s\S]*%\}$";

const STATE_TYPES: [&str; 8] = [
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// The JSON Schema of Amazon States Language, as embedded in the binary.
pub fn schema_text() -> &'static str {
    SCHEMA_TEXT
}

struct Compiled {
    schema: Json,
    validator: jsonschema::Validator,
}

/// The parsed and compiled schema, built on first use. `None` only if the
/// embedded schema were broken, which a unit test rules out.
fn compiled() -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Option<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema: Json = serde_json::from_str(SCHEMA_TEXT).ok()?;
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&schema)
                .ok()?;
            Some(Compiled { schema, validator })
        })
        .as_ref()
}

/// Converts the spanned tree to `serde_json`. The first copy of a duplicated
/// key wins; numbers keep their lexeme where `serde_json` can hold it and
/// saturate to ±`f64::MAX` where it cannot (`1e999999`).
pub fn to_json(node: &Node) -> Json {
    convert(node, Role::Other)
}

/// State fields whose content the schema never looks into: it checks at most
/// their type (and a `pattern`, which applies to strings only). See
/// [`instance`].
const OPAQUE_STATE_FIELDS: [&str; 8] = [
    "Parameters",
    "Arguments",
    "ResultSelector",
    "Result",
    "Output",
    "Assign",
    "ItemSelector",
    "Credentials",
];

/// Where a node sits, for [`instance`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An object with `StartAt` and `States`: the root, a branch, a processor.
    Scope,
    /// A scope's `States` object.
    States,
    /// A state object.
    State,
    /// Anything else: converted in full.
    Other,
}

/// The instance the schema validates: [`to_json`] of the root, except that
/// the [`OPAQUE_STATE_FIELDS`] of every state are reduced to a value of the
/// same type with nothing inside (`{}`, `[]`; scalars as they are). Payload
/// templates are most of a definition, and copying them only for the
/// validator to skip them was a third of the time of a lint; the result of
/// validation is the same (a unit test checks the schema still allows this).
/// With `states`, only that slice of the top-level states is included
/// (`firsts` tells which members are the first of their name).
fn instance(root: &Node, states: Option<(std::ops::Range<usize>, &[bool])>) -> Json {
    let (Some((range, firsts)), Some(members)) = (states, root.as_object()) else {
        return convert(root, Role::Scope);
    };
    let mut map = serde_json::Map::with_capacity(members.len());
    for m in members {
        if map.contains_key(&m.key) {
            continue;
        }
        let value = match (&m.key[..], &m.value.value) {
            ("States", Value::Object(states)) => {
                // The slice, without later copies of a name (the first copy
                // wins, as everywhere).
                let mut slice = serde_json::Map::with_capacity(range.len());
                for i in range.clone() {
                    if let (Some(s), Some(true)) = (states.get(i), firsts.get(i)) {
                        slice.insert(s.key.clone(), convert(&s.value, Role::State));
                    }
                }
                Json::Object(slice)
            }
            _ => convert(&m.value, Role::Other),
        };
        map.insert(m.key.clone(), value);
    }
    Json::Object(map)
}

fn convert(node: &Node, role: Role) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            if let Ok(num) = serde_json::Number::from_str(n.raw()) {
                return Json::Number(num);
            }
            let f = n.as_f64();
            if f.is_nan() {
                return Json::Null;
            }
            let f = if f.is_infinite() {
                f64::MAX.copysign(f)
            } else {
                f
            };
            serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
        }
        Value::String(s) => Json::String(s.clone()),
        Value::Array(items) => {
            // A Parallel state's branches are scopes; other arrays are data.
            let inner = if role == Role::Scope {
                Role::Scope
            } else {
                Role::Other
            };
            Json::Array(items.iter().map(|n| convert(n, inner)).collect())
        }
        Value::Object(members) => {
            let mut map = serde_json::Map::with_capacity(members.len());
            for m in members {
                // One hash per key; a later copy of a key is skipped.
                let serde_json::map::Entry::Vacant(slot) = map.entry(m.key.clone()) else {
                    continue;
                };
                let value = match role {
                    Role::Scope if m.key == "States" => convert(&m.value, Role::States),
                    Role::States => convert(&m.value, Role::State),
                    Role::State => match m.key.as_str() {
                        // An array of scopes: the items get `Role::Scope`.
                        "Branches" | "ItemProcessor" | "Iterator" => convert(&m.value, Role::Scope),
                        key if OPAQUE_STATE_FIELDS.contains(&key) => skeleton(&m.value),
                        _ => convert(&m.value, Role::Other),
                    },
                    _ => convert(&m.value, Role::Other),
                };
                slot.insert(value);
            }
            Json::Object(map)
        }
    }
}

/// A value of the same JSON type as `node` with nothing inside.
fn skeleton(node: &Node) -> Json {
    match &node.value {
        Value::Array(_) => Json::Array(Vec::new()),
        Value::Object(_) => Json::Object(serde_json::Map::new()),
        _ => convert(node, Role::Other),
    }
}

/// A `schema-violation` finding about a value (its type, range, length,
/// allowed values …), as opposed to one about a missing field: the range and
/// pointer of the value. A rule that reports on the same node says the same
/// thing better, and the lint pipeline then drops the schema's finding (see
/// [`crate::lint::lint_document`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ValueFinding {
    pub range: TextRange,
    pub pointer: String,
}

/// Validates `root` (parsed from `text`) against the schema and reports
/// `schema-violation` and `unknown-field` findings. Returns the
/// `schema-violation` findings that are about a value (not a missing field),
/// for de-duplication.
pub fn check(root: &Node, text: &str, sink: &mut Sink<'_>) -> Vec<ValueFinding> {
    if !sink.enabled(&SCHEMA_VIOLATION) && !sink.enabled(&UNKNOWN_FIELD) {
        return Vec::new();
    }
    let Some(c) = compiled() else {
        return Vec::new();
    };
    let mut resolver = Resolver::new(root);
    let mut findings = Vec::new();
    // One finding per node; a node may lack several required fields, though.
    let mut seen_nodes: HashSet<(String, String)> = HashSet::new();
    let mut seen_keys: HashSet<TextRange> = HashSet::new();
    let slices = batches(root);
    // Which top-level states are the first of their name (computed once).
    let firsts: Vec<bool> = if slices.len() > 1 {
        let mut seen = HashSet::new();
        root.get("States")
            .and_then(Node::as_object)
            .map(|states| states.iter().map(|s| seen.insert(s.key.as_str())).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    // The slices are validated on rayon's threads; their errors (rare, and
    // owned so that they outlive their instance) are collected in order.
    let by_slice: Vec<Vec<jsonschema::ValidationError<'static>>> = slices
        .into_par_iter()
        .map(|batch| {
            let instance = instance(root, batch.map(|r| (r, firsts.as_slice())));
            let errors: Vec<_> = c
                .validator
                .iter_errors(&instance)
                .map(jsonschema::ValidationError::to_owned)
                .collect();
            errors
        })
        .collect();
    for errors in by_slice {
        collect(
            c,
            text,
            &mut resolver,
            &errors,
            &mut findings,
            &mut seen_nodes,
            &mut seen_keys,
        );
    }
    findings.sort_by(|a, b| (a.range, &a.message).cmp(&(b.range, &b.message)));
    let mut values = Vec::new();
    for f in findings {
        if f.about_value {
            values.push(ValueFinding {
                range: f.range,
                pointer: f.pointer.clone(),
            });
        }
        let mut r = sink.report(f.rule, f.range, f.message).pointer(f.pointer);
        if let Some(h) = f.help {
            r = r.help(h);
        }
        if let Some(fix) = f.fix {
            r = r.fix(fix);
        }
        drop(r);
    }
    values
}

/// Top-level states validated per instance: a large machine is validated in
/// slices of its top-level `States` (each with the rest of the root), so the
/// `serde_json` copy the validator needs stays small whatever the size of
/// the file. The schema has no constraint across states, so the errors are
/// the same; the root's own errors repeat in every slice and are kept once.
const STATES_PER_INSTANCE: usize = 256;

/// The slices of top-level states to validate, as ranges of the `States`
/// members; one unbounded slice for a small machine.
fn batches(root: &Node) -> Vec<Option<std::ops::Range<usize>>> {
    let n = root
        .get("States")
        .and_then(Node::as_object)
        .map_or(0, <[_]>::len);
    if n <= STATES_PER_INSTANCE {
        return vec![None];
    }
    (0..n)
        .step_by(STATES_PER_INSTANCE)
        .map(|i| Some(i..(i + STATES_PER_INSTANCE).min(n)))
        .collect()
}

fn collect<'e>(
    c: &Compiled,
    text: &str,
    resolver: &mut Resolver<'_>,
    errors: &[jsonschema::ValidationError<'e>],
    findings: &mut Vec<Finding>,
    seen_nodes: &mut HashSet<(String, String)>,
    seen_keys: &mut HashSet<TextRange>,
) {
    // Unknown keys per object, to drop "missing `X`" when a key is a typo of `X`.
    let mut unexpected: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected: keys } = e.kind() {
            unexpected
                .entry(e.instance_path().as_str())
                .or_default()
                .extend(keys.iter().map(String::as_str));
        }
    }
    // A JSONata choice rule written in JSONPath has several JSONPath keys
    // (`Variable`, `StringEquals` …): only the first one is reported, as
    // `wrong-query-language-field` does (the rule needs rewriting as a whole).
    let mut first_in_rule: HashMap<&str, u32> = HashMap::new();
    for e in errors {
        if !matches!(e.kind(), ValidationErrorKind::FalseSchema)
            || !e
                .schema_path()
                .as_str()
                .starts_with(CHOICE_RULE_JSONPATH_FIELDS)
        {
            continue;
        }
        let Some((parent_ptr, raw)) = e.instance_path().as_str().rsplit_once('/') else {
            continue;
        };
        let key = pointer::unescape(raw);
        let Some(start) = resolver
            .resolve(parent_ptr)
            .and_then(|p| resolver.member(p, &key))
            .map(|m| m.key_range.start)
        else {
            continue;
        };
        let first = first_in_rule.entry(parent_ptr).or_insert(start);
        *first = (*first).min(start);
    }
    for e in errors {
        let ptr = e.instance_path().as_str();
        let Some(node) = resolver.resolve(ptr) else {
            continue;
        };
        let spath = e.schema_path().as_str();
        let place = Place::of(resolver, ptr);
        match e.kind() {
            // A field of the other query language: the key is highlighted,
            // unless the field is unknown here anyway (`unknown-field`).
            ValidationErrorKind::FalseSchema => {
                let Some((parent_ptr, raw)) = ptr.rsplit_once('/') else {
                    continue;
                };
                let key = pointer::unescape(raw);
                if unexpected
                    .get(parent_ptr)
                    .is_some_and(|keys| keys.contains(&key.as_str()))
                {
                    continue;
                }
                let Some(member) = resolver
                    .resolve(parent_ptr)
                    .and_then(|p| resolver.member(p, &key))
                else {
                    continue;
                };
                if first_in_rule
                    .get(parent_ptr)
                    .is_some_and(|&first| first != member.key_range.start)
                {
                    continue;
                }
                if seen_keys.insert(member.key_range) {
                    findings.push(query_language_field(&place, &key, member.key_range));
                }
            }
            ValidationErrorKind::AdditionalProperties { unexpected: keys } => {
                let allowed = allowed_names(&c.schema, spath);
                for key in keys {
                    let Some(member) = node.member(key) else {
                        continue;
                    };
                    if seen_keys.insert(member.key_range) {
                        findings.push(unknown_field(
                            &c.schema, text, node, &place, member, &allowed, spath,
                        ));
                    }
                }
            }
            // A deploy-time `${…}` placeholder stands for one of the
            // allowed values.
            ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
                if node.as_str().is_some_and(has_placeholder) => {}
            kind => {
                let mut missing = "";
                if let ValidationErrorKind::Required { property } = kind {
                    let prop = property.as_str().unwrap_or_default();
                    missing = prop;
                    let allowed = allowed_names(&c.schema, &parent_keyword(spath));
                    let typo = unexpected.get(ptr).is_some_and(|keys| {
                        keys.iter()
                            .any(|k| closest(k, allowed.iter().map(String::as_str)) == Some(prop))
                    });
                    if typo {
                        continue;
                    }
                }
                if !seen_nodes.insert((ptr.to_string(), missing.to_string())) {
                    continue;
                }
                let keyword_schema = c.schema.pointer(&parent_keyword(spath));
                findings.push(violation(
                    resolver,
                    node,
                    ptr,
                    &place,
                    kind,
                    keyword_schema,
                    &c.schema,
                    spath,
                ));
            }
        }
    }
}

/// Resolves instance pointers on the spanned tree. Objects with many members
/// (a `States` object of thousands of states) get a name index on first use,
/// so resolving the errors of every state stays linear.
struct Resolver<'a> {
    root: &'a Node,
    index: HashMap<*const Node, HashMap<&'a str, usize>>,
}

impl<'a> Resolver<'a> {
    fn new(root: &'a Node) -> Self {
        Resolver {
            root,
            index: HashMap::new(),
        }
    }

    /// The first member of object `node` named `key`.
    fn member(&mut self, node: &'a Node, key: &str) -> Option<&'a crate::syntax::Member> {
        let members = node.as_object()?;
        if members.len() <= 16 {
            return members.iter().find(|m| m.key == key);
        }
        let index = self.index.entry(node as *const Node).or_insert_with(|| {
            let mut map = HashMap::with_capacity(members.len());
            for (i, m) in members.iter().enumerate() {
                map.entry(m.key.as_str()).or_insert(i);
            }
            map
        });
        index.get(key).map(|&i| &members[i])
    }

    /// The child of `node` for one (unescaped) pointer token.
    fn child(&mut self, node: &'a Node, token: &str) -> Option<&'a Node> {
        match &node.value {
            Value::Object(_) => self.member(node, token).map(|m| &m.value),
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)
            }
            _ => None,
        }
    }

    fn resolve(&mut self, ptr: &str) -> Option<&'a Node> {
        let mut node = self.root;
        if ptr.is_empty() {
            return Some(node);
        }
        for raw in ptr.strip_prefix('/')?.split('/') {
            node = self.child(node, &pointer::unescape(raw))?;
        }
        Some(node)
    }
}

struct Finding {
    rule: &'static crate::rules::Rule,
    range: TextRange,
    message: String,
    help: Option<String>,
    pointer: String,
    /// A `schema-violation` about the value at `pointer` (see [`ValueFinding`]).
    about_value: bool,
    fix: Option<Fix>,
}

/// The schema path of the object holding a keyword: `/a/b/type` → `/a/b`.
fn parent_keyword(schema_path: &str) -> String {
    match schema_path.rfind('/') {
        Some(i) => schema_path[..i].to_string(),
        None => String::new(),
    }
}

/// The property names allowed by the schema object whose `additionalProperties`
/// (or `required`) keyword failed.
fn allowed_names(schema: &Json, keyword_path: &str) -> Vec<String> {
    let object_path = if keyword_path.ends_with("/additionalProperties") {
        parent_keyword(keyword_path)
    } else {
        keyword_path.to_string()
    };
    schema
        .pointer(&object_path)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn unknown_field(
    schema: &Json,
    text: &str,
    object: &Node,
    place: &Place,
    member: &Member,
    allowed: &[String],
    schema_path: &str,
) -> Finding {
    let key = member.key.as_str();
    let range = member.key_range;
    let mut fix = None;
    let message = match place.at {
        At::Scope if place.root_scope => {
            format!("field `{key}` is not allowed at the top level of the state machine")
        }
        _ => format!("field `{key}` is not allowed in {}", place.container()),
    };
    let help = if key == "StringMatchesPath" {
        Some("`StringMatches` has no `…Path` variant: it takes a constant pattern".to_string())
    } else if key == "QueryLanguage" && place.at == At::Scope && !place.root_scope {
        Some(
            "the states in here follow the top-level `QueryLanguage`; set it there, or on each state"
                .to_string(),
        )
    } else if let Some(best) = closest(key, allowed.iter().map(String::as_str)) {
        fix = rename_fix(text, object, member, best, allowed);
        Some(format!("did you mean `{best}`?"))
    } else if place.at == At::State {
        let types: Vec<&str> = STATE_TYPES
            .into_iter()
            .filter(|t| {
                schema
                    .pointer(&format!("/$defs/{}State/properties", t.to_lowercase()))
                    .and_then(|p| p.get(key))
                    .is_some()
            })
            .collect();
        if types.is_empty() {
            Some("remove it, or check its spelling against the state type's fields".to_string())
        } else {
            Some(format!(
                "`{key}` is allowed only in {} states",
                join_or(&types, "and")
            ))
        }
    } else if schema_path == "/$defs/choiceRule/additionalProperties" {
        Some(
            "a choice rule has `Variable` with one comparison operator (such as `StringEquals`), \
             or `And`/`Or`/`Not`, or a JSONata `Condition`; plus `Next`, `Assign`, `Output` and `Comment`"
                .to_string(),
        )
    } else if !allowed.is_empty() && allowed.len() <= 10 {
        let names: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
        Some(format!("expected one of {}", names.join(", ")))
    } else {
        Some("remove it, or check its spelling".to_string())
    };
    Finding {
        rule: &UNKNOWN_FIELD,
        range,
        message,
        help,
        pointer: pointer::push(&place.pointer, key),
        about_value: false,
        fix,
    }
}

/// Where the schema lists the JSONPath keys of a choice rule that a JSONata
/// state may not have.
const CHOICE_RULE_JSONPATH_FIELDS: &str = "/$defs/noJSONPathFields/properties/Choices/";

/// The fields that exist only in JSONata states (anything else the schema
/// forbids for a query language is a JSONPath field).
const JSONATA_ONLY_FIELDS: [&str; 4] = ["Arguments", "Output", "Items", "Condition"];

/// A field that belongs to the other query language than the state's
/// (a `false` schema in `noJSONPathFields`/`noJSONataFields`). Worded like
/// `wrong-query-language-field`, which reports it with the replacement to
/// use (and then this finding is dropped).
fn query_language_field(place: &Place, key: &str, range: TextRange) -> Finding {
    let jsonata = JSONATA_ONLY_FIELDS.contains(&key);
    let (this, uses) = if jsonata {
        ("JSONata", "JSONPath")
    } else {
        ("JSONPath", "JSONata")
    };
    let message = match &place.state {
        Some(name) => format!(
            "`{}` is a {this} field, but state `{name}` uses {uses}",
            place.field
        ),
        None => format!(
            "{} is a {this} field, but its state uses {uses}",
            place.subject()
        ),
    };
    let help = if jsonata {
        "use the JSONPath fields (`Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`, `ItemsPath`, a choice rule's `Variable`), or set `\"QueryLanguage\": \"JSONata\"` on the state"
    } else {
        "use the JSONata fields (`Arguments`, `Output`, `Items`, a choice rule's `Condition`) with `{% … %}` expressions"
    };
    Finding {
        rule: &SCHEMA_VIOLATION,
        range,
        message,
        help: Some(help.to_string()),
        pointer: place.pointer.clone(),
        about_value: true,
        fix: None,
    }
}

/// A fix renaming an unknown key to `best`, its only close match among the
/// `allowed` names; `None` when another allowed name is about as close (the
/// user has to choose), when the object already has `best` (the rename
/// would duplicate it) or when the key is not written literally.
fn rename_fix(
    text: &str,
    object: &Node,
    member: &Member,
    best: &str,
    allowed: &[String],
) -> Option<Fix> {
    let others = allowed.iter().map(String::as_str).filter(|a| *a != best);
    if closest(&member.key, others).is_some() || object.member(best).is_some() {
        return None;
    }
    rename_key_fix(
        text,
        member,
        best,
        &format!("rename `{}` to `{best}`", member.key),
    )
}

#[allow(clippy::too_many_arguments)]
fn violation(
    resolver: &mut Resolver<'_>,
    node: &Node,
    ptr: &str,
    place: &Place,
    kind: &ValidationErrorKind,
    keyword_schema: Option<&Json>,
    schema: &Json,
    schema_path: &str,
) -> Finding {
    let subject = place.subject();
    let mut range = node.range;
    let mut help = None;
    let message = match kind {
        ValidationErrorKind::Type { .. } => {
            let expected = expected_types(keyword_schema);
            help = quoted_literal_help(node, keyword_schema);
            format!("{subject} must be {expected}, found {}", node.type_name())
        }
        ValidationErrorKind::Pattern { pattern } if pattern == JSONATA_PATTERN => {
            let expected = expected_types(keyword_schema);
            help = quoted_literal_help(node, keyword_schema).or_else(|| {
                let path_field = format!("{}Path", place.last_field());
                let has_path_variant = schema
                    .pointer(&parent_keyword(&parent_keyword(&parent_keyword(schema_path))))
                    .and_then(|s| s.get("properties"))
                    .and_then(|p| p.get(&path_field))
                    .is_some();
                Some(if has_path_variant {
                    format!(
                        "in a JSONPath state, read the value from the input with `{path_field}`; in a JSONata state, write an expression `{{% … %}}`"
                    )
                } else {
                    "write a JSONata expression as `{% … %}`, with nothing outside the delimiters"
                        .to_string()
                })
            });
            format!("{subject} must be {expected}, found {}", show_value(node))
        }
        ValidationErrorKind::Enum { options } => {
            let names: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(show_json).collect())
                .unwrap_or_default();
            if let Some(s) = node.as_str() {
                if let Some(best) = closest(s, names.iter().map(String::as_str)) {
                    help = Some(format!("did you mean `{best}`?"));
                }
            }
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!(
                "{subject} is {}, expected one of {}",
                show_value(node),
                list.join(", ")
            )
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("{subject} must be `{}`", show_json(expected_value))
        }
        ValidationErrorKind::Required { property } => {
            let prop = property.as_str().unwrap_or_default();
            range = holder_range(resolver, node, ptr);
            let misspelt = node
                .as_object()
                .and_then(|ms| ms.iter().find(|m| closest(&m.key, [prop]).is_some()));
            help = Some(match misspelt {
                Some(m) => format!("`{}` looks like a misspelling of `{prop}`", m.key),
                None if schema_path.starts_with("/$defs/itemReader/") => {
                    "add `\"Resource\": \"arn:aws:states:::s3:getObject\"` to read one file, or `arn:aws:states:::s3:listObjectsV2` to iterate over objects".to_string()
                }
                None => required_help(prop),
            });
            format!("{} has no `{prop}`", place.holder())
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!(
                "{subject} must be at least {limit}, found {}",
                show_value(node)
            )
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!(
                "{subject} must be at most {limit}, found {}",
                show_value(node)
            )
        }
        ValidationErrorKind::MinItems { limit: 1 }
        | ValidationErrorKind::MinLength { limit: 1 } => {
            format!("{subject} must not be empty")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("{subject} must have at least {limit} items")
        }
        ValidationErrorKind::MaxLength { limit } => format!(
            "{subject} must be at most {limit} characters long, found {}",
            node.as_str().map_or(0, |s| s.chars().count())
        ),
        other => format!("{subject} is invalid ({})", other.keyword()),
    };
    Finding {
        rule: &SCHEMA_VIOLATION,
        range,
        message,
        help,
        pointer: ptr.to_string(),
        about_value: !matches!(kind, ValidationErrorKind::Required { .. }),
        fix: None,
    }
}

/// "an integer or a JSONata expression `{% … %}`" from a schema's `type`.
fn expected_types(schema: Option<&Json>) -> String {
    let Some(schema) = schema else {
        return "of another type".to_string();
    };
    let jsonata = schema.get("pattern").and_then(Json::as_str) == Some(JSONATA_PATTERN);
    let types: Vec<&str> = match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let words: Vec<&str> = types
        .iter()
        .map(|t| match *t {
            "integer" => "an integer",
            "number" => "a number",
            "string" if jsonata => "a JSONata expression `{% … %}`",
            "string" => "a string",
            "object" => "an object",
            "array" => "an array",
            "boolean" => "a boolean",
            "null" => "null",
            _ => "of another type",
        })
        .collect();
    if words.is_empty() {
        "of another type".to_string()
    } else {
        join_or(&words, "or")
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(words: &[&str], conj: &str) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {conj} {last}", init.join(", ")),
    }
}

/// "remove the quotes" when a string holds the number or boolean the schema wants.
fn quoted_literal_help(node: &Node, schema: Option<&Json>) -> Option<String> {
    let s = node.as_str()?.trim();
    let wants = |t: &str| {
        schema
            .and_then(|s| s.get("type"))
            .is_some_and(|ty| match ty {
                Json::String(x) => x == t,
                Json::Array(xs) => xs.iter().any(|x| x == t),
                _ => false,
            })
    };
    let number = s.parse::<f64>().is_ok_and(f64::is_finite);
    let boolean = s == "true" || s == "false";
    if (number && (wants("integer") || wants("number"))) || (boolean && wants("boolean")) {
        Some(format!("remove the quotes: `{s}`"))
    } else {
        None
    }
}

fn required_help(prop: &str) -> String {
    match prop {
        "Type" => format!(
            "add `\"Type\"`: one of {}",
            STATE_TYPES
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "StartAt" => "add `StartAt` naming the first state to run".to_string(),
        "States" => "add `States`, an object of states keyed by name".to_string(),
        "Resource" => {
            "add the `Resource` to run, e.g. `arn:aws:states:::lambda:invoke`".to_string()
        }
        "Choices" => "add `Choices`, a non-empty array of choice rules".to_string(),
        "Branches" => {
            "add `Branches`, an array of state machines with `StartAt` and `States`".to_string()
        }
        "ErrorEquals" => {
            "add `ErrorEquals`, the error names it handles, e.g. `[\"States.ALL\"]` for every error"
                .to_string()
        }
        "Next" => {
            "add `Next`, the name of the state to go to when this catcher matches".to_string()
        }
        other => format!("add `{other}`"),
    }
}

/// A value for a message: strings as written (truncated), others as JSON.
fn show_value(node: &Node) -> String {
    match &node.value {
        Value::String(s) => format!("`{}`", truncate(&format!("{s:?}"), 60)),
        Value::Number(n) => format!("`{}`", truncate(n.raw(), 40)),
        Value::Bool(b) => format!("`{b}`"),
        Value::Null => "`null`".to_string(),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn show_json(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max).collect();
    t.push('…');
    t
}

/// The smallest range naming an object that lacks a field: the key it is the
/// value of, else (an array item, the root) its first character.
fn holder_range(resolver: &mut Resolver<'_>, node: &Node, ptr: &str) -> TextRange {
    if let Some(i) = ptr.rfind('/') {
        if let Some(parent) = resolver.resolve(&ptr[..i]) {
            let key = pointer::unescape(&ptr[i + 1..]);
            if let Some(m) = resolver.member(parent, &key) {
                if m.value.range == node.range {
                    return m.key_range;
                }
            }
        }
    }
    let start = node.range.start();
    TextRange::new(start, (start + 1).min(node.range.end()))
}

/// What kind of thing a pointer lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// A scope object (the root, a branch, an item processor).
    Scope,
    /// A scope's `States` object.
    States,
    /// A state object.
    State,
    /// A state's `Branches` array.
    Branches,
    /// Anything inside a state or a scope's own fields.
    Field,
}

/// Where an instance pointer lands, in words, for messages.
#[derive(Debug)]
struct Place {
    at: At,
    /// The pointer itself.
    pointer: String,
    /// The innermost state's name and type, if inside a state.
    state: Option<String>,
    state_type: Option<String>,
    /// The innermost scope: "the state machine", "branch 0 of `P`", …
    scope: String,
    root_scope: bool,
    /// The path from the state (or scope) to the node: `Retry[0].MaxAttempts`.
    field: String,
    /// The last object key on the way (for `…Path` suggestions).
    last_key: String,
}

impl Place {
    fn of(resolver: &mut Resolver<'_>, ptr: &str) -> Place {
        let root = resolver.root;
        let mut p = Place {
            at: At::Scope,
            pointer: ptr.to_string(),
            state: None,
            state_type: None,
            scope: "the state machine".to_string(),
            root_scope: true,
            field: String::new(),
            last_key: String::new(),
        };
        let tokens: Vec<String> = match ptr.strip_prefix('/') {
            Some(rest) => rest.split('/').map(pointer::unescape).collect(),
            None => Vec::new(),
        };
        let mut node = Some(root);
        for tok in tokens {
            let parent_is_array = node.is_some_and(|n| n.as_array().is_some());
            let child = node.and_then(|n| resolver.child(n, &tok));
            if !parent_is_array {
                p.last_key.clone_from(&tok);
            }
            match p.at {
                At::Scope => {
                    if tok == "States" {
                        p.at = At::States;
                    } else {
                        p.field = tok;
                        p.at = At::Field;
                    }
                }
                At::States => {
                    p.state_type = child
                        .and_then(|c| c.get("Type"))
                        .and_then(Node::as_str)
                        .map(str::to_string);
                    p.state = Some(tok);
                    p.field.clear();
                    p.at = At::State;
                }
                At::State => {
                    let owner = p.state.clone().unwrap_or_default();
                    match tok.as_str() {
                        "ItemProcessor" | "Iterator" => {
                            let what = if tok == "Iterator" {
                                "iterator"
                            } else {
                                "item processor"
                            };
                            p.scope = format!("the {what} of `{owner}`");
                            p.root_scope = false;
                            p.state = None;
                            p.state_type = None;
                            p.field.clear();
                            p.at = At::Scope;
                        }
                        "Branches" => {
                            p.field = tok;
                            p.at = At::Branches;
                        }
                        _ => {
                            p.field = tok;
                            p.at = At::Field;
                        }
                    }
                }
                At::Branches => {
                    if parent_is_array {
                        let owner = p.state.clone().unwrap_or_default();
                        p.scope = format!("branch {tok} of `{owner}`");
                        p.root_scope = false;
                        p.state = None;
                        p.state_type = None;
                        p.field.clear();
                        p.at = At::Scope;
                    } else {
                        p.field.push('.');
                        p.field.push_str(&tok);
                        p.at = At::Field;
                    }
                }
                At::Field => {
                    if parent_is_array {
                        p.field.push('[');
                        p.field.push_str(&tok);
                        p.field.push(']');
                    } else {
                        p.field.push('.');
                        p.field.push_str(&tok);
                    }
                }
            }
            node = child;
        }
        p
    }

    /// The last object key of the path (`TimeoutSeconds` for `Retry[0]…`'s parent …).
    fn last_field(&self) -> &str {
        &self.last_key
    }

    /// The node as the subject of a sentence: "`TimeoutSeconds` of state `A`".
    fn subject(&self) -> String {
        match self.at {
            At::Scope => self.scope.clone(),
            At::States if self.root_scope => "`States`".to_string(),
            At::States => format!("`States` of {}", self.scope),
            At::State => format!("state `{}`", self.state.as_deref().unwrap_or_default()),
            At::Field | At::Branches => match &self.state {
                Some(name) => format!("`{}` of state `{name}`", self.field),
                None if self.root_scope => format!("`{}`", self.field),
                None => format!("`{}` of {}", self.field, self.scope),
            },
        }
    }

    /// The object as a place fields are in: "Task state `A`", "`Retry[0]` of state `A`".
    fn container(&self) -> String {
        match self.at {
            At::State => match &self.state_type {
                Some(t) if STATE_TYPES.contains(&t.as_str()) => {
                    format!("{t} state `{}`", self.state.as_deref().unwrap_or_default())
                }
                _ => self.subject(),
            },
            _ => self.subject(),
        }
    }

    /// The object as the subject of "… has no `X`" (messages start lowercase).
    fn holder(&self) -> String {
        let c = self.container();
        if c.starts_with(|ch: char| ch.is_ascii_uppercase()) {
            format!("the {c}")
        } else {
            c
        }
    }
}

// ---------------------------------------------------------------------------
// Descriptions for hover.

/// The schema's description of the node at `pointer` in `root` (a field, a
/// state, a retrier …), best effort: `None` where the schema says nothing.
pub fn describe(root: &Node, pointer_text: &str) -> Option<String> {
    let c = compiled()?;
    let tokens: Vec<String> = match pointer_text.strip_prefix('/') {
        Some(rest) => rest.split('/').map(pointer::unescape).collect(),
        None if pointer_text.is_empty() => Vec::new(),
        None => return None,
    };
    let mut schema = &c.schema;
    let mut node = Some(root);
    for tok in &tokens {
        schema = step(&c.schema, schema, node, tok)?;
        node = node.and_then(|n| match &n.value {
            Value::Object(_) => n.get(tok),
            Value::Array(items) => tok.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        });
    }
    description_of(&c.schema, schema, node)
}

/// Follows local `$ref`s (a bounded number of times).
fn deref<'s>(root: &'s Json, mut s: &'s Json) -> &'s Json {
    for _ in 0..16 {
        match s.get("$ref").and_then(Json::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => s = target,
                None => break,
            },
            None => break,
        }
    }
    s
}

/// The schemas that apply to `node` under `s`: `s` itself and, for each `if`
/// of its `allOf`, the `then` when the node satisfies it, else the `else`.
fn applicable<'s>(root: &'s Json, s: &'s Json, node: Option<&Node>) -> Vec<&'s Json> {
    let s = deref(root, s);
    let mut out = vec![s];
    if let (Some(all), Some(node)) = (s.get("allOf").and_then(Json::as_array), node) {
        for sub in all {
            let Some(cond) = sub.get("if") else { continue };
            let branch = if matches_simple(cond, node) {
                sub.get("then")
            } else {
                sub.get("else")
            };
            if let Some(b) = branch {
                out.push(deref(root, b));
            }
        }
    }
    out
}

fn step<'s>(root: &'s Json, s: &'s Json, node: Option<&Node>, tok: &str) -> Option<&'s Json> {
    let candidates = applicable(root, s, node);
    // The most specific schema (a `then`) first.
    for cand in candidates.iter().rev() {
        if let Some(p) = cand.get("properties").and_then(|p| p.get(tok)) {
            return Some(p);
        }
    }
    for cand in candidates.iter().rev() {
        if tok.parse::<usize>().is_ok() {
            if let Some(items) = cand.get("items") {
                return Some(items);
            }
        }
        if let Some(extra) = cand.get("additionalProperties").filter(|a| a.is_object()) {
            return Some(extra);
        }
    }
    None
}

fn description_of(root: &Json, s: &Json, node: Option<&Node>) -> Option<String> {
    if let Some(d) = s.get("description").and_then(Json::as_str) {
        return Some(d.to_string());
    }
    applicable(root, s, node)
        .iter()
        .rev()
        .find_map(|c| c.get("description").and_then(Json::as_str))
        .map(str::to_string)
}

/// Evaluates the small subset of JSON Schema the `if`s use: `properties`
/// with `const`/`enum`, and `required`.
fn matches_simple(cond: &Json, node: &Node) -> bool {
    if let Some(c) = cond.get("const") {
        if to_json(node) != *c {
            return false;
        }
    }
    if let Some(options) = cond.get("enum").and_then(Json::as_array) {
        let v = to_json(node);
        if !options.contains(&v) {
            return false;
        }
    }
    if let Some(req) = cond.get("required").and_then(Json::as_array) {
        for r in req.iter().filter_map(Json::as_str) {
            if node.get(r).is_none() {
                return false;
            }
        }
    }
    if let Some(props) = cond.get("properties").and_then(Json::as_object) {
        for (k, sub) in props {
            if let Some(child) = node.get(k) {
                if !matches_simple(sub, child) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::settings::Settings;
    use crate::syntax::json;

    fn lint(text: &str) -> Vec<Diagnostic> {
        let root = json::parse(text).documents.remove(0).root;
        let settings = Settings::default();
        let mut sink = Sink::new(&settings, Some(&root));
        check(&root, text, &mut sink);
        sink.finish()
    }

    fn slice(text: &str, d: &Diagnostic) -> String {
        text[d.range.start()..d.range.end()].to_string()
    }

    fn one(text: &str) -> (Diagnostic, String) {
        let mut ds = lint(text);
        assert_eq!(ds.len(), 1, "expected one finding, got {ds:#?}");
        let d = ds.remove(0);
        let s = slice(text, &d);
        (d, s)
    }

    const OK: &str = r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#;

    /// Wherever the schema names one of the fields [`instance`] empties, it
    /// may check the field's type and a string pattern, nothing inside.
    #[test]
    fn opaque_fields_are_opaque_in_the_schema() {
        let schema: Json = serde_json::from_str(SCHEMA_TEXT).unwrap();
        let mut stack = vec![&schema];
        let mut seen = 0;
        while let Some(s) = stack.pop() {
            match s {
                Json::Object(map) => {
                    if let Some(Json::Object(props)) = map.get("properties") {
                        for field in OPAQUE_STATE_FIELDS {
                            if let Some(sub) = props.get(field) {
                                seen += 1;
                                let keys: Vec<&String> = sub
                                    .as_object()
                                    .map(|o| o.keys().collect())
                                    .unwrap_or_default();
                                assert!(
                                    keys.iter().all(|k| {
                                        ["description", "type", "pattern"].contains(&k.as_str())
                                    }),
                                    "the schema looks inside `{field}`: {sub}"
                                );
                            }
                        }
                    }
                    stack.extend(map.values());
                }
                Json::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        assert!(seen > 10);
    }

    /// A machine validated in slices reports exactly what one instance does,
    /// root errors once, in linear time.
    #[test]
    fn slices_of_states_report_like_one_instance() {
        let mut text = String::from(r#"{"StartAt":"S0","Bogus":1,"States":{"#);
        let n = STATES_PER_INSTANCE * 3 + 7;
        for i in 0..n {
            let extra = match i % 4 {
                0 => r#","Foo":1"#,
                1 => r#","TimeoutSeconds":"x""#,
                _ => "",
            };
            text.push_str(&format!(
                r#""S{i}":{{"Type":"Task","Resource":"arn:aws:states:::x","Next":"S{}"{extra}}},"#,
                i + 1
            ));
        }
        // A duplicate of an early state, late in the object: ignored.
        text.push_str(r#""S1":{"Type":"Nope"},"#);
        text.push_str(&format!(r#""S{n}":{{"Type":"Succeed"}}}}}}"#));
        let ds = lint(&text);
        let root = json::parse(&text).documents.remove(0).root;
        assert!(batches(&root).len() > 3);
        // The same errors exist in one whole instance.
        let c = compiled().unwrap();
        let whole = instance(&root, None);
        let one: usize = c.validator.iter_errors(&whole).count();
        assert!(one > 0);
        let unknown = ds.iter().filter(|d| d.rule.name == "unknown-field").count();
        let wrong = ds
            .iter()
            .filter(|d| d.rule.name == "schema-violation")
            .count();
        assert_eq!(
            unknown,
            n.div_ceil(4) + 1,
            "Foo in every fourth state, Bogus once"
        );
        assert_eq!(wrong, (n + 2) / 4);
    }

    /// Emptying the payload fields changes nothing the schema reports, and a
    /// state *named* like one of them is still validated.
    #[test]
    fn opaque_fields_keep_their_type_and_state_names_are_not_fields() {
        let text = r#"{"StartAt":"Parameters","States":{
            "Parameters":{"Type":"Pass","Parameters":{"a":{"b":[1,{"Type":"x"}]}},"Nxt":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":7,
                 "Arguments":{"deep":{"deeper":true}},"End":true}}}"#;
        let ds = lint(text);
        let rules: Vec<&str> = ds.iter().map(|d| d.rule.name).collect();
        assert!(rules.contains(&"unknown-field"), "{ds:#?}");
        assert!(
            ds.iter()
                .any(|d| d.rule.name == "schema-violation" && d.message.contains("Credentials")),
            "{ds:#?}"
        );
        let root = json::parse(text).documents.remove(0).root;
        let inst = instance(&root, None);
        assert_eq!(
            inst["States"]["Parameters"]["Parameters"],
            serde_json::json!({})
        );
        assert_eq!(inst["States"]["B"]["Credentials"], serde_json::json!(7));
        assert_eq!(inst["States"]["Parameters"]["Type"], "Pass");
    }

    #[test]
    fn the_embedded_schema_compiles_and_every_property_is_described() {
        assert!(compiled().is_some());
        fn walk(s: &Json, path: &str, missing: &mut Vec<String>) {
            match s {
                Json::Object(map) => {
                    if let Some(Json::Object(props)) = map.get("properties") {
                        for (k, v) in props {
                            // `false`: a field forbidden in one query language.
                            if v.get("description").is_none()
                                && !path.contains("/if")
                                && *v != Json::Bool(false)
                                && !path.starts_with("/$defs/no")
                            {
                                missing.push(format!("{path}/properties/{k}"));
                            }
                        }
                    }
                    for (k, v) in map {
                        walk(v, &format!("{path}/{k}"), missing);
                    }
                }
                Json::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        walk(v, &format!("{path}/{i}"), missing);
                    }
                }
                _ => {}
            }
        }
        let mut missing = Vec::new();
        walk(&compiled().unwrap().schema, "", &mut missing);
        assert!(
            missing.is_empty(),
            "properties without description: {missing:#?}"
        );
    }

    #[test]
    fn a_minimal_machine_is_valid() {
        assert!(lint(OK).is_empty());
    }

    #[test]
    fn unknown_field_highlights_the_key_and_suggests() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","ResultsPath":"$.x","End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(d.rule.name, "unknown-field");
        assert_eq!(s, "\"ResultsPath\"");
        assert_eq!(
            d.message,
            "field `ResultsPath` is not allowed in Task state `A`"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `ResultPath`?"));
        assert_eq!(d.pointer, "/States/A/ResultsPath");
    }

    #[test]
    fn unknown_field_with_one_close_match_is_renamed_by_a_fix() {
        let apply = |text: &str, d: &Diagnostic| {
            let fix = d.fix.as_ref().expect("a fix");
            assert_eq!(fix.edits.len(), 1);
            let e = &fix.edits[0];
            format!(
                "{}{}{}",
                &text[..e.range.start()],
                e.replacement,
                &text[e.range.end()..]
            )
        };
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","ResultsPath":"$.x","End":true}}}"#;
        let (d, _) = one(t);
        assert_eq!(
            d.fix.as_ref().map(|f| f.title.as_str()),
            Some("rename `ResultsPath` to `ResultPath`")
        );
        let fixed = apply(t, &d);
        assert!(fixed.contains(r#""ResultPath":"$.x""#), "{fixed}");
        assert!(lint(&fixed).is_empty());

        let y =
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    'ResultsPath': $.x\n    End: true\n";
        let root = crate::syntax::yaml::parse(y).documents.remove(0).root;
        let settings = Settings::default();
        let mut sink = Sink::new(&settings, Some(&root));
        check(&root, y, &mut sink);
        let ds = sink.finish();
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(apply(y, &ds[0]), y.replace("'ResultsPath'", "'ResultPath'"));

        // No fix when the right name is already there, or when the key is
        // written with escapes.
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$.y","ResultsPath":"$.x","End":true}}}"#;
        assert!(one(t).0.fix.is_none());
        let t =
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result\u0073Path":"$.x","End":true}}}"#;
        assert!(one(t).0.fix.is_none());
    }

    #[test]
    fn query_language_is_not_a_field_of_an_item_processor() {
        let t = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"Iterator":{"QueryLanguage":"JSONata",
            "StartAt":"B","States":{"B":{"Type":"Succeed"}}}}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"QueryLanguage\"");
        assert_eq!(
            d.message,
            "field `QueryLanguage` is not allowed in the iterator of `M`"
        );
        assert!(d.help.unwrap().contains("top-level `QueryLanguage`"));
        // A branch accepts it (`ignored-branch-query-language` warns).
        let t = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"QueryLanguage":"JSONata",
            "StartAt":"B","States":{"B":{"Type":"Succeed"}}}]}}}"#;
        assert!(lint(t).is_empty());
    }

    #[test]
    fn jsonata_arguments_are_an_object_an_array_or_an_expression() {
        for ok in [r#"{"a":1}"#, "[1]", r#""{% $states.input %}""#] {
            let t = format!(
                r#"{{"QueryLanguage":"JSONata","StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"r","End":true,"Arguments":{ok}}}}}}}"#
            );
            assert!(lint(&t).is_empty(), "{ok}: {:#?}", lint(&t));
        }
        let t = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Arguments":"hello"}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"hello\"");
        assert_eq!(
            d.message,
            "`Arguments` of state `A` must be an object, an array or a JSONata expression `{% … %}`, found `\"hello\"`"
        );
        let t = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Parallel","End":true,"Arguments":5,"Branches":[]}}}"#;
        let (d, _) = one(t);
        assert!(d.message.ends_with("found integer"), "{}", d.message);
    }

    #[test]
    fn unknown_field_of_another_state_type_names_the_types() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Retry":[],"End":true}}}"#;
        let (d, _) = one(t);
        assert_eq!(
            d.help.as_deref(),
            Some("`Retry` is allowed only in Task, Parallel and Map states")
        );
    }

    #[test]
    fn unknown_fields_in_nested_objects() {
        let t = r#"{"StartAt":"A","Foo":1,"States":{"A":{"Type":"Task","Resource":"r","End":true,
            "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempt":3}],
            "Catch":[{"ErrorEquals":["States.ALL"],"Next":"A","ResultPth":"$.e"}]},
            "C":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEqual":"a","Next":"A"}]},
            "M":{"Type":"Map","End":true,"ItemReader":{"Resource":"r","ReaderConfig":{"InputType":"CSV","MaxItem":1}},
                 "ItemProcessor":{"StartAt":"B","Statez":{},"States":{"B":{"Type":"Succeed"}}}}}}"#;
        let ds = lint(t);
        let got: Vec<(String, String, Option<String>)> = ds
            .iter()
            .map(|d| (slice(t, d), d.message.clone(), d.help.clone()))
            .collect();
        let expect = |key: &str, msg: &str, help: &str| {
            assert!(
                got.iter()
                    .any(|(s, m, h)| s == key && m == msg && h.as_deref() == Some(help)),
                "missing {key} / {msg} / {help} in {got:#?}"
            );
        };
        expect("\"Foo\"", "field `Foo` is not allowed at the top level of the state machine", "expected one of `StartAt`, `States`, `Comment`, `QueryLanguage`, `Version`, `TimeoutSeconds`");
        expect(
            "\"MaxAttempt\"",
            "field `MaxAttempt` is not allowed in `Retry[0]` of state `A`",
            "did you mean `MaxAttempts`?",
        );
        expect(
            "\"ResultPth\"",
            "field `ResultPth` is not allowed in `Catch[0]` of state `A`",
            "did you mean `ResultPath`?",
        );
        expect(
            "\"StringEqual\"",
            "field `StringEqual` is not allowed in `Choices[0]` of state `C`",
            "did you mean `StringEquals`?",
        );
        expect(
            "\"MaxItem\"",
            "field `MaxItem` is not allowed in `ItemReader.ReaderConfig` of state `M`",
            "did you mean `MaxItems`?",
        );
        expect(
            "\"Statez\"",
            "field `Statez` is not allowed in the item processor of `M`",
            "did you mean `States`?",
        );
        assert_eq!(ds.len(), 6, "{got:#?}");
    }

    #[test]
    fn wrong_type_names_the_state_and_the_types() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":true,"End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(d.rule.name, "schema-violation");
        assert_eq!(s, "true");
        assert_eq!(
            d.message,
            "`Seconds` of state `A` must be an integer or a JSONata expression `{% … %}`, found boolean"
        );
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":"30"}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"30\"");
        assert_eq!(
            d.message,
            "`TimeoutSeconds` of state `A` must be an integer or a JSONata expression `{% … %}`, found `\"30\"`"
        );
        assert_eq!(d.help.as_deref(), Some("remove the quotes: `30`"));
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":"$.t"}}}"#;
        let (d, _) = one(t);
        assert!(d.help.unwrap().contains("`TimeoutSecondsPath`"));
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":"yes"}}}"#;
        let (d, _) = one(t);
        assert_eq!(
            d.message,
            "`End` of state `A` must be a boolean, found string"
        );
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["x"],"MaxAttempts":1.5}]}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "1.5");
        assert_eq!(
            d.message,
            "`Retry[0].MaxAttempts` of state `A` must be an integer, found number"
        );
    }

    #[test]
    fn bad_enum_lists_the_values_and_suggests() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Taks","End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"Taks\"");
        assert_eq!(
            d.message,
            "`Type` of state `A` is `\"Taks\"`, expected one of `Task`, `Pass`, `Choice`, `Wait`, `Succeed`, `Fail`, `Parallel`, `Map`"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `Task`?"));
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["x"],"JitterStrategy":"full"}]}}}"#;
        let (d, _) = one(t);
        assert_eq!(d.help.as_deref(), Some("did you mean `FULL`?"));
    }

    #[test]
    fn missing_fields_point_at_the_holder() {
        let t = r#"{"StartAt":"A","States":{"A":{"End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"A\"");
        assert_eq!(d.message, "state `A` has no `Type`");
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"A\"");
        assert_eq!(d.message, "the Task state `A` has no `Resource`");
        let t = r#"{"States":{"A":{"Type":"Succeed"}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "{");
        assert_eq!(d.message, "the state machine has no `StartAt`");
        let ds = lint("{}");
        assert_eq!(ds.len(), 2, "{ds:#?}");
        assert_eq!(ds[0].message, "the state machine has no `StartAt`");
        assert_eq!(ds[1].message, "the state machine has no `States`");
        let t = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"States":{"B":{"Type":"Succeed"}}}]}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "{");
        assert_eq!(d.message, "branch 0 of `P` has no `StartAt`");
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["States.ALL"]}]}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "{");
        assert_eq!(d.message, "`Catch[0]` of state `A` has no `Next`");
        assert_eq!(d.pointer, "/States/A/Catch/0");
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"MaxAttempts":1}]}}}"#;
        let (d, _) = one(t);
        assert_eq!(d.message, "`Retry[0]` of state `A` has no `ErrorEquals`");
        let t = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemReader":{"Parameters":{}},
            "ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"ItemReader\"");
        assert_eq!(d.message, "`ItemReader` of state `M` has no `Resource`");
        assert!(d.help.unwrap().contains("s3:getObject"));
    }

    #[test]
    fn a_typo_of_a_required_field_is_reported_once() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resourse":"r","End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"Resourse\"");
        assert_eq!(d.help.as_deref(), Some("did you mean `Resource`?"));
    }

    #[test]
    fn ranges_and_limits() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Map","End":true,"ToleratedFailurePercentage":101,
            "ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "101");
        assert_eq!(
            d.message,
            "`ToleratedFailurePercentage` of state `A` must be at most 100, found `101`"
        );
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[]}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "[]");
        assert_eq!(d.message, "`Choices` of state `A` must not be empty");
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":""}}}"#;
        let (d, _) = one(t);
        assert_eq!(d.message, "`Next` of state `A` must not be empty");
        let t = r#"{"StartAt":"A","TimeoutSeconds":1e999999,"States":{"A":{"Type":"Succeed"}}}"#;
        let (d, _) = one(t);
        assert_eq!(
            d.message,
            "`TimeoutSeconds` must be at most 99999999, found `1e999999`"
        );
    }

    #[test]
    fn nested_scopes_name_their_states() {
        let t = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":-1,"End":true}}}]}}}"#;
        let (d, _) = one(t);
        assert_eq!(
            d.message,
            "`Seconds` of state `B` must be at least 0, found `-1`"
        );
        assert_eq!(d.pointer, "/States/P/Branches/0/States/B/Seconds");
    }

    #[test]
    fn accepts_what_aws_accepts() {
        let t = r#"{"Comment":"c","Version":"1.0","TimeoutSeconds":60,"QueryLanguage":"JSONata","StartAt":"A","States":{
          "A":{"Type":"Task","Resource":{"Fn::GetAtt":["F","Arn"]},"Arguments":{"a":1},"Output":"{% $states.result %}",
               "Assign":{"x":1},"TimeoutSeconds":"{% $t %}","HeartbeatSeconds":10,"Credentials":{"RoleArn":"r"},
               "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":0,"MaxAttempts":0,"BackoffRate":2,"MaxDelaySeconds":5,"JitterStrategy":"FULL","Comment":"c"}],
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C","Output":{},"Assign":{},"Comment":"c"}],"Next":"C"},
          "C":{"Type":"Choice","Choices":[{"Condition":"{% true %}","Next":"M","Assign":{},"Output":1,"Comment":"c"}],"Default":"M"},
          "M":{"Type":"Map","Items":"{% [1] %}","MaxConcurrency":0,"Label":"L","ToleratedFailureCount":0,"ItemSelector":{},
               "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Arguments":{},"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a"],"CSVDelimiter":"TAB","MaxItems":"{% 1 %}"}},
               "ItemBatcher":{"MaxItemsPerBatch":10,"BatchInput":{}},"ResultWriter":{"Resource":"r","Arguments":{},"WriterConfig":{"OutputType":"JSONL","Transformation":"COMPACT"}},
               "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}},"Next":"P"},
          "P":{"Type":"Pass","Output":{"a":1},"Next":"W","End":false},
          "W":{"Type":"Wait","Timestamp":"2024-01-01T00:00:00Z","Next":"F"},
          "F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#;
        assert!(lint(t).is_empty(), "{:#?}", lint(t));
        let t = r#"{"StartAt":"P","States":{
          "P":{"Type":"Pass","ResultPath":null,"InputPath":null,"OutputPath":null,"Parameters":{"a.$":"$"},"Assign":{"x":1},"Next":"J"},
          "J":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $x %}","End":true}}}"#;
        assert!(lint(t).is_empty(), "{:#?}", lint(t));
    }

    #[test]
    fn fields_of_the_other_query_language_are_reported_on_the_key() {
        // The machine's language reaches states in branches and processors;
        // a state's own `QueryLanguage` wins.
        let t = r#"{"QueryLanguage":"JSONata","StartAt":"P","States":{
          "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Result":1,"End":true}}}],"Next":"C"},
          "C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","Next":"J"}],"Default":"J"},
          "J":{"Type":"Pass","QueryLanguage":"JSONPath","Output":1,"End":true}}}"#;
        let ds = lint(t);
        let got: Vec<(String, String)> = ds
            .iter()
            .map(|d| (slice(t, d), d.message.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "\"Result\"".to_string(),
                    "`Result` is a JSONPath field, but state `B` uses JSONata".to_string()
                ),
                (
                    "\"Variable\"".to_string(),
                    "`Choices[0].Variable` is a JSONPath field, but state `C` uses JSONata"
                        .to_string()
                ),
                (
                    "\"Output\"".to_string(),
                    "`Output` is a JSONata field, but state `J` uses JSONPath".to_string()
                ),
            ]
        );
        assert_eq!(ds[0].pointer, "/States/P/Branches/0/States/B/Result");
        // A field the state type does not have at all is only unknown.
        let t = r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Output":1}}}"#;
        let (d, _) = one(t);
        assert_eq!(d.rule.name, "unknown-field");
        // A state of unknown type is not judged on its fields.
        let t = r#"{"StartAt":"F","States":{"F":{"Type":"Taks","Output":1}}}"#;
        let (d, _) = one(t);
        assert!(d.message.contains("expected one of"), "{d:#?}");
    }

    #[test]
    fn escaped_state_names_resolve() {
        let t = r#"{"StartAt":"a/b~c","States":{"a/b~c":{"Type":"Pass","Nxet":"x","End":true}}}"#;
        let (d, s) = one(t);
        assert_eq!(s, "\"Nxet\"");
        assert_eq!(
            d.message,
            "field `Nxet` is not allowed in Pass state `a/b~c`"
        );
        assert_eq!(d.pointer, "/States/a~1b~0c/Nxet");
        let root = json::parse(t).documents.remove(0).root;
        assert!(describe(&root, "/States/a~1b~0c").is_some_and(|d| d.starts_with("A Pass state")));
    }

    #[test]
    fn the_root_must_be_an_object() {
        let (d, s) = one("[1]");
        assert_eq!(s, "[1]");
        assert_eq!(
            d.message,
            "the state machine must be an object, found array"
        );
    }

    #[test]
    fn duplicate_keys_use_the_first_copy() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Succeed","Type":7}}}"#;
        assert!(lint(t).is_empty());
    }

    #[test]
    fn disabled_rules_cost_nothing() {
        let root = json::parse(r#"{"x":1}"#).documents.remove(0).root;
        let settings = Settings::only(&crate::rules::duplicate_key::DUPLICATE_KEY);
        let mut sink = Sink::new(&settings, Some(&root));
        check(&root, r#"{"x":1}"#, &mut sink);
        assert!(sink.finish().is_empty());
    }

    #[test]
    fn describes_fields_states_and_nested_parts() {
        let t = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":[],"MaxAttempts":1}]},
            "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":1,"End":true}}}}}}"#;
        let root = json::parse(t).documents.remove(0).root;
        let d = |p: &str| describe(&root, p).unwrap_or_default();
        assert!(d("/StartAt").contains("run first"));
        assert!(d("/States/A").starts_with("A Task state"));
        assert!(d("/States/A/Resource").contains("ARN"));
        assert!(d("/States/A/Retry/0/MaxAttempts").contains("retries"));
        assert!(d("/States/M/ItemProcessor").contains("for each item"));
        assert!(d("/States/M/ItemProcessor/States/B/Seconds").contains("wait"));
        assert!(describe(&root, "/States/A/Nope").is_none());
        // Both variants of `States` (the top-level `QueryLanguage` picks one).
        let t = r#"{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "Branches":[{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}}}]}}}"#;
        let root = json::parse(t).documents.remove(0).root;
        let d = |p: &str| describe(&root, p).unwrap_or_default();
        assert!(d("/States").contains("keyed by name"));
        assert!(d("/States/P").starts_with("A Parallel state"));
        assert!(d("/States/P/Branches/0/States/M/ItemProcessor").contains("for each item"));
        assert!(d("/States/P/Branches/0/States/M/ItemProcessor/States/B")
            .starts_with("A Succeed state"));
        assert!(describe(&root, "nonsense").is_none());
    }
}
