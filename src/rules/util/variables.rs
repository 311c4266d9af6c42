//! Workflow variables (`Assign`, `$name`) in both query languages: where they
//! are assigned, where they are read, and a data-flow pass over each scope's
//! graph that tells which variables are certainly (or possibly) assigned when
//! a state is entered. Shared by the variable rules (ASL310–ASL316); reports
//! nothing itself.
//!
//! The semantics modelled here, as AWS runs them (and as the AWS-recorded
//! LocalStack tests show):
//!
//! * every expression of a state (its `Assign`, `Output`, `Arguments`, paths,
//!   catcher fields …) sees the variable values from the moment the state was
//!   entered; new values apply when the state is left;
//! * a state's own `Assign` runs when it leaves through `Next` (or a Choice
//!   state's `Default`); a failing state leaves through a catcher, which runs
//!   the catcher's `Assign` instead; a Choice rule that matches runs the
//!   rule's `Assign`;
//! * each Parallel branch and Map iteration runs in a scope of its own that
//!   starts with the outer variables as they were when the Parallel/Map state
//!   was entered; what it assigns is gone when it ends, and it cannot assign a
//!   name the outer scope already holds; a Distributed Map's child workflow
//!   sees no outer variable at all.
//!
//! Everything is linear in the size of the definition, except the data-flow
//! fixpoint, which works on words of 64 variables over the region where
//! they matter (see [`Flow`]) and only ever shrinks (must) or grows (may)
//! each state's set.

use crate::model::{Machine, QueryLanguage, ScopeId, State, StateId, TransitionKind};
use crate::paths::PathKind;
use crate::rules::jsonpath_sites::{PathField, ValueMap};
use crate::rules::util::is_jsonata;
use crate::rules::LintContext;
use crate::syntax::{Member, Node, TextRange, Value};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::{HashMap, HashSet, VecDeque};

// ---------------------------------------------------------------------------
// JSONata: a conservative lexical scan for variable reads
// ---------------------------------------------------------------------------

/// True for the name of a JSONata (or Step Functions-provided) function.
pub fn is_jsonata_function(name: &str) -> bool {
    use crate::jsonata::analysis::{BUILTIN_FUNCTIONS, STEP_FUNCTIONS_FUNCTIONS};
    BUILTIN_FUNCTIONS.contains(&name) || STEP_FUNCTIONS_FUNCTIONS.contains(&name)
}

/// One `$name` token of a JSONata expression.
#[derive(Clone, Debug, PartialEq, Eq)]
struct VarToken {
    name: String,
    /// `$name`, relative to the expression.
    range: TextRange,
    /// This occurrence binds the name: `$x := …`, a lambda parameter, or the
    /// `@$x` / `#$x` path bindings.
    binding: bool,
    /// Followed by `(`: a function call.
    call: bool,
    /// The first argument of `$exists(…)`: reading an unassigned variable
    /// there is the documented way to test for it.
    guarded: bool,
}

/// Scans a JSONata expression (the text between `{%` and `%}`) for `$name`
/// tokens, skipping string literals (`'…'`, `"…"`), back-quoted names,
/// `/* comments */` and regular-expression literals. Linear in the length of
/// the expression; never fails.
fn scan_jsonata(expr: &str) -> Vec<VarToken> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the previous token ends an operand (then `/` divides; otherwise
    // it starts a regular expression).
    let mut prev_operand = false;
    let mut depth = 0usize;
    // The parenthesis depth at which a lambda's parameter list closes.
    let mut params_depth: Option<usize> = None;
    let mut pending_function = false;
    let mut last_was_exists = false;
    let mut exists_open = false;
    let mut bind_prefix = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            // Comments are transparent to the state below.
            i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
            continue;
        }
        let guard = std::mem::take(&mut exists_open);
        let after_exists = std::mem::take(&mut last_was_exists);
        let prefix = std::mem::take(&mut bind_prefix);
        let pending_fn = std::mem::take(&mut pending_function);
        match c {
            b'\'' | b'"' => {
                i = skip_string(b, i);
                prev_operand = true;
            }
            b'`' => {
                i = find(b, i + 1, b"`").map_or(b.len(), |e| e + 1);
                prev_operand = true;
            }
            b'/' if !prev_operand => {
                i = skip_regex(b, i);
                prev_operand = true;
            }
            b'$' => {
                let start = i;
                i += 1;
                if b.get(i) == Some(&b'$') {
                    i += 1;
                    prev_operand = true;
                    continue;
                }
                let name_start = i;
                match expr.get(i..).and_then(|r| r.chars().next()) {
                    Some(ch) if ch.is_alphabetic() || ch == '_' => {
                        i += ch.len_utf8();
                        while let Some(ch) = expr.get(i..).and_then(|r| r.chars().next()) {
                            if ch.is_alphanumeric() || ch == '_' {
                                i += ch.len_utf8();
                            } else {
                                break;
                            }
                        }
                        let name = &expr[name_start..i];
                        let next = skip_ws(b, i);
                        let call = b.get(next) == Some(&b'(');
                        let assigns = b.get(next) == Some(&b':') && b.get(next + 1) == Some(&b'=');
                        out.push(VarToken {
                            name: name.to_string(),
                            range: TextRange::new(start, i),
                            binding: assigns || prefix || params_depth.is_some(),
                            call,
                            guarded: guard,
                        });
                        last_was_exists = call && name == "exists";
                    }
                    // `$` alone (the context), `$.x`, `${…}` placeholders.
                    _ => {}
                }
                prev_operand = true;
            }
            b'(' => {
                depth += 1;
                if pending_fn && params_depth.is_none() {
                    params_depth = Some(depth);
                }
                exists_open = after_exists;
                prev_operand = false;
                i += 1;
            }
            b')' => {
                if params_depth == Some(depth) {
                    params_depth = None;
                }
                depth = depth.saturating_sub(1);
                prev_operand = true;
                i += 1;
            }
            b']' | b'}' => {
                prev_operand = true;
                i += 1;
            }
            b'@' | b'#' => {
                bind_prefix = true;
                prev_operand = false;
                i += 1;
            }
            b'0'..=b'9' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                prev_operand = true;
            }
            _ => match expr.get(i..).and_then(|r| r.chars().next()) {
                Some(ch) if ch.is_alphabetic() || ch == '_' => {
                    let start = i;
                    while let Some(ch) = expr.get(i..).and_then(|r| r.chars().next()) {
                        if ch.is_alphanumeric() || ch == '_' {
                            i += ch.len_utf8();
                        } else {
                            break;
                        }
                    }
                    let word = &expr[start..i];
                    pending_function = word == "function" || word == "λ";
                    prev_operand = !matches!(word, "and" | "or" | "in" | "function" | "λ");
                }
                Some(ch) => {
                    prev_operand = false;
                    i += ch.len_utf8();
                }
                None => i += 1,
            },
        }
    }
    out
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// From an opening quote to just past the closing one (or the end).
fn skip_string(b: &[u8], at: usize) -> usize {
    let quote = b[at];
    let mut j = at + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            q if q == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// From the opening `/` of a regular expression to just past its flags.
fn skip_regex(b: &[u8], at: usize) -> usize {
    let mut j = at + 1;
    let mut in_class = false;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'[' => {
                in_class = true;
                j += 1;
            }
            b']' => {
                in_class = false;
                j += 1;
            }
            b'/' if !in_class => {
                j += 1;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                return j;
            }
            _ => j += 1,
        }
    }
    b.len()
}

/// A read found in a JSONata expression.
struct JsonataRead {
    name: String,
    range: TextRange,
    guarded: bool,
    /// Also the name of a JSONata function (`$count`, `$error`): a read only
    /// when a state assigns a variable of that name.
    function: bool,
}

/// What one JSONata expression says about variables.
struct JsonataScan {
    reads: Vec<JsonataRead>,
    /// Every name written as `$name` and not called, bound names and function
    /// names included: what may refer to a workflow variable.
    mentions: Vec<String>,
}

fn jsonata_scan(expr: &str) -> JsonataScan {
    let tokens = scan_jsonata(expr);
    let bound: HashSet<&str> = tokens
        .iter()
        .filter(|t| t.binding)
        .map(|t| t.name.as_str())
        .collect();
    // A name tested with `$exists(…)` anywhere in the expression is guarded
    // everywhere in it: `$exists($x) ? $x : 0` reads `$x` only when it has
    // a value.
    let tested: HashSet<&str> = tokens
        .iter()
        .filter(|t| t.guarded)
        .map(|t| t.name.as_str())
        .collect();
    let mut reads = Vec::new();
    let mut mentions = Vec::new();
    for t in &tokens {
        if t.call || t.name == "states" {
            continue;
        }
        mentions.push(t.name.clone());
        if t.binding || bound.contains(t.name.as_str()) {
            continue;
        }
        reads.push(JsonataRead {
            name: t.name.clone(),
            range: t.range,
            guarded: tested.contains(t.name.as_str()),
            function: is_jsonata_function(&t.name),
        });
    }
    JsonataScan { reads, mentions }
}

/// The workflow variables a JSONata expression (the text between `{%` and
/// `%}`) reads, with the range of each `$name` token in `expr`.
///
/// This is a conservative lexical scan, not a parser: it skips string
/// literals, back-quoted names, comments and regular expressions, and leaves
/// out `$states`, `$$`, function calls (`$name(`), names of JSONata functions
/// (`$string` passed as a value), and every name the expression binds itself anywhere (`$x := …`, lambda
/// parameters `function($a, $b)`, `@$x` and `#$i` path bindings). When in
/// doubt it reports nothing, so a read may be missed but a non-read is never
/// reported. Deploy-time placeholders `${X}` are not reads.
///
/// It is kept behind this function (and the private `jsonata_scan` it
/// projects, which the rules use because it also marks `$exists(…)`
/// arguments, function names and every mentioned name) so that the full
/// JSONata parser can replace it later: walking the AST for free variables
/// gives the same answer with scoping exactly right.
pub fn jsonata_variable_reads(expr: &str) -> Vec<(String, TextRange)> {
    jsonata_scan(expr)
        .reads
        .into_iter()
        .filter(|r| !r.function)
        .map(|r| (r.name, r.range))
        .collect()
}

