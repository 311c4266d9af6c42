use crate::rules::util::arn::{token_use, Pattern};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a `.waitForTaskToken` Task that does not pass the task token
    /// to the service: no `$$.Task.Token` in a `.$` value of `Parameters`
    /// (JSONPath) and no `$states.context.Task.Token` in `Arguments`
    /// (JSONata). Passing the whole `$$.Task` or context object counts.
    ///
    /// ## Why is this bad?
    /// The task waits until someone calls `SendTaskSuccess` or
    /// `SendTaskFailure` with its token. The token exists only in the context
    /// object of this task, so if the call does not carry it, nobody can
    /// answer and the task waits until it times out (by default, for the
    /// execution's whole lifetime).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "Parameters": {
    ///         "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
    ///         "MessageBody.$": "$"
    ///       },
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
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "Parameters": {
    ///         "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
    ///         "MessageBody": { "input.$": "$", "token.$": "$$.Task.Token" }
    ///       },
    ///       "TimeoutSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static TASK_CALLBACK_NO_TOKEN = {
        code: "ASL270",
        name: "task-callback-no-token",
        category: States,
        severity: Warning,
        summary: "a `.waitForTaskToken` Task does not pass the task token",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let Ok(parsed) = &task.parsed else { continue };
        if parsed.pattern() != Some(Pattern::Callback) {
            continue;
        }
        let passes = ["Parameters", "Arguments"]
            .iter()
            .filter_map(|f| task.state.get(f))
            .any(|n| token_use(n).0.passes);
        if passes {
            continue;
        }
        let range = match parsed {
            crate::rules::util::arn::Resource::Optimized { action, .. }
            | crate::rules::util::arn::Resource::Sdk { action, .. } => {
                action.suffix.map_or(task.node.range, |s| {
                    task.span(text, s.start.saturating_sub(1), s.end())
                })
            }
            _ => task.node.range,
        };
        let how = if task.state.query_language == crate::model::QueryLanguage::Jsonata {
            "pass `{% $states.context.Task.Token %}` in `Arguments`, e.g. in the message body, so the receiver can call `SendTaskSuccess`"
        } else {
            "pass `\"TaskToken.$\": \"$$.Task.Token\"` in `Parameters`, e.g. in the message body, so the receiver can call `SendTaskSuccess`"
        };
        out.report(
            &TASK_CALLBACK_NO_TOKEN,
            range,
            format!(
                "callback Task state `{}` does not pass its task token",
                task.state.name
            ),
        )
        .help(how);
    }
}
