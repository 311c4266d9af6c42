use crate::rules::util::arn::Resource;
use crate::rules::util::rename_key_fix;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports top-level `Parameters` / `Arguments` keys of an AWS SDK
    /// integration (`arn:aws:states:::aws-sdk:…`) that start with a
    /// lower-case letter.
    ///
    /// ## Why is this bad?
    /// SDK integrations take the API's request members in PascalCase, even
    /// where the service's own API and SDKs spell them in camelCase
    /// (`Bucket`, not `bucket`; `RestApiId`, not `restApiId`). Step
    /// Functions rejects unknown fields or the call fails validation, so the
    /// task never does its work.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Read",
    ///   "States": {
    ///     "Read": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "bucket": "my-bucket", "key.$": "$.key" },
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
    ///       "Parameters": { "Bucket": "my-bucket", "Key.$": "$.key" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static SDK_PARAMETER_CASE = {
        code: "ASL268",
        name: "sdk-parameter-case",
        category: States,
        severity: Warning,
        summary: "an AWS SDK integration's parameter name is camelCase instead of PascalCase",
        check: Some(check),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
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
        for field in ["Parameters", "Arguments"] {
            let Some(members) = task.state.get(field).and_then(|n| n.as_object()) else {
                continue;
            };
            for m in members {
                if !m.key.starts_with(|c: char| c.is_ascii_lowercase()) {
                    continue;
                }
                let good = upper_first(&m.key);
                let mut r = out
                    .report(
                        &SDK_PARAMETER_CASE,
                        m.key_range,
                        format!(
                            "`{}` in `{field}` of Task state `{}` is camelCase; `aws-sdk:{}:{}` takes PascalCase names",
                            m.key, task.state.name, service.text, action.name.text
                        ),
                    )
                    .help(format!(
                        "write `{good}`: AWS SDK integrations spell request members in PascalCase"
                    ));
                if let Some(fix) = rename_key_fix(text, m, &good, &format!("rename to `{good}`")) {
                    r = r.fix(fix);
                }
                drop(r);
            }
        }
    }
}
