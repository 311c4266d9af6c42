use crate::model::StateType;
use crate::rules::util::arn::{express_of, express_scopes, Express};
use crate::rules::util::{map_mode, states_of_type, MapMode};
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Distributed Map (`ProcessorConfig.Mode: DISTRIBUTED`) in an
    /// Express workflow: the machine itself when linted with `--type
    /// express`, or the item processor of an outer Distributed Map whose
    /// `ExecutionType` is `EXPRESS`.
    ///
    /// ## Why is this bad?
    /// Distributed Map starts child workflow executions and is supported only
    /// in Standard workflows; Step Functions rejects it in an Express one.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Outer",
    ///   "States": {
    ///     "Outer": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Inner",
    ///         "States": {
    ///           "Inner": {
    ///             "Type": "Map",
    ///             "ItemProcessor": {
    ///               "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///               "StartAt": "Work",
    ///               "States": { "Work": { "Type": "Pass", "End": true } }
    ///             },
    ///             "End": true
    ///           }
    ///         }
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
    ///   "StartAt": "Outer",
    ///   "States": {
    ///     "Outer": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Inner",
    ///         "States": {
    ///           "Inner": {
    ///             "Type": "Map",
    ///             "ItemProcessor": {
    ///               "ProcessorConfig": { "Mode": "INLINE" },
    ///               "StartAt": "Work",
    ///               "States": { "Work": { "Type": "Pass", "End": true } }
    ///             },
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    pub static MAP_DISTRIBUTED_IN_EXPRESS = {
        code: "ASL274",
        name: "map-distributed-in-express",
        category: States,
        severity: Error,
        summary: "a Distributed Map is used in an Express workflow",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let scopes = express_scopes(cx.machine, cx.settings.machine_type);
    if scopes.iter().all(Option::is_none) {
        return;
    }
    for state in states_of_type(cx.machine, StateType::Map) {
        let Some(why) = express_of(&scopes, state.scope) else {
            continue;
        };
        if map_mode(state) != Some(MapMode::Distributed) {
            continue;
        }
        let range = state
            .get("ItemProcessor")
            .and_then(|p| p.get("ProcessorConfig"))
            .and_then(|c| c.get("Mode"))
            .map_or(state.name_range, |m| m.range);
        let help = match why {
            Express::Machine => {
                "use an Inline Map (`\"Mode\": \"INLINE\"`), or make the state machine Standard"
            }
            Express::Child(_) => {
                "use an Inline Map here, or set the outer Map's `ExecutionType` to `STANDARD`"
            }
        };
        out.report(
            &MAP_DISTRIBUTED_IN_EXPRESS,
            range,
            format!(
                "distributed Map state `{}` is not supported {}",
                state.name,
                why.describe(cx.machine)
            ),
        )
        .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::MAP_DISTRIBUTED_IN_EXPRESS;
    use crate::settings::{MachineType, Settings};
    use crate::source::SourceFile;

    #[test]
    fn any_distributed_map_of_an_express_machine_is_reported() {
        let text = r#"{ "StartAt": "M", "States": { "M": { "Type": "Map", "End": true,
            "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
                               "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } } } } }"#;
        let lint = |machine_type| {
            let settings = Settings {
                machine_type,
                ..Settings::only(&MAP_DISTRIBUTED_IN_EXPRESS)
            };
            crate::lint_source(&SourceFile::new("m.asl.json", text), &settings)
        };
        let d = lint(MachineType::Express);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("in an Express state machine"));
        assert!(lint(MachineType::Standard).is_empty());
    }
}
