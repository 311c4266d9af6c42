use crate::model::StateType;
use crate::rules::util::{map_mode, map_processor, states_of_type, MapMode};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Distributed Map state whose `ItemProcessor.ProcessorConfig`
    /// (or deprecated `Iterator.ProcessorConfig`) has no `ExecutionType`.
    ///
    /// ## Why is this bad?
    /// In Distributed mode every batch of items runs as a child workflow
    /// execution, and AWS requires you to say whether those are `STANDARD`
    /// or `EXPRESS` workflows.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED" },
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
    pub static MISSING_EXECUTION_TYPE = {
        code: "ASL241",
        name: "missing-execution-type",
        category: States,
        severity: Error,
        summary: "a Distributed Map state does not set `ExecutionType`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        if map_mode(state) != Some(MapMode::Distributed) {
            continue;
        }
        let Some(config) = map_processor(state).and_then(|p| p.member("ProcessorConfig")) else {
            continue;
        };
        if config.value.member("ExecutionType").is_some() {
            continue;
        }
        out.report(
            &MISSING_EXECUTION_TYPE,
            config.key_range,
            format!(
                "state `{}` runs a Distributed Map but does not set `ExecutionType`",
                state.name
            ),
        )
        .help("add `\"ExecutionType\": \"STANDARD\"` or `\"EXPRESS\"` to `ProcessorConfig`");
    }
}
