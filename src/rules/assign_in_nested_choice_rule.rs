use crate::rules::{LintContext, Sink};
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// Reports an `Assign` field inside a nested Choice rule: a rule within
    /// `And`, `Or` or `Not`.
    ///
    /// ## Why is this bad?
    /// Only a top-level Choice rule is "chosen" and runs its `Assign`; a
    /// nested rule is merely part of a condition, and its `Assign` never
    /// runs. The variables it seems to set stay unassigned.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         {
    ///           "And": [
    ///             { "Variable": "$.a", "IsPresent": true, "Assign": { "seen": true } },
    ///             { "Variable": "$.b", "IsPresent": true }
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
    ///             { "Variable": "$.a", "IsPresent": true },
    ///             { "Variable": "$.b", "IsPresent": true }
    ///           ],
    ///           "Assign": { "seen": true },
    ///           "Next": "Done"
    ///         }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static ASSIGN_IN_NESTED_CHOICE_RULE = {
        code: "ASL316",
        name: "assign-in-nested-choice-rule",
        category: Data,
        severity: Warning,
        summary: "`Assign` inside an `And`/`Or`/`Not` rule never runs",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        let Some(rules) = state.get("Choices").and_then(Node::as_array) else {
            continue;
        };
        for (i, top) in rules.iter().enumerate() {
            // (rule, where it is)
            let mut stack: Vec<(&Node, String)> = nested(top, &format!("Choices[{i}]"));
            while let Some((rule, at)) = stack.pop() {
                if let Some(m) = rule.member("Assign") {
                    out.report(
                        &ASSIGN_IN_NESTED_CHOICE_RULE,
                        m.key_range,
                        format!(
                            "`Assign` in the nested rule `{at}` of state `{}` never runs",
                            state.name
                        ),
                    )
                    .help(format!(
                        "only top-level rules assign variables: move it to `Choices[{i}]`"
                    ));
                }
                stack.extend(nested(rule, &at));
            }
        }
    }
}

/// The rules directly nested in `rule` (`And[i]`, `Or[i]`, `Not`), last first.
fn nested<'a>(rule: &'a Node, at: &str) -> Vec<(&'a Node, String)> {
    let mut out = Vec::new();
    if let Some(not) = rule.get("Not") {
        out.push((not, format!("{at}.Not")));
    }
    for key in ["And", "Or"] {
        if let Some(subs) = rule.get(key).and_then(Node::as_array) {
            for (j, r) in subs.iter().enumerate().rev() {
                out.push((r, format!("{at}.{key}[{j}]")));
            }
        }
    }
    out
}
