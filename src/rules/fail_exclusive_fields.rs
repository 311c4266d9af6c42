use crate::model::StateType;
use crate::rules::util::{exclusive_pairs, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Fail state with both `Error` and `ErrorPath`, or both
    /// `Cause` and `CausePath`.
    ///
    /// ## Why is this bad?
    /// The error name and the cause are each either a literal or read from
    /// the input, not both; Step Functions rejects the pair.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Stop",
    ///   "States": {
    ///     "Stop": { "Type": "Fail", "Error": "Rejected", "ErrorPath": "$.error" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Stop",
    ///   "States": {
    ///     "Stop": { "Type": "Fail", "ErrorPath": "$.error" }
    ///   }
    /// }
    /// ```
    pub static FAIL_EXCLUSIVE_FIELDS = {
        code: "ASL230",
        name: "fail-exclusive-fields",
        category: States,
        severity: Error,
        summary: "a Fail state sets `Error` or `Cause` both as a literal and as a path",
        check: Some(check),
    }
}

const PAIRS: &[(&str, &str)] = &[("Error", "ErrorPath"), ("Cause", "CausePath")];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Fail) {
        for (first, second) in exclusive_pairs(state.node, PAIRS) {
            out.report(
                &FAIL_EXCLUSIVE_FIELDS,
                second.key_range,
                format!(
                    "state `{}` has both `{}` and `{}`",
                    state.name, first.key, second.key
                ),
            )
            .related(first.key_range, format!("`{}` is set here", first.key))
            .help("keep the literal or the path, not both");
        }
    }
}
