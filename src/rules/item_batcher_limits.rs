use crate::model::StateType;
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state's `ItemBatcher` whose literal `MaxItemsPerBatch`
    /// is not positive, or whose literal `MaxInputBytesPerBatch` is not
    /// positive or exceeds 262144 (256 KiB).
    ///
    /// ## Why is this bad?
    /// A batch must hold at least one item, and a batch is passed as the
    /// input of a child workflow execution, which is limited to 256 KiB.
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
        summary: "an `ItemBatcher` limit is out of range",
        check: Some(check),
    }
}

const MAX_BYTES: f64 = 262_144.0;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(batcher) = state.get("ItemBatcher") else {
            continue;
        };
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
