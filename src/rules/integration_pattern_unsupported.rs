use crate::rules::util::arn::{self, Resource, Support};
use crate::rules::util::replace_string_fix;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task `Resource` whose integration pattern the service does
    /// not offer:
    ///
    /// * `.sync` / `.sync:2` on a service without the Run a Job pattern
    ///   (Lambda, DynamoDB, SNS, SQS, EventBridge, API Gateway) or on an AWS
    ///   SDK integration (`aws-sdk:…`, never `.sync`);
    /// * `.waitForTaskToken` on a service without the callback pattern
    ///   (DynamoDB, Athena, Batch, CodeBuild, EMR, Glue, DataBrew,
    ///   MediaConvert, SageMaker);
    /// * any suffix on a Lambda function ARN (only the
    ///   `arn:aws:states:::lambda:invoke` integration takes one).
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition: the integration table of the
    /// developer guide lists, per service, which of request-response, Run a
    /// Job (`.sync`) and Wait for Callback (`.waitForTaskToken`) exist.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:putItem.sync",
    ///       "Parameters": { "TableName": "orders", "Item": { "id": { "S.$": "$.id" } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:putItem",
    ///       "Parameters": { "TableName": "orders", "Item": { "id": { "S.$": "$.id" } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static INTEGRATION_PATTERN_UNSUPPORTED = {
        code: "ASL264",
        name: "integration-pattern-unsupported",
        category: States,
        severity: Error,
        summary: "a Task uses `.sync` or `.waitForTaskToken` where the service does not support it",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let name = task.state.name;
        let value = task.value;
        match task.parsed {
            Ok(Resource::Lambda {
                suffix: Some(suffix),
                ..
            }) => {
                out.report(
                    &INTEGRATION_PATTERN_UNSUPPORTED,
                    task.span(text, suffix.start.saturating_sub(1), suffix.end()),
                    format!(
                        "a Lambda function ARN cannot take `.{}` (Task state `{name}`)",
                        suffix.text
                    ),
                )
                .help(format!(
                    "use `arn:aws:states:::lambda:invoke.{}` and pass the function ARN as `FunctionName`",
                    suffix.text
                ));
            }
            Ok(Resource::Optimized {
                service, action, ..
            })
            | Ok(Resource::Sdk {
                service, action, ..
            }) => {
                let Some(suffix) = action.suffix else {
                    continue;
                };
                let sdk = matches!(task.parsed, Ok(Resource::Sdk { .. }));
                let (supported, who) = if sdk {
                    let support = if action.pattern.is_sync() {
                        arn::SDK_SYNC
                    } else {
                        Support::Yes
                    };
                    (support, "AWS SDK integrations do".to_string())
                } else {
                    let Some(svc) = arn::service(service.text).filter(|s| !s.map_only) else {
                        continue;
                    };
                    let support = if action.pattern.is_sync() {
                        svc.sync
                    } else {
                        svc.callback
                    };
                    (support, format!("`{}` ({}) does", service.text, svc.title))
                };
                if supported != Support::No {
                    continue;
                }
                let dot = suffix.start.saturating_sub(1);
                let mut r = out
                    .report(
                        &INTEGRATION_PATTERN_UNSUPPORTED,
                        task.span(text, dot, suffix.end()),
                        format!(
                            "`.{}` in Task state `{name}` is not supported: {who} not offer this pattern",
                            suffix.text
                        ),
                    )
                    .help(if action.pattern.is_sync() {
                        "remove the suffix: the call returns when the API answers; poll for completion in a loop if you need to wait"
                    } else {
                        "remove `.waitForTaskToken`, or send the token through a service that supports callbacks (Lambda, SQS, SNS, EventBridge, ECS …)"
                    });
                if let Some(fix) = value.get(..dot).and_then(|kept| {
                    replace_string_fix(text, task.node, value, kept, "remove the suffix")
                }) {
                    r = r.fix(fix);
                }
                drop(r);
            }
            _ => {}
        }
    }
}
