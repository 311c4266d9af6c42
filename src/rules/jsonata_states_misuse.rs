use crate::jsonata::analysis::{context_refs, states_refs};
use crate::jsonata::ast::ExprKind;
use crate::model::StateType;
use crate::rules::jsonata_common::{Site, Slot};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks how JSONata expressions reach the data of a state:
    /// * `$states.result` only exists in the top-level `Output` and `Assign`
    ///   of a Task, Parallel or Map state (not in `Arguments`, catchers, or
    ///   other state types);
    /// * `$states.errorOutput` only exists in the `Output` and `Assign` of a
    ///   catcher;
    /// * the input of a JSONata state is `$states.input`: `$` at the top level
    ///   of an expression and `$$` anywhere do not refer to it;
    /// * `$states` is reserved and cannot be rebound with `:=`.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects `$states.result` and `$states.errorOutput` where
    /// they do not exist when the state machine is created or validated. `$`
    /// and `$$` are JSONPath habits: the specification forbids them in JSONata
    /// states, where they do not hold the input or the context object.
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
    ///       "Arguments": { "FunctionName": "f", "Payload": "{% $states.result %}" },
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
    ///       "Arguments": { "FunctionName": "f", "Payload": "{% $states.input %}" },
    ///       "Output": "{% $states.result.Payload %}",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static JSONATA_STATES_MISUSE = {
        code: "ASL332",
        name: "jsonata-states-misuse",
        category: Data,
        severity: Error,
        summary: "a JSONata expression uses `$states.result`, `$states.errorOutput`, `$` or `$$` where they do not hold what it expects",
        check: Some(check),
    }
}

/// Where `field` exists, for messages.
fn where_available(field: &str) -> &'static str {
    if field == "result" {
        "the top-level `Output` and `Assign` of Task, Parallel and Map states"
    } else {
        "the `Output` and `Assign` of a catcher"
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for p in cx.jsonata_sites() {
        let Some((_, expr)) = p.expr() else {
            continue;
        };
        let site = &p.site;
        let range = |span| p.range(cx, span);
        let location = format!("`{}` of state `{}`", site.field, site.state.name);
        for r in states_refs(expr) {
            let Some(field) = r.field else { continue };
            let allowed = match field {
                "result" => site.slot == Slot::Result,
                "errorOutput" => site.slot == Slot::Catch,
                _ => continue,
            };
            if allowed {
                continue;
            }
            out.report(
                &JSONATA_STATES_MISUSE,
                range(r.span),
                format!("`$states.{field}` does not exist in {location}"),
            )
            .help(help_for(field, site));
        }
        for (span, which) in context_refs(expr) {
            let (message, help) = if which == "$$" {
                (
                    format!("`$$` in {location} does not refer to the context object in a JSONata state"),
                    "use `$states.context` for the context object (`$states.context.Execution.Id` …) and `$states.input` for the input",
                )
            } else {
                (
                    format!("`$` at the top level of {location} does not refer to the state input in a JSONata state"),
                    "use `$states.input` (for example `$states.input.orderId` instead of `$.orderId`)",
                )
            };
            out.report(&JSONATA_STATES_MISUSE, range(span), message)
                .help(help);
        }
        expr.walk(|n| {
            if let ExprKind::Bind { var, .. } = &n.kind {
                if var.name == "states" {
                    out.report(
                        &JSONATA_STATES_MISUSE,
                        range(var.span),
                        format!("{location} rebinds the reserved variable `$states`"),
                    )
                    .help("choose another name for the variable");
                }
            }
        });
    }
}

fn help_for(field: &str, site: &Site<'_>) -> String {
    let ty = site.state.state_type;
    match (field, site.slot) {
        ("result", Slot::Arguments) => {
            "`Arguments` are evaluated before the task runs; read the result in `Output` or `Assign`".to_string()
        }
        ("result", Slot::Catch) => {
            "in a catcher the failure is `$states.errorOutput`".to_string()
        }
        ("result", _) if !matches!(ty, Some(StateType::Task | StateType::Parallel | StateType::Map)) => {
            format!(
                "a {} state has no result; use `$states.input`",
                ty.map_or("", StateType::as_str)
            )
        }
        _ => format!("`$states.{field}` exists only in {}", where_available(field)),
    }
}
