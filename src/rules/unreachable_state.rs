use crate::model::graph::ScopeGraph;
use crate::model::{Machine, ScopeId};
use crate::rules::{LintContext, Sink};
use crate::syntax::Value;
use petgraph::Direction;

declare_rule! {
    /// ## What it does
    /// Reports a state that cannot be reached from its scope's `StartAt`
    /// (the top level, a Parallel branch or a Map processor), following
    /// `Next`, `Default`, Choice rule `Next` and Catch `Next` transitions.
    /// The message says whether no transition names the state at all, or
    /// only states that are themselves unreachable do (for example a loop
    /// `A` → `B` → `A` that nothing enters).
    ///
    /// Scopes whose `StartAt` is missing or names no state are skipped:
    /// `missing-transition-target` reports the cause, and every state would
    /// otherwise be reported. So is the second of two states with the same
    /// name (`duplicate-state-name`). A state that is not an object is not
    /// reported (the schema reports it), and since its transitions are
    /// unknown, neither is a state whose name appears inside it, nor what
    /// such a state leads to; a state that nothing names is still reported.
    ///
    /// A `StartAt` or transition whose target holds a deploy-time `${…}`
    /// placeholder (`"Next": "${NextStep}"`, `!Select` in a template) may
    /// name any state of its scope once deployed: when it is reachable,
    /// every state of the scope counts as reachable.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects a state that no transition names
    /// (`MISSING_TRANSITION_TARGET`: "State … is not reachable"). A state that
    /// is only named by other unreachable states may be accepted, but it can
    /// never run: it is dead code, usually a forgotten or misspelled `Next`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "End": true },
    ///     "B": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "Next": "B" },
    ///     "B": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    pub static UNREACHABLE_STATE = {
        code: "ASL102",
        name: "unreachable-state",
        category: Graph,
        severity: Error,
        summary: "a state cannot be reached from its scope's `StartAt`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for scope in &m.scopes {
        let g = m.graph(scope.id);
        let (Some(_), Some(start_name)) = (g.start, scope.start_at_name()) else {
            continue;
        };
        if !g.reachable.contains(&false) {
            continue;
        }
        let unknown = named_by_broken_states(m, scope.id, g);
        // States with a transition to a deploy-time placeholder.
        let wild = g.wild.iter().filter(|&&w| w).count();
        for node in g.graph.node_indices() {
            if g.is_reachable(node) || unknown[node.index()] {
                continue;
            }
            let state = m.state(g.state(node));
            if state.node.as_object().is_none() {
                // The schema reports it; its transitions are unknown.
                continue;
            }
            if scope.by_name.get(state.name) != Some(&state.id) {
                // A second state of the same name: transitions resolve to the
                // first one, and `duplicate-state-name` reports this one.
                continue;
            }
            let mut sources = g.graph.neighbors_directed(node, Direction::Incoming);
            let message = if sources.any(|n| n != node) {
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): only unreachable states transition to it",
                    state.name
                )
            } else if wild - usize::from(g.wild[node.index()]) > 0 {
                // An unreachable state's placeholder target may name it.
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): only unreachable states may transition to it",
                    state.name
                )
            } else if g.has_incoming(node) {
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): only its own transitions name it",
                    state.name
                )
            } else if g.wild[node.index()] {
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): only its own transitions may name it",
                    state.name
                )
            } else {
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): no transition names it",
                    state.name
                )
            };
            out.report(&UNREACHABLE_STATE, state.name_range, message)
                .help("add a transition to it from a reachable state, or remove it");
        }
    }
}

/// Per node of `scope`'s graph: the state may be reached through a state
/// that is not an object, whose transitions are unknown. That is a state
/// whose name is a string inside a non-object state reachable from
/// `StartAt` (`"B": ["Next", "C"]` may be a mangled `"Next": "C"`), and what
/// it leads to. A state that nothing names is never among them. Linear in
/// the size of the broken states and the graph.
fn named_by_broken_states(m: &Machine<'_>, scope: ScopeId, g: &ScopeGraph) -> Vec<bool> {
    let mut seeds = Vec::new();
    for state in m.states_of(scope) {
        if state.node.as_object().is_some() {
            continue;
        }
        let Some(node) = g.node(state.id) else {
            continue;
        };
        if !g.is_reachable(node) {
            continue;
        }
        let mut stack = vec![state.node];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::String(s) => {
                    if let Some(target) = m.find(scope, s).and_then(|t| g.node(t.id)) {
                        seeds.push(target);
                    }
                }
                Value::Array(items) => stack.extend(items),
                Value::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
                _ => {}
            }
        }
    }
    let mut seen = vec![false; g.graph.node_count()];
    while let Some(n) = seeds.pop() {
        if std::mem::replace(&mut seen[n.index()], true) {
            continue;
        }
        seeds.extend(g.graph.neighbors(n));
    }
    seen
}
