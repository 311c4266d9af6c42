use crate::model::StateType;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a state that has both a `Next` and `"End": true`.
    ///
    /// Choice, Succeed and Fail states take neither field; on them
    /// `transition-on-terminal-state` reports each one. `"End": false` next to
    /// `Next` is reported by `end-false`.
    ///
    /// ## Why is this bad?
    /// A state either continues with `Next` or ends its scope; it cannot do
    /// both, and Step Functions rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "Next": "B", "End": true },
    ///     "B": { "Type": "Succeed" }
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
    ///     "B": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static NEXT_AND_END = {
        code: "ASL108",
        name: "next-and-end",
        category: Graph,
        severity: Error,
        summary: "a state has both `Next` and `\"End\": true`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if matches!(
            state.state_type,
            Some(StateType::Choice | StateType::Succeed | StateType::Fail)
        ) {
            continue;
        }
        let (Some(next), Some(end)) = (state.node.member("Next"), state.node.member("End")) else {
            continue;
        };
        if end.value.as_bool() != Some(true) {
            continue;
        }
        let help = match next.value.as_str() {
            Some(target) => format!(
                "remove `\"End\": true` to continue with `{target}`, or remove `Next` to end here"
            ),
            None => "remove `\"End\": true` to continue, or remove `Next` to end here".to_string(),
        };
        out.report(
            &NEXT_AND_END,
            end.key_range,
            format!("state `{}` has both `Next` and `\"End\": true`", state.name),
        )
        .related(next.key_range, "`Next` is set here")
        .help(help);
    }
}
