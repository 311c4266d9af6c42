use crate::rules::util::errors::{handlers, HandlerKind};
use crate::rules::util::integer;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a retrier with `"IntervalSeconds": 0`.
    ///
    /// ## Why is this bad?
    /// The specification requires a positive interval. AWS's own language
    /// service accepts 0, so the definition may deploy, but retrying at once
    /// usually hits the same transient failure again; with a `BackoffRate`
    /// every later interval is 0 as well.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 0 } ],
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
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 1 } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static RETRY_INTERVAL_ZERO = {
        code: "ASL207",
        name: "retry-interval-zero",
        category: States,
        severity: Warning,
        summary: "a retrier waits 0 seconds between attempts",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for h in handlers(state, HandlerKind::Retry) {
            if let Some(n) = h.node.get("IntervalSeconds") {
                if integer(n) == Some(0.0) {
                    out.report(
                        &RETRY_INTERVAL_ZERO,
                        n.range,
                        format!(
                            "`IntervalSeconds` is 0 in `{}` of state `{}`",
                            h.label(),
                            state.name
                        ),
                    )
                    .help("the specification requires a positive interval; use at least 1 second");
                }
            }
        }
    }
}
