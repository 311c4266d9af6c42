//! Retriers and catchers, and the predefined error names.

use crate::model::State;
use crate::syntax::{Member, Node};

/// `Retry` or `Catch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerKind {
    Retry,
    Catch,
}

impl HandlerKind {
    pub fn field(self) -> &'static str {
        match self {
            HandlerKind::Retry => "Retry",
            HandlerKind::Catch => "Catch",
        }
    }
    /// "retrier" / "catcher".
    pub fn noun(self) -> &'static str {
        match self {
            HandlerKind::Retry => "retrier",
            HandlerKind::Catch => "catcher",
        }
    }
}

/// One retrier or catcher (an object element of `Retry`/`Catch`).
#[derive(Clone, Debug)]
pub struct Handler<'a> {
    pub kind: HandlerKind,
    pub index: usize,
    pub node: &'a Node,
    /// The `ErrorEquals` member, when present.
    pub error_equals: Option<&'a Member>,
}

impl<'a> Handler<'a> {
    /// `Retry[1]`.
    pub fn label(&self) -> String {
        format!("{}[{}]", self.kind.field(), self.index)
    }
    /// The string elements of `ErrorEquals` (non-strings are skipped; the
    /// schema reports them).
    pub fn names(&self) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        self.error_equals
            .and_then(|m| m.value.as_array())
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s, n)))
    }
    /// The range to point at for the whole handler: its `ErrorEquals` key.
    pub fn anchor(&self) -> crate::syntax::TextRange {
        self.error_equals.map_or(self.node.range, |m| m.key_range)
    }
    /// True when `ErrorEquals` lists `States.ALL`.
    pub fn has_states_all(&self) -> bool {
        self.names().any(|(n, _)| n == STATES_ALL)
    }
}

/// The object entries of the state's `Retry` or `Catch` array, whatever the
/// state type (the schema reports Retry/Catch where they are not allowed).
pub fn handlers<'a>(state: &State<'a>, kind: HandlerKind) -> Vec<Handler<'a>> {
    let Some(items) = state.get(kind.field()).and_then(Node::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_object().is_some())
        .map(|(index, node)| Handler {
            kind,
            index,
            node,
            error_equals: node.member("ErrorEquals"),
        })
        .collect()
}

pub const STATES_ALL: &str = "States.ALL";

/// The predefined error names: the specification's Appendix A plus those AWS
/// documents on its own.
pub const PREDEFINED: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
];

/// Errors that `States.ALL` does not match.
pub const NOT_MATCHED_BY_ALL: &[&str] = &["States.DataLimitExceeded", "States.Runtime"];

/// A handler that can never match, and the earlier handlers that take all of
/// its errors first.
pub struct Shadowed<'a> {
    pub handler: Handler<'a>,
    /// Indices into the handler list, in order, without repeats.
    pub by: Vec<usize>,
}

/// The handlers of `list` (in order) whose every error name is already matched
/// by an earlier handler: the same name listed earlier, or an earlier
/// `States.ALL` (which covers everything except the errors it is documented
/// not to match). Only certain coverage counts; wildcard semantics beyond
/// `States.ALL` (such as `States.TaskFailed`) are not assumed.
pub fn shadowed<'a>(list: &[Handler<'a>]) -> Vec<Shadowed<'a>> {
    use std::collections::HashMap;
    let mut seen: HashMap<&'a str, usize> = HashMap::new();
    let mut all: Option<usize> = None;
    let mut out = Vec::new();
    for (pos, h) in list.iter().enumerate() {
        let items = h
            .error_equals
            .and_then(|m| m.value.as_array())
            .unwrap_or(&[]);
        let names: Vec<&'a str> = items.iter().filter_map(Node::as_str).collect();
        if !names.is_empty() && names.len() == items.len() {
            let mut by: Vec<usize> = Vec::new();
            let covered = names.iter().all(|n| {
                let c = seen
                    .get(n)
                    .copied()
                    .or_else(|| all.filter(|_| !NOT_MATCHED_BY_ALL.contains(n)));
                if let Some(c) = c {
                    if !by.contains(&c) {
                        by.push(c);
                    }
                }
                c.is_some()
            });
            if covered {
                by.sort_unstable();
                out.push(Shadowed {
                    handler: h.clone(),
                    by,
                });
            }
        }
        for n in names {
            seen.entry(n).or_insert(pos);
            if n == STATES_ALL && all.is_none() {
                all = Some(pos);
            }
        }
    }
    out
}

/// Reports every retrier or catcher of every state that earlier entries of the
/// same list shadow, with the shadowing entries as related locations. Shared
/// by `shadowed-retrier` and `shadowed-catcher`, which differ only in `kind`.
pub fn report_shadowed(
    cx: &crate::rules::LintContext<'_>,
    out: &mut crate::rules::Sink<'_>,
    rule: &'static crate::rules::Rule,
    kind: HandlerKind,
) {
    let noun = match kind {
        HandlerKind::Retry => "retriers",
        HandlerKind::Catch => "catchers",
    };
    for state in &cx.machine.states {
        let list = handlers(state, kind);
        if list.len() < 2 {
            continue;
        }
        for s in shadowed(&list) {
            let h = &s.handler;
            let earlier: Vec<String> =
                s.by.iter()
                    .map(|&i| format!("`{}`", list[i].label()))
                    .collect();
            let mut r = out
                .report(
                    rule,
                    h.anchor(),
                    format!(
                        "`{}` of state `{}` can never match: every error it lists is matched by {} first",
                        h.label(),
                        state.name,
                        earlier.join(" and ")
                    ),
                )
                .help(format!(
                    "remove it, or move it before the {noun} that shadow it and narrow their `ErrorEquals`"
                ));
            for &i in &s.by {
                r = r.related(
                    list[i].anchor(),
                    format!("`{}` matches these errors first", list[i].label()),
                );
            }
        }
    }
}
