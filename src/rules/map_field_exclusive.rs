use crate::model::StateType;
use crate::rules::util::{exclusive_pairs, states_of_type};
use crate::rules::{LintContext, Sink};
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// Reports a Map state that sets a value both as a literal and as a path
    /// (or JSONata alternative):
    ///
    /// - `MaxConcurrency` and `MaxConcurrencyPath`;
    /// - `ToleratedFailureCount` and `ToleratedFailureCountPath`;
    /// - `ToleratedFailurePercentage` and `ToleratedFailurePercentagePath`;
    /// - `Items` and `ItemsPath`;
    /// - `ItemReader.ReaderConfig`: `MaxItems` and `MaxItemsPath`;
    /// - `ItemBatcher`: `MaxItemsPerBatch` and `MaxItemsPerBatchPath`,
    ///   `MaxInputBytesPerBatch` and `MaxInputBytesPerBatchPath`.
    ///
    /// ## Why is this bad?
    /// Each setting has one value, either literal or read from the input;
    /// Step Functions rejects definitions that give both.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 5,
    ///       "MaxConcurrencyPath": "$.concurrency",
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
    ///       "MaxConcurrencyPath": "$.concurrency",
    ///       "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_FIELD_EXCLUSIVE = {
        code: "ASL239",
        name: "map-field-exclusive",
        category: States,
        severity: Error,
        summary: "a Map state sets a value both literally and by path",
        check: Some(check),
    }
}

const STATE_PAIRS: &[(&str, &str)] = &[
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    (
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ),
    ("Items", "ItemsPath"),
];
const READER_PAIRS: &[(&str, &str)] = &[("MaxItems", "MaxItemsPath")];
const BATCHER_PAIRS: &[(&str, &str)] = &[
    ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
    ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let reader = state.get("ItemReader").and_then(|r| r.get("ReaderConfig"));
        let batcher = state.get("ItemBatcher");
        let groups: [(Option<&Node>, &[(&str, &str)], &str); 3] = [
            (Some(state.node), STATE_PAIRS, ""),
            (reader, READER_PAIRS, "ItemReader.ReaderConfig."),
            (batcher, BATCHER_PAIRS, "ItemBatcher."),
        ];
        for (node, pairs, prefix) in groups {
            let Some(node) = node else { continue };
            for (first, second) in exclusive_pairs(node, pairs) {
                out.report(
                    &MAP_FIELD_EXCLUSIVE,
                    second.key_range,
                    format!(
                        "state `{}` has both `{prefix}{}` and `{prefix}{}`",
                        state.name, first.key, second.key
                    ),
                )
                .related(first.key_range, format!("`{}` is set here", first.key))
                .help("keep one of the two");
            }
        }
    }
}
