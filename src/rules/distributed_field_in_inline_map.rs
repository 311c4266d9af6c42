use crate::model::StateType;
use crate::rules::util::{map_mode, map_processor, states_of_type, MapMode};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports fields that only Distributed Map states support (`ItemReader`,
    /// `ItemBatcher`, `ResultWriter`, `ToleratedFailureCount(Path)`,
    /// `ToleratedFailurePercentage(Path)`, `Label`, and `ExecutionType` in
    /// `ProcessorConfig`) on a Map state running in Inline mode: an
    /// `ItemProcessor` (or deprecated `Iterator`) without
    /// `"ProcessorConfig": { "Mode": "DISTRIBUTED" }`.
    ///
    /// ## Why is this bad?
    /// These fields configure child workflow executions, S3 input and output
    /// and failure tolerance, which only exist in Distributed mode; an
    /// Inline Map ignores `ExecutionType`, since its iterations run inside
    /// the parent execution. The usual cause is a forgotten `Mode`; the
    /// fields are not in AWS's Inline Map field list.
    ///
    /// This is a warning, not an error: whether Step Functions rejects these
    /// fields on an Inline Map is not documented, and asl-validator accepts
    /// a Map with `ItemReader`, `ResultWriter` and `Label` but no
    /// `ProcessorConfig`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ToleratedFailurePercentage": 10,
    ///       "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
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
    ///       "ToleratedFailurePercentage": 10,
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
    pub static DISTRIBUTED_FIELD_IN_INLINE_MAP = {
        code: "ASL240",
        name: "distributed-field-in-inline-map",
        category: States,
        severity: Warning,
        summary: "a Distributed-only field is used on an Inline Map state",
        check: Some(check),
    }
}

const DISTRIBUTED_ONLY: &[&str] = &[
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "Label",
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        if map_mode(state) != Some(MapMode::Inline) {
            continue;
        }
        let Some(members) = state.node.as_object() else {
            continue;
        };
        let legacy = state.node.member("ItemProcessor").is_none();
        if let Some(m) = map_processor(state)
            .and_then(|p| p.get("ProcessorConfig"))
            .and_then(|c| c.member("ExecutionType"))
        {
            out.report(
                &DISTRIBUTED_FIELD_IN_INLINE_MAP,
                m.key_range,
                format!(
                    "`ExecutionType` only applies to Distributed Map states, but `{}` runs inline",
                    state.name
                ),
            )
            .help("add `\"Mode\": \"DISTRIBUTED\"` to `ProcessorConfig` to run child executions, or remove `ExecutionType`");
        }
        for m in members
            .iter()
            .filter(|m| DISTRIBUTED_ONLY.contains(&m.key.as_str()))
        {
            out.report(
                &DISTRIBUTED_FIELD_IN_INLINE_MAP,
                m.key_range,
                format!(
                    "`{}` is only supported by Distributed Map states, but `{}` runs inline",
                    m.key, state.name
                ),
            )
            .help(if legacy {
                "replace `Iterator` with an `ItemProcessor` whose `ProcessorConfig` sets `\"Mode\": \"DISTRIBUTED\"`, or remove the field"
            } else {
                "set `\"ProcessorConfig\": { \"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\" }` in `ItemProcessor`, or remove the field"
            });
        }
    }
}
