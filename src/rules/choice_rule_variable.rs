use crate::model::QueryLanguage;
use crate::rules::util::choice::{self, comparison, is_combinator};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a JSONPath Choice rule with a comparison operator but no
    /// `Variable`, and a Boolean rule (`And`, `Or`, `Not`) that carries a
    /// `Variable`.
    ///
    /// ## Why is this bad?
    /// A comparison tests the value at `Variable`; without it there is
    /// nothing to compare, and Step Functions rejects the rule. On `And`,
    /// `Or` and `Not` the field is not allowed: each nested rule names its own
    /// `Variable`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "StringEquals": "ok", "Next": "Done" } ],
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
    ///       "Choices": [ { "Variable": "$.status", "StringEquals": "ok", "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_RULE_VARIABLE = {
        code: "ASL212",
        name: "choice-rule-variable",
        category: States,
        severity: Error,
        summary: "a Choice comparison lacks `Variable`, or a Boolean rule has one",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        choice::walk(state, |rule| {
            let members = rule.members();
            let variable = members.iter().find(|m| m.key == "Variable");
            let comparison_op = members.iter().find(|m| comparison(&m.key).is_some());
            let combinator = members.iter().find(|m| is_combinator(&m.key));
            match (variable, comparison_op, combinator) {
                (None, Some(op), None) => {
                    out.report(
                        &CHOICE_RULE_VARIABLE,
                        op.key_range,
                        format!(
                            "`{}` of state `{}` compares with `{}` but has no `Variable`",
                            rule.path, state.name, op.key
                        ),
                    )
                    .help("add `\"Variable\": \"$.field\"` naming the value to test");
                }
                (Some(v), None, Some(c)) => {
                    out.report(
                        &CHOICE_RULE_VARIABLE,
                        v.key_range,
                        format!(
                            "`{}` of state `{}` is a `{}` rule and cannot have a `Variable`",
                            rule.path, state.name, c.key
                        ),
                    )
                    .help(format!(
                        "remove `Variable` here and set it on each rule inside `{}`",
                        c.key
                    ));
                }
                _ => {}
            }
        });
    }
}
