use crate::model::{Machine, ScopeId, StateId};
use crate::rules::missing_transition_target::unresolved_targets;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a `StartAt`, `Next`, Choice `Default`, Choice rule `Next` or
    /// Catch `Next` that names a state of *another* scope: a state of the
    /// enclosing level from inside a Parallel branch or Map processor, a state
    /// of a sibling branch, or a state inside a branch or processor from the
    /// outside.
    ///
    /// ## Why is this bad?
    /// Each Parallel branch and Map processor is a separate state machine:
    /// its states can only transition to each other, and Step Functions
    /// rejects the definition (`MISSING_TRANSITION_TARGET`). A branch ends with
    /// a terminal state; the Parallel or Map state then continues with its own
    /// `Next`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fan Out",
    ///   "States": {
    ///     "Fan Out": {
    ///       "Type": "Parallel",
    ///       "Next": "Done",
    ///       "Branches": [
    ///         { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "Next": "Done" } } }
    ///       ]
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Fan Out",
    ///   "States": {
    ///     "Fan Out": {
    ///       "Type": "Parallel",
    ///       "Next": "Done",
    ///       "Branches": [
    ///         { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } }
    ///       ]
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CROSS_SCOPE_TRANSITION = {
        code: "ASL101",
        name: "cross-scope-transition",
        category: Graph,
        severity: Error,
        summary: "a transition names a state of another Parallel branch, Map processor or level",
        check: Some(check),
    }
}

/// The state of `outer` whose branch or processor (transitively) contains
/// `inner`, when `inner` is nested inside `outer`.
fn entered_through(machine: &Machine<'_>, outer: ScopeId, inner: ScopeId) -> Option<StateId> {
    let mut scope = inner;
    while let Some(owner) = machine.scope(scope).owner {
        let owner_scope = machine.state(owner).scope;
        if owner_scope == outer {
            return Some(owner);
        }
        scope = owner_scope;
    }
    None
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for t in unresolved_targets(m) {
        let Some(target) = m.find_anywhere(t.target) else {
            continue;
        };
        let target_scope = m.scope(target.scope);
        let message = format!(
            "{} names `{}`, which is in {}; transitions cannot leave or enter a Parallel branch or Map processor",
            t.subject(m, true),
            t.target,
            target_scope.describe(m)
        );
        let help = if let Some(gate) = entered_through(m, t.scope.id, target.scope) {
            let gate = m.state(gate).name;
            format!("`{}` runs inside `{gate}`; name `{gate}` instead", t.target)
        } else if let Some(owner) = t.scope.owner {
            format!(
                "end {} with a terminal state (`\"End\": true`, `Succeed` or `Fail`); `{}` then continues with its own `Next`",
                t.scope.describe(m),
                m.state(owner).name
            )
        } else {
            "name a state of the same `States` object".to_string()
        };
        out.report(&CROSS_SCOPE_TRANSITION, t.node.range, message)
            .related(target.name_range, format!("`{}` is defined here", t.target))
            .help(help);
    }
}
