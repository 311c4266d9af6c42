use crate::model::StateType;
use crate::rules::util::arn::{express_of, express_scopes, Express};
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};
use crate::settings::MachineType;

declare_rule! {
    /// ## What it does
    /// Reports, in an Express workflow, a literal duration longer than the
    /// five minutes an Express execution may last: a top-level
    /// `TimeoutSeconds` above 300 when linted with `--type express`, and, in
    /// an Express machine or in the item processor of a Distributed Map with
    /// `ExecutionType: EXPRESS`, a Wait state's `Seconds` or a Task state's
    /// `TimeoutSeconds` or `HeartbeatSeconds` above 300.
    ///
    /// ## Why is this bad?
    /// An Express execution stops after 300 seconds. A longer Wait always
    /// makes it time out, and a longer task timeout or heartbeat interval
    /// never applies: the execution times out first, with `States.Timeout`
    /// for the whole workflow rather than the task's own error that a
    /// catcher may be waiting for.
    ///
    /// It is a warning, not an error: these values are valid Amazon States
    /// Language, the five-minute limit applies to the execution rather than
    /// to the fields, and AWS documents no rejection of such a definition
    /// (an Express machine's type is not even part of its definition).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Pause",
    ///         "States": { "Pause": { "Type": "Wait", "Seconds": 600, "End": true } }
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
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Pause",
    ///         "States": { "Pause": { "Type": "Wait", "Seconds": 600, "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static EXPRESS_DURATION_LIMIT = {
        code: "ASL275",
        name: "express-duration-limit",
        category: States,
        severity: Warning,
        summary: "an Express workflow waits or times out after more than five minutes",
        check: Some(check),
    }
}

const EXPRESS_MAX_SECONDS: f64 = 300.0;

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let express = cx.settings.machine_type == MachineType::Express;
    if express {
        if let Some(node) = cx.root.get("TimeoutSeconds") {
            if let Some(v) = integer(node).filter(|v| *v > EXPRESS_MAX_SECONDS) {
                out.report(
                    &EXPRESS_DURATION_LIMIT,
                    node.range,
                    format!(
                        "`TimeoutSeconds` {} is above the 300 seconds an Express execution may run",
                        show_number(v)
                    ),
                )
                .help("use at most 300, or make the state machine Standard");
            }
        }
    }
    let scopes = express_scopes(cx.machine, cx.settings.machine_type);
    if scopes.iter().all(Option::is_none) {
        return;
    }
    for state in states_of_type(cx.machine, StateType::Task) {
        let Some(why) = express_of(&scopes, state.scope) else {
            continue;
        };
        for field in ["TimeoutSeconds", "HeartbeatSeconds"] {
            let Some(node) = state.get(field) else {
                continue;
            };
            let Some(v) = integer(node).filter(|v| *v > EXPRESS_MAX_SECONDS) else {
                continue;
            };
            let help = match why {
                Express::Machine => format!("an Express execution stops after 300 seconds; use at most 300 for `{field}`, or make the state machine Standard"),
                Express::Child(_) => format!("an Express child execution stops after 300 seconds; use at most 300 for `{field}`, or set the Map's `ExecutionType` to `STANDARD`"),
            };
            out.report(
                &EXPRESS_DURATION_LIMIT,
                node.range,
                format!(
                    "`{field}` {} of Task state `{}` is longer than the 300 seconds an execution may run {}",
                    show_number(v),
                    state.name,
                    why.describe(cx.machine)
                ),
            )
            .help(help);
        }
    }
    for state in states_of_type(cx.machine, StateType::Wait) {
        let Some(why) = express_of(&scopes, state.scope) else {
            continue;
        };
        let Some(node) = state.get("Seconds") else {
            continue;
        };
        let Some(v) = integer(node).filter(|v| *v > EXPRESS_MAX_SECONDS) else {
            continue;
        };
        let help = match why {
            Express::Machine => "an Express execution stops after 300 seconds; wait less, or make the state machine Standard",
            Express::Child(_) => "an Express child execution stops after 300 seconds; wait less, or set the Map's `ExecutionType` to `STANDARD`",
        };
        out.report(
            &EXPRESS_DURATION_LIMIT,
            node.range,
            format!(
                "`Seconds` {} of Wait state `{}` is longer than the 300 seconds an execution may run {}",
                show_number(v),
                state.name,
                why.describe(cx.machine)
            ),
        )
        .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::EXPRESS_DURATION_LIMIT;
    use crate::settings::{MachineType, Settings};
    use crate::source::SourceFile;

    #[test]
    fn express_machines_warn_on_long_timeouts_and_waits() {
        let text = r#"{ "TimeoutSeconds": 600, "StartAt": "W", "States": {
            "W": { "Type": "Wait", "Seconds": 301, "Next": "S" },
            "S": { "Type": "Wait", "Seconds": 300, "Next": "T" },
            "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": { "FunctionName": "f" },
                   "TimeoutSeconds": 900, "HeartbeatSeconds": 300, "End": true } } }"#;
        let lint = |machine_type| {
            let settings = Settings {
                machine_type,
                ..Settings::only(&EXPRESS_DURATION_LIMIT)
            };
            crate::lint_source(&SourceFile::new("m.asl.json", text), &settings)
        };
        let d = lint(MachineType::Express);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].message.starts_with("`TimeoutSeconds` 600"));
        assert!(d[1].message.contains("Wait state `W`"));
        assert!(d[2]
            .message
            .starts_with("`TimeoutSeconds` 900 of Task state `T`"));
        assert!(lint(MachineType::Standard).is_empty());
    }
}
