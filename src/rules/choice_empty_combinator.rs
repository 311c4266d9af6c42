use crate::model::QueryLanguage;
use crate::rules::util::choice;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an `And` or `Or` Choice rule whose array is empty.
    ///
    /// ## Why is this bad?
    /// The specification requires a non-empty array of rules. An empty `And`
    /// or `Or` has no clear meaning, and Step Functions rejects it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "And": [], "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
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
    ///       "Choices": [ { "And": [ { "Variable": "$.ok", "BooleanEquals": true } ], "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_EMPTY_COMBINATOR = {
        code: "ASL214",
        name: "choice-empty-combinator",
        category: States,
        severity: Error,
        summary: "an `And` or `Or` Choice rule has no rules",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        choice::walk(state, |rule| {
            for m in rule.members() {
                if matches!(m.key.as_str(), "And" | "Or")
                    && m.value.as_array().is_some_and(<[_]>::is_empty)
                {
                    out.report(
                        &CHOICE_EMPTY_COMBINATOR,
                        m.value.range,
                        format!(
                            "`{}` in `{}` of state `{}` is empty",
                            m.key, rule.path, state.name
                        ),
                    )
                    .help(format!(
                        "list at least one rule in `{}`, or replace it with a single comparison",
                        m.key
                    ));
                }
            }
        });
    }
}
