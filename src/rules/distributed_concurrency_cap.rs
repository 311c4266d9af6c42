use crate::model::StateType;
use crate::rules::util::{integer, map_mode, show_number, states_of_type, MapMode};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Distributed Map state whose literal `MaxConcurrency` is
    /// above 10,000.
    ///
    /// ## Why is this bad?
    /// A Distributed Map runs at most 10,000 child workflow executions at
    /// once; that is a hard quota, which cannot be raised. A larger
    /// `MaxConcurrency` does not make the map faster, and suggests a
    /// throughput the map will never reach (or a typo with one zero too
    /// many).
    ///
    /// This is a warning, not an error: whether Step Functions rejects a
    /// larger value or simply caps it is not documented.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 50000,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
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
    ///       "MaxConcurrency": 10000,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static DISTRIBUTED_CONCURRENCY_CAP = {
        code: "ASL249",
        name: "distributed-concurrency-cap",
        category: States,
        severity: Warning,
        summary: "a Distributed Map's `MaxConcurrency` is above the 10,000 child executions quota",
        check: Some(check),
    }
}

/// Child workflow executions a Distributed Map runs in parallel (hard quota).
const MAX_CHILDREN: f64 = 10_000.0;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(node) = state.get("MaxConcurrency") else {
            continue;
        };
        let Some(v) = integer(node).filter(|v| *v > MAX_CHILDREN) else {
            continue;
        };
        if map_mode(state) != Some(MapMode::Distributed) {
            continue;
        }
        out.report(
            &DISTRIBUTED_CONCURRENCY_CAP,
            node.range,
            format!(
                "`MaxConcurrency` {} of Distributed Map state `{}` is above the 10,000 child executions that run at once",
                show_number(v),
                state.name
            ),
        )
        .help("use at most 10000 (or 0, as many as possible); Step Functions never runs more child executions in parallel");
    }
}
