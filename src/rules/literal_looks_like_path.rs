use crate::model::{QueryLanguage, StateType};
use crate::rules::jsonata_common::workflow_variables;
use crate::rules::jsonpath_sites::looks_dynamic;
use crate::rules::util::choice::{self, Operand};
use crate::rules::{LintContext, Sink};
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// In JSONPath states, flags literal values that look like paths in
    /// fields that take a literal, where a sibling field ending in `Path`
    /// reads the value from a path instead:
    /// the string operands of Choice rules, `StringEquals`, `StringLessThan`
    /// … (use `StringEqualsPath` …), at any depth of `And`, `Or` and `Not`.
    /// A path written as a Wait `Timestamp` or a timestamp operand
    /// (`TimestampEquals` …) is not a timestamp, so `invalid-timestamp`
    /// reports it as an error, with the same advice; it is not reported
    /// twice.
    ///
    /// A value looks like a path when it parses as one: `$.x`, `$[0]`,
    /// `$$.Execution.StartTime`, or `$name` where some state assigns the
    /// variable `name`. `StringMatches` patterns, `$5.00` and `$` alone do
    /// not count. (Fail `Error`/`Cause` are `fail-error-looks-like-path`'s.)
    ///
    /// ## Why is this bad?
    /// The value is compared or used as written: `"StringEquals": "$.b"`
    /// compares with the three characters `$.b`, not with the field `b`. AWS
    /// warns about the same mistake (`NO_PATH`) when it validates a
    /// definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.a", "StringEquals": "$.b", "Next": "Done" } ],
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
    ///       "Choices": [ { "Variable": "$.a", "StringEqualsPath": "$.b", "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static LITERAL_LOOKS_LIKE_PATH = {
        code: "ASL308",
        name: "literal-looks-like-path",
        category: Data,
        severity: Warning,
        summary: "a literal Choice string operand looks like a path",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let mut variables = None;
    // What `s` looks like, when it is meant as a path.
    let mut dynamic = |s: &str| -> Option<&'static str> {
        let what = looks_dynamic(s)?;
        if what == "a variable reference" {
            let name = s[1..].split(['.', '[']).next().unwrap_or("");
            let vars = variables.get_or_insert_with(|| workflow_variables(cx.machine));
            if !vars.contains(name) {
                return None;
            }
        }
        Some(what)
    };
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        if state.state_type == Some(StateType::Choice) {
            choice::walk(state, |rule| {
                for m in rule.members() {
                    if !matches!(choice::comparison(&m.key), Some(Operand::String)) {
                        continue;
                    }
                    let Some(what) = m.value.as_str().and_then(&mut dynamic) else {
                        continue;
                    };
                    let at = format!("`{}` of state `{}`", rule.path, state.name);
                    report(out, &m.value, &m.key, what, &at);
                }
            });
        }
    }
}

fn report(out: &mut Sink<'_>, node: &Node, field: &str, what: &str, at: &str) {
    out.report(
        &LITERAL_LOOKS_LIKE_PATH,
        node.range,
        format!("`{field}` in {at} is {what} written as a literal, so it is used as written"),
    )
    .help(format!(
        "to read the value from the path, use `{field}Path` instead of `{field}`"
    ));
}
