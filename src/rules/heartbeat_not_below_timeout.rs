use crate::model::StateType;
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose literal `HeartbeatSeconds` is not smaller
    /// than its literal `TimeoutSeconds`.
    ///
    /// ## Why is this bad?
    /// The specification requires the heartbeat interval to be smaller than
    /// the timeout: otherwise the task times out before a missed heartbeat
    /// could ever be noticed, and the heartbeat is useless. No rejection by
    /// AWS is recorded, hence a warning.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
    ///       "TimeoutSeconds": 60,
    ///       "HeartbeatSeconds": 60,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
    ///       "TimeoutSeconds": 300,
    ///       "HeartbeatSeconds": 60,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static HEARTBEAT_NOT_BELOW_TIMEOUT = {
        code: "ASL226",
        name: "heartbeat-not-below-timeout",
        category: States,
        severity: Warning,
        summary: "a Task's `HeartbeatSeconds` is not below its `TimeoutSeconds`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Task) {
        let (Some(hb), Some(to)) = (
            state.node.member("HeartbeatSeconds"),
            state.node.member("TimeoutSeconds"),
        ) else {
            continue;
        };
        let (Some(h), Some(t)) = (integer(&hb.value), integer(&to.value)) else {
            continue;
        };
        // Out-of-range values are `task-timeout-range`'s finding.
        if h <= 0.0 || t <= 0.0 {
            continue;
        }
        if h >= t {
            out.report(
                &HEARTBEAT_NOT_BELOW_TIMEOUT,
                hb.value.range,
                format!(
                    "`HeartbeatSeconds` {} of Task state `{}` is not below `TimeoutSeconds` {}",
                    show_number(h),
                    state.name,
                    show_number(t)
                ),
            )
            .related(to.value.range, "the timeout is set here")
            .help("make the heartbeat interval shorter than the timeout, or remove it");
        }
    }
}
