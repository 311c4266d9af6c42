use crate::rules::util::arn::{express_of, express_scopes, Resource};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports, in an Express workflow, Tasks that use the Run a Job
    /// (`.sync`, `.sync:2`) or callback (`.waitForTaskToken`) pattern, and
    /// activity Tasks. An Express workflow is the machine itself when linted
    /// with `--type express`, and the item processor of a Distributed Map
    /// whose `ExecutionType` is `EXPRESS` (its child executions are Express
    /// workflows, whatever the parent's type).
    ///
    /// ## Why is this bad?
    /// Express workflows support only request-response integrations. Step
    /// Functions rejects the definition ("Express state machine does not
    /// support Activity ARN", and the same for `.sync` and
    /// `.waitForTaskToken` resources).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Run",
    ///         "States": {
    ///           "Run": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::states:startExecution.sync:2",
    ///             "Parameters": { "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child" },
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Run",
    ///         "States": {
    ///           "Run": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::states:startExecution.sync:2",
    ///             "Parameters": { "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child" },
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static EXPRESS_UNSUPPORTED_PATTERN = {
        code: "ASL273",
        name: "express-unsupported-pattern",
        category: States,
        severity: Error,
        summary: "an Express workflow uses `.sync`, `.waitForTaskToken` or an activity",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let scopes = express_scopes(cx.machine, cx.settings.machine_type);
    if scopes.iter().all(Option::is_none) {
        return;
    }
    let text = cx.text();
    for task in cx.task_resources() {
        let Some(why) = express_of(&scopes, task.state.scope) else {
            continue;
        };
        let Ok(parsed) = &task.parsed else { continue };
        let where_ = why.describe(cx.machine);
        let name = task.state.name;
        let (range, message) = match parsed {
            Resource::Activity { .. } => (
                task.node.range,
                format!("activity Task state `{name}` cannot run {where_}"),
            ),
            Resource::Optimized { action, .. } | Resource::Sdk { action, .. } => {
                let Some(suffix) = action.suffix else {
                    continue;
                };
                (
                    task.span(text, suffix.start.saturating_sub(1), suffix.end()),
                    format!(
                        "`.{}` in Task state `{name}` is not supported {where_}",
                        suffix.text
                    ),
                )
            }
            _ => continue,
        };
        let help = match why {
            crate::rules::util::arn::Express::Machine => {
                "Express workflows support only request-response calls; drop the suffix and poll, or make the state machine Standard"
            }
            crate::rules::util::arn::Express::Child(_) => {
                "Express child workflows support only request-response calls; set the Map's `ExecutionType` to `STANDARD`, or drop the suffix"
            }
        };
        out.report(&EXPRESS_UNSUPPORTED_PATTERN, range, message)
            .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::EXPRESS_UNSUPPORTED_PATTERN;
    use crate::settings::{MachineType, Settings};
    use crate::source::SourceFile;

    fn messages(text: &str, machine_type: MachineType) -> Vec<String> {
        let settings = Settings {
            machine_type,
            ..Settings::only(&EXPRESS_UNSUPPORTED_PATTERN)
        };
        crate::lint_source(&SourceFile::new("m.asl.json", text), &settings)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    const TEXT: &str = r#"{ "StartAt": "A", "States": {
        "A": { "Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": { "TaskDefinition": "t" }, "Next": "B" },
        "B": { "Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:x", "TimeoutSeconds": 5, "Next": "C" },
        "C": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": { "FunctionName": "f" }, "End": true } } }"#;

    #[test]
    fn express_machines_reject_jobs_callbacks_and_activities() {
        let m = messages(TEXT, MachineType::Express);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("`.sync`") && m[0].contains("in an Express state machine"));
        assert!(m[1].starts_with("activity Task state `B`"));
    }

    #[test]
    fn standard_machines_allow_them() {
        assert!(messages(TEXT, MachineType::Standard).is_empty());
    }
}
