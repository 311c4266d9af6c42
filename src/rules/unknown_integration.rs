use crate::rules::util::arn::{self, Resource, SERVICES};
use crate::rules::util::replace_string_fix;
use crate::rules::{closest, LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an optimized integration `arn:aws:states:::<service>:<action>`
    /// whose action is not one the service offers (`lambda:invok`,
    /// `dynamodb:query`), or whose service looks like a misspelled optimized
    /// service (`lamda:invoke`).
    ///
    /// ## Why is this bad?
    /// Step Functions does not recognize the resource and rejects the
    /// definition. Most API actions are not optimized integrations: they are
    /// called through the AWS SDK integration,
    /// `arn:aws:states:::aws-sdk:<service>:<apiAction>`. It is a warning
    /// because AWS adds integrations over time and the table here may lag;
    /// services it does not know at all are accepted.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Find",
    ///   "States": {
    ///     "Find": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:query",
    ///       "Parameters": { "TableName": "orders" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Find",
    ///   "States": {
    ///     "Find": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
    ///       "Parameters": { "TableName": "orders" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static UNKNOWN_INTEGRATION = {
        code: "ASL266",
        name: "unknown-integration",
        category: States,
        severity: Warning,
        summary: "a Task names an optimized integration action that does not exist",
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
        if service.placeholder {
            continue;
        }
        let name = task.state.name;
        let Some(svc) = arn::service(service.text) else {
            // A service the table does not know: only a near miss is worth a word.
            let Some(good) = closest(
                service.text,
                SERVICES.iter().filter(|s| !s.map_only).map(|s| s.name),
            ) else {
                continue;
            };
            let mut r = out
                .report(
                    &UNKNOWN_INTEGRATION,
                    task.span(text, service.start, service.end()),
                    format!(
                        "`{}` in Task state `{name}` is not an optimized integration",
                        service.text
                    ),
                )
                .help(format!("did you mean `{good}`?"));
            if let Some(fix) = replace_string_fix(
                text,
                task.node,
                &format!(":::{}:", service.text),
                &format!(":::{good}:"),
                &format!("use `{good}`"),
            ) {
                r = r.fix(fix);
            }
            drop(r);
            continue;
        };
        if svc.map_only || action.name.placeholder || svc.action(action.name.text).is_some() {
            continue;
        }
        let good = closest(action.name.text, svc.actions.iter().map(|a| a.name));
        let help = match good {
            Some(g) => format!("did you mean `{}:{g}`?", svc.name),
            None => format!(
                "{} offers {} as optimized integrations; call other actions through `arn:aws:states:::aws-sdk:{}:{}`",
                svc.title,
                svc.actions
                    .iter()
                    .map(|a| format!("`{}`", a.name))
                    .collect::<Vec<_>>()
                    .join(", "),
                sdk_service(svc.name),
                action.name.text
            ),
        };
        let mut r = out
            .report(
                &UNKNOWN_INTEGRATION,
                task.span(text, action.name.start, action.name.end()),
                format!(
                    "`{}:{}` in Task state `{name}` is not an optimized integration of {}",
                    service.text, action.name.text, svc.title
                ),
            )
            .help(help);
        if let Some(g) = good {
            let fixed = format!(
                "{}{g}{}",
                &task.value[..action.name.start],
                &task.value[action.name.end()..]
            );
            if let Some(fix) =
                replace_string_fix(text, task.node, task.value, &fixed, &format!("use `{g}`"))
            {
                r = r.fix(fix);
            }
        }
        drop(r);
    }
}

/// The AWS SDK integration's name for an optimized service.
fn sdk_service(optimized: &str) -> &str {
    match optimized {
        "elasticmapreduce" => "emr",
        "emr-containers" => "emrcontainers",
        "emr-serverless" => "emrserverless",
        "events" => "eventbridge",
        "states" => "sfn",
        other => other,
    }
}
