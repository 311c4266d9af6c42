use crate::rules::util::arn::{self, ErrorKind, Resource, ISOLATED_PARTITIONS, PARTITIONS};
use crate::rules::util::replace_string_fix;
use crate::rules::{closest, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose `Resource` is not one of the forms Step
    /// Functions runs:
    ///
    /// * a Lambda function, `arn:aws:lambda:<region>:<account>:function:<name>[:<version-or-alias>]`
    /// * an activity, `arn:aws:states:<region>:<account>:activity:<name>`
    /// * an optimized integration, `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`
    /// * an AWS SDK integration, `arn:aws:states:::aws-sdk:<service>:<apiAction>[.waitForTaskToken]`
    /// * an HTTP Task, `arn:aws:states:::http:invoke`
    ///
    /// It finds empty values, paths and names that are no ARN, unknown
    /// partitions, missing services or actions, unknown suffixes, state
    /// machine ARNs, unclosed `${` placeholders, and the Distributed Map's S3
    /// reader/writer resources used as a Task.
    ///
    /// Deploy-time placeholders (`${LambdaArn}`, `arn:${AWS::Partition}:…`)
    /// match anything, and a CloudFormation object (`Ref`, `Fn::GetAtt`,
    /// `Fn::Sub`) is not judged.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition (`INVALID_RESOURCE`: "The
    /// resource provided … is not recognized").
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke.sync:3",
    ///       "Parameters": { "FunctionName": "work" },
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
    ///       "Parameters": { "FunctionName": "work" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static INVALID_RESOURCE_ARN = {
        code: "ASL261",
        name: "invalid-resource-arn",
        category: States,
        severity: Error,
        summary: "a Task's `Resource` is not an ARN Step Functions recognizes",
        check: Some(check),
    }
}

