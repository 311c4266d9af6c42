use crate::rules::util::errors::{handlers, HandlerKind, STATES_ALL};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an `ErrorEquals` array that lists `States.ALL` together with
    /// other error names.
    ///
    /// ## Why is this bad?
    /// `States.ALL` matches every error, so it must appear alone in its
    /// `ErrorEquals` array; the specification forbids combining it with other
    /// names and Step Functions rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Catch": [ { "ErrorEquals": ["States.Timeout", "States.ALL"], "Next": "Failed" } ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    pub static STATES_ALL_NOT_ALONE = {
        code: "ASL201",
        name: "states-all-not-alone",
        category: States,
        severity: Error,
        summary: "`States.ALL` is listed together with other error names",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for kind in [HandlerKind::Retry, HandlerKind::Catch] {
            for h in handlers(state, kind) {
                let Some(items) = h.error_equals.and_then(|m| m.value.as_array()) else {
                    continue;
                };
                if items.len() < 2 {
                    continue;
                }
                if let Some(all) = items.iter().find(|n| n.as_str() == Some(STATES_ALL)) {
                    out.report(
                        &STATES_ALL_NOT_ALONE,
                        all.range,
                        format!(
                            "`States.ALL` in `{}` of state `{}` is listed with other error names",
                            h.label(),
                            state.name
                        ),
                    )
                    .help(format!(
                        "`States.ALL` already matches every error: remove the other names, or move them to a separate {} before this one",
                        kind.noun()
                    ));
                }
            }
        }
    }
}
