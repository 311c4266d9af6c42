use crate::model::StateType;
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose literal `TimeoutSeconds` or
    /// `HeartbeatSeconds` is 0 or less, or above 99999999.
    ///
    /// ## Why is this bad?
    /// Both must be positive integers no larger than 99999999; Step
    /// Functions rejects other values.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
    ///       "TimeoutSeconds": 0,
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
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_TIMEOUT_RANGE = {
        code: "ASL227",
        name: "task-timeout-range",
        category: States,
        severity: Error,
        summary: "a Task timeout or heartbeat is out of range",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Task) {
        for field in ["TimeoutSeconds", "HeartbeatSeconds"] {
            let Some(node) = state.get(field) else {
                continue;
            };
            let Some(v) = integer(node) else { continue };
            let problem = if v <= 0.0 {
                "is not positive"
            } else if v > 99_999_999.0 {
                "is above the maximum 99999999"
            } else {
                continue;
            };
            out.report(
                &TASK_TIMEOUT_RANGE,
                node.range,
                format!(
                    "`{field}` {} of Task state `{}` {problem}",
                    show_number(v),
                    state.name
                ),
            )
            .help(format!(
                "use a number of seconds between 1 and 99999999, or remove `{field}`"
            ));
        }
    }
}
