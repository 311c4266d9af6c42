use crate::rules::util::arn::token_use;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports `$$.Task.Token` (JSONPath) or `$states.context.Task.Token`
    /// (JSONata) in the `Parameters`/`Arguments` of a Task that is not a
    /// callback task (its `Resource` does not end in `.waitForTaskToken`).
    ///
    /// ## Why is this bad?
    /// Step Functions creates a task token only for callback tasks (and
    /// activities). Elsewhere the context object has no `Task.Token`: the
    /// path fails at run time (`States.Runtime`) or yields nothing, and no
    /// one can report back with it. Usually `.waitForTaskToken` was
    /// forgotten on the `Resource`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Ask",
    ///   "States": {
    ///     "Ask": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "ask", "Payload": { "token.$": "$$.Task.Token" } },
    ///       "TimeoutSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Ask",
    ///   "States": {
    ///     "Ask": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    ///       "Parameters": { "FunctionName": "ask", "Payload": { "token.$": "$$.Task.Token" } },
    ///       "TimeoutSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_TOKEN_OUTSIDE_CALLBACK = {
        code: "ASL272",
        name: "task-token-outside-callback",
        category: States,
        severity: Warning,
        summary: "a Task reads the task token but is not a callback task",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for task in cx.task_resources() {
        let Ok(parsed) = &task.parsed else { continue };
        // Only when the pattern is known and is not a callback.
        if parsed.pattern().is_none() || parsed.is_callback() {
            continue;
        }
        for field in ["Parameters", "Arguments"] {
            let Some(node) = task.state.get(field) else {
                continue;
            };
            for n in token_use(node).1 {
                out.report(
                    &TASK_TOKEN_OUTSIDE_CALLBACK,
                    n.range,
                    format!(
                        "the task token is read in Task state `{}`, whose `Resource` is not a callback (`.waitForTaskToken`)",
                        task.state.name
                    ),
                )
                .help("append `.waitForTaskToken` to the `Resource` if the task should wait for the token, or drop the token: only callback tasks get one")
                .related(task.node.range, "the `Resource`");
            }
        }
    }
}
