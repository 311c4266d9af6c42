use crate::rules::{LintContext, Sink};
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
    /// otherwise be reported. So are scopes with a state that is not an
    /// object (the schema reports it; its transitions are unknown), and the
    /// second of two states with the same name (`duplicate-state-name`).
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
        // A state that is not an object has no transitions to follow; what
        // only it leads to would be reported for no fault of its own.
        if m.states_of(scope.id).any(|s| s.node.as_object().is_none()) {
            continue;
        }
        for node in g.graph.node_indices() {
            if g.is_reachable(node) {
                continue;
            }
            let state = m.state(g.state(node));
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
            } else if g.has_incoming(node) {
                format!(
                    "state `{}` cannot be reached from `StartAt` (`{start_name}`): only its own transitions name it",
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
