use crate::model::{QueryLanguage, StateType};
use crate::rules::jsonpath_sites::looks_dynamic;
use crate::rules::util::choice::{self, comparison, Operand};
use crate::rules::util::{has_placeholder, is_jsonata, timestamp};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks literal timestamps: a Wait state's `Timestamp` and the operand
    /// of the Choice operators `TimestampEquals`, `TimestampLessThan` … They
    /// must be RFC 3339 date-times with an upper-case `T` between date and
    /// time and, unless a numeric offset such as `+01:00` is given, an
    /// upper-case `Z`: `2024-03-14T01:59:00Z`. Fractional seconds are
    /// allowed. JSONata expressions (`{% … %}`) and values holding a
    /// deployment-time `${…}` placeholder are not checked. A path written
    /// here (`"Timestamp": "$.when"`) is reported with the advice to use the
    /// field's `…Path` twin.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects a Wait `Timestamp` it cannot read, and a
    /// Choice comparison against a malformed literal. Lower-case `t`/`z`,
    /// a space instead of `T`, a missing time zone or a date alone are the
    /// usual slips.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": { "Pause": { "Type": "Wait", "Timestamp": "2024-03-14 01:59:00", "End": true } }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": { "Pause": { "Type": "Wait", "Timestamp": "2024-03-14T01:59:00Z", "End": true } }
    /// }
    /// ```
    pub static INVALID_TIMESTAMP = {
        code: "ASL222",
        name: "invalid-timestamp",
        category: States,
        severity: Error,
        summary: "a literal timestamp is not an RFC 3339 date-time",
        check: Some(check),
    }
}

const HELP: &str = "write an RFC 3339 date-time such as `2024-03-14T01:59:00Z` (upper-case `T` and `Z`, or an offset like `+01:00`)";

/// The help for the literal `s` of `field`: a value that is a path is meant
/// for the field's `…Path` twin.
fn help(field: &str, s: &str) -> String {
    match looks_dynamic(s) {
        Some(what) => format!(
            "this is {what}: to read the timestamp from it, use `{field}Path` instead of `{field}`"
        ),
        None => HELP.to_string(),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        match state.state_type {
            Some(StateType::Wait) => {
                let Some(node) = state.get("Timestamp") else {
                    continue;
                };
                let Some(s) = node.as_str() else { continue };
                if (is_jsonata(s) && state.query_language == QueryLanguage::Jsonata)
                    || has_placeholder(s)
                {
                    continue;
                }
                if let Some(problem) = timestamp::problem(s) {
                    out.report(
                        &INVALID_TIMESTAMP,
                        node.range,
                        format!(
                            "`Timestamp` of Wait state `{}` is not a valid timestamp: {problem}",
                            state.name
                        ),
                    )
                    .help(help("Timestamp", s));
                }
            }
            Some(StateType::Choice) if state.query_language == QueryLanguage::JsonPath => {
                choice::walk(state, |rule| {
                    for m in rule.members() {
                        if comparison(&m.key) != Some(Operand::Timestamp) {
                            continue;
                        }
                        let Some(s) = m.value.as_str() else { continue };
                        if has_placeholder(s) {
                            continue;
                        }
                        if let Some(problem) = timestamp::problem(s) {
                            out.report(
                                &INVALID_TIMESTAMP,
                                m.value.range,
                                format!(
                                    "`{}` in `{}` of state `{}` is not a valid timestamp: {problem}",
                                    m.key, rule.path, state.name
                                ),
                            )
                            .help(help(&m.key, s));
                        }
                    }
                });
            }
            _ => {}
        }
    }
}
