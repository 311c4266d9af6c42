use crate::model::{QueryLanguage, StateType};
use crate::rules::util::states_of_type;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Checks that a Wait state says how long to wait exactly once: one of
    /// `Seconds`, `SecondsPath`, `Timestamp` and `TimestampPath` in a
    /// JSONPath state, one of `Seconds` and `Timestamp` in a JSONata state.
    ///
    /// A JSONata Wait with neither `Seconds` nor `Timestamp` is not reported
    /// when it carries `SecondsPath` or `TimestampPath`: the schema check
    /// reports those JSONPath-only fields.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects a Wait state with none of these fields, or
    /// with more than one.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": 10, "TimestampPath": "$.until", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "TimestampPath": "$.until", "End": true }
    ///   }
    /// }
    /// ```
    pub static WAIT_DURATION = {
        code: "ASL220",
        name: "wait-duration",
        category: States,
        severity: Error,
        summary: "a Wait state does not have exactly one duration field",
        check: Some(check),
    }
}

const JSONPATH_FIELDS: &[&str] = &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
const JSONATA_FIELDS: &[&str] = &["Seconds", "Timestamp"];

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in states_of_type(cx.machine, StateType::Wait) {
        let Some(members) = state.node.as_object() else {
            continue;
        };
        let jsonata = state.query_language == QueryLanguage::Jsonata;
        let allowed = if jsonata {
            JSONATA_FIELDS
        } else {
            JSONPATH_FIELDS
        };
        let present: Vec<_> = members
            .iter()
            .filter(|m| allowed.contains(&m.key.as_str()))
            .collect();
        let list = allowed
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if present.is_empty() {
            if jsonata
                && members
                    .iter()
                    .any(|m| matches!(m.key.as_str(), "SecondsPath" | "TimestampPath"))
            {
                continue;
            }
            out.report(
                &WAIT_DURATION,
                state.name_range,
                format!("state `{}` does not say how long to wait", state.name),
            )
            .help(format!("add exactly one of {list}"));
            continue;
        }
        let first = present[0];
        for extra in &present[1..] {
            if extra.key == first.key {
                // The same key twice is `duplicate-key`'s finding.
                continue;
            }
            out.report(
                &WAIT_DURATION,
                extra.key_range,
                format!(
                    "state `{}` has both `{}` and `{}`",
                    state.name, first.key, extra.key
                ),
            )
            .related(first.key_range, format!("`{}` is set here", first.key))
            .help(format!("keep exactly one of {list}"));
        }
    }
}
