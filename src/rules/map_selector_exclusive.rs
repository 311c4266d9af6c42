use crate::model::StateType;
use crate::rules::util::{exclusive_pairs, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Map state with both `ItemSelector` and the deprecated
    /// `Parameters`.
    ///
    /// ## Why is this bad?
    /// `Parameters` is the old name of `ItemSelector`: both shape the input
    /// of each iteration, so only one may be given. Step Functions rejects
    /// the pair.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemSelector": { "item.$": "$$.Map.Item.Value" },
    ///       "Parameters": { "index.$": "$$.Map.Item.Index" },
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
    ///       "ItemSelector": { "item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
    ///       "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_SELECTOR_EXCLUSIVE = {
        code: "ASL238",
        name: "map-selector-exclusive",
        category: States,
        severity: Error,
        summary: "a Map state has both `ItemSelector` and `Parameters`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        for (first, second) in exclusive_pairs(state.node, &[("ItemSelector", "Parameters")]) {
            out.report(
                &MAP_SELECTOR_EXCLUSIVE,
                second.key_range,
                format!(
                    "state `{}` has both `ItemSelector` and `Parameters`",
                    state.name
                ),
            )
            .related(first.key_range, format!("`{}` is set here", first.key))
            .help("merge the deprecated `Parameters` into `ItemSelector` and remove it");
        }
    }
}
