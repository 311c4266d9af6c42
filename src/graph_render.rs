//! Drawings of a state machine: Mermaid flowcharts (rendered by GitHub,
//! GitLab and many editors) and Graphviz DOT.
//!
//! Both show the same picture: every scope has a start marker and, when some
//! state ends there, an end marker; Parallel and Map states are boxes holding
//! their branches or item processor; `Next` edges are solid, `Catch` edges
//! dashed and labelled with their `ErrorEquals`, `Choices` edges labelled
//! with a short form of their condition and `Default` with "default". A
//! transition to a state that does not exist goes to a dashed "missing" node.
//! States that carry a finding are filled in the colour of its severity.
//!
//! Node ids are generated (`s3`, `st0`), so state names never have to be
//! identifiers; names appear only in labels, escaped for each format.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Machine, ScopeId, ScopeKind, StateId, StateType, TransitionKind};
use crate::syntax::{Node, Value};
use std::collections::HashMap;
use std::fmt::Write;

/// The longest label kept before it is cut with `…`.
const MAX_LABEL: usize = 40;

/// A Mermaid flowchart of the machine; `diagnostics` highlight their states.
pub fn mermaid(machine: &Machine<'_>, diagnostics: &[Diagnostic]) -> String {
    mermaid_of(&[(None, Plan::new(machine, diagnostics, String::new()))])
}

/// A state machine of a template with its findings, for a drawing of the
/// template's machines.
pub struct Titled<'m, 'a> {
    /// The logical id (or Serverless name): the label of its box.
    pub title: &'m str,
    pub machine: &'m Machine<'a>,
    pub diagnostics: &'m [Diagnostic],
}

/// One Mermaid flowchart of several machines (a template's), each in a box
/// labelled with its title, so that one ```` ```mermaid ```` block shows them
/// all.
pub fn mermaid_machines(machines: &[Titled<'_, '_>]) -> String {
    mermaid_of(&plans_of(machines))
}

fn plans_of<'m, 'a>(machines: &[Titled<'m, 'a>]) -> Vec<(Option<&'m str>, Plan<'m, 'a>)> {
    machines
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let plan = Plan::new(t.machine, t.diagnostics, format!("g{i}_"));
            (Some(t.title), plan)
        })
        .collect()
}