/// The expression between `{%` and `%}` of a JSONata string, with its offset
/// in the string.
fn jsonata_body(s: &str) -> Option<(usize, &str)> {
    if !is_jsonata(s) {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let start = lead + 2;
    let end = s.len() - trail - 2;
    (start <= end).then(|| (start, &s[start..end]))
}

// ---------------------------------------------------------------------------
// Assignments and reads
// ---------------------------------------------------------------------------

/// Which `Assign` of a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssignSite {
    /// The state's own `Assign`.
    State,
    /// `Catch[i].Assign`.
    Catch(usize),
    /// `Choices[i].Assign`.
    Choice(usize),
}

impl AssignSite {
    /// The field as a user would name it.
    pub fn field(self) -> String {
        match self {
            AssignSite::State => "Assign".into(),
            AssignSite::Catch(i) => format!("Catch[{i}].Assign"),
            AssignSite::Choice(i) => format!("Choices[{i}].Assign"),
        }
    }
}

/// The name a key of an `Assign` object assigns: the key without a `.$`
/// suffix.
pub fn variable_name(key: &str) -> &str {
    key.strip_suffix(".$").unwrap_or(key)
}

/// The `Assign` objects of a state: its own, its catchers' and its Choice
/// rules' (top-level rules only).
pub fn assign_objects<'a>(state: &State<'a>) -> Vec<(AssignSite, &'a Node)> {
    let mut out = Vec::new();
    if let Some(a) = state.get("Assign") {
        out.push((AssignSite::State, a));
    }
    for (key, site) in [
        ("Catch", AssignSite::Catch as fn(usize) -> AssignSite),
        ("Choices", AssignSite::Choice),
    ] {
        if let Some(items) = state.get(key).and_then(Node::as_array) {
            for (i, item) in items.iter().enumerate() {
                if let Some(a) = item.get("Assign") {
                    out.push((site(i), a));
                }
            }
        }
    }
    out
}

/// One key of one `Assign` object.
#[derive(Debug)]
pub struct Assignment<'a> {
    /// The variable (the key without `.$`).
    pub name: &'a str,
    /// Index of the name in [`Variables::names`].
    pub var: usize,
    pub member: &'a Member,
    pub state: StateId,
    pub site: AssignSite,
}

/// Where in its state a read is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// In the value assigned to the named variable by this `Assign`.
    Assign(AssignSite, &'a str),
    /// Elsewhere in `Catch[i]` (its `Output`).
    Catch(usize),
    /// Elsewhere in `Choices[i]` (its `Condition`, `Variable`, `…Path`).
    Choice(usize),
    /// Anywhere else in the state.
    Other,
}

/// One read of a workflow variable.
#[derive(Debug)]
pub struct Read<'a> {
    pub name: String,
    /// `$name` in the file.
    pub range: TextRange,
    pub state: StateId,
    /// The field it is read in, as a user would name it: `Parameters`,
    /// `Catch[0].Assign`, `Choices[1].Condition`.
    pub field: String,
    pub part: Part<'a>,
    /// The argument of JSONata `$exists(…)`: a test, not a use.
    pub guarded: bool,
}

/// Every assignment and read of the machine.
pub struct Variables<'a> {
    pub assignments: Vec<Assignment<'a>>,
    pub reads: Vec<Read<'a>>,
    /// The distinct assigned names; a variable's index is its position.
    pub names: Vec<&'a str>,
    pub index: HashMap<&'a str, usize>,
    /// Per variable: its assignments (indexes into `assignments`), in source order.
    by_var: Vec<Vec<usize>>,
    /// Every name that may refer to a variable anywhere (reads, plus names
    /// seen in expressions that could not be read precisely).
    pub mentioned: HashSet<String>,
}

impl<'a> Variables<'a> {
    /// Collects the assignments and reads of every state.
    pub fn collect(cx: &LintContext<'a>) -> Self {
        let machine = cx.machine;
        let mut vars = Variables {
            assignments: Vec::new(),
            reads: Vec::new(),
            names: Vec::new(),
            index: HashMap::new(),
            by_var: Vec::new(),
            mentioned: HashSet::new(),
        };
        for state in &machine.states {
            for (site, obj) in assign_objects(state) {
                for member in obj.as_object().unwrap_or(&[]) {
                    let name = variable_name(&member.key);
                    let next = vars.names.len();
                    let var = *vars.index.entry(name).or_insert(next);
                    if var == next {
                        vars.names.push(name);
                        vars.by_var.push(Vec::new());
                    }
                    vars.by_var[var].push(vars.assignments.len());
                    vars.assignments.push(Assignment {
                        name,
                        var,
                        member,
                        state: state.id,
                        site,
                    });
                }
            }
        }
        vars.collect_jsonpath_reads(cx);
        for state in &machine.states {
            if state.query_language == QueryLanguage::Jsonata {
                vars.collect_jsonata_reads(cx, state);
            }
        }
        for r in &vars.reads {
            vars.mentioned.insert(r.name.clone());
        }
        vars
    }

    /// The variable index of `name`, when some state assigns it.
    pub fn var(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The assignments of variable `var`, in source order.
    pub fn assignments_of(&self, var: usize) -> impl Iterator<Item = (usize, &Assignment<'a>)> {
        self.by_var
            .get(var)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(move |&i| (i, &self.assignments[i]))
    }

    fn collect_jsonpath_reads(&mut self, cx: &LintContext<'a>) {
        for parsed in cx.jsonpath_sites() {
            let site = &parsed.site;
            // A variable in ResultPath is a write target, and invalid.
            if site.field == Some(PathField::ResultPath) {
                continue;
            }
            let field: &str = &site.what.field;
            let part = match site.top_key {
                // A template value: in an `Assign`, it is part of the value of
                // the variable its top-level key names.
                Some(top) => match assign_site_of(field) {
                    Some(a) => Part::Assign(a, variable_name(top)),
                    None => Part::Other,
                },
                None => part_of_field(field),
            };
            let mut found = false;
            let mut map = None;
            parsed.paths(|p| {
                found = true;
                if p.kind != PathKind::Variable {
                    return;
                }
                if let Some((name, r)) = &p.variable {
                    let dollar = TextRange::new(r.start().saturating_sub(1), r.end());
                    let map = map.get_or_insert_with(|| ValueMap::new(cx, site.node));
                    self.reads.push(Read {
                        name: name.clone(),
                        range: map.range(dollar),
                        state: site.state.id,
                        field: field.to_string(),
                        part,
                        guarded: false,
                    });
                }
            });
            if !found && site.text.contains('$') {
                // Not a valid path or call: whatever it names may still be
                // meant as a variable, so it counts against `unused-variable`.
                for t in scan_jsonata(site.text) {
                    self.mentioned.insert(t.name);
                }
            }
        }
    }

    fn collect_jsonata_reads(&mut self, cx: &LintContext<'a>, state: &State<'a>) {
        let Some(members) = state.node.as_object() else {
            return;
        };
        // (node, field label, part)
        let mut stack: Vec<(&'a Node, String, Part<'a>)> = Vec::new();
        for m in members {
            match m.key.as_str() {
                // Child scopes are visited as their own states; a comment is text.
                "Branches" | "ItemProcessor" | "Iterator" | "Comment" => {}
                "Assign" => push_assign(&mut stack, &m.value, AssignSite::State),
                key @ ("Catch" | "Choices") => {
                    for (i, item) in m.value.as_array().unwrap_or(&[]).iter().enumerate() {
                        let Some(fields) = item.as_object() else {
                            continue;
                        };
                        for f in fields {
                            match (key, f.key.as_str()) {
                                (_, "Comment") => {}
                                ("Catch", "Assign") => {
                                    push_assign(&mut stack, &f.value, AssignSite::Catch(i))
                                }
                                ("Choices", "Assign") => {
                                    push_assign(&mut stack, &f.value, AssignSite::Choice(i))
                                }
                                ("Catch", k) => stack.push((
                                    &f.value,
                                    format!("Catch[{i}].{k}"),
                                    Part::Catch(i),
                                )),
                                (_, k) => stack.push((
                                    &f.value,
                                    format!("Choices[{i}].{k}"),
                                    Part::Choice(i),
                                )),
                            }
                        }
                    }
                }
                key => stack.push((&m.value, key.to_string(), Part::Other)),
            }
        }
        while let Some((node, field, part)) = stack.pop() {
            match &node.value {
                Value::String(s) => {
                    let Some((offset, expr)) = jsonata_body(s) else {
                        continue;
                    };
                    let scan = jsonata_scan(expr);
                    self.mentioned.extend(scan.mentions);
                    let mut map = None;
                    for r in scan.reads {
                        // `$count` passed as a function, unless a state
                        // assigns a variable `count` (which then shadows it).
                        if r.function && !self.index.contains_key(r.name.as_str()) {
                            continue;
                        }
                        let inner =
                            TextRange::new(offset + r.range.start(), offset + r.range.end());
                        self.reads.push(Read {
                            name: r.name,
                            range: map
                                .get_or_insert_with(|| ValueMap::new(cx, node))
                                .range(inner),
                            state: state.id,
                            field: field.clone(),
                            part,
                            guarded: r.guarded,
                        });
                    }
                }
                Value::Array(items) => {
                    stack.extend(items.iter().rev().map(|n| (n, field.clone(), part)));
                }
                Value::Object(ms) => {
                    stack.extend(ms.iter().rev().map(|m| (&m.value, field.clone(), part)));
                }
                _ => {}
            }
        }
    }
}

fn push_assign<'a>(stack: &mut Vec<(&'a Node, String, Part<'a>)>, obj: &'a Node, site: AssignSite) {
    for m in obj.as_object().unwrap_or(&[]) {
        stack.push((
            &m.value,
            site.field(),
            Part::Assign(site, variable_name(&m.key)),
        ));
    }
}

