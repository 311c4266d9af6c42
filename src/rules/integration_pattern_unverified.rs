use crate::rules::util::arn::{self, Pattern, Resource, Support};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports integration patterns that the documentation does not confirm
    /// for the action used, although the service has them:
    ///
    /// * `.sync:2` anywhere but `states:startExecution` (its only documented use);
    /// * `.sync` on an action that is not documented as a job (e.g.
    ///   `sagemaker:createModel.sync`, `athena:getQueryResults.sync`);
    /// * suffixes on `http:invoke` (only request-response is documented) and
    ///   `.waitForTaskToken` on EKS (the integration table and the EKS page
    ///   disagree).
    ///
    /// ## Why is this bad?
    /// Run a Job waits for a job the action starts; actions that start no job
    /// have nothing to wait for, and Step Functions is likely to reject the
    /// ARN. Where the sources disagree this is a warning, not an error.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Run",
    ///   "States": {
    ///     "Run": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::glue:startJobRun.sync:2",
    ///       "Parameters": { "JobName": "etl" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Run",
    ///   "States": {
    ///     "Run": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::glue:startJobRun.sync",
    ///       "Parameters": { "JobName": "etl" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static INTEGRATION_PATTERN_UNVERIFIED = {
        code: "ASL265",
        name: "integration-pattern-unverified",
        category: States,
        severity: Warning,
        summary: "a Task's integration pattern is not documented for its action",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let Ok(Resource::Optimized {
            service, action, ..
        }) = task.parsed
        else {
            continue;
        };
        let Some(suffix) = action.suffix else {
            continue;
        };
        let Some(svc) = arn::service(service.text).filter(|s| !s.map_only) else {
            continue;
        };
        let support = if action.pattern.is_sync() {
            svc.sync
        } else {
            svc.callback
        };
        if support == Support::No {
            continue; // integration-pattern-unsupported
        }
        let known = svc.action(action.name.text);
        if action.name.placeholder || (known.is_none() && support == Support::Yes) {
            continue; // unknown actions: unknown-integration
        }
        let op = format!("{}:{}", service.text, action.name.text);
        let name = task.state.name;
        let (message, help) = if support == Support::Unverified {
            (
                format!(
                    "`.{}` on `{op}` is not documented (Task state `{name}`)",
                    suffix.text
                ),
                format!(
                    "the documentation does not confirm that {} supports this pattern; the request-response call is",
                    svc.title
                ),
            )
        } else if action.pattern == Pattern::Sync2 && op != "states:startExecution" {
            (
                format!("`.sync:2` on `{op}` is not documented (Task state `{name}`)"),
                "`.sync:2` is documented only for `states:startExecution`; use `.sync`".to_string(),
            )
        } else if action.pattern.is_sync() && known.is_some_and(|a| !a.sync) {
            let jobs: Vec<String> = svc
                .actions
                .iter()
                .filter(|a| a.sync)
                .map(|a| format!("`{}`", a.name))
                .collect();
            (
                format!(
                    "`{op}` starts no job to wait for, so `.{}` is not documented for it (Task state `{name}`)",
                    suffix.text
                ),
                format!(
                    "remove the suffix; {} documents `.sync` for {}",
                    svc.title,
                    jobs.join(", ")
                ),
            )
        } else {
            continue;
        };
        out.report(
            &INTEGRATION_PATTERN_UNVERIFIED,
            task.span(text, suffix.start.saturating_sub(1), suffix.end()),
            message,
        )
        .help(help);
    }
}
