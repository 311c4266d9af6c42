use crate::model::QueryLanguage;
use crate::rules::util::choice::{self, comparison, is_combinator};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks Choice rules against the state's query language: a JSONata rule
    /// needs a `Condition` and cannot use `Variable` or JSONPath operators
    /// (`StringEquals`, `And` …); a JSONPath rule cannot use `Condition`.
    ///
    /// ## Why is this bad?
    /// In a JSONata Choice state each rule is `Condition` (a JSONata
    /// expression or a boolean) plus `Next`; the JSONPath fields are not
    /// allowed there, and `Condition` means nothing to a JSONPath state. Step
    /// Functions rejects the mix, which is the most common mistake when
    /// migrating a state machine to JSONata.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" } ],
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
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Condition": "{% $states.input.ok = true %}", "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_JSONATA_CONDITION = {
        code: "ASL215",
        name: "choice-jsonata-condition",
        category: States,
        severity: Error,
        summary: "a Choice rule does not match its query language (`Condition` vs `Variable`)",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        let jsonata = state.query_language == QueryLanguage::Jsonata;
        choice::walk(state, |rule| {
            let members = rule.members();
            if jsonata {
                let jsonpath: Vec<_> = members
                    .iter()
                    .filter(|m| {
                        m.key == "Variable" || is_combinator(&m.key) || comparison(&m.key).is_some()
                    })
                    .collect();
                if let Some(first) = jsonpath.first() {
                    let names: Vec<String> =
                        jsonpath.iter().map(|m| format!("`{}`", m.key)).collect();
                    out.report(
                        &CHOICE_JSONATA_CONDITION,
                        first.key_range,
                        format!(
                            "`{}` of JSONata state `{}` uses JSONPath fields ({})",
                            rule.path,
                            state.name,
                            names.join(", ")
                        ),
                    )
                    .help("write the test as a JSONata `Condition`, e.g. `\"Condition\": \"{% $states.input.x = 1 %}\"`, or set `\"QueryLanguage\": \"JSONPath\"` on the state");
                } else if rule.node.member("Condition").is_none() {
                    out.report(
                        &CHOICE_JSONATA_CONDITION,
                        rule.anchor(),
                        format!(
                            "`{}` of JSONata state `{}` has no `Condition`",
                            rule.path, state.name
                        ),
                    )
                    .help("add `\"Condition\": \"{% … %}\"` with a JSONata expression that yields a boolean");
                }
            } else if let Some(c) = rule.node.member("Condition") {
                out.report(
                    &CHOICE_JSONATA_CONDITION,
                    c.key_range,
                    format!(
                        "`{}` of JSONPath state `{}` uses `Condition`, which needs JSONata",
                        rule.path, state.name
                    ),
                )
                .help("set `\"QueryLanguage\": \"JSONata\"` on the state or the state machine, or test with `Variable` and a comparison operator");
            }
        });
    }
}