/// The `Assign` a template field is: `Assign`, `Catch[0].Assign`,
/// `Choices[1].Assign`; `None` for other templates.
fn assign_site_of(field: &str) -> Option<AssignSite> {
    match field {
        "Assign" => Some(AssignSite::State),
        f if f.ends_with(".Assign") => match part_of_field(f) {
            Part::Catch(i) => Some(AssignSite::Catch(i)),
            Part::Choice(i) => Some(AssignSite::Choice(i)),
            _ => None,
        },
        _ => None,
    }
}

/// `Choices[2].Variable` → `Part::Choice(2)`; `Catch[0].…` → `Part::Catch(0)`.
fn part_of_field<'a>(field: &str) -> Part<'a> {
    let index = |rest: &str| rest.split(']').next().and_then(|d| d.parse::<usize>().ok());
    if let Some(i) = field.strip_prefix("Choices[").and_then(index) {
        Part::Choice(i)
    } else if let Some(i) = field.strip_prefix("Catch[").and_then(index) {
        Part::Catch(i)
    } else {
        Part::Other
    }
}

// ---------------------------------------------------------------------------
// Data flow
// ---------------------------------------------------------------------------

/// What the `Assign`s of one state assign, as bits of the variables of one
/// chunk (see [`Flow::compute`]).
#[derive(Clone, Default)]
struct GenMask {
    state: u64,
    catch: Vec<(usize, u64)>,
    choice: Vec<(usize, u64)>,
}

fn mask_at(list: &[(usize, u64)], i: usize) -> u64 {
    list.iter().find(|(j, _)| *j == i).map_or(0, |(_, m)| *m)
}

fn or_at(list: &mut Vec<(usize, u64)>, i: usize, bit: u64) {
    match list.iter_mut().find(|(j, _)| *j == i) {
        Some((_, m)) => *m |= bit,
        None => list.push((i, bit)),
    }
}

/// What the flow says about one read of a visible variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFlow {
    /// Not computed: the name is assigned nowhere, or not visible here.
    Unknown,
    /// The reading state is never entered.
    Unreached,
    Reached {
        /// Assigned on some path from `StartAt` to the state's entry.
        possibly: bool,
        /// Assigned on every such path.
        certainly: bool,
        /// When possibly but not certainly assigned: one transition into
        /// the state along which it is not (`None`: the scope is entered
        /// without it).
        via: Option<(StateId, TransitionKind)>,
    },
}

/// The result of the data-flow pass: what the variable rules ask of it,
/// answered per read and per assignment.
///
/// The pass works on 64 variables at a time, one machine word per state
/// for the variables assigned on every path (`must`) and one for those
/// assigned on some path (`may`), and only on the variables some read or
/// some inner-scope assignment asks about. Each chunk of 64 flows only over
/// its region: the states an assignment of one of its variables reaches and
/// that lead to a question about one of them (a variable read right after
/// its assignment costs a few states). Memory stays linear in the size of
/// the machine, and a machine whose states each assign a variable that is
/// never read costs nothing beyond the reachability pass.
pub struct Flow {
    /// Per state: entered on some path from the top-level `StartAt`.
    entered: Vec<bool>,
    /// Per read (index into `Variables::reads`).
    reads: Vec<ReadFlow>,
    /// Per assignment: it is in an inner scope whose enclosing scope may
    /// already hold the name when the inner scope starts.
    outer_may: Vec<bool>,
    /// Per variable: the distinct scopes that assign it, sorted.
    scopes_of: Vec<Vec<ScopeId>>,
    /// How many (state, word) updates the fixpoint made: a measure of work
    /// for tests.
    pub work: u64,
}

/// How [`Flow::compute_with`] propagates each chunk of variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowMode {
    /// Only over the states where the chunk's variables are assigned before
    /// and asked about after (the default).
    Regions,
    /// Over every scope where the chunk's variables are visible (the
    /// fallback when the regions would take too much memory; the reference
    /// the regions are tested against).
    Everywhere,
}

impl Flow {
    pub fn compute(machine: &Machine<'_>, vars: &Variables<'_>) -> Flow {
        Flow::compute_with(machine, vars, FlowMode::Regions)
    }

    pub fn compute_with(machine: &Machine<'_>, vars: &Variables<'_>, mode: FlowMode) -> Flow {
        let n_states = machine.states.len();
        let mut scopes_of: Vec<Vec<ScopeId>> = vec![Vec::new(); vars.names.len()];
        for a in &vars.assignments {
            scopes_of[a.var].push(machine.state(a.state).scope);
        }
        for s in &mut scopes_of {
            s.sort_unstable();
            s.dedup();
        }
        let mut flow = Flow {
            entered: reachable(machine),
            reads: vec![ReadFlow::Unknown; vars.reads.len()],
            outer_may: vec![false; vars.assignments.len()],
            scopes_of,
            work: 0,
        };
        // The variables the rules ask about: read where visible, or assigned
        // in an inner scope (whose outer values may conflict).
        let mut wanted: Vec<usize> = Vec::new();
        let mut seen = vec![false; vars.names.len()];
        let mut want = |v: usize, wanted: &mut Vec<usize>| {
            if !seen[v] {
                seen[v] = true;
                wanted.push(v);
            }
        };
        let mut read_queries: Vec<usize> = Vec::new();
        for (ri, r) in vars.reads.iter().enumerate() {
            let Some(v) = vars.var(&r.name) else {
                continue;
            };
            if r.guarded {
                continue;
            }
            if !flow.entered[r.state.0 as usize] {
                flow.reads[ri] = ReadFlow::Unreached;
                continue;
            }
            if flow.visible(machine, machine.state(r.state).scope, v) {
                want(v, &mut wanted);
                read_queries.push(ri);
            }
        }
        let mut assign_queries: Vec<usize> = Vec::new();
        for (ai, a) in vars.assignments.iter().enumerate() {
            let s = machine.scope(machine.state(a.state).scope);
            if s.owner.is_some() && !s.distributed && flow.entered[a.state.0 as usize] {
                want(a.var, &mut wanted);
                assign_queries.push(ai);
            }
        }
        if wanted.is_empty() {
            return flow;
        }
        wanted.sort_unstable();
        // Variable → (chunk, bit).
        let mut slot: HashMap<usize, (usize, u64)> = HashMap::with_capacity(wanted.len());
        for (i, &v) in wanted.iter().enumerate() {
            slot.insert(v, (i / 64, 1u64 << (i % 64)));
        }
        let chunks = wanted.len().div_ceil(64);
        // The assignments and queries of each chunk.
        let mut chunk_assigns: Vec<Vec<usize>> = vec![Vec::new(); chunks];
        for (ai, a) in vars.assignments.iter().enumerate() {
            if let Some(&(c, _)) = slot.get(&a.var) {
                chunk_assigns[c].push(ai);
            }
        }
        let mut chunk_reads: Vec<Vec<usize>> = vec![Vec::new(); chunks];
        for ri in read_queries {
            let v = vars.var(&vars.reads[ri].name).unwrap_or(0);
            chunk_reads[slot[&v].0].push(ri);
        }
        let mut chunk_outer: Vec<Vec<usize>> = vec![Vec::new(); chunks];
        for ai in assign_queries {
            chunk_outer[slot[&vars.assignments[ai].var].0].push(ai);
        }
        let mut pass = Pass {
            must: vec![0; n_states],
            may: vec![0; n_states],
            set: vec![false; n_states],
            may_set: vec![false; n_states],
            gen_of: vec![0; n_states],
            gen_masks: Vec::new(),
            gen_states: Vec::new(),
            touched: Vec::new(),
            queued: vec![false; n_states],
            in_region: vec![false; n_states],
            work: 0,
        };
        // Which chunks' questions each state can lead to: the flow of a chunk
        // is then computed only where its variables are both assigned before
        // and asked about after (a variable read right after its assignment
        // costs a few states, not the rest of the machine).
        let reach = if mode == FlowMode::Regions {
            let mut seeds: Vec<(usize, usize)> = Vec::new();
            for (c, reads) in chunk_reads.iter().enumerate() {
                seeds.extend(reads.iter().map(|&ri| (vars.reads[ri].state.0 as usize, c)));
            }
            for (c, outer) in chunk_outer.iter().enumerate() {
                for &ai in outer {
                    let scope = machine.scope(machine.state(vars.assignments[ai].state).scope);
                    if let Some(owner) = scope.owner {
                        seeds.push((owner.0 as usize, c));
                    }
                }
            }
            QueryReach::compute(machine, &seeds, chunks)
        } else {
            None
        };
        let n_scopes = machine.scopes.len();
        for c in 0..chunks {
            // What the chunk's assignments assign, per state and per scope.
            for s in pass.gen_states.drain(..) {
                pass.gen_of[s] = 0;
            }
            pass.gen_masks.clear();
            let mut assigned = vec![0u64; n_scopes];
            for &ai in &chunk_assigns[c] {
                let a = &vars.assignments[ai];
                let bit = slot[&a.var].1;
                let si = a.state.0 as usize;
                if pass.gen_of[si] == 0 {
                    pass.gen_masks.push(GenMask::default());
                    pass.gen_of[si] = pass.gen_masks.len() as u32;
                    pass.gen_states.push(si);
                }
                let g = &mut pass.gen_masks[pass.gen_of[si] as usize - 1];
                match a.site {
                    AssignSite::State => g.state |= bit,
                    AssignSite::Catch(i) => or_at(&mut g.catch, i, bit),
                    AssignSite::Choice(i) => or_at(&mut g.choice, i, bit),
                }
                assigned[machine.state(a.state).scope.0 as usize] |= bit;
            }
            match &reach {
                Some(reach) => pass.chunk_in_region(machine, &flow.entered, reach, c),
                None => pass.chunk_everywhere(machine, &flow.entered, assigned),
            }
            for &ri in &chunk_reads[c] {
                let r = &vars.reads[ri];
                let v = vars.var(&r.name).unwrap_or(0);
                let bit = slot[&v].1;
                let s = r.state.0 as usize;
                let possibly = pass.may[s] & bit != 0;
                let certainly = pass.must[s] & bit != 0;
                let via = if possibly && !certainly {
                    pass.missing_edge(machine, &flow.entered, r.state, bit)
                } else {
                    None
                };
                flow.reads[ri] = ReadFlow::Reached {
                    possibly,
                    certainly,
                    via,
                };
            }
            for &ai in &chunk_outer[c] {
                let a = &vars.assignments[ai];
                let bit = slot[&a.var].1;
                // The inner scope starts with the values its owner had on entry.
                let scope = machine.scope(machine.state(a.state).scope);
                flow.outer_may[ai] = scope
                    .owner
                    .is_some_and(|o| !scope.distributed && pass.may[o.0 as usize] & bit != 0);
            }
            // Clear what this chunk set, for the next one.
            for i in pass.touched.drain(..) {
                pass.set[i] = false;
                pass.may_set[i] = false;
                pass.in_region[i] = false;
                pass.must[i] = 0;
                pass.may[i] = 0;
            }
        }
        flow.work = pass.work;
        flow
    }

