use crate::model::StateType;
use crate::rules::closest;
use crate::rules::util::s3_action::{s3_resource, S3Resource};
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state's `ItemReader` whose `Resource` is not one of the
    /// two S3 actions a reader can use: `arn:<partition>:states:::s3:getObject`
    /// (read one JSON, JSONL, CSV or Parquet file, or a manifest) and
    /// `arn:<partition>:states:::s3:listObjectsV2` (iterate over the objects
    /// under a prefix). Deploy-time `${…}` placeholders and JSONata
    /// expressions are not judged. A reader without `Resource` is reported
    /// by `schema-violation`.
    ///
    /// ## Why is this bad?
    /// Step Functions reads items only through these two actions and rejects
    /// any other `Resource`, such as a Task's integration copied into the
    /// reader or a misspelled action.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemReader": {
    ///         "Resource": "arn:aws:states:::s3:listObjects",
    ///         "Parameters": { "Bucket": "my-bucket", "Prefix": "incoming/" }
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
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemReader": {
    ///         "Resource": "arn:aws:states:::s3:listObjectsV2",
    ///         "Parameters": { "Bucket": "my-bucket", "Prefix": "incoming/" }
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
    pub static ITEM_READER_RESOURCE = {
        code: "ASL246",
        name: "item-reader-resource",
        category: States,
        severity: Error,
        summary: "a Map `ItemReader.Resource` is not `s3:getObject` or `s3:listObjectsV2`",
        check: Some(check),
    }
}

const READER_ACTIONS: [&str; 2] = ["getObject", "listObjectsV2"];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(node) = state.get("ItemReader").and_then(|r| r.get("Resource")) else {
            continue;
        };
        // Not a string: the schema's business (or a CloudFormation object).
        let Some(s) = node.as_str() else { continue };
        let action = match s3_resource(s) {
            S3Resource::Unknown => continue,
            S3Resource::Action(a) if READER_ACTIONS.contains(&a) => continue,
            S3Resource::Action(a) => Some(a),
            S3Resource::Other => None,
        };
        let help = match action.and_then(|a| closest(a, READER_ACTIONS)) {
            _ if action == Some("putObject") => "`s3:putObject` writes results and belongs in `ResultWriter`; a reader uses `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`".to_string(),
            Some(best) => format!("did you mean `s3:{best}`?"),
            None => "use `arn:aws:states:::s3:getObject` to read one file or manifest, or `arn:aws:states:::s3:listObjectsV2` to iterate over the objects under a prefix".to_string(),
        };
        out.report(
            &ITEM_READER_RESOURCE,
            node.range,
            format!(
                "the `ItemReader` of Map state `{}` uses `{s}`, but a reader can only use `s3:getObject` or `s3:listObjectsV2`",
                state.name
            ),
        )
        .help(help);
    }
}
