use crate::rules::util::arn::Resource;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a callback Task (`.waitForTaskToken`, or an activity) that has
    /// neither `TimeoutSeconds`/`TimeoutSecondsPath` nor
    /// `HeartbeatSeconds`/`HeartbeatSecondsPath`.
    ///
    /// ## Why is this bad?
    /// A callback task waits for someone to return its token. If the worker
    /// crashes or the message is lost, nothing ever does, and without a
    /// timeout the task waits as long as the execution may run: up to a
    /// year for a Standard workflow. AWS's best practices ask for a timeout
    /// (and a heartbeat for long work) on every such task.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    ///       "Parameters": { "FunctionName": "ask", "Payload": { "token.$": "$$.Task.Token" } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    ///       "Parameters": { "FunctionName": "ask", "Payload": { "token.$": "$$.Task.Token" } },
    ///       "TimeoutSeconds": 86400,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_CALLBACK_NO_TIMEOUT = {
        code: "ASL271",
        name: "task-callback-no-timeout",
        category: States,
        severity: Warning,
        summary: "a callback or activity Task has no timeout or heartbeat",
        check: Some(check),
    }
}

const TIMEOUTS: [&str; 4] = [
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for task in cx.task_resources() {
        let Ok(parsed) = &task.parsed else { continue };
        if !parsed.is_callback() {
            continue;
        }
        if TIMEOUTS.iter().any(|f| task.state.get(f).is_some()) {
            continue;
        }
        let what = if matches!(parsed, Resource::Activity { .. }) {
            "activity"
        } else {
            "callback"
        };
        out.report(
            &TASK_CALLBACK_NO_TIMEOUT,
            task.state.name_range,
            format!(
                "{what} Task state `{}` has no `TimeoutSeconds` or `HeartbeatSeconds`",
                task.state.name
            ),
        )
        .help("add `TimeoutSeconds` (and `HeartbeatSeconds` for long work) so a lost token fails the task instead of stalling the execution for up to a year");
    }
}