    /// True when variable `var` can be read in `scope`: it is assigned there
    /// or in an enclosing scope, up to a Distributed Map's child workflow.
    pub fn visible(&self, machine: &Machine<'_>, scope: ScopeId, var: usize) -> bool {
        let Some(scopes) = self.scopes_of.get(var) else {
            return false;
        };
        let mut cur = scope;
        loop {
            if scopes.binary_search(&cur).is_ok() {
                return true;
            }
            let s = machine.scope(cur);
            match s.owner {
                Some(owner) if !s.distributed => cur = machine.state(owner).scope,
                _ => return false,
            }
        }
    }

    /// Whether `state` is entered on some path from the top-level `StartAt`.
    pub fn entered(&self, state: StateId) -> bool {
        self.entered.get(state.0 as usize).copied().unwrap_or(false)
    }

    /// What the flow says about read `ri`.
    pub fn read(&self, ri: usize) -> ReadFlow {
        self.reads.get(ri).copied().unwrap_or(ReadFlow::Unknown)
    }
}

/// For each state, the chunks of variables whose questions (reads, and the
/// owners of inner scopes that assign them) it leads to along transitions,
/// into Parallel and Map states' scopes and itself included: one bit per
/// chunk. Computed once, in reverse topological order of each scope's
/// strongly connected components, innermost scopes first.
struct QueryReach {
    words: usize,
    bits: Vec<u64>,
}

/// The most words [`QueryReach`] may take (64 MiB); beyond, every chunk is
/// propagated everywhere instead.
const QUERY_REACH_WORDS: usize = 8 << 20;

impl QueryReach {
    fn compute(machine: &Machine<'_>, seeds: &[(usize, usize)], chunks: usize) -> Option<Self> {
        let words = chunks.div_ceil(64);
        let n = machine.states.len();
        if n.checked_mul(words)? > QUERY_REACH_WORDS {
            return None;
        }
        let mut bits = vec![0u64; n * words];
        for &(s, c) in seeds {
            bits[s * words + c / 64] |= 1 << (c % 64);
        }
        let mut acc = vec![0u64; words];
        for scope in machine.scopes.iter().rev() {
            let g = machine.graph(scope.id);
            // Kosaraju is iterative, and lists components sinks first.
            let sccs = petgraph::algo::kosaraju_scc(&g.graph);
            let mut component = vec![usize::MAX; g.graph.node_count()];
            for (k, scc) in sccs.iter().enumerate() {
                for node in scc {
                    component[node.index()] = k;
                }
            }
            for (k, scc) in sccs.iter().enumerate() {
                acc.fill(0);
                for &node in scc {
                    let s = g.state(node).0 as usize;
                    or_into(&mut acc, &bits[s * words..(s + 1) * words]);
                    for m in g.graph.neighbors(node) {
                        if component[m.index()] != k {
                            let t = g.state(m).0 as usize;
                            or_into(&mut acc, &bits[t * words..(t + 1) * words]);
                        }
                    }
                }
                for &node in scc {
                    let s = g.state(node).0 as usize;
                    bits[s * words..(s + 1) * words].copy_from_slice(&acc);
                }
            }
            // The owner leads to whatever its inner scope's start leads to.
            if let (Some(owner), false, Some(start)) = (scope.owner, scope.distributed, g.start) {
                let (o, st) = (owner.0 as usize, g.state(start).0 as usize);
                acc.copy_from_slice(&bits[st * words..(st + 1) * words]);
                or_into(&mut bits[o * words..(o + 1) * words], &acc);
            }
        }
        Some(QueryReach { words, bits })
    }

    fn leads_to(&self, state: usize, chunk: usize) -> bool {
        self.bits[state * self.words + chunk / 64] & (1 << (chunk % 64)) != 0
    }
}

fn or_into(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a |= b;
    }
}

/// The states entered on some path from the top-level `StartAt`, through
/// the scopes of entered Parallel and Map states.
fn reachable(machine: &Machine<'_>) -> Vec<bool> {
    let mut entered = vec![false; machine.states.len()];
    for scope in &machine.scopes {
        if let Some(owner) = scope.owner {
            if !entered[owner.0 as usize] {
                continue;
            }
        }
        let g = machine.graph(scope.id);
        let Some(start) = g.start else {
            continue;
        };
        let mut stack = vec![start];
        entered[g.state(start).0 as usize] = true;
        while let Some(n) = stack.pop() {
            for m in g.graph.neighbors(n) {
                let s = g.state(m).0 as usize;
                if !entered[s] {
                    entered[s] = true;
                    stack.push(m);
                }
            }
        }
    }
    entered
}

/// The working sets of one chunk of variables.
struct Pass {
    must: Vec<u64>,
    may: Vec<u64>,
    /// The state's `must` set holds a value in this chunk's pass.
    set: Vec<bool>,
    /// The state's `may` set holds a value in this chunk's pass.
    may_set: Vec<bool>,
    /// Per state: index into `gen_masks` plus one (0: assigns nothing of
    /// this chunk).
    gen_of: Vec<u32>,
    gen_masks: Vec<GenMask>,
    gen_states: Vec<usize>,
    /// States whose sets this chunk touched (to clear them for the next).
    touched: Vec<usize>,
    /// In [`FlowMode::Regions`]: the state is in this chunk's region.
    in_region: Vec<bool>,
    queued: Vec<bool>,
    work: u64,
}

impl Pass {
    /// Propagates the current chunk over every entered scope where one of its
    /// variables is visible (`assigned`: per scope, the chunk's variables it
    /// assigns).
    fn chunk_everywhere(&mut self, machine: &Machine<'_>, entered: &[bool], assigned: Vec<u64>) {
        // Scopes are numbered so that an owner's scope comes before the
        // scopes it owns: each entry set is final when it is read.
        let mut visible = assigned;
        for scope in &machine.scopes {
            let si = scope.id.0 as usize;
            let (entry_must, entry_may) = match scope.owner {
                None => (0, 0),
                Some(owner) => {
                    let parent = machine.state(owner).scope.0 as usize;
                    if scope.distributed {
                        (0, 0)
                    } else {
                        if parent < si {
                            visible[si] |= visible[parent];
                        }
                        let o = owner.0 as usize;
                        (self.must[o], self.may[o])
                    }
                }
            };
            if visible[si] == 0 {
                continue;
            }
            let g = machine.graph(scope.id);
            let Some(start) = g.start else {
                continue;
            };
            if !entered[g.state(start).0 as usize] {
                continue;
            }
            self.propagate(machine, scope.id, start, entry_must, true);
            self.propagate(machine, scope.id, start, entry_may, false);
        }
    }

    /// Propagates chunk `c` over its region only: the entered states that
    /// some assignment of the chunk's variables reaches (through inner
    /// scopes too) and that lead to one of its questions. Outside the region
    /// both sets are empty for the chunk, and correctly so: a state no
    /// assignment reaches has none of the variables, and a state that leads
    /// to no question does not matter.
    fn chunk_in_region(
        &mut self,
        machine: &Machine<'_>,
        entered: &[bool],
        reach: &QueryReach,
        c: usize,
    ) {
        let mut region: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for &s in &self.gen_states {
            if entered[s] && reach.leads_to(s, c) && !self.in_region[s] {
                self.in_region[s] = true;
                region.push(s);
                stack.push(s);
            }
        }
        while let Some(s) = stack.pop() {
            let state = machine.state(StateId(s as u32));
            let g = machine.graph(state.scope);
            let mut next: Vec<usize> = Vec::new();
            if let Some(n) = g.node(state.id) {
                next.extend(g.graph.neighbors(n).map(|m| g.state(m).0 as usize));
            }
            for &child in &state.children {
                let scope = machine.scope(child);
                if scope.distributed {
                    continue;
                }
                let cg = machine.graph(child);
                if let Some(start) = cg.start {
                    next.push(cg.state(start).0 as usize);
                }
            }
            for t in next {
                self.work += 1;
                if entered[t] && !self.in_region[t] && reach.leads_to(t, c) {
                    self.in_region[t] = true;
                    region.push(t);
                    stack.push(t);
                }
            }
        }
        // By scope, owners' scopes first.
        region.sort_unstable_by_key(|&s| (machine.state(StateId(s as u32)).scope, s));
        self.touched.extend_from_slice(&region);
        let mut i = 0;
        while i < region.len() {
            let scope = machine.state(StateId(region[i] as u32)).scope;
            let mut j = i;
            while j < region.len() && machine.state(StateId(region[j] as u32)).scope == scope {
                j += 1;
            }
            self.propagate_region(machine, entered, scope, &region[i..j]);
            i = j;
        }
    }

