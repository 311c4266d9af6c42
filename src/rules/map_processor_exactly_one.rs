use crate::model::StateType;
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks that a Map state has exactly one of `ItemProcessor` and its
    /// deprecated predecessor `Iterator`.
    ///
    /// ## Why is this bad?
    /// The processor is the state machine run for each item. Without one
    /// there is nothing to run; with both, it is ambiguous which one runs.
    /// Step Functions rejects both cases.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": { "Each": { "Type": "Map", "ItemsPath": "$.items", "End": true } }
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
    ///       "ItemsPath": "$.items",
    ///       "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_PROCESSOR_EXACTLY_ONE = {
        code: "ASL236",
        name: "map-processor-exactly-one",
        category: States,
        severity: Error,
        summary: "a Map state needs exactly one of `ItemProcessor` and `Iterator`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Map) {
        if state.node.as_object().is_none() {
            continue;
        }
        match (
            state.node.member("ItemProcessor"),
            state.node.member("Iterator"),
        ) {
            (None, None) => {
                out.report(
                    &MAP_PROCESSOR_EXACTLY_ONE,
                    state.name_range,
                    format!("state `{}` has no `ItemProcessor`", state.name),
                )
                .help("add `\"ItemProcessor\": { \"StartAt\": …, \"States\": { … } }` with the states to run for each item");
            }
            (Some(p), Some(i)) => {
                let (first, second) = if p.key_range.start <= i.key_range.start {
                    (p, i)
                } else {
                    (i, p)
                };
                out.report(
                    &MAP_PROCESSOR_EXACTLY_ONE,
                    second.key_range,
                    format!(
                        "state `{}` has both `ItemProcessor` and `Iterator`",
                        state.name
                    ),
                )
                .related(first.key_range, format!("`{}` is set here", first.key))
                .help("keep `ItemProcessor` and remove the deprecated `Iterator`");
            }
            _ => {}
        }
    }
}
