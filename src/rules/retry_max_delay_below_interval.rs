use crate::rules::util::errors::{handlers, HandlerKind};
use crate::rules::util::{integer, show_number};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a retrier whose `MaxDelaySeconds` is smaller than its
    /// `IntervalSeconds` (1 when absent).
    ///
    /// ## Why is this bad?
    /// `MaxDelaySeconds` caps every wait, the first one included, so the
    /// interval and any `BackoffRate` have no effect: each retry waits
    /// `MaxDelaySeconds`. One of the two numbers is almost certainly wrong.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxDelaySeconds": 10 } ],
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
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxDelaySeconds": 300 } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static RETRY_MAX_DELAY_BELOW_INTERVAL = {
        code: "ASL208",
        name: "retry-max-delay-below-interval",
        category: States,
        severity: Warning,
        summary: "a retrier's `MaxDelaySeconds` is below its `IntervalSeconds`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for h in handlers(state, HandlerKind::Retry) {
            let Some(delay_node) = h.node.get("MaxDelaySeconds") else {
                continue;
            };
            let Some(delay) = integer(delay_node) else {
                continue;
            };
            // Below 1 is out of range: `retry-field-range` reports it.
            if delay < 1.0 {
                continue;
            }
            let interval_node = h.node.member("IntervalSeconds");
            let interval = match interval_node {
                Some(m) => match integer(&m.value) {
                    Some(v) => v,
                    None => continue,
                },
                None => 1.0,
            };
            if delay < interval {
                let mut r = out
                    .report(
                        &RETRY_MAX_DELAY_BELOW_INTERVAL,
                        delay_node.range,
                        format!(
                            "`MaxDelaySeconds` {} is below `IntervalSeconds` {} in `{}` of state `{}`",
                            show_number(delay),
                            show_number(interval),
                            h.label(),
                            state.name
                        ),
                    )
                    .help("every retry would wait `MaxDelaySeconds`; raise it or lower `IntervalSeconds`");
                if let Some(m) = interval_node {
                    r = r.related(m.value.range, "the interval is set here");
                }
                drop(r);
            }
        }
    }
}