    /// The fixpoint of one scope's part of a region: `must` starts full
    /// (empty where an entered state outside the region leads in, the
    /// entry set at the start) and shrinks; `may` starts empty and grows.
    fn propagate_region(
        &mut self,
        machine: &Machine<'_>,
        entered: &[bool],
        scope: ScopeId,
        states: &[usize],
    ) {
        let g = machine.graph(scope);
        let s = machine.scope(scope);
        let (entry_must, entry_may) = match s.owner {
            Some(o) if !s.distributed => (self.must[o.0 as usize], self.may[o.0 as usize]),
            _ => (0, 0),
        };
        let start = g.start;
        let mut queue: VecDeque<petgraph::graph::NodeIndex> = VecDeque::with_capacity(states.len());
        for &t in states {
            let Some(n) = g.node(StateId(t as u32)) else {
                continue;
            };
            self.set[t] = true;
            self.may_set[t] = true;
            if start == Some(n) {
                self.must[t] = entry_must;
                self.may[t] = entry_may;
            } else {
                let outside = g.graph.neighbors_directed(n, Direction::Incoming).any(|p| {
                    let p = g.state(p).0 as usize;
                    entered[p] && !self.in_region[p]
                });
                self.must[t] = if outside { 0 } else { u64::MAX };
                self.may[t] = 0;
            }
            self.queued[n.index()] = true;
            queue.push_back(n);
        }
        while let Some(n) = queue.pop_front() {
            self.queued[n.index()] = false;
            let from = g.state(n);
            let (cur_must, cur_may) = (self.must[from.0 as usize], self.may[from.0 as usize]);
            for e in g.graph.edges(n) {
                let m = e.target();
                let to = g.state(m);
                let t = to.0 as usize;
                if !self.in_region[t] {
                    continue;
                }
                self.work += 1;
                let gen = self.edge_gen(machine, from, *e.weight(), to);
                let mut changed = false;
                // The start's must set is the scope's entry set.
                if start != Some(m) {
                    let n_must = self.must[t] & (cur_must | gen);
                    changed |= n_must != self.must[t];
                    self.must[t] = n_must;
                }
                let n_may = self.may[t] | cur_may | gen;
                changed |= n_may != self.may[t];
                self.may[t] = n_may;
                if changed && !self.queued[m.index()] {
                    self.queued[m.index()] = true;
                    queue.push_back(m);
                }
            }
        }
    }

    /// What the transition `kind` from `from` to `to` assigns: `Next` and
    /// `Default` run the state's `Assign`, a catcher its own, a Choice rule
    /// its own (plus the state's when the rule goes where `Default` goes,
    /// which an implementation cannot tell apart from taking `Default`).
    fn edge_gen(
        &self,
        machine: &Machine<'_>,
        from: StateId,
        kind: TransitionKind,
        to: StateId,
    ) -> u64 {
        let Some(g) = self
            .gen_of
            .get(from.0 as usize)
            .and_then(|&i| i.checked_sub(1))
            .map(|i| &self.gen_masks[i as usize])
        else {
            return 0;
        };
        match kind {
            TransitionKind::Next | TransitionKind::Default => g.state,
            TransitionKind::Catch(i) => mask_at(&g.catch, i),
            TransitionKind::Choice(i) => {
                let mut m = mask_at(&g.choice, i);
                let state = machine.state(from);
                let default_target = state
                    .transitions
                    .iter()
                    .find(|t| t.kind == TransitionKind::Default)
                    .map(|t| t.target);
                if default_target == Some(machine.state(to).name) {
                    m |= g.state;
                }
                m
            }
        }
    }

    /// The worklist fixpoint of one scope: intersection over incoming edges
    /// (`must`) or union (`may`).
    fn propagate(
        &mut self,
        machine: &Machine<'_>,
        scope: ScopeId,
        start: petgraph::graph::NodeIndex,
        entry: u64,
        must: bool,
    ) {
        let g = machine.graph(scope);
        let start_state = g.state(start).0 as usize;
        if must {
            self.must[start_state] = entry;
            self.set[start_state] = true;
            self.touched.push(start_state);
        } else {
            self.may[start_state] = entry;
            self.may_set[start_state] = true;
        }
        let mut queue = VecDeque::from([start]);
        self.queued[start.index()] = true;
        let mut queued_nodes = vec![start];
        while let Some(n) = queue.pop_front() {
            self.queued[n.index()] = false;
            let from = g.state(n);
            let cur = if must {
                self.must[from.0 as usize]
            } else {
                self.may[from.0 as usize]
            };
            for e in g.graph.edges(n) {
                let m = e.target();
                // The start's entry set is the scope's entry set: every path
                // back to it passes through states whose sets contain it.
                if must && m == start {
                    continue;
                }
                self.work += 1;
                let to = g.state(m);
                let out = cur | self.edge_gen(machine, from, *e.weight(), to);
                let t = to.0 as usize;
                let changed = if must {
                    if self.set[t] {
                        let n = self.must[t] & out;
                        let c = n != self.must[t];
                        self.must[t] = n;
                        c
                    } else {
                        self.set[t] = true;
                        self.touched.push(t);
                        self.must[t] = out;
                        true
                    }
                } else if !self.may_set[t] {
                    self.may_set[t] = true;
                    self.may[t] = out;
                    true
                } else {
                    let n = self.may[t] | out;
                    let c = n != self.may[t];
                    self.may[t] = n;
                    c
                };
                if changed && !self.queued[m.index()] {
                    self.queued[m.index()] = true;
                    queued_nodes.push(m);
                    queue.push_back(m);
                }
            }
        }
        for n in queued_nodes {
            self.queued[n.index()] = false;
        }
    }

    /// One transition into `state` along which the variable of `bit` is not
    /// certainly assigned.
    fn missing_edge(
        &self,
        machine: &Machine<'_>,
        entered: &[bool],
        state: StateId,
        bit: u64,
    ) -> Option<(StateId, TransitionKind)> {
        let scope = machine.state(state).scope;
        let g = machine.graph(scope);
        let n = g.node(state)?;
        if g.start == Some(n) {
            return None;
        }
        g.graph
            .edges_directed(n, Direction::Incoming)
            .find_map(|e| {
                let from = g.state(e.source());
                if !entered[from.0 as usize] {
                    return None;
                }
                let before = self.must[from.0 as usize] & bit != 0;
                let assigns = self.edge_gen(machine, from, *e.weight(), state) & bit != 0;
                (!before && !assigns).then_some((from, *e.weight()))
            })
    }
}

// ---------------------------------------------------------------------------
// Findings shared by the rules
// ---------------------------------------------------------------------------

/// The scopes from `scope` up to the root.
fn chain(machine: &Machine<'_>, mut scope: ScopeId) -> Vec<ScopeId> {
    let mut out = vec![scope];
    while let Some(owner) = machine.scope(scope).owner {
        scope = machine.state(owner).scope;
        out.push(scope);
    }
    out
}

/// What is wrong with one read.
#[derive(Debug)]
pub enum ReadIssue {
    /// No state anywhere assigns the name.
    Unassigned,
    /// Only states of inner scopes that do not enclose the read assign it.
    /// `assignment` is one of them.
    Inner { assignment: usize },
    /// Only a sibling branch of a Parallel state assigns it.
    Sibling { assignment: usize },
    /// It is assigned outside the Distributed Map whose child workflow
    /// reads it.
    Distributed { assignment: usize, map: StateId },
    /// Visible, but assigned on no path that reaches the reading state.
    NoPath { assignment: usize },
    /// Some path from `StartAt` reaches the state without assigning it;
    /// `via` is one such transition (`None`: the scope is entered without it).
    Maybe {
        via: Option<(StateId, TransitionKind)>,
    },
}

/// The problem with each read that has one, by index into `vars.reads`.
/// Reads inside `$exists(…)` are tests, not uses, and are left alone.
/// What is found for one variable in one scope is found once, whatever the
/// number of reads.
pub fn read_issues(
    machine: &Machine<'_>,
    vars: &Variables<'_>,
    flow: &Flow,
) -> Vec<(usize, ReadIssue)> {
    let mut out = Vec::new();
    let mut invisible_memo: HashMap<(usize, ScopeId), (u8, usize, StateId)> = HashMap::new();
    let mut visible_memo: HashMap<(usize, ScopeId), usize> = HashMap::new();
    for (ri, r) in vars.reads.iter().enumerate() {
        if r.guarded {
            continue;
        }
        let Some(var) = vars.var(&r.name) else {
            out.push((ri, ReadIssue::Unassigned));
            continue;
        };
        let scope = machine.state(r.state).scope;
        if !flow.visible(machine, scope, var) {
            let (kind, assignment, map) =
                *invisible_memo.entry((var, scope)).or_insert_with(|| {
                    match invisible(machine, vars, scope, var) {
                        ReadIssue::Inner { assignment } => (1, assignment, StateId(0)),
                        ReadIssue::Sibling { assignment } => (2, assignment, StateId(0)),
                        ReadIssue::Distributed { assignment, map } => (3, assignment, map),
                        _ => (0, 0, StateId(0)),
                    }
                });
            let issue = match kind {
                1 => ReadIssue::Inner { assignment },
                2 => ReadIssue::Sibling { assignment },
                3 => ReadIssue::Distributed { assignment, map },
                _ => ReadIssue::Unassigned,
            };
            out.push((ri, issue));
            continue;
        }
        match flow.read(ri) {
            ReadFlow::Reached {
                possibly: false, ..
            } => {
                let assignment = *visible_memo
                    .entry((var, scope))
                    .or_insert_with(|| visible_assignment(machine, vars, scope, var));
                out.push((ri, ReadIssue::NoPath { assignment }));
            }
            ReadFlow::Reached {
                certainly: false,
                via,
                ..
            } => out.push((ri, ReadIssue::Maybe { via })),
            _ => {}
        }
    }
    out
}

