use crate::rules::util::arn::Resource;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose `Resource` is a URI or ARN that Step
    /// Functions does not run: another URI scheme (`foo:bar`), or the ARN of
    /// a service other than Lambda and Step Functions (an SNS topic, an SQS
    /// queue, an SWF task…).
    ///
    /// ## Why is this bad?
    /// The States Language lets `Resource` be any URI, and some validators
    /// accept any ARN, but Step Functions only runs Lambda functions,
    /// activities and `arn:aws:states:::` integrations. Putting the target's
    /// own ARN in `Resource` (an SNS topic, say) is a common slip: the
    /// target belongs in the integration's parameters.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:sns:us-east-1:123456789012:alerts",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sns:publish",
    ///       "Parameters": {
    ///         "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts",
    ///         "Message.$": "$"
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static UNSUPPORTED_RESOURCE = {
        code: "ASL262",
        name: "unsupported-resource",
        category: States,
        severity: Warning,
        summary: "a Task's `Resource` is a URI or ARN Step Functions does not run",
        check: Some(check),
    }
}

/// The integration that calls a service whose ARN was put in `Resource`.
fn integration_for(service: &str) -> Option<&'static str> {
    Some(match service {
        "sns" => "arn:aws:states:::sns:publish",
        "sqs" => "arn:aws:states:::sqs:sendMessage",
        "events" => "arn:aws:states:::events:putEvents",
        "ecs" => "arn:aws:states:::ecs:runTask",
        "glue" => "arn:aws:states:::glue:startJobRun",
        "batch" => "arn:aws:states:::batch:submitJob",
        "dynamodb" => "arn:aws:states:::dynamodb:getItem",
        "execute-api" => "arn:aws:states:::apigateway:invoke",
        "codebuild" => "arn:aws:states:::codebuild:startBuild",
        "bedrock" => "arn:aws:states:::bedrock:invokeModel",
        _ => return None,
    })
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let name = task.state.name;
        match task.parsed {
            Ok(Resource::OtherUri { scheme }) => {
                out.report(
                    &UNSUPPORTED_RESOURCE,
                    task.node.range,
                    format!(
                        "`Resource` of Task state `{name}` is a `{}:` URI, not an ARN Step Functions can run",
                        scheme.text
                    ),
                )
                .help("Step Functions runs Lambda functions, activities and integrations such as `arn:aws:states:::lambda:invoke`");
            }
            Ok(Resource::OtherArn { service, .. }) => {
                let help = match integration_for(service.text) {
                    Some(i) => format!(
                        "call the service through its integration, `{i}`, and pass this ARN in the parameters"
                    ),
                    None => format!(
                        "call `{}` through the AWS SDK integration, `arn:aws:states:::aws-sdk:<service>:<apiAction>`",
                        service.text
                    ),
                };
                out.report(
                    &UNSUPPORTED_RESOURCE,
                    task.span(text, service.start, service.end()),
                    format!(
                        "`Resource` of Task state `{name}` is an ARN of `{}`, which a Task cannot run directly",
                        service.text
                    ),
                )
                .help(help);
            }
            _ => {}
        }
    }
}
