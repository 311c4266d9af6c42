use crate::rules::util::choice;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a top-level Choice rule (an element of `Choices`) without
    /// `Next`, and a rule nested inside `And`, `Or` or `Not` that has one.
    ///
    /// ## Why is this bad?
    /// Only the top-level rule decides where the execution goes; Step
    /// Functions rejects a top-level rule without `Next` and a nested rule
    /// with one (a nested `Next` would never be followed).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Not": { "Variable": "$.ok", "BooleanEquals": true, "Next": "Retry" } }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Retry": { "Type": "Pass", "Next": "Check" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Not": { "Variable": "$.ok", "BooleanEquals": true }, "Next": "Retry" }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Retry": { "Type": "Pass", "Next": "Check" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_RULE_NEXT = {
        code: "ASL213",
        name: "choice-rule-next",
        category: States,
        severity: Error,
        summary: "a top-level Choice rule lacks `Next`, or a nested rule has one",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        choice::walk(state, |rule| {
            let next = rule.node.member("Next");
            match (rule.nested, next) {
                (false, None) => {
                    out.report(
                        &CHOICE_RULE_NEXT,
                        rule.anchor(),
                        format!("`{}` of state `{}` has no `Next`", rule.path, state.name),
                    )
                    .help("add `\"Next\"` naming the state to go to when this rule matches");
                }
                (true, Some(m)) => {
                    out.report(
                        &CHOICE_RULE_NEXT,
                        m.key_range,
                        format!(
                            "`{}` of state `{}` is nested and cannot have `Next`",
                            rule.path, state.name
                        ),
                    )
                    .help("move `Next` to the top-level rule that contains it");
                }
                _ => {}
            }
        });
    }
}
