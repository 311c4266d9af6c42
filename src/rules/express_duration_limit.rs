use crate::model::StateType;
use crate::rules::util::arn::{express_of, express_scopes, Express};
use crate::rules::util::{integer, show_number, states_of_type};
use crate::rules::{LintContext, Sink};
use crate::settings::MachineType;

declare_rule! {
    /// ## What it does
    /// Reports, in an Express workflow, a literal wait longer than the five
    /// minutes an Express execution may last: a top-level `TimeoutSeconds`
    /// above 300 when linted with `--type express`, and a Wait state whose
    /// `Seconds` is above 300 in an Express machine or in the item processor
    /// of a Distributed Map with `ExecutionType: EXPRESS`.
    ///
    /// ## Why is this bad?
    /// An Express execution stops after 300 seconds. A longer Wait always
    /// makes it time out, and a longer machine timeout never applies. Whether
    /// Step Functions rejects such a definition is not documented, hence a
    /// warning.
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
            "S": { "Type": "Wait", "Seconds": 300, "End": true } } }"#;
        let lint = |machine_type| {
            let settings = Settings {
                machine_type,
                ..Settings::only(&EXPRESS_DURATION_LIMIT)
            };
            crate::lint_source(&SourceFile::new("m.asl.json", text), &settings)
        };
        let d = lint(MachineType::Express);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.starts_with("`TimeoutSeconds` 600"));
        assert!(d[1].message.contains("Wait state `W`"));
        assert!(lint(MachineType::Standard).is_empty());
    }
}
