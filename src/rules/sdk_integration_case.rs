use crate::rules::util::arn::{is_lower_camel, is_sdk_service_name, Resource};
use crate::rules::util::replace_string_fix;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an AWS SDK integration whose service name is not lower-case,
    /// or whose API action is not lowerCamelCase:
    /// `arn:aws:states:::aws-sdk:S3:GetObject` instead of
    /// `arn:aws:states:::aws-sdk:s3:getObject`.
    ///
    /// ## Why is this bad?
    /// The service and action in the ARN are matched exactly: the service as
    /// the SDK's lower-case client name, the action as the API name starting
    /// with a lower-case letter. Other spellings are not recognized.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Read",
    ///   "States": {
    ///     "Read": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:GetObject",
    ///       "Parameters": { "Bucket": "my-bucket", "Key": "data.json" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Read",
    ///   "States": {
    ///     "Read": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "my-bucket", "Key": "data.json" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static SDK_INTEGRATION_CASE = {
        code: "ASL267",
        name: "sdk-integration-case",
        category: States,
        severity: Error,
        summary: "an AWS SDK integration's service or action is not spelled in lower case / lowerCamelCase",
        check: Some(check),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let text = cx.text();
    for task in cx.task_resources() {
        let Ok(Resource::Sdk {
            service, action, ..
        }) = task.parsed
        else {
            continue;
        };
        let name = task.state.name;
        let bad_service = !service.placeholder && !is_sdk_service_name(service.text);
        let bad_action = !action.name.placeholder && !is_lower_camel(action.name.text);
        if !bad_service && !bad_action {
            continue;
        }
        let good_service = if bad_service {
            service.text.to_ascii_lowercase()
        } else {
            service.text.to_string()
        };
        let good_action = if bad_action {
            lower_first(action.name.text)
        } else {
            action.name.text.to_string()
        };
        let (range, message) = if bad_service {
            (
                task.span(text, service.start, service.end()),
                format!(
                    "service `{}` of the AWS SDK integration in Task state `{name}` is not written in lower case",
                    service.text
                ),
            )
        } else {
            (
                task.span(text, action.name.start, action.name.end()),
                format!(
                    "action `{}` of the AWS SDK integration in Task state `{name}` does not start with a lower-case letter",
                    action.name.text
                ),
            )
        };
        let fixed = format!(
            "{}{good_service}:{good_action}{}",
            &task.value[..service.start],
            &task.value[action.name.end()..]
        );
        let mut r = out.report(&SDK_INTEGRATION_CASE, range, message).help(format!(
            "write `aws-sdk:{good_service}:{good_action}`: the service as the SDK client name in lower case, the action in lowerCamelCase"
        ));
        if let Some(fix) = replace_string_fix(
            text,
            task.node,
            task.value,
            &fixed,
            &format!("write `{good_service}:{good_action}`"),
        ) {
            r = r.fix(fix);
        }
        drop(r);
    }
}
