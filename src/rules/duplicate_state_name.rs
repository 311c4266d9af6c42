use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state name used more than once anywhere in the state machine:
    /// twice in one `States` object, or once at the top level and again inside
    /// a Parallel branch or Map processor, or in two branches. Every copy after
    /// the first is reported, pointing at the first.
    ///
    /// Two copies in the same `States` object are also duplicate JSON keys,
    /// which `duplicate-key` reports as well.
    ///
    /// ## Why is this bad?
    /// State names must be unique across the whole state machine, nested
    /// scopes included; Step Functions rejects the definition
    /// (`DUPLICATE_STATE_NAME`). Execution history and error messages identify
    /// states by name alone.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Run",
    ///   "States": {
    ///     "Run": {
    ///       "Type": "Parallel",
    ///       "End": true,
    ///       "Branches": [
    ///         { "StartAt": "Run", "States": { "Run": { "Type": "Pass", "End": true } } }
    ///       ]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Run",
    ///   "States": {
    ///     "Run": {
    ///       "Type": "Parallel",
    ///       "End": true,
    ///       "Branches": [
    ///         { "StartAt": "Run Branch", "States": { "Run Branch": { "Type": "Pass", "End": true } } }
    ///       ]
    ///     }
    ///   }
    /// }
    /// ```
    pub static DUPLICATE_STATE_NAME = {
        code: "ASL105",
        name: "duplicate-state-name",
        category: Graph,
        severity: Error,
        summary: "the same state name is used twice in the state machine",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let m = cx.machine;
    for state in &m.states {
        let Some(first) = m.find_anywhere(state.name) else {
            continue;
        };
        if first.id == state.id {
            continue;
        }
        let message = if first.scope == state.scope {
            format!(
                "state name `{}` is used twice in {}",
                state.name,
                m.scope(state.scope).describe(m)
            )
        } else {
            format!(
                "state name `{}` is already used in {}",
                state.name,
                m.scope(first.scope).describe(m)
            )
        };
        out.report(&DUPLICATE_STATE_NAME, state.name_range, message)
            .related(first.name_range, "first used here")
            .help("rename one of them; state names must be unique across the whole state machine, Parallel branches and Map processors included");
    }
}
