use crate::diagnostic::{Edit, Fix};
use crate::model::StateType;
use crate::rules::{LintContext, Sink};
use crate::syntax::{Format, Node, TextRange};

declare_rule! {
    /// ## What it does
    /// Reports `"End": false` on a state that also has a `Next`, and offers to
    /// remove it (JSON files only).
    ///
    /// Without a `Next`, `"End": false` leaves the state with nowhere to go:
    /// `missing-next-or-end` reports that instead.
    ///
    /// ## Why is this bad?
    /// `"End": false` says nothing that `Next` does not already say. The
    /// specification allows any boolean, but the asl-validator and cfn-lint
    /// schemas only accept `true`, and whether Step Functions accepts `false`
    /// is not documented; hence a warning rather than an error.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "Next": "B", "End": false },
    ///     "B": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```json
    /// {
    ///   "StartAt": "A",
    ///   "States": {
    ///     "A": { "Type": "Pass", "Next": "B" },
    ///     "B": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    pub static END_FALSE = {
        code: "ASL110",
        name: "end-false",
        category: Graph,
        severity: Warning,
        summary: "`\"End\": false` next to `Next` is redundant",
        check: Some(check),
    }
}

/// Removes the member `index` of a JSON object, with the comma that
/// separates it from its neighbour.
fn remove_member(node: &Node, index: usize) -> Option<Fix> {
    let members = node.as_object()?;
    let member = members.get(index)?;
    let range = if let Some(next) = members.get(index + 1) {
        TextRange::new(member.key_range.start(), next.key_range.start())
    } else {
        let prev = members.get(index.checked_sub(1)?)?;
        TextRange::new(prev.value.range.end(), member.value.range.end())
    };
    Some(Fix {
        title: "remove `\"End\": false`".into(),
        edits: vec![Edit {
            range,
            replacement: String::new(),
        }],
    })
}

fn check(cx: &LintContext<'_>, out: &mut Sink<'_>) {
    let json = cx.file.format == Format::Json;
    for state in &cx.machine.states {
        if matches!(
            state.state_type,
            Some(StateType::Choice | StateType::Succeed | StateType::Fail)
        ) || state.get("Next").is_none()
        {
            continue;
        }
        let Some(members) = state.node.as_object() else {
            continue;
        };
        let Some(index) = members.iter().position(|m| m.key == "End") else {
            continue;
        };
        let end = &members[index];
        if end.value.as_bool() != Some(false) {
            continue;
        }
        let report = out
            .report(
                &END_FALSE,
                end.key_range,
                format!(
                    "state `{}` has `\"End\": false` next to `Next`, which is redundant",
                    state.name
                ),
            )
            .help("remove `\"End\": false`; a state with `Next` is not terminal, and some tools only accept `\"End\": true`");
        let is_object_text = cx.text().as_bytes().get(state.node.range.start()) == Some(&b'{');
        if json && is_object_text {
            if let Some(fix) = remove_member(state.node, index) {
                report.fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    fn fixed(text: &str) -> String {
        let file = SourceFile::new("x.asl.json", text.to_string());
        let diags = crate::lint_source(&file, &Settings::only(&END_FALSE));
        crate::diagnostic::apply_fixes(text, &diags)
    }

    #[test]
    fn fix_removes_the_member_and_one_comma() {
        let text = r#"{"StartAt": "A", "States": {
  "A": { "Type": "Pass", "End": false, "Next": "B" },
  "B": { "Type": "Pass", "Next": "C", "End": false },
  "C": { "Type": "Succeed" } } }"#;
        assert_eq!(
            fixed(text),
            r#"{"StartAt": "A", "States": {
  "A": { "Type": "Pass", "Next": "B" },
  "B": { "Type": "Pass", "Next": "C" },
  "C": { "Type": "Succeed" } } }"#
        );
    }
}
