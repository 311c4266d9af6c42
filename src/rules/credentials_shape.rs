use crate::model::StateType;
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Task state whose `Credentials` object has no `RoleArn`
    /// (nor `RoleArn.$` in a JSONPath state).
    ///
    /// ## Why is this bad?
    /// `Credentials` names the IAM role the task assumes, and `RoleArn` is its
    /// only documented field. Step Functions rejects a `Credentials` object
    /// without it (`SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required
    /// but was missing`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f" },
    ///       "Credentials": { "Role": "arn:aws:iam::123456789012:role/caller" },
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
    ///       "Parameters": { "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f" },
    ///       "Credentials": { "RoleArn": "arn:aws:iam::123456789012:role/caller" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static CREDENTIALS_SHAPE = {
        code: "ASL228",
        name: "credentials-shape",
        category: States,
        severity: Error,
        summary: "a Task's `Credentials` has no `RoleArn`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Task) {
        let Some(creds) = state.node.member("Credentials") else {
            continue;
        };
        let Some(members) = creds.value.as_object() else {
            continue;
        };
        if members
            .iter()
            .any(|m| m.key == "RoleArn" || m.key == "RoleArn.$")
        {
            continue;
        }
        let close = members.iter().find(|m| {
            m.key.eq_ignore_ascii_case("rolearn") || m.key.eq_ignore_ascii_case("rolearn.$")
        });
        let mut r = out.report(
            &CREDENTIALS_SHAPE,
            close.map_or(creds.key_range, |m| m.key_range),
            format!(
                "`Credentials` of Task state `{}` has no `RoleArn`",
                state.name
            ),
        );
        r = match close {
            Some(m) => r.help(format!(
                "did you mean `{}`? field names are case-sensitive",
                if m.key.ends_with(".$") {
                    "RoleArn.$"
                } else {
                    "RoleArn"
                }
            )),
            None => r.help("add `\"RoleArn\"` with the ARN of the IAM role the task should assume"),
        };
        drop(r);
    }
}
