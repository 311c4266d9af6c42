use crate::rules::util::errors::{report_shadowed, HandlerKind};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a catcher that can never be used because earlier catchers of the
    /// same state already match every error it lists: the same names appear
    /// earlier, or an earlier catcher matches `States.ALL`.
    ///
    /// ## Why is this bad?
    /// Step Functions tries catchers in order and uses the first whose
    /// `ErrorEquals` matches. A catcher whose errors are all taken by earlier
    /// ones is dead configuration, usually the result of a reordering or a
    /// copy-paste mistake.
    ///
    /// Only certain coverage is reported: `States.TaskFailed` and other
    /// wildcards are not assumed to cover anything but themselves, and
    /// `States.ALL` is not assumed to cover `States.Runtime` or
    /// `States.DataLimitExceeded`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.Timeout", "Lambda.ServiceException"], "Next": "Failed" },
    ///         { "ErrorEquals": ["States.Timeout"], "Next": "TimedOut" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" },
    ///     "TimedOut": { "Type": "Fail" }
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
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.Timeout"], "Next": "TimedOut" },
    ///         { "ErrorEquals": ["Lambda.ServiceException"], "Next": "Failed" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" },
    ///     "TimedOut": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    pub static SHADOWED_CATCHER = {
        code: "ASL205",
        name: "shadowed-catcher",
        category: States,
        severity: Warning,
        summary: "a catcher can never match because earlier catchers take all its errors",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    report_shadowed(cx, out, &SHADOWED_CATCHER, HandlerKind::Catch);
}
