use crate::model::StateType;
use crate::rules::util::choice::canonical;
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports a top-level Choice rule that tests exactly the same condition
    /// as an earlier rule of the same state. `Next`, `Comment`, `Assign` and
    /// `Output` are ignored in the comparison, and so is the order of keys.
    ///
    /// ## Why is this bad?
    /// Rules are evaluated in order and the first match wins, so the later
    /// copy can never be taken. It is usually a copy-paste slip where one
    /// value or operator was meant to change.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.size", "StringEquals": "small", "Next": "Small" },
    ///         { "Variable": "$.size", "StringEquals": "small", "Next": "Large" }
    ///       ],
    ///       "Default": "Small"
    ///     },
    ///     "Small": { "Type": "Succeed" },
    ///     "Large": { "Type": "Succeed" }
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
    ///         { "Variable": "$.size", "StringEquals": "small", "Next": "Small" },
    ///         { "Variable": "$.size", "StringEquals": "large", "Next": "Large" }
    ///       ],
    ///       "Default": "Small"
    ///     },
    ///     "Small": { "Type": "Succeed" },
    ///     "Large": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_DUPLICATE_RULE = {
        code: "ASL217",
        name: "choice-duplicate-rule",
        category: States,
        severity: Warning,
        summary: "a Choice rule repeats an earlier rule and can never match",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Choice) {
        let Some(rules) = state.get("Choices").and_then(|c| c.as_array()) else {
            continue;
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, rule) in rules.iter().enumerate() {
            if rule.as_object().is_none() {
                continue;
            }
            let key = canonical(rule);
            // A rule with nothing but Next/Comment is broken in another way.
            if key == "{}" {
                continue;
            }
            match seen.get(&key) {
                Some(&first) => {
                    let anchor = |n: &crate::syntax::Node| {
                        n.as_object()
                            .and_then(|ms| ms.iter().find(|m| m.key != "Comment"))
                            .map_or(n.range, |m| m.key_range)
                    };
                    out.report(
                        &CHOICE_DUPLICATE_RULE,
                        anchor(rule),
                        format!(
                            "`Choices[{i}]` of state `{}` tests the same condition as `Choices[{first}]` and can never match",
                            state.name
                        ),
                    )
                    .related(anchor(&rules[first]), format!("`Choices[{first}]` matches first"))
                    .help("remove this rule, or change its condition");
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
}
