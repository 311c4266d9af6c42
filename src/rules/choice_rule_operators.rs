use crate::model::QueryLanguage;
use crate::rules::util::choice::{self, comparison, is_combinator, is_jsonpath_rule_field};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks that every JSONPath Choice rule, top-level or nested, has
    /// exactly one operator: one comparison (`StringEquals`,
    /// `NumericGreaterThanPath`, `IsPresent` …) or one of `And`, `Or`, `Not`.
    ///
    /// A rule without any operator is not reported when it carries a key
    /// asl-lint does not know (the schema check reports that key, usually a
    /// misspelled operator) or a JSONata `Condition` (see
    /// `choice-jsonata-condition`).
    ///
    /// ## Why is this bad?
    /// A Choice rule is either a data test with exactly one comparison or a
    /// Boolean combination; Step Functions rejects rules with none or several.
    /// Writing two comparisons in one rule does not mean "both": use `And`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.n", "NumericGreaterThan": 1, "NumericLessThan": 10, "Next": "Done" }
    ///       ],
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
    ///       "Choices": [
    ///         {
    ///           "And": [
    ///             { "Variable": "$.n", "NumericGreaterThan": 1 },
    ///             { "Variable": "$.n", "NumericLessThan": 10 }
    ///           ],
    ///           "Next": "Done"
    ///         }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_RULE_OPERATORS = {
        code: "ASL210",
        name: "choice-rule-operators",
        category: States,
        severity: Error,
        summary: "a Choice rule does not have exactly one operator",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        choice::walk(state, |rule| {
            let ops: Vec<_> = rule.operators().collect();
            match ops.len() {
                0 => {
                    let silent = rule.members().iter().any(|m| {
                        m.key == "Condition"
                            || !(is_jsonpath_rule_field(&m.key)
                                || is_combinator(&m.key)
                                || comparison(&m.key).is_some())
                    });
                    if !silent {
                        out.report(
                            &CHOICE_RULE_OPERATORS,
                            rule.anchor(),
                            format!(
                                "`{}` of state `{}` has no comparison operator",
                                rule.path, state.name
                            ),
                        )
                        .help("add one comparison such as `\"StringEquals\": \"x\"`, or combine rules with `And`, `Or` or `Not`");
                    }
                }
                1 => {}
                _ => {
                    let names: Vec<String> = ops.iter().map(|m| format!("`{}`", m.key)).collect();
                    let mut r = out
                        .report(
                            &CHOICE_RULE_OPERATORS,
                            ops[1].key_range,
                            format!(
                                "`{}` of state `{}` has {} operators ({}) where exactly one is allowed",
                                rule.path,
                                state.name,
                                ops.len(),
                                names.join(", ")
                            ),
                        )
                        .help("a rule tests one thing: put each comparison in its own rule and combine them with `And` or `Or`");
                    r = r.related(ops[0].key_range, "first operator");
                    drop(r);
                }
            }
        });
    }
}
