use crate::rules::util::errors::{report_shadowed, HandlerKind};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a retrier that can never be used because earlier retriers of the
    /// same state already match every error it lists: the same names appear
    /// earlier, or an earlier retrier matches `States.ALL`.
    ///
    /// ## Why is this bad?
    /// Step Functions tries retriers in order and uses the first whose
    /// `ErrorEquals` matches. A retrier whose errors are all taken by earlier
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
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.Timeout", "Lambda.ServiceException"], "MaxAttempts": 2 },
    ///         { "ErrorEquals": ["States.Timeout"], "MaxAttempts": 5 }
    ///       ],
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
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.Timeout"], "MaxAttempts": 5 },
    ///         { "ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2 }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static SHADOWED_RETRIER = {
        code: "ASL204",
        name: "shadowed-retrier",
        category: States,
        severity: Warning,
        summary: "a retrier can never match because earlier retriers take all its errors",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    report_shadowed(cx, out, &SHADOWED_RETRIER, HandlerKind::Retry);
}