const FORMS: &str = "use a Lambda function ARN, an activity ARN, or an integration such as `arn:aws:states:::lambda:invoke`";

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let name = task.state.name;
        let value = task.value;
        let e = match &task.parsed {
            Ok(Resource::Optimized {
                service, action, ..
            }) if arn::service(service.text).is_some_and(|s| s.map_only) => {
                let from = format!("states:::{}:", service.text);
                let to = format!("states:::aws-sdk:{}:", service.text);
                let mut r = out
                    .report(
                        &INVALID_RESOURCE_ARN,
                        task.span(text, service.start, action.name.end()),
                        format!(
                            "`{}:{}` in Task state `{name}` is a Distributed Map reader/writer resource, not a Task integration",
                            service.text, action.name.text
                        ),
                    )
                    .help(format!(
                        "call S3 from a Task through the AWS SDK integration: `arn:aws:states:::aws-sdk:{}:{}`",
                        service.text, action.name.text
                    ));
                if let Some(fix) =
                    replace_string_fix(text, task.node, &from, &to, "use the AWS SDK integration")
                {
                    r = r.fix(fix);
                }
                drop(r);
                continue;
            }
            Ok(_) => continue,
            Err(e) => e,
        };
        let range = if e.start < e.end {
            task.span(text, e.start, e.end)
        } else {
            task.node.range
        };
        let bit = value.get(e.start..e.end).unwrap_or("");
        let (message, help): (String, String) = match e.kind {
            ErrorKind::Empty => (
                format!("`Resource` of Task state `{name}` is empty"),
                FORMS.into(),
            ),
            ErrorKind::Whitespace => {
                let trimmed = value.trim();
                let mut r = out
                    .report(
                        &INVALID_RESOURCE_ARN,
                        range,
                        format!("`Resource` of Task state `{name}` contains whitespace"),
                    )
                    .help("ARNs contain no spaces or line breaks; remove them");
                if !trimmed.is_empty() && !trimmed.contains(char::is_whitespace) {
                    if let Some(fix) =
                        replace_string_fix(text, task.node, value, trimmed, "remove the whitespace")
                    {
                        r = r.fix(fix);
                    }
                }
                drop(r);
                continue;
            }
            ErrorKind::UnclosedPlaceholder => (
                format!(
                    "`Resource` of Task state `{name}` has a placeholder `{}` without its closing `}}`",
                    &bit[..bit.len().min(2)]
                ),
                "close the placeholder with `}` so the deployment tool can substitute it".into(),
            ),
            ErrorKind::NotUri => (
                format!("`Resource` of Task state `{name}` is not an ARN: `{value}`"),
                if value.starts_with('$') {
                    "`Resource` cannot be a path; to pick the function at run time, use `arn:aws:states:::lambda:invoke` with `\"FunctionName.$\"` in `Parameters`".into()
                } else {
                    FORMS.into()
                },
            ),
            ErrorKind::ArnCase => {
                let mut r = out
                    .report(
                        &INVALID_RESOURCE_ARN,
                        range,
                        format!("`Resource` of Task state `{name}` starts with `{bit}:`; ARNs start with `arn:`"),
                    )
                    .help("ARNs are case-sensitive; write the prefix in lower case");
                if let Some(fix) = replace_string_fix(
                    text,
                    task.node,
                    &format!("{bit}:"),
                    "arn:",
                    "write `arn:`",
                ) {
                    r = r.fix(fix);
                }
                drop(r);
                continue;
            }
            ErrorKind::TooFewParts => (
                format!("`Resource` of Task state `{name}` is not a complete ARN: `{value}`"),
                "an ARN has the form `arn:<partition>:<service>:<region>:<account>:<resource>`; integrations leave region and account empty: `arn:aws:states:::lambda:invoke`".into(),
            ),
            ErrorKind::EmptyPartition => (
                format!("`Resource` of Task state `{name}` has no partition"),
                "write the partition after `arn:`: `aws`, `aws-cn` or `aws-us-gov`".into(),
            ),
            ErrorKind::UnknownPartition => (
                format!("unknown partition `{bit}` in `Resource` of Task state `{name}`"),
                match closest(bit, PARTITIONS.into_iter().chain(ISOLATED_PARTITIONS)) {
                    Some(p) => format!("did you mean `{p}`?"),
                    None => "Step Functions runs in the partitions `aws`, `aws-cn` and `aws-us-gov`".into(),
                },
            ),
            ErrorKind::NotAFunction => (
                format!("`Resource` of Task state `{name}` is a Lambda `{bit}` ARN, not a function"),
                "a Task runs a function: `arn:aws:lambda:<region>:<account>:function:<name>`, or use `arn:aws:states:::lambda:invoke`".into(),
            ),
            ErrorKind::MissingFunctionName => (
                format!("`Resource` of Task state `{name}` names no Lambda function"),
                "add the function name: `arn:aws:lambda:<region>:<account>:function:<name>`".into(),
            ),
            ErrorKind::BadFunctionName => (
                format!("`{bit}` in `Resource` of Task state `{name}` is not a valid Lambda function name, version or alias"),
                "function names, versions and aliases use only letters, digits, `-` and `_` (or `$LATEST`)".into(),
            ),
            ErrorKind::MissingActivityName => (
                format!("`Resource` of Task state `{name}` names no activity"),
                "add the activity name: `arn:aws:states:<region>:<account>:activity:<name>`".into(),
            ),
            ErrorKind::NotATask => (
                format!("`Resource` of Task state `{name}` is a Step Functions `{bit}` ARN, which a Task cannot run"),
                "to run another state machine, use `arn:aws:states:::states:startExecution` (`.sync:2` to wait for it) and pass its ARN as `StateMachineArn`".into(),
            ),
            ErrorKind::MissingService => (
                format!("`Resource` of Task state `{name}` names no service"),
                "name the integration after `states:::`, e.g. `arn:aws:states:::lambda:invoke` or `arn:aws:states:::aws-sdk:s3:getObject`".into(),
            ),
            ErrorKind::MissingAction => {
                // The optimized service, when the ARN names one.
                let svc = value
                    .split_once("states:::")
                    .map_or("", |(_, rest)| rest.split([':', '.']).next().unwrap_or(""));
                let help = match arn::service(svc) {
                    Some(s) => format!(
                        "add the API action: {}",
                        s.actions
                            .iter()
                            .map(|a| format!("`{}:{}`", s.name, a.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => "add the API action after the service: `<service>:<action>`".into(),
                };
                (
                    format!("`Resource` of Task state `{name}` names no API action"),
                    help,
                )
            }
            ErrorKind::BadAction => (
                format!("`{bit}` in `Resource` of Task state `{name}` is not an API action name"),
                "API actions are written in lowerCamelCase letters and digits, e.g. `invoke`, `startExecution`".into(),
            ),
            ErrorKind::UnknownSuffix => {
                let written = bit.strip_prefix('.').unwrap_or(bit);
                let good = closest(written, arn::Pattern::SUFFIXES);
                let mut r = out
                    .report(
                        &INVALID_RESOURCE_ARN,
                        range,
                        format!("unknown integration pattern `{bit}` in `Resource` of Task state `{name}`"),
                    )
                    .help(match good {
                        Some(g) => format!("did you mean `.{g}`?"),
                        None => "the patterns are `.sync`, `.sync:2` and `.waitForTaskToken`; without a suffix the call is request-response".into(),
                    });
                if let Some(g) = good {
                    let fixed = format!("{}.{g}", &value[..e.start]);
                    if let Some(fix) = replace_string_fix(text, task.node, value, &fixed, &format!("use `.{g}`")) {
                        r = r.fix(fix);
                    }
                }
                drop(r);
                continue;
            }
            ErrorKind::TooManyParts => (
                format!("`Resource` of Task state `{name}` has extra parts `{bit}`"),
                "a Lambda ARN ends with the function name and an optional version or alias; an activity ARN with the activity name".into(),
            ),
        };
        out.report(&INVALID_RESOURCE_ARN, range, message).help(help);
    }
}
