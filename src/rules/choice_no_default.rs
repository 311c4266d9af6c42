use crate::model::{QueryLanguage, StateType};
use crate::rules::util::choice::{canonical, comparison, Operand};
use crate::rules::util::{is_jsonata, states_of_type};
use crate::rules::{LintContext, Sink};
use crate::syntax::{Node, Value};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Reports a Choice state without `Default`, unless its rules provably
    /// cover every input: a JSONata `Condition` that is literally `true` (or
    /// `{% true %}`), or two top-level rules where one is the negation of the
    /// other (`IsPresent: true` and `IsPresent: false` on the same
    /// `Variable`, or a rule and its `Not`).
    ///
    /// ## Why is this bad?
    /// When no rule matches and there is no `Default`, the execution fails
    /// with `States.NoChoiceMatched`. AWS recommends always providing a
    /// `Default`, even if it only leads to a `Fail` state that names the
    /// problem.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" } ]
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
    ///       "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" } ],
    ///       "Default": "NotOk"
    ///     },
    ///     "Done": { "Type": "Succeed" },
    ///     "NotOk": { "Type": "Fail", "Error": "NotOk" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_NO_DEFAULT = {
        code: "ASL216",
        name: "choice-no-default",
        category: States,
        severity: Warning,
        summary: "a Choice state has no `Default` and can fail with `States.NoChoiceMatched`",
        check: Some(check),
    }
}

/// True for a JSONata condition that is the constant `true`.
fn always_true_condition(rule: &Node) -> bool {
    match rule.get("Condition").map(|c| &c.value) {
        Some(Value::Bool(true)) => true,
        Some(Value::String(s)) if is_jsonata(s) => {
            let inner = s.trim().trim_start_matches("{%").trim_end_matches("%}");
            inner.trim() == "true"
        }
        _ => false,
    }
}

/// The canonical text of the negation of a JSONPath rule, when it is easy to
/// state: the inside of a `Not`, or a type test with the opposite boolean.
/// (A rule `R` next to `{ "Not": R }` is found from the `Not` side.)
fn negation(rule: &Node) -> Option<String> {
    let members = rule.as_object()?;
    if let Some(inner) = rule.get("Not") {
        return Some(canonical(inner));
    }
    let test = members
        .iter()
        .find(|m| comparison(&m.key) == Some(Operand::TypeTest))?;
    let b = test.value.as_bool()?;
    let variable = rule.get("Variable")?.as_str()?;
    // The canonical text of `{ "<test>": !b, "Variable": "<variable>" }`
    // (keys sorted; every type test sorts before `Variable`).
    Some(format!(
        "{{{:?}:{},{:?}:{:?}}}",
        test.key, !b, "Variable", variable
    ))
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Choice) {
        if state.node.member("Default").is_some() {
            continue;
        }
        let Some(choices) = state.node.member("Choices") else {
            continue;
        };
        let Some(rules) = choices.value.as_array() else {
            continue;
        };
        if rules.is_empty() {
            continue;
        }
        let exhaustive = if state.query_language == QueryLanguage::Jsonata {
            rules.iter().any(always_true_condition)
        } else {
            let seen: HashSet<String> = rules.iter().map(canonical).collect();
            rules.iter().filter_map(negation).any(|n| seen.contains(&n))
        };
        if exhaustive {
            continue;
        }
        out.report(
            &CHOICE_NO_DEFAULT,
            choices.key_range,
            format!("state `{}` has no `Default`", state.name),
        )
        .help("when no rule matches, the execution fails with `States.NoChoiceMatched`; add `\"Default\"` naming a fallback state");
    }
}
