use crate::model::StateType;
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Wait state whose literal `Seconds` is negative or above
    /// 99999999.
    ///
    /// ## Why is this bad?
    /// Step Functions accepts `Seconds` from 0 to 99999999 and rejects the
    /// definition otherwise. (A Standard execution ends after one year
    /// anyway, and an Express one after five minutes.)
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": { "Pause": { "Type": "Wait", "Seconds": -5, "End": true } }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": { "Pause": { "Type": "Wait", "Seconds": 5, "End": true } }
    /// }
    /// ```
    pub static WAIT_SECONDS_RANGE = {
        code: "ASL221",
        name: "wait-seconds-range",
        category: States,
        severity: Error,
        summary: "a Wait state's `Seconds` is out of range",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Wait) {
        let Some(node) = state.get("Seconds") else {
            continue;
        };
        let Some(v) = integer(node) else { continue };
        let problem = if v < 0.0 {
            "is negative"
        } else if v > 99_999_999.0 {
            "is above the maximum 99999999"
        } else {
            continue;
        };
        out.report(
            &WAIT_SECONDS_RANGE,
            node.range,
            format!(
                "`Seconds` {} of Wait state `{}` {problem}",
                show_number(v),
                state.name
            ),
        )
        .help("use a number of seconds between 0 and 99999999");
    }
}
