use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a scope (the top level, a Parallel branch or a Map processor)
    /// that has no terminal state: no `Succeed` state, no `Fail` state and no
    /// state with `"End": true`. Scopes without any state, and scopes with a
    /// state whose `Type` is missing or unknown (it may be a misspelled
    /// `Succeed`), are left to the schema and to `missing-transition-target`.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition (`MISSING_END_STATE`): an
    /// execution of this scope could never finish successfully.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "Next": "B" },
    ///     "B": { "Type": "Wait", "Seconds": 10, "Next": "A" }
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
    ///     "B": { "Type": "Wait", "Seconds": 10, "End": true }
    ///   }
    /// }
    /// ```
    pub static NO_TERMINAL_STATE = {
        code: "ASL103",
        name: "no-terminal-state",
        category: Graph,
        severity: Error,
        summary: "a scope has no `Succeed`, `Fail` or `\"End\": true` state",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for scope in &m.scopes {
        if scope.states.is_empty() || m.graph(scope.id).has_terminal() {
            continue;
        }
        // A state whose type is missing or unknown (or that is not an object)
        // may be the intended terminal, e.g. `"Type": "Succed"`; the schema
        // reports it, and this rule stays quiet rather than guess.
        if m.states_of(scope.id).any(|s| s.state_type.is_none()) {
            continue;
        }
        let Some(key) = scope.node.member("States") else {
            continue;
        };
        out.report(
            &NO_TERMINAL_STATE,
            key.key_range,
            format!("{} has no terminal state", scope.describe(m)),
        )
        .help("end at least one state with `\"End\": true`, or add a `Succeed` or `Fail` state");
    }
}
