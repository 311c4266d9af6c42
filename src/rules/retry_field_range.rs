use crate::rules::util::errors::{handlers, HandlerKind};
use crate::rules::util::{integer, number, show_number};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the numeric fields of every retrier against the ranges Step
    /// Functions accepts:
    ///
    /// - `IntervalSeconds`: at most 99999999, not negative (`0` is reported by
    ///   `retry-interval-zero` instead);
    /// - `MaxAttempts`: 0 to 99999999;
    /// - `BackoffRate`: at least 1.0 (integers such as `2` are fine);
    /// - `MaxDelaySeconds`: 1 to 31622400.
    ///
    /// Values of the wrong JSON type are left to the schema check.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects a definition whose retrier values are out of
    /// range. A `BackoffRate` below 1 would shrink the wait between attempts,
    /// which the service does not allow.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "BackoffRate": 0.5, "MaxAttempts": -1 } ],
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
    ///       "Retry": [ { "ErrorEquals": ["States.ALL"], "BackoffRate": 1.5, "MaxAttempts": 3 } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static RETRY_FIELD_RANGE = {
        code: "ASL206",
        name: "retry-field-range",
        category: States,
        severity: Error,
        summary: "a retrier field is out of the range Step Functions accepts",
        check: Some(check),
    }
}

const MAX_SECONDS: f64 = 99_999_999.0;
const MAX_DELAY: f64 = 31_622_400.0;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        for h in handlers(state, HandlerKind::Retry) {
            let label = h.label();
            let mut report = |node: &crate::syntax::Node, what: String, help: &str| {
                out.report(
                    &RETRY_FIELD_RANGE,
                    node.range,
                    format!("{what} in `{label}` of state `{}`", state.name),
                )
                .help(help.to_string());
            };
            if let Some(n) = h.node.get("IntervalSeconds") {
                if let Some(v) = integer(n) {
                    if v < 0.0 {
                        report(
                            n,
                            format!("`IntervalSeconds` is negative ({})", show_number(v)),
                            "use a positive number of seconds to wait before the first retry",
                        );
                    } else if v > MAX_SECONDS {
                        report(
                            n,
                            format!(
                                "`IntervalSeconds` {} is above the maximum 99999999",
                                show_number(v)
                            ),
                            "use at most 99999999 seconds",
                        );
                    }
                }
            }
            if let Some(n) = h.node.get("MaxAttempts") {
                if let Some(v) = integer(n) {
                    if v < 0.0 {
                        report(
                            n,
                            format!("`MaxAttempts` is negative ({})", show_number(v)),
                            "use 0 to never retry, or a positive number of attempts",
                        );
                    } else if v > MAX_SECONDS {
                        report(
                            n,
                            format!(
                                "`MaxAttempts` {} is above the maximum 99999999",
                                show_number(v)
                            ),
                            "use at most 99999999 attempts",
                        );
                    }
                }
            }
            if let Some(n) = h.node.get("BackoffRate") {
                if let Some(v) = number(n) {
                    if v < 1.0 {
                        report(
                            n,
                            format!("`BackoffRate` {} is below 1.0", show_number(v)),
                            "use 1.0 for a constant interval, or a larger multiplier to back off",
                        );
                    }
                }
            }
            if let Some(n) = h.node.get("MaxDelaySeconds") {
                if let Some(v) = integer(n) {
                    if v < 1.0 {
                        report(
                            n,
                            format!(
                                "`MaxDelaySeconds` {} is below the minimum 1",
                                show_number(v)
                            ),
                            "use a cap between 1 and 31622400 seconds, or remove it",
                        );
                    } else if v > MAX_DELAY {
                        report(
                            n,
                            format!(
                                "`MaxDelaySeconds` {} is above the maximum 31622400",
                                show_number(v)
                            ),
                            "use a cap between 1 and 31622400 seconds, or remove it",
                        );
                    }
                }
            }
        }
    }
}
