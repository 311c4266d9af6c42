use crate::model::QueryLanguage;
use crate::rules::util::choice::{self, comparison, Operand};
use crate::rules::{LintContext, Sink};
use crate::syntax::{Node, Value};

declare_rule! {
    /// ## What it does
    /// Checks the operand of every comparison in a JSONPath Choice rule:
    /// `String…` and `StringMatches` take a string, `Numeric…` a number,
    /// `BooleanEquals` and the type tests (`IsPresent`, `IsNull` …) a
    /// boolean, `Timestamp…` a timestamp string, and every `…Path` operator a
    /// path string. The format of timestamp strings is checked by
    /// `invalid-timestamp`.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects a comparison whose operand has the wrong type.
    /// The usual cause is quoting: `"NumericEquals": "5"` or
    /// `"BooleanEquals": "true"`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.count", "NumericEquals": "5", "Next": "Done" } ],
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
    ///       "Choices": [ { "Variable": "$.count", "NumericEquals": 5, "Next": "Done" } ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static CHOICE_OPERAND_TYPE = {
        code: "ASL211",
        name: "choice-operand-type",
        category: States,
        severity: Error,
        summary: "a Choice comparison has an operand of the wrong type",
        check: Some(check),
    }
}

fn matches(kind: Operand, value: &Node) -> bool {
    match kind {
        Operand::String | Operand::Pattern | Operand::Timestamp | Operand::Path => {
            value.as_str().is_some()
        }
        Operand::Number => value.as_number().is_some(),
        Operand::Boolean | Operand::TypeTest => value.as_bool().is_some(),
    }
}

fn help(kind: Operand, op: &str, value: &Node) -> String {
    match (kind, &value.value) {
        (Operand::Number, Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            format!("remove the quotes: `\"{op}\": {}`", s.trim())
        }
        (Operand::Number, Value::String(s)) if s.starts_with('$') => {
            format!("to compare with a value from the input, use `{op}Path`")
        }
        (Operand::Boolean | Operand::TypeTest, Value::String(s))
            if matches!(s.as_str(), "true" | "false") =>
        {
            format!("remove the quotes: `\"{op}\": {s}`")
        }
        (Operand::String | Operand::Pattern | Operand::Timestamp, Value::Number(n)) => {
            format!("quote the value: `\"{op}\": \"{}\"`", n.raw())
        }
        (Operand::Path, _) => format!(
            "give a path such as `\"$.value\"`, or use the literal operator `{}`",
            op.trim_end_matches("Path")
        ),
        _ => format!("`{op}` compares with {}", kind.expected()),
    }
}

fn with_article(type_name: &str) -> String {
    match type_name {
        "null" => "null".to_string(),
        "integer" | "object" | "array" => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        choice::walk(state, |rule| {
            for m in rule.members() {
                let Some(kind) = comparison(&m.key) else {
                    continue;
                };
                if matches(kind, &m.value) {
                    continue;
                }
                out.report(
                    &CHOICE_OPERAND_TYPE,
                    m.value.range,
                    format!(
                        "`{}` in `{}` of state `{}` expects {}, found {}",
                        m.key,
                        rule.path,
                        state.name,
                        kind.expected(),
                        with_article(m.value.type_name())
                    ),
                )
                .help(help(kind, &m.key, &m.value));
            }
        });
    }
}
