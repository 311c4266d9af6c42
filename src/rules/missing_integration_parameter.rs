use crate::rules::util::arn::{self, Resource};
use crate::rules::{closest, LintContext, Sink};
use crate::syntax::{Member, Node};

declare_rule! {
    /// ## What it does
    /// Reports a call to one of the best-known optimized integrations whose
    /// `Parameters` (JSONPath) or `Arguments` (JSONata) object lacks a
    /// parameter the API requires:
    ///
    /// | Integration | Required |
    /// |---|---|
    /// | `lambda:invoke` | `FunctionName` |
    /// | `sns:publish` | `Message`, and one of `TopicArn`, `TargetArn`, `PhoneNumber` |
    /// | `sqs:sendMessage` | `QueueUrl`, `MessageBody` |
    /// | `ecs:runTask` | `TaskDefinition` |
    /// | `glue:startJobRun` | `JobName` |
    /// | `states:startExecution` | `StateMachineArn` |
    /// | `dynamodb:getItem` / `deleteItem` / `updateItem` | `TableName`, `Key` |
    /// | `dynamodb:putItem` | `TableName`, `Item` |
    /// | `events:putEvents` | `Entries` |
    /// | `http:invoke` | `ApiEndpoint`, `Method`, and `Authentication.ConnectionArn` or `InvocationConfig.ConnectionArn` |
    /// | `apigateway:invoke` | `ApiEndpoint`, `Method` |
    /// | `bedrock:invokeModel` | `ModelId` |
    /// | `batch:submitJob` | `JobName`, `JobDefinition`, `JobQueue` |
    /// | `athena:startQueryExecution` | `QueryString` |
    /// | `codebuild:startBuild` | `ProjectName` |
    /// | `databrew:startJobRun` | `Name` |
    /// | `eks:runJob` / `eks:call` | `ClusterName`, `CertificateAuthority`, `Endpoint`, and `Job` / `Method` + `Path` |
    ///
    /// A key counts as present as `Key` or `Key.$`. A task without
    /// `Parameters`/`Arguments` passes its input as the request, and an
    /// `Arguments` written as one JSONata expression cannot be inspected:
    /// both are skipped.
    ///
    /// ## Why is this bad?
    /// The service rejects the request, so the task fails every time it
    /// runs (with a validation error of the target service).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "Payload.$": "$" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "work", "Payload.$": "$" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MISSING_INTEGRATION_PARAMETER = {
        code: "ASL269",
        name: "missing-integration-parameter",
        category: States,
        severity: Error,
        summary: "a call to an optimized integration lacks a required parameter",
        check: Some(check),
    }
}

/// True when `path` (`Key` or `Outer.Inner`) is given in the payload object.
fn present(obj: &Node, path: &str) -> bool {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    if obj.member(&format!("{head}.$")).is_some() {
        return true;
    }
    match (obj.get(head), rest) {
        (None, _) => false,
        (Some(_), None) => true,
        // An object is looked into; anything else (an expression) may hold it.
        (Some(v), Some(r)) => v.as_object().is_none() || present(v, r),
    }
}

/// The key of `obj` that looks like a misspelling of `wanted`.
fn near_miss<'n>(obj: &'n Node, wanted: &str) -> Option<&'n Member> {
    let members = obj.as_object()?;
    let names = members.iter().map(|m| m.key.trim_end_matches(".$"));
    let hit = closest(wanted, names)?;
    members.iter().find(|m| m.key.trim_end_matches(".$") == hit)
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for task in cx.task_resources() {
        let Ok(Resource::Optimized {
            service, action, ..
        }) = task.parsed
        else {
            continue;
        };
        let Some(api) = arn::service(service.text)
            .filter(|s| !s.map_only)
            .and_then(|s| s.action(action.name.text))
        else {
            continue;
        };
        if api.required.is_empty() {
            continue;
        }
        let Some(payload) = task
            .state
            .node
            .member("Parameters")
            .or_else(|| task.state.node.member("Arguments"))
        else {
            continue;
        };
        if payload.value.as_object().is_none() {
            continue;
        }
        let op = format!("{}:{}", service.text, action.name.text);
        for group in api.required {
            if group.iter().any(|p| present(&payload.value, p)) {
                continue;
            }
            let what = if group.len() == 1 {
                format!("`{}`", group[0])
            } else {
                format!("one of {}", list(group))
            };
            // A near miss at the top level: point at it.
            let near = group
                .iter()
                .filter(|p| !p.contains('.'))
                .find_map(|p| near_miss(&payload.value, p).map(|m| (m, *p)));
            let message = format!(
                "`{}` of Task state `{}` lacks {what}, which `{op}` requires",
                payload.key, task.state.name
            );
            match near {
                Some((m, good)) => {
                    out.report(&MISSING_INTEGRATION_PARAMETER, m.key_range, message)
                        .help(format!(
                            "did you mean `{good}`? parameter names are case-sensitive"
                        ));
                }
                None => {
                    let how = match group[0].split_once('.') {
                        Some((outer, inner)) => {
                            format!("add `\"{outer}\": {{ \"{inner}\": … }}`")
                        }
                        None if payload.key == "Parameters" => {
                            format!("add {what} (or `{}.$` to take it from the input)", group[0])
                        }
                        None => format!("add {what}"),
                    };
                    out.report(&MISSING_INTEGRATION_PARAMETER, payload.key_range, message)
                        .help(how);
                }
            }
        }
    }
}
