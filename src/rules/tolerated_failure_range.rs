use crate::model::StateType;
use crate::rules::util::{integer, number, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state whose literal `ToleratedFailurePercentage` is not
    /// between 0 and 100, or whose literal `ToleratedFailureCount` is
    /// negative.
    ///
    /// ## Why is this bad?
    /// A percentage outside 0–100 and a negative count mean nothing; Step
    /// Functions rejects them.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ToleratedFailurePercentage": 150,
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
    ///       "ToleratedFailurePercentage": 15,
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
    pub static TOLERATED_FAILURE_RANGE = {
        code: "ASL242",
        name: "tolerated-failure-range",
        category: States,
        severity: Error,
        summary: "a Map state's tolerated failure threshold is out of range",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        if let Some(node) = state.get("ToleratedFailurePercentage") {
            if let Some(v) = number(node) {
                if !(0.0..=100.0).contains(&v) {
                    out.report(
                        &TOLERATED_FAILURE_RANGE,
                        node.range,
                        format!(
                            "`ToleratedFailurePercentage` {} of Map state `{}` is not between 0 and 100",
                            show_number(v),
                            state.name
                        ),
                    )
                    .help("give a percentage from 0 to 100");
                }
            }
        }
        if let Some(node) = state.get("ToleratedFailureCount") {
            if let Some(v) = integer(node) {
                if v < 0.0 {
                    out.report(
                        &TOLERATED_FAILURE_RANGE,
                        node.range,
                        format!(
                            "`ToleratedFailureCount` {} of Map state `{}` is negative",
                            show_number(v),
                            state.name
                        ),
                    )
                    .help("give a number of failed items, 0 or more");
                }
            }
        }
    }
}
