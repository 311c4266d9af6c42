use crate::model::StateType;
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state's `ResultWriter.WriterConfig` without an
    /// `OutputType` (`JSON` or `JSONL`).
    ///
    /// ## Why is this bad?
    /// `WriterConfig` formats the exported results. AWS documents a default
    /// for its `Transformation` but none for `OutputType`, and AWS's own
    /// language service requires `OutputType` whenever `WriterConfig` is
    /// present. Without it the format of the results is left unsaid.
    ///
    /// This is a warning, not an error: AWS's ResultWriter documentation does
    /// not say that Step Functions rejects a `WriterConfig` without
    /// `OutputType`, and no record of such a rejection was found; the
    /// language service's schema is the only source that requires it. A
    /// missing `Transformation` is not reported (it defaults to `NONE` when
    /// exporting to S3).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ResultWriter": { "WriterConfig": { "Transformation": "COMPACT" } },
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
    ///       "ResultWriter": { "WriterConfig": { "Transformation": "COMPACT", "OutputType": "JSON" } },
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
    pub static WRITER_CONFIG_OUTPUT_TYPE = {
        code: "ASL248",
        name: "writer-config-output-type",
        category: States,
        severity: Warning,
        summary: "a Map `ResultWriter.WriterConfig` has no `OutputType`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(config) = state
            .get("ResultWriter")
            .and_then(|w| w.member("WriterConfig"))
        else {
            continue;
        };
        // Not an object: the schema's business.
        if config.value.as_object().is_none() || config.value.member("OutputType").is_some() {
            continue;
        }
        out.report(
            &WRITER_CONFIG_OUTPUT_TYPE,
            config.key_range,
            format!(
                "the `ResultWriter.WriterConfig` of Map state `{}` has no `OutputType`",
                state.name
            ),
        )
        .help("add `\"OutputType\": \"JSON\"` (one JSON array) or `\"JSONL\"` (JSON Lines)");
    }
}
