use crate::jsonata::{self, Malformed, Template};
use crate::rules::jsonata_common::workflow_variables;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// In a JSONata state, reports strings that look like an expression but
    /// are not delimited as one: a value starting with `$states.`, a JSONPath
    /// (`$.x`, `$$.x`), a workflow variable (`$myVar`), or a string that opens
    /// `{%` without closing `%}` (or the reverse, or with spaces around).
    ///
    /// ## Why is this bad?
    /// Only a string that is exactly `{% … %}` is evaluated; anything else is
    /// passed on as literal text, so the next state receives `"$states.input.id"`
    /// instead of the id. This is the most common slip when moving a state from
    /// JSONPath to JSONata, where `.$` keys used to mark paths.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Arguments": { "FunctionName": "f", "Payload": { "id": "$states.input.id" } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Arguments": { "FunctionName": "f", "Payload": { "id": "{% $states.input.id %}" } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static JSONATA_MISSING_DELIMITERS = {
        code: "ASL333",
        name: "jsonata-missing-delimiters",
        category: Data,
        severity: Warning,
        summary: "a string in a JSONata state looks like an expression but is not written `{% … %}`",
        check: Some(check),
    }
}

/// `$name` followed by nothing, `.`, or `[`: the variable name.
fn variable_head(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('$')?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    (!name.is_empty() && (tail.is_empty() || tail.starts_with('.') || tail.starts_with('[')))
        .then_some(name)
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let mut variables = None;
    for p in cx.jsonata_sites() {
        let site = &p.site;
        let value = site.value;
        let location = format!("`{}` of state `{}`", site.field, site.state.name);
        let wrapped = format!("{{% {} %}}", value.trim());
        let (message, help) = match jsonata::template(value) {
            Template::Expression { .. } => continue,
            Template::Malformed(m) => {
                let why = match m {
                    Malformed::Unclosed => "opens with `{%` but does not end with `%}`",
                    Malformed::Unopened => "ends with `%}` but does not start with `{%`",
                    Malformed::OuterWhitespace => "has whitespace outside `{% … %}`",
                };
                (
                    format!("{location} {why}, so it is not evaluated"),
                    "the whole string must be `{% expression %}`, with nothing before `{%` or after `%}`".to_string(),
                )
            }
            Template::Literal => {
                let t = value.trim();
                let kind =
                    if t == "$states" || t.starts_with("$states.") || t.starts_with("$states[") {
                        "a `$states` expression"
                    } else if t == "$" || t.starts_with("$.") || t.starts_with("$[") {
                        "a JSONPath"
                    } else if t == "$$" || t.starts_with("$$.") {
                        "a context-object path"
                    } else if let Some(name) = variable_head(t) {
                        let vars = variables.get_or_insert_with(|| workflow_variables(cx.machine));
                        if !vars.contains(name) {
                            continue;
                        }
                        "a variable reference"
                    } else {
                        continue;
                    };
                let help = if kind == "a JSONPath" || kind == "a context-object path" {
                    "JSONata states read the input as `$states.input` and the context object as `$states.context`; write for example `{% $states.input.x %}`".to_string()
                } else {
                    format!("write `{wrapped}` to evaluate it")
                };
                (
                    format!(
                        "{location} is {kind} written as plain text, so it is passed on literally"
                    ),
                    help,
                )
            }
        };
        out.report(&JSONATA_MISSING_DELIMITERS, site.node.range, message)
            .help(help);
    }
}
