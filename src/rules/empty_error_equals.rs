use crate::rules::util::errors::{handlers, HandlerKind};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a retrier or catcher whose `ErrorEquals` is an empty array.
    ///
    /// ## Why is this bad?
    /// The specification requires `ErrorEquals` to be a non-empty array of
    /// error names: an empty list matches nothing, and Step Functions rejects
    /// the definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": [] } ],
    ///       "End": true
    ///     }
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
    ///       "Retry": [ { "ErrorEquals": ["States.Timeout"] } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static EMPTY_ERROR_EQUALS = {
        code: "ASL200",
        name: "empty-error-equals",
        category: States,
        severity: Error,
        summary: "a retrier or catcher has an empty `ErrorEquals`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for kind in [HandlerKind::Retry, HandlerKind::Catch] {
            for h in handlers(state, kind) {
                let Some(m) = h.error_equals else { continue };
                if m.value.as_array().is_some_and(<[_]>::is_empty) {
                    out.report(
                        &EMPTY_ERROR_EQUALS,
                        m.value.range,
                        format!(
                            "`{}.ErrorEquals` of state `{}` is empty",
                            h.label(),
                            state.name
                        ),
                    )
                    .help(format!(
                        "list the error names this {} handles, or `States.ALL` for every error",
                        kind.noun()
                    ));
                }
            }
        }
    }
}
