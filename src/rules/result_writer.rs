use crate::model::{QueryLanguage, StateType};
use crate::rules::util::s3_action::{s3_resource, S3Resource};
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks the `ResultWriter` of Map states:
    ///
    /// - it must not be empty: it holds a `WriterConfig` (format the
    ///   results), or a `Resource` with `Parameters` (`Arguments` in
    ///   JSONata) naming the S3 bucket and prefix to export them to, or all
    ///   three;
    /// - a `Resource` needs `Parameters`/`Arguments`, and the other way round;
    /// - the `Resource` must be `arn:<partition>:states:::s3:putObject`
    ///   (deploy-time `${…}` placeholders and JSONata expressions are not
    ///   judged).
    ///
    /// ## Why is this bad?
    /// These are the combinations AWS's ResultWriter documentation allows;
    /// Step Functions rejects the others, and exports results only through
    /// `s3:putObject`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ResultWriter": { "Resource": "arn:aws:states:::s3:putObject" },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
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
    ///       "ResultWriter": {
    ///         "Resource": "arn:aws:states:::s3:putObject",
    ///         "Parameters": { "Bucket": "my-bucket", "Prefix": "results/" }
    ///       },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static RESULT_WRITER = {
        code: "ASL247",
        name: "result-writer",
        category: States,
        severity: Error,
        summary: "a Map `ResultWriter` is empty, incomplete or does not use `s3:putObject`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(writer) = state.node.member("ResultWriter") else {
            continue;
        };
        // Not an object: the schema's business.
        let Some(members) = writer.value.as_object() else {
            continue;
        };
        if members.is_empty() {
            out.report(
                &RESULT_WRITER,
                writer.key_range,
                format!("the `ResultWriter` of Map state `{}` is empty", state.name),
            )
            .help("add a `Resource` and `Parameters` (the S3 bucket and prefix) to export the results, a `WriterConfig` to format them, or both; or remove it");
            continue;
        }
        let args_name = match state.query_language {
            QueryLanguage::JsonPath => "Parameters",
            QueryLanguage::Jsonata => "Arguments",
        };
        let resource = writer.value.member("Resource");
        let args = writer
            .value
            .member("Parameters")
            .or_else(|| writer.value.member("Arguments"));
        match (resource, args) {
            (Some(r), None) => {
                out.report(
                    &RESULT_WRITER,
                    r.key_range,
                    format!(
                        "the `ResultWriter` of Map state `{}` has a `Resource` but no `{args_name}` saying where to write",
                        state.name
                    ),
                )
                .help(format!(
                    "add `\"{args_name}\": {{ \"Bucket\": \"…\", \"Prefix\": \"…\" }}`, or remove `Resource` to keep the results in the state output"
                ));
            }
            (None, Some(a)) => {
                out.report(
                    &RESULT_WRITER,
                    a.key_range,
                    format!(
                        "the `ResultWriter` of Map state `{}` has `{}` but no `Resource`",
                        state.name, a.key
                    ),
                )
                .help("add `\"Resource\": \"arn:aws:states:::s3:putObject\"`");
            }
            _ => {}
        }
        let Some(r) = resource else { continue };
        let Some(s) = r.value.as_str() else { continue };
        if matches!(
            s3_resource(s),
            S3Resource::Action("putObject") | S3Resource::Unknown
        ) {
            continue;
        }
        out.report(
            &RESULT_WRITER,
            r.value.range,
            format!(
                "the `ResultWriter` of Map state `{}` uses `{s}`, but results can only be written with `s3:putObject`",
                state.name
            ),
        )
        .help("use `\"Resource\": \"arn:aws:states:::s3:putObject\"`");
    }
}
