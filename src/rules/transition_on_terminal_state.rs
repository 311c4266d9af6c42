use crate::diagnostic::{Edit, Fix};
use crate::model::StateType;
use crate::rules::{LintContext, Sink};

declare_rule! {
    /// ## What it does
    /// Reports `Next` or `End` on a Choice, Succeed or Fail state, at the
    /// offending key. For a Choice state with `Next` but no `Default`, it
    /// offers to rename `Next` to `Default`, which is usually what was meant.
    ///
    /// ## Why is this bad?
    /// A Choice state moves on through its `Choices` rules and its `Default`;
    /// Succeed and Fail states end their scope by themselves. None of them
    /// takes `Next` or `End`, and Step Functions rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" } ],
    ///       "Next": "Failed"
    ///     },
    ///     "Done": { "Type": "Succeed" },
    ///     "Failed": { "Type": "Fail", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [ { "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" } ],
    ///       "Default": "Failed"
    ///     },
    ///     "Done": { "Type": "Succeed" },
    ///     "Failed": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    pub static TRANSITION_ON_TERMINAL_STATE = {
        code: "ASL109",
        name: "transition-on-terminal-state",
        category: Graph,
        severity: Error,
        summary: "a Choice, Succeed or Fail state has `Next` or `End`",
        check: Some(check),
    }
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    for state in &cx.machine.states {
        let Some(ty @ (StateType::Choice | StateType::Succeed | StateType::Fail)) =
            state.state_type
        else {
            continue;
        };
        let Some(members) = state.node.as_object() else {
            continue;
        };
        for member in members {
            let field = member.key.as_str();
            if field != "Next" && field != "End" {
                continue;
            }
            let message = format!(
                "state `{}` is a {} state and cannot have `{field}`",
                state.name,
                ty.as_str()
            );
            let has_default = state.get("Default").is_some();
            let help = match (ty, field) {
                (StateType::Choice, "Next") if !has_default => {
                    "a Choice state moves on through its `Choices` rules and `Default`; rename `Next` to `Default`"
                }
                (StateType::Choice, "Next") => {
                    "a Choice state moves on through its `Choices` rules and `Default`; remove `Next`"
                }
                (StateType::Choice, _) => {
                    "a Choice state cannot end its scope; remove `End` and lead its rules or `Default` to a `Succeed` state"
                }
                _ => "remove it; a Succeed or Fail state ends its scope by itself",
            };
            let report = out
                .report(&TRANSITION_ON_TERMINAL_STATE, member.key_range, message)
                .help(help);
            // Renaming the key keeps its quoting: `"Next"` in JSON, `Next` in YAML.
            let key_text = cx
                .text()
                .get(member.key_range.start()..member.key_range.end());
            let replacement = match key_text {
                Some("\"Next\"") => Some("\"Default\""),
                Some("Next") => Some("Default"),
                _ => None,
            };
            match replacement {
                Some(r) if ty == StateType::Choice && field == "Next" && !has_default => {
                    report.fix(Fix {
                        title: "rename `Next` to `Default`".into(),
                        edits: vec![Edit {
                            range: member.key_range,
                            replacement: r.into(),
                        }],
                    });
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    #[test]
    fn fix_renames_next_to_default_only_without_default() {
        let text = r#"{"StartAt": "C", "States": {
  "C": { "Type": "Choice", "Choices": [], "Next": "D" },
  "D": { "Type": "Choice", "Choices": [], "Default": "C", "Next": "C" } } }"#;
        let file = SourceFile::new("x.asl.json", text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&TRANSITION_ON_TERMINAL_STATE));
        assert_eq!(diags.len(), 2);
        let edits: Vec<&Edit> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| &f.edits)
            .collect();
        assert_eq!(edits.len(), 1);
        assert_eq!(
            &text[edits[0].range.start()..edits[0].range.end()],
            "\"Next\""
        );
        assert_eq!(edits[0].replacement, "\"Default\"");
    }
}
