use crate::model::StateType;
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state's `ItemBatcher` that sets no limit at all (none of
    /// `MaxItemsPerBatch`, `MaxInputBytesPerBatch` and their `…Path`
    /// variants), whose literal `MaxItemsPerBatch` is not positive, or whose
    /// literal `MaxInputBytesPerBatch` is not positive or exceeds 262144
    /// (256 KiB).
    ///
    /// ## Why is this bad?
    /// The specification requires an `ItemBatcher` to say how large a batch
    /// may be. A batch must hold at least one item, and a batch is passed as
    /// the input of a child workflow execution, which is limited to 256 KiB.
    /// Step Functions rejects values outside these limits.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemBatcher": { "MaxInputBytesPerBatch": 1048576 },
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
    ///       "ItemBatcher": { "MaxInputBytesPerBatch": 262144 },
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
    pub static ITEM_BATCHER_LIMITS = {
        code: "ASL243",
        name: "item-batcher-limits",
        category: States,
        severity: Error,
        summary: "an `ItemBatcher` has no limit, or a limit out of range",
        check: Some(check),
    }
}

const MAX_BYTES: f64 = 262_144.0;

const LIMITS: [&str; 4] = [
    "MaxItemsPerBatch",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatch",
    "MaxInputBytesPerBatchPath",
];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(member) = state.node.member("ItemBatcher") else {
            continue;
        };
        let batcher = &member.value;
        if batcher
            .as_object()
            .is_some_and(|ms| !ms.iter().any(|m| LIMITS.contains(&m.key.as_str())))
        {
            out.report(
                &ITEM_BATCHER_LIMITS,
                member.key_range,
                format!(
                    "the `ItemBatcher` of Map state `{}` sets no batch size",
                    state.name
                ),
            )
            .help("add `MaxItemsPerBatch` (items per batch), `MaxInputBytesPerBatch` (bytes per batch) or both");
            continue;
        }
        if let Some(node) = batcher.get("MaxItemsPerBatch") {
            if let Some(v) = integer(node) {
                if v <= 0.0 {
                    out.report(
                        &ITEM_BATCHER_LIMITS,
                        node.range,
                        format!(
                            "`ItemBatcher.MaxItemsPerBatch` {} of Map state `{}` is not positive",
                            show_number(v),
                            state.name
                        ),
                    )
                    .help("a batch holds at least one item; use 1 or more");
                }
            }
        }
        if let Some(node) = batcher.get("MaxInputBytesPerBatch") {
            if let Some(v) = integer(node) {
                let problem = if v <= 0.0 {
                    "is not positive"
                } else if v > MAX_BYTES {
                    "exceeds 262144 bytes (256 KiB)"
                } else {
                    continue;
                };
                out.report(
                    &ITEM_BATCHER_LIMITS,
                    node.range,
                    format!(
                        "`ItemBatcher.MaxInputBytesPerBatch` {} of Map state `{}` {problem}",
                        show_number(v),
                        state.name
                    ),
                )
                .help("use a size between 1 and 262144 bytes");
            }
        }
    }
}