fn mermaid_of(plans: &[(Option<&str>, Plan<'_, '_>)]) -> String {
    let mut out = String::from("flowchart TD\n");
    for (i, (title, plan)) in plans.iter().enumerate() {
        match title {
            Some(title) => {
                let _ = writeln!(out, "  subgraph g{i}[\"{}\"]", mermaid_text(title));
                mermaid_scope(plan, ScopeId(0), 2, &mut out);
                out.push_str("  end\n");
            }
            None => mermaid_scope(plan, ScopeId(0), 1, &mut out),
        }
    }
    for e in plans.iter().flat_map(|(_, p)| &p.edges) {
        let arrow = if e.kind == EdgeKind::Catch {
            "-.->"
        } else {
            "-->"
        };
        match &e.label {
            Some(l) => {
                let _ = writeln!(
                    out,
                    "  {} {arrow}|\"{}\"| {}",
                    e.from,
                    mermaid_text(l),
                    e.to
                );
            }
            None => {
                let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
            }
        }
    }
    out.push_str("  classDef start fill:#333,stroke:#333,color:#fff\n");
    out.push_str("  classDef finish fill:#fff,stroke:#333,stroke-width:3px\n");
    if plans.iter().any(|(_, p)| !p.missing.is_empty()) {
        out.push_str("  classDef missing fill:#fff,stroke:#c00,stroke-dasharray:4 3,color:#c00\n");
    }
    for (severity, class, style) in [
        (
            Severity::Error,
            "error",
            "fill:#f8d7da,stroke:#c00,stroke-width:2px",
        ),
        (
            Severity::Warning,
            "warning",
            "fill:#fff3cd,stroke:#b80,stroke-width:2px",
        ),
        (Severity::Info, "info", "fill:#d1ecf1,stroke:#17a"),
    ] {
        let ids: Vec<String> = plans
            .iter()
            .flat_map(|(_, plan)| {
                plan.machine
                    .states
                    .iter()
                    .filter(|s| plan.marks[s.id.0 as usize] == Some(severity))
                    .map(|s| state_id(&plan.prefix, s.id))
            })
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  classDef {class} {style}");
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out
}

fn mermaid_scope(plan: &Plan<'_, '_>, scope: ScopeId, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{pad}{}((\"Start\")):::start",
        start_id(&plan.prefix, scope)
    );
    for state in plan.machine.states_of(scope) {
        let id = state_id(&plan.prefix, state.id);
        let label = mermaid_text(state.name);
        if state.children.is_empty() {
            let shape = match state.state_type {
                Some(StateType::Choice) => format!("{{\"{label}\"}}"),
                _ if state.is_terminal() => format!("([\"{label}\"])"),
                _ => format!("[\"{label}\"]"),
            };
            let _ = writeln!(out, "{pad}{id}{shape}");
        } else {
            let kind = state.state_type.map_or("", StateType::as_str);
            let _ = writeln!(out, "{pad}subgraph {id}[\"{label} ({kind})\"]");
            for &child in &state.children {
                let _ = writeln!(
                    out,
                    "{pad}  subgraph {}[\"{}\"]",
                    scope_id(&plan.prefix, child),
                    scope_label(plan.machine, child)
                );
                mermaid_scope(plan, child, depth + 2, out);
                let _ = writeln!(out, "{pad}  end");
            }
            let _ = writeln!(out, "{pad}end");
        }
    }
    for (i, (s, name)) in plan.missing.iter().enumerate() {
        if *s == scope {
            let _ = writeln!(
                out,
                "{pad}{}[\"{} (missing)\"]:::missing",
                missing_id(&plan.prefix, i),
                mermaid_text(name)
            );
        }
    }
    if plan.ends[scope.0 as usize] {
        let _ = writeln!(
            out,
            "{pad}{}((\"End\")):::finish",
            end_id(&plan.prefix, scope)
        );
    }
}

/// Escapes a label for a quoted Mermaid string: quotes, `#`, markup, pipes
/// and backticks become entity codes; line breaks become spaces.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Graphviz DOT digraph of the machine; `diagnostics` highlight their states.
pub fn dot(machine: &Machine<'_>, diagnostics: &[Diagnostic]) -> String {
    dot_of(
        "state machine",
        &[(None, Plan::new(machine, diagnostics, String::new()))],
    )
}

/// One Graphviz digraph of several machines (a template's), each in a
/// cluster labelled with its title, so that one `dot -Tsvg` draws them all.
pub fn dot_machines(machines: &[Titled<'_, '_>]) -> String {
    dot_of("template", &plans_of(machines))
}

fn dot_of(name: &str, plans: &[(Option<&str>, Plan<'_, '_>)]) -> String {
    let mut out = format!("digraph \"{}\" {{\n", dot_text(name));
    out.push_str("  compound=true;\n  rankdir=TB;\n  graph [fontname=\"Helvetica\"];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"white\", fontname=\"Helvetica\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (i, (title, plan)) in plans.iter().enumerate() {
        match title {
            Some(title) => {
                let _ = writeln!(out, "  subgraph cluster_g{i} {{");
                let _ = writeln!(
                    out,
                    "    label=\"{}\"; style=\"rounded\"; color=\"gray60\";",
                    dot_text(title)
                );
                dot_scope(plan, ScopeId(0), 2, &mut out);
                out.push_str("  }\n");
            }
            None => dot_scope(plan, ScopeId(0), 1, &mut out),
        }
    }
    for (_, plan) in plans {
        for e in &plan.edges {
            let mut attrs = Vec::new();
            if let Some(l) = &e.label {
                attrs.push(format!("label=\"{}\"", dot_text(l)));
            }
            if e.kind == EdgeKind::Catch {
                attrs.push("style=dashed".into());
            }
            if e.from_container != e.to_container || e.from != e.to {
                if let Some(c) = e.from_container {
                    attrs.push(format!("ltail=cluster_{}", state_id(&plan.prefix, c)));
                }
                if let Some(c) = e.to_container {
                    attrs.push(format!("lhead=cluster_{}", state_id(&plan.prefix, c)));
                }
            }
            if attrs.is_empty() {
                let _ = writeln!(out, "  {} -> {};", e.from, e.to);
            } else {
                let _ = writeln!(out, "  {} -> {} [{}];", e.from, e.to, attrs.join(", "));
            }
        }
    }
    out.push_str("}\n");
    out
}

fn dot_fill(mark: Option<Severity>) -> Option<(&'static str, &'static str)> {
    match mark? {
        Severity::Error => Some(("#f8d7da", "#cc0000")),
        Severity::Warning => Some(("#fff3cd", "#bb8800")),
        Severity::Info => Some(("#d1ecf1", "#1177aa")),
    }
}

fn dot_scope(plan: &Plan<'_, '_>, scope: ScopeId, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{pad}{} [shape=point, width=0.15, label=\"\", fillcolor=\"black\"];",
        start_id(&plan.prefix, scope)
    );
    for state in plan.machine.states_of(scope) {
        let id = state_id(&plan.prefix, state.id);
        let fill = dot_fill(plan.marks[state.id.0 as usize]);
        if state.children.is_empty() {
            let mut attrs = vec![format!("label=\"{}\"", dot_text(state.name))];
            if state.state_type == Some(StateType::Choice) {
                attrs.push("shape=diamond".into());
                attrs.push("style=filled".into());
            }
            if state.is_terminal() {
                attrs.push("peripheries=2".into());
            }
            if let Some((fill, line)) = fill {
                attrs.push(format!(
                    "fillcolor=\"{fill}\", color=\"{line}\", penwidth=2"
                ));
            }
            let _ = writeln!(out, "{pad}{id} [{}];", attrs.join(", "));
        } else {
            let kind = state.state_type.map_or("", StateType::as_str);
            let _ = writeln!(out, "{pad}subgraph cluster_{id} {{");
            let _ = writeln!(out, "{pad}  label=\"{} ({kind})\";", dot_text(state.name));
            match fill {
                Some((fill, line)) => {
                    let _ = writeln!(
                        out,
                        "{pad}  style=\"rounded,filled\"; fillcolor=\"{fill}\"; color=\"{line}\"; penwidth=2;"
                    );
                }
                None => {
                    let _ = writeln!(out, "{pad}  style=\"rounded\"; color=\"black\";");
                }
            }
            if state.is_terminal() {
                let _ = writeln!(out, "{pad}  penwidth=2;");
            }
            // Edges to and from the state attach to this invisible anchor and
            // are clipped at the cluster's border (`lhead`/`ltail`).
            let _ = writeln!(
                out,
                "{pad}  {id} [shape=point, style=invis, width=0.01, label=\"\"];"
            );
            for &child in &state.children {
                let _ = writeln!(
                    out,
                    "{pad}  subgraph cluster_{} {{",
                    scope_id(&plan.prefix, child)
                );
                let _ = writeln!(
                    out,
                    "{pad}    label=\"{}\"; style=\"dashed,rounded\"; color=\"gray40\"; penwidth=1;",
                    dot_text(&scope_label(plan.machine, child))
                );
                dot_scope(plan, child, depth + 2, out);
                let _ = writeln!(out, "{pad}  }}");
            }
            let _ = writeln!(out, "{pad}}}");
        }
    }
    for (i, (s, name)) in plan.missing.iter().enumerate() {
        if *s == scope {
            let _ = writeln!(
                out,
                "{pad}{} [label=\"{}\\n(missing)\", style=\"dashed,rounded\", color=\"#cc0000\", fontcolor=\"#cc0000\"];",
                missing_id(&plan.prefix, i),
                dot_text(name)
            );
        }
    }
    if plan.ends[scope.0 as usize] {
        let _ = writeln!(
            out,
            "{pad}{} [shape=doublecircle, width=0.12, label=\"\", fillcolor=\"black\"];",
            end_id(&plan.prefix, scope)
        );
    }
}

/// Escapes a label for a quoted DOT string: backslashes and quotes are
/// escaped (so `\n`-style sequences in names stay literal), line breaks become
/// spaces.
fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// What both formats draw.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EdgeKind {
    Plain,
    Catch,
}

struct Edge {
    from: String,
    to: String,
    /// The Parallel or Map state whose box the edge leaves or enters.
    from_container: Option<StateId>,
    to_container: Option<StateId>,
    kind: EdgeKind,
    label: Option<String>,
}

struct Plan<'m, 'a> {
    machine: &'m Machine<'a>,
    /// Put before every id, so that several machines can share a drawing.
    prefix: String,
    /// The most severe finding inside each state (by JSON pointer).
    marks: Vec<Option<Severity>>,
    /// Transition targets that name no state of their scope.
    missing: Vec<(ScopeId, String)>,
    /// Scopes with at least one terminal state.
    ends: Vec<bool>,
    edges: Vec<Edge>,
}

fn state_id(prefix: &str, id: StateId) -> String {
    format!("{prefix}s{}", id.0)
}
fn scope_id(prefix: &str, id: ScopeId) -> String {
    format!("{prefix}c{}", id.0)
}
fn start_id(prefix: &str, id: ScopeId) -> String {
    format!("{prefix}st{}", id.0)
}
fn end_id(prefix: &str, id: ScopeId) -> String {
    format!("{prefix}fin{}", id.0)
}
fn missing_id(prefix: &str, i: usize) -> String {
    format!("{prefix}m{i}")
}

fn scope_label(machine: &Machine<'_>, scope: ScopeId) -> String {
    match machine.scope(scope).kind {
        ScopeKind::Root => "state machine".into(),
        ScopeKind::Branch { index } => format!("Branches[{index}]"),
        ScopeKind::ItemProcessor => "ItemProcessor".into(),
        ScopeKind::Iterator => "Iterator".into(),
    }
}

impl<'m, 'a> Plan<'m, 'a> {
    fn new(machine: &'m Machine<'a>, diagnostics: &[Diagnostic], prefix: String) -> Self {
        let mut plan = Plan {
            machine,
            prefix,
            marks: vec![None; machine.states.len()],
            missing: Vec::new(),
            ends: vec![false; machine.scopes.len()],
            edges: Vec::new(),
        };
        plan.mark(diagnostics);
        let mut missing_index: HashMap<(ScopeId, &str), usize> = HashMap::new();
        for scope in &machine.scopes {
            let container = |id: StateId| (!machine.state(id).children.is_empty()).then_some(id);
            if let Some(start) = scope.start_at_name() {
                let (to, to_container) = match scope.by_name.get(start) {
                    Some(&id) => (state_id(&plan.prefix, id), container(id)),
                    None => (plan.missing_node(&mut missing_index, scope.id, start), None),
                };
                plan.edges.push(Edge {
                    from: start_id(&plan.prefix, scope.id),
                    to,
                    from_container: None,
                    to_container,
                    kind: EdgeKind::Plain,
                    label: None,
                });
            }
            for state in machine.states_of(scope.id) {
                let from = state_id(&plan.prefix, state.id);
                let from_container = container(state.id);
                // Choices first, then `Default`, `Next` and the catchers.
                let mut transitions: Vec<_> = state.transitions.iter().collect();
                transitions.sort_by_key(|t| match t.kind {
                    TransitionKind::Choice(_) => 0,
                    TransitionKind::Default => 1,
                    TransitionKind::Next => 2,
                    TransitionKind::Catch(_) => 3,
                });
                for t in transitions {
                    let (to, to_container) = match scope.by_name.get(t.target) {
                        Some(&id) => (state_id(&plan.prefix, id), container(id)),
                        None => (
                            plan.missing_node(&mut missing_index, scope.id, t.target),
                            None,
                        ),
                    };
                    let (kind, label) = match t.kind {
                        TransitionKind::Next => (EdgeKind::Plain, None),
                        TransitionKind::Default => (EdgeKind::Plain, Some("default".to_string())),
                        TransitionKind::Choice(i) => {
                            let rule = state
                                .get("Choices")
                                .and_then(Node::as_array)
                                .and_then(|rules| rules.get(i));
                            (
                                EdgeKind::Plain,
                                Some(rule.map_or_else(|| "?".into(), condition)),
                            )
                        }
                        TransitionKind::Catch(i) => {
                            let catcher = state
                                .get("Catch")
                                .and_then(Node::as_array)
                                .and_then(|c| c.get(i));
                            (
                                EdgeKind::Catch,
                                Some(catcher.map_or_else(|| "catch".into(), errors)),
                            )
                        }
                    };
                    plan.edges.push(Edge {
                        from: from.clone(),
                        to,
                        from_container,
                        to_container,
                        kind,
                        label: label.map(|l| truncate(&l)),
                    });
                }
                if state.is_terminal() {
                    plan.ends[scope.id.0 as usize] = true;
                    plan.edges.push(Edge {
                        from: from.clone(),
                        to: end_id(&plan.prefix, scope.id),
                        from_container,
                        to_container: None,
                        kind: EdgeKind::Plain,
                        label: None,
                    });
                }
            }
        }
        plan
    }

    fn missing_node<'n>(
        &mut self,
        index: &mut HashMap<(ScopeId, &'n str), usize>,
        scope: ScopeId,
        name: &'n str,
    ) -> String {
        let next = self.missing.len();
        let i = *index.entry((scope, name)).or_insert(next);
        if i == next {
            self.missing.push((scope, name.to_string()));
        }
        missing_id(&self.prefix, i)
    }

    /// Marks each state with the most severe finding inside it: the state
    /// whose pointer is the longest prefix of the finding's pointer.
    fn mark(&mut self, diagnostics: &[Diagnostic]) {
        if diagnostics.is_empty() {
            return;
        }
        let by_pointer: HashMap<&str, StateId> = self
            .machine
            .states
            .iter()
            .map(|s| (s.pointer.as_str(), s.id))
            .collect();
        for d in diagnostics {
            let p = d.pointer.as_str();
            let mut end = p.len();
            let found = loop {
                if let Some(&id) = by_pointer.get(&p[..end]) {
                    break Some(id);
                }
                match p[..end].rfind('/') {
                    Some(i) if i > 0 => end = i,
                    _ => break None,
                }
            };
            if let Some(id) = found {
                let m = &mut self.marks[id.0 as usize];
                // `Severity` orders Error first.
                *m = Some(m.map_or(d.severity, |old| old.min(d.severity)));
            }
        }
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_LABEL {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_LABEL - 1).collect();
    out.push('…');
    out
}

/// The `ErrorEquals` of a catcher, joined.
fn errors(catcher: &Node) -> String {
    match catcher.get("ErrorEquals").and_then(Node::as_array) {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| value_text(i), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "catch".into(),
    }
}

/// A short form of a choice rule's condition: `$.x == 3`, `IsPresent $.a`,
/// `($.a > 1 and not $.b == "x")`, or the JSONata `Condition` without `{% %}`.
fn condition(rule: &Node) -> String {
    if let Some(c) = rule.get("Condition") {
        return match c.as_str() {
            Some(s) => {
                let t = s.trim();
                t.strip_prefix("{%")
                    .and_then(|t| t.strip_suffix("%}"))
                    .unwrap_or(t)
                    .trim()
                    .to_string()
            }
            None => value_text(c),
        };
    }
    comparison(rule, 0)
}

fn comparison(rule: &Node, depth: usize) -> String {
    if depth > 4 {
        return "…".into();
    }
    for (key, joiner) in [("And", " and "), ("Or", " or ")] {
        if let Some(items) = rule.get(key).and_then(Node::as_array) {
            let parts: Vec<String> = items.iter().map(|r| comparison(r, depth + 1)).collect();
            return format!("({})", parts.join(joiner));
        }
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not {}", comparison(inner, depth + 1));
    }
    let variable = rule.get("Variable").and_then(Node::as_str).unwrap_or("?");
    let Some(members) = rule.as_object() else {
        return "?".into();
    };
    let Some(m) = members.iter().find(|m| {
        !matches!(
            m.key.as_str(),
            "Variable" | "Next" | "Comment" | "Assign" | "Output"
        )
    }) else {
        return variable.to_string();
    };
    let key = m.key.as_str();
    if key.starts_with("Is") {
        let negated = m.value.as_bool() == Some(false);
        return format!("{}{key} {variable}", if negated { "not " } else { "" });
    }
    let (base, is_path) = match key.strip_suffix("Path") {
        Some(b) => (b, true),
        None => (key, false),
    };
    let op = [
        ("LessThanEquals", "<="),
        ("GreaterThanEquals", ">="),
        ("LessThan", "<"),
        ("GreaterThan", ">"),
        ("Equals", "=="),
        ("Matches", "matches"),
    ]
    .into_iter()
    .find(|(suffix, _)| base.ends_with(suffix))
    .map_or(key, |(_, op)| op);
    let value = match (&m.value.value, is_path) {
        (Value::String(s), true) => s.clone(),
        _ => value_text(&m.value),
    };
    format!("{variable} {op} {value}")
}

/// A compact rendering of a value for a label.
fn value_text(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.raw().to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "[…]".into(),
        Value::Object(_) => "{…}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            mermaid_text("a \"b\" #1 <i> | `c`"),
            "a #quot;b#quot; #35;1 #lt;i#gt; #124; #96;c#96;"
        );
        assert_eq!(dot_text("a \"b\" \\n\nc"), "a \\\"b\\\" \\\\n c");
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(truncate(&long).chars().count(), MAX_LABEL);
        assert!(truncate(&long).ends_with('…'));
        assert_eq!(truncate("short"), "short");
    }
}
