use crate::model::StateType;
use crate::rules::util::{exclusive_pairs, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state with both `TimeoutSeconds` and
    /// `TimeoutSecondsPath`, or both `HeartbeatSeconds` and
    /// `HeartbeatSecondsPath`.
    ///
    /// ## Why is this bad?
    /// Each timeout is either a literal or read from the input, not both; the
    /// specification forbids the pair and Step Functions rejects it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
    ///       "TimeoutSeconds": 300,
    ///       "TimeoutSecondsPath": "$.timeout",
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
    ///       "TimeoutSecondsPath": "$.timeout",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_TIMEOUT_EXCLUSIVE = {
        code: "ASL225",
        name: "task-timeout-exclusive",
        category: States,
        severity: Error,
        summary: "a Task sets a timeout both as a literal and as a path",
        check: Some(check),
    }
}

const PAIRS: &[(&str, &str)] = &[
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Task) {
        for (first, second) in exclusive_pairs(state.node, PAIRS) {
            out.report(
                &TASK_TIMEOUT_EXCLUSIVE,
                second.key_range,
                format!(
                    "state `{}` has both `{}` and `{}`",
                    state.name, first.key, second.key
                ),
            )
            .related(first.key_range, format!("`{}` is set here", first.key))
            .help("keep the literal or the path, not both");
        }
    }
}