/// The first assignment of `var` in `scope` or a scope it can see.
fn visible_assignment(
    machine: &Machine<'_>,
    vars: &Variables<'_>,
    scope: ScopeId,
    var: usize,
) -> usize {
    let mut visible = Vec::new();
    let mut cur = scope;
    loop {
        visible.push(cur);
        let s = machine.scope(cur);
        match s.owner {
            Some(owner) if !s.distributed => cur = machine.state(owner).scope,
            _ => break,
        }
    }
    vars.assignments_of(var)
        .find(|(_, a)| visible.contains(&machine.state(a.state).scope))
        .or_else(|| vars.assignments_of(var).next())
        .map_or(0, |(i, _)| i)
}

/// Why `var`, assigned somewhere, is not visible in `scope`.
fn invisible(machine: &Machine<'_>, vars: &Variables<'_>, scope: ScopeId, var: usize) -> ReadIssue {
    let here = chain(machine, scope);
    // The Distributed Map boundary nearest to the read, if any.
    let boundary = here.iter().position(|&s| machine.scope(s).distributed);
    let mut inner = None;
    let mut sibling = None;
    for (ai, a) in vars.assignments_of(var) {
        let t = machine.state(a.state).scope;
        if let Some(pos) = here.iter().position(|&s| s == t) {
            // On the chain but not visible: beyond a Distributed Map.
            if let Some(b) = boundary.filter(|&b| pos > b) {
                let map = machine.scope(here[b]).owner.unwrap_or(a.state);
                return ReadIssue::Distributed {
                    assignment: ai,
                    map,
                };
            }
            continue;
        }
        // Climb from the assigning scope to the read's chain.
        let theirs = chain(machine, t);
        let Some((k, common)) = theirs
            .iter()
            .enumerate()
            .find_map(|(k, s)| here.iter().position(|h| h == s).map(|p| (k, p)))
        else {
            continue;
        };
        // `common` is the position in `here` of the lowest shared scope, `k`
        // in `theirs`. Below it each side has one child scope (or none).
        let below_theirs = k.checked_sub(1).map(|j| theirs[j]);
        let below_here = common.checked_sub(1).map(|j| here[j]);
        let siblings = match (below_theirs, below_here) {
            (Some(x), Some(y)) => {
                let (ox, oy) = (machine.scope(x).owner, machine.scope(y).owner);
                ox.is_some() && ox == oy
            }
            _ => false,
        };
        if siblings {
            sibling.get_or_insert(ai);
        } else {
            inner.get_or_insert(ai);
        }
    }
    match (sibling, inner) {
        (Some(assignment), _) => ReadIssue::Sibling { assignment },
        (None, Some(assignment)) => ReadIssue::Inner { assignment },
        (None, None) => ReadIssue::Unassigned,
    }
}

/// Assignments in an inner scope of a name the enclosing scope may already
/// hold when the inner scope starts (AWS fails the assignment at run time):
/// `(inner assignment, an outer assignment of the same name)`.
pub fn outer_conflicts(
    machine: &Machine<'_>,
    vars: &Variables<'_>,
    flow: &Flow,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (ai, a) in vars.assignments.iter().enumerate() {
        if !flow.outer_may[ai] {
            continue;
        }
        let Some(owner) = machine.scope(machine.state(a.state).scope).owner else {
            continue;
        };
        let outer = visible_assignment(machine, vars, machine.state(owner).scope, a.var);
        out.push((ai, outer));
    }
    out
}

/// Reads of a variable in the state that assigns it, in a field evaluated
/// with or after the `Assign` (where a reader may expect the new value, but
/// gets the value from before the state ran): `(read, assignment)`.
///
/// Those fields are the other values of the same `Assign`, and the output
/// the `Assign` goes with: the state's `Output` or `OutputPath` for its own
/// `Assign`, a catcher's `Output` for the catcher's, a Choice rule's
/// `Output` for the rule's. Fields evaluated before (`InputPath`,
/// `Parameters`, `Arguments`, `ResultSelector`, a rule's `Condition` …)
/// plainly read the entry value, and a read in the very value being assigned
/// (`"n": "{% $n + 1 %}"`) plainly means the old value: neither is reported.
pub fn same_state_reads(vars: &Variables<'_>) -> Vec<(usize, usize)> {
    let mut by_state: HashMap<(StateId, &str), Vec<usize>> = HashMap::new();
    for (ai, a) in vars.assignments.iter().enumerate() {
        by_state.entry((a.state, a.name)).or_default().push(ai);
    }
    let mut out = Vec::new();
    for (ri, r) in vars.reads.iter().enumerate() {
        let Some(list) = by_state.get(&(r.state, r.name.as_str())) else {
            continue;
        };
        let hit = list.iter().copied().find(|&ai| {
            let site = vars.assignments[ai].site;
            let output = || r.field.ends_with("Output") || r.field == "OutputPath";
            match (site, r.part) {
                (_, Part::Assign(s, name)) if s == site => name != r.name,
                (AssignSite::State, Part::Other) => r.field == "Output" || r.field == "OutputPath",
                (AssignSite::Catch(i), Part::Catch(j))
                | (AssignSite::Choice(i), Part::Choice(j)) => i == j && output(),
                _ => false,
            }
        });
        if let Some(ai) = hit {
            out.push((ri, ai));
        }
    }
    out
}

