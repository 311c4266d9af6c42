use crate::model::StateType;
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Parallel state whose `Branches` array is empty.
    ///
    /// ## Why is this bad?
    /// The specification only asks for an array, but a Parallel state
    /// without branches runs nothing and outputs `[]`: it is almost always
    /// unfinished work.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fan out",
    ///   "States": { "Fan out": { "Type": "Parallel", "Branches": [], "End": true } }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Fan out",
    ///   "States": {
    ///     "Fan out": {
    ///       "Type": "Parallel",
    ///       "Branches": [ { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } } ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static PARALLEL_NO_BRANCHES = {
        code: "ASL235",
        name: "parallel-no-branches",
        category: States,
        severity: Warning,
        summary: "a Parallel state has no branches",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Parallel) {
        let Some(b) = state.get("Branches") else {
            continue;
        };
        if b.as_array().is_some_and(<[_]>::is_empty) {
            out.report(
                &PARALLEL_NO_BRANCHES,
                b.range,
                format!("state `{}` has no branches", state.name),
            )
            .help("add at least one branch (`{ \"StartAt\": …, \"States\": { … } }`), or replace the state with a Pass state");
        }
    }
}