/// Variables no expression of the machine reads: the index of the first
/// assignment of each.
pub fn unused(vars: &Variables<'_>) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (ai, a) in vars.assignments.iter().enumerate() {
        // A name that cannot be a variable is `invalid-variable-name`'s or
        // `variable-name-characters`' finding, not an unused variable.
        if !crate::rules::invalid_variable_name::is_valid_name(a.name)
            && !crate::rules::util::has_placeholder(a.name)
        {
            continue;
        }
        if seen.insert(a.var) && !vars.mentioned.contains(a.name) {
            out.push(ai);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(expr: &str) -> Vec<String> {
        jsonata_variable_reads(expr)
            .into_iter()
            .map(|(n, r)| {
                assert_eq!(&expr[r.start()..r.end()], format!("${n}"));
                n
            })
            .collect()
    }

    #[test]
    fn finds_plain_reads_and_paths_into_variables() {
        assert_eq!(reads(" $x "), ["x"]);
        assert_eq!(reads("$order.items[0].price * $rate"), ["order", "rate"]);
        assert_eq!(reads("$a=$b"), ["a", "b"]);
        assert_eq!(reads("$jsonä & $_x1"), ["jsonä", "_x1"]);
        assert_eq!(reads("$count($items)"), ["items"]);
    }

    #[test]
    fn skips_states_context_functions_and_placeholders() {
        assert!(reads("$states.input.x & $$ & $ & $.a").is_empty());
        assert!(reads("$string(1) & $uuid() & $myFn (2)").is_empty());
        assert!(reads("$map($xs, $string)").contains(&"xs".to_string()));
        assert_eq!(reads("$map($xs, $string)"), ["xs"]);
        assert!(reads("'${Table}' & ${Placeholder}").is_empty());
    }

    #[test]
    fn skips_literals_names_comments_and_regexes() {
        assert!(reads("'it costs $5 or $x' & \"$y\" & `$z`").is_empty());
        assert!(reads("/* $x */ 1").is_empty());
        assert!(reads(r#"'a\'$b' & "c\"$d""#).is_empty());
        assert_eq!(reads("$match($s, /^a$x[/$]/i) and $t"), ["s", "t"]);
        // After an operand, `/` divides.
        assert_eq!(reads("$a / $b"), ["a", "b"]);
        assert_eq!(reads("($a) / $b / 2"), ["a", "b"]);
    }

    #[test]
    fn names_bound_in_the_expression_are_not_workflow_variables() {
        assert_eq!(reads("($t := $total + 1; $t * $rate)"), ["total", "rate"]);
        // Bound anywhere: every occurrence is left out.
        assert!(reads("($x; $x := 1)").is_empty());
        assert_eq!(
            reads("$map($items, function($v, $i) { $v * $i * $k })"),
            ["items", "k"]
        );
        assert_eq!(reads("$filter($xs, λ($v) { $v > $lo })"), ["xs", "lo"]);
        assert_eq!(
            reads("$orders@$o.items#$i[$i > $limit]"),
            ["orders", "limit"]
        );
        assert_eq!(reads("function($a)<n:n>{ $a + $b }"), ["b"]);
    }

    #[test]
    fn exists_arguments_are_guarded() {
        let scan = jsonata_scan("$exists($maybe) ? $maybe : $exists ( $other.x )");
        let guarded: Vec<(&str, bool)> = scan
            .reads
            .iter()
            .map(|r| (r.name.as_str(), r.guarded))
            .collect();
        assert_eq!(guarded, [("maybe", true), ("maybe", true), ("other", true)]);
        let scan = jsonata_scan("$exists($a) and $a > 1 or $b");
        let guarded: Vec<(&str, bool)> = scan
            .reads
            .iter()
            .map(|r| (r.name.as_str(), r.guarded))
            .collect();
        assert_eq!(guarded, [("a", true), ("a", true), ("b", false)]);
    }

    #[test]
    fn never_panics_on_broken_input() {
        for s in [
            "'",
            "\"\\",
            "`",
            "/*",
            "/",
            "/[",
            "$",
            "$$",
            "λ",
            "(((",
            ")))",
            "function(",
            "$é",
            "\\",
            "1e",
            "é$x",
        ] {
            let _ = jsonata_variable_reads(s);
        }
        assert_eq!(reads("é$x"), ["x"]);
    }

    #[test]
    fn jsonata_body_strips_the_delimiters() {
        assert_eq!(jsonata_body("{% $x %}"), Some((2, " $x ")));
        assert_eq!(jsonata_body("{%%}"), Some((2, "")));
        assert_eq!(jsonata_body("$x"), None);
    }

    use crate::model::Machine;
    use crate::settings::Settings;
    use crate::source::SourceFile;
    use crate::syntax::json;

    /// Runs `f` on the variables and data flow of a JSON definition.
    fn with_flow(text: &str, f: impl FnOnce(&Machine<'_>, &Variables<'_>, &Flow)) {
        let file = SourceFile::new("t.asl.json", text);
        let root = json::parse(text).documents.remove(0).root;
        let machine = Machine::build(&root);
        let settings = Settings::default();
        let cx = LintContext::new(&file, &root, &machine, &settings);
        let vars = Variables::collect(&cx);
        let flow = Flow::compute(&machine, &vars);
        f(&machine, &vars, &flow);
    }

    /// `(state, variable, issue kind)` of every problematic read.
    fn issues(text: &str) -> Vec<(String, String, &'static str)> {
        let mut out = Vec::new();
        with_flow(text, |m, vars, flow| {
            for (ri, issue) in read_issues(m, vars, flow) {
                let r = &vars.reads[ri];
                let kind = match issue {
                    ReadIssue::Unassigned => "unassigned",
                    ReadIssue::Inner { .. } => "inner",
                    ReadIssue::Sibling { .. } => "sibling",
                    ReadIssue::Distributed { .. } => "distributed",
                    ReadIssue::NoPath { .. } => "no-path",
                    ReadIssue::Maybe { .. } => "maybe",
                };
                out.push((m.state(r.state).name.to_string(), r.name.clone(), kind));
            }
        });
        out
    }

    fn issue(state: &str, var: &str, kind: &'static str) -> (String, String, &'static str) {
        (state.into(), var.into(), kind)
    }

    #[test]
    fn reads_are_found_in_both_query_languages_with_exact_ranges() {
        let text = r#"{
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Assign": { "a": 1, "b.$": "$.x" }, "Next": "B" },
            "B": { "Type": "Pass", "InputPath": "$a",
                   "Parameters": { "x.$": "States.Format('{}', $b)", "lit": "$a", "n": { "y.$": "$a.f" } },
                   "Next": "C" },
            "C": { "Type": "Pass", "QueryLanguage": "JSONata",
                   "Output": { "v": "{% $a & $b %}", "lit": "$a" }, "Comment": "{% $zz %}", "End": true }
          }
        }"#;
        with_flow(text, |m, vars, _| {
            let found: Vec<(&str, &str, &str)> = vars
                .reads
                .iter()
                .map(|r| {
                    (
                        m.state(r.state).name,
                        &text[r.range.start()..r.range.end()],
                        r.field.as_str(),
                    )
                })
                .collect();
            assert_eq!(
                found,
                [
                    ("B", "$a", "InputPath"),
                    ("B", "$b", "Parameters"),
                    ("B", "$a", "Parameters"),
                    ("C", "$a", "Output"),
                    ("C", "$b", "Output"),
                ]
            );
            assert_eq!(vars.names, ["a", "b"]);
        });
    }

    #[test]
    fn catch_edges_carry_the_catchers_assign_and_choice_edges_the_rules() {
        let text = r#"{
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Assign": { "ok": 1, "both": 1 }, "Next": "C",
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Assign": { "both": 2, "err.$": "$" }, "Next": "C" } ] },
            "C": { "Type": "Choice",
                   "Choices": [ { "Variable": "$ok", "IsPresent": true, "Assign": { "r": 1 }, "Next": "D" } ],
                   "Assign": { "d": 1 }, "Default": "E" },
            "D": { "Type": "Pass", "Parameters": { "a.$": "$both", "b.$": "$r", "c.$": "$err" }, "Next": "E" },
            "E": { "Type": "Pass", "Parameters": { "d.$": "$d" }, "End": true }
          }
        }"#;
        assert_eq!(
            issues(text),
            [
                issue("C", "ok", "maybe"),
                issue("D", "err", "maybe"),
                issue("E", "d", "maybe"),
            ]
        );
    }

    #[test]
    fn reads_before_any_assignment_and_in_unreachable_states() {
        let text = r#"{
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Parameters": { "x.$": "$later" }, "Next": "B" },
            "B": { "Type": "Pass", "Assign": { "later": 1 }, "End": true },
            "Dead": { "Type": "Pass", "Parameters": { "x.$": "$later", "y.$": "$nothing" }, "End": true }
          }
        }"#;
        assert_eq!(
            issues(text),
            [
                issue("A", "later", "no-path"),
                issue("Dead", "nothing", "unassigned"),
            ]
        );
        // A loop makes the later assignment reach the read on the second pass.
        let text = r#"{
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Parameters": { "x.$": "$later" }, "Next": "B" },
            "B": { "Type": "Pass", "Assign": { "later": 1 }, "Next": "A" }
          }
        }"#;
        assert_eq!(issues(text), [issue("A", "later", "maybe")]);
    }

    #[test]
    fn scopes_inherit_entry_values_and_keep_their_own() {
        let text = r#"{
          "QueryLanguage": "JSONata",
          "StartAt": "Init",
          "States": {
            "Init": { "Type": "Pass", "Assign": { "outer": 1 }, "Next": "P" },
            "P": { "Type": "Parallel", "Next": "After", "Assign": { "fromP": 1 },
                   "Branches": [
                     { "StartAt": "B0", "States": { "B0": { "Type": "Pass", "Assign": { "mine": "{% $outer %}" }, "End": true } } },
                     { "StartAt": "B1", "States": { "B1": { "Type": "Pass", "Output": "{% $mine & $fromP %}", "End": true } } }
                   ] },
            "After": { "Type": "Pass", "Output": "{% $mine %}", "Next": "M" },
            "M": { "Type": "Map", "End": true, "ItemSelector": { "o": "{% $outer %}" },
                   "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
                     "StartAt": "I", "States": { "I": { "Type": "Pass", "Output": "{% $outer %}", "End": true } } } }
          }
        }"#;
        assert_eq!(
            issues(text),
            [
                issue("B1", "mine", "sibling"),
                issue("B1", "fromP", "no-path"),
                issue("After", "mine", "inner"),
                issue("I", "outer", "distributed"),
            ]
        );
    }

    #[test]
    fn inner_assignments_conflict_only_with_outer_values_that_may_exist() {
        // Like LocalStack's AWS-recorded `parallel_catch_error_variable_sampling`:
        // the Parallel's catcher assigns `inputVar` only after the branch ran.
        let text = r#"{
          "StartAt": "Init",
          "States": {
            "Init": { "Type": "Pass", "Assign": { "total": 0 }, "Next": "P" },
            "P": { "Type": "Parallel", "Next": "Done",
                   "Branches": [ { "StartAt": "B", "States": {
                     "B": { "Type": "Pass", "Assign": { "inputVar": 1, "total": 2 }, "End": true } } } ],
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Assign": { "inputVar": 3 }, "Next": "Done" } ] },
            "Done": { "Type": "Succeed" }
          }
        }"#;
        with_flow(text, |m, vars, flow| {
            let found: Vec<(&str, &str)> = outer_conflicts(m, vars, flow)
                .into_iter()
                .map(|(a, o)| {
                    (
                        vars.assignments[a].name,
                        m.state(vars.assignments[o].state).name,
                    )
                })
                .collect();
            assert_eq!(found, [("total", "Init")]);
        });
    }

    #[test]
    fn same_state_reads_skip_the_assigned_value_itself_fields_evaluated_before_and_catchers() {
        let text = r#"{
          "QueryLanguage": "JSONata",
          "StartAt": "S",
          "States": {
            "S": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Arguments": { "n": "{% $n %}" },
                   "Assign": { "n": "{% $n + 1 %}", "m": "{% $n * 2 %}" },
                   "Output": "{% $m %}",
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Assign": { "e": "{% $n %}", "f": "{% $e %}" },
                                "Output": "{% $f %}", "Next": "S" } ],
                   "End": true }
          }
        }"#;
        with_flow(text, |_, vars, _| {
            let found: Vec<(&str, &str)> = same_state_reads(vars)
                .into_iter()
                .map(|(r, _)| (vars.reads[r].name.as_str(), vars.reads[r].field.as_str()))
                .collect();
            let mut found = found;
            found.sort_unstable();
            assert_eq!(
                found,
                [
                    ("e", "Catch[0].Assign"),
                    ("f", "Catch[0].Output"),
                    ("m", "Output"),
                    ("n", "Assign"),
                ]
            );
        });
    }

    #[test]
    fn a_long_chain_is_analysed_in_linear_time() {
        // 5,000 states, each assigning its own variable and reading the
        // previous one: the fixpoint visits each state once per set.
        let n = 5_000;
        let mut text = String::from(r#"{ "StartAt": "S0", "States": {"#);
        for i in 0..n {
            let read = if i == 0 {
                String::new()
            } else {
                format!(r#""Parameters": {{ "p.$": "$v{}" }}, "#, i - 1)
            };
            let next = if i + 1 == n {
                r#""End": true"#.to_string()
            } else {
                format!(r#""Next": "S{}""#, i + 1)
            };
            let comma = if i + 1 == n { "" } else { "," };
            text.push_str(&format!(
                r#""S{i}": {{ "Type": "Pass", {read}"Assign": {{ "v{i}": {i} }}, {next} }}{comma}"#
            ));
        }
        text.push_str("} }");
        let started = std::time::Instant::now();
        with_flow(&text, |m, vars, flow| {
            assert_eq!(vars.names.len(), n);
            assert_eq!(vars.reads.len(), n - 1);
            assert!(read_issues(m, vars, flow).is_empty());
            assert!(same_state_reads(vars).is_empty());
            assert_eq!(unused(vars).len(), 1);
        });
        let took = started.elapsed();
        assert!(took.as_secs() < 20, "took {took:?}");
    }

    #[test]
    fn what_aws_runs_successfully_has_no_unassigned_read() {
        // Every read here has a value when it runs: JSONata local bindings
        // and parameters, `$states`, `$exists` guards, placeholders, a
        // catcher's Assign on the catch edge, outer variables in an inline
        // Map's ItemSelector and item processor, and a Parallel's own
        // result.
        let text = r#"{
          "QueryLanguage": "JSONata",
          "StartAt": "Init",
          "States": {
            "Init": { "Type": "Pass", "Assign": { "limit": 3, "items": [1, 2] }, "Next": "Call" },
            "Call": {
              "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": { "FunctionName": "${Fn}", "n": "{% ($x := $limit; $f := function($v) { $v * $x }; $f(2)) %}",
                             "m": "{% $map($items, function($i, $k) { $i + $k }) %}",
                             "o": "{% $exists($optional) ? $optional : ${Default} %}",
                             "p": "{% $states.input.a & $states.context.Execution.Id %}" },
              "Catch": [ { "ErrorEquals": ["States.ALL"], "Assign": { "err": "{% $states.errorOutput %}" }, "Next": "Handle" } ],
              "Next": "Each"
            },
            "Handle": { "Type": "Pass", "Output": "{% $err %}", "End": true },
            "Each": {
              "Type": "Map", "Items": "{% $items %}",
              "ItemSelector": { "item": "{% $states.context.Map.Item.Value %}", "limit": "{% $limit %}" },
              "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                  "Work": { "Type": "Pass", "Assign": { "inner": "{% $limit %}" }, "Next": "Use" },
                  "Use": { "Type": "Pass", "Output": "{% $inner + $limit %}", "End": true }
                }
              },
              "Assign": { "results": "{% $states.result %}" },
              "Next": "Both"
            },
            "Both": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "B", "States": { "B": { "Type": "Pass", "Output": "{% $results %}", "End": true } } }
              ],
              "Next": "Done"
            },
            "Done": { "Type": "Pass", "Output": "{% $results %}", "End": true }
          }
        }"#;
        assert_eq!(issues(text), []);
    }

    /// A random machine: states of every kind assigning and reading
    /// variables from a small pool, random transitions (loops included),
    /// catchers, Choice rules with their own `Assign`, and Parallel and Map
    /// states (inline and distributed) with scopes of their own.
    fn random_machine(seed: u64) -> String {
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        fn scope(next: &mut dyn FnMut(usize) -> usize, prefix: &str, depth: usize) -> String {
            let n = 2 + next(6);
            let name = |i: usize| format!("{prefix}{i}");
            let mut states = Vec::new();
            for i in 0..n {
                let target = |next: &mut dyn FnMut(usize) -> usize| name(next(n));
                let var = |next: &mut dyn FnMut(usize) -> usize| format!("v{}", next(5));
                let assign = |next: &mut dyn FnMut(usize) -> usize| {
                    if next(2) == 0 {
                        format!(r#", "Assign": {{ "{}": 1 }}"#, var(next))
                    } else {
                        String::new()
                    }
                };
                let read = format!(r#""Output": "{{% ${} %}}""#, var(next));
                let end = if next(4) == 0 || i + 1 == n {
                    r#""End": true"#.to_string()
                } else {
                    format!(r#""Next": "{}""#, target(next))
                };
                let kind = next(5);
                let body = match kind {
                    0 if depth < 2 => {
                        let inner = scope(next, &format!("{prefix}{i}p"), depth + 1);
                        format!(
                            r#""Type": "Parallel", "Branches": [ {inner} ], {read}{}, {end}"#,
                            assign(next)
                        )
                    }
                    1 if depth < 2 => {
                        let inner = scope(next, &format!("{prefix}{i}m"), depth + 1);
                        let mode = if next(3) == 0 {
                            "DISTRIBUTED"
                        } else {
                            "INLINE"
                        };
                        let inner = inner.replacen(
                            "{ \"StartAt\"",
                            &format!("{{ \"ProcessorConfig\": {{ \"Mode\": \"{mode}\", \"ExecutionType\": \"STANDARD\" }}, \"StartAt\""),
                            1,
                        );
                        format!(
                            r#""Type": "Map", "ItemProcessor": {inner}, {read}{}, {end}"#,
                            assign(next)
                        )
                    }
                    2 => {
                        let rule_assign = assign(next);
                        format!(
                            r#""Type": "Choice", "Choices": [ {{ "Condition": "{{% ${} = 1 %}}", "Next": "{}"{rule_assign} }} ], "Default": "{}"{}"#,
                            var(next),
                            target(next),
                            target(next),
                            assign(next)
                        )
                    }
                    3 => {
                        let catch_assign = assign(next);
                        format!(
                            r#""Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {{ "FunctionName": "f", "x": "{{% ${} %}}" }}, "Catch": [ {{ "ErrorEquals": ["States.ALL"], "Next": "{}"{catch_assign} }} ]{}, {end}"#,
                            var(next),
                            target(next),
                            assign(next)
                        )
                    }
                    _ => format!(r#""Type": "Pass", {read}{}, {end}"#, assign(next)),
                };
                states.push(format!(r#""{}": {{ {body} }}"#, name(i)));
            }
            format!(
                r#"{{ "StartAt": "{}", "States": {{ {} }} }}"#,
                name(0),
                states.join(", ")
            )
        }
        let top = scope(&mut next, "S", 0);
        top.replacen('{', r#"{ "QueryLanguage": "JSONata","#, 1)
    }

    #[test]
    fn regions_agree_with_propagating_everywhere() {
        let mut compared = 0;
        for seed in 1..400u64 {
            let text = random_machine(seed);
            let file = SourceFile::new("t.asl.json", text.clone());
            let parsed = json::parse(&text);
            assert!(parsed.errors.is_empty(), "{text}");
            let root = &parsed.documents[0].root;
            let machine = Machine::build(root);
            let settings = Settings::default();
            let cx = LintContext::new(&file, root, &machine, &settings);
            let vars = Variables::collect(&cx);
            let a = Flow::compute_with(&machine, &vars, FlowMode::Regions);
            let b = Flow::compute_with(&machine, &vars, FlowMode::Everywhere);
            assert_eq!(a.reads, b.reads, "seed {seed}:\n{text}");
            assert_eq!(a.outer_may, b.outer_may, "seed {seed}:\n{text}");
            compared += vars.reads.len();
        }
        assert!(compared > 1000, "{compared}");
    }

    /// A chain of `n` Pass states, each assigning `v{i}` and reading the
    /// unassigned `$w{i}`, with a Choice state after every second one that
    /// tests `choice` (`$.x` for the input, `$v{}` for the variable just
    /// assigned).
    fn unassigned_chain(n: usize, choice: &str) -> String {
        let mut text = String::from(r#"{ "StartAt": "S0", "States": {"#);
        for i in 0..n {
            let next = if i + 1 == n {
                r#""End": true"#.to_string()
            } else if i % 2 == 1 {
                format!(r#""Next": "C{i}""#)
            } else {
                format!(r#""Next": "S{}""#, i + 1)
            };
            text.push_str(&format!(
                r#""S{i}": {{ "Type": "Pass", "Parameters": {{ "p.$": "$w{i}" }}, "Assign": {{ "v{i}": {i} }}, {next} }},"#
            ));
            if i % 2 == 1 && i + 1 < n {
                let tested = choice.replace("{}", &i.to_string());
                text.push_str(&format!(
                    r#""C{i}": {{ "Type": "Choice", "Choices": [ {{ "Variable": "{tested}", "IsPresent": true, "Next": "S{}" }} ], "Default": "S{}" }},"#,
                    i + 1,
                    i + 1
                ));
            }
        }
        text.pop();
        text.push_str("} }");
        text
    }

    /// The fixpoint's work, the states and the read issues of a definition.
    fn work(text: &str) -> (u64, usize, usize) {
        let mut out = (0, 0, 0);
        with_flow(text, |m, vars, flow| {
            out = (flow.work, m.states.len(), read_issues(m, vars, flow).len());
        });
        out
    }

    #[test]
    fn unassigned_reads_and_unread_variables_cost_no_flow() {
        // Every state assigns a variable that nothing reads and reads one
        // that nothing assigns: nothing propagates, at any size.
        for n in [1000, 4000] {
            let (w, _, issues) = work(&unassigned_chain(n, "$.x"));
            assert_eq!(w, 0);
            assert_eq!(issues, n);
        }
    }

    #[test]
    fn flow_work_grows_linearly_when_each_variable_is_read_near_its_assignment() {
        // Each Choice state reads the variable assigned just before it: a
        // variable per state flows, but only over the few states between
        // its assignment and its read.
        let mut works = Vec::new();
        for n in [500, 2000] {
            let (w, _, issues) = work(&unassigned_chain(n, "$v{}"));
            assert_eq!(issues, n, "only the unassigned reads are issues");
            works.push(w);
        }
        // 4 times the states and variables: about 4 times the work.
        assert!(works[1] <= 5 * works[0].max(1), "{works:?}");
    }

    #[test]
    fn flow_work_is_bounded_by_states_times_words_when_variables_live_long() {
        // Every variable is assigned at the start and read at the end: each
        // 64-variable word of them flows over the whole chain, once.
        let n: usize = 1000;
        let mut text =
            String::from(r#"{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Assign": {"#);
        let vars: Vec<String> = (0..n).map(|i| format!(r#""v{i}": {i}"#)).collect();
        text.push_str(&vars.join(", "));
        text.push_str(r#"}, "Next": "S0" },"#);
        for i in 0..n {
            text.push_str(&format!(
                r#""S{i}": {{ "Type": "Pass", "Next": "{}" }},"#,
                if i + 1 == n {
                    "Z".to_string()
                } else {
                    format!("S{}", i + 1)
                }
            ));
        }
        let reads: Vec<String> = (0..n).map(|i| format!(r#""r{i}.$": "$v{i}""#)).collect();
        text.push_str(&format!(
            r#""Z": {{ "Type": "Pass", "Parameters": {{ {} }}, "End": true }} }} }}"#,
            reads.join(", ")
        ));
        let (w, states, issues) = work(&text);
        assert_eq!(issues, 0);
        let words = n.div_ceil(64) as u64;
        assert!(w <= 4 * states as u64 * words, "work {w}");
    }
}
